import type { Client } from './client';
import type { Config } from './config';
import { parseMemory } from './config';
import { globMatch } from './glob';

/** client-output-buffer-limit of one class: bytes (0 = none) and soft seconds. */
interface OutputLimit {
  hard: number;
  soft: number;
  softSeconds: number;
}

/**
 * Subscriptions of all clients: channels, patterns and shard channels, and message delivery.
 *
 * Messages are written into the subscribers' reply buffers at once and the buffers are flushed
 * together after the current batch of commands (one socket write per subscriber per batch, not
 * one per message). Each delivery checks the subscriber's output against the `pubsub` class of
 * client-output-buffer-limit, counting what is still pending on the socket too, and closes a
 * subscriber that does not read fast enough, as Valkey does.
 */
export class PubSubHub {
  public readonly channels = new Map<string, Set<Client>>();
  public readonly patterns = new Map<string, Set<Client>>();
  public readonly shardChannels = new Map<string, Set<Client>>();
  /** Subscribers with messages waiting in their reply buffers. */
  private readonly pending = new Set<Client>();
  private flushScheduled = false;
  /** The `pubsub` class limit (Valkey's default: 32mb hard, 8mb soft over 60 s). */
  private readonly limit: OutputLimit = { hard: 32 * 1024 * 1024, soft: 8 * 1024 * 1024, softSeconds: 60 };
  /** When a subscriber first went over the soft limit (unix seconds), while it stays over it. */
  private readonly softSince = new Map<Client, number>();
  private readonly flushPendingBound = (): void => this.flushPending();

  /** Follows client-output-buffer-limit (its `pubsub` class). */
  public watchConfig(config: Config): void {
    this.setOutputLimits(config.get('client-output-buffer-limit'));
    config.onChange('client-output-buffer-limit', (v) => this.setOutputLimits(v));
  }

  /** Takes the `pubsub` class out of a client-output-buffer-limit value (other classes are kept elsewhere). */
  public setOutputLimits(value: string): void {
    const parts = value.split(/\s+/).filter(Boolean);
    for (let i = 0; i + 3 < parts.length; i += 4) {
      if (parts[i].toLowerCase() !== 'pubsub') continue;
      this.limit.hard = parseMemory(parts[i + 1]) ?? this.limit.hard;
      this.limit.soft = parseMemory(parts[i + 2]) ?? this.limit.soft;
      this.limit.softSeconds = Number(parts[i + 3]);
    }
  }

  public subscribe(map: Map<string, Set<Client>>, name: string, c: Client): void {
    let s = map.get(name);
    if (!s) map.set(name, (s = new Set()));
    s.add(c);
  }

  public unsubscribe(map: Map<string, Set<Client>>, name: string, c: Client): void {
    const s = map.get(name);
    if (!s) return;
    s.delete(c);
    if (s.size === 0) map.delete(name);
  }

  /** True when nobody could receive a PUBLISH (no channel and no pattern subscriptions). */
  public get idle(): boolean {
    return this.channels.size === 0 && this.patterns.size === 0;
  }

  /** Delivers a message; returns the number of receivers (PUBLISH's reply). */
  public publish(channel: string, message: string): number {
    let n = 0;
    const subs = this.channels.get(channel);
    if (subs) {
      for (const c of subs) {
        const r = c.reply;
        r.push(3);
        r.bulk('message');
        r.bulk(channel);
        r.bulk(message);
        this.delivered(c);
        n++;
      }
    }
    if (this.patterns.size > 0) {
      for (const [pattern, clients] of this.patterns) {
        if (!globMatch(pattern, channel)) continue;
        for (const c of clients) {
          const r = c.reply;
          r.push(4);
          r.bulk('pmessage');
          r.bulk(pattern);
          r.bulk(channel);
          r.bulk(message);
          this.delivered(c);
          n++;
        }
      }
    }
    return n;
  }

  /** SPUBLISH: shard channel delivery. */
  public spublish(channel: string, message: string): number {
    const subs = this.shardChannels.get(channel);
    if (!subs) return 0;
    const n = subs.size;
    for (const c of subs) {
      const r = c.reply;
      r.push(3);
      r.bulk('smessage');
      r.bulk(channel);
      r.bulk(message);
      this.delivered(c);
    }
    return n;
  }

  /** Drops every subscription of a client (closing, RESET). */
  public removeClient(c: Client): void {
    for (const ch of c.channels) this.unsubscribe(this.channels, ch, c);
    for (const p of c.patterns) this.unsubscribe(this.patterns, p, c);
    for (const ch of c.shardChannels) this.unsubscribe(this.shardChannels, ch, c);
    this.softSince.delete(c);
    this.pending.delete(c);
  }

  /** After a message was written to `c`'s reply buffer: output limits, then a flush after this batch. */
  private delivered(c: Client): void {
    const lim = this.limit;
    if (lim.hard > 0 || lim.soft > 0) {
      const bytes = c.reply.pendingBytes + (c.socket ? c.socket.writableLength : 0);
      if (this.overLimit(c, bytes)) {
        c.server.log.warning(`Client id=${c.id} addr=${c.addr} closed for overcoming of output buffer limits.`);
        c.server.killClient(c);
        return;
      }
    }
    this.pending.add(c);
    if (!this.flushScheduled) {
      this.flushScheduled = true;
      queueMicrotask(this.flushPendingBound);
    }
  }

  /** Valkey's checkClientOutputBufferLimits for the pubsub class. */
  private overLimit(c: Client, bytes: number): boolean {
    const lim = this.limit;
    if (lim.hard > 0 && bytes >= lim.hard) return true;
    if (lim.soft > 0 && bytes >= lim.soft) {
      const now = Math.floor(Date.now() / 1000);
      const since = this.softSince.get(c);
      if (since === undefined) {
        this.softSince.set(c, now);
        return false;
      }
      return now - since > lim.softSeconds;
    }
    if (this.softSince.size > 0) this.softSince.delete(c);
    return false;
  }

  private flushPending(): void {
    this.flushScheduled = false;
    for (const c of this.pending) {
      if (!c.closed) c.server.flushClient(c);
    }
    this.pending.clear();
  }
}

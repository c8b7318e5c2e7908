import type { Client } from './client';
import { globMatch } from './glob';

/** Subscriptions of all clients: channels, patterns and shard channels. */
export class PubSubHub {
  public readonly channels = new Map<string, Set<Client>>();
  public readonly patterns = new Map<string, Set<Client>>();
  public readonly shardChannels = new Map<string, Set<Client>>();

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

  /** Delivers a message; returns the number of receivers (PUBLISH's reply). */
  public publish(channel: string, message: string): number {
    let n = 0;
    const subs = this.channels.get(channel);
    if (subs) {
      for (const c of subs) {
        c.reply.push(3);
        c.reply.bulk('message');
        c.reply.bulk(channel);
        c.reply.bulk(message);
        c.flush();
        n++;
      }
    }
    for (const [pattern, clients] of this.patterns) {
      if (!globMatch(pattern, channel)) continue;
      for (const c of clients) {
        c.reply.push(4);
        c.reply.bulk('pmessage');
        c.reply.bulk(pattern);
        c.reply.bulk(channel);
        c.reply.bulk(message);
        c.flush();
        n++;
      }
    }
    return n;
  }

  /** SPUBLISH: shard channel delivery. */
  public spublish(channel: string, message: string): number {
    const subs = this.shardChannels.get(channel);
    if (!subs) return 0;
    for (const c of subs) {
      c.reply.push(3);
      c.reply.bulk('smessage');
      c.reply.bulk(channel);
      c.reply.bulk(message);
      c.flush();
    }
    return subs.size;
  }

  /** Drops every subscription of a closing client. */
  public removeClient(c: Client): void {
    for (const ch of c.channels) this.unsubscribe(this.channels, ch, c);
    for (const p of c.patterns) this.unsubscribe(this.patterns, p, c);
    for (const ch of c.shardChannels) this.unsubscribe(this.shardChannels, ch, c);
  }
}

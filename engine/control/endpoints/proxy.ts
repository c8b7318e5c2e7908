/**
 * An endpoint: a TCP proxy on a stable address that forwards each client connection to a node
 * the control plane picks (the next replica for a reader endpoint, the next node for a
 * configuration endpoint; the primary endpoint is no proxy: primary-address.ts). Layer 4 only, so TLS and AUTH pass through to the node untouched. When the
 * target moves (failover), connections to the old target are closed so clients reconnect.
 */
import * as net from 'net';
import { Address } from '../state/types';

export type TargetPicker = () => Address | undefined;

export class EndpointProxy {
  private server?: net.Server;
  private readonly links = new Set<{ client: net.Socket; upstream: net.Socket; target: Address }>();

  constructor(readonly listen: Address, private readonly pick: TargetPicker, private readonly holdMs = 5000) {}

  start(): Promise<void> {
    return new Promise((resolve, reject) => {
      const server = net.createServer({ noDelay: true }, (client) => this.accept(client));
      server.once('error', reject);
      server.listen({ host: this.listen.address, port: this.listen.port, exclusive: true }, () => {
        server.removeListener('error', reject);
        server.on('error', () => undefined);
        this.server = server;
        resolve();
      });
    });
  }

  /**
   * A client that arrives while the endpoint has no node (during a failover) is held for up to
   * `holdMs` until one is chosen, so its first command goes through instead of a reconnect loop.
   */
  private accept(client: net.Socket, held = 0): void {
    const target = this.pick();
    if (!target) {
      if (held >= this.holdMs || client.destroyed) {
        client.destroy();
        return;
      }
      if (held === 0) client.pause();
      setTimeout(() => this.accept(client, held + 10), 10);
      return;
    }
    const upstream = net.connect({ host: target.address, port: target.port, noDelay: true });
    const link = { client, upstream, target };
    this.links.add(link);
    const close = () => {
      this.links.delete(link);
      client.destroy();
      upstream.destroy();
    };
    client.on('error', close);
    upstream.on('error', close);
    client.on('close', close);
    upstream.on('close', close);
    client.pipe(upstream);
    upstream.pipe(client);
    client.resume();
  }

  /** Closes connections whose node is no longer what `pick` would choose among `valid`. */
  dropConnectionsNotTo(valid: (a: Address) => boolean): void {
    for (const link of [...this.links]) {
      if (!valid(link.target)) {
        link.client.destroy();
        link.upstream.destroy();
        this.links.delete(link);
      }
    }
  }

  async stop(): Promise<void> {
    for (const link of this.links) {
      link.client.destroy();
      link.upstream.destroy();
    }
    this.links.clear();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
    this.server = undefined;
  }
}

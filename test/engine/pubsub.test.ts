import * as net from 'net';
import * as fc from 'fast-check';
import Redis from 'ioredis';
import { createClient } from 'redis';
import { RunningNode, startNode, startRedis, waitFor } from './nodes';
import { Twin } from './pubsub-twin';
import { RespClient } from './resp-client';

describe('pub/sub, differential against redis-server', () => {
  test('channels, patterns and shard channels, RESP2 and RESP3, message for message', async () => {
    // connections 0 and 1 speak RESP2, connection 2 RESP3
    const t = await Twin.start([], 3, [2]);
    if (!t) return;
    try {
      await t.check(0, 'SUBSCRIBE', 'news', 'sport');
      await t.check(0, 'SUBSCRIBE', 'news'); // again: count unchanged
      await t.check(1, 'PSUBSCRIBE', 'n*', 'sp?rt', '[ab]*');
      await t.check(2, 'SUBSCRIBE', 'news');
      await t.check(2, 'SSUBSCRIBE', 'shard1', 'shard2');
      await t.check(2, 'PUBLISH', 'news', 'hello'); // to 0 (message), 1 (pmessage), 2 itself (push before the reply)
      await t.check(2, 'PUBLISH', 'sport', 'goal');
      await t.check(2, 'PUBLISH', 'nobody', 'x');
      await t.check(2, 'PUBLISH', 'alpha', 'bin\u0000\r\n\u00ff');
      await t.check(2, 'SPUBLISH', 'shard1', 'sharded');
      await t.check(2, 'SPUBLISH', 'news', 'not-a-shard-subscriber');
      await t.check(2, 'GET', 'x'); // RESP3: normal commands work while subscribed
      await t.check(0, 'GET', 'x'); // RESP2: refused with Redis's message
      await t.check(0, 'PUBSUB', 'NUMSUB', 'news');
      await t.check(0, 'PING');
      await t.check(0, 'PING', 'hi');
      await t.check(2, 'PING');
      await t.check(2, 'PUBSUB', 'NUMSUB', 'news', 'sport', 'none');
      await t.check(2, 'PUBSUB', 'NUMPAT');
      await t.check(2, 'PUBSUB', 'CHANNELS');
      await t.check(2, 'PUBSUB', 'CHANNELS', 's*');
      await t.check(2, 'PUBSUB', 'SHARDCHANNELS');
      await t.check(2, 'PUBSUB', 'SHARDCHANNELS', '*2');
      await t.check(2, 'PUBSUB', 'SHARDNUMSUB', 'shard1', 'nope');
      await t.check(2, 'PUBSUB', 'CHANNELS', 'a', 'b');
      await t.check(2, 'PUBSUB', 'NUMPAT', 'x');
      await t.check(2, 'PUBSUB', 'HELP');
      await t.check(2, 'PUBSUB', 'NOPE');
      await t.check(2, 'PUBSUB');
      await t.check(2, 'PUBLISH', 'a');
      await t.check(2, 'SUBSCRIBE');
      await t.check(1, 'PUNSUBSCRIBE', 'n*', 'never');
      await t.check(2, 'PUBLISH', 'news', 'after punsubscribe');
      await t.check(1, 'PUNSUBSCRIBE'); // all remaining patterns
      await t.check(1, 'PUNSUBSCRIBE'); // none left: one reply with a null name
      await t.check(1, 'GET', 'x'); // out of subscribe mode
      await t.check(0, 'UNSUBSCRIBE');
      await t.check(0, 'UNSUBSCRIBE');
      await t.check(2, 'SUNSUBSCRIBE', 'shard2');
      await t.check(2, 'UNSUBSCRIBE');
      await t.check(2, 'SUNSUBSCRIBE');
      await t.check(2, 'SUNSUBSCRIBE');
      // a shard subscription alone keeps a RESP2 client in subscribe mode, with its own count
      await t.check(1, 'SSUBSCRIBE', 's');
      await t.check(1, 'SUBSCRIBE', 'c');
      await t.check(1, 'UNSUBSCRIBE');
      await t.check(1, 'PING');
      await t.check(1, 'GET', 'k');
      await t.check(1, 'SUNSUBSCRIBE');
      await t.check(1, 'PING');
      // subscribe commands inside MULTI (SSUBSCRIBE is refused there)
      await t.check(0, 'MULTI');
      await t.check(0, 'SSUBSCRIBE', 'x');
      await t.check(0, 'SUBSCRIBE', 'y');
      await t.check(0, 'PSUBSCRIBE', 'z*');
      await t.check(0, 'EXEC');
      await t.check(0, 'PUBSUB', 'NUMPAT');
      await t.check(0, 'RESET');
      await t.check(1, 'PUBLISH', 'y', 'after reset');
    } finally {
      await t.stop();
    }
  });

  test('randomized sequences of subscribe, unsubscribe and publish over three connections', async () => {
    const t = await Twin.start([], 3, [1]);
    if (!t) return;
    const channel = fc.constantFrom('a', 'b', 'ab', 'c');
    const pattern = fc.constantFrom('a*', '?', '*', '[ab]*', 'x');
    const op = fc.oneof(
      fc.tuple(fc.constantFrom('SUBSCRIBE', 'UNSUBSCRIBE', 'SSUBSCRIBE', 'SUNSUBSCRIBE'), fc.array(channel, { minLength: 0, maxLength: 3 })),
      fc.tuple(fc.constantFrom('PSUBSCRIBE', 'PUNSUBSCRIBE'), fc.array(pattern, { minLength: 0, maxLength: 2 })),
      fc.tuple(fc.constantFrom('PUBLISH', 'SPUBLISH'), fc.tuple(channel, fc.constantFrom('m1', 'm2'))),
      fc.tuple(fc.constantFrom('PUBSUB'), fc.constantFrom(['NUMPAT'], ['NUMSUB', 'a', 'b'], ['CHANNELS'], ['SHARDCHANNELS'], ['SHARDNUMSUB', 'a', 'c'])),
      fc.tuple(fc.constantFrom('PING', 'GET'), fc.constantFrom(['k'])),
    );
    const steps = fc.array(fc.tuple(fc.integer({ min: 0, max: 2 }), op), { minLength: 5, maxLength: 30 });
    try {
      await fc.assert(
        fc.asyncProperty(steps, async (seq) => {
          for (const [who, [name, args]] of seq) {
            const argv = name === 'PING' ? [name] : [name, ...(args as string[])];
            if (['SUBSCRIBE', 'SSUBSCRIBE', 'PSUBSCRIBE'].includes(name) && argv.length === 1) argv.push('a');
            await t.check(who, ...argv);
          }
          // leave every connection clean for the next run
          for (let i = 0; i < 3; i++) await t.check(i, 'RESET');
        }),
        { seed: 20240611, numRuns: 25 },
      );
    } finally {
      await t.stop();
    }
  });
});

describe('pub/sub with client libraries', () => {
  let node: RunningNode;
  beforeAll(async () => {
    node = await startNode();
  });
  afterAll(async () => {
    await node.stop();
  });

  test('ioredis: subscribe, psubscribe, messages and unsubscribe', async () => {
    const sub = new Redis({ port: node.port, host: '127.0.0.1', lazyConnect: true });
    const pub = new Redis({ port: node.port, host: '127.0.0.1', lazyConnect: true });
    await sub.connect();
    await pub.connect();
    try {
      const got: string[] = [];
      sub.on('message', (ch: string, msg: string) => got.push(`message ${ch} ${msg}`));
      sub.on('pmessage', (p: string, ch: string, msg: string) => got.push(`pmessage ${p} ${ch} ${msg}`));
      expect(await sub.subscribe('c1', 'c2')).toBe(2);
      expect(await sub.psubscribe('c*')).toBe(3);
      expect(await pub.publish('c1', 'one')).toBe(2);
      expect(await pub.publish('c3', 'three')).toBe(1);
      expect(await pub.pubsub('NUMSUB', 'c1', 'c3')).toEqual(['c1', 1, 'c3', 0]);
      await waitFor(() => got.length === 3, 'three messages');
      expect(got).toEqual(['message c1 one', 'pmessage c* c1 one', 'pmessage c* c3 three']);
      await sub.unsubscribe('c1', 'c2');
      await sub.punsubscribe('c*');
      expect(await sub.get('nothing')).toBeNull(); // back to normal mode
      expect(await pub.publish('c1', 'lost')).toBe(0);
    } finally {
      sub.disconnect();
      pub.disconnect();
    }
  });

  test('node-redis: subscribe, pSubscribe and sSubscribe, RESP2 and RESP3', async () => {
    for (const RESP of [2, 3] as const) {
      const client = createClient({ url: `redis://127.0.0.1:${node.port}`, RESP });
      await client.connect();
      const sub = client.duplicate();
      await sub.connect();
      try {
        const got: string[] = [];
        await sub.subscribe('news', (msg, ch) => got.push(`${ch}:${msg}`));
        await sub.pSubscribe('ne*', (msg, ch) => got.push(`p ${ch}:${msg}`));
        await sub.sSubscribe('shard', (msg, ch) => got.push(`s ${ch}:${msg}`));
        expect(await client.publish('news', 'hi')).toBe(2);
        expect(await client.sPublish('shard', 'sh')).toBe(1);
        await waitFor(() => got.length === 3, `three messages over RESP${RESP}`);
        expect(got.sort()).toEqual(['news:hi', 'p news:hi', 's shard:sh']);
        expect(await client.pubSubNumPat()).toBe(1);
        expect(await client.pubSubChannels()).toEqual(['news']);
        expect(await client.pubSubShardChannels()).toEqual(['shard']);
        await sub.unsubscribe('news');
        await sub.pUnsubscribe();
        await sub.sUnsubscribe();
        expect(await client.publish('news', 'gone')).toBe(0);
      } finally {
        await sub.quit();
        await client.quit();
      }
    }
  });
});

/** A subscriber that stops reading after its confirmation; resolves with its socket. */
async function stalledSubscriber(port: number, channel: string): Promise<net.Socket> {
  const s = net.connect(port, '127.0.0.1');
  await new Promise<void>((res, rej) => {
    s.once('connect', () => res());
    s.once('error', rej);
  });
  s.on('error', () => undefined);
  await new Promise<void>((res) => {
    s.once('data', () => res());
    s.write(`*2\r\n$9\r\nSUBSCRIBE\r\n$${channel.length}\r\n${channel}\r\n`);
  });
  s.pause(); // stop reading: the server's writes pile up
  return s;
}

/** The number of subscribers of a channel (a stalled subscriber never sees its connection close, so ask the server). */
async function numsub(c: RespClient, channel: string): Promise<number> {
  return ((await c.call('PUBSUB', 'NUMSUB', channel)) as [string, number])[1];
}

/**
 * Publishes `size`-byte messages to `channel` until it has `until` subscribers left or `maxBytes`
 * are published; returns the bytes published.
 */
async function flood(pub: RespClient, channel: string, size: number, until: number, maxBytes: number): Promise<number> {
  const payload = 'x'.repeat(size);
  let sent = 0;
  while (sent < maxBytes && (await numsub(pub, channel)) > until) {
    await pub.call('PUBLISH', channel, payload);
    sent += size;
  }
  return sent;
}

describe('slow subscribers and client-output-buffer-limit pubsub', () => {
  for (const server of ['ours', 'redis'] as const) {
    test(`${server}: over the hard limit the subscriber is closed; a reading subscriber stays`, async () => {
      const node = server === 'ours' ? await startNode() : await startRedis();
      if (!node) return;
      const pub = await RespClient.connect(node.port);
      try {
        expect(await pub.call('CONFIG', 'SET', 'client-output-buffer-limit', 'pubsub 1mb 0 0')).toEqual({ simple: 'OK' });
        const slow = await stalledSubscriber(node.port, 'feed');
        const reader = await RespClient.connect(node.port);
        await reader.call('SUBSCRIBE', 'feed');
        let received = 0;
        const pump = async () => {
          while (!reader.closed) {
            try {
              await reader.next(60000);
              received++;
            } catch {
              return;
            }
          }
        };
        void pump();
        const sent = await flood(pub, 'feed', 64 * 1024, 1, 256 * 1024 * 1024);
        expect(sent).toBeLessThan(256 * 1024 * 1024);
        // the reading subscriber is still there and got every message
        expect(await pub.call('PUBSUB', 'NUMSUB', 'feed')).toEqual(['feed', 1]);
        await waitFor(() => received === sent / (64 * 1024), 'the reading subscriber to get every message');
        expect(reader.closed).toBe(false);
        reader.close();
        slow.destroy();
      } finally {
        pub.close();
        await node.stop();
      }
    });

    test(`${server}: over the soft limit for longer than its seconds the subscriber is closed`, async () => {
      const node = server === 'ours' ? await startNode() : await startRedis();
      if (!node) return;
      const pub = await RespClient.connect(node.port);
      try {
        expect(await pub.call('CONFIG', 'SET', 'client-output-buffer-limit', 'pubsub 0 512kb 1')).toEqual({ simple: 'OK' });
        const slow = await stalledSubscriber(node.port, 'feed');
        // fill the socket buffers and go over the soft limit (not the hard one: there is none)
        const started = Date.now();
        await flood(pub, 'feed', 64 * 1024, 0, 16 * 1024 * 1024);
        // then keep adding a little output (the limit is checked as output is added) until it is closed
        await waitFor(async () => {
          await pub.call('PUBLISH', 'feed', 'tick');
          return (await numsub(pub, 'feed')) === 0;
        }, 'the slow subscriber to be closed');
        // not at once: it stayed over the soft limit for more than one second first
        expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
        slow.destroy();
      } finally {
        pub.close();
        await node.stop();
      }
    });
  }
});

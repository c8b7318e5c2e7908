import { spawnSync } from 'child_process';
import { GlideClient } from '@valkey/valkey-glide';
import Redis from 'ioredis';
import { createClient } from 'redis';
import { RunningNode, startNode } from './nodes';

// The three client libraries and redis-cli, unchanged, against our node.
describe('real clients', () => {
  let node: RunningNode;
  beforeAll(async () => {
    node = await startNode();
  });
  afterAll(async () => {
    await node.stop();
  });

  test('ioredis: strings, pipelines', async () => {
    const r = new Redis({ port: node.port, host: '127.0.0.1', lazyConnect: true, maxRetriesPerRequest: 0 });
    await r.connect();
    try {
      await r.set('io:a', '1');
      const results = await r.pipeline().incr('io:a').incrby('io:a', 10).get('io:a').exec();
      expect(results?.map(([err, v]) => [err, v])).toEqual([[null, 2], [null, 12], [null, '12']]);
      expect(await r.mget('io:a', 'io:missing')).toEqual(['12', null]);
      expect(await r.setex('io:ttl', 100, 'x')).toBe('OK');
      await expect(r.incr('io:ttl')).rejects.toThrow('ERR value is not an integer or out of range');
    } finally {
      r.disconnect();
    }
  });

  test('node-redis over RESP2 and RESP3', async () => {
    for (const RESP of [2, 3] as const) {
      const c = createClient({ socket: { port: node.port, host: '127.0.0.1' }, RESP });
      await c.connect();
      try {
        expect(await c.ping()).toBe('PONG');
        expect(await c.set(`nr:${RESP}`, 'v', { EX: 60 })).toBe('OK');
        expect(await c.get(`nr:${RESP}`)).toBe('v');
        expect(await c.incrByFloat('nr:f', 1.5)).toBeDefined();
      } finally {
        await c.quit();
      }
    }
  });

  test('valkey-glide', async () => {
    const c = await GlideClient.createClient({ addresses: [{ host: '127.0.0.1', port: node.port }], requestTimeout: 5000 });
    try {
      expect(await c.set('glide:k', 'v')).toBe('OK');
      expect(await c.get('glide:k')).toBe('v');
      expect(await c.incr('glide:n')).toBe(1);
      expect(await c.ping()).toBe('PONG');
    } finally {
      c.close();
    }
  });

  test('redis-cli', () => {
    const cli = (...args: string[]) => spawnSync('redis-cli', ['-p', String(node.port), ...args], { encoding: 'utf8' });
    if (cli('PING').error) {
      // eslint-disable-next-line no-console
      console.log('SKIPPED redis-cli checks: redis-cli is not installed');
      return;
    }
    expect(cli('PING').stdout.trim()).toBe('PONG');
    expect(cli('SET', 'cli:k', 'hello world').stdout.trim()).toBe('OK');
    expect(cli('GET', 'cli:k').stdout.trim()).toBe('hello world');
    expect(cli('--no-raw', 'INCR', 'cli:n').stdout.trim()).toBe('(integer) 1');
    expect(cli('NOSUCH').stdout.trim()).toMatch(/ERR unknown command 'NOSUCH'/);
  });
});

import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import Redis from 'ioredis';
import { CLI, RunningNode, startNode, startNodeWithFile, waitFor } from './nodes';
import { RespClient } from './resp-client';

describe('cdk-elasticache server', () => {
  let node: RunningNode;
  beforeAll(async () => {
    node = await startNode();
  });
  afterAll(async () => {
    await node.stop();
  });

  test('logs readiness like valkey-server', () => {
    expect(node.output()).toMatch(/Ready to accept connections tcp/);
    expect(node.output()).toMatch(new RegExp(`Listening on 127.0.0.1 port ${node.port}`));
  });

  test('ioredis works unchanged', async () => {
    const r = new Redis({ port: node.port, host: '127.0.0.1', lazyConnect: true });
    await r.connect();
    try {
      expect(await r.ping()).toBe('PONG');
      expect(await r.set('greeting', 'hello')).toBe('OK');
      expect(await r.get('greeting')).toBe('hello');
      expect(await r.incr('counter')).toBe(1);
      expect(await r.incrby('counter', 41)).toBe(42);
    } finally {
      r.disconnect();
    }
  });

  test('binary-safe keys and values, pipelining and inline commands', async () => {
    const c = await RespClient.connect(node.port);
    const bin = Buffer.from([0, 1, 2, 255, 13, 10, 0x80]);
    expect(await c.call('SET', bin, bin)).toEqual({ simple: 'OK' });
    expect(await c.call('GET', bin)).toBe(bin.toString('latin1'));
    const replies = await c.sendMany('*3\r\n$3\r\nSET\r\n$1\r\np\r\n$1\r\n1\r\n*2\r\n$4\r\nINCR\r\n$1\r\np\r\nPING\r\n', 3);
    expect(replies).toEqual([{ simple: 'OK' }, 2, { simple: 'PONG' }]);
    expect(await c.send('GET "p"\r\n')).toBe('2');
    c.close();
  });

  test('protocol errors answer like Valkey and close the connection', async () => {
    const c = await RespClient.connect(node.port);
    expect(await c.send('*1\r\nfoo\r\n')).toEqual({ error: "ERR Protocol error: expected '$', got 'f'" });
    await c.waitClosed();
    const d = await RespClient.connect(node.port);
    expect(await d.send('SET "unbalanced x\r\n')).toEqual({ error: 'ERR Protocol error: unbalanced quotes in request' });
    await d.waitClosed();
  });

  test('command errors: unknown command, arity, wrong type', async () => {
    const c = await RespClient.connect(node.port);
    expect(await c.call('NOPE', 'a')).toEqual({ error: "ERR unknown command 'NOPE', with args beginning with: 'a' " });
    expect(await c.call('GET')).toEqual({ error: "ERR wrong number of arguments for 'get' command" });
    expect(await c.call('INCR', 'greeting')).toEqual({ error: 'ERR value is not an integer or out of range' });
    c.close();
  });

  test('SHUTDOWN stops the process cleanly', async () => {
    const other = await startNode();
    const c = await RespClient.connect(other.port);
    void c.call('SHUTDOWN').catch(() => undefined);
    await c.waitClosed();
    await waitFor(() => /ready to exit, bye bye/.test(other.output()), 'the shutdown log line');
    await other.stop();
  });
});

describe('start-up configuration', () => {
  test('config file and command line, valkey.conf syntax', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'node-conf-'));
    const file = path.join(dir, 'node.conf');
    fs.writeFileSync(file, '# a comment\nmaxmemory 10mb\nmaxmemory-policy allkeys-lru\nnotify-keyspace-events "Ex"\n');
    // the file first, then directives that override it
    const fromFile = await startNodeWithFile(file, ['--maxmemory', '20mb']);
    const c = await RespClient.connect(fromFile.port);
    try {
      expect(await c.call('CONFIG', 'GET', 'maxmemory')).toEqual(['maxmemory', String(20 * 1024 * 1024)]);
      expect(await c.call('CONFIG', 'GET', 'maxmemory-policy')).toEqual(['maxmemory-policy', 'allkeys-lru']);
      expect(await c.call('CONFIG', 'GET', 'notify-keyspace-events')).toEqual(['notify-keyspace-events', 'xE']);
    } finally {
      c.close();
      await fromFile.stop();
    }
  });

  test('an unknown directive stops start-up with its position and the reason', () => {
    const r = spawnSync(process.execPath, [CLI, 'server', '--port', '0', '--maxmemory', '20mb', '--shutdown-now-test', 'x'], { encoding: 'utf8', timeout: 20000 });
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/FATAL CONFIG FILE ERROR/);
    expect(r.stderr).toMatch(/option 3\n>>> 'shutdown-now-test x'\nBad directive or wrong number of arguments/);
  });

  test('a bad value names the line and the reason', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'node-conf-'));
    fs.writeFileSync(path.join(dir, 'bad.conf'), 'port 6390\nmaxmemory-policy sometimes\n');
    const r = spawnSync(process.execPath, [CLI, 'server', path.join(dir, 'bad.conf')], { encoding: 'utf8', timeout: 20000 });
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/at line 2\n>>> 'maxmemory-policy sometimes'\nArgument\(s\) must be one of the following: volatile-lru/);
  });

  test('CONFIG GET and SET at run time', async () => {
    const node = await startNode(['--maxmemory', '1mb', '--notify-keyspace-events', 'Ex']);
    const c = await RespClient.connect(node.port);
    try {
      expect(await c.call('CONFIG', 'GET', 'maxmemory')).toEqual(['maxmemory', '1048576']);
      expect(await c.call('CONFIG', 'SET', 'maxmemory-policy', 'allkeys-lru')).toEqual({ simple: 'OK' });
      expect(await c.call('CONFIG', 'GET', 'maxmemory-p*')).toEqual(['maxmemory-policy', 'allkeys-lru']);
      expect(await c.call('CONFIG', 'SET', 'port', '1')).toEqual({ error: "ERR CONFIG SET failed (possibly related to argument 'port') - can't set immutable config" });
      expect(await c.call('CONFIG', 'SET', 'nope', '1')).toEqual({ error: "ERR CONFIG SET failed (possibly related to argument 'nope') - Unknown option or number of arguments for CONFIG SET" });
    } finally {
      c.close();
      await node.stop();
    }
  });
});

import { rng } from './dataset';
import { Config } from '../../engine/server/config';
import { createServer, Server } from '../../engine/server/index';
import { Snapshot } from '../../engine/server/persistence/snapshot';
import { encodeValue, parseRdb, RdbWriter } from '../../engine/server/rdb';

/*
 * The copy-on-write walk against a model, in-process and fast: random commands (through the real
 * dispatch, so the `write` hook, in-place collection changes, FLUSHDB, SWAPDB, RENAME, expiries
 * run as in the node) interleave with walk slices of random sizes; the file must equal a
 * synchronous snapshot taken at the start, whatever the interleaving.
 */

type Canon = Record<string, string>;

function writeFile(server: Server, snap: Snapshot, between: () => void, rand: () => number): Buffer {
  const chunks: Buffer[] = [];
  const w = new RdbWriter((c) => chunks.push(Buffer.from(c)));
  let done = false;
  while (!done) {
    done = snap.step(w, {}, 1 + Math.floor(rand() * 6), Infinity, () => 0);
    if (!done) between();
  }
  void server;
  return Buffer.concat(chunks);
}

function canon(file: Buffer): Canon {
  const out: Canon = {};
  for (const [db, entries] of parseRdb(file).dbs) {
    for (const e of entries) {
      const k = `${db}:${e.key}`;
      if (out[k] !== undefined) throw new Error(`duplicate key ${k}`);
      out[k] = `${encodeValue(e.value).toString('hex')}@${e.expireAt ?? -1}`;
    }
  }
  return out;
}

function run(server: Server, argv: string[]): void {
  const c = run.client ??= server.fakeClient();
  c.db = server.dbs[run.db];
  const spec = server.commands.lookup(argv[0]);
  if (!spec) throw new Error(`no ${argv[0]}`);
  const full = spec.subcommands ? spec.subcommands.get(argv[1].toLowerCase()) ?? spec : spec;
  server.execute(c, full, argv);
  c.reply.take();
}
run.client = undefined as ReturnType<Server['fakeClient']> | undefined;
run.db = 0;

function randomCommand(rand: () => number, keys: number): string[] {
  const k = () => `k${Math.floor(rand() * keys)}`;
  const n = Math.floor(rand() * 14);
  switch (n) {
    case 0: return ['SET', k(), `v${Math.floor(rand() * 1000)}`];
    case 1: return ['DEL', k()];
    case 2: return ['RPUSH', `l${Math.floor(rand() * 8)}`, `e${Math.floor(rand() * 100)}`];
    case 3: return ['LPOP', `l${Math.floor(rand() * 8)}`];
    case 4: return ['HSET', `h${Math.floor(rand() * 8)}`, `f${Math.floor(rand() * 5)}`, `${rand()}`];
    case 5: return ['EXPIRE', k(), String(100 + Math.floor(rand() * 1000))];
    case 6: return ['PERSIST', k()];
    case 7: return ['RENAME', k(), k()];
    case 8: return ['SADD', `s${Math.floor(rand() * 8)}`, `m${Math.floor(rand() * 30)}`];
    case 9: return ['ZINCRBY', `z${Math.floor(rand() * 8)}`, '1', `m${Math.floor(rand() * 10)}`];
    case 10: return rand() < 0.1 ? ['FLUSHDB'] : ['SET', k(), 'x'];
    case 11: return rand() < 0.1 ? ['SWAPDB', '0', '1'] : ['INCR', `c${Math.floor(rand() * 8)}`];
    case 12: return ['SELECT', String(Math.floor(rand() * 3))];
    default: return ['APPEND', k(), 'y'];
  }
}

function populate(server: Server, rand: () => number, keys: number): void {
  for (let db = 0; db < 3; db++) {
    run.db = db;
    for (let i = 0; i < 200; i++) {
      const cmd = randomCommand(rand, keys);
      if (cmd[0] !== 'SELECT' && cmd[0] !== 'FLUSHDB' && cmd[0] !== 'SWAPDB') run(server, cmd);
    }
  }
  run.db = 0;
}

const CASES = Array.from({ length: 40 }, (_, i) => [i + 1, 1 + (i % 4)] as const);

describe('copy-on-write snapshot against a synchronous one', () => {
  test.each(CASES)('seed %i, %i hash passes: random writes between slices leave the file equal to the dataset at the start', (seed, passes) => {
    const server = createServer(new Config());
    const rand = rng(seed);
    const keys = 20 + Math.floor(rand() * 60);
    populate(server, rand, keys);
    const expected = canon(writeFile(server, new Snapshot(server.dbs, [], { passes: 1 }), () => undefined, rand));
    const snap = new Snapshot(server.dbs, [], { passes });
    snap.attach(server);
    let ops = 0;
    const file = writeFile(server, snap, () => {
      const burst = Math.floor(rand() * 8);
      for (let i = 0; i < burst; i++) {
        const cmd = randomCommand(rand, keys);
        if (cmd[0] === 'SELECT') run.db = Number(cmd[1]);
        else run(server, cmd);
        ops++;
      }
    }, rand);
    snap.detach();
    expect(server.beforeWrite).toBeUndefined();
    expect(ops).toBeGreaterThan(0);
    expect(canon(file)).toEqual(expected);
  });
});

describe('what a snapshot keeps while it runs', () => {
  test('a key the walk has written needs no copy when it changes; the written-keys record is one pass long', () => {
    const server = createServer(new Config());
    run.db = 0;
    for (let i = 0; i < 5000; i++) run(server, ['SET', `k${i}`, `v${i}`]);
    for (let i = 0; i < 50; i++) run(server, ['RPUSH', `l${i}`, 'a', 'b', 'c']);
    const expected = canon(writeFile(server, new Snapshot(server.dbs, [], { passes: 1 }), () => undefined, () => 0));
    const snap = new Snapshot(server.dbs, [], { passes: 4 });
    snap.attach(server);
    const chunks: Buffer[] = [];
    const w = new RdbWriter((c) => chunks.push(Buffer.from(c)));
    // past the first two passes (about 1260 keys each), in slices of 50 keys
    while (snap.keysProcessed < 2600) expect(snap.step(w, {}, 50, Infinity, () => 0)).toBe(false);
    w.flush();
    // what the file holds so far, closed with EOF and a zero checksum (not checked)
    const partial = parseRdb(Buffer.concat([...chunks, Buffer.from([0xff, 0, 0, 0, 0, 0, 0, 0, 0])]));
    const writtenKeys = partial.dbs.get(0)!.map((e) => e.key);
    expect(writtenKeys.length).toBe(2600);
    for (const k of writtenKeys) run(server, k.startsWith('l') ? ['RPUSH', k, 'later'] : ['SET', k, 'later']);
    // only keys of the running pass may have been copied (it cannot tell which of its keys it wrote)
    expect(snap.copies).toBeLessThan(400);
    for (let i = 0; i < 5000; i += 2) run(server, ['DEL', `k${i}`]);
    for (let i = 0; i < 100; i++) run(server, ['SET', `new${i}`, 'x']);
    let done = false;
    while (!done) done = snap.step(w, {}, 50, Infinity, () => 0);
    snap.detach();
    expect(canon(Buffer.concat(chunks))).toEqual(expected);
    // one pass's keys at a time, not the whole database's
    expect(snap.writtenPeak).toBeGreaterThan(1000);
    expect(snap.writtenPeak).toBeLessThan(1500);
    expect(snap.cowBytes).toBe(0);
  });
});

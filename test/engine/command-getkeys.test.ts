import { Differential, useDifferential } from './differential';

/*
 * COMMAND GETKEYS against redis-server: a numkeys that runs past the arguments (or is not a
 * count) gives no keys at all, as with Valkey's keynum key specs, so the reply is an error, or an
 * empty array for commands whose keys are optional (scripts). Commands with 3+ arguments only:
 * redis 7.0 wants at least one argument after the command name, Valkey does not.
 */
let d: Differential;
useDifferential((x) => (d = x));

test('COMMAND GETKEYS: numkeys commands, optional keys, keyword keys, and their errors', async () => {
  const cases = [
    'ZUNION 2 b', 'ZUNION 1 b', 'ZUNION 0 b', 'ZUNION x a', 'ZINTER 3 a b', 'ZDIFF 1 a b c',
    'ZUNIONSTORE d 2 a', 'ZUNIONSTORE d 1 a', 'ZDIFFSTORE d 2 a b', 'ZMPOP 1 a MIN', 'BZMPOP 0 1 a MIN',
    'EVAL x 2 a', 'EVAL x 0', 'EVAL x -1', 'EVAL x 1 a b', 'FCALL f 2 a', 'FCALL f 1 a',
    'LMPOP 2 a LEFT', 'LMPOP 2 a b LEFT', 'LMPOP 0 a', 'BLMPOP 0 3 a b', 'BLMPOP 0 2 a b LEFT',
    'SINTERCARD 3 a b', 'SINTERCARD 2 a b', 'SINTERCARD 2 a b LIMIT 1',
    'MIGRATE h p k 0 0 KEYS a b', "MIGRATE h p '' 0 0 KEYS a b", 'MIGRATE h p k 0 0',
    'SORT a STORE b', 'GEORADIUS a 0 0 1 km STORE b', 'XREADGROUP GROUP g c STREAMS a 0', 'XREAD STREAMS a b 0 0',
    'MSET a 1 b 2', 'SET a 1', 'NOSUCHCMD a b',
  ];
  await d.check(cases.map((c) => ['COMMAND', 'GETKEYS', ...c.split(' ').map((a) => (a === "''" ? '' : a))]));
});

import * as fc from 'fast-check';
import { Differential, useDifferentialResp2And3 } from './differential';

type Cmd = Array<string | number>;

let d: Differential;
let d3: Differential;
/** Runs the same commands in RESP2 and RESP3 against both servers. */
const both = useDifferentialResp2And3((resp2, resp3) => {
  d = resp2;
  d3 = resp3;
});

const SICILY: Cmd = ['GEOADD', 'Sicily', 13.361389, 38.115556, 'Palermo', 15.087269, 37.502669, 'Catania', 12.758489, 38.788135, 'edge1', 17.241510, 38.788135, 'edge2'];

describe('geo commands, differential against redis-server 7.0', () => {
  test('GEOADD scores, GEOPOS, GEODIST and GEOHASH', async () => {
    await both([
      ['FLUSHALL'],
      SICILY,
      ['ZRANGE', 'Sicily', 0, -1, 'WITHSCORES'],
      ['ZSCORE', 'Sicily', 'Palermo'],
      ['GEOPOS', 'Sicily', 'Palermo', 'Catania', 'nope'],
      ['GEOPOS', 'nokey', 'a'],
      ['GEODIST', 'Sicily', 'Palermo', 'Catania'],
      ['GEODIST', 'Sicily', 'Palermo', 'Catania', 'km'],
      ['GEODIST', 'Sicily', 'Palermo', 'Catania', 'MI'],
      ['GEODIST', 'Sicily', 'Palermo', 'Catania', 'ft'],
      ['GEODIST', 'Sicily', 'Palermo', 'Catania', 'yards'],
      ['GEODIST', 'Sicily', 'Palermo', 'Catania', 'km', 'extra'],
      ['GEODIST', 'Sicily', 'Palermo', 'nope'],
      ['GEODIST', 'nokey', 'a', 'b'],
      ['GEODIST', 'Sicily', 'Palermo', 'Palermo'],
      ['GEOHASH', 'Sicily', 'Palermo', 'Catania', 'nope'],
      ['GEOHASH', 'nokey', 'a'],
      ['GEOADD', 'Sicily', 'NX', 13.361389, 38.115556, 'Palermo', 1, 1, 'new'],
      ['GEOADD', 'Sicily', 'XX', 'CH', 13.5, 38.2, 'Palermo', 2, 2, 'other'],
      ['GEOADD', 'Sicily', 'CH', 13.5, 38.2, 'Palermo', 13.6, 38.3, 'Palermo'],
      ['GEOADD', 'Sicily', 'NX', 'XX', 1, 1, 'a'],
      ['GEOADD', 'Sicily', 1, 1],
      ['GEOADD', 'Sicily', 200, 1, 'bad'],
      ['GEOADD', 'Sicily', 1, 86, 'bad'],
      ['GEOADD', 'Sicily', 'x', 1, 'bad'],
      ['GEOADD', 'Sicily', 'CH', 'CH', 'CH'],
      ['GEOADD', 'poles', 180, 85.05112878, 'ne', -180, -85.05112878, 'sw', 0, 0, 'origin', -0.0001, 0.0001, 'near'],
      ['GEOPOS', 'poles', 'ne', 'sw', 'origin', 'near'],
      ['GEOHASH', 'poles', 'ne', 'sw', 'origin', 'near'],
      ['GEODIST', 'poles', 'ne', 'sw'],
      ['GEODIST', 'poles', 'origin', 'near'],
      ['SET', 'str', 'x'],
      ['GEOADD', 'str', 1, 1, 'a'],
      ['GEOPOS', 'str', 'a'],
    ]);
  });

  test('GEOSEARCH and GEOSEARCHSTORE', async () => {
    await both([
      ['FLUSHALL'],
      SICILY,
      ['GEOSEARCH', 'Sicily', 'FROMLONLAT', 15, 37, 'BYRADIUS', 200, 'km', 'ASC'],
      ['GEOSEARCH', 'Sicily', 'FROMLONLAT', 15, 37, 'BYRADIUS', 200, 'km'],
      ['GEOSEARCH', 'Sicily', 'FROMLONLAT', 15, 37, 'BYRADIUS', 200, 'km', 'DESC', 'WITHCOORD', 'WITHDIST', 'WITHHASH'],
      ['GEOSEARCH', 'Sicily', 'FROMLONLAT', 15, 37, 'BYBOX', 400, 400, 'km', 'ASC', 'WITHCOORD', 'WITHDIST'],
      ['GEOSEARCH', 'Sicily', 'FROMMEMBER', 'Palermo', 'BYRADIUS', 300, 'mi', 'WITHDIST', 'COUNT', 2],
      ['GEOSEARCH', 'Sicily', 'FROMMEMBER', 'Palermo', 'BYRADIUS', 300, 'mi', 'COUNT', 1, 'ANY'],
      ['GEOSEARCH', 'Sicily', 'FROMMEMBER', 'Palermo', 'BYBOX', 1000000, 500000, 'ft', 'WITHDIST'],
      ['GEOSEARCH', 'Sicily', 'FROMMEMBER', 'nope', 'BYRADIUS', 1, 'km'],
      ['GEOSEARCH', 'Sicily', 'FROMMEMBER', 'Palermo', 'BYRADIUS', 0, 'm'],
      ['GEOSEARCH', 'Sicily', 'FROMMEMBER', 'Palermo', 'FROMLONLAT', 1, 1, 'BYRADIUS', 1, 'km'],
      ['GEOSEARCH', 'Sicily', 'BYRADIUS', 1, 'km', 'BYBOX', 1, 1, 'km'],
      ['GEOSEARCH', 'Sicily', 'FROMLONLAT', 15, 37, 'ASC', 'ASC'],
      ['GEOSEARCH', 'Sicily', 'BYRADIUS', 1, 'km', 'ASC'],
      ['GEOSEARCH', 'Sicily', 'FROMLONLAT', 15, 37, 'BYRADIUS', -1, 'km'],
      ['GEOSEARCH', 'Sicily', 'FROMLONLAT', 15, 37, 'BYRADIUS', 'x', 'km'],
      ['GEOSEARCH', 'Sicily', 'FROMLONLAT', 15, 37, 'BYRADIUS', 1, 'parsec'],
      ['GEOSEARCH', 'Sicily', 'FROMLONLAT', 15, 37, 'BYBOX', -1, 1, 'km'],
      ['GEOSEARCH', 'Sicily', 'FROMLONLAT', 15, 37, 'BYBOX', 'w', 1, 'km'],
      ['GEOSEARCH', 'Sicily', 'FROMLONLAT', 15, 37, 'BYBOX', 1, 'h', 'km'],
      ['GEOSEARCH', 'Sicily', 'FROMLONLAT', 15, 37, 'BYRADIUS', 1, 'km', 'COUNT', 0],
      ['GEOSEARCH', 'Sicily', 'FROMLONLAT', 15, 37, 'BYRADIUS', 1, 'km', 'COUNT', 'x'],
      ['GEOSEARCH', 'Sicily', 'FROMLONLAT', 15, 37, 'BYRADIUS', 1, 'km', 'ANY'],
      ['GEOSEARCH', 'Sicily', 'FROMLONLAT', 15, 37, 'BYRADIUS', 1, 'km', 'STORE', 'x'],
      ['GEOSEARCH', 'Sicily', 'FROMLONLAT', 200, 37, 'BYRADIUS', 1, 'km'],
      ['GEOSEARCH', 'nokey', 'FROMMEMBER', 'x', 'BYRADIUS', 1, 'km'],
      ['GEOSEARCH', 'nokey', 'FROMLONLAT', 1, 1, 'BYRADIUS', 1, 'km'],
      ['GEOSEARCHSTORE', 'dst', 'Sicily', 'FROMLONLAT', 15, 37, 'BYRADIUS', 200, 'km'],
      ['ZRANGE', 'dst', 0, -1, 'WITHSCORES'],
      ['GEOSEARCHSTORE', 'dst', 'Sicily', 'FROMLONLAT', 15, 37, 'BYRADIUS', 200, 'km', 'STOREDIST', 'DESC', 'COUNT', 1],
      ['ZRANGE', 'dst', 0, -1, 'WITHSCORES'],
      ['GEOSEARCHSTORE', 'dst', 'Sicily', 'FROMLONLAT', 15, 37, 'BYRADIUS', 200, 'km', 'WITHDIST'],
      ['GEOSEARCHSTORE', 'dst', 'Sicily', 'FROMLONLAT', 1, 1, 'BYRADIUS', 1, 'km'],
      ['ZCARD', 'dst'],
      ['GEOSEARCHSTORE', 'dst', 'nokey', 'FROMLONLAT', 1, 1, 'BYRADIUS', 1, 'km'],
    ]);
  });

  test('GEORADIUS and GEORADIUSBYMEMBER (and _RO)', async () => {
    await both([
      ['FLUSHALL'],
      SICILY,
      ['GEORADIUS', 'Sicily', 15, 37, 200, 'km', 'WITHDIST', 'WITHCOORD', 'ASC'],
      ['GEORADIUS', 'Sicily', 15, 37, 200, 'km', 'WITHHASH', 'COUNT', 1],
      ['GEORADIUS', 'Sicily', 15, 37, 200, 'km'],
      ['GEORADIUS', 'Sicily', 15, 37, 200, 'km', 'STORE', 'r1'],
      ['ZRANGE', 'r1', 0, -1, 'WITHSCORES'],
      ['GEORADIUS', 'Sicily', 15, 37, 200, 'km', 'STOREDIST', 'r2'],
      ['ZRANGE', 'r2', 0, -1, 'WITHSCORES'],
      ['GEORADIUS', 'Sicily', 15, 37, 200, 'km', 'STORE', 'r1', 'WITHDIST'],
      ['GEORADIUS', 'Sicily', 15, 37, 1, 'm', 'STORE', 'r1'],
      ['ZCARD', 'r1'],
      ['GEORADIUS_RO', 'Sicily', 15, 37, 200, 'km', 'STORE', 'r1'],
      ['GEORADIUS_RO', 'Sicily', 15, 37, 200, 'km', 'DESC'],
      ['GEORADIUSBYMEMBER', 'Sicily', 'Palermo', 100, 'km', 'WITHDIST'],
      ['GEORADIUSBYMEMBER', 'Sicily', 'nope', 100, 'km'],
      ['GEORADIUSBYMEMBER', 'nokey', 'nope', 100, 'km'],
      ['GEORADIUSBYMEMBER', 'nokey', 'nope', 100, 'km', 'STORE', 'r3'],
      ['GEORADIUSBYMEMBER_RO', 'Sicily', 'Catania', 500, 'km', 'WITHCOORD', 'COUNT', 2, 'DESC'],
      ['GEORADIUS', 'Sicily', 15, 37, 200, 'km', 'FROMMEMBER', 'x'],
      ['GEORADIUS', 'nokey', 15, 37, 200, 'km'],
    ]);
  });

  test('randomized points and searches match (seeded)', async () => {
    const point = fc.tuple(fc.double({ min: -20, max: 20, noNaN: true }), fc.double({ min: 30, max: 60, noNaN: true }));
    const search = fc.tuple(
      point,
      fc.integer({ min: 1, max: 3000 }),
      fc.constantFrom('m', 'km', 'mi', 'ft'),
      fc.boolean(),
      fc.constantFrom('', 'ASC', 'DESC'),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(point, { minLength: 1, maxLength: 60 }), fc.array(search, { minLength: 1, maxLength: 6 }), async (points, found) => {
        const searches = found;
        const add: Cmd = ['GEOADD', 'g'];
        points.forEach(([lon, lat], i) => add.push(lon.toFixed(6), lat.toFixed(6), `p${i}`));
        const cmds: Cmd[] = [['FLUSHALL'], add, ['ZRANGE', 'g', 0, -1, 'WITHSCORES'], ['GEOPOS', 'g', 'p0', `p${points.length - 1}`]];
        for (const [[lon, lat], r, unit, box, order] of searches) {
          const shape = box ? ['BYBOX', r, r / 2, unit] : ['BYRADIUS', r, unit];
          const opts = order ? [order] : [];
          cmds.push(['GEOSEARCH', 'g', 'FROMLONLAT', lon.toFixed(5), lat.toFixed(5), ...shape, ...opts, 'WITHDIST', 'WITHCOORD', 'WITHHASH']);
          cmds.push(['GEODIST', 'g', 'p0', `p${points.length - 1}`, unit]);
        }
        await d.check(cmds);
        await d3.check(cmds.slice(0, 6));
      }),
      { seed: 424242, numRuns: 40 },
    );
  }, 120000);
});

import type { Client } from '../client';
import { command, CommandError, CommandSpec, Errors } from './command';
import { readObject } from './keyspace';
import { zsetCommands, storeZset } from './zset';
import { parseScore } from './zset-args';
import { ZSet } from '../types/zset';

/**
 * Geo commands over sorted sets: a position is stored as the score of its member, a 52-bit
 * geohash interleaving 26 bits of latitude (even bits) and 26 of longitude (odd bits) over
 * Valkey's Mercator-safe ranges, so scores are the same as Valkey's bit for bit.
 */

const LONG_MIN = -180;
const LONG_MAX = 180;
const LAT_MIN = -85.05112878;
const LAT_MAX = 85.05112878;
const STEP_MAX = 26;
const EARTH_RADIUS = 6372797.560856;
const MERCATOR_MAX = 20037726.37;
const D_R = Math.PI / 180.0;
const TWO_26 = 67108864;

interface Range {
  min: number;
  max: number;
}
const LONG_RANGE: Range = { min: LONG_MIN, max: LONG_MAX };
const LAT_RANGE: Range = { min: LAT_MIN, max: LAT_MAX };
/** The standard geohash ranges GEOHASH answers with. */
const LONG_STD: Range = { min: -180, max: 180 };
const LAT_STD: Range = { min: -90, max: 90 };

/** Spreads the bits of a 16-bit value to the even positions of a 32-bit value. */
function spread16(v: number): number {
  v = (v | (v << 8)) & 0x00ff00ff;
  v = (v | (v << 4)) & 0x0f0f0f0f;
  v = (v | (v << 2)) & 0x33333333;
  v = (v | (v << 1)) & 0x55555555;
  return v >>> 0;
}

/** Gathers the even bits of a 32-bit value. */
function compact32(v: number): number {
  v &= 0x55555555;
  v = (v | (v >>> 1)) & 0x33333333;
  v = (v | (v >>> 2)) & 0x0f0f0f0f;
  v = (v | (v >>> 4)) & 0x00ff00ff;
  v = (v | (v >>> 8)) & 0x0000ffff;
  return v;
}

/** Spreads an up-to-27-bit value to the even bits of a (up to 54-bit) number. */
function spread(x: number): number {
  return spread16(Math.floor(x / 8192)) * TWO_26 + spread16(x % 8192);
}

/** Interleaves: latitude bits at even positions, longitude at odd ones. */
function interleave(lat: number, lon: number): number {
  return spread(lat) + 2 * spread(lon);
}

/** Splits interleaved bits back into [lat, lon]. */
function deinterleave(bits: number): [number, number] {
  const hi = Math.floor(bits / TWO_26);
  const lo = bits % TWO_26;
  const lat = compact32(lo) + compact32(hi) * 8192;
  const lon = compact32(Math.floor(lo / 2)) + compact32(Math.floor(hi / 2)) * 8192;
  return [lat, lon];
}

interface Hash {
  bits: number;
  step: number;
}

function encode(lonR: Range, latR: Range, lon: number, lat: number, step: number): Hash {
  let latOff = (lat - latR.min) / (latR.max - latR.min);
  let lonOff = (lon - lonR.min) / (lonR.max - lonR.min);
  latOff *= 2 ** step;
  lonOff *= 2 ** step;
  return { bits: interleave(Math.trunc(latOff), Math.trunc(lonOff)), step };
}

interface Area {
  lonMin: number;
  lonMax: number;
  latMin: number;
  latMax: number;
}

function decode(lonR: Range, latR: Range, h: Hash): Area {
  const [ilat, ilon] = deinterleave(h.bits);
  const latScale = latR.max - latR.min;
  const lonScale = lonR.max - lonR.min;
  const div = 2 ** h.step;
  return {
    latMin: latR.min + ((ilat * 1.0) / div) * latScale,
    latMax: latR.min + (((ilat + 1) * 1.0) / div) * latScale,
    lonMin: lonR.min + ((ilon * 1.0) / div) * lonScale,
    lonMax: lonR.min + (((ilon + 1) * 1.0) / div) * lonScale,
  };
}

/** The [lon, lat] center of a member's 52-bit cell (what GEOPOS answers). */
export function decodeScore(score: number): [number, number] {
  const a = decode(LONG_RANGE, LAT_RANGE, { bits: score, step: STEP_MAX });
  let lon = (a.lonMin + a.lonMax) / 2;
  let lat = (a.latMin + a.latMax) / 2;
  if (lon > LONG_MAX) lon = LONG_MAX;
  if (lon < LONG_MIN) lon = LONG_MIN;
  if (lat > LAT_MAX) lat = LAT_MAX;
  if (lat < LAT_MIN) lat = LAT_MIN;
  return [lon, lat];
}

/** The score GEOADD stores for a position. */
export function encodeScore(lon: number, lat: number): number {
  return encode(LONG_RANGE, LAT_RANGE, lon, lat, STEP_MAX).bits;
}

function degRad(a: number): number {
  return a * D_R;
}
function radDeg(a: number): number {
  return a / D_R;
}

function latDistance(lat1: number, lat2: number): number {
  return EARTH_RADIUS * Math.abs(degRad(lat2) - degRad(lat1));
}

/** Haversine distance in meters, as Valkey computes it. */
export function distance(lon1: number, lat1: number, lon2: number, lat2: number): number {
  const lon1r = degRad(lon1);
  const lon2r = degRad(lon2);
  const v = Math.sin((lon2r - lon1r) / 2);
  if (v === 0.0) return latDistance(lat1, lat2);
  const lat1r = degRad(lat1);
  const lat2r = degRad(lat2);
  const u = Math.sin((lat2r - lat1r) / 2);
  const a = u * u + Math.cos(lat1r) * Math.cos(lat2r) * v * v;
  return 2.0 * EARTH_RADIUS * Math.asin(Math.sqrt(a));
}

/** A search shape: a circle (radius) or a box (width, height), in the unit of `conversion` meters. */
interface Shape {
  lon: number;
  lat: number;
  conversion: number;
  box: boolean;
  radius: number;
  width: number;
  height: number;
}

function boundingBox(s: Shape): [number, number, number, number] {
  const height = s.conversion * (s.box ? s.height / 2 : s.radius);
  const width = s.conversion * (s.box ? s.width / 2 : s.radius);
  const latDelta = radDeg(height / EARTH_RADIUS);
  const lonDeltaTop = radDeg(width / EARTH_RADIUS / Math.cos(degRad(s.lat + latDelta)));
  const lonDeltaBottom = radDeg(width / EARTH_RADIUS / Math.cos(degRad(s.lat - latDelta)));
  const south = s.lat < 0;
  const lonDelta = south ? lonDeltaBottom : lonDeltaTop;
  return [s.lon - lonDelta, s.lat - latDelta, s.lon + lonDelta, s.lat + latDelta];
}

function estimateSteps(rangeMeters: number, lat: number): number {
  if (rangeMeters === 0) return 26;
  let step = 1;
  while (rangeMeters < MERCATOR_MAX) {
    rangeMeters *= 2;
    step++;
  }
  step -= 2;
  if (lat > 66 || lat < -66) {
    step--;
    if (lat > 80 || lat < -80) step--;
  }
  if (step < 1) step = 1;
  if (step > 26) step = 26;
  return step;
}

/** Moves a hash by dLon / dLat cells (wrapping as Valkey's bit arithmetic does). */
function move(h: Hash, dLon: number, dLat: number): Hash {
  const [lat, lon] = deinterleave(h.bits);
  const m = 2 ** h.step;
  return { bits: interleave((lat + dLat + m) % m, (lon + dLon + m) % m), step: h.step };
}

/** The cells to scan, in Valkey's order: center, N, S, E, W, NE, NW, SE, SW (null = excluded). */
function searchAreas(s: Shape): Array<Hash | null> {
  const [minLon, minLat, maxLon, maxLat] = boundingBox(s);
  const radiusMeters = (s.box ? Math.sqrt((s.width / 2) * (s.width / 2) + (s.height / 2) * (s.height / 2)) : s.radius) * s.conversion;
  let steps = estimateSteps(radiusMeters, s.lat);
  let hash = encode(LONG_RANGE, LAT_RANGE, s.lon, s.lat, steps);
  let n = neighbors(hash);
  let area = decode(LONG_RANGE, LAT_RANGE, hash);
  const north = decode(LONG_RANGE, LAT_RANGE, n[0]);
  const south = decode(LONG_RANGE, LAT_RANGE, n[1]);
  const east = decode(LONG_RANGE, LAT_RANGE, n[2]);
  const west = decode(LONG_RANGE, LAT_RANGE, n[3]);
  const decrease = north.latMax < maxLat || south.latMin > minLat || east.lonMax < maxLon || west.lonMin > minLon;
  if (steps > 1 && decrease) {
    steps--;
    hash = encode(LONG_RANGE, LAT_RANGE, s.lon, s.lat, steps);
    n = neighbors(hash);
    area = decode(LONG_RANGE, LAT_RANGE, hash);
  }
  // n: north, south, east, west, north_east, north_west, south_east, south_west
  const cells: Array<Hash | null> = [hash, ...n];
  if (steps >= 2) {
    if (area.latMin < minLat) cells[2] = cells[7] = cells[8] = null;
    if (area.latMax > maxLat) cells[1] = cells[5] = cells[6] = null;
    if (area.lonMin < minLon) cells[4] = cells[8] = cells[6] = null;
    if (area.lonMax > maxLon) cells[3] = cells[7] = cells[5] = null;
  }
  return cells;
}

function neighbors(h: Hash): Hash[] {
  return [move(h, 0, 1), move(h, 0, -1), move(h, 1, 0), move(h, -1, 0), move(h, 1, 1), move(h, -1, 1), move(h, 1, -1), move(h, -1, -1)];
}

interface GeoPoint {
  member: string;
  score: number;
  lon: number;
  lat: number;
  dist: number;
}

/** Distance from the shape's center if the point is inside the shape, else -1. */
function withinShape(s: Shape, lon: number, lat: number): number {
  if (!s.box) {
    const d = distance(s.lon, s.lat, lon, lat);
    return d > s.radius * s.conversion ? -1 : d;
  }
  const w = s.width * s.conversion;
  const h = s.height * s.conversion;
  if (latDistance(lat, s.lat) > h / 2) return -1;
  if (distance(lon, lat, s.lon, lat) > w / 2) return -1;
  return distance(s.lon, s.lat, lon, lat);
}

function membersInShape(z: ZSet, s: Shape, limit: number): GeoPoint[] {
  const out: GeoPoint[] = [];
  const cells = searchAreas(s);
  let last = -1;
  for (let i = 0; i < cells.length; i++) {
    const cell = cells[i];
    if (!cell) continue;
    if (last > 0 && cells[last]!.bits === cell.bits && cells[last]!.step === cell.step) continue;
    last = i;
    const shift = 2 ** (52 - cell.step * 2);
    const min = cell.bits * shift;
    const max = (cell.bits + 1) * shift;
    for (let n = z.firstInScore({ min, max, minex: false, maxex: true }); n && n.score < max; n = n.next[0]) {
      if (limit > 0 && out.length >= limit) break;
      const [lon, lat] = decodeScore(n.score);
      const d = withinShape(s, lon, lat);
      if (d < 0) continue;
      out.push({ member: n.member, score: n.score, lon, lat, dist: d });
    }
  }
  return out;
}

// ---------------------------------------------------------------- argument helpers

function coordArg(s: string): number {
  const v = parseScore(s);
  if (v === undefined) throw new CommandError(Errors.notFloat);
  return v;
}

function fmtF(v: number): string {
  if (v === Infinity) return 'inf';
  if (v === -Infinity) return '-inf';
  return v.toFixed(6);
}

function lonLatArgs(argv: readonly string[], at: number): [number, number] {
  const lon = coordArg(argv[at]);
  const lat = coordArg(argv[at + 1]);
  if (lon < LONG_MIN || lon > LONG_MAX || lat < LAT_MIN || lat > LAT_MAX) {
    throw new CommandError(`ERR invalid longitude,latitude pair ${fmtF(lon)},${fmtF(lat)}`);
  }
  return [lon, lat];
}

function unitArg(u: string): number {
  switch (u.toLowerCase()) {
    case 'm':
      return 1;
    case 'km':
      return 1000;
    case 'ft':
      return 0.3048;
    case 'mi':
      return 1609.34;
    default:
      throw new CommandError('ERR unsupported unit provided. please use M, KM, FT, MI');
  }
}

function distanceArgs(argv: readonly string[], at: number, s: Shape): void {
  const d = parseScore(argv[at]);
  if (d === undefined) throw new CommandError('ERR need numeric radius');
  if (d < 0) throw new CommandError('ERR radius cannot be negative');
  s.conversion = unitArg(argv[at + 1]);
  s.radius = d;
  s.box = false;
}

function boxArgs(argv: readonly string[], at: number, s: Shape): void {
  const w = parseScore(argv[at]);
  if (w === undefined) throw new CommandError('ERR need numeric width');
  const h = parseScore(argv[at + 1]);
  if (h === undefined) throw new CommandError('ERR need numeric height');
  if (h < 0 || w < 0) throw new CommandError('ERR height or width cannot be negative');
  s.conversion = unitArg(argv[at + 2]);
  s.width = w;
  s.height = h;
  s.box = true;
}

/** %.17Lf with trailing zeros removed (Valkey's "human" long double). */
function human(v: number): string {
  let s = v.toFixed(17);
  if (s.includes('.')) s = s.replace(/0+$/, '').replace(/\.$/, '');
  return s === '-0' ? '0' : s;
}

function distText(d: number): string {
  return d.toFixed(4);
}

function readZsetGeo(c: Client, key: string): ZSet | undefined {
  return readObject<ZSet>(c, key, 'zset');
}

function memberPos(z: ZSet | undefined, member: string): [number, number] | undefined {
  const s = z?.score(member);
  return s === undefined ? undefined : decodeScore(s);
}

// ---------------------------------------------------------------- commands

const zadd = zsetCommands.find((s) => s.name === 'zadd')!;

function geoadd(c: Client, argv: string[]): void {
  let nx = false;
  let xx = false;
  let idx = 2;
  for (; idx < argv.length; idx++) {
    const o = argv[idx].toLowerCase();
    if (o === 'nx') nx = true;
    else if (o === 'xx') xx = true;
    else if (o !== 'ch') break;
  }
  if ((argv.length - idx) % 3 !== 0 || (xx && nx)) throw new CommandError(Errors.syntax);
  const zargv = argv.slice(0, idx);
  zargv[0] = 'zadd';
  for (let i = idx; i < argv.length; i += 3) {
    const [lon, lat] = lonLatArgs(argv, i);
    zargv.push(String(encodeScore(lon, lat)), argv[i + 2]);
  }
  zadd.handler(c, zargv);
}

function geopos(c: Client, argv: string[]): void {
  const z = readZsetGeo(c, argv[1]);
  c.reply.array(argv.length - 2);
  for (let i = 2; i < argv.length; i++) {
    const p = memberPos(z, argv[i]);
    if (!p) {
      c.reply.nilArray();
      continue;
    }
    c.reply.array(2);
    c.reply.doubleText(human(p[0]));
    c.reply.doubleText(human(p[1]));
  }
}

function geodist(c: Client, argv: string[]): void {
  let toMeter = 1;
  if (argv.length === 5) toMeter = unitArg(argv[4]);
  else if (argv.length > 5) throw new CommandError(Errors.syntax);
  const z = readZsetGeo(c, argv[1]);
  const a = memberPos(z, argv[2]);
  const b = memberPos(z, argv[3]);
  if (!a || !b) return c.reply.nil();
  c.reply.bulk(distText(distance(a[0], a[1], b[0], b[1]) / toMeter));
}

const GEOALPHABET = '0123456789bcdefghjkmnpqrstuvwxyz';

function geohash(c: Client, argv: string[]): void {
  const z = readZsetGeo(c, argv[1]);
  c.reply.array(argv.length - 2);
  for (let i = 2; i < argv.length; i++) {
    const p = memberPos(z, argv[i]);
    if (!p) {
      c.reply.nil();
      continue;
    }
    const bits = encode(LONG_STD, LAT_STD, p[0], p[1], STEP_MAX).bits;
    let s = '';
    for (let j = 0; j < 11; j++) {
      const idx = j === 10 ? 0 : Math.floor(bits / 2 ** (52 - (j + 1) * 5)) % 32;
      s += GEOALPHABET[idx];
    }
    c.reply.bulk(s);
  }
}

const RADIUS_COORDS = 1;
const RADIUS_MEMBER = 2;
const NOSTORE = 4;
const GEOSEARCH = 8;
const GEOSEARCHSTORE = 16;

function georadiusGeneric(c: Client, argv: string[], srcIdx: number, flags: number): void {
  const z = readZsetGeo(c, argv[srcIdx]);
  const shape: Shape = { lon: 0, lat: 0, conversion: 1, box: false, radius: 0, width: 0, height: 0 };
  let base: number;
  if (flags & RADIUS_COORDS) {
    base = 6;
    [shape.lon, shape.lat] = lonLatArgs(argv, 2);
    distanceArgs(argv, base - 2, shape);
  } else if (flags & RADIUS_MEMBER && !z) {
    base = 5;
  } else if (flags & RADIUS_MEMBER) {
    base = 5;
    const p = memberPos(z, argv[2]);
    if (!p) throw new CommandError('ERR could not decode requested zset member');
    [shape.lon, shape.lat] = p;
    distanceArgs(argv, base - 2, shape);
  } else {
    base = flags & GEOSEARCHSTORE ? 3 : 2;
  }
  let withDist = false;
  let withHash = false;
  let withCoord = false;
  let fromMember = false;
  let fromLoc = false;
  let byRadius = false;
  let byBox = false;
  let sort = 0; // 1 asc, 2 desc
  let any = false;
  let count = 0;
  let storeKey: string | undefined;
  let storeDist = false;
  const remaining = argv.length - base;
  for (let i = 0; i < remaining; i++) {
    const arg = argv[base + i].toLowerCase();
    if (arg === 'withdist') {withDist = true;} else if (arg === 'withhash') {withHash = true;} else if (arg === 'withcoord') {withCoord = true;} else if (arg === 'any') {any = true;} else if (arg === 'asc') {sort = 1;} else if (arg === 'desc') {sort = 2;} else if (arg === 'count' && i + 1 < remaining) {
      const v = Number(argv[base + i + 1]);
      if (!/^-?\d+$/.test(argv[base + i + 1]) || !Number.isSafeInteger(v)) throw new CommandError(Errors.notInteger);
      if (v <= 0) throw new CommandError('ERR COUNT must be > 0');
      count = v;
      i++;
    } else if ((arg === 'store' || arg === 'storedist') && i + 1 < remaining && !(flags & NOSTORE) && !(flags & GEOSEARCH)) {
      storeKey = argv[base + i + 1];
      storeDist = arg === 'storedist';
      i++;
    } else if (arg === 'storedist' && flags & GEOSEARCH && flags & GEOSEARCHSTORE) {
      storeDist = true;
    } else if (arg === 'frommember' && i + 1 < remaining && flags & GEOSEARCH && !fromLoc) {
      if (z) {
        const p = memberPos(z, argv[base + i + 1]);
        if (!p) throw new CommandError('ERR could not decode requested zset member');
        [shape.lon, shape.lat] = p;
      }
      fromMember = true;
      i++;
    } else if (arg === 'fromlonlat' && i + 2 < remaining && flags & GEOSEARCH && !fromMember) {
      [shape.lon, shape.lat] = lonLatArgs(argv, base + i + 1);
      fromLoc = true;
      i += 2;
    } else if (arg === 'byradius' && i + 2 < remaining && flags & GEOSEARCH && !byBox) {
      distanceArgs(argv, base + i + 1, shape);
      byRadius = true;
      i += 2;
    } else if (arg === 'bybox' && i + 3 < remaining && flags & GEOSEARCH && !byRadius) {
      boxArgs(argv, base + i + 1, shape);
      byBox = true;
      i += 3;
    } else {
      throw new CommandError(Errors.syntax);
    }
  }
  if (flags & GEOSEARCHSTORE) storeKey = argv[1];
  if (storeKey !== undefined && (withDist || withHash || withCoord)) {
    const what = flags & GEOSEARCHSTORE ? 'GEOSEARCHSTORE' : 'STORE option in GEORADIUS';
    throw new CommandError(`ERR ${what} is not compatible with WITHDIST, WITHHASH and WITHCOORD options`);
  }
  if (flags & GEOSEARCH && !(fromMember || fromLoc)) {
    throw new CommandError(`ERR exactly one of FROMMEMBER or FROMLONLAT can be specified for ${argv[0]}`);
  }
  if (flags & GEOSEARCH && !(byRadius || byBox)) {
    throw new CommandError(`ERR exactly one of BYRADIUS and BYBOX can be specified for ${argv[0]}`);
  }
  if (any && !count) throw new CommandError('ERR the ANY argument requires COUNT argument');
  if (!z) {
    if (storeKey !== undefined) {
      if (c.db.delete(storeKey)) c.server.notify('g', 'del', storeKey, c.db);
      c.reply.int(0);
    } else {
      c.reply.array(0);
    }
    return;
  }
  if (count !== 0 && sort === 0 && !any) sort = 1;
  const found = membersInShape(z, shape, any ? count : 0);
  if (found.length === 0 && storeKey === undefined) return c.reply.array(0);
  const returned = count === 0 || found.length < count ? found.length : count;
  if (sort === 1) found.sort((a, b) => (a.dist > b.dist ? 1 : a.dist < b.dist ? -1 : 0));
  else if (sort === 2) found.sort((a, b) => (a.dist < b.dist ? 1 : a.dist > b.dist ? -1 : 0));
  if (storeKey === undefined) {
    const options = (withDist ? 1 : 0) + (withHash ? 1 : 0) + (withCoord ? 1 : 0);
    const r = c.reply;
    r.array(returned);
    for (let i = 0; i < returned; i++) {
      const p = found[i];
      if (options) r.array(options + 1);
      r.bulk(p.member);
      if (withDist) r.bulk(distText(p.dist / shape.conversion));
      if (withHash) r.int(p.score);
      if (withCoord) {
        r.array(2);
        r.doubleText(human(p.lon));
        r.doubleText(human(p.lat));
      }
    }
    return;
  }
  const members: string[] = [];
  const scores: number[] = [];
  for (let i = 0; i < returned; i++) {
    members.push(found[i].member);
    scores.push(storeDist ? found[i].dist / shape.conversion : found[i].score);
  }
  storeZset(c, storeKey, members, scores, flags & GEOSEARCH ? 'geosearchstore' : 'georadiusstore');
  c.reply.int(returned);
}

/** GEORADIUS keys: the source plus a STORE / STOREDIST destination. */
function georadiusKeys(base: number): (argv: readonly string[]) => number[] {
  return (argv) => {
    const out = [1];
    for (let i = base; i < argv.length - 1; i++) {
      const a = argv[i].toLowerCase();
      if (a === 'store' || a === 'storedist') out.push(i + 1);
    }
    return out;
  };
}

export const geoCommands: CommandSpec[] = [
  command('geoadd', -5, 'write denyoom', [1, 1, 1], 'geo', geoadd),
  command('geopos', -2, 'readonly', [1, 1, 1], 'geo', geopos),
  command('geodist', -4, 'readonly', [1, 1, 1], 'geo', geodist),
  command('geohash', -2, 'readonly', [1, 1, 1], 'geo', geohash),
  command('georadius', -6, 'write denyoom', [1, 1, 1], 'geo', (c, a) => georadiusGeneric(c, a, 1, RADIUS_COORDS), { getKeys: georadiusKeys(6) }),
  command('georadiusbymember', -5, 'write denyoom', [1, 1, 1], 'geo', (c, a) => georadiusGeneric(c, a, 1, RADIUS_MEMBER), { getKeys: georadiusKeys(5) }),
  command('georadius_ro', -6, 'readonly', [1, 1, 1], 'geo', (c, a) => georadiusGeneric(c, a, 1, RADIUS_COORDS | NOSTORE)),
  command('georadiusbymember_ro', -5, 'readonly', [1, 1, 1], 'geo', (c, a) => georadiusGeneric(c, a, 1, RADIUS_MEMBER | NOSTORE)),
  command('geosearch', -7, 'readonly', [1, 1, 1], 'geo', (c, a) => georadiusGeneric(c, a, 1, GEOSEARCH)),
  command('geosearchstore', -8, 'write denyoom', [1, 2, 1], 'geo', (c, a) => georadiusGeneric(c, a, 2, GEOSEARCH | GEOSEARCHSTORE)),
];

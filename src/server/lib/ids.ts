/**
 * Sortable, prefixed, readable ids (`usr_01JD…`): 10 characters of millisecond time and
 * 16 random characters in Crockford base32, so ids sort by creation time in both engines.
 */
import { randomBytes } from 'node:crypto';

const alphabet = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

function encodeTime(ms: number): string {
  let out = '';
  for (let i = 0; i < 10; i++) {
    out = alphabet[ms % 32] + out;
    ms = Math.floor(ms / 32);
  }
  return out;
}

/**
 * Random bytes are drawn 4 KiB at a time: one `randomBytes` call per id cost ~6 µs of CPU, and an
 * arrival in the routing benchmark makes about fifteen ids (the bytes are as random either way).
 */
const poolSize = 4096;
let pool = Buffer.alloc(0);
let poolAt = poolSize;

function freshRandom(): number[] {
  if (poolAt + 16 > pool.length) {
    pool = randomBytes(poolSize);
    poolAt = 0;
  }
  const out = new Array<number>(16);
  for (let i = 0; i < 16; i++) out[i] = pool[poolAt + i]! % 32;
  poolAt += 16;
  return out;
}

/**
 * Within one millisecond the random part is incremented, so ids stay strictly increasing. The last
 * random part is kept for the few most recent milliseconds asked for, not only the last one:
 * callers that pass a time of their own (an event's time, a fake clock) interleave with callers on
 * the real clock, and starting afresh on each switch let a later id of one millisecond sort before
 * an earlier one (incident timeline entries of one millisecond came out of order).
 */
const recent = new Map<number, number[]>();
const recentMax = 16;

function nextRandom(now: number): number[] {
  const last = recent.get(now);
  let r: number[];
  if (!last) {
    r = freshRandom();
    if (recent.size >= recentMax) recent.delete(recent.keys().next().value!);
  } else {
    r = [...last];
    for (let i = r.length - 1; i >= 0; i--) {
      if (r[i] < 31) {
        r[i]++;
        break;
      }
      r[i] = 0;
    }
    recent.delete(now); // re-inserted below: the map stays in order of last use
  }
  recent.set(now, r);
  return r;
}

export function newId(prefix: string, now = Date.now()): string {
  return `${prefix}_${encodeTime(now)}${nextRandom(now)
    .map((n) => alphabet[n])
    .join('')}`;
}

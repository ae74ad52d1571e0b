/**
 * Sortable, prefixed, readable ids (`usr_01JD…`): 10 characters of millisecond time and
 * 16 random characters in Crockford base32, so ids sort by creation time in both engines.
 */
import { randomBytes } from 'node:crypto';

const alphabet = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
let lastTime = 0;
let lastRandom: number[] = [];

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

/** Within one millisecond the random part is incremented, so ids stay strictly increasing. */
function nextRandom(now: number): number[] {
  if (now !== lastTime) {
    lastTime = now;
    lastRandom = freshRandom();
    return lastRandom;
  }
  const r = [...lastRandom];
  for (let i = r.length - 1; i >= 0; i--) {
    if (r[i] < 31) {
      r[i]++;
      break;
    }
    r[i] = 0;
  }
  lastRandom = r;
  return r;
}

export function newId(prefix: string, now = Date.now()): string {
  return `${prefix}_${encodeTime(now)}${nextRandom(now)
    .map((n) => alphabet[n])
    .join('')}`;
}

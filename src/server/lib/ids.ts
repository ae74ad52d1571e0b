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

function freshRandom(): number[] {
  const bytes = randomBytes(16);
  return Array.from(bytes, (b) => b % 32);
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

/**
 * The snapshot's conversation → group mapping, packed (gzip + base64 of its JSON): a tenth of a
 * busy month, 30,000 routed conversations (ids as Kefu makes them, over October), unpacks to exactly
 * the same mapping, in about 60 % of the plain JSON's size (the ids' random part does not compress;
 * the ratio is per conversation, so a 300,000-conversation month packs the same: 9.9 MB → 6.0 MB).
 */
import { describe, expect, it } from 'vitest';
import { newId } from '../../lib/ids.ts';
import { packGroups, unpackGroups } from './inputs-snapshot.ts';

describe('packGroups', () => {
  it('round-trips 30,000 conversations exactly, in ~60 % of the JSON', () => {
    const start = Date.UTC(2026, 9, 1);
    const names = ['售前组', '售后组', '物流组', '投诉组', 'VIP 组'];
    const groups: Record<string, string[]> = {};
    for (let i = 0; i < 30_000; i++)
      (groups[names[(i * 7919) % names.length]!] ??= []).push(newId('cnv', start + Math.floor(i * 89_280)));
    for (const ids of Object.values(groups)) ids.sort();
    const plain = JSON.stringify(groups).length;
    const packed = packGroups(groups);
    expect(unpackGroups(packed)).toEqual(groups);
    // Deterministic: the same mapping packs to the same text (the snapshot's SHA-256 covers it).
    expect(packGroups(groups)).toBe(packed);
    console.log(`groups of 30,000 conversations: JSON ${plain} bytes, packed ${packed.length} bytes`);
    expect(plain / 30_000).toBeGreaterThan(32);
    expect(packed.length / plain).toBeLessThan(0.65);
  }, 60_000);
});

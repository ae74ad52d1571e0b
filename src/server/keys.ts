/**
 * Where the field-encryption keys live. Version 1 is `secretKey` (KEFU_SECRET_KEY, or the generated
 * `<dataDir>/secret.key`). Later versions come from `encryptionKeys` (KEFU_ENCRYPTION_KEYS, for
 * multi-node installs: every node gets the same list) or, without it, from `<dataDir>/keyring`
 * (one `version:hex` per line, mode 0600), which `kefu keys rotate` appends to. The current key is
 * `encryptionVersion`, or the highest version known.
 */
import { randomBytes } from 'node:crypto';
import { appendFileSync, existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Config } from './config.ts';
import { ensurePrivateDir } from './lib/data-dir.ts';
import type { KeyRing } from './lib/crypto.ts';

const keyringFile = (config: Pick<Config, 'dataDir'>) => join(config.dataDir, 'keyring');

function parsePairs(text: string): [number, Buffer][] {
  return text
    .split(/[,\n]/)
    .map((p) => p.trim())
    .filter((p) => p && !p.startsWith('#'))
    .map((p) => {
      const m = /^(\d{1,6}):([0-9a-f]{64})$/i.exec(p);
      if (!m) throw new Error(`bad key ring entry (want version:64 hex): ${p.slice(0, 8)}…`);
      return [Number(m[1]), Buffer.from(m[2], 'hex')];
    });
}

/** The key ring for this configuration: version 1 is `root` (the secret key). */
export function loadKeyRing(config: Config, root: Buffer): KeyRing {
  const keys = new Map<number, Buffer>([[1, root]]);
  const extra = config.encryptionKeys
    ? parsePairs(config.encryptionKeys)
    : existsSync(keyringFile(config))
      ? parsePairs(readFileSync(keyringFile(config), 'utf8'))
      : [];
  for (const [v, k] of extra) {
    if (v === 1) throw new Error('key version 1 is secretKey; further keys start at 2');
    keys.set(v, k);
  }
  const current = config.encryptionVersion ?? Math.max(...keys.keys());
  if (!keys.has(current)) throw new Error(`encryptionVersion ${current} is not among the keys`);
  return { keys, current };
}

/** Whether the extra keys live in the data folder (so `kefu keys rotate` may add one there). */
export const keysInDataDir = (config: Config): boolean => !config.encryptionKeys;

/** Generates the next key version into `<dataDir>/keyring`; returns its version. */
export function addKeyToDataDir(config: Config, ring: KeyRing): number {
  const version = Math.max(...ring.keys.keys()) + 1;
  ensurePrivateDir(config.dataDir);
  appendFileSync(keyringFile(config), `${version}:${randomBytes(32).toString('hex')}\n`, { mode: 0o600 });
  return version;
}

/** A new key as a `version:hex` pair, for KEFU_ENCRYPTION_KEYS on multi-node installs. */
export function newKeyPair(ring: KeyRing): string {
  return `${Math.max(...ring.keys.keys()) + 1}:${randomBytes(32).toString('hex')}`;
}

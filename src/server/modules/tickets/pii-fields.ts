/**
 * Custom fields typed as phone or e-mail hold personal information: stored encrypted, as
 * `{ "enc": "<ciphertext>" }` inside the ticket's fields (so a sealed value is never mistaken for
 * one typed in), shown unmasked only to roles with customers.pii, and never written into events
 * (which become audit entries).
 */
import type { Cipher } from '../../lib/crypto.ts';
import { maskEmail, maskPhone } from '../customers/index.ts';
import type { FieldDef } from './fields.ts';

export const piiFieldTypes: ReadonlySet<string> = new Set(['phone', 'email']);

type Sealed = { enc: string };
const isSealed = (v: unknown): v is Sealed =>
  typeof v === 'object' && v !== null && typeof (v as Partial<Sealed>).enc === 'string';

type Values = Record<string, unknown>;

/** Encrypts the plain values of phone and e-mail fields; sealed ones stay as they are. */
export function sealFields(cipher: Cipher, defs: readonly FieldDef[], values: Values): Values {
  const out: Values = { ...values };
  for (const d of defs)
    if (piiFieldTypes.has(d.type) && typeof out[d.key] === 'string')
      out[d.key] = { enc: cipher.encrypt(String(out[d.key])) };
  return out;
}

/** The values a viewer sees: sealed ones decrypted, and masked unless the viewer holds customers.pii. */
export function openFields(cipher: Cipher, values: Values, pii: boolean): Values {
  const out: Values = {};
  for (const [k, v] of Object.entries(values)) {
    if (!isSealed(v)) {
      out[k] = v;
      continue;
    }
    const plain = cipher.decrypt(v.enc);
    out[k] = pii ? plain : plain.includes('@') ? maskEmail(plain) : maskPhone(plain);
  }
  return out;
}

/** The keys of the sealed values (what a reader with customers.pii sees unmasked). */
export function sealedKeys(values: Values): string[] {
  return Object.entries(values)
    .filter(([, v]) => isSealed(v))
    .map(([k]) => k);
}

/** For events and the audit log: a sealed value only says that it is there. */
export function redactFields(values: unknown): unknown {
  if (typeof values !== 'object' || values === null) return values;
  return Object.fromEntries(Object.entries(values).map(([k, v]) => [k, isSealed(v) ? '[personal data]' : v]));
}

/** Whether two stored field sets say the same (sealed values compared by what they hold). */
export function sameFields(cipher: Cipher, a: Values, b: Values): boolean {
  return JSON.stringify(openFields(cipher, a, true)) === JSON.stringify(openFields(cipher, b, true));
}

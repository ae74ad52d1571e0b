import { hash, verify } from '@node-rs/argon2';

/** argon2id with the library's defaults (m=19 MiB, t=2, p=1, OWASP's minimum). */
export const hashPassword = (password: string): Promise<string> => hash(password);

// Verifying against this when the e-mail is unknown keeps sign-in time the same either way.
const dummy = hash('kefu-dummy-password-for-timing');

export async function verifyPassword(passwordHash: string | null, password: string): Promise<boolean> {
  if (!passwordHash) {
    await verify(await dummy, password).catch(() => false);
    return false;
  }
  return verify(passwordHash, password).catch(() => false);
}

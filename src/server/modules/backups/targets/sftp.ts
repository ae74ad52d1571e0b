/**
 * An SFTP server (a remote directory, e.g. a server in another city). The server's host key is
 * pinned on the first connection (its SHA-256 fingerprint, stored with the target) and every later
 * connection must present the same key, or nothing is sent. Objects are uploaded to a temp name
 * and renamed (POSIX rename over SFTP where the server offers it), so a reader never sees half.
 */
import { createHash, randomBytes } from 'node:crypto';
import { posix } from 'node:path';
import SftpClient from 'ssh2-sftp-client';
import { checkName, TargetError, type Target } from './types.ts';

export type SftpOptions = {
  host: string;
  port: number;
  username: string;
  path: string;
  password?: string;
  privateKey?: string;
  /** The pinned fingerprint (`SHA256:…`), or null to pin this connection's. */
  hostKey: string | null;
  /** Called once with the fingerprint of a first connection. */
  onPin?(fingerprint: string): Promise<void>;
  timeoutMs?: number;
};

export const fingerprint = (key: Buffer): string =>
  `SHA256:${createHash('sha256').update(key).digest('base64').replace(/=+$/, '')}`;

export async function sftpTarget(o: SftpOptions): Promise<Target> {
  const client = new SftpClient();
  const where = `sftp://${o.username}@${o.host}:${o.port}${o.path}`;
  let seen: string | null = null;
  try {
    await client.connect({
      host: o.host,
      port: o.port,
      username: o.username,
      password: o.password,
      privateKey: o.privateKey,
      readyTimeout: o.timeoutMs ?? 20_000,
      retries: 0,
      hostVerifier: (key: Buffer) => {
        seen = fingerprint(key);
        return o.hostKey === null || o.hostKey === seen;
      },
    } as SftpClient.ConnectOptions);
  } catch (err) {
    await client.end().catch(() => undefined);
    if (o.hostKey && seen && seen !== o.hostKey)
      throw new TargetError(
        `${where}: the server's host key changed (pinned ${o.hostKey}, offered ${seen}); if the change is expected, save the target again to pin the new key`,
      );
    throw new TargetError(`${where}: cannot connect: ${(err as Error).message}`);
  }
  if (o.hostKey === null && seen) await o.onPin?.(seen);
  const path = (name: string) => posix.join(o.path, checkName(name));
  const fail = (what: string, err: unknown): never => {
    throw new TargetError(`${where}: ${what}: ${(err as Error).message}`);
  };
  const made = new Set<string>();
  return {
    describe: where,
    async put(name, data) {
      const final = path(name);
      const dir = posix.dirname(final);
      const tmp = `${final}.${randomBytes(6).toString('hex')}.tmp`;
      try {
        if (!made.has(dir)) {
          await client.mkdir(dir, true);
          made.add(dir);
        }
        await client.put(data, tmp);
        await client.posixRename(tmp, final).catch(async () => client.rename(tmp, final));
      } catch (err) {
        await client.delete(tmp, true).catch(() => undefined);
        fail(`cannot write ${name}`, err);
      }
    },
    async get(name) {
      try {
        return (await client.get(path(name))) as Buffer;
      } catch (err) {
        if ((err as { code?: number | string }).code === 2 || /no such file/i.test((err as Error).message)) return null;
        return fail(`cannot read ${name}`, err);
      }
    },
    async list(prefix) {
      const out: string[] = [];
      const walk = async (rel: string) => {
        let entries;
        try {
          entries = await client.list(posix.join(o.path, rel));
        } catch (err) {
          if ((err as { code?: number | string }).code === 2 || /no such file/i.test((err as Error).message)) return;
          fail('cannot list', err);
          return;
        }
        for (const e of entries) {
          const name = rel ? `${rel}/${e.name}` : e.name;
          if (e.type === 'd') await walk(name);
          else if (!e.name.endsWith('.tmp')) out.push(name);
        }
      };
      await walk(prefix.replace(/\/$/, ''));
      return out.sort();
    },
    async remove(name) {
      await client.delete(path(name), true).catch((err: unknown) => fail(`cannot delete ${name}`, err));
    },
    async close() {
      await client.end().catch(() => undefined);
    },
  };
}

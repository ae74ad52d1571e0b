/**
 * A real OpenSSH server for SFTP tests (Debian's openssh-server; `.ci/run` installs it), run
 * unprivileged-style on 127.0.0.1 and a free port, with its own host key, config and authorized
 * key in a temp folder. The test logs in as the user running the tests, by key.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { freePort } from './spawn.ts';

export const sshdPath = '/usr/sbin/sshd';

export type Sshd = {
  port: number;
  username: string;
  privateKey: string;
  root: string;
  hostKeyFile: string;
  stop(): Promise<void>;
};

const keygen = (file: string) => {
  const r = spawnSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', file], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`ssh-keygen failed: ${r.stderr}`);
};

export async function startSshd(opts: { hostKeyFile?: string } = {}): Promise<Sshd> {
  if (!existsSync(sshdPath)) throw new Error(`${sshdPath} is missing: install openssh-server (.ci/run does)`);
  const dir = mkdtempSync(join(tmpdir(), 'kefu-sshd-'));
  const root = join(dir, 'files');
  mkdirSync(root);
  const hostKeyFile = opts.hostKeyFile ?? join(dir, 'host_key');
  if (!opts.hostKeyFile) keygen(hostKeyFile);
  keygen(join(dir, 'client_key'));
  writeFileSync(join(dir, 'authorized_keys'), readFileSync(join(dir, 'client_key.pub')));
  // sshd needs its privilege separation folder even when it never drops privileges for a login.
  if (!existsSync('/run/sshd')) mkdirSync('/run/sshd', { recursive: true, mode: 0o755 });
  const port = await freePort();
  writeFileSync(
    join(dir, 'sshd_config'),
    [
      `Port ${port}`,
      'ListenAddress 127.0.0.1',
      `HostKey ${hostKeyFile}`,
      `PidFile ${join(dir, 'sshd.pid')}`,
      `AuthorizedKeysFile ${join(dir, 'authorized_keys')}`,
      'PasswordAuthentication no',
      'KbdInteractiveAuthentication no',
      'PubkeyAuthentication yes',
      'PermitRootLogin prohibit-password',
      'StrictModes no',
      'UsePAM no',
      'Subsystem sftp internal-sftp',
      'LogLevel ERROR',
    ].join('\n') + '\n',
  );
  const proc: ChildProcess = spawn(sshdPath, ['-D', '-e', '-f', join(dir, 'sshd_config')], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let err = '';
  proc.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  const exited = new Promise<void>((r) => proc.once('exit', () => r()));
  for (;;) {
    if (proc.exitCode !== null) throw new Error(`sshd exited: ${err}`);
    const ok = await new Promise<boolean>((resolve) => {
      const c = connect(port, '127.0.0.1', () => {
        c.destroy();
        resolve(true);
      });
      c.once('error', () => resolve(false));
    });
    if (ok) break;
    await new Promise((r) => setTimeout(r, 20));
  }
  return {
    port,
    username: userInfo().username,
    privateKey: readFileSync(join(dir, 'client_key'), 'utf8'),
    root,
    hostKeyFile,
    async stop() {
      if (proc.exitCode === null) proc.kill('SIGTERM');
      await exited;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

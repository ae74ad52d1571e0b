/**
 * A real OpenSSH server for SFTP tests (Debian's openssh-server; `.ci/run` installs it), run
 * unprivileged-style on 127.0.0.1 and a free port, with its own host key, config and authorized
 * key in a temp folder. The test logs in as the user running the tests, by key; with `password`
 * (root only: sshd checks a password against the system's user database), also as a dedicated
 * system user `kefu-sftp-test` with that password, which owns the served folder.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { freePort } from './spawn.ts';

export const sshdPath = '/usr/sbin/sshd';

/** The system user a password login uses (created once, its password set on each start). */
export const passwordUser = 'kefu-sftp-test';
/** Whether password logins can be set up here (creating a system user and setting its password needs root). */
export const passwordLoginsRun = process.getuid?.() === 0;

export type Sshd = {
  port: number;
  username: string;
  /** With `password`: the user that logs in with it. */
  passwordUsername?: string;
  privateKey: string;
  root: string;
  hostKeyFile: string;
  stop(): Promise<void>;
};

const keygen = (file: string) => {
  const r = spawnSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', file], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`ssh-keygen failed: ${r.stderr}`);
};

function addPasswordUser(password: string, home: string): void {
  if (!passwordLoginsRun) throw new Error('a password login needs root (to add a system user)');
  if (spawnSync('id', [passwordUser]).status !== 0) {
    const r = spawnSync(
      'useradd',
      ['--no-create-home', '--home-dir', home, '--shell', '/usr/sbin/nologin', passwordUser],
      {
        encoding: 'utf8',
      },
    );
    if (r.status !== 0 && spawnSync('id', [passwordUser]).status !== 0) throw new Error(`useradd failed: ${r.stderr}`);
  }
  const r = spawnSync('chpasswd', [], { input: `${passwordUser}:${password}\n`, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`chpasswd failed: ${r.stderr}`);
  const chown = spawnSync('chown', [passwordUser, home], { encoding: 'utf8' });
  if (chown.status !== 0) throw new Error(`chown failed: ${chown.stderr}`);
}

export async function startSshd(opts: { hostKeyFile?: string; password?: string } = {}): Promise<Sshd> {
  if (!existsSync(sshdPath)) throw new Error(`${sshdPath} is missing: install openssh-server (.ci/run does)`);
  const dir = mkdtempSync(join(tmpdir(), 'kefu-sshd-'));
  const root = join(dir, 'files');
  mkdirSync(root);
  // The password user reaches the served folder through the temp folder (mkdtemp makes it 0700).
  if (opts.password) {
    chmodSync(dir, 0o755);
    addPasswordUser(opts.password, root);
  }
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
      `PasswordAuthentication ${opts.password ? 'yes' : 'no'}`,
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
    passwordUsername: opts.password ? passwordUser : undefined,
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

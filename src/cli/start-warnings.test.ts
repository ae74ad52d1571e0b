/**
 * `npx kefu start` and `npm start` (the README's path) print no Node warnings (ExperimentalWarning,
 * DeprecationWarning, …) while starting and serving the first requests: each runs as a real
 * process from the checkout, on the system's Node through bin/kefu.js (which re-runs itself on the
 * pinned Node when the system's is older), until it answers, then stops on SIGTERM. npm and npx are
 * the system's on the system's Node (testing/system-npm.ts), not the pinned Node Vitest runs on, and
 * npm's own warnings (`npm warn …`, npm 11's lower case) count too.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { cliEnv } from '../server/testing/cli.ts';
import { npmNode, systemNpmEnv } from '../server/testing/system-npm.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));
/** A bound for a hang on a loaded machine, not a time a start should take. */
const processTimeout = 150_000;

// The default log level: what a newcomer sees.
const newcomerEnv = systemNpmEnv(cliEnv({ KEFU_LOG_LEVEL: 'info', KEFU_ADMIN_PASSWORD: 'warnings-test-password' }));

/** Warnings of Node (`(node:123) XWarning: …`) and of npm (`npm warn …`, `npm WARN …`). */
const warningLine = /\(node:\d+\)|[A-Za-z]+Warning:|^npm warn/im;

async function startAndStop(command: string, args: string[]): Promise<{ stdout: string; stderr: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'kefu-warnings-'));
  const child = spawn(
    command,
    [...args, '--no-build', '--port', '0', '--host', '127.0.0.1', '--data-dir', join(dir, 'data')],
    {
      cwd: root,
      env: newcomerEnv,
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true, // npm's children get the signal with it
    },
  );
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<void>((r) => child.on('exit', () => r()));
  try {
    const url = await new Promise<string>((resolve, reject) => {
      child.stdout.on('data', () => {
        const m = /Kefu is running: (http:\/\/127\.0\.0\.1:(\d+))/.exec(stdout);
        if (m && m[2] !== '0') resolve(m[1]!);
      });
      void exited.then(() => reject(new Error(`${command} exited before it was ready:\n${stdout}\n${stderr}`)));
    });
    // The first requests load what starting did not (the console, the demo shop, the widget).
    for (const path of ['/readyz', '/', '/demo', '/widget.js']) expect((await fetch(`${url}${path}`)).status).toBe(200);
    process.kill(-child.pid!, 'SIGTERM');
    await exited;
    return { stdout, stderr };
  } finally {
    if (child.exitCode === null && child.signalCode === null) process.kill(-child.pid!, 'SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('starting Kefu the documented ways', () => {
  it('runs npm on the system Node, as a newcomer does', () => {
    expect(npmNode(root, newcomerEnv).bin).not.toContain('node_modules');
  });

  it('counts npm 11 warnings as warnings', () => {
    expect('npm warn Unknown project config "x".').toMatch(warningLine);
    expect('npm WARN deprecated x@1').toMatch(warningLine);
    expect('(node:42) ExperimentalWarning: x').toMatch(warningLine);
    expect('Kefu is running: http://127.0.0.1:3000').not.toMatch(warningLine);
  });

  it.each([
    ['npx kefu start', 'npx', ['kefu', 'start']],
    ['npm start', 'npm', ['start', '--']],
  ])(
    '%s prints no Node warning',
    async (_name, command, args) => {
      const { stdout, stderr } = await startAndStop(command, args);
      expect(stdout).toContain('Kefu is running');
      expect(stderr).not.toMatch(/Warning|^npm warn/im);
      expect(stdout).not.toMatch(warningLine);
    },
    processTimeout,
  );
});

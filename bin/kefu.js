#!/usr/bin/env node
// The `kefu` command. It needs Node.js 24 or later; when started by an older system Node, it
// re-runs itself on the Node pinned in the project's devDependencies (node_modules/node).
// The re-run is tied to this wrapper: signals sent to the wrapper are passed on, the wrapper
// exits with the child's status, and the child stops (as on SIGTERM) when the wrapper dies,
// even by kill -9 (it notices its IPC channel to the wrapper closing), so no server is left behind.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { availableParallelism, constants } from 'node:os';
import { fileURLToPath } from 'node:url';
import { serverNodeFlags } from './node-flags.js';

/** The Node flags `kefu start` needs (single-threaded GC on one core, a heap cap); exits on a bad setting. */
function nodeFlags() {
  const present = [...process.execArgv, ...(process.env.NODE_OPTIONS ?? '').split(/\s+/)];
  const decided = serverNodeFlags({
    args: process.argv.slice(2),
    env: process.env,
    cores: availableParallelism(),
    present,
  });
  if ('error' in decided) {
    console.error(`kefu: ${decided.error}`);
    process.exit(1);
  }
  return decided.flags;
}

const major = Number(process.versions.node.split('.')[0]);
if (major < 24) {
  const pinned = fileURLToPath(new URL('../node_modules/node/bin/node', import.meta.url));
  if (!existsSync(pinned)) {
    console.error(
      `kefu needs Node.js >= 24 (this is ${process.version}); run \`npm install\` to get the pinned Node, or use \`npx kefu\`.`,
    );
    process.exit(1);
  }
  const child = spawn(pinned, [...nodeFlags(), fileURLToPath(import.meta.url), ...process.argv.slice(2)], {
    stdio: ['inherit', 'inherit', 'inherit', 'ipc'],
    env: { ...process.env, KEFU_WRAPPED: '1' },
  });
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'])
    process.on(sig, () => {
      // Ctrl-C reaches the whole process group: the child has it already.
      if (sig !== 'SIGINT' || !process.stdin.isTTY) child.kill(sig);
    });
  child.on('error', (err) => {
    console.error(`kefu: could not start ${pinned}: ${err.message}`);
    process.exit(1);
  });
  child.on('exit', (code, signal) => process.exit(code ?? 128 + (constants.signals[signal] ?? 0)));
} else {
  if (process.env.KEFU_WRAPPED === '1' && process.channel) {
    delete process.env.KEFU_WRAPPED;
    // The channel must not keep a finished command alive; its closing means the wrapper is gone.
    process.channel.unref();
    process.once('disconnect', () => {
      process.kill(process.pid, 'SIGTERM');
      setTimeout(() => process.exit(1), 15_000).unref();
    });
  }
  // `kefu start` re-executes itself (same process id) with the Node flags it needs (bin/node-flags.js).
  const flags = nodeFlags();
  if (flags.length && typeof process.execve === 'function' && !process.channel)
    process.execve(process.execPath, [process.execPath, ...process.execArgv, ...flags, ...process.argv.slice(1)]);
  await import('../src/cli/main.ts');
}

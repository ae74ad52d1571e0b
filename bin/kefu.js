#!/usr/bin/env node
// The `kefu` command. It needs Node.js 24 or later; when started by an older system Node, it
// re-runs itself on the Node pinned in the project's devDependencies (node_modules/node).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const major = Number(process.versions.node.split('.')[0]);
if (major < 24) {
  const pinned = fileURLToPath(new URL('../node_modules/node/bin/node', import.meta.url));
  if (!existsSync(pinned)) {
    console.error(
      `kefu needs Node.js >= 24 (this is ${process.version}); run \`npm install\` to get the pinned Node, or use \`npx kefu\`.`,
    );
    process.exit(1);
  }
  const r = spawnSync(pinned, [fileURLToPath(import.meta.url), ...process.argv.slice(2)], { stdio: 'inherit' });
  process.exit(r.status ?? 1);
}
await import('../src/cli/main.ts');

/**
 * The documented path prints no warnings (defect 16), and hides none: `.npmrc` leaves npm's log
 * level alone, and each warning npm used to print is fixed where it comes from (package.json:
 * `devEngines` says which Node runs npm, apart from `engines`, the Node Kefu runs on;
 * `allowScripts` reviews every dependency's install script, onnxruntime-node's CUDA download
 * denied). npm runs here as in a newcomer's shell: the system's npm on the system's Node
 * (testing/system-npm.ts), never on the Node 26 pinned in node_modules.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { npmNode, systemNpmEnv } from '../server/testing/system-npm.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));
type Block = { pkg: string; node: string };

/** npm's EBADENGINE warnings, one per package, and the output without them. */
function engineWarnings(output: string): { blocks: Block[]; rest: string } {
  const blocks: Block[] = [];
  const rest = output.replace(
    /npm warn EBADENGINE Unsupported engine \{\n((?:npm warn EBADENGINE {3}.*\n)+)npm warn EBADENGINE \}\n?/g,
    (_all, body: string) => {
      const pkg = /package: '([^']+)'/.exec(body)?.[1] ?? '?';
      const node = /required: \{[^}]*node: '([^']+)'/.exec(body)?.[1] ?? '?';
      blocks.push({ pkg, node });
      return '';
    },
  );
  return { blocks, rest };
}

describe('npm on the system Node', () => {
  const env = systemNpmEnv();
  const node = npmNode(root, env);

  it('is what the test runs: the system npm on the system Node, not the pinned one', () => {
    expect(node.bin).not.toContain('node_modules');
    expect(node.bin.startsWith(root)).toBe(false);
    const system = spawnSync('node', ['--version'], { env, encoding: 'utf8' }).stdout.trim();
    expect(`v${node.version}`).toBe(system);
  });

  it('keeps the default log level (warnings are shown, not hidden by .npmrc)', () => {
    const r = spawnSync('npm', ['config', 'get', 'loglevel'], { cwd: root, env, encoding: 'utf8' });
    expect(r.stdout.trim()).toBe('notice');
    expect(readFileSync(`${root}.npmrc`, 'utf8')).not.toMatch(/^\s*loglevel\s*=/m);
  });

  it('npm install prints no warning on an installed checkout', () => {
    const r = spawnSync('npm', ['install', '--dry-run', '--offline', '--no-audit'], {
      cwd: root,
      env,
      encoding: 'utf8',
      timeout: 120_000,
    });
    expect(r.status, r.stderr).toBe(0);
    const { blocks, rest } = engineWarnings(r.stderr + r.stdout);
    // No package may ask for a newer Node than the system's (Node 20 here): cookie@2 and
    // content-disposition@3 declared Node >= 22, so package.json holds @fastify/cookie at 11.1.0
    // and overrides light-my-request and @fastify/static's content-disposition to their Node 18 lines.
    expect(blocks).toEqual([]);
    expect(rest).not.toMatch(/npm warn|EBADENGINE|EBADDEVENGINES|install-scripts/i);
  });
});

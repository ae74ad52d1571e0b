/**
 * The documented path prints no warnings (defect 16): npm runs on the system's Node (20 on many
 * machines) while Kefu runs on its pinned Node 26, so engine warnings about the system Node are
 * noise; `.npmrc` keeps npm and npx to errors.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../', import.meta.url));

describe('npm install', () => {
  it('prints no EBADENGINE (or any other) warning on an installed checkout', () => {
    const r = spawnSync('npm', ['install', '--dry-run', '--offline', '--ignore-scripts', '--no-audit'], {
      cwd: root,
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr + r.stdout).not.toMatch(/npm warn|EBADENGINE/i);
  });
});

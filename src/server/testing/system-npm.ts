/**
 * Running npm and npx as a newcomer's shell does: the system's npm on the system's Node, never the
 * Node pinned in node_modules (Vitest runs on it and puts node_modules/.bin on PATH, so a plain
 * `spawn('npm')` from a test would run npm on Node 26 and miss what Node 20 prints). The user's
 * own npm settings (~/.npmrc) are not the project's: an empty user config stands in for them.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join, sep } from 'node:path';

/** PATH without any node_modules folder (.bin, the pinned Node's bin) and without this process's Node's folder when that is the pinned one. */
export function systemPath(path = process.env.PATH ?? ''): string {
  return path
    .split(delimiter)
    .filter((dir) => dir !== '' && !dir.split(sep).includes('node_modules'))
    .join(delimiter);
}

let emptyUserConfig: string | undefined;

/** `env` with the system PATH and an empty npm user config. */
export function systemNpmEnv(env: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  if (!emptyUserConfig) {
    emptyUserConfig = join(mkdtempSync(join(tmpdir(), 'kefu-npmrc-')), 'npmrc');
    writeFileSync(emptyUserConfig, '');
  }
  const out: NodeJS.ProcessEnv = {};
  // npm's own variables from a surrounding `npm run`/`npx` would carry its settings into the child.
  for (const [k, v] of Object.entries(env)) if (!/^npm_/i.test(k)) out[k] = v;
  return { ...out, PATH: systemPath(env.PATH), npm_config_userconfig: emptyUserConfig };
}

/** The Node that npm runs on under `env` (`npm config ls`: "node bin location" and "node version"). */
export function npmNode(cwd: string, env: NodeJS.ProcessEnv): { bin: string; version: string } {
  const r = spawnSync('npm', ['config', 'ls'], { cwd, env, encoding: 'utf8', timeout: 60_000 });
  const bin = /; node bin location = (.+)/.exec(r.stdout)?.[1]?.trim();
  const version = /; node version = v?(\S+)/.exec(r.stdout)?.[1];
  if (r.status !== 0 || !bin || !version) throw new Error(`npm config ls failed:\n${r.stdout}\n${r.stderr}`);
  return { bin, version };
}

/** The major version of a `x.y.z` or `vx.y.z` string. */
export const majorOf = (version: string) => Number(version.replace(/^v/, '').split('.')[0]);

/** Finds the target a command names: an ad-hoc folder, or a configured target by name. */
import { resolve } from 'node:path';
import { localTarget } from './local.ts';
import { TargetError, type Target } from './types.ts';

export type TargetLookup = (name: string) => Promise<Target | null>;

export async function resolveTarget(opts: {
  name?: string;
  folder?: string;
  cwd: string;
  lookup?: TargetLookup;
}): Promise<Target> {
  if (opts.folder) return localTarget(resolve(opts.cwd, opts.folder));
  const found = opts.name && opts.lookup ? await opts.lookup(opts.name) : null;
  if (!found) throw new TargetError(`no backup target named ${opts.name ?? '(none)'}`);
  return found;
}

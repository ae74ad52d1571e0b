/** A configured target by its name, for the command line's `--target NAME`. */
import type { Services } from '../../../context.ts';
import { targetByName } from '../service.ts';
import { openTarget } from './open.ts';
import type { Target } from './types.ts';

export async function namedTarget(s: Pick<Services, 'db' | 'cipher'>, name: string): Promise<Target | null> {
  const row = await targetByName(s, name);
  return row ? openTarget(s, row) : null;
}

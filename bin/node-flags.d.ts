/** Types of bin/node-flags.js (plain JavaScript: the wrapper may run on an older Node). */
export function serverNodeFlags(i: {
  args: string[];
  env: Record<string, string | undefined>;
  cores: number;
  present: string[];
}): { flags: string[] } | { error: string };

/**
 * `npm run bench [-- scenario…]`: benchmark scenarios that print figures for docs/PERFORMANCE.md.
 * Each starts a real Kefu process (the CLI) on a fresh data folder and drives it over HTTP.
 */
import { scenarios } from './scenarios.ts';

const wanted = process.argv.slice(2);
const unknown = wanted.filter((w) => !(w in scenarios));
if (unknown.length) {
  console.error(`unknown scenario(s): ${unknown.join(', ')}; available: ${Object.keys(scenarios).join(', ')}`);
  process.exit(2);
}
for (const name of wanted.length ? wanted : Object.keys(scenarios)) {
  console.log(`\n## ${name}`);
  await scenarios[name as keyof typeof scenarios]();
}

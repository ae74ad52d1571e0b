/**
 * `npm run bench [-- scenario… [--option…]]`: benchmark scenarios that print figures for docs/PERFORMANCE.md.
 * Each starts a real Kefu process (the CLI) on a fresh data folder and drives it over HTTP.
 * Arguments from the first one starting with `-` on are passed to every scenario named
 * (e.g. `npm run bench -- chat --quick`).
 */
import { scenarios } from './scenarios.ts';

const argv = process.argv.slice(2);
const firstOption = argv.findIndex((a) => a.startsWith('-'));
const wanted = firstOption < 0 ? argv : argv.slice(0, firstOption);
const options = firstOption < 0 ? [] : argv.slice(firstOption);
const unknown = wanted.filter((w) => !(w in scenarios));
if (unknown.length) {
  console.error(`unknown scenario(s): ${unknown.join(', ')}; available: ${Object.keys(scenarios).join(', ')}`);
  process.exit(2);
}
for (const name of wanted.length ? wanted : Object.keys(scenarios)) {
  console.log(`\n## ${name}`);
  await scenarios[name as keyof typeof scenarios](options);
}

/** Reading a command's input files: every problem collected with the file's name, nothing thrown. */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

/** Where problems are collected, and what relative file names are read from. */
export type Files = { problems: string[]; cwd: string };

export function readText(file: string, { problems, cwd }: Files): string | null {
  try {
    return readFileSync(resolve(cwd, file), 'utf8');
  } catch (err) {
    problems.push(`${file}: cannot read (${(err as NodeJS.ErrnoException).code ?? String(err)})`);
    return null;
  }
}

export function readJson<T>(
  file: string,
  files: Files,
  validate: (v: unknown) => { ok: true; value: T } | { ok: false; problems: string[] },
): T | null {
  const { problems } = files;
  const text = readText(file, files);
  if (text === null) return null;
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    problems.push(`${file}: not valid JSON (${(err as Error).message})`);
    return null;
  }
  const v = validate(raw);
  if (v.ok) return v.value;
  problems.push(...v.problems.map((p) => `${file}: ${p}`));
  return null;
}

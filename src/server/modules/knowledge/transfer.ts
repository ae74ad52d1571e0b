/**
 * Import and export of the knowledge base as JSONL, CSV and XLSX (exceljs). An import is checked
 * whole first: every broken row is reported with its row number and nothing is written; then all
 * rows are written in one transaction (an id of this workspace updates that entry, anything else
 * creates one). Exported spreadsheet cells that a spreadsheet would run as a formula are quoted.
 */
import { EntryBody, type Entry, type EntryInput } from '../../../shared/knowledge-api.ts';
import { publish, unitOfWork, type Ctx } from '../../context.ts';
import { AppError } from '../../lib/errors.ts';
import { newId } from '../../lib/ids.ts';
import { problemsOf } from '../../lib/validation.ts';
import { knowledgeBase, rowOf } from './service.ts';
import { own } from './schema.ts';

/** ExcelJS (and its zip libraries, ~0.2 s of CPU to import) loads on the first spreadsheet, not with the server. */
const excel = async () => (await import('exceljs')).default;

export const columns = [
  'id',
  'question',
  'similar',
  'answer',
  'buttons',
  'category',
  'tags',
  'products',
  'orderStates',
  'channels',
  'validFrom',
  'validTo',
  'enabled',
] as const;
type Column = (typeof columns)[number];
const listColumns = new Set<Column>(['similar', 'buttons', 'tags', 'products', 'orderStates', 'channels']);
export const maxImportRows = 10_000;

/** In spreadsheets list cells hold one item per line. */
function cellsOf(e: Entry): string[] {
  return columns.map((c) => {
    const v = e[c];
    if (Array.isArray(v)) return v.join('\n');
    if (typeof v === 'boolean') return v ? 'true' : 'false';
    return v ?? '';
  });
}
const safeCell = (v: string) => (/^[=+\-@\t\r]/.test(v) ? `'${v}` : v);
const csvCell = (v: string) => (/[",\n\r]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);

export async function exportKnowledge(ctx: Ctx, format: 'jsonl' | 'csv' | 'xlsx'): Promise<Buffer> {
  const { entries } = await knowledgeBase(ctx, ctx.actor.workspaceId);
  if (format === 'jsonl') {
    const lines = entries.map(({ createdAt: _c, updatedAt: _u, ...e }) => JSON.stringify(e));
    return Buffer.from(lines.map((l) => `${l}\n`).join(''));
  }
  if (format === 'csv') {
    const lines = [columns.join(','), ...entries.map((e) => cellsOf(e).map(safeCell).map(csvCell).join(','))];
    return Buffer.from(`\ufeff${lines.join('\r\n')}\r\n`);
  }
  const wb = new (await excel()).Workbook();
  const sheet = wb.addWorksheet('knowledge');
  sheet.addRow([...columns]);
  for (const e of entries) sheet.addRow(cellsOf(e).map(safeCell));
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/** RFC 4180 CSV: quoted fields may hold commas, quotes and line breaks. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  const s = text.replace(/^\ufeff/, '');
  for (let i = 0; i < s.length; i++) {
    const ch = s[i]!;
    if (quoted) {
      if (ch === '"' && s[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"' && field === '') quoted = true;
    else if (ch === ',') {
      row.push(field);
      field = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && s[i + 1] === '\n') i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += ch;
  }
  if (quoted) throw new AppError(400, 'invalid_file', 'the CSV file ends inside a quoted field');
  if (field !== '' || row.length) rows.push([...row, field]);
  return rows.filter((r) => r.some((c) => c.trim() !== ''));
}

const unquote = (v: string) => (/^'[=+\-@\t\r]/.test(v) ? v.slice(1) : v);

/** A spreadsheet row (header names → cells) as an entry object for validation. */
function recordOf(header: string[], cells: string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  header.forEach((h, i) => {
    const c = h.trim() as Column;
    if (!(columns as readonly string[]).includes(c)) return;
    const v = unquote((cells[i] ?? '').trim());
    if (listColumns.has(c))
      out[c] = v
        .split(/\r?\n|\|/)
        .map((x) => x.trim())
        .filter(Boolean);
    else if (c === 'enabled') out[c] = v === '' ? true : /^(true|1|yes|是)$/i.test(v);
    else if (c === 'validFrom' || c === 'validTo') out[c] = v || null;
    else if (v !== '' || c === 'question' || c === 'answer') out[c] = v;
  });
  return out;
}

async function rowsOf(format: 'jsonl' | 'csv' | 'xlsx', content: string): Promise<{ row: number; value: unknown }[]> {
  if (format === 'jsonl') {
    const out: { row: number; value: unknown }[] = [];
    content.split(/\r?\n/).forEach((line, i) => {
      if (!line.trim()) return;
      try {
        out.push({ row: i + 1, value: JSON.parse(line) });
      } catch {
        out.push({ row: i + 1, value: Symbol.for('invalid_json') });
      }
    });
    return out;
  }
  let table: string[][];
  if (format === 'csv') table = parseCsv(content);
  else {
    const wb = new (await excel()).Workbook();
    try {
      await wb.xlsx.load(Buffer.from(content, 'base64') as unknown as ArrayBuffer);
    } catch {
      throw new AppError(400, 'invalid_file', 'not an XLSX file');
    }
    const sheet = wb.worksheets[0];
    table = [];
    sheet?.eachRow({ includeEmpty: false }, (r) => {
      const values = (r.values as unknown[]).slice(1).map((v) => (v === null || v === undefined ? '' : String(v)));
      table.push(values);
    });
  }
  const [header, ...body] = table;
  if (!header?.includes('question') || !header.includes('answer'))
    throw new AppError(400, 'invalid_file', `the first row must name the columns (${columns.join(', ')})`);
  return body.map((cells, i) => ({ row: i + 2, value: recordOf(header, cells) }));
}

export type ImportResult = { created: number; updated: number };

export async function importKnowledge(
  ctx: Ctx,
  format: 'jsonl' | 'csv' | 'xlsx',
  content: string,
): Promise<ImportResult> {
  const rows = await rowsOf(format, content);
  if (rows.length > maxImportRows)
    throw new AppError(400, 'too_many_rows', `an import takes at most ${maxImportRows} entries`);
  const errors: { row: number; problems: string[] }[] = [];
  const valid: { id: string | null; entry: EntryInput }[] = [];
  for (const { row, value } of rows) {
    if (typeof value === 'symbol') {
      errors.push({ row, problems: ['not a JSON object'] });
      continue;
    }
    const { id, createdAt: _c, updatedAt: _u, ...rest } = (value ?? {}) as Record<string, unknown>;
    const r = EntryBody.safeParse(rest);
    if (!r.success) errors.push({ row, problems: problemsOf(r.error) });
    else valid.push({ id: typeof id === 'string' && id ? id : null, entry: r.data });
  }
  if (errors.length)
    throw new AppError(
      400,
      'invalid_rows',
      `${errors.length} row(s) are invalid; nothing was imported: ${errors
        .slice(0, 5)
        .map((e) => `row ${e.row}: ${e.problems.join('; ')}`)
        .join(' | ')}`,
      { errors },
    );
  const ws = ctx.actor.workspaceId;
  const now = ctx.clock.now().toISOString();
  return unitOfWork(ctx, async (ctx) => {
    const db = own(ctx.db);
    const ids = valid.map((v) => v.id).filter((x): x is string => !!x);
    const existing = new Set<string>();
    for (let i = 0; i < ids.length; i += 500) {
      const found = await db
        .selectFrom('knowledge_entries')
        .select('id')
        .where('workspace_id', '=', ws)
        .where('id', 'in', ids.slice(i, i + 500))
        .execute();
      for (const f of found) existing.add(f.id);
    }
    let created = 0;
    let updated = 0;
    for (const v of valid) {
      if (v.id && existing.has(v.id)) {
        await db
          .updateTable('knowledge_entries')
          .set(rowOf(v.entry, now))
          .where('id', '=', v.id)
          .where('workspace_id', '=', ws)
          .execute();
        updated++;
      } else {
        await db
          .insertInto('knowledge_entries')
          .values({ id: newId('kb'), workspace_id: ws, created_at: now, ...rowOf(v.entry, now) })
          .execute();
        created++;
      }
    }
    await publish(ctx, 'knowledge.imported', ws, 'knowledge', ws, { created, updated, format });
    return { created, updated };
  });
}

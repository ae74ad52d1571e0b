import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engines, testApp, type Client, type TestApp } from '../../testing/harness.ts';
import { parseCsv } from './transfer.ts';

const entry = (question: string, more: object = {}) => ({
  question,
  similar: [`${question}?`, `请问${question}`],
  answer: `关于「${question}」的回答`,
  category: '发货',
  ...more,
});

describe('parseCsv', () => {
  it('reads quoted fields with commas, quotes and line breaks, and a BOM', () => {
    expect(parseCsv('\ufeffa,b\r\n"x, ""y""","1\n2"\n')).toEqual([
      ['a', 'b'],
      ['x, "y"', '1\n2'],
    ]);
  });
});

describe.each(engines)('knowledge base on %s', (engine) => {
  let t: TestApp;
  let owner: Client;
  let agent: Client;
  let other: Client;

  beforeAll(async () => {
    t = await testApp(engine);
    const ws = await t.workspace('kb');
    owner = ws.owner;
    agent = await t.user(ws.id, 'agent');
    other = (await t.workspace('kb-other')).owner;
  });
  afterAll(async () => t?.close());

  it('creates, reads, updates and deletes entries; agents read only; other workspaces see nothing', async () => {
    const created = await owner.post('/api/knowledge/entries', entry('什么时候发货', { validFrom: '2026-01-01' }));
    expect(created.statusCode).toBe(200);
    const e = created.json();
    expect(e).toMatchObject({ question: '什么时候发货', enabled: true, validFrom: '2026-01-01', validTo: null });
    expect((await agent.get(`/api/knowledge/entries/${e.id}`)).json().answer).toContain('什么时候发货');
    expect((await agent.post('/api/knowledge/entries', entry('x'))).statusCode).toBe(403);
    expect((await other.get(`/api/knowledge/entries/${e.id}`)).statusCode).toBe(404);
    const put = await owner.request({
      method: 'PUT',
      url: `/api/knowledge/entries/${e.id}`,
      payload: entry('几天发货', { buttons: ['转人工'] }),
    });
    expect(put.json()).toMatchObject({ question: '几天发货', buttons: ['转人工'] });
    expect((await owner.get('/api/knowledge/entries?q=几天')).json().items).toHaveLength(1);
    expect((await owner.del(`/api/knowledge/entries/${e.id}`)).statusCode).toBe(204);
    expect((await owner.get(`/api/knowledge/entries/${e.id}`)).statusCode).toBe(404);
  });

  it('refuses bad entries with a reason', async () => {
    const bad = [
      { question: '', answer: 'a' },
      { question: 'q', answer: 'a', validFrom: '2026-02-01', validTo: '2026-01-01' },
      { question: 'q'.repeat(301), answer: 'a' },
      { question: 'q', answer: 'a', orderStates: ['lost'] },
      { question: 'q', answer: 'a', extra: 1 },
    ];
    for (const b of bad) {
      const r = await owner.post('/api/knowledge/entries', b);
      expect(r.statusCode, JSON.stringify(b)).toBe(400);
      expect(r.json().error.code).toBe('invalid_input');
    }
  });

  it('imports nothing from a file with broken rows and names every broken row', async () => {
    const before = (await owner.get('/api/knowledge/entries')).json().items.length;
    const lines = [
      JSON.stringify(entry('退货流程')),
      '{not json',
      JSON.stringify({ question: '', answer: 'x' }),
      JSON.stringify(entry('发票')),
    ].join('\n');
    const r = await owner.post('/api/knowledge/import', { format: 'jsonl', content: lines });
    expect(r.statusCode).toBe(400);
    expect(r.json().error.code).toBe('invalid_rows');
    expect(r.json().error.issues.errors.map((e: { row: number }) => e.row)).toEqual([2, 3]);
    expect((await owner.get('/api/knowledge/entries')).json().items.length).toBe(before);
  });

  it('round-trips JSONL, CSV and XLSX exports through import (ids update, the rest create)', async () => {
    const a = (await owner.post('/api/knowledge/entries', entry('=危险的问题', { tags: ['促销', '满减'] }))).json();
    for (const format of ['jsonl', 'csv', 'xlsx'] as const) {
      const ex = await owner.get(`/api/knowledge/export?format=${format}`);
      expect(ex.statusCode).toBe(200);
      if (format === 'csv') expect(ex.body).toContain("'=危险的问题"); // no formula in a spreadsheet
      const content = format === 'xlsx' ? ex.rawPayload.toString('base64') : ex.body;
      const n = (await owner.get('/api/knowledge/entries')).json().items.length;
      const r = await owner.post('/api/knowledge/import', { format, content });
      expect(r.statusCode, r.body).toBe(200);
      expect(r.json()).toEqual({ created: 0, updated: n });
      const back = (await owner.get(`/api/knowledge/entries/${a.id}`)).json();
      expect(back).toMatchObject({ question: '=危险的问题', tags: ['促销', '满减'], similar: a.similar });
    }
  });

  it('imports a spreadsheet written by hand, lists one item per line', async () => {
    const wb = new ExcelJS.Workbook();
    const sh = wb.addWorksheet('x');
    sh.addRow(['question', 'similar', 'answer', 'category']);
    sh.addRow(['能开发票吗', '要发票\n开票', '可以开电子发票', '发票']);
    const content = Buffer.from(await wb.xlsx.writeBuffer()).toString('base64');
    const r = await owner.post('/api/knowledge/import', { format: 'xlsx', content });
    expect(r.json()).toEqual({ created: 1, updated: 0 });
    const found = (await owner.get('/api/knowledge/entries?q=能开发票')).json().items[0];
    expect(found.similar).toEqual(['要发票', '开票']);
    expect((await owner.post('/api/knowledge/import', { format: 'xlsx', content: 'bm90IHhsc3g=' })).statusCode).toBe(
      400,
    );
  });

  it('bulk-edits only its own workspace and saves the dictionary', async () => {
    const mine = (await owner.post('/api/knowledge/entries', entry('价保'))).json();
    const theirs = (await other.post('/api/knowledge/entries', entry('价保'))).json();
    const r = await owner.post('/api/knowledge/bulk', {
      ids: [mine.id, theirs.id],
      category: '价保',
      addTags: ['双12'],
      enabled: false,
    });
    expect(r.json()).toEqual({ count: 1 });
    expect((await owner.get(`/api/knowledge/entries/${mine.id}`)).json()).toMatchObject({
      category: '价保',
      tags: ['双12'],
      enabled: false,
    });
    expect((await other.get(`/api/knowledge/entries/${theirs.id}`)).json()).toMatchObject({ category: '发货' });
    const terms = await owner.request({
      method: 'PUT',
      url: '/api/knowledge/terms',
      payload: { terms: [{ term: '羽绒服', synonyms: ['羽绒衣'] }, { term: '顺丰' }] },
    });
    expect(terms.json().terms).toEqual([
      { term: '羽绒服', synonyms: ['羽绒衣'] },
      { term: '顺丰', synonyms: [] },
    ]);
    expect((await other.get('/api/knowledge/terms')).json().terms).toEqual([]);
  });
});

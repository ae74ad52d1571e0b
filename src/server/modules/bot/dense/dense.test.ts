/**
 * The dense stream's code path with a tiny ONNX model the test writes (one MatMul; nothing is
 * downloaded): onnxruntime-node loads it, the knowledge base's questions and the message are
 * embedded, and the cosine stream changes the engine's ranking — in the engine directly and
 * through the server's "try it" box on both engines.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engines, testApp, type Client, type TestApp } from '../../../testing/harness.ts';
import { Matcher } from '../engine/matcher.ts';
import { emptyLexicon, normalize, termsOf } from '../engine/text.ts';
import { loadOnnxEmbedder } from './embedder.ts';
import { termBucket, type Stream } from './features.ts';
import { matMulModel } from './onnx-writer.ts';
import { DenseIndex, fuseDense } from './stream.ts';

const size = 256;
const dims = 4;
/** The entry the words match (BM25 prefers it) and the one the shopper means (the model knows). */
const refund = { id: 'refund', question: '怎么申请退款', similar: ['退款流程是什么', '退款在哪里申请'] };
const arrival = { id: 'arrival', question: '钱什么时候退回来', similar: ['多久能收到退回的钱'] };
const invoice = { id: 'invoice', question: '怎么开发票', similar: ['发票在哪里开'] };
const entries = [refund, arrival, invoice];
const query = '退款到账';

/**
 * The model: a term's bucket maps to the topic it belongs to (0: money back, 1: how to refund,
 * 2: invoices), and "到账" (arrival in the account, a word no entry uses) strongly to topic 0 — the
 * vocabulary gap a dense model closes. Every bucket has a small share of dimension 3.
 */
function weights(): number[][] {
  const w = Array.from({ length: size }, () => [0, 0, 0, 0.01]);
  const add = (text: string, dim: number, k: number) => {
    const t = termsOf(normalize(text), emptyLexicon());
    for (const [s, terms] of [
      ['w', t.words],
      ['u', t.uni],
      ['b', t.bi],
    ] as [Stream, string[]][])
      for (const term of terms) w[termBucket(s, term, size)]![dim]! += k;
  };
  for (const q of [arrival.question, ...arrival.similar]) add(q, 0, 1);
  for (const q of [refund.question, ...refund.similar]) add(q, 1, 1);
  for (const q of [invoice.question, ...invoice.similar]) add(q, 2, 1);
  add('到账', 0, 6);
  return w;
}

let dir: string;
let modelPath: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'kefu-dense-'));
  modelPath = join(dir, 'tiny.onnx');
  writeFileSync(modelPath, matMulModel({ weights: weights() }));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the dense stream with a tiny ONNX model', () => {
  it('loads the model through onnxruntime-node and embeds into unit vectors', async () => {
    const e = await loadOnnxEmbedder(modelPath);
    expect(e.inputSize).toBe(size);
    const [a, b, q] = await e.embed([arrival.question, refund.question, query]);
    expect(e.outputSize).toBe(dims);
    const dot = (x: Float32Array, y: Float32Array) => x.reduce((s, v, i) => s + v * y[i]!, 0);
    expect(dot(a!, a!)).toBeCloseTo(1, 5);
    expect(dot(q!, a!)).toBeGreaterThan(dot(q!, b!));
  });

  it('changes the ranking: the engine prefers the entry with the words, the mix the one meant', async () => {
    const matcher = new Matcher(entries);
    const ranked = matcher.search(query, { k: 5 });
    expect(ranked.candidates[0]!.id).toBe('refund');
    const dense = await DenseIndex.build(await loadOnnxEmbedder(modelPath), entries, matcher.lexicon);
    expect(dense.questions).toBe(7);
    const scores = await dense.scores(query);
    expect(scores.get('arrival')!).toBeGreaterThan(scores.get('refund') ?? 0);
    const byId = new Map(entries.map((e) => [e.id, e.question]));
    const fused = fuseDense(
      ranked,
      scores,
      (id) => byId.get(id),
      () => true,
    );
    expect(fused.candidates[0]!.id).toBe('arrival');
    expect(fused.dense.changedTop).toBe(true);
    // The engine's confidence knows nothing of the dense stream: a new first entry is only suggested.
    expect(fused.band).toBe('suggest');
    // Where the dense stream agrees, the engine's result stands.
    const agreed = fuseDense(
      matcher.search('怎么开发票'),
      await dense.scores('怎么开发票'),
      (id) => byId.get(id),
      () => true,
    );
    expect(agreed.candidates[0]!.id).toBe('invoice');
    expect(agreed.dense.changedTop).toBe(false);
    expect(agreed.band).toBe(matcher.search('怎么开发票').band);
  });

  it('refuses models it cannot feed, with the reason', async () => {
    const ids = join(dir, 'ids.onnx');
    writeFileSync(ids, matMulModel({ inputName: 'input_ids', weights: [[1], [1]] }));
    await expect(loadOnnxEmbedder(ids)).rejects.toThrow(/input_ids.*tokenizer/);
    const junk = join(dir, 'junk.onnx');
    writeFileSync(junk, 'not a model');
    await expect(loadOnnxEmbedder(junk)).rejects.toThrow();
  });
});

describe.each(engines)('the dense stream in the server on %s', (engine) => {
  let t: TestApp;
  let owner: Client;
  beforeAll(async () => {
    t = await testApp(engine, { config: { botEmbeddingModel: modelPath } });
    owner = (await t.workspace('dense')).owner;
    for (const e of entries)
      expect(
        (
          await owner.post('/api/knowledge/entries', {
            question: e.question,
            similar: e.similar,
            answer: `答案：${e.id}`,
          })
        ).statusCode,
      ).toBe(200);
  });
  afterAll(async () => t?.close());

  it('re-ranks the "try it" answer with the model, and reports the model loaded', async () => {
    const r = (await owner.get(`/api/bot/try?text=${encodeURIComponent(query)}`)).json();
    expect(r.candidates[0].question).toBe(arrival.question);
    expect(r.refinedBy).toEqual(['dense']);
    expect(await t.s.metrics.getSingleMetricAsString('kefu_bot_dense_loaded')).toMatch(/kefu_bot_dense_loaded 1/);
  });
});

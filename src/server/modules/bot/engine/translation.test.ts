import { describe, expect, it } from 'vitest';
import { rerankFeatureNames } from './features.ts';
import { Matcher, type MatcherEntry } from './matcher.ts';
import { Translations } from './translation.ts';

describe('translations between question wordings', () => {
  it('pairs the words across an entry’s paraphrases, counting only the vocabulary gap', () => {
    const tr = new Translations([
      [
        ['摔坏', '快递'],
        ['破损', '快递'],
      ],
      [
        ['摔坏', '杯子'],
        ['破损', '杯子'],
      ],
      [
        ['发货', '几天'],
        ['发货', '多久'],
      ],
    ]);
    expect(tr.of('摔坏').get('破损')).toBeCloseTo(1); // 2 gap pairs, 2 pairs each side: 2·2 / (2 + 2)
    expect(tr.of('破损').get('摔坏')).toBeCloseTo(1); // both directions of a pair
    expect(tr.of('摔坏').has('快递')).toBe(false); // on both sides: no translation
    expect(tr.of('几天').size).toBe(0); // seen in one pair only (minPairs 2)
    expect(tr.of('发货').size).toBe(0); // repeated by the other side
  });

  it('learns from confirmed shopper questions and forgets them when they are replaced', () => {
    const tr = new Translations([
      [
        ['退款', '到账'],
        ['退钱', '到账'],
      ],
    ]);
    expect(tr.of('砸坏').size).toBe(0);
    tr.setLearned([
      { query: ['砸坏'], questions: [['破损'], ['破损', '赔偿']] },
      { query: ['砸坏', '东西'], questions: [['破损']] },
    ]);
    expect(tr.of('砸坏').get('破损')).toBeGreaterThan(0.5);
    tr.setLearned([]);
    expect(tr.of('砸坏').size).toBe(0);
  });

  it('keeps at most a word’s strongest translations above the floor', () => {
    const pairs = ['甲', '乙', '丙', '丁', '戊', '己', '庚'].map((t, i) => [
      ['找', String(i)],
      [t, t, String(i)],
    ]);
    const tr = new Translations([...pairs, ...pairs], { keep: 3 });
    expect(tr.of('找').size).toBe(3);
  });

  it('coverage is the idf share of the query words an entry lacks but translates to', () => {
    const tr = new Translations([
      [['砸坏'], ['破损']],
      [['砸坏'], ['破损']],
    ]);
    const idf = new Map([
      ['砸坏', 3],
      ['快递', 1],
    ]);
    const entry = new Set(['破损', '快递']);
    expect(tr.coverage(idf, 4, (t) => entry.has(t))).toBeCloseTo(0.75); // 快递 matched as is: not counted
    expect(tr.coverage(idf, 4, (t) => t === '快递')).toBe(0);
    expect(tr.coverage(idf, 0, () => true)).toBe(0);
  });
});

describe('the re-ranker’s translation features', () => {
  const kb: MatcherEntry[] = [
    { id: 'damaged', question: 'The item arrived damaged', similar: ['package damaged in transit'] },
    { id: 'wrong', question: 'I received the wrong item', similar: ['you sent the wrong item'] },
  ];
  const feature = (m: Matcher, query: string, id: string, name: (typeof rerankFeatureNames)[number]) =>
    m.search(query).candidates.find((c) => c.id === id)!.features[rerankFeatureNames.indexOf(name)]!;

  it('a shopper word the entries never use meets the entry word feedback paired it with', () => {
    const m = new Matcher(kb);
    const query = 'my item got smashed';
    expect(feature(m, query, 'damaged', 'translatedByEntry')).toBe(0);
    m.setLearned([
      { query: 'it came smashed', label: 'damaged' },
      { query: 'smashed box', label: 'damaged' },
    ]);
    expect(feature(m, query, 'damaged', 'translatedByEntry')).toBeGreaterThan(0.1);
    expect(feature(m, query, 'damaged', 'translatedByBest')).toBeGreaterThan(0.1);
    // `wrong` shares only `item`, which smashed co-occurs with as well (every damaged question has it): less.
    expect(feature(m, query, 'wrong', 'translatedByEntry')).toBeLessThan(
      feature(m, query, 'damaged', 'translatedByEntry'),
    );
  });
});

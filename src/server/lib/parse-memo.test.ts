import { describe, expect, it } from 'vitest';
import { memoParse } from './parse-memo.ts';

describe('memoParse', () => {
  it('parses each distinct text once, and a changed text afresh', () => {
    let calls = 0;
    const parse = memoParse((t) => (calls++, JSON.parse(t) as { a: number[] }));
    const one = parse('{"a":[1]}');
    expect(parse('{"a":[1]}')).toBe(one);
    expect(calls).toBe(1);
    expect(parse('{"a":[2]}').a).toEqual([2]);
    expect(calls).toBe(2);
  });

  it('shares frozen values: a caller cannot change what later readers get', () => {
    const parse = memoParse((t) => JSON.parse(t) as { a: number[]; o: { x: number } });
    const v = parse('{"a":[1],"o":{"x":1}}');
    expect(() => v.a.push(2)).toThrow(TypeError);
    expect(() => (v.o.x = 2)).toThrow(TypeError);
    expect(parse('{"a":[1],"o":{"x":1}}')).toEqual({ a: [1], o: { x: 1 } });
  });

  it('keeps at most `max` texts', () => {
    let calls = 0;
    const parse = memoParse((t) => (calls++, t), 2);
    parse('"1"');
    parse('"2"');
    parse('"3"'); // drops "1"
    parse('"1"');
    expect(calls).toBe(4);
  });
});

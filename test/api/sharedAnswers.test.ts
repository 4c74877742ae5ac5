/**
 * SharedAnswers: one computation per question and state, errors shared too, old states dropped.
 */
import { describe, expect, it } from 'vitest';
import { SharedAnswers } from '../../src/api/subscriptions/SharedAnswers.js';

describe('SharedAnswers', () => {
  it('computes a question once per state, for every asker', () => {
    let state: number | string = 1;
    let computed = 0;
    const shared = new SharedAnswers(() => state);
    const ask = (key: string) => shared.get(key, () => `${key}@${state}#${++computed}`);
    const cases: [name: string, key: string, state: number | string, answer: string, size: number][] = [
      ['first asker computes', 'route a', 1, 'route a@1#1', 1],
      ['second asker of the same question shares', 'route a', 1, 'route a@1#1', 1],
      ['another question computes', 'route b', 1, 'route b@1#2', 2],
      ['a new state drops the old answers', 'route a', 2, 'route a@2#3', 1],
      ['a state key may be a string', 'route a', '2 not ready', 'route a@2 not ready#4', 1],
    ];
    for (const [name, key, s, answer, size] of cases) {
      state = s;
      expect(ask(key), name).toBe(answer);
      expect(shared.size, name).toBe(size);
    }
  });

  it('shares a thrown error the same way', () => {
    let computed = 0;
    const shared = new SharedAnswers(() => 7);
    const boom = () => {
      computed++;
      throw new Error('bad host');
    };
    expect(() => shared.get('route x', boom)).toThrow('bad host');
    expect(() => shared.get('route x', boom)).toThrow('bad host');
    expect(computed).toBe(1);
  });
});

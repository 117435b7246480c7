// keptUpTo (src/domain/kept.ts): each key's answer made once while kept, null kept too, and all
// dropped at once when the limit is reached.
import { describe, expect, it } from 'vitest';
import { keptUpTo } from '../../src/domain/kept.js';

describe('keptUpTo', () => {
  it('makes each answer once while it is kept, a null answer included', () => {
    const kept = keptUpTo<string, string | null>(10);
    let made = 0;
    const make = (answer: string | null) => () => {
      made++;
      return answer;
    };
    expect(kept('a', make('A'))).toBe('A');
    expect(kept('a', make('other'))).toBe('A');
    expect(kept('none', make(null))).toBeNull();
    expect(kept('none', make('other'))).toBeNull();
    expect(made).toBe(2);
  });

  it('drops every answer once the limit is reached, then keeps anew', () => {
    const kept = keptUpTo<number, number>(3);
    let made = 0;
    const square = (n: number) =>
      kept(n, () => {
        made++;
        return n * n;
      });
    for (const n of [1, 2, 3]) square(n);
    expect(made).toBe(3);
    expect(square(4)).toBe(16); // full: 1–3 dropped, 4 kept
    expect(square(4)).toBe(16);
    expect(made).toBe(4);
    expect(square(1)).toBe(1); // made again
    expect(made).toBe(5);
  });
});

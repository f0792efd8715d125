import { remember } from '../../src/remember';

describe('remember', () => {
  it('computes a key once, undefined results included, and forgets the least recently used when full', () => {
    const computed: string[] = [];
    const length = remember((key: string) => {
      computed.push(key);
      return key === '' ? undefined : key.length;
    }, 2);
    expect([length('ab'), length('ab'), length(''), length('')]).toEqual([2, 2, undefined, undefined]);
    expect(computed).toEqual(['ab', '']);
    expect(length('abc')).toBe(3);
    expect(length('ab')).toBe(2);
    expect(computed).toEqual(['ab', '', 'abc', 'ab']);
  });
});

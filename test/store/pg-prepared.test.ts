// Names of the PostgreSQL statements kept prepared (src/store/pg-prepared.ts): one name per text, never
// one name for two texts, and a bounded number of them.
import { describe, expect, it } from 'vitest';
import { PreparedNames } from '../../src/store/pg-prepared.ts';

describe('prepared statement names', () => {
  it('gives one text one name, and two texts two names', () => {
    const names = new PreparedNames();
    const a = names.nameFor('SELECT $1::int');
    expect(a).toMatch(/^ehlo_[0-9a-f]{32}$/);
    expect(names.nameFor('SELECT $1::int')).toBe(a);
    expect(names.nameFor('SELECT $1::text')).not.toBe(a);
    // A fresh process names the same text alike (the name is derived from the text).
    expect(new PreparedNames().nameFor('SELECT $1::int')).toBe(a);
  });

  it('names a bounded number of texts and leaves long ones unnamed', () => {
    const names = new PreparedNames(3);
    const given = ['SELECT 1', 'SELECT 2', 'SELECT 3', 'SELECT 4'].map((t) => names.nameFor(t));
    expect(given.slice(0, 3).every((n) => typeof n === 'string')).toBe(true);
    expect(given[3]).toBeUndefined();
    expect(names.nameFor('SELECT 1')).toBe(given[0]);
    expect(new PreparedNames().nameFor(`SELECT '${'x'.repeat(9000)}'`)).toBeUndefined();
  });
});

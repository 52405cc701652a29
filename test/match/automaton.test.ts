import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Automaton } from '../../src/match/automaton.ts';
import { KIND_TABLE } from '../../src/match/kind.ts';

function naive(patterns: string[], text: string): number[] {
  return patterns.map((p) => (text.includes(p) ? 1 : 0));
}

describe('the marker automaton (Aho–Corasick)', () => {
  it('finds exactly the patterns includes() finds, overlapping and nested ones too', () => {
    const alphabet = fc.constantFrom('a', 'b', 'ab', 'ba', 'aab', ' ', '\n', 'é', 'x:');
    fc.assert(fc.property(fc.array(fc.array(alphabet, { minLength: 1, maxLength: 4 }).map((a) => a.join('').replace(/é/g, 'e')), { minLength: 1, maxLength: 12 }), fc.array(alphabet, { maxLength: 60 }).map((a) => a.join('')), (pats, text) => {
      const a = new Automaton(pats);
      const found = new Uint8Array(pats.length);
      const count = a.scan(text, found);
      expect([...found]).toEqual(naive(pats, text));
      expect(count).toBe(found.reduce((a, b) => a + b, 0));
    }), { numRuns: 400 });
  });

  it('matches a pattern at the start when fed a prefix character', () => {
    const a = new Automaton(['\nreceived:']);
    const found = new Uint8Array(1);
    a.scan('received: from x', found);
    expect(found[0]).toBe(0);
    a.scan('received: from x', found, 0, 16, 10);
    expect(found[0]).toBe(1);
  });

  it('keeps its transitions in two bytes when they fit, in four when not, and state() round-trips either', () => {
    const small = ['550 5.1.1', 'received:', 'x-ms-exchange'];
    // Many patterns over many characters: more than 65536 transitions, row offsets past two bytes.
    const chars = 'abcdefghijklmnopqrstuvwxyz0123456789-.:;_/ ';
    const large = Array.from({ length: 2000 }, (_, i) => {
      let p = '';
      for (let k = 0, v = i * 7919 + 13; k < 6; k++, v = Math.floor(v / chars.length) + k * 31) p += chars[v % chars.length];
      return p;
    });
    const text = `${large.slice(0, 50).join('|')} 550 5.1.1 received: x-ms-exchange-foo`;
    for (const [pats, type] of [[small, Uint16Array], [large, Int32Array]] as const) {
      const built = new Automaton(pats);
      const s = built.state();
      expect(s.delta).toBeInstanceOf(type);
      if (type === Int32Array) expect(s.delta.length).toBeGreaterThan(65536);
      const warm = new Automaton(pats, s);
      expect(warm.state()).toEqual(s);
      const a = new Uint8Array(pats.length);
      const b = new Uint8Array(pats.length);
      expect(warm.scan(text, a)).toBe(built.scan(text, b));
      expect([...a]).toEqual([...b]);
      expect(a.some((x) => x === 1)).toBe(true);
    }
  });

  it('builds afresh from tables that do not fit: another delta type, a transition out of the table', () => {
    const pats = ['550 5.1.1', 'received:', 'x-ms-exchange'];
    const s = new Automaton(pats).state();
    const out = s.delta.slice();
    out[5] = s.delta.length;
    const offRow = s.delta.slice();
    offRow[5] = 1;
    for (const delta of [Int32Array.from(s.delta), out, offRow]) {
      const a = new Automaton(pats, { ...s, delta });
      expect(a.state()).toEqual(s);
      const found = new Uint8Array(pats.length);
      expect(a.scan('a 550 5.1.1 and received: here', found)).toBe(2);
    }
  });

  it('refuses patterns it cannot hold', () => {
    expect(() => new Automaton(['café'])).toThrow(/ASCII/);
    expect(() => new Automaton([''])).toThrow(/empty/);
  });
});

describe('the paste-kind table', () => {
  it('is one ordered table: ndr first, the code fallback before client dialogs, every kind once', () => {
    const kinds = KIND_TABLE.map((r) => r.kind);
    expect(kinds[0]).toBe('ndr');
    expect(new Set(kinds).size).toBe(kinds.length);
    expect(kinds.indexOf('smtp-reply')).toBeLessThan(kinds.indexOf('client-dialog'));
    for (const row of KIND_TABLE) for (const m of row.markers) expect(m, row.kind).toBe(m.toLowerCase());
  });
});

describe('the matcher loads without zod', () => {
  it("keeps its copy of the evidence keys equal to schema.ts's, in order", async () => {
    const { EVIDENCE_KEYS } = await import('../../src/match/evidence.ts');
    const schema = await import('../../src/catalog/schema.ts');
    expect([...EVIDENCE_KEYS]).toEqual([...schema.EVIDENCE_KEYS]);
  });
});

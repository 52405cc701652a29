// Real header pastes (test/fixtures/headers, each with its public source): parsed hops, delays,
// verdicts and the topic are asserted for every one; clean blocks give a clean report.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { loadCatalog } from '../../src/catalog/load.ts';
import { TOPIC_SET } from '../../src/catalog/topics.ts';
import { analyzeHeaders } from '../../src/headers/report.ts';

interface Case {
  file: string;
  group: string;
  source: string;
  expect: {
    verdict: string; topic: string; playbook: string | null; hops: number; totalSeconds: number | null; delays: Array<number | null>;
    firstHopTime: string | null; lastHopTime: string | null; skewedHops: number[]; malformedHops: number[];
    spf: string | null; dmarc: string | null; compauth: string | null; sfv: string | null; cat: string | null; scl: number | null; bcl: number | null; dest: string | null;
    /** The third-party gateways the block shows (vendor ids of gateways.ts), when asserted. */
    gateways?: string[];
    /** The warn/info/fail findings the block must give (rule ids, in order), when asserted. */
    codes?: string[];
  };
}

const dir = new URL('../fixtures/headers/', import.meta.url);
const cases = JSON.parse(readFileSync(new URL('cases.json', dir), 'utf8')) as Case[];
const catalog = loadCatalog();

describe('real header pastes', () => {
  it('are at least 40, each with a public source, across the kinds the issue names', () => {
    expect(cases.length).toBeGreaterThanOrEqual(40);
    for (const c of cases) expect(c.source, c.file).toMatch(/^https:\/\/[\w.-]+\//);
    const groups = new Set(cases.map((c) => c.group));
    for (const g of ['spoof', 'spam', 'bulk', 'phish', 'allowed', 'delayed', 'clean', 'gmail', 'onprem', 'appliance']) expect(groups, g).toContain(g);
  });

  for (const c of cases) {
    it(`${c.file} (${c.group})`, () => {
      const text = readFileSync(new URL(c.file, dir), 'utf8');
      const r = analyzeHeaders(text, catalog);
      const e = c.expect;
      expect(r.hops.length).toBe(e.hops);
      expect(r.hops.map((h) => h.delaySeconds)).toEqual(e.delays);
      expect(r.totalSeconds).toBe(e.totalSeconds);
      expect(r.hops[0]?.time ?? null).toBe(e.firstHopTime);
      expect(r.hops[r.hops.length - 1]?.time ?? null).toBe(e.lastHopTime);
      expect(r.hops.filter((h) => h.skew).map((h) => h.n)).toEqual(e.skewedHops);
      expect(r.hops.filter((h) => h.problems.length).map((h) => h.n)).toEqual(e.malformedHops);
      expect(r.authentication.spf?.result ?? null).toBe(e.spf);
      expect(r.authentication.dmarc?.result ?? null).toBe(e.dmarc);
      expect(r.authentication.compauth ? `${r.authentication.compauth.result} ${r.authentication.compauth.reason ?? ''}`.trim() : null).toBe(e.compauth);
      expect(r.antispam.sfv ?? null).toBe(e.sfv);
      expect(r.antispam.cat ?? null).toBe(e.cat);
      expect(r.antispam.scl ?? null).toBe(e.scl);
      expect(r.antispam.bcl ?? null).toBe(e.bcl);
      expect(r.antispam.dest ?? null).toBe(e.dest);
      if (e.gateways) expect(r.gateways.map((g) => g.vendor)).toEqual(e.gateways);
      if (e.codes) expect(r.findings.filter((f) => f.severity !== 'pass').map((f) => f.code)).toEqual(e.codes);
      expect(r.verdict).toBe(e.verdict);
      expect(r.verdict === 'none' ? 'none' : r.matches[0]?.topics[0]).toBe(e.topic);
      if (e.topic !== 'none') {
        expect(TOPIC_SET.has(e.topic)).toBe(true);
        expect(r.matches[0]?.playbook).toBe(e.playbook);
        expect(catalog.playbookById.has(e.playbook ?? '')).toBe(true);
      }
      // Every finding points into the paste, at the field it names ("CAT:SPOOF" at "CAT:", "SCL 5" at an SCL field).
      for (const f of r.findings) {
        if (!f.span) continue;
        expect(f.span[1]).toBeGreaterThan(f.span[0]);
        const lead = /^(cat|sfv|scl|bcl|pcl|ipv|srv|sfty|dest|ofr|spf|dkim|dmarc|compauth)\b/i.exec(f.message)?.[1];
        if (lead) expect(text.slice(f.span[0], f.span[1]).toLowerCase(), `${f.code} in ${c.file}`).toContain(lead.toLowerCase());
      }
    });
  }

  it('a clean block gives a clean report: no fail or warn verdict finding, no match', () => {
    const clean = cases.filter((c) => c.group === 'clean');
    expect(clean.length).toBeGreaterThanOrEqual(3);
    for (const c of clean) {
      const r = analyzeHeaders(readFileSync(new URL(c.file, dir), 'utf8'), catalog);
      expect(r.verdict, c.file).toBe('none');
      expect(r.matches, c.file).toEqual([]);
      expect(r.findings.filter((f) => f.topic), c.file).toEqual([]);
    }
  });
});

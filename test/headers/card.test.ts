// The header card built from the neutral reply model: hops with delays, verdicts, findings, checks,
// and the walkthrough button of the playbook; a clean block gets no alarm and no start button.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { loadCatalog } from '../../src/catalog/load.ts';
import { headerCard, headerCardFor } from '../../src/conversation/cards/headers.ts';
import { headerMatchResult } from '../../src/headers/report.ts';
import { defaultMatcher } from '../../src/match/index.ts';
import { decodeAction } from '../../src/conversation/action-schema.ts';
import { buttonsOf } from '../../src/conversation/reply.ts';
import { analyzeHeaders } from '../../src/headers/report.ts';

const catalog = loadCatalog();
const read = (f: string) => readFileSync(new URL(`../fixtures/headers/${f}`, import.meta.url), 'utf8');

describe('header card', () => {
  it('shows hops, verdicts, findings, checks and the start button of the diagnosis', () => {
    const card = headerCard('t1', analyzeHeaders(read('pp-sample-399.txt'), catalog), catalog);
    expect(card.summary).toBe('Headers: Inbound message treated as spoofed (compauth=fail, CAT:SPOOF, DMARC action applied) (high)');
    const hops = card.blocks.find((b) => b.type === 'list' && b.title?.startsWith('Hops'));
    expect(hops && hops.type === 'list' ? hops.title : '').toBe('Hops (7, 12 s in all), oldest first');
    expect(hops && hops.type === 'list' ? hops.items[2] : '').toContain('2 s ██░░░░░░░░ 17%');
    const fields = card.blocks.find((b) => b.type === 'fields');
    expect(fields && fields.type === 'fields' ? fields.fields.map((f) => `${f.label}=${f.value}`) : []).toEqual(['SPF=none (kuaihaosheng000.com)', 'DKIM=pass (my.com)', 'DMARC=none action=none', 'compauth=fail 001', 'Anti-spam=SFV:SPM · CAT:SPOOF · SCL 5 · BCL 0']);
    expect(card.blocks.some((b) => b.type === 'text' && b.text === 'Checks: probe dnsbl 185.30.177.90 · probe ptr 185.30.177.90 · probe dns kuaihaosheng000.com')).toBe(true);
    const start = buttonsOf(card)[0];
    expect(start?.label).toBe('Start walkthrough');
    expect(decodeAction(start?.value ?? '')).toEqual({ k: 'start', p: 'eop-inbound-spoof-compauth-fail' });
  });

  it('a clean block says so and offers no walkthrough', () => {
    const card = headerCard('t1', analyzeHeaders(read('pp-sample-1110.txt'), catalog), catalog);
    expect(card.summary).toBe('Headers: nothing wrong found');
    expect(buttonsOf(card).map((b) => b.id)).toEqual(['catalog']);
    expect(card.blocks.some((b) => b.type === 'text' && b.tone === 'success')).toBe(true);
  });

  it('shows no control characters or chat mentions from the paste', () => {
    const hostile = 'Received: from <!channel>\u001b[31mevil (1.2.3.4) by mx.example with SMTP; Mon, 1 Jan 2024 00:00:00 +0000\nX-MS-Exchange-Organization-SCL: 9\nAuthentication-Results: spf=fail (sender IP is 1.2.3.4) smtp.mailfrom=evil.example\n';
    const card = headerCard('t1', analyzeHeaders(hostile, catalog), catalog);
    const all = JSON.stringify(card.blocks);
    expect(all).not.toContain('\u001b');
    expect(all).not.toContain('<!channel>');
  });

  it('headerCardFor answers header pastes and leaves the others to the diagnosis card', () => {
    const matcher = defaultMatcher();
    const text = read('pp-sample-1005.txt');
    const result = headerMatchResult(text, matcher.match(text), catalog);
    expect(result.matches[0]?.playbook).toBe('eop-inbound-bulk-filtered');
    expect(headerCardFor('t1', text, result, catalog)?.summary).toBe('Headers: Inbound bulk mail filtered by its bulk complaint level (BCL over the threshold) (high)');
    const ndr = '550 5.1.1 RESOLVER.ADR.RecipNotFound; not found';
    expect(headerCardFor('t1', ndr, headerMatchResult(ndr, matcher.match(ndr), catalog), catalog)).toBeUndefined();
  });
});

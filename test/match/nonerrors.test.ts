// Non-errors that share words with errors stay `none`: game clients' "connection refused", database
// drivers' timeouts, the successful part of an SMTP debug log against Exchange Online, a delivered
// message in an MTA log (test/fixtures/cases/nonerrors.jsonl, each with its public source). And the
// guards do not cost the real failures that use the same words (clients.jsonl, mta.jsonl).
import { describe, expect, it } from 'vitest';
import { readCases } from '../../src/match/evaluate.ts';
import { defaultMatcher } from '../../src/match/index.ts';
import { isSuccessOnly } from '../../src/match/success.ts';
import { extractSignals } from '../../src/match/signals.ts';
import { splitWords } from '../../src/match/words.ts';

const matcher = defaultMatcher();
const file = (name: string) => readCases(new URL(`../fixtures/cases/${name}.jsonl`, import.meta.url).pathname);
const success = (text: string) => isSuccessOnly(extractSignals(text, splitWords(text)), text.toLowerCase());

describe('non-errors that share words with errors', () => {
  const cases = file('nonerrors');
  it('has the collected cases, all labelled none', () => {
    expect(cases.length).toBeGreaterThanOrEqual(15);
    expect(cases.every((c) => c.topic === 'none')).toBe(true);
  });
  it.each(cases.map((c) => ({ id: c.id, text: c.text })))('$id answers none', ({ text }) => {
    expect(matcher.match(text).verdict).toBe('none');
  });
});

describe('the success-only detector', () => {
  it('takes a transcript of 220/250/235 lines and a delivered message for what they are', () => {
    expect(success('S: 220 AM0PR10CA0034.outlook.office365.com Microsoft ESMTP MAIL Service ready\nC: EHLO x\nS: 250-SIZE 157286400\nS: 250 SMTPUTF8\nC: AUTH LOGIN\nS: 235 2.7.0 Authentication successful')).toBe(true);
    expect(success('status=sent (250 2.6.0 <id@x> [InternalId=1, Hostname=VI1PR09MB4383.eurprd09.prod.outlook.com] Queued mail for delivery -> 250 2.1.5)')).toBe(true);
  });
  it('keeps any failure, an Exchange component on a 250, an error word or a masked keyword a candidate', () => {
    expect(success('S: 220 ready\nS: 250-STARTTLS\nS: 535 5.7.3 Authentication unsuccessful')).toBe(false);
    expect(success('250 2.1.5 RESOLVER.OOF.IntToExt; handled internal OOF addressed to external recipient')).toBe(false);
    expect(success('S: 220 ready\nS: 250 OK\nbut the mail never arrives')).toBe(false);
    expect(success('220 *******************************************\n250-XXXXXXXA\n250 DSN')).toBe(false);
    expect(success('no codes here at all')).toBe(false);
  });
  it('reads a long success paste and finds a failure far down in it', () => {
    const long = '250-PIPELINING\n'.repeat(50_000);
    expect(success(long)).toBe(true);
    expect(success(`${long}550 5.1.1 not found\n`)).toBe(false);
  });
});

describe('the same words in real failures still match', () => {
  const real = [...file('mta'), ...file('clients').filter((c) => c.kind === 'client-library')];
  it.each(real.map((c) => ({ id: c.id, c })))('$id', ({ c }) => {
    const r = matcher.match(c.text);
    expect(r.verdict).not.toBe('none');
    const topics = new Set([c.topic, ...(c.alt_topics ?? [])]);
    expect(r.matches[0]?.topics.some((t) => topics.has(t))).toBe(true);
  });
});

import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { detectKind } from '../../src/match/kind.ts';
import { extractSignals } from '../../src/match/signals.ts';
import { splitWords } from '../../src/match/words.ts';

const corpus = readFileSync(new URL('../fixtures/corpus-cases.jsonl', import.meta.url), 'utf8')
  .split('\n').filter(Boolean).map((l) => JSON.parse(l) as { id: string; text: string });
const byId = (id: string) => (corpus.find((c) => c.id === id) as { text: string }).text;
const kind = (t: string) => detectKind(t, extractSignals(t, splitWords(t)));

describe('paste kind', () => {
  it('recognises an Exchange NDR with diagnostic information (corpus soe-ex2007-recipnotfound)', () => {
    expect(kind(byId('soe-ex2007-recipnotfound'))).toBe('ndr');
  });
  it('recognises a queue listing', () => {
    expect(kind('Identity: EX01\\3\nDeliveryType: SmtpDeliveryToMailbox\nStatus: Retry\nLastError: 432 4.2.0 STOREDRV.Deliver; Agent transient failure')).toBe('queue');
  });
  it('recognises a bare SMTP reply', () => {
    expect(kind('451 5.7.3 STARTTLS is required to send mail')).toBe('smtp-reply');
  });
  it('recognises an SMTP transcript', () => {
    expect(kind('S: 220 mail.contoso.com ESMTP\nC: EHLO client\nS: 250-mail.contoso.com\nC: MAIL FROM:<a@b.com>\nS: 530 5.7.0 Must issue a STARTTLS command first')).toBe('smtp-transcript');
  });
  it('recognises message headers', () => {
    expect(kind('Received: from a by b\nMessage-ID: <x@y>\nAuthentication-Results: spf=fail\nX-MS-Exchange-Organization-SCL: 5')).toBe('headers');
  });
  it('recognises a PowerShell error record', () => {
    expect(kind('New-PSSession : [outlook.office365.com] Connecting to remote server failed\n    + CategoryInfo          : OpenError\n    + FullyQualifiedErrorId : PSSessionOpenFailed')).toBe('powershell');
  });
  it('recognises an event log entry', () => {
    expect(kind('Log Name: Application\nSource: MSExchangeIS\nEvent ID: 1121\nLevel: Error')).toBe('event-log');
  });
  it('recognises an Outlook dialog', () => {
    expect(kind('Cannot start Microsoft Outlook. Cannot open the Outlook window. The set of folders cannot be opened.')).toBe('client-dialog');
  });
  it('falls back to free text', () => {
    expect(kind('out of office replies stopped after CU5')).toBe('free-text');
  });
});

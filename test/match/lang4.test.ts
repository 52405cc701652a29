// Localised pastes of issue 12 (test/fixtures/cases/lang4.jsonl, each with its public source): Microsoft's own
// localised wording of an error is a phrase of its intent in that language (Winsock 10061 in Russian, the
// TLS 1.0/1.1 retirement in Polish, a full Recoverable Items folder, Japanese "messages are delayed");
// a localised "relay access denied" weighs no more than the English phrase, so 5.4.1 (DBEB) still decides;
// Japanese out-of-office guides and a German explainer of error messages answer none.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { defaultMatcher } from '../../src/match/index.ts';

const matcher = defaultMatcher();
const cases = new Map<string, { text: string; topic: string }>(
  readFileSync(new URL('../fixtures/cases/lang4.jsonl', import.meta.url), 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as { id: string; text: string; topic: string })
    .map((c) => [c.id, c]),
);
const topTopic = (text: string) => {
  const r = matcher.match(text);
  return r.verdict === 'none' ? 'none' : r.matches[0]?.topics[0];
};
const textOf = (id: string) => {
  const c = cases.get(id);
  if (!c) throw new Error(`no case ${id}`);
  return c.text;
};

describe('localised Microsoft wording of one error', () => {
  it.each([
    ['lang4-ru-ai-winsock-error-10061', 'connection-failed'],
    ['lang4-pl-ai-issues-related-to-tls-deprecation', 'tls-legacy-version'],
    ['lang4-ru-ai-recoverableitems-folder-is-full', 'mailbox-full'],
    ['lang4-ja-ai-message-delayed-alert', 'delivery-delayed'],
    ['lang4-ru-ai-getting-a-mailbox-cannot-be-found-error', 'ews-mailbox-not-found'],
    ['lang4-pt-ai-sender-blocked-for-sending-too-much-spam', 'sender-banned-outbound-spam'],
  ])('%s answers %s', (id, topic) => {
    expect(topTopic(textOf(id))).toBe(topic);
  });
  it('lets 5.4.1 decide over a Polish "relay access denied"', () => {
    expect(topTopic(textOf('lang4-pl-ai-antispam-5-4-1-dbeb-catch-all'))).toBe('dbeb-rejected');
  });
});

describe('localised help pages and guides', () => {
  it.each(['lang4-ja-xsrv-autoreply-cannot-turn-off', 'lang4-ja-asset-inc-fuzai-guide', 'lang4-de-fragdenstaat-empfangsbestaetigung-feature'])('%s answers none', (id) => {
    expect(topTopic(textOf(id))).toBe('none');
  });
});

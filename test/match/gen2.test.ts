// Generalisation round of issue 12 (gen2): plain-word reports and client dialogs in other languages. Real
// tuning cases, each read from its fixture file (with its public source there), shown both ways:
// - mood.ts: "restricted from sending", "compromised", "flagged", "suddenly" and "keep(s) + -ing" ("keep
//   entering my password") tell of trouble; "exceeded" does not (a phish or a notice says "your mailbox has
//   exceeded its storage limit" as often as a report does).
// - Outlook's own codes, the same in every language of the client: 0x8004210B (send timed out) for the
//   connection playbook, 0x800CCC92 (POP3 "server rejected your login") and POP3's "-ERR Login failure" for
//   refused credentials, 0x800CCC78 beside "authentication required" in the dialog's language.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { defaultMatcher } from '../../src/match/index.ts';
import { moodFactor, QUESTION_DAMPING, TROUBLE_BOOST } from '../../src/match/mood.ts';
import { WordBuf } from '../../src/match/lexicon.ts';
import { splitWords } from '../../src/match/words.ts';

const matcher = defaultMatcher();
const topTopic = (text: string) => {
  const r = matcher.match(text);
  return r.verdict === 'none' ? 'none' : r.matches[0]?.topics[0];
};
const fixture = (file: string, id: string): string => {
  const path = fileURLToPath(new URL(`../fixtures/cases/${file}`, import.meta.url));
  const cases = readFileSync(path, 'utf8').split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l) as { id: string; text: string });
  const found = cases.find((c) => c.id === id);
  if (!found) throw new Error(`${id} not in ${file}`);
  return found.text;
};
const mood = (text: string) => moodFactor(WordBuf.fromWords(splitWords(text)));

describe('trouble words of a plain report (mood.ts)', () => {
  it('reads an account held back, and a fault that keeps coming back, as trouble', () => {
    expect(mood('Users in this list have been restricted from sending email.')).toBe(TROUBLE_BOOST);
    expect(mood('Why do I have to keep entering my Exchange password?')).toBe(TROUBLE_BOOST);
    expect(mood('Outlook keeps prompting for credentials')).toBe(TROUBLE_BOOST);
  });
  it('does not read "keep" without a gerund, or a how-to question, as trouble', () => {
    expect(mood('How do I keep a copy of forwarded mail in the mailbox?')).toBe(QUESTION_DAMPING);
    expect(mood('Keep calm')).toBe(1);
  });
  it('finds the playbooks of the real reports', () => {
    expect(topTopic(fixture('field-descriptions2.jsonl', 'fld2-desc-cipp-restricted-users'))).toBe('sender-banned-outbound-spam');
    expect(topTopic(fixture('field-descriptions2.jsonl', 'fld2-desc-keep-entering-password'))).toBe('outlook-anywhere-rpc');
  });
  it('keeps a phish that says the mailbox "has exceeded" its limit at none', () => {
    expect(topTopic(fixture('field-nonerrors5.jsonl', 'fld5-ne-telesites-phish-revalidate'))).toBe('none');
  });
});

describe("Outlook's dialog codes in any language", () => {
  it('takes 0x8004210B as a send timeout, 0x800CCC92 as a refused POP sign-in', () => {
    expect(topTopic(fixture('lang-dev.jsonl', 'lang-ja2-funshitsu-0x8004210b-timeout'))).toBe('connection-failed');
    expect(topTopic(fixture('lang3.jsonl', 'lang3-fr-ittrip-0x800ccc92-pop-login-failure'))).toBe('smtp-auth-failed');
  });
  it('takes 0x800CCC78 with "authentication required" in Japanese as a client that did not authenticate', () => {
    expect(topTopic(fixture('lang-ja2.jsonl', 'lang-ja2-choge-0x800ccc78-auth-required'))).toBe('smtp-client-not-authenticated');
  });
  it('does not match on the bare code of a dialog that says nothing more', () => {
    expect(topTopic('0x800CCC78')).toBe('none');
    expect(topTopic('Outlook error 0x800CCC78')).toBe('none');
  });
});

describe('localised symptom wording', () => {
  it('finds a Swedish account of a mailbox over its size, and keeps a Swedish notice of delivery at none', () => {
    expect(topTopic(fixture('lang-sv.jsonl', 'lang-sv-crossnet-quota'))).toBe('mailbox-full');
    expect(topTopic('Ditt meddelande har levererats till mottagaren. Detta är ett automatiskt genererat meddelande.')).toBe('none');
  });
});

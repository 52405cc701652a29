// How a plain description reads (mood.ts): a fault counts its wording more, a how-to question or a
// feature explanation that names no trouble less, anything else (and any long or number-laden paste) as it is.
import { describe, expect, it } from 'vitest';
import { WordBuf } from '../../src/match/lexicon.ts';
import { moodFactor, QUESTION_DAMPING, TROUBLE_BOOST } from '../../src/match/mood.ts';
import { splitWords } from '../../src/match/words.ts';
import { defaultMatcher } from '../../src/match/index.ts';

const mood = (t: string) => moodFactor(WordBuf.fromWords(splitWords(t)));

describe('description mood', () => {
  it.each([
    'users cannot see free/busy of the other org',
    "the scanner can't send through Office 365 any more",
    "users don't get the out of office replies since the update",
    'mails to gmail bounce since Monday',
    // A "why" question about a fault that keeps coming back (gen2: "keep" + a gerund, field-descriptions2.jsonl).
    'Why do I have to keep entering my Exchange password?',
  ])('%s tells of trouble', (text) => {
    expect(mood(text)).toBe(TROUBLE_BOOST);
  });

  it.each([
    'How do I set out of office for another user?',
    'Is it possible to relay from a scanner through Exchange Online?',
    'Do shared mailboxes need a license?',
    'The Automatic Replies feature is off until you turn it on.',
    'You can create a separate reply for senders outside your domain.',
    // "don't have to" answers the question, it tells of no fault (robmunter.nl, field-descriptions3.jsonl).
    "Do I need to change the MX record after I run the Hybrid Configuration Wizard? No, you don't have to, but you can if you want to.",
  ])('%s asks or explains', (text) => {
    expect(mood(text)).toBe(QUESTION_DAMPING);
  });

  it.each([
    'only internal people get the out of office reply',
    'shared mailbox sent items go to the sender',
    // A why question asks about a fault as often as about how a thing is meant to work.
    'Why am I receiving status code 200 from the server if the recipient does not exist?',
  ])('%s is read as it is', (text) => {
    expect(mood(text)).toBe(1);
  });

  it('leaves a long paste or one full of numbers as it is', () => {
    expect(mood(`${'the connector failed again '.repeat(40)}`)).toBe(1);
    expect(mood('220 mx ready 250 8 18 44 127 0 0 1 250 SIZE 25000000 how do I fail')).toBe(1);
  });

  it('lifts a plain fault description over the none line and keeps a how-to question under it', () => {
    const m = defaultMatcher();
    expect(m.match('OOF is turned on but external senders aren\'t getting replies.').verdict).not.toBe('none');
    expect(m.match('How do I set up out of office for another user in Exchange?').verdict).toBe('none');
  });
});

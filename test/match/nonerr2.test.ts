// Non-errors of other shapes (test/fixtures/cases/nonerr2.jsonl, each with its public source): a bounce
// classifier's array of quoted phrases is program source (listing.ts, phraseRow), a troubleshooting
// article's "Common causes" heading over a bulleted list is an explainer (report.ts, listsCauses), and
// ZoneMTA's "Failed to resolve IP address for … of the MX server" is a failed DNS lookup. Each rule is shown
// both ways.
import { describe, expect, it } from 'vitest';
import { defaultMatcher } from '../../src/match/index.ts';
import { isCodeTable } from '../../src/match/listing.ts';

const matcher = defaultMatcher();
const topTopic = (text: string) => {
  const r = matcher.match(text);
  return r.verdict === 'none' ? 'none' : r.matches[0]?.topics[0];
};

const PHRASES = [
  'exports.bounceTags = {', '    hard: [', "        'account has been disabled',", "        'account closed',",
  "        'account is unavailable',", "        'Account not found',", "        'Address invalid',", "        'Address is unknown',",
  "        'Address unknown',", "        'Addressee unknown',", "        'ADDRESS_NOT_FOUND',", "        'bad address',",
  "        'Bad destination mailbox address',", '        "email .*?n[o\']t exist",', "        'Invalid recipient',", "        'Mailbox not found',",
].join('\n');

describe('phrase lists of bounce classifiers', () => {
  it('takes an array of quoted phrases, one a line, as a listing', () => {
    expect(isCodeTable(PHRASES)).toBe(true);
    expect(topTopic(PHRASES)).toBe('none');
  });
  it('leaves a few quoted lines in prose, and an array of printed replies, alone', () => {
    expect(isCodeTable("The bounce said:\n'Address unknown'\nand then\n'Mailbox not found'\nwhat does it mean?")).toBe(false);
    const replies = Array.from({ length: 9 }, (_, i) => `  '550 5.1.1 <user${i}@example.com>: Recipient address rejected: User unknown',`).join('\n');
    expect(isCodeTable(replies)).toBe(false);
  });
});

describe('lists of causes', () => {
  const CAUSES = [
    'Common causes (by priority)', '',
    '  • Missing or incorrect SPF/DKIM/DMARC on the sender side', '  • Logs: external rejections, spam filter decisions, NDR reasons.',
    '  • Exchange Online spam / mail flow rules causing quarantine or rejection', '  • Logs: message status shows Quarantined or Failed.',
    '  • Recipient mailbox rules or mailbox full conditions moving or rejecting messages', '  • Logs: mailbox-full errors or rule actions.',
  ].join('\n');
  it('answers none for an article\'s bulleted list of causes', () => {
    expect(topTopic(CAUSES)).toBe('none');
  });
  it('keeps a report that only mentions causes in prose', () => {
    expect(topTopic('Common causes aside, our users get this NDR: 552 5.2.2 mailbox full, the recipient\'s mailbox is full and can\'t accept messages now')).toBe('mailbox-full');
  });
});

describe('ZoneMTA DNS failure', () => {
  it('names a failed lookup of the MX host', () => {
    expect(topTopic('550 Failed to resolve IP address for smtp.remotedomain.com of the MX server for remotedomain.com. DNS server returned general failure')).toBe('dns-lookup-failed');
  });
  it('leaves a maintainer\'s note about retry intervals without the failure wording', () => {
    expect(topTopic('After the final try at 48h it will bounce permanently.')).toBe('none');
  });
});

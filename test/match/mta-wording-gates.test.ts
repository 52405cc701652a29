import { describe, expect, it } from 'vitest';
import { defaultMatcher } from '../../src/match/index.ts';

const matcher = defaultMatcher();

// The wording families other MTAs use for a refusal (policy violation, header error, line limit, PTR
// record, null MX …) count only inside a bounce: put in play by a status class, an SMTP stage or a
// code-anchored phrase. The same words elsewhere are no mail problem.
describe('bounce wording outside a bounce answers none', () => {
  for (const text of [
    'Our weekly policy violation report is attached. Please review the flagged accounts.',
    'Git push rejected: protocol violation detected by the server hook (pre-receive)',
    'nginx: upstream sent invalid header while reading response header from upstream: header error',
    'logstash: line limit exceeded, truncating event',
    'Sorry, the address couldn\'t be found. Try searching for a nearby landmark on the map.',
    'We publish a null MX for our parked domains so they do not accept mail.',
    'The PTR record for our mail server is mail.example.com; is that enough for Gmail?',
    'psql: server closed the connection unexpectedly after initial connection',
    'How do I check if my IP is on a blacklist before we start the campaign?',
  ]) it(text.slice(0, 60), () => expect(matcher.match(text).verdict).toBe('none'));
});

describe('the same families inside a bounce name the receiver\'s refusal', () => {
  it('a 5.7.x policy violation from another MTA', () => {
    const r = matcher.match('<bob@example.org>: host mx.example.org[192.0.2.1] said: 550 5.7.0 <bob@example.org>: Recipient address rejected: Policy violation (in reply to RCPT TO command)');
    expect(r.verdict).not.toBe('none');
    expect(r.matches[0]?.topics).toContain('remote-policy-reject');
  });

  it('a refusal at MAIL FROM is about the sender, not a lookup of the destination', () => {
    const r = matcher.match('SMTP error from remote mail server after MAIL FROM:<alice@example.com>:\n    550 5.1.7 No such domain example.com.');
    expect(r.matches[0]?.topics).toContain('remote-policy-reject');
  });

  it('a size status at MAIL FROM stays a size refusal', () => {
    const r = matcher.match('<bob@example.org>: host mx.example.org[192.0.2.1] said: 552 5.3.4 Error: the message is larger than allowed (in reply to MAIL FROM command)');
    expect(r.matches[0]?.topics).toContain('message-too-large');
  });
});

import { describe, expect, it } from 'vitest';
import { reportsDeliveryFailure } from '../../src/match/failure-context.ts';
import { defaultMatcher } from '../../src/match/index.ts';

describe('a mail system reporting a failed delivery', () => {
  it('is told by MTA log and bounce markers', () => {
    expect(reportsDeliveryFailure('abc: to=<a@b.c>, relay=none, delay=1, dsn=4.4.3, status=deferred (host lookup failed)')).toBe(true);
    expect(reportsDeliveryFailure('final-recipient: rfc822; a@b.c\naction: failed\nstatus: 5.0.0')).toBe(true);
    expect(reportsDeliveryFailure('smtp error from remote mail server after rcpt to:<a@b.c>:')).toBe(true);
  });

  it('is not told by a delivered message or plain words', () => {
    expect(reportsDeliveryFailure('abc: to=<a@b.c>, relay=x[1.2.3.4]:25, delay=1, dsn=2.0.0, status=sent (250 2.0.0 ok)')).toBe(false);
    expect(reportsDeliveryFailure('the build failed with 3 errors')).toBe(false);
  });

  it('lifts a weak phrase of a bounce over the none line, not the same words alone', () => {
    const m = defaultMatcher();
    const bounce = m.match('Final-Recipient: rfc822; a@example.com\nAction: failed\nStatus: 5.0.0\n a@example.com ... unknown host');
    expect(bounce.verdict).not.toBe('none');
    expect(bounce.matches[0]?.topics).toContain('dns-lookup-failed');
    expect(bounce.matches[0]?.why.some((w) => w.evidence.startsWith('a mail system reports'))).toBe(true);
    expect(m.match('ping: unknown host example.com').verdict).toBe('none');
  });
});

import { describe, expect, it } from 'vitest';
import { qmailLogSpaces } from '../../src/match/qmail-log.ts';
import { defaultMatcher } from '../../src/match/index.ts';

describe('qmail-send delivery-log replies', () => {
  it('turns the underscores of the reply back into spaces, keeping the length', () => {
    const line = '@4000 delivery 42: deferral: Sorry,_I_wasn\'t_able_to_establish_an_SMTP_connection._(#4.4.1)/';
    const out = qmailLogSpaces(line);
    expect(out).toBe('@4000 delivery 42: deferral: Sorry, I wasn\'t able to establish an SMTP connection. (#4.4.1)/');
    expect(out.length).toBe(line.length);
  });

  it('leaves other text alone, parameter names included', () => {
    for (const t of ['lmtp_over_quota_perm_failure: on', 'status: failure: reject_unknown_recipient_domain', 'delivery: failure: a_b']) expect(qmailLogSpaces(t)).toBe(t);
  });

  it('lets the matcher read the reply of such a line', () => {
    const r = defaultMatcher().match('delivery 3: failure: Sorry,_I_couldn\'t_find_any_host_named_example.invalid._(#5.1.2)/');
    expect(r.verdict).not.toBe('none');
    expect(r.matches[0]?.topics).toContain('dns-lookup-failed');
  });
});

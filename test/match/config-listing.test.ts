import { describe, expect, it } from 'vitest';
import { isConfigListing } from '../../src/match/config-listing.ts';
import { defaultMatcher } from '../../src/match/index.ts';

// Shapes of the pastes in test/fixtures/cases/field-mta5.jsonl (Postfix VDA quota parameters, a maddy pipeline).
const postfixParams = [
  'virtual_mailbox_limit_maps     = mysql:/etc/postfix/mysql/limit-maps.cf',
  'virtual_maildir_limit_message  = "The user you are trying to reach is over quota."',
  'virtual_overquota_bounce       = yes',
].join('\n');
const maddyBlock = ['default_destination {', '  reject 550 5.1.1 "User doesn\'t exist"', '}'].join('\n');

describe('a configuration listing', () => {
  it('is told by parameter lines, section headings and blocks', () => {
    expect(isConfigListing(postfixParams)).toBe(true);
    expect(isConfigListing(maddyBlock + '\nmodify {\n  replace_rcpt &x\n}')).toBe(true);
    expect(isConfigListing('dnslookup:\n  driver = dnslookup\n  domains = ! +local_domains\n  transport = remote_smtp\n  no_more')).toBe(true);
  });

  it('is not told by a log, a printed error object or JSON', () => {
    expect(isConfigListing('Error: connect ETIMEDOUT 1.2.3.4:587\n    at TCPConnectWrap.afterConnect (net.js:1148:16) {\n  errno: -4039,\n  code: \'ESOCKET\',\n  port: 587,\n}')).toBe(false);
    expect(isConfigListing('"deliveryStatus": {\n  "a@b.c": {\n    "smtpReply": "550 5.1.2 Mailbox does not exist."\n  }\n}')).toBe(false);
    expect(isConfigListing('Mar 10 smtpd[1]: relay="gmail.com" result="TempFail"\nMar 10 smtpd[1]: stat="Temporary failure in MX lookup"\nx')).toBe(false);
  });

  it('is not told by an error followed by the program source that raised it', () => {
    // nodemailer/nodemailer#165 (test/fixtures/cases/field-clients5.jsonl): the call's object literal is no block.
    const pasted = ["Error : 3074565888:error:1408F10B:SSL routines:SSL3_GET_RECORD:wrong version number:../deps/openssl/openssl/ssl/s3_pkt.c:337:", '', "var smtpTransport = nodemailer.createTransport('SMTP', {", "    host: 'smtp.live.com', // hostname", '    secureConnection: false, // use SSL', '    port: 587, // port for secure SMTP'].join('\n');
    expect(isConfigListing(pasted)).toBe(false);
    expect(defaultMatcher().match(pasted).verdict).not.toBe('none');
  });

  it('makes the matcher answer none, but not for a bounce quoting the same words', () => {
    const m = defaultMatcher();
    expect(m.match(postfixParams).verdict).toBe('none');
    expect(m.match(maddyBlock).verdict).toBe('none');
    const bounce = m.match('Action: failed\nStatus: 5.2.2\nDiagnostic-Code: smtp; 552 5.2.2 The user you are trying to reach is over quota.');
    expect(bounce.verdict).not.toBe('none');
  });
});

describe('a phrase inside a parameter name', () => {
  it('is no phrase of the paste', () => {
    const m = defaultMatcher();
    const top = (t: string) => m.match(t).matches[0]?.why.some((w) => w.evidence === 'phrase "over quota"') ?? false;
    expect(top('lmtp_over_quota_perm_failure: on')).toBe(false);
    expect(top('552 5.2.2 user is over quota')).toBe(true);
  });
});

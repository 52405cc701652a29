// Client-library pastes and the non-errors that share their words (test/fixtures/cases/
// field-clients6.jsonl, field-nonerrors6.jsonl, each with its public source). The rules they brought
// are shown both ways: a session judged by its last reply (success.ts), Redis's own refusal
// (foreign.ts), a client's settings card (config-listing.ts) and PEAR Net_SMTP's "SMTP Error (535)"
// (signals.ts).
import { describe, expect, it } from 'vitest';
import { isSettingsCard } from '../../src/match/config-listing.ts';
import { readCases } from '../../src/match/evaluate.ts';
import { isForeignService } from '../../src/match/foreign.ts';
import { defaultMatcher } from '../../src/match/index.ts';
import { extractSignals } from '../../src/match/signals.ts';
import { isSuccessOnly } from '../../src/match/success.ts';
import { splitWords } from '../../src/match/words.ts';

const matcher = defaultMatcher();
const fixture = (name: string) => readCases(new URL(`../fixtures/cases/${name}`, import.meta.url).pathname);
const signalsOf = (text: string) => extractSignals(text, splitWords(text));
const success = (text: string) => isSuccessOnly(signalsOf(text), text.toLowerCase());
const replyCodes = (text: string) => signalsOf(text).filter((s) => s.type === 'replyCode').map((s) => s.value);

describe('field non-errors of client libraries and other services (field-nonerrors6.jsonl)', () => {
  it.each(fixture('field-nonerrors6.jsonl').map((c) => [c.id, c.text] as const))('%s is none', (_id, text) => {
    expect(matcher.match(text).verdict).toBe('none');
  });
});

describe('a session is judged by its last reply', () => {
  // corecode/dma#54 (field-nonerrors6.jsonl): one mechanism refused, then the smarthost takes the message.
  const dma = [
    'dma[]: using SMTP authentication for user postmaster@domain',
    'dma[]: smarthost authentication: AUTH cram-md5 not available: 535 5.7.8 Error: authentication failed: Invalid authentication mechanism',
    'dma[]: delivery successful',
  ].join('\n');

  it('ends in success after a failure it got past', () => {
    expect(success(dma)).toBe(true);
    expect(success('C: AUTH PLAIN\nS: 535 5.7.8 Error: authentication failed\nC: AUTH LOGIN\nS: 235 2.7.0 Authentication successful\nC: DATA\nS: 354 End data with <CR><LF>.<CR><LF>\nS: 250 2.0.0 Ok: queued as 4F2A1\nC: QUIT\nS: 221 2.0.0 Bye')).toBe(true);
  });

  it('keeps a failure that comes last, or trouble told after the message was taken', () => {
    expect(success('S: 235 2.7.0 Authentication successful\nC: MAIL FROM:<a@b.c>\nS: 550 5.7.60 SMTP; Client does not have permissions to send as this sender')).toBe(false);
    expect(success(dma + '\nbut the email never arrives')).toBe(false);
    // Refused, then QUIT: a 221 accepts no message.
    expect(success('S: 535 5.7.3 Authentication unsuccessful\nC: QUIT\nS: 221 2.0.0 Service closing transmission channel')).toBe(false);
  });
});

describe('Redis refusing a client is another service', () => {
  it('is none even when the prose calls it an error message', () => {
    const text = 'whenever I try to use some redis command I get this error message: "NOAUTH Authentication required.".';
    expect(isForeignService(signalsOf(text), text.toLowerCase())).toBe(true);
    expect(matcher.match(text).verdict).toBe('none');
  });

  it('keeps a mail question that stores its queue in Redis', () => {
    const text = 'NOAUTH Authentication required. The SMTP relay stores its mail queue in redis';
    expect(isForeignService(signalsOf(text), text.toLowerCase())).toBe(false);
  });
});

describe('a settings card', () => {
  it('is a list of a client\'s settings with no failure in it', () => {
    expect(isSettingsCard('Connection settings\n- Host\n- smtp.office365.com\n- Port\n- 587\n- Security\n- STARTTLS\n- Username: your full email address')).toBe(true);
    expect(isSettingsCard('| Setting | Value |\n|---|---|\n| SMTP server | smtp.office365.com |\n| Port | 587 |\n| Encryption | STARTTLS |\n| Username | user@contoso.com |')).toBe(true);
  });

  it('is not the settings of a client that failed', () => {
    expect(isSettingsCard('Host: smtp.office365.com\nPort: 587\nEncryption: STARTTLS\nUsername: me@contoso.com\nError: 535 5.7.139 Authentication unsuccessful')).toBe(false);
    expect(isSettingsCard('Host: smtp.office365.com\nPort: 587')).toBe(false);
  });
});

describe('an SMTP error code in parentheses', () => {
  it('is a reply code after an SMTP error\'s wording', () => {
    expect(replyCodes('Unable to send an email: SMTP Error (535): Authentication failed')).toEqual(['535']);
    expect(replyCodes('PHP message: ERROR: Invalid response code received from server (535)')).toEqual(['535']);
  });

  it('is no reply code elsewhere', () => {
    expect(replyCodes('Windows (554) updates installed')).toEqual([]);
    expect(replyCodes('SMTP server listening (250) connections')).toEqual([]);
  });
});

describe('client-library errors of field-clients6.jsonl', () => {
  it('answer their topic for the wording families they brought', () => {
    const top = (t: string) => {
      const r = matcher.match(t);
      return r.verdict === 'none' ? 'none' : r.matches[0]?.topics;
    };
    expect(top('{"error":{"code":"MailboxNotEnabledForRESTAPI","message":"REST API is not yet supported for this mailbox."}}')).toContain('ews-mailbox-not-found');
    expect(top('ERRO[0111] [handler] smtp: tls: first record does not look like a TLS handshake')).toContain('starttls-required');
    expect(top("{ Error: self signed certificate in certificate chain\n    at TLSSocket.onConnectSecure (_tls_wrap.js:1055:34) code: 'ESOCKET', command: 'CONN' }")).toContain('tls-cert-invalid');
  });
});

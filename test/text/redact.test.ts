// What leaves ehlo (logs, handoff packets) carries no e-mail local parts, tokens or credentials.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { redact, redactEmails, redactJwts, redactSecrets } from '../../src/text/redact.ts';

/** The e-mail pattern the scanner replaced: right, but 64 steps per character on long runs without "@". */
const EMAIL_REGEX = /[A-Za-z0-9._%+=-]{1,64}@((?:[A-Za-z0-9-]{1,63}\.)+[A-Za-z]{2,63})\b/g;

/** The regex the scanner replaced: right on short inputs, quadratic on long runs of "eyJ-". */
const JWT_REGEX = /\beyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{4,}/g;

describe('redact', () => {
  it('keeps the domain of an e-mail address and drops the person', () => {
    expect(redactEmails('to jane.doe+x@contoso.com and IMCEAEX-_o=First+20Org_cn=Recipients_cn=jd@contoso.onmicrosoft.com')).toBe(
      'to [email]@contoso.com and [email]@contoso.onmicrosoft.com',
    );
    expect(redactEmails('/O=EXCHANGELABS/OU=EXCHANGE ADMINISTRATIVE GROUP/CN=RECIPIENTS/CN=abc123-jdoe')).toBe('/O=EXCHANGELABS/OU=EXCHANGE ADMINISTRATIVE GROUP/CN=RECIPIENTS/CN=[name]');
  });

  it('replaces tokens, authorization headers, URL credentials and secret assignments', () => {
    const text = [
      'token xoxb-1234567890-abcdefghij',
      'Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N',
      'Basic dXNlcjpwYXNzd29yZA==',
      'postgres://ehlo:s3cret@db.internal:5432/ehlo',
      'password=hunter22; client_secret: "abc.def~ghi"',
      'SAS sig=AbCdEf1234567890',
      'opaque aB3dE5fG7hJ9kL1mN3pQ5rS7tU9vW1xY3zA5',
    ].join('\n');
    const out = redactSecrets(text);
    expect(out).not.toMatch(/xoxb-1234|eyJhbGci|dXNlcjpw|s3cret|hunter22|abc\.def|AbCdEf1234|aB3dE5fG7/);
    expect(out).toContain('postgres://[credentials]@db.internal:5432/ehlo');
    expect(out).toContain('Basic [token]');
  });

  it('keeps what a responder needs: codes, hosts, GUIDs, certificate thumbprints', () => {
    const text = '550 5.1.1 RESOLVER.ADR.RecipNotFound; mail.contoso.com; 0d2b5c6e-1f3a-4b5c-8d9e-0f1a2b3c4d5e; thumbprint 3B2F9C4D5E6F708192A3B4C5D6E7F80912A3B4C5; /tmp/ehlo-log-Aghyw8/blocker/ehlo.log';
    expect(redact(text)).toBe(text);
  });

  it('leaves ordinary words after an auth scheme alone', () => {
    for (const text of ['basic authentication is disabled', 'Basic Authentication is disabled for this tenant', 'Negotiate authentication failed', 'the Bearer mechanism']) {
      expect(redact(text)).toBe(text);
    }
    expect(redact('Authorization: Negotiate TlRMTVNTUAABAAAAB4IIogAAAAAAAAAAAAAAAAAAAAAGAbEdAAAADw==')).toBe('Authorization: Negotiate [token]');
  });

  it('finds JSON Web Tokens exactly where the old pattern did, in one pass', () => {
    const jwt = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N';
    expect(redactJwts(`eyJnot-a-token-at-all then ${jwt}, twice:${jwt}`)).toBe('eyJnot-a-token-at-all then [token], twice:[token]');
    expect(redactJwts(`x${jwt}`)).toBe(`x${jwt}`);
    const piece = fc.constantFrom('eyJ', '-', '.', 'a', 'Z', '9', '_', ' ', 'x.', 'eyJaaaaaaaa.', 'bbbbbbbb.', 'cccc');
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 60 }), (parts) => {
        const text = parts.join('');
        expect(redactJwts(text)).toBe(text.replace(JWT_REGEX, '[token]'));
      }),
      { numRuns: 2000 },
    );
  });

  it('finds e-mail addresses exactly where the old pattern did', () => {
    const piece = fc.constantFrom('a', 'Z', '9', '.', '-', '_', '+', '@', ' ', 'com', 'x.', '..', '<', 'ab.cd', 'q'.repeat(40));
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 50 }), (parts) => {
        const text = parts.join('');
        expect(redactEmails(text)).toBe(text.replace(EMAIL_REGEX, (_m, domain: string) => `[email]@${domain}`));
      }),
      { numRuns: 3000 },
    );
  });

  it('reads a megabyte of "eyJ-" (the run that made the old pattern quadratic) and leaves it as it was', () => {
    const run = 'eyJ-'.repeat(256 * 1024);
    expect(redact(run)).toBe(run);
    const withDots = 'eyJaaaaaaaaa.'.repeat(80_000);
    expect(redactJwts(withDots)).toBe(withDots.replace(JWT_REGEX, '[token]'));
  });

  it('handles a megabyte of near-misses in one pass', () => {
    const hostile = `${'a'.repeat(64)}@`.repeat(10_000) + 'Bearer '.repeat(50_000) + 'x'.repeat(500_000);
    expect(typeof redact(hostile)).toBe('string');
  });
});

// What leaves ehlo (logs, handoff packets) carries no e-mail local parts, tokens or credentials.
import { describe, expect, it } from 'vitest';
import { redact, redactEmails, redactSecrets } from '../../src/conversation/redact.ts';

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

  it('handles a megabyte of near-misses in one pass', () => {
    const hostile = `${'a'.repeat(64)}@`.repeat(10_000) + 'Bearer '.repeat(50_000) + 'x'.repeat(500_000);
    expect(typeof redact(hostile)).toBe('string');
  });
});

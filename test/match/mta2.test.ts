import { describe, expect, it } from 'vitest';
import { defaultMatcher } from '../../src/match/index.ts';

const matcher = defaultMatcher();
const top = (text: string) => {
  const r = matcher.match(text);
  return { verdict: r.verdict, topics: r.matches[0]?.topics ?? [] };
};

describe("a Node error object's `port: 25` field is a word of the mail world", () => {
  it('nodemailer refused locally on port 25 (EACCES) is a failed SMTP connection', () => {
    const r = top("{ [Error: connect EACCES 192.0.2.10:25]\n  code: 'EACCES',\n  errno: 'EACCES',\n  syscall: 'connect',\n  address: '192.0.2.10',\n  port: 25 }");
    expect(r.verdict).not.toBe('none');
    expect(r.topics).toContain('connection-failed');
  });

  it('the same refusal on a unix socket, with nothing of mail, stays none', () => {
    expect(top("Error: connect EACCES /var/run/docker.sock\n    at PipeConnectWrap.afterConnect [as oncomplete] (net.js:1141:16) {\n  errno: -13,\n  code: 'EACCES',\n  syscall: 'connect',\n  address: '/var/run/docker.sock' }").verdict).toBe('none');
  });
});

describe('the SMTP host name that does not resolve (client-library-smtp-host-not-resolved)', () => {
  it("nodemailer's getaddrinfo ENOTFOUND for smtp.* is a DNS failure of the next hop", () => {
    const r = top("{ [Error: getaddrinfo ENOTFOUND smtp.example.com]\n  code: 'ENOTFOUND',\n  errno: 'ENOTFOUND',\n  syscall: 'getaddrinfo',\n  hostname: 'smtp.example.com' }");
    expect(r.verdict).not.toBe('none');
    expect(r.topics).toContain('dns-lookup-failed');
  });

  it("an API client's ENOTFOUND (no mail host, no EDNS) stays none", () => {
    expect(top('It is working most of the time, but suddenly failing with\n\n    getaddrinfo ENOTFOUND api.example.com api.example.com:443').verdict).toBe('none');
  });
});

describe("the certificate does not name the SMTP host (Node's checkServerIdentity)", () => {
  it('altnames mismatch while sending mail is a certificate problem', () => {
    const r = top("Error trying to send email: Hostname/IP does not match certificate's altnames: Host: mx.example.com. is not in the cert's altnames: DNS:mail.example.net");
    expect(r.verdict).not.toBe('none');
    expect(r.topics).toContain('tls-cert-invalid');
  });
});

// Client-library pastes from the field (test/fixtures/cases/field-nonerrors3.jsonl and
// field-clients3.jsonl, each with its public source): successful debug logs and config dumps of
// nodemailer, PHPMailer, smtplib, JavaMail, MailKit, ActionMailer; database, cache and HTTP API
// failures of the same applications; change notes; and the libraries' own wording of Exchange
// Online refusals (Greeting never received, Unexpected socket close, wrong version number, 5.7.3,
// 504 5.7.4, SendAsDenied, Graph's ErrorAccessDenied). And the two rules that keep the
// non-errors `none`, each shown both ways.
import { describe, expect, it } from 'vitest';
import { readCases } from '../../src/match/evaluate.ts';
import { isForeignService } from '../../src/match/foreign.ts';
import { defaultMatcher } from '../../src/match/index.ts';
import { isSourceListing } from '../../src/match/listing.ts';
import { isReportOnly } from '../../src/match/report.ts';
import { extractSignals } from '../../src/match/signals.ts';
import { splitWords } from '../../src/match/words.ts';

const matcher = defaultMatcher();
const fixture = (name: string) => readCases(new URL(`../fixtures/cases/${name}`, import.meta.url).pathname);
const negatives = fixture('field-nonerrors3.jsonl');
const errors = fixture('field-clients3.jsonl');
const signalsOf = (text: string) => extractSignals(text, splitWords(text));
const foreign = (text: string) => isForeignService(signalsOf(text), text.toLowerCase());
const report = (text: string) => isReportOnly(signalsOf(text), text.toLowerCase());
const listing = (text: string) => isSourceListing(signalsOf(text), text);
const topTopic = (text: string) => {
  const r = matcher.match(text);
  return r.verdict === 'none' ? 'none' : r.matches[0]?.topics[0];
};

describe('client-library field pastes (field-nonerrors3.jsonl, field-clients3.jsonl)', () => {
  it('has at least 60 non-errors and 40 errors, each with a source and an id of its file', () => {
    expect(negatives.length).toBeGreaterThanOrEqual(60);
    expect(errors.length).toBeGreaterThanOrEqual(40);
    expect(negatives.every((c) => c.topic === 'none' && c.id.startsWith('fld3-ne-') && c.source.startsWith('http'))).toBe(true);
    expect(errors.every((c) => c.topic !== 'none' && c.id.startsWith('fld3-cl-') && c.source.startsWith('http'))).toBe(true);
  });
  it('answers none for at least 95% of the non-errors', () => {
    const none = negatives.filter((c) => matcher.match(c.text).verdict === 'none').length;
    expect(none / negatives.length).toBeGreaterThanOrEqual(0.95);
  });
  it('names the expected topic (or an accepted one) first for at least 90% of the errors', () => {
    const right = errors.filter((c) => {
      const got = topTopic(c.text);
      return got === c.topic || (c.alt_topics ?? []).includes(got ?? '');
    }).length;
    expect(right / errors.length).toBeGreaterThanOrEqual(0.9);
  });
  it.each(errors.map((c) => ({ id: c.id, text: c.text })))('$id is no other service, no report and no source listing', ({ text }) => {
    expect(foreign(text)).toBe(false);
    expect(report(text)).toBe(false);
    expect(listing(text)).toBe(false);
  });
});

describe("another service's failure is not a mail flow problem", () => {
  it("reads a database's refused connection or TLS handshake as that service's", () => {
    expect(foreign('could not connect to server: Connection refused\n  Is the server running on host "localhost" (127.0.0.1) and accepting\n  TCP/IP connections on port 5433?')).toBe(true);
    expect(foreign("SSL handshake failed: ac-1-shard-00-02.abc.mongodb.net:27017: [SSL: TLSV1_ALERT_INTERNAL_ERROR] tlsv1 alert internal error")).toBe(true);
    expect(foreign('redis.exceptions.ConnectionError: Error 111 connecting to 127.0.0.1:6379. Connection refused.')).toBe(true);
  });
  it('keeps a paste that also speaks of mail, or carries an SMTP reply, a candidate', () => {
    // A mail queue kept in Redis: still a mail question.
    expect(foreign('nodemailer queue worker: Error: connect ECONNREFUSED 127.0.0.1:6379 while sending mail')).toBe(false);
    expect(foreign('451 4.4.0 DNS query failed; the postgres lookup table did not answer')).toBe(false);
    expect(foreign('TLS handshake failed with smtp.office365.com:587')).toBe(false);
    // Nothing of another service: nothing to say.
    expect(foreign('Connection refused')).toBe(false);
  });
  it('answers none for a database TLS failure the certificate playbook would otherwise take', () => {
    const text = "Server response: No suitable servers found: [TLS handshake failed: internal error (-9838) calling hello on 'ac-7-shard-00-02.x.mongodb.net:27017']";
    expect(matcher.match(text).verdict).toBe('none');
    expect(matcher.match('TLS handshake failed: internal error (-9838) calling hello on mail.contoso.com:25').verdict).not.toBe('none');
  });
});

describe('a change note is no failure', () => {
  it('reads a pull request or release note that tells of no trouble as a note', () => {
    expect(report('Add option to explicitly specify the use of STARTTLS\nRequired for servers that use STARTTLS without SMTPS such as Office 365')).toBe(true);
    expect(report('STARTTLS is mandatory for Office 365. This PR adds that option, tested with our subscription.')).toBe(true);
  });
  it('keeps a note that tells of trouble, or quotes a reply code, a candidate', () => {
    expect(report('This PR works around the error: STARTTLS fails against Office 365')).toBe(false);
    expect(report('Add option to retry on 451 4.7.500 Server busy')).toBe(false);
    expect(report('Required for servers that use STARTTLS without SMTPS')).toBe(false);
  });
});

describe('program source is no session', () => {
  const handler = [
    'private string cmd_rcpt(string cmdLine)',
    '{',
    '    if (string.IsNullOrEmpty(this._mailFrom))',
    '        return "503 Need MAIL before RCPT";',
    '    if (!isLocalDomain(this._mailDom))',
    '        return "530 Relaying not allowed for policy reasons";',
    '}',
  ].join('\n');
  it("reads a server's reply literals and a test's mocked reply as the program's", () => {
    expect(listing(handler)).toBe(true);
    expect(matcher.match(handler).verdict).toBe('none');
    const mock = "it('reports a refused recipient', async () => {\n  const reply = '550 5.1.1 User unknown';\n  expect(await send(reply)).toBe(false);\n});";
    expect(listing(mock)).toBe(true);
  });
  it('keeps a failure outside the literals, a traceback and a printed error object, candidates', () => {
    expect(listing(`${handler}\nS: 550 5.7.1 Unable to relay`)).toBe(false);
    const traceback = "    if code != 235:\n        raise SMTPAuthenticationError(code, resp)\n    return (code, resp)\nsmtplib.SMTPAuthenticationError: (535, b'5.7.139 Authentication unsuccessful')";
    expect(listing(traceback)).toBe(false);
    expect(listing("{ code: 'EAUTH',\n  response: '535 5.7.3 Authentication unsuccessful',\n  responseCode: 535,\n  command: 'AUTH LOGIN' }")).toBe(false);
  });
});

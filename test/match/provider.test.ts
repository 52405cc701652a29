// A client's sign-in refused by another provider's submission service (Gmail, SendGrid, Amazon SES,
// QQ, Zoho …) answers `none` and names the provider; Exchange Online's own AUTH failures, bounces
// that Exchange relays from such a provider, and pastes that name Microsoft as well keep their topic.
// The collected cases: test/fixtures/cases/field-providers.jsonl (each with its public source).
import { describe, expect, it } from 'vitest';
import { diagnosisCard } from '../../src/conversation/cards/diagnosis.ts';
import { readCases } from '../../src/match/evaluate.ts';
import { defaultMatcher } from '../../src/match/index.ts';
import { otherProvider } from '../../src/match/provider.ts';
import { extractSignals } from '../../src/match/signals.ts';
import { splitWords } from '../../src/match/words.ts';
import { renderMatch } from '../../src/cli/render-match.ts';
import { replyText } from '../conversation/helpers.ts';

const matcher = defaultMatcher();
const provider = (topics: string[], text: string) => otherProvider(topics, extractSignals(text, splitWords(text)), text.toLowerCase());
const topicOf = (text: string) => matcher.match(text).matches[0]?.topics[0];

const GMAIL_535 = "smtplib.SMTPAuthenticationError: (535, b'5.7.8 Username and Password not accepted. Learn more at\\n5.7.8  https://support.google.com/mail/?p=BadCredentials j10sm5731558pfn.207 - gsmtp')";
const SES_535 = 'Error: Invalid login: 535 Authentication Credentials Invalid\nhost: email-smtp.eu-west-1.amazonaws.com';
const EXO_535 = "smtplib.SMTPAuthenticationError: (535, b'5.7.139 Authentication unsuccessful, the user credentials were incorrect. [PR3P191CA0004.EURP191.PROD.OUTLOOK.COM]')\nhost smtp.office365.com port 587";
const RELAYED_NDR = [
  'Delivery has failed to these recipients or groups:',
  'user@gmail.com',
  'Diagnostic information for administrators:',
  'Generating server: EX01.contoso.local',
  "Remote Server returned '530 5.7.0 Authentication Required. Learn more at https://support.google.com/mail/?p=WantAuthError x1sm1 - gsmtp'",
].join('\n');

describe('another provider\'s submission service', () => {
  it('a Gmail sign-in refusal answers none and names Gmail, by its gsmtp trace', () => {
    const r = matcher.match(GMAIL_535);
    expect(r.verdict).toBe('none');
    expect(r.otherProvider).toMatchObject({ name: 'Gmail', evidence: 'gsmtp' });
    expect(r.otherProvider?.host).toBeUndefined();
    // The ranking stays, for whoever wants to see what the wording resembled.
    expect(r.matches[0]?.topics).toContain('smtp-auth-failed');
  });

  it('an Amazon SES refusal names SES and its regional submission host', () => {
    const r = matcher.match(SES_535);
    expect(r.verdict).toBe('none');
    expect(r.otherProvider).toMatchObject({ name: 'Amazon SES', host: 'email-smtp.eu-west-1.amazonaws.com' });
    expect(r.otherProvider?.docs).toMatch(/^https:\/\/docs\.aws\.amazon\.com\//);
  });

  it('Exchange Online\'s own 535 5.7.139 from smtp.office365.com keeps its topic', () => {
    const r = matcher.match(EXO_535);
    expect(r.verdict).toBe('match');
    expect(r.matches[0]?.topics).toContain('smtp-auth-failed');
    expect(r.otherProvider).toBeUndefined();
  });

  it('a Gmail reply that Exchange relays in its NDR is Exchange\'s to explain', () => {
    const r = matcher.match(RELAYED_NDR);
    expect(r.verdict).not.toBe('none');
    expect(r.otherProvider).toBeUndefined();
    const reject = "Remote Server returned '550-5.7.1 [203.0.113.5] Our system has detected that this message is likely unsolicited mail. https://support.google.com/mail/?p=UnsolicitedMessageError a1si123 - gsmtp'";
    expect(topicOf(reject)).toBe('remote-policy-reject');
    expect(matcher.match(reject).otherProvider).toBeUndefined();
  });

  it('a paste that names Exchange Online as well as Gmail keeps its topic', () => {
    const both = `${GMAIL_535}\nWe moved from smtp.office365.com to Gmail last week`;
    const r = matcher.match(both);
    expect(r.verdict).not.toBe('none');
    expect(r.otherProvider).toBeUndefined();
  });

  it('looks only at submission and sign-in topics, and needs one provider', () => {
    expect(provider(['smtp-auth-failed'], GMAIL_535)?.name).toBe('Gmail');
    expect(provider(['connection-failed'], 'connect to smtp.gmail.com:465 timed out')).toBeUndefined();
    expect(provider(['smtp-auth-failed'], '535 Authentication failed via smtp.sendgrid.net for a Gmail account, see gsmtp')).toBeUndefined();
    expect(provider(['smtp-auth-failed'], '535 Authentication failed: Bad username / password')).toBeUndefined();
  });

  it('takes only Amazon\'s hosts for SES, and a Microsoft mark stops it', () => {
    expect(provider(['smtp-auth-failed'], '535 failed at email-smtp.example.org')).toBeUndefined();
    expect(provider(['smtp-auth-failed'], '535 failed at email-smtp.us-east-1.amazonaws.com')?.host).toBe('email-smtp.us-east-1.amazonaws.com');
    expect(provider(['smtp-auth-failed'], '535 5.7.3 Authentication unsuccessful at smtp.gmail.com')).toBeUndefined();
    expect(provider(['smtp-auth-failed'], '535 failed at smtp.gmail.com; 550 5.1.1 RESOLVER.ADR.RecipNotFound')).toBeUndefined();
  });

  it('reads a huge paste in bounded time', () => {
    const huge = `${'x'.repeat(2_000_000)} 535 at smtp.gmail.com`;
    const t = performance.now();
    expect(provider(['smtp-auth-failed'], huge)).toBeUndefined(); // past the head it reads
    expect(performance.now() - t).toBeLessThan(1000);
  });
});

describe('the collected provider sign-in failures', () => {
  const cases = readCases(new URL('../fixtures/cases/field-providers.jsonl', import.meta.url).pathname);
  it('has at least 15 cases, all labelled none', () => {
    expect(cases.length).toBeGreaterThanOrEqual(15);
    expect(cases.every((c) => c.topic === 'none')).toBe(true);
  });
  it.each(cases.map((c) => ({ id: c.id, text: c.text })))('$id answers none and names the provider', ({ text }) => {
    const r = matcher.match(text);
    expect(r.verdict).toBe('none');
    expect(r.otherProvider?.name).toBeTruthy();
  });
});

describe('a provider named as the service the client sends through, and a provider\'s relay refusal', () => {
  // Shapes of marcpope/borgbackupserver#16, symfony/symfony#36755 and openboxes/openboxes#60 (test/fixtures/cases/field-clients5.jsonl).
  const BREVO = "I triple checked my SMTP credentials, tried with Brevo SMTP Keys and each time i've got :\nFailed: Authentication failed: 535 5.7.0 Invalid login or password";
  const HETZNER = 'Authenticator "LOGIN" returned "Expected response code "235" but got code "535", with message "535 Incorrect authentication data".\nIn this case it\'s Hetzner email provider:';
  const MANDRILL = 'Sending the email to the following server failed : smtp.mandrillapp.com:587\ncom.sun.mail.smtp.SMTPAddressFailedException: 454 4.7.1 <info@example.org>: Relay access denied';

  it('answers none for a sign-in refused by a provider the paste says it sends through', () => {
    expect(matcher.match(BREVO)).toMatchObject({ verdict: 'none', otherProvider: { name: 'Brevo (Sendinblue)', evidence: 'brevo smtp' } });
    expect(matcher.match(HETZNER).otherProvider?.name).toBe('Hetzner');
  });

  it('needs more than the bare name, and Microsoft\'s wording still wins', () => {
    expect(provider(['smtp-auth-failed'], '535 Incorrect authentication data; our newsletters go out through Brevo')).toBeUndefined();
    expect(provider(['smtp-auth-failed'], 'Brevo SMTP worked, smtp.office365.com says 535 5.7.3 Authentication unsuccessful')).toBeUndefined();
  });

  it('turns a relay refusal into none only with the provider\'s submission host', () => {
    expect(matcher.match(MANDRILL)).toMatchObject({ verdict: 'none', otherProvider: { name: 'Mandrill', host: 'smtp.mandrillapp.com' } });
    expect(provider(['relay-denied'], '454 4.7.1 <a@b.c>: Relay access denied, see gsmtp')).toBeUndefined();
    expect(topicOf('454 4.7.1 <info@example.org>: Relay access denied')).toBe('relay-denied');
  });
});

describe('the no-match card', () => {
  it('says which provider answered, with its host when the paste names it', () => {
    const r = matcher.match(SES_535);
    const text = replyText(diagnosisCard('t', SES_535, r, matcher.catalog));
    expect(text).toMatch(/^No playbook matches this paste/);
    expect(text).toContain("This reply came from Amazon SES's SMTP service (email-smtp.eu-west-1.amazonaws.com), not from Exchange");
  });
  it('says nothing of a provider when none answered', () => {
    const r = matcher.match('hello, is anyone there?');
    expect(replyText(diagnosisCard('t', 'hello', r, matcher.catalog))).not.toMatch(/This reply came from/);
  });
  it('shows the same in `ehlo match`\'s readable output', async () => {
    const r = matcher.match(GMAIL_535);
    const out = await renderMatch(GMAIL_535, r, matcher.catalog);
    expect(out).toContain("This reply came from Gmail's SMTP service, not from Exchange");
    expect(out).toContain('https://support.google.com/mail/answer/7126229');
  });
});

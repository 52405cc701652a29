// Pastes that are not Exchange mail-flow problems but share their words (test/fixtures/cases/
// field-nonerrors5.jsonl, each with its public source): another program's refused or timed-out
// connection, TLS handshake or disk quota, in several languages; another provider's sandbox (Amazon
// SES); phishing dressed as a quota notice. And the real Exchange errors with the same words
// (field-near-errors.jsonl) that must keep their playbook. The rules that tell them apart are shown
// both ways: isOutsideMail (foreign.ts), the phishing lure (report.ts), a provider's own policy
// refusal (provider.ts).
import { describe, expect, it } from 'vitest';
import { readCases } from '../../src/match/evaluate.ts';
import { isOutsideMail } from '../../src/match/foreign.ts';
import { defaultMatcher } from '../../src/match/index.ts';
import { otherProvider } from '../../src/match/provider.ts';
import { isReportOnly } from '../../src/match/report.ts';
import { extractSignals } from '../../src/match/signals.ts';
import { splitWords } from '../../src/match/words.ts';

const matcher = defaultMatcher();
const fixture = (name: string) => readCases(new URL(`../fixtures/cases/${name}`, import.meta.url).pathname);
const signalsOf = (text: string) => extractSignals(text, splitWords(text));
const topTopic = (text: string) => {
  const r = matcher.match(text);
  return r.verdict === 'none' ? 'none' : r.matches[0]?.topics[0];
};
const outside = (topics: string[], text: string, wordingOnly = false) => isOutsideMail(topics, wordingOnly, signalsOf(text), text.toLowerCase());

describe('field non-errors that share mail-flow words (field-nonerrors5.jsonl)', () => {
  const cases = fixture('field-nonerrors5.jsonl');

  it.each(cases.map((c) => [c.id, c.text] as const))('%s is none', (_id, text) => {
    expect(topTopic(text)).toBe('none');
  });

  it('keeps the real Exchange errors with the same words (field-near-errors.jsonl)', () => {
    for (const c of fixture('field-near-errors.jsonl')) {
      expect([c.topic, ...(c.alt_topics ?? [])], c.id).toContain(topTopic(c.text));
    }
  });
});

describe('isOutsideMail', () => {
  it('takes a connection, TLS or quota failure that names nothing of mail for another program', () => {
    expect(outside(['connection-failed'], 'kubectl error :Unable to connect to the server: dial tcp 192.168.99.100:8443: i/o timeout')).toBe(true);
    expect(outside(['tls-cert-invalid'], '[crit] 619#0: *39975386 SSL_do_handshake() failed (SSL: error:140A1175:SSL routines) while SSL handshaking,')).toBe(true);
    expect(outside(['mailbox-full'], "OSError: [Errno 122] Disk quota exceeded: 'out/intermediate.ntw'")).toBe(true);
    expect(outside(['connection-failed'], "[WinError 10061] 대상 컴퓨터에서 연결을 거부했으므로 연결하지 못했습니다'))")).toBe(true);
  });

  it('keeps a paste with a word of mail, in any language, or a code', () => {
    expect(outside(['connection-failed'], 'Anslutning avslås [meddelande = socketfelkod 10061]')).toBe(false);
    expect(outside(['mailbox-full'], '[退信] 收件容量满:Quota exceeded')).toBe(false);
    expect(outside(['mailbox-full'], 'Mesajul nu a putut fi livrat pentru că căsuța poștală a destinatarului este plină.')).toBe(false);
    expect(outside(['tls-cert-invalid'], 'TLS negotiation failed with error NoCredentials')).toBe(false);
    expect(outside(['connection-failed'], 'Switching to port 465 is not an option, I have received a connection timeout')).toBe(false);
    expect(outside(['connection-failed'], '421 4.4.1 Connection timed out. Total session duration: 00:05:00.7054661')).toBe(false);
  });

  it('reads other topics only when the wording alone ranks them', () => {
    const text = 'часто возникает ошибка "Время ожидания истекло". Сервер достаточно маломощный';
    expect(outside(['outlook-anywhere-rpc'], text)).toBe(false);
    expect(outside(['outlook-anywhere-rpc'], text, true)).toBe(true);
  });
});

const report = (text: string) => isReportOnly(signalsOf(text), text.toLowerCase());

describe('an article that explains a code', () => {
  it('is none on two of its headings, whatever codes it lists', () => {
    expect(report('421 — Try Again Later\nMeaning: Server is temporarily refusing connections.\nCauses:\n- Rate limiting\nFixes:\n- Reduce concurrent connections')).toBe(true);
    expect(report('421 4.7.0 Try again later, closing connection.\nMeaning: the server is busy')).toBe(false);
  });
});

describe('a phishing lure dressed as a quota notice', () => {
  it('is none on two of its marks, not on a real over-quota notice', () => {
    expect(report('Your Mailbox Has Exceeded It Quota/Limit, And You May Not Be Able To Send Or Receive New Mails Until You Re-Validate It. To Re-Validate, Please Click : Click here')).toBe(true);
    expect(report('Your mailbox is almost full. Please delete some items or ask your administrator to increase your quota.')).toBe(false);
  });
});

describe("a provider's own policy refusal", () => {
  const provider = (topics: string[], text: string) => otherProvider(topics, signalsOf(text), text.toLowerCase())?.name;
  const ses = 'MessageRejected: Email address is not verified. The following identities failed the check in region US-WEST-2: someone@example.org';
  it("names Amazon SES's sandbox for a remote-policy candidate", () => {
    expect(provider(['remote-policy-reject'], ses)).toBe('Amazon SES');
  });
  it("names Gmail for its own daily sending quota, not Exchange's recipient rate limit", () => {
    expect(provider(['sending-limit-exceeded'], "SMTPDataError: (550, b'5.4.5 Daily user sending quota exceeded. s124sm6149838wme.29 - gsmtp')")).toBe('Gmail');
    expect(provider(['sending-limit-exceeded'], '554 5.2.0 STOREDRV.Submission.Exception:SubmissionQuotaExceededException; Failed to process message due to a permanent exception')).toBeUndefined();
  });
  it("leaves a remote rejection with only a provider's trace (Gmail's gsmtp) to its playbook", () => {
    expect(provider(['remote-policy-reject'], '550-5.7.1 Our system has detected that this message is likely unsolicited mail. gsmtp')).toBeUndefined();
  });
});

describe('Spanish demonstratives are not wording', () => {
  it('does not read a Spanish note quoting a provider notice ("Recibí este email … hace unos días") as a full mailbox', () => {
    const text = 'Recibí este email de SendGrid hace unos días. Usé mi cuenta personal. Que hacemos?\n\n> You have reached your credit limit and you will not be able to send email until your credits renew or you upgrade your account.';
    expect(topTopic(text)).toBe('none');
  });
});

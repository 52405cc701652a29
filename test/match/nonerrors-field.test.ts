// Non-errors as people paste them (test/fixtures/cases/field-nonerrors2.jsonl, each with its public
// source): successful client-library and MTA sessions, delivery notices, DMARC and ARF reports, OOF
// and feedback-loop talk, Kafka/MQTT/git/ssh/HTTP-429 failures of other systems, Chinese and Japanese
// text. And the rules that keep them `none`, each shown both ways: what they let through and what
// they still keep a candidate.
import { describe, expect, it } from 'vitest';
import { isComponent } from '../../src/match/classify.ts';
import { readCases } from '../../src/match/evaluate.ts';
import { defaultMatcher } from '../../src/match/index.ts';
import { tellsOfTrouble } from '../../src/match/localised.ts';
import { isReportOnly } from '../../src/match/report.ts';
import { extractSignals } from '../../src/match/signals.ts';
import { isSuccessOnly, isVersion, mentionsTrouble } from '../../src/match/success.ts';
import { splitWords } from '../../src/match/words.ts';

const matcher = defaultMatcher();
const cases = readCases(new URL('../fixtures/cases/field-nonerrors2.jsonl', import.meta.url).pathname);
const signalsOf = (text: string) => extractSignals(text, splitWords(text));
const success = (text: string) => isSuccessOnly(signalsOf(text), text.toLowerCase());
const report = (text: string) => isReportOnly(signalsOf(text), text.toLowerCase());

describe('field non-errors (field-nonerrors2.jsonl)', () => {
  const negatives = cases.filter((c) => c.topic === 'none');
  const errors = cases.filter((c) => c.topic !== 'none');
  it('has at least 70 non-errors and some errors of the same shapes, each with a source', () => {
    expect(negatives.length).toBeGreaterThanOrEqual(70);
    expect(errors.length).toBeGreaterThanOrEqual(5);
    expect(cases.every((c) => c.source.startsWith('http'))).toBe(true);
  });
  it('answers none for at least 97% of the non-errors', () => {
    const none = negatives.filter((c) => matcher.match(c.text).verdict === 'none').length;
    expect(none / negatives.length).toBeGreaterThanOrEqual(0.97);
  });
  it.each(errors.map((c) => ({ id: c.id, text: c.text })))('$id is no success log and no report', ({ text }) => {
    expect(success(text)).toBe(false);
    expect(report(text)).toBe(false);
  });
});

describe('a success log keeps what only looks like trouble out of the way', () => {
  it('reads a mail software version shaped like a status code as a version', () => {
    const phpmailer = 'CLIENT -> SERVER: X-Mailer: PHPMailer 5.2.28 (https://github.com/PHPMailer/PHPMailer)\nSERVER -> CLIENT: 250 2.0.0 OK';
    const exim = '220-mx.example.com ESMTP Exim 4.94.2 #1 Thu, 03 Mar 2016\n250 OK id=1gZC8B-0001LS-SZ';
    expect(success(phpmailer)).toBe(true);
    expect(success(exim)).toBe(true);
    const at = exim.indexOf('4.94.2');
    expect(isVersion(exim.toLowerCase(), at)).toBe(true);
    // A status code after a reply code, or on its own, is a status code.
    expect(success('220 ready\n451 4.7.500 Server busy')).toBe(false);
    expect(success('250 OK\nStatus: 4.4.7')).toBe(false);
  });
  it('takes an HTTP success for one and an HTTP failure for a failure', () => {
    expect(success('POST https://graph.microsoft.com/v1.0/me/sendMail HTTP/1.1 202 Accepted\n250 OK')).toBe(true);
    expect(success('token endpoint returned HTTP 401\n220 ready\n250 OK')).toBe(false);
  });
  it('reads a timeout setting as a setting, a timeout as trouble', () => {
    expect(success('Connection: opening to smtp.office365.com:587, timeout=300, options=array()\nSERVER -> CLIENT: 220 ready')).toBe(true);
    expect(success('mail.smtp.timeout 10000\n250 OK')).toBe(true);
    expect(success('220 ready\n250 OK\nconnection timeout after DATA')).toBe(false);
    expect(mentionsTrouble('timeout=30 then a timeout')).toBe(true);
  });
  it("reads Postfix's delay fields as fields, a delayed message as trouble", () => {
    const sent = 'postfix/smtp[1959099]: 558CF183676E9: to=<a@b.com>, relay=b-com.mail.protection.outlook.com[52.101.1.1]:25, delay=0.73, delays=0.06/0/0.13/0.54, dsn=2.6.0, status=sent (250 2.6.0 <x@y> Queued mail for delivery)';
    expect(success(sent)).toBe(true);
    expect(success('sm-mta[11346]: to=<a@b.com>, delay=00:00:01, xdelay=00:00:01, mailer=esmtp, dsn=2.0.0, stat=Sent (250 ok)')).toBe(true);
    expect(success('250 2.6.0 Queued mail for delivery\nbut delivery was delayed for hours')).toBe(false);
  });
  it('reads a host with a capitalised first label as a host, not an Exchange component', () => {
    expect(isComponent('SMTP.office365.com')).toBe(false);
    expect(isComponent('OTHERSERVER.DOMAIN.com')).toBe(false);
    expect(isComponent('RESOLVER.ADR.RecipNotFound')).toBe(true);
    expect(isComponent('STOREDRV.Deliver')).toBe(true);
    expect(isComponent('QUEUE.Expired')).toBe(true);
    expect(success('$mail->Host = "SMTP.office365.com";\nSERVER -> CLIENT: 220 ready\nSERVER -> CLIENT: 250 OK')).toBe(true);
  });
  it('does not read the message it sent: words and codes between 354 and the reply that accepts it', () => {
    const alert = '220 mx ready\nEHLO x\n250 OK\nDATA\n354 End data with <CR><LF>.<CR><LF>\nSubject: [Zabbix] Problem: backup job failed\nX-Mailer: PHPMailer 5.2.28\nthe disk is full, error 0x80070070\n.\n250 2.0.0 Ok: queued as 1234\nQUIT\n221 Bye';
    expect(success(alert)).toBe(true);
    // What is said after the session still counts; a cut log's content is read as the rest of the paste.
    expect(success(`${alert}\nbut the mail never arrives`)).toBe(false);
    expect(success('220 ready\nDATA\n354 go ahead\nthe log stops here with an error')).toBe(false);
    expect(success('220 ready\nDATA\n354 go ahead\nSubject: hi\n.\n550 5.7.1 rejected as spam')).toBe(false);
  });
  it("reads a certificate's issuer as no issue", () => {
    expect(success('depth=0 CN = outlook.com\nverify return:1\nissuer=C = US, O = DigiCert Inc\n    Timeout   : 7200 (sec)\n250 SMTPUTF8')).toBe(true);
    expect(success('250 OK\nbut there is an issue with the relay')).toBe(false);
  });
  it('takes a delivery notice that says the message arrived for a success, a failed one not', () => {
    expect(success('Delivery to these recipients or groups is complete, but no delivery notification was sent by the destination server:\n\nuser@contoso.com')).toBe(true);
    expect(success('Your message has been delivered to the following recipients:\n\njohn@contoso.com')).toBe(true);
    expect(success('Final-Recipient: rfc822;john@fabrikam.com\nAction: relayed\nStatus: 2.0.0')).toBe(true);
    expect(success('Final-Recipient: rfc822;john@fabrikam.com\nAction: failed\nStatus: 5.1.1')).toBe(false);
    expect(success("Delivery Status Notification (Failure)\nYour message wasn't delivered because the recipient's email provider rejected it.")).toBe(false);
  });
});

describe('a DMARC or ARF report is no failure', () => {
  const dmarc = '<record>\n <row>\n  <source_ip>104.47.37.209</source_ip>\n  <policy_evaluated>\n   <disposition>none</disposition>\n   <dkim>pass</dkim>\n   <spf>fail</spf>\n  </policy_evaluated>\n </row>\n</record>';
  const arf = 'Feedback-Type: abuse\nUser-Agent: SomeGenerator/1.0\nVersion: 1\nOriginal-Mail-From: <sender@example.net>\nArrival-Date: Thu, 8 Mar 2005 14:00:00 EDT';
  it('recognises an aggregate report and a feedback report', () => {
    expect(report(dmarc)).toBe(true);
    expect(report(arf)).toBe(true);
    expect(matcher.match(dmarc).verdict).toBe('none');
  });
  it('keeps a rejection that quotes report-like words a candidate', () => {
    expect(report(`550 5.7.509 Access denied, sending domain does not pass DMARC verification\n${dmarc}`)).toBe(false);
    expect(report('<disposition>reject</disposition> only one element')).toBe(false);
    expect(report('Feedback-Type: abuse')).toBe(false);
    const spfReject = '550 5.7.23 The message was rejected because of Sender Policy Framework violation';
    expect(matcher.match(spfReject).verdict).not.toBe('none');
  });
});

describe('an automatic reply itself is no OOF problem', () => {
  const own = (id: string) => cases.find((c) => c.id === id)?.text ?? '';
  it('recognises an out-of-office reply, in English and in Chinese', () => {
    expect(report(own('fld-ne2-autoreply-helloworld166-project-week'))).toBe(true);
    expect(report(own('fld-ne2-zh-autoreply-aisystem257-vacation'))).toBe(true);
  });
  it('keeps a quoted auto-reply that comes with trouble, and a bare thank-you, a candidate', () => {
    expect(report('Our users set this OOF: "I am out of the office, limited access to email" but external senders never get it')).toBe(false);
    expect(report('Thank you for your email, we will look into it')).toBe(false);
    expect(report('Automatic reply: I am out of the office\n550 5.7.1 RESOLVER.RST.NotAuthorized')).toBe(false);
  });
});

describe('Chinese and Japanese "no problem" tells of no trouble', () => {
  it('reads 没问题 / 問題ない as no problem and 问题 / 問題 as one', () => {
    expect(tellsOfTrouble('smtp服务器确定没问题，重置邮件可以正常发送。', 'zh')).toBe(false);
    expect(tellsOfTrouble('smtp服务器有问题，邮件发送', 'zh')).toBe(true);
    expect(tellsOfTrouble('没问题，但是这里还有一个问题', 'zh')).toBe(true);
    expect(tellsOfTrouble('サーバーは問題ないです', 'ja')).toBe(false);
    expect(tellsOfTrouble('サーバーに問題があります', 'ja')).toBe(true);
  });
});

describe('a note about documentation', () => {
  // Written for these tests, in the shape of a docs tracker's issue.
  const note = 'Automatic replies (out of office) are supported now, so the help pages should be updated: the section on filters still says they are not supported.';
  const plain = 'Our out of office replies stopped going to external senders after the update.';

  it('is a report that answers none', () => {
    expect(report(note.replace(' still says they are not supported', ' describes the old way'))).toBe(true);
    expect(defaultMatcher().match('Riseup supports out-of-office replies now and this section of the help pages should be updated.').verdict).toBe('none');
  });

  it('stays a candidate when it tells of trouble, or is no note about documentation', () => {
    expect(report(note)).toBe(false);
    expect(report(plain)).toBe(false);
    expect(report('The documentation says 550 5.1.1 means the recipient does not exist; this section should be updated.')).toBe(false);
  });
});

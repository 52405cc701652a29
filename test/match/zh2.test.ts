// Chinese pastes of issue 12 (test/fixtures/cases/lang-zh6.jsonl, each with its public source): a
// translated list of a server's replies ("450 queue unavailable. (队列忙)") is a code table
// (listing.ts, glossCode); NetEase's content refusal "554 DT:SPM" of what its own client submits
// is that provider's policy (provider.ts, ownPolicy); Go's "x509: certificate is valid for A, not B"
// on an SMTP connection is a certificate name mismatch. Each rule is shown both ways.
import { describe, expect, it } from 'vitest';
import { defaultMatcher } from '../../src/match/index.ts';
import { isCodeTable } from '../../src/match/listing.ts';
import { otherProvider } from '../../src/match/provider.ts';
import { extractSignals } from '../../src/match/signals.ts';
import { splitWords } from '../../src/match/words.ts';

const matcher = defaultMatcher();
const topTopic = (text: string) => {
  const r = matcher.match(text);
  return r.verdict === 'none' ? 'none' : r.matches[0]?.topics[0];
};
const provider = (topics: string[], text: string) => otherProvider(topics, extractSignals(text, splitWords(text)), text.toLowerCase());

describe('glossed code rows', () => {
  it('takes three different failure codes, each row ending on a CJK gloss in parentheses', () => {
    expect(isCodeTable('450 queue unavailable. (队列忙)\n451 auth error. (认证临时失败)\n553 host denies relay. (拒绝中继)')).toBe(true);
    expect(isCodeTable('>>553 host denies the sender. (拒绝发件人地址)\\r\\n\n>>552 looping message. (环回信件)\\r\\n\n>>550 mailbox unavailable. (邮箱不存在)\\r\\n')).toBe(true);
    expect(isCodeTable('550 mailbox unavailable（邮箱不存在）\n552 message is too long（邮件大小超过限制）\n554 rbl deny（拒绝 RBL 中的邮件服务器）')).toBe(true);
  });
  it('leaves replies alone: no gloss, a Latin parenthesis (Postfix), or one code only', () => {
    expect(isCodeTable('550 5.1.1 <a@example.com>: Recipient address rejected (in reply to RCPT TO command)\n552 5.2.2 Mailbox full (in reply to RCPT TO command)\n554 5.7.1 Spam message rejected (in reply to end of DATA command)')).toBe(false);
    expect(isCodeTable('450 queue unavailable. (队列忙)\n450 queue unavailable. (队列忙)')).toBe(false);
    expect(isCodeTable('553 host denies relay. (拒绝中继)\n本来可以发送，现在报错')).toBe(false);
  });
  it('answers none for the translated list and keeps a real relay refusal', () => {
    const list = ['450 out of memory. (内部错误)', '550 mailbox unavailable. (邮箱不存在)', '553 host denies relay. (拒绝中继)', '554 rbl deny. (拒绝 RBL 中的邮件服务器)'].join('\n');
    expect(topTopic(list)).toBe('none');
    expect(topTopic('发送邮件报错：550 5.7.54 SMTP; Unable to relay recipient in non-accepted domain')).toBe('relay-denied');
  });
});

describe("NetEase's DT:SPM", () => {
  const DTSPM = "smtplib.SMTPDataError: (554, b'DT:SPM 163 smtp10,DsCowAA3D+JApVpd78gMKg--.16104S2 1566221632,please see http://mail.163.com/help/help_spam_16.htm')";
  it('names NetEase as the provider whose policy refused the submission', () => {
    expect(provider(['remote-policy-reject'], DTSPM)?.name).toBe('NetEase Mail (163/126)');
    expect(provider(['remote-policy-reject'], '554 5.7.1 Message rejected as spam by Content Filtering.')).toBeUndefined();
  });
  it('keeps a bounce Exchange relays from a NetEase server', () => {
    expect(provider(['remote-policy-reject'], `Remote Server returned '${DTSPM}'`)).toBeUndefined();
  });
});

describe('Go certificate name mismatch on SMTP', () => {
  it('matches a mail library paste and leaves Kubernetes alone', () => {
    expect(matcher.match('设置公司邮箱发送邮件时出错，错误信息：\nx509: certificate is valid for mail04, mail04.example.com, not mail.example.com').matches[0]?.topics).toContain('tls-cert-invalid');
    expect(topTopic('Unable to connect to the server: x509: certificate is valid for 10.96.0.1, not 192.168.1.10\nkubectl get nodes')).toBe('none');
  });
});

// Chinese and Japanese pastes of issue 12 (test/fixtures/cases/cjk3.jsonl, each with its public source): a help
// page's table of bounce keywords glossed in Chinese or Japanese is a code table (listing.ts, cellKind); Japanese
// and Chinese help pages name themselves ("対処例", "参考に", "解决办法", localised.ts HELP_PAGE); a sign-in refused
// beside a Chinese provider's name ("阿里云企业邮箱") is that provider's (provider.ts, names); Outlook's Japanese
// encryption dialog, Exchange Online's 5.1.8 NDR in Japanese and "unauthorized relaying" find their playbooks.
// Each rule is shown both ways.
import { describe, expect, it } from 'vitest';
import { defaultMatcher } from '../../src/match/index.ts';
import { isCodeTable } from '../../src/match/listing.ts';

const matcher = defaultMatcher();
const topTopic = (text: string) => {
  const r = matcher.match(text);
  return r.verdict === 'none' ? 'none' : r.matches[0]?.topics[0];
};

describe('keyword rows glossed in CJK', () => {
  it('takes three bounce keywords each glossed on the next cell line', () => {
    expect(isCodeTable('user name is unknown |\n送信先メールアドレスの@マークの左側が存在しません |\nhost name is unknown |\n送信先メールアドレスの@マークの右側が存在しません |\nmail box is full |\n送信先のメールボックスが満杯で送信できません |')).toBe(true);
    expect(isCodeTable('invalid address (# |\n·对方用户不存在 |\nUser ***@*** is disabled |\n·帐号被禁用(冻结或删除等) |\nHost、not found、bad host |\n·无法查找对方服务器名称(域名/主机) |')).toBe(true);
  });
  it('leaves a table of one language alone, and a paste with fewer than three glossed rows', () => {
    expect(isCodeTable('| Status | Detail |\n| 550 | 5.1.1 User unknown |\n| 552 | Mailbox full |')).toBe(false);
    expect(isCodeTable('mail box is full |\n送信先のメールボックスが満杯で送信できません |\n本文')).toBe(false);
  });
  it('answers none for the glossed table and keeps a real bounce', () => {
    const table = ['no mailbox here by that name |', '該当のメールアドレスが存在しません |', 'mail box is full |', '送信先のメールボックスが満杯で送信できません |', 'message is too large |', '送信したメールの容量が送信先のメールサーバの容量を超えている為メール送信出来ません |'].join('\n');
    expect(topTopic(table)).toBe('none');
    expect(topTopic('Remote host said: 550 5.7.606 Access denied, banned sending IP [203.0.113.9]. To request removal from this list please visit https://sender.office.com/ (AS16012609)')).toBe('ip-blocklisted');
  });
});

describe('Japanese help pages that list errors', () => {
  it('answers none for a guide that quotes a bounce and a list of codes as reference', () => {
    const guide = 'エラーメールが届いたら\n\nメールを送信したら、Mail Delivery Subsystemから\nエラーメールが届くことがあると思いますが、\nそんなときのための参考に。\n\n例えば、\n\n: host abc.co.jp[111.111.245.000] said: 550 5.7.1\n... Relaying denied (in reply to RCPT TO command)\n\n550 Host unknown\n宛先のホストがない。';
    expect(topTopic(guide)).toBe('none');
  });
  it('keeps a page about one relay refusal', () => {
    expect(topTopic("送信しようとすると' 550 5.7.1 Sorry [account@domain] , I don't allow unauthorized relaying . ' が表示されて送信できない")).toBe('relay-denied');
  });
});

describe('localised Outlook and Exchange Online wording', () => {
  it("finds Outlook's Japanese encryption dialog and the 5.1.8 NDR in Japanese", () => {
    expect(topTopic('「テスト アカウント設定」ダイアログ画面が表示され「エラー」タブに「テスト電子メール メッセージの送信:このサーバーは、指定した種類の接続暗号化をサポートしていません…」に表記されます。')).toBe('starttls-required');
    expect(topTopic("有効な送信者として認識されなかったため、メッセージを配信できませんでした。 詳細については、メール管理者に問い合わせてください。 リモートサーバーが ' 550 5.1.8 アクセスが拒否されましたが、正しくない送信送信者 ' が返されました")).toBe('sender-banned-outbound-spam');
  });
});

describe('a Chinese provider named in Chinese', () => {
  it("turns another provider's sign-in refusal into none and names the provider", () => {
    const r = matcher.match('环境：阿里云企业邮箱，SSL端口，SMTP 要求用户验证。\n\norg.springframework.mail.MailAuthenticationException: Authentication failed; nested exception is javax.mail.AuthenticationFailedException: 526 Authentication failure[0]');
    expect(r.verdict).toBe('none');
    expect(r.otherProvider?.name).toBe('Aliyun Mail');
  });
  it('keeps an Exchange Online sign-in refusal even when the paste names a Chinese provider', () => {
    expect(topTopic('QQ邮箱可以发，换成 Office 365 就报错：535 5.7.139 Authentication unsuccessful, the user credentials were incorrect.')).not.toBe('none');
  });
});

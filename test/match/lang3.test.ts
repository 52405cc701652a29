// Localised pastes from issue 12's third language round (test/fixtures/cases/lang3.jsonl): help pages in
// Spanish, Portuguese, Japanese and Chinese that explain a setting read as help pages (their wording alone
// matches nothing); a Japanese Outlook message about a full Inbox names the mail world (受信トレイ), so it is
// no outside-mail quota; the Japanese Outlook Anywhere mutual-authentication page goes to Outlook Anywhere,
// not to Autodiscover, as the English one does. Texts are cut from the cases' real pastes (sources below).
import { describe, expect, it } from 'vitest';
import { defaultMatcher } from '../../src/match/index.ts';

const matcher = defaultMatcher();
const topicOf = (text: string) => {
  const r = matcher.match(text);
  return r.verdict === 'none' ? 'none' : r.matches[0]?.topics[0];
};

describe('lang3: help pages in other languages stay none', () => {
  it('a Spanish how-to that walks through "siguiendo estos pasos" (support.office.com es-es automatic replies)', () => {
    const text = [
      'Enviar respuestas automáticas "Fuera de la oficina" de Outlook',
      '',
      'Solo puede enviar respuestas automáticas de fuera de la oficina siguiendo estos pasos si tiene cuenta de Office 365, Outlook.com o Exchange.',
      '  1. Seleccione Archivo > Respuestas automáticas.',
      '  2. En el cuadro Respuestas automáticas, seleccione Enviar respuestas automáticas.',
      '    Nota: Si no ve Respuestas automáticas, probablemente usa Outlook con una cuenta POP o IMAP.',
    ].join('\n');
    expect(topicOf(text)).toBe('none');
  });

  it('a Portuguese topic that says what it explains ("Este tópico explica", TechNet pt-br bb676467)', () => {
    const text = 'Compreendendo a sensibilidade a falhas de consultas de DNS no Exchange 2007 SP1 e SP2\nEste tópico explica os aprimoramentos na consulta de DNS introduzidos no Microsoft Exchange Server 2007 Service Pack 1 (SP1). Esses aprimoramentos reduzem a sensibilidade a erros de DNS durante a busca por um servidor de mensagens de destino fora da organização do Exchange. Contudo, dependendo dos erros de DNS, esse ajuste pode causar falhas na entrega em determinadas circunstâncias.';
    expect(topicOf(text)).toBe('none');
  });

  it('a Japanese page that tells how to check a setting ("確認するには", cloudsteady.jp NDR language)', () => {
    const text = [
      '配信不能レポート ( NDR ) が配信されるメールの言語は、Exchange Online の TransportConfig の設定内容で決定されます。',
      'TransportConfig の設定を確認するには下記コマンドを実行します。',
      'Get-TransportConfig | Format-List *DSN*',
    ].join('\n');
    expect(topicOf(text)).toBe('none');
  });

  it('a Chinese blog with a notes heading of its own ("升级说明", fugary.com OAuth how-to)', () => {
    const text = [
      '为了提升安全性,Office365',
      '升级了邮件客户端认证模式,需要使用OAuth 2.0',
      '认证,废弃以前老的用户名和密码的方式。因此以前用JavaMail',
      '开发的邮件发送和接收功能将不能使用。',
      '升级说明',
      '建议租户禁用基本身份验证,并迁移到新式客户端的新式身份验证租户。',
    ].join('\n');
    expect(topicOf(text)).toBe('none');
  });
});

describe('lang3: localised errors find their playbook', () => {
  it('a Japanese Outlook message about a full Inbox is a full mailbox, not a quota outside mail (istc.kobe-u.ac.jp FAQ)', () => {
    const text = '質問\n「受信トレイフォルダが満杯のため、これ以上メッセージを保存できません。メッセージを保存する領域を空けるには、古くて不要なメッセージを削除するか、フォルダを最適化してください。」というメッセージが表示される.';
    expect(topicOf(text)).toBe('mailbox-full');
  });

  it('the Japanese mutual-authentication error goes to Outlook Anywhere even beside the encrypted-connection dialog (TechNet ja-jp dd439371)', () => {
    const text = [
      '相互認証を確立できない',
      '共通名が、相互認証 (msstd:) と一致しない場合 Outlook Anywhere の機能性のテスト時に Exchange リモート接続アナライザーに入力された文字列、Exchange リモート接続アナライザーに次のエラー メッセージが表示されます。',
      '"相互認証を確立できませんでした。"',
      'Outlook 2007 が自動的に Outlook 2007 プロファイルを作成することを許可する場合、次のエラー メッセージを受信します。 "メール サーバーに対して、暗号化された接続を使用できません。"',
    ].join('\n');
    expect(topicOf(text)).toBe('outlook-anywhere-rpc');
  });

  it('the Japanese encrypted-connection dialog alone is Autodiscover (blog.treedown.net)', () => {
    const text = 'Office365をOutlookにセットアップしようとしてエラー\n\nセットアップ時に、\n"メール サーバーに対して、暗号化された接続を使用できません。"\nと表示され自動セットアップが止まってしまう場合に確認しておきたいことをご報告します。';
    expect(topicOf(text)).toBe('autodiscover-failure');
  });

  it('a POP logon failure ("unknown user name or bad password") is no unknown recipient (fr.ittrip.xyz 0x800CCC92)', () => {
    const text = 'À intervalles irréguliers, Outlook affiche :\n« Votre serveur de courrier a refusé votre connexion » (0x800CCC92)\n« -ERR Login failure : unknown user name or bad password »';
    expect(topicOf(text)).not.toBe('recipient-not-found');
  });
});

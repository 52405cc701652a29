// Bilingual pastes: a provider's paragraph in the local language above the English MTA text with the
// code (Mail.ru, Yandex, OCN, QQ, Daum …), and local-language notices that share the bounce's words.
// The rules: the English code/phrase evidence decides; the sentences every provider writes whatever the
// cause are generic; wording alone needs enough distinct specific stems; a read receipt stays `none`.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { defaultMatcher } from '../../src/match/index.ts';
import { LanguageLayer, namesNotice } from '../../src/match/localised.ts';
import { isBoundaryBigram, LangTextIndex } from '../../src/match/langtext.ts';

const matcher = defaultMatcher();
const layer = new LanguageLayer(matcher.catalog);
const docOf = (playbook: string) => matcher.catalog.playbooks.findIndex((p) => p.id === playbook);
/** Matches that owe their place to localised wording alone (no phrase, code or English wording). */
const byLocalWordingOnly = (text: string) =>
  matcher.match(text).matches.filter((m) => m.score >= 0.35 && m.why.every((w) => w.evidence.startsWith('wording like the playbook\'s (')));

describe('bilingual pastes', () => {
  // Written for this test: a Russian provider's paragraph about the mailbox and its password (stems that
  // several playbooks' Russian wording shares), then the English MTA lines with the real cause.
  const ruAboveEnglish = [
    'Это сообщение создано автоматически почтовым сервером. К сожалению, Ваше письмо не может быть доставлено.',
    'Проверьте пароль почтового ящика, от которого отправляется письмо, и настройки отправки.',
    '',
    'This message was created automatically by mail delivery software.',
    '  someone@example.net',
    '    host mx.example.net [192.0.2.7]: 550 5.1.1 <someone@example.net>... User unknown',
  ].join('\n');

  // A guard (it held before the bilingual rules too): the English lines decide, the Russian paragraph adds nothing alone.
  it('lets the English code and phrase decide: the Russian wording lifts no other playbook alone', () => {
    const r = matcher.match(ruAboveEnglish);
    expect(r.matches[0]?.playbook).toBe('recipient-not-found-address-unknown');
    expect(r.verdict).toBe('match');
    expect(byLocalWordingOnly(ruAboveEnglish)).toEqual([]);
  });

  it('keeps the local wording for the playbooks the English evidence points at, and lets it lift none alone', () => {
    // A real Russian help text (lang-bilingual.jsonl) whose stems several playbooks' Russian wording shares.
    const text = 'Ошибка отправки. Чаще всего проблема решается сменой или восстановлением пароля почтового ящика, от которого отправляется письмо, или прохождением процедуры подтверждения владения почтовым ящиком, в случае подозрения взлома или кражи данных авторизации и рассылки спама.';
    const alone = layer.wording(text, 'ru', false);
    expect(Array.from(alone?.specific ?? []).some((n) => n >= 2)).toBe(true);
    const beside = layer.wording(text, 'ru', true);
    // Terms still shared (they add to an evidenced playbook), but none is specific: nothing matches by them alone.
    expect(beside?.matched.length).toBeGreaterThan(0);
    expect(Array.from(beside?.specific ?? []).every((n) => n === 0)).toBe(true);
  });

  it.each([
    ['ru', 'Это письмо сформировано автоматически. К сожалению, мы вынуждены сообщить, что Ваше письмо не может быть доставлено одному или нескольким адресатам. Причины указаны ниже. Не отвечайте на это сообщение.'],
    ['ja', 'このメールは自動送信です。お送りいただいたメールは、次の宛先に配信できませんでした。このメールには返信しないでください。'],
    ['zh', '很抱歉，您发送的邮件未能送达以下收件人。这是一封自动回复的邮件，请勿回复。'],
  ])('takes a generic %s delivery-failure paragraph for no specific playbook', (lang, text) => {
    const w = layer.wording(text, lang as 'ru' | 'ja' | 'zh');
    expect(w?.trouble).toBe(true);
    expect(Array.from(w?.specific ?? []).every((n) => n === 0)).toBe(true);
    expect(byLocalWordingOnly(text)).toEqual([]);
  });
});

describe('localised wording alone', () => {
  it('needs two distinct specific terms: field words and one shared stem are chance', () => {
    // Three terms in common with the playbook's Spanish wording, two of them field words (message, recipient).
    const text = 'El mensaje al destinatario del correo del remitente: no se permite.';
    const w = layer.wording(text, 'es');
    const di = docOf('recipient-delivery-restricted');
    expect(w?.hits[di]).toBeGreaterThanOrEqual(3);
    expect(w?.specific[di]).toBe(0);
    expect(byLocalWordingOnly(text)).toEqual([]);
  });

  it('counts no Russian stem under four letters as specific (short stems collide)', () => {
    // "имя" stems to "им": shared, never specific; "доставки" is a stem of its own.
    const index = new LangTextIndex('ru', ['имя доставки', 'другое'], []);
    const r = index.similarities('имя доставки');
    expect(r.matched).toEqual(['им', 'доставк']);
    expect(r.hits[0]).toBe(2);
    expect(r.specific[0]).toBe(1);
  });
});

describe('CJK bigrams across a word boundary', () => {
  it.each([
    ['ja', 'のメ', true], ['ja', 'が送', true], ['ja', 'メー', false], ['ja', '容量', false],
    ['zh', '的邮', true], ['zh', '送的', true], ['zh', '邮件', false],
  ])('%s %s spans a boundary: %s', (lang, t, want) => {
    expect(isBoundaryBigram(t as string, lang as 'ja')).toBe(want);
  });
});

describe('local-language notices', () => {
  // Written for this test, in the way a webmail words its read receipt ("no guarantee it was read" is no trouble).
  it.each([
    ['ko', '읽음 확인: 회의 자료\n\n보내신 메시지에 대한 읽음 확인입니다.\n\n참고: 이 확인은 메시지가 받는 사람의 컴퓨터에 표시되었다는 뜻일 뿐이며, 받는 사람이 내용을 읽었거나 이해했다는 보장은 없습니다.'],
    ['ja', '開封確認: 会議資料\n\nお送りいただいたメッセージの開封確認です。\n\n注意: この通知はメッセージが受信者のコンピューターで表示されたことを示すだけで、読まれたことを保証するものではありません。'],
    ['es', 'Confirmación de lectura: actas\n\nEsta es una confirmación de lectura del mensaje que envió.\n\nNota: solo indica que el mensaje se mostró en el equipo del destinatario; no garantiza que se haya leído ni comprendido.'],
    ['it', 'Ricevuta di ritorno: verbale\n\nQuesta è la ricevuta di ritorno del messaggio inviato.\n\nNota: attesta solo che il messaggio è stato visualizzato sul computer del destinatario, non che sia stato letto o compreso.'],
  ])('answers none to a %s read receipt', (lang, text) => {
    expect(namesNotice(text, lang as 'ko')).toBe(true);
    expect(matcher.match(text).verdict).toBe('none');
  });

  it('still reads a local bounce that names no notice', () => {
    expect(namesNotice('받는 사람의 사서함이 꽉 찼으며 현재 메시지를 받을 수 없습니다.', 'ko')).toBe(false);
  });
});

describe('a Chinese question made of the field\'s and a question\'s words', () => {
  // A real forum question (field-nonerrors2.jsonl): some mailboxes of a domain get mail, some do not, what
  // could the reason be. It shares "域名", "邮箱", "收到", "需要", "原因" with many playbooks' wording;
  // before those counted as generic, it matched remote-server-policy-reject at 0.39.
  const field = readFileSync(new URL('../fixtures/cases/field-nonerrors2.jsonl', import.meta.url), 'utf8')
    .split('\n').filter(Boolean).map((l) => JSON.parse(l) as { id: string; text: string });
  const question = field.find((c) => c.id === 'fld-ne2-zh-cloudmail231-some-not-received')?.text ?? '';
  // A real bug report of a web app (Resend API): "sent successfully, never received", a checklist, a
  // resend.com link. It shared 提交 (submit), 接收 (receive), 经过 and "com" (from smtp.office365.com)
  // with the not-authenticated playbook's wording, and matched it at 0.49.
  const bugReport = field.find((c) => c.id === 'fld-ne2-zh-cloudmail109-resend-attachments')?.text ?? '';

  it('matches no playbook by wording alone', () => {
    expect(question).toContain('域名');
    expect(byLocalWordingOnly(question)).toEqual([]);
    expect(matcher.match(question).verdict).toBe('none');
  });

  it('takes neither mail verbs nor a link\'s "com" for wording that names a playbook', () => {
    expect(bugReport).toContain('resend.com');
    expect(byLocalWordingOnly(bugReport)).toEqual([]);
    expect(matcher.match(bugReport).verdict).toBe('none');
  });

  it('still matches a Chinese description that names the cause (mailbox full)', () => {
    const full = '发给同事的邮件被退回，退信说收件人的邮箱已满，无法接收新邮件。';
    expect(matcher.match(full).matches[0]?.playbook).toBe('mailbox-over-quota');
  });
});

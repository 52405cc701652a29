import { describe, expect, it } from 'vitest';
import { detectLanguage, proseOf, stemmerFor, terms } from '../../src/match/lang.ts';

describe('language of a paste', () => {
  it.each([
    ['de', 'Die Nachricht konnte nicht zugestellt werden, weil das Postfach des Empfängers voll ist.'],
    ['fr', "Votre message n'a pas pu être remis car la boîte aux lettres du destinataire est pleine."],
    ['es', 'El mensaje no se pudo entregar porque el buzón del destinatario está lleno.'],
    ['it', 'Il messaggio non è stato recapitato perché la cassetta postale del destinatario è piena.'],
    ['nl', 'Het bericht kan niet worden bezorgd omdat het postvak van de ontvanger vol is.'],
    ['pt', 'A mensagem não pôde ser entregue porque a caixa de correio do destinatário está cheia.'],
    ['ja', 'メッセージを配信できませんでした。受信者のメールボックスがいっぱいです。'],
    ['zh', '邮件无法送达，因为收件人的邮箱已满。'],
    ['ko', '받는 사람의 사서함이 꽉 차서 메시지를 배달할 수 없습니다.'],
    ['ru', 'Сообщение не может быть доставлено, так как почтовый ящик получателя переполнен.'],
    ['en', 'The message could not be delivered because the recipient mailbox is full.'],
  ])('tells %s prose', (lang, text) => {
    expect(detectLanguage(text).lang).toBe(lang);
  });

  it('answers English for codes, hosts and component names with no prose', () => {
    const g = detectLanguage('550 5.2.2 STOREDRV.Deliver; MapiExceptionShutoffQuotaExceeded [DB8PR06MB1234.eurprd06.prod.outlook.com]');
    expect(g.lang).toBe('en');
    expect(g.letters).toBeLessThan(12);
  });

  it('reads the prose of a German NDR, not its English server text', () => {
    const text = [
      'Ihre Nachricht konnte nicht an den Empfänger übermittelt werden, da sein Postfach voll ist.',
      'Remote Server returned 550 5.2.2 STOREDRV.Deliver; mailbox full',
    ].join('\n');
    expect(detectLanguage(text).lang).toBe('de');
  });

  it('keeps prose words and drops identifiers', () => {
    expect(proseOf('Fehler 0x8004010F beim Senden an user@contoso.com über smtp.office365.com:587 RESOLVER.ADR')).toBe('Fehler beim Senden an über');
  });

  it('keeps CJK prose that runs on through ASCII colons and codes', () => {
    // Chinese hosting FAQs and pasted NDRs put an ASCII colon between the Chinese and the server text, with no space.
    expect(proseOf('出错原因:您所发送的邮件大小超出邮箱限制。')).toBe('出错原因:您所发送的邮件大小超出邮箱限制。');
    expect(detectLanguage('[退信] 收件容量满:Quota exceeded').lang).toBe('zh');
    expect(detectLanguage('552 Message too large\n出错原因:您所发送的邮件大小超出邮箱限制。').lang).toBe('zh');
  });

  it('stays bounded on a huge hostile paste', () => {
    const huge = 'ä'.repeat(2_000_000) + ' x.y '.repeat(200_000);
    const t0 = performance.now();
    detectLanguage(huge);
    terms(huge, 'de');
    expect(performance.now() - t0).toBeLessThan(2000);
  });
});

describe('terms per language', () => {
  it('stems German plural and singular to one term', () => {
    expect(terms('Postfächer', 'de')).toEqual(terms('Postfach', 'de'));
  });
  it('stems French and Spanish inflections', () => {
    expect(terms('remises', 'fr')).toEqual(terms('remise', 'fr'));
    expect(terms('entregados', 'es')).toEqual(terms('entregado', 'es'));
  });
  it('cuts CJK runs into bigrams and leaves Latin words between them', () => {
    expect(terms('邮箱已满 Outlook 配信', 'zh')).toEqual(['邮箱', '箱已', '已满', 'outlook', '配信']);
  });
  it('has no stemmer for Chinese, Japanese or Korean and one for each alphabetic language', () => {
    expect(stemmerFor('zh')).toBeUndefined();
    expect(stemmerFor('ja')).toBeUndefined();
    expect(stemmerFor('ko')).toBeUndefined();
    for (const l of ['en', 'de', 'fr', 'es', 'it', 'nl', 'pt', 'ru'] as const) expect(stemmerFor(l)).toBeDefined();
  });
  it('cuts words of the inflected languages natural has no stemmer for to a prefix, their final vowels first', () => {
    expect(terms('skrzynka skrzynki pełna pełne', 'pl')).toEqual(['skrzyn', 'skrzyn', 'pełn', 'pełn']);
    expect(terms('σφάλμα σφάλματος', 'el')).toEqual(terms('σφάλμα σφάλμα', 'el'));
    expect(terms('postilaatikko postilaatikkoon', 'fi')).toEqual(['posti', 'posti']);
  });
  it('stems Russian case endings and lowercases Cyrillic', () => {
    expect(terms('ПОЧТОВОГО ящика', 'ru')).toEqual(terms('почтовый ящик', 'ru'));
  });
  it('cuts Korean words into syllable bigrams, each word apart, without their final particle', () => {
    expect(terms('사서함이 꽉', 'ko')).toEqual(['사서', '서함', '꽉']);
    // The same noun with other particles gives the same terms; a two-syllable word is kept whole.
    expect(terms('사서함에서', 'ko')).toEqual(terms('사서함을', 'ko'));
    expect(terms('오류', 'ko')).toEqual(['오류']);
  });
  it('takes Ukrainian for no Russian (a letter Russian lacks), and Korean with a few Han for Korean', () => {
    expect(detectLanguage('Повідомлення не доставлено, поштова скринька одержувача переповнена.').lang).toBe('uk');
    expect(detectLanguage('Το μήνυμα δεν παραδόθηκε, το γραμματοκιβώτιο είναι πλήρες.').lang).toBe('el');
    expect(detectLanguage('پیام تحویل داده نشد زیرا صندوق پستی گیرنده پر است.').lang).toBe('fa');
    expect(detectLanguage('لم يتم تسليم الرسالة لأن صندوق بريد المستلم ممتلئ.').lang).toBe('ar');
    expect(detectLanguage('받는 사람의 사서함(私書函)이 가득 찼습니다').lang).toBe('ko');
  });
});

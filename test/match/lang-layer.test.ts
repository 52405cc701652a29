import { describe, expect, it } from 'vitest';
import { LOCAL_LANGUAGES } from '../../src/catalog/schema.ts';
import { defaultMatcher } from '../../src/match/index.ts';
import { LanguageLayer, LOCAL_LANGS, tellsOfTrouble } from '../../src/match/localised.ts';
import { Lexicon, scanWords, WordBuf } from '../../src/match/lexicon.ts';
import { contentTerms } from '../../src/match/langtext.ts';

const matcher = defaultMatcher();
const top = (text: string) => {
  const r = matcher.match(text);
  return { verdict: r.verdict, playbook: r.matches[0]?.playbook, why: r.matches[0]?.why.map((w) => w.evidence) ?? [] };
};

describe('the language layer in the matcher', () => {
  it('keeps its language list equal to the schema', () => {
    expect([...LOCAL_LANGS]).toEqual([...LOCAL_LANGUAGES]);
  });

  it.each([
    ['de', 'Das Postfach des Empfängers ist voll und kann zurzeit keine Nachrichten annehmen.', 'mailbox-over-quota'],
    ['es', 'El buzón del destinatario está lleno y no puede aceptar mensajes en este momento.', 'mailbox-over-quota'],
    ['nl', 'De verbinding met Microsoft Exchange is niet beschikbaar. Outlook moet online of verbonden zijn om deze actie te voltooien.', 'outlook-cannot-connect-to-exchange'],
    ['zh', '到 Microsoft Exchange 的连接不可用。Outlook 必须联机或已连接才能完成此操作。', 'outlook-cannot-connect-to-exchange'],
    ['ja', '受信者のメールボックスがいっぱいで、現在メッセージを受信できません。', 'mailbox-over-quota'],
    ['ko', '받는 사람의 사서함이 꽉 찼으며 현재 메시지를 받을 수 없습니다.', 'mailbox-over-quota'],
    ['ko', 'Microsoft Exchange에 대한 연결을 사용할 수 없습니다. 이 작업을 완료하려면 Outlook이 온라인 상태이거나 연결되어 있어야 합니다.', 'outlook-cannot-connect-to-exchange'],
    ['ru', 'Почтовый ящик получателя переполнен, и он не может принимать сообщения в данный момент.', 'mailbox-over-quota'],
    ['ru', 'Не удалось найти введенный адрес электронной почты. Проверьте адрес получателя и повторите отправку.', 'recipient-not-found-address-unknown'],
  ])('matches a %s NDR sentence or dialog without any code', (_lang, text, playbook) => {
    const r = top(text);
    expect(r.verdict).toBe('match');
    expect(r.playbook).toBe(playbook);
    expect(r.why.some((w) => w.startsWith('phrase '))).toBe(true);
  });

  it.each([
    ['it', 'Cassetta postale piena o quota superata', 'mailbox-over-quota'],
    ['it', 'Al mittente non è consentito inviare messaggi al destinatario.', 'recipient-delivery-restricted'],
    ['zh', '[退信] 收件容量满:Quota exceeded', 'mailbox-over-quota'],
  ])('reads a short %s line by its field words, with no function word of the vote', (lang, text, playbook) => {
    const r = top(text);
    expect(r.verdict).toBe('match');
    expect(r.playbook).toBe(playbook);
    // The language was told (the wording was compared in it), not only the phrase found.
    expect(r.why.some((w) => w.startsWith(`wording like the playbook's (${lang})`))).toBe(true);
  });

  it('lets a code dominate the localised wording', () => {
    // German NDR wording around the code: the code's playbook leads, whatever the German words resemble.
    const r = top('Ihre Nachricht konnte nicht an die Empfänger zugestellt werden. Das Postfach wurde geprüft.\nRemote Server returned 550 5.7.1 RESOLVER.RST.NotAuthorized; not authorized');
    expect(r.playbook).toBe('recipient-delivery-restricted');
    expect(top('Ihre Nachricht konnte nicht zugestellt werden: 550 5.1.1 RESOLVER.ADR.RecipNotFound; not found').playbook).toBe('recipient-not-found-address-unknown');
  });

  it('leaves a chat in another language that shares field words unmatched', () => {
    expect(top('Hallo zusammen, ich habe heute mein Postfach aufgeräumt und alte Nachrichten gelöscht, jetzt ist alles schön übersichtlich.').verdict).toBe('none');
    expect(top('今日は新しいメールアプリを試してみました。とても使いやすいです。').verdict).toBe('none');
    expect(top('Добрый день, коллеги. Подскажите, как настроить подпись в Outlook для всех пользователей почтового ящика?').verdict).toBe('none');
    expect(top('안녕하세요, Outlook에서 메일 서명을 설정하는 방법을 알려주세요.').verdict).toBe('none');
  });

  it('keeps a localised explanation that reports no failure under the none line, however on topic', () => {
    // Shaped like the Microsoft support pages that explain the offline address book and Cached Exchange Mode.
    expect(top('脱机通讯簿包含用户的属性，Outlook 需要这些属性来发送电子邮件并显示发件人的信息。通过使用脱机通讯簿，Outlook 无需连接服务器即可解析名称。').verdict).toBe('none');
    expect(top('Exchange キャッシュ モードを使用すると、メールボックスのコピーがコンピューターに保存され、サーバーによって頻繁に更新されます。').verdict).toBe('none');
    // The same words with a failure in them do match.
    expect(top('Outlook 无法下载脱机通讯簿，同步时报错 0x8004010F。').verdict).not.toBe('none');
  });

  it('tells a failure from an explanation, in the paste\'s language or in English', () => {
    expect(tellsOfTrouble('Die Nachricht konnte nicht zugestellt werden', 'de')).toBe(true);
    expect(tellsOfTrouble('Warum fragt Outlook ständig nach dem Kennwort?', 'de')).toBe(true);
    expect(tellsOfTrouble('Mit Übermittlungsberichten verfolgen Sie Nachrichten', 'de')).toBe(false);
    expect(tellsOfTrouble("Le message n'a pas pu être remis", 'fr')).toBe(true);
    expect(tellsOfTrouble('[退信] 收件容量满:Quota exceeded', 'zh')).toBe(true);
    expect(tellsOfTrouble('脱机通讯簿包含用户的属性', 'zh')).toBe(false);
    expect(tellsOfTrouble('受信者のメールボックスがいっぱいで、現在メッセージを受信できません。', 'ja')).toBe(true);
    expect(tellsOfTrouble('Caixa de correio cheia', 'pt')).toBe(true);
    expect(tellsOfTrouble('Сообщение не доставлено', 'ru')).toBe(true);
    expect(tellsOfTrouble('Отчеты о доставке позволяют отслеживать сообщения', 'ru')).toBe(false);
    expect(tellsOfTrouble('메시지를 배달하지 못했습니다: 사서함이 가득 찼습니다', 'ko')).toBe(true);
    expect(tellsOfTrouble('전달 보고서로 메시지를 추적합니다', 'ko')).toBe(false);
  });

  it('reads a localised help or reference page as telling of no trouble, unless it quotes the failure it is about', () => {
    // What such a page writes about itself, near its start (an EWS schema page, a how-to, an FAQ).
    expect(tellsOfTrouble('In den folgenden Abschnitten werden Attribute, untergeordnete und übergeordnete Elemente erläutert. Gibt an, dass der Fehler nicht angegeben wird.', 'de')).toBe(false);
    expect(tellsOfTrouble("Comment résoudre le problème et renvoyer le message : le message n'a pas pu être remis.", 'fr')).toBe(false);
    expect(tellsOfTrouble('En esta guía completa verá por qué no se envía el correo.', 'es')).toBe(false);
    expect(tellsOfTrouble('请参阅每个订阅的邮箱存储限制。如果没有许可证，则共享邮箱具有 50 GB 限制。', 'zh')).toBe(false);
    // A page about one quoted message still tells of it.
    expect(tellsOfTrouble('¿Tiene problemas o recibe "No se puede iniciar Microsoft Outlook"? Use los pasos de este artículo.', 'es')).toBe(true);
    expect(tellsOfTrouble("Avez-vous « Impossible de démarrer Microsoft Outlook » ? Utilisez les étapes de cet article.", 'fr')).toBe(true);
    // Without the page's words about itself the same failure is trouble.
    expect(tellsOfTrouble("Le message n'a pas pu être remis.", 'fr')).toBe(true);
  });

  it('adds no wording of a quiet page to the playbook a feature name it mentions points at', () => {
    // A help page that names the offline address book (a phrase of the OAB playbook) but reports no failure of its own.
    expect(top("Planifier et configurer le mode Exchange mis en cache. Cet article s'adresse aux administrateurs. Le mode Exchange mis en cache met en cache la boîte aux lettres de l'utilisateur et le carnet d'adresses en mode hors connexion localement, et Outlook ne dépend plus de la connectivité réseau continue.").verdict).toBe('none');
    // The failure itself still matches.
    expect(top("Outlook : impossible de télécharger le carnet d'adresses en mode hors connexion, erreur 0x8004010F.").verdict).not.toBe('none');
  });

  const layerGuess = () => {
    const layer = new LanguageLayer(matcher.catalog);
    const lexicon = new Lexicon(() => 0);
    layer.bind(lexicon);
    return (text: string) => {
      const buf = new WordBuf();
      scanWords(text, text.toLowerCase(), lexicon, buf);
      return layer.detect(text, buf)?.lang;
    };
  };

  it('tells Ukrainian from Russian by its letters, though they share their short words', () => {
    const guess = layerGuess();
    // The same short words ("не", "в", "на") vote for both; the letters (і ї є against ы э ъ) decide.
    expect(guess('Сообщение не доставлено, в ящике на сервере нет места.')).toBe('ru');
    expect(guess('Повідомлення не доставлено, в скриньці на сервері немає місця.')).toBe('uk');
    // Belarusian (ў) is neither, and not carried.
    expect(guess('Паведамленне не дастаўлена, у скрыні на серверы няма месца.')).toBeUndefined();
  });

  it.each([
    ['pl', 'Wiadomość nie została dostarczona, ponieważ skrzynka odbiorcy jest pełna.'],
    ['cs', 'Zpráva nebyla doručena, protože poštovní schránka příjemce je plná.'],
    ['sv', 'Meddelandet kunde inte levereras eftersom mottagarens postlåda är full.'],
    ['da', 'Meddelelsen kunne ikke leveres, fordi modtagerens postkasse er fuld.'],
    ['nb', 'Meldingen kunne ikke leveres fordi mottakerens postboks er full.'],
    ['fi', 'Viestiä ei voitu toimittaa, koska vastaanottajan postilaatikko on täynnä.'],
    ['tr', 'İleti teslim edilemedi çünkü alıcının posta kutusu dolu.'],
    ['hu', 'Az üzenetet nem sikerült kézbesíteni, mert a címzett postafiókja megtelt.'],
    ['ro', 'Mesajul nu a putut fi livrat pentru că căsuța poștală a destinatarului este plină.'],
    ['el', 'Το μήνυμα δεν παραδόθηκε επειδή το γραμματοκιβώτιο του παραλήπτη είναι πλήρες.'],
    ['uk', 'Повідомлення не доставлено, оскільки поштова скринька одержувача переповнена.'],
    ['ar', 'لم يتم تسليم الرسالة لأن صندوق بريد المستلم ممتلئ.'],
    ['he', 'ההודעה לא נמסרה כי תיבת הדואר של הנמען מלאה.'],
    ['fa', 'پیام تحویل داده نشد زیرا صندوق پستی گیرنده پر است.'],
  ])('reads a %s mailbox-full NDR sentence in its language, without any code', (lang, text) => {
    expect(layerGuess()(text)).toBe(lang);
    const r = top(text);
    expect(r.verdict).toBe('match');
    expect(r.playbook).toBe('mailbox-over-quota');
    expect(r.why.some((w) => w.startsWith('phrase '))).toBe(true);
  });

  it.each([
    ['pl', 'Nie znaleziono adresata. Sprawdź, czy adres e-mail odbiorcy jest poprawny.', 'recipient-not-found-address-unknown'],
    ['sv', 'Mottagaren hittades inte. Kontrollera att e-postadressen är rätt stavad.', 'recipient-not-found-address-unknown'],
    ['tr', 'Alıcı bulunamadı, lütfen e-posta adresini kontrol edin.', 'recipient-not-found-address-unknown'],
    ['cs', 'Velikost zprávy překračuje limit serveru příjemce, zpráva nebyla doručena.', 'message-size-limit-exceeded'],
    ['uk', 'Підключення до Microsoft Exchange недоступне. Outlook має бути в режимі онлайн.', 'outlook-cannot-connect-to-exchange'],
  ])('sends a %s sentence to its playbook', (_lang, text, playbook) => {
    const r = top(text);
    expect(r.verdict).toBe('match');
    expect(r.playbook).toBe(playbook);
  });

  it('leaves a greeting in the new languages unmatched, field words and all', () => {
    expect(top('Dzień dobry, jak ustawić podpis w programie Outlook dla wszystkich skrzynek?').verdict).toBe('none');
    expect(top('Hej, hur lägger jag till en signatur i Outlook för alla postlådor?').verdict).toBe('none');
    expect(top('Merhaba, Outlook için tüm posta kutularına imza nasıl eklenir?').verdict).toBe('none');
  });

  it('reads Hebrew and Arabic words for trouble, though their letters have no case', () => {
    expect(tellsOfTrouble('ההודעה לא נמסרה', 'he')).toBe(true);
    expect(tellsOfTrouble('תיבת הדואר של הנמען', 'he')).toBe(false);
    expect(tellsOfTrouble('فشل تسليم الرسالة', 'ar')).toBe(true);
    expect(tellsOfTrouble('صندوق بريد المستلم', 'ar')).toBe(false);
    expect(tellsOfTrouble('Wiadomość nie została dostarczona', 'pl')).toBe(true);
    expect(tellsOfTrouble('Raporty o dostarczeniu pozwalają śledzić wiadomości', 'pl')).toBe(false);
  });

  it('compares German free text by stems, without stop words', () => {
    expect(contentTerms('Die Postfächer sind voll', 'de')).toEqual(contentTerms('Postfach voll', 'de'));
  });
});

describe('the language layer on hostile pastes', () => {
  it('answers a huge mixed German and Chinese paste, analysed up to the limit', () => {
    const huge = 'Das Postfach des Empfängers ist voll und nicht erreichbar. '.repeat(14_000) + '收件人的邮箱已满'.repeat(40_000);
    const r = matcher.match(huge);
    expect(r.truncated?.analysedChars).toBe(1024 * 1024);
    expect(r.matches[0]?.playbook).toBe('mailbox-over-quota');
  });

  it('keeps offsets right when lowercasing moves them (İ) next to CJK text', () => {
    const text = 'İİ İstanbul: 收件人的邮箱已满,请稍后再试';
    const r = matcher.match(text);
    const phrase = r.matches[0]?.why.find((w) => w.evidence.startsWith('phrase '));
    expect(phrase?.span && text.slice(phrase.span[0], phrase.span[1])).toContain('收件人的邮箱已满');
  });
});

describe('localised help pages that report no failure', () => {
  // Real pastes (lang-de.jsonl, lang-es.jsonl): Microsoft's help on delivery reports and on postmaster messages.
  const deHelp = 'Mit Übermittlungsberichten für Administratoren können Sie Übermittlungsinformationen zu Nachrichten nachverfolgen, die von einem bestimmten Postfach in Ihrer Organisation gesendet oder empfangen wurden.\n\nDer Inhalt des Nachrichtentexts wird im Übermittlungsbericht nicht zurückgegeben, die Betreffzeile wird in den Ergebnissen jedoch angezeigt.';
  const esHelp = 'Los mensajes autenticados correctamente recibidos de postmaster@outlook.com, postmaster@microsoft.com o service.microsoft.com son mensajes legítimos que pueden enviarse a su cuenta profesional o educativa, o a su cuenta personal de Microsoft, donde Microsoft es el proveedor de correo electrónico*.';

  it('a non-English paste that tells of no trouble gets no match from English wording alone', () => {
    // Its words that the English wording knows ("el", "correo", "electrónico" from quoted Spanish NDRs) do not make it one.
    expect(matcher.match(esHelp).verdict).toBe('none');
  });

  it('localised wording that shares only the field\'s generic words (Nachricht, Postfach, Empfänger) is no match', () => {
    expect(matcher.match(deHelp).verdict).toBe('none');
    // A German description of a failure, with words of its own beyond those, still matches.
    expect(top('Die Nachricht konnte nicht zugestellt werden, das Postfach des Empfängers ist voll und hat das Kontingent überschritten.').playbook).toBe('mailbox-over-quota');
  });
});

// The language layer of the matcher: the localised phrases of an intent as evidence, which pastes are
// worth a language guess, and the free-text wording per language.
//
// - Localised phrases (intent `lang.<xx>.phrases`) are evidence like English phrases: they join the
//   intent's evidence with their weights, and also stand for its requireAny (they are the same
//   sentences in another language). Latin-script and Cyrillic ones go into the word trie with the English
//   phrases, CJK and Korean (Hangul) ones into the substring automaton (cjk.ts).
// - The language: CJK and Hangul text by its script; alphabetic languages (Latin script, Russian) by a
//   vote of their function words among the paste's first words, the detector (lang.ts, tinyld; close to
//   a millisecond a call) settling only a close vote. A paste without two such words or CJK text is
//   English, unasked.
// - The wording of a non-English paste is compared with that language's symptoms (langtext.ts).
import type { Catalog } from '../catalog/load.ts';
import type { Condition, EvidenceSpec, Intent } from '../catalog/schema.ts';
import { foldTraditional, isCjkCode } from './cjk.ts';
import { createRequire } from 'node:module';
import type { Lang, LanguageGuess } from './lang.ts';
import type { LangTextIndex } from './langtext.ts';
import { FLAG_DOMAIN, type Lexicon, type WordBuf } from './lexicon.ts';

// The detector and the per-language wording indexes are loaded for the first paste that may not be
// English (CJK text, or a vote of function words): an English paste, most of them, loads neither.
const require = createRequire(import.meta.url);
// Each loaded once and kept (a require() per paste resolves the path again).
let langLoaded: typeof import('./lang.ts') | undefined;
let langTextLoaded: typeof import('./langtext.ts') | undefined;
const langModule = () => (langLoaded ??= require('./lang.ts') as typeof import('./lang.ts'));
const langTextModule = () => (langTextLoaded ??= require('./langtext.ts') as typeof import('./langtext.ts'));

/** The languages an intent's `lang` block may name (schema.ts's LOCAL_LANGUAGES; a test keeps them equal). */
export const LOCAL_LANGS = ['de', 'fr', 'es', 'it', 'nl', 'pt', 'ja', 'zh', 'ko', 'ru', 'pl', 'cs', 'sv', 'da', 'nb', 'fi', 'tr', 'hu', 'ro', 'el', 'uk', 'ar', 'he', 'fa'] as const;

/** Languages told by their script and matched as substrings (cjk.ts): Chinese, Japanese, Korean. */
type ScriptLang = 'ja' | 'zh' | 'ko';
/** Languages whose words vote (alphabetic: Latin script, Cyrillic, Greek, Hebrew and the Arabic script). */
type VoteLang = Exclude<Lang, 'en' | ScriptLang>;

/** Whether the language is told by its script and its phrases are found as substrings (CJK, Hangul). */
export function isScriptLanguage(lang: Lang): lang is ScriptLang {
  return lang === 'ja' || lang === 'zh' || lang === 'ko';
}

/**
 * Function words that English prose does not use (so "die", "a", "no", "per" are left out, and so are
 * "com" and "non", which every hostname and "non-delivery" carry). They vote for
 * their languages among a paste's first words: a clear vote decides the language at once; a close one is
 * settled by the detector (which costs close to a millisecond a call, so it is asked only on a tie).
 */
const FUNCTION_WORDS: Record<VoteLang, string[]> = {
  de: ['der', 'das', 'und', 'ist', 'nicht', 'wurde', 'werden', 'konnte', 'kann', 'sie', 'ihre', 'ihr', 'für', 'zu', 'mit', 'dem', 'den', 'ein', 'eine', 'wird', 'bei', 'auf', 'oder', 'ich', 'dass', 'über', 'keine', 'auch', 'noch', 'sind', 'habe', 'wurden'],
  fr: ['le', 'les', 'est', 'une', 'pas', 'vous', 'votre', 'été', 'être', 'pour', 'des', 'dans', 'qui', 'du', 'au', 'aux', 'avec', 'sur', 'ne', 'peut', 'je', 'nous', 'cette', 'ce', 'et', 'mais', 'ou', 'la', 'sont', 'aussi'],
  es: ['el', 'los', 'las', 'una', 'está', 'puede', 'para', 'del', 'que', 'su', 'por', 'pero', 'sido', 'este', 'esta', 'muy', 'también', 'la', 'como', 'son', 'sin', 'hay', 'y', 'sobre', 'desde', 'cuando', 'donde', 'porque', 'hasta', 'entre', 'otras', 'otros'],
  it: ['il', 'della', 'delle', 'dei', 'stato', 'che', 'è', 'può', 'sono', 'gli', 'alla', 'nel', 'della', 'questo', 'questa', 'messaggio', 'del', 'ho', 'di', 'la', 'anche', 'perché', 'degli', 'nella'],
  nl: ['het', 'niet', 'een', 'van', 'kan', 'worden', 'uw', 'naar', 'bij', 'voor', 'met', 'zijn', 'wordt', 'deze', 'dit', 'ik', 'geen', 'werd', 'ook', 'maar', 'dat', 'heb'],
  pt: ['não', 'uma', 'está', 'para', 'foi', 'pode', 'seu', 'sua', 'que', 'da', 'das', 'dos', 'ao', 'por', 'mensagem', 'é', 'porém', 'muitos', 'também', 'mas', 'ou', 'são', 'pelo', 'pela', 'nas', 'nos', 'como'],
  // Cyrillic words are no English, whatever their length: the short prepositions vote too.
  ru: ['не', 'в', 'на', 'и', 'что', 'с', 'по', 'для', 'от', 'к', 'это', 'был', 'была', 'было', 'были', 'быть', 'может', 'как', 'или', 'но', 'из', 'вы', 'ваш', 'ваше', 'вашего', 'я', 'мы', 'у', 'при', 'уже', 'нет', 'все', 'так', 'его', 'её', 'их', 'же', 'до', 'после', 'если', 'только', 'почему', 'можно', 'нельзя'],
  // Two-letter words English or hostnames use ("to", "do", "on", "na" for n/a, "ten", "van", "var", "ben") are left out.
  pl: ['nie', 'się', 'jest', 'że', 'czy', 'lub', 'oraz', 'dla', 'może', 'został', 'została', 'zostało', 'zostały', 'przez', 'jako', 'jeśli', 'można', 'są', 'był', 'była', 'było', 'już', 'tylko', 'jednak', 'więc', 'gdy', 'który', 'która', 'które', 'ponieważ', 'przy', 'bez', 'tego', 'mam', 'mój', 'moja', 'twoja', 'twój', 'jak', 'ale', 'jeszcze', 'czego', 'dlaczego'],
  cs: ['není', 'nebo', 'jsem', 'jsou', 'byl', 'byla', 'bylo', 'byly', 'být', 'že', 'jako', 'při', 'aby', 'který', 'která', 'které', 'nelze', 'také', 'jsme', 'mám', 'může', 'můžete', 'jestli', 'pokud', 'protože', 'ale', 'už', 'jen', 'toho', 'tato', 'tento', 'tuto', 'nebyl', 'nebyla', 'nebylo', 'mohl', 'mohla', 'proč', 'jak', 'ani', 'nemůže', 'nemohu'],
  // Swedish, Danish and Norwegian share many short words: each votes for all three, the rest decide.
  sv: ['och', 'inte', 'att', 'är', 'det', 'som', 'för', 'på', 'av', 'har', 'jag', 'ett', 'eller', 'från', 'när', 'också', 'kunde', 'skulle', 'finns', 'detta', 'denna', 'hade', 'varit', 'blev', 'inga', 'ingen', 'inget', 'vid', 'vara', 'måste', 'varför', 'efter', 'sedan'],
  da: ['og', 'ikke', 'er', 'det', 'som', 'på', 'af', 'har', 'jeg', 'eller', 'efter', 'hvad', 'meget', 'også', 'blev', 'blevet', 'kunne', 'være', 'været', 'hvis', 'fordi', 'denne', 'dette', 'nogen', 'ingen', 'mig', 'ud', 'skal', 'hvorfor', 'sådan', 'når'],
  nb: ['og', 'ikke', 'er', 'det', 'som', 'på', 'av', 'har', 'jeg', 'eller', 'etter', 'hva', 'meg', 'noen', 'ble', 'blitt', 'ut', 'kunne', 'være', 'vært', 'hvis', 'fordi', 'denne', 'dette', 'også', 'ingen', 'skal', 'hvorfor', 'slik', 'når'],
  fi: ['ja', 'ei', 'ole', 'että', 'tai', 'kun', 'ovat', 'oli', 'voi', 'myös', 'mutta', 'jos', 'joka', 'jotka', 'tämä', 'tätä', 'sen', 'niin', 'kuin', 'olen', 'olla', 'ollut', 'eikä', 'vain', 'koska', 'minä', 'sinun', 'sinä', 'mitä', 'miksi', 'voitu', 'voida'],
  tr: ['ve', 'bir', 'bu', 'için', 'ile', 'değil', 'olarak', 'olan', 'çok', 'daha', 'gibi', 'ama', 'veya', 'ancak', 'şu', 'şimdi', 'nasıl', 'neden', 'siz', 'sizin', 'bizim', 'yok', 'olduğu', 'ise', 'kadar', 'sonra', 'önce', 'tarafından', 'edilemedi', 'edildi', 'olmadı', 'lütfen', 'mı', 'mü'],
  hu: ['és', 'nem', 'hogy', 'egy', 'nincs', 'volt', 'vagy', 'már', 'csak', 'mert', 'ez', 'azt', 'ezt', 'lehet', 'kell', 'amikor', 'miért', 'pedig', 'minden', 'során', 'után', 'által', 'sikerült', 'kérem', 'kérjük', 'ön', 'önnek', 'amely', 'ezért', 'akkor'],
  // Romanian in both spellings of its comma letters (ș ț, and the older ş ţ with a cedilla).
  ro: ['și', 'şi', 'nu', 'în', 'pentru', 'sau', 'fost', 'poate', 'să', 'din', 'acest', 'această', 'aceasta', 'unui', 'unei', 'sunt', 'dar', 'dacă', 'deoarece', 'când', 'nicio', 'niciun', 'vă', 'dumneavoastră', 'către', 'prin', 'ați', 'aţi', 'fi', 'cu'],
  el: ['και', 'δεν', 'το', 'να', 'η', 'ο', 'του', 'της', 'των', 'με', 'για', 'σε', 'από', 'στο', 'στη', 'στην', 'είναι', 'ένα', 'μια', 'μπορεί', 'ή', 'θα', 'που', 'ότι', 'αυτό', 'αυτή', 'έχει', 'μη', 'μην', 'τα', 'τις', 'τον', 'την', 'οι'],
  // Ukrainian shares Russian's short words ("не", "в", "на"): both vote, and the letters decide (detect()).
  uk: ['не', 'в', 'на', 'і', 'й', 'та', 'що', 'це', 'ви', 'ваш', 'ваше', 'вашого', 'від', 'або', 'але', 'як', 'чи', 'ще', 'якщо', 'тому', 'вже', 'було', 'був', 'була', 'були', 'бути', 'може', 'можна', 'немає', 'нема', 'з', 'до', 'для', 'у', 'при', 'після', 'його', 'її', 'їх', 'також', 'лише', 'тільки', 'чому', 'цей', 'ця', 'ці', 'який', 'яка', 'яке', 'мене', 'мені', 'я', 'ми'],
  // Arabic and Persian share a script and some words ("من", "ما"): both vote, and Persian's letters decide (detect()).
  ar: ['في', 'من', 'على', 'إلى', 'الى', 'أن', 'ان', 'لا', 'لم', 'هذا', 'هذه', 'عن', 'مع', 'أو', 'او', 'التي', 'الذي', 'كان', 'قد', 'تم', 'يتم', 'ما', 'هل', 'لكن', 'عند', 'بعد', 'كل', 'غير', 'ليس', 'يمكن', 'لديك'],
  he: ['של', 'את', 'לא', 'על', 'זה', 'הוא', 'היא', 'עם', 'כי', 'אם', 'או', 'גם', 'יש', 'אין', 'כל', 'מה', 'אני', 'אתה', 'אבל', 'רק', 'לי', 'לך', 'שלא', 'הזה', 'הזאת', 'היה', 'הייתה', 'להיות', 'כדי', 'אשר'],
  fa: ['و', 'در', 'به', 'از', 'که', 'این', 'را', 'با', 'است', 'برای', 'آن', 'یک', 'نمی', 'می', 'شد', 'شده', 'های', 'هم', 'نیست', 'تا', 'بر', 'یا', 'اما', 'چرا', 'کنید', 'شما', 'ما', 'من'],
};
/**
 * Words of the mail field in each language: they put a paste without codes on topic, like DOMAIN_WORDS,
 * and vote for their language like function words (a short Italian line such as "Cassetta postale piena
 * o quota superata" has no function word of the list, but two of these). Words two languages spell alike
 * vote for both; "bericht" (Dutch message, German report) only puts a paste on topic.
 */
const FIELD_WORDS: Record<VoteLang, string[]> = {
  de: ['postfach', 'nachricht', 'nachrichten', 'empfänger', 'absender', 'zustellung', 'unzustellbar', 'verbindung', 'kennwort', 'empfängeradresse'],
  fr: ['messagerie', 'courrier', 'destinataire', 'destinataires', 'expéditeur', 'remise', 'boîte', 'connexion', 'postale', 'compte', 'comptes', 'envoyer', 'recevoir', 'serveur'],
  es: ['correo', 'correos', 'buzón', 'destinatario', 'destinatarios', 'remitente', 'mensaje', 'mensajes', 'entrega', 'conexión', 'cuenta', 'cuentas', 'recibir', 'servidor', 'contraseña'],
  it: ['posta', 'casella', 'cassetta', 'postale', 'mittente', 'messaggio', 'messaggi', 'recapito', 'recapitato', 'connessione', 'destinatario', 'destinatari'],
  nl: ['postvak', 'ontvanger', 'afzender', 'bezorgd', 'verbinding', 'geadresseerde'],
  pt: ['correio', 'caixa', 'destinatário', 'destinatários', 'remetente', 'mensagem', 'entregue', 'conexão', 'entrega'],
  // Russian inflects its nouns: the cases a message of the field uses.
  ru: ['почта', 'почты', 'почту', 'почтовый', 'почтового', 'ящик', 'ящика', 'сообщение', 'сообщения', 'письмо', 'письма', 'получатель', 'получателя', 'получателю', 'получателей', 'отправитель', 'отправителя', 'доставка', 'доставки', 'доставлено', 'доставить', 'подключение', 'подключения', 'соединение', 'соединения', 'пароль', 'адрес', 'адреса', 'электронной', 'электронная', 'электронную', 'отправка', 'отправки', 'отправить', 'отправлять', 'отправляет', 'отправил', 'получить', 'получать', 'приходит', 'вернулось', 'возвращается', 'сервер', 'сервера', 'сервере'],
  pl: ['poczta', 'poczty', 'pocztę', 'pocztowa', 'pocztowej', 'pocztowy', 'skrzynka', 'skrzynki', 'skrzynce', 'skrzynkę', 'wiadomość', 'wiadomości', 'adresat', 'adresata', 'adresatów', 'odbiorca', 'odbiorcy', 'nadawca', 'nadawcy', 'dostarczenie', 'dostarczona', 'dostarczyć', 'dostarczenia', 'niedostarczenia', 'niedostarczeniu', 'połączenie', 'połączenia', 'hasło', 'serwer', 'serwera', 'serwerze', 'adres', 'adresu'],
  cs: ['pošta', 'pošty', 'poštovní', 'schránka', 'schránky', 'schránce', 'zpráva', 'zprávy', 'zprávu', 'příjemce', 'příjemci', 'odesílatel', 'odesílatele', 'doručení', 'doručena', 'doručit', 'nedoručení', 'nedoručitelná', 'připojení', 'heslo', 'serveru', 'adresa', 'adresu'],
  sv: ['postlåda', 'postlådan', 'postlådor', 'meddelande', 'meddelandet', 'meddelanden', 'mottagare', 'mottagaren', 'mottagarens', 'avsändare', 'avsändaren', 'leverans', 'leveransen', 'levereras', 'levererades', 'anslutning', 'anslutningen', 'lösenord', 'lösenordet', 'servern'],
  da: ['postkasse', 'postkassen', 'meddelelse', 'meddelelsen', 'meddelelser', 'modtager', 'modtageren', 'modtagerens', 'afsender', 'afsenderen', 'levering', 'leveres', 'leveret', 'forbindelse', 'forbindelsen', 'adgangskode', 'serveren'],
  nb: ['postkasse', 'postkassen', 'postboks', 'melding', 'meldingen', 'meldinger', 'mottaker', 'mottakeren', 'mottakerens', 'avsender', 'avsenderen', 'levering', 'leveres', 'levert', 'tilkobling', 'tilkoblingen', 'passord', 'passordet', 'serveren'],
  fi: ['posti', 'postia', 'postilaatikko', 'postilaatikon', 'postilaatikkoon', 'sähköposti', 'sähköpostin', 'sähköpostia', 'viesti', 'viestin', 'viestiä', 'viestit', 'vastaanottaja', 'vastaanottajan', 'lähettäjä', 'lähettäjän', 'toimitus', 'toimittaa', 'toimitettu', 'yhteys', 'yhteyden', 'salasana', 'palvelin', 'palvelimen'],
  // "posta" is Italian's word too (it votes there): Turkish and Hungarian vote with their inflected forms.
  tr: ['postası', 'kutusu', 'ileti', 'iletiyi', 'iletiniz', 'iletisi', 'mesaj', 'mesajı', 'alıcı', 'alıcının', 'alıcıya', 'gönderen', 'gönderici', 'teslim', 'bağlantı', 'bağlantısı', 'parola', 'şifre', 'sunucu', 'sunucusu', 'sunucuya', 'adresi'],
  hu: ['postafiók', 'postafiókja', 'postafiókba', 'levél', 'levelet', 'üzenet', 'üzenetet', 'üzenete', 'címzett', 'címzettnek', 'címzettje', 'feladó', 'feladója', 'kézbesítés', 'kézbesíteni', 'kézbesíthetetlen', 'kapcsolat', 'kapcsolódás', 'jelszó', 'kiszolgáló', 'kiszolgálón'],
  ro: ['poștă', 'poșta', 'poştă', 'poşta', 'poștală', 'poştală', 'mesajul', 'mesajului', 'mesajele', 'destinatar', 'destinatarul', 'destinatarului', 'expeditor', 'expeditorul', 'livrare', 'livrat', 'livra', 'conexiune', 'conexiunea', 'parolă', 'serverul', 'cutia', 'căsuța', 'căsuţa'],
  el: ['ταχυδρομείο', 'ταχυδρομείου', 'γραμματοκιβώτιο', 'γραμματοκιβωτίου', 'μήνυμα', 'μηνύματος', 'μηνύματα', 'παραλήπτης', 'παραλήπτη', 'παραλήπτες', 'αποστολέας', 'αποστολέα', 'παράδοση', 'παράδοσης', 'σύνδεση', 'σύνδεσης', 'κωδικός', 'διακομιστή', 'διακομιστής'],
  uk: ['пошта', 'пошти', 'пошту', 'поштова', 'поштової', 'поштову', 'скринька', 'скриньки', 'скриньку', 'скриньці', 'повідомлення', 'лист', 'листа', 'листи', 'одержувач', 'одержувача', 'одержувачу', 'одержувачів', 'отримувач', 'отримувача', 'відправник', 'відправника', 'надсилання', 'доставка', 'доставки', 'доставлено', 'доставити', 'підключення', 'пароль', 'адреса', 'адресу', 'сервер', 'сервера', 'сервері', 'електронної', 'електронна', 'електронну'],
  ar: ['البريد', 'بريد', 'الإلكتروني', 'الالكتروني', 'صندوق', 'الرسالة', 'رسالة', 'رسائل', 'الرسائل', 'المستلم', 'مستلم', 'المرسل', 'مرسل', 'تسليم', 'التسليم', 'الاتصال', 'اتصال', 'المرور', 'الخادم', 'خادم', 'عنوان'],
  he: ['דואר', 'הדואר', 'אלקטרוני', 'תיבת', 'תיבה', 'הודעה', 'ההודעה', 'הודעות', 'נמען', 'הנמען', 'נמענים', 'שולח', 'השולח', 'מסירה', 'המסירה', 'חיבור', 'החיבור', 'סיסמה', 'שרת', 'השרת', 'כתובת'],
  fa: ['ایمیل', 'پست', 'پستی', 'الکترونیکی', 'صندوق', 'کاربر', 'پیام', 'گیرنده', 'فرستنده', 'تحویل', 'ارسال', 'اتصال', 'رمز', 'سرور', 'آدرس'],
};
/** Field words that put a paste on topic without voting for a language. */
const FIELD_WORDS_NO_VOTE = ['bericht'];
/** The same for CJK text, looked for as substrings. */
const CJK_FIELD_WORDS = ['邮件', '邮箱', '信箱', '收件人', '发件人', '收件者', '寄件者', '退信', 'メール', '受信者', '送信者', '配信', '宛先', '메일', '사서함', '받는 사람', '보낸 사람', '메시지', '수신자', '발신자', '배달'];

/**
 * Words that tell of a failure, per language (Latin-script entries of four letters or more match as word
 * prefixes, shorter ones as whole words; CJK entries as substrings). Localised wording alone, with no
 * evidence for a playbook, counts in full only when the paste says something went wrong: a page that
 * explains the offline address book or Cached Exchange Mode shares many words with a playbook's wording
 * in its language, but reports no failure. Questions ("warum", "为什么") and words of repetition ("ständig",
 * "反复") count: descriptions of a problem often have no negation. English markers count too (pastes mix the languages).
 */
const TROUBLE_WORDS: Record<Exclude<Lang, ScriptLang>, string[]> = {
  en: ['fail', 'error', 'cannot', 'unable', 'denied', 'reject', 'refused', 'invalid', 'exceed', 'expired', 'full', 'timeout', 'timed', 'not', 'unavailable', 'blocked', 'problem', 'quota', 'undeliverable', 'too'],
  de: ['nicht', 'kein', 'keine', 'keinen', 'fehl', 'abgelehnt', 'abgewiesen', 'verweiger', 'unzustellbar', 'überschr', 'übersteigt', 'abgelaufen', 'gesperrt', 'blockiert', 'ungültig', 'voll', 'problem', 'unbekannt', 'zurückgewiesen', 'warum', 'ständig', 'wiederholt', 'dauernd', 'endlos', 'hartnäckig'],
  fr: ['pas', 'ne', 'n', 'impossible', 'erreur', 'échec', 'échou', 'refus', 'rejet', 'plein', 'pleine', 'dépass', 'expir', 'bloqu', 'invalide', 'introuvable', 'problème', 'inconnu', 'trop', 'pourquoi', 'constamment', 'répét', 'cesse'],
  es: ['no', 'error', 'fall', 'rechaz', 'deneg', 'lleno', 'llena', 'supera', 'expir', 'bloque', 'imposible', 'problema', 'inválid', 'desconocid', 'ningún', 'ninguna', 'demasiad', 'constantemente', 'repetid', 'qué'],
  it: ['non', 'errore', 'impossibil', 'rifiut', 'negato', 'negata', 'piena', 'pieno', 'supera', 'scadut', 'bloccat', 'problema', 'sconosciut', 'nessun', 'troppo', 'troppi', 'perché', 'continuamente', 'ripetut'],
  nl: ['niet', 'geen', 'fout', 'mislukt', 'geweigerd', 'weigert', 'vol', 'overschr', 'verlopen', 'geblokkeerd', 'probleem', 'onbekend', 'ongeldig', 'onbestelbaar', 'te', 'waarom', 'steeds', 'telkens', 'herhaald'],
  pt: ['não', 'nao', 'erro', 'falh', 'recus', 'negad', 'cheia', 'cheio', 'exced', 'expir', 'bloque', 'problema', 'impossível', 'inválid', 'desconhecid', 'nenhum', 'demais', 'constantemente', 'repetid'],
  ru: ['не', 'нет', 'ошиб', 'сбой', 'невозм', 'неудач', 'отклон', 'отказ', 'запрещ', 'переполн', 'превыш', 'истек', 'истёк', 'заблок', 'блокир', 'недопуст', 'неверн', 'недостав', 'неизвест', 'проблем', 'слишком', 'почему', 'постоянно', 'снова', 'опять', 'постоянн', 'повтор'],
  pl: ['nie', 'błąd', 'błęd', 'niepowodz', 'odrzuc', 'odmow', 'pełna', 'pełny', 'przepełn', 'przekrocz', 'wygas', 'zablok', 'blokow', 'nieprawid', 'nieznan', 'niedostar', 'problem', 'dlaczego', 'ciągle', 'wciąż', 'nieudan', 'brak', 'zbyt', 'nieistn', 'niemożl', 'niedostęp'],
  cs: ['nelze', 'není', 'nebyl', 'nebyla', 'nebylo', 'chyb', 'selh', 'nezdař', 'nepodař', 'odmít', 'zamítn', 'plná', 'plný', 'přeplněn', 'překroč', 'vypršel', 'zablok', 'blokov', 'neplatn', 'neznám', 'nedoruč', 'problém', 'proč', 'stále', 'opakovan', 'příliš', 'nemůže', 'nemohl', 'neexist', 'nedostupn'],
  sv: ['inte', 'ingen', 'inget', 'inga', 'fel', 'felet', 'misslyck', 'nekad', 'nekas', 'avvis', 'avslag', 'full', 'fullt', 'överskr', 'utgått', 'blocker', 'spärra', 'ogiltig', 'okänd', 'problem', 'varför', 'ständigt', 'upprepa'],
  da: ['ikke', 'ingen', 'fejl', 'mislyk', 'afvist', 'afvis', 'nægte', 'fuld', 'overskr', 'udløb', 'blokere', 'spærre', 'ugyldig', 'ukendt', 'problem', 'hvorfor', 'gentag', 'konstant'],
  nb: ['ikke', 'ingen', 'feil', 'mislyk', 'avvist', 'avvis', 'nekte', 'full', 'overskr', 'utløp', 'blokker', 'sperr', 'ugyldig', 'ukjent', 'problem', 'hvorfor', 'stadig', 'gjenta', 'konstant'],
  fi: ['ei', 'eikä', 'virhe', 'virheen', 'epäonnist', 'hylät', 'hylkä', 'estet', 'täynnä', 'ylitt', 'ylity', 'vanhentun', 'umpeutu', 'virheellin', 'tuntemat', 'ongelm', 'miksi', 'jatkuvasti', 'toistuv', 'liian', 'voitu', 'epäkelpo'],
  // Turkish negates inside the verb ("teslim edilemedi", "bulunamadı"): the common forms, whole.
  tr: ['değil', 'hata', 'hatası', 'başarısız', 'redded', 'engellen', 'dolu', 'doldu', 'aşıldı', 'aşıyor', 'süresi', 'geçersiz', 'bilinmeyen', 'sorun', 'neden', 'sürekli', 'tekrar', 'edilemedi', 'edilemiyor', 'edilemez', 'gönderilemedi', 'gönderilemiyor', 'bulunamadı', 'bağlanılamadı', 'bağlanamadı', 'yapılamadı', 'alınamadı', 'kurulamadı', 'ulaşılamadı', 'ulaşılamıyor', 'yok'],
  hu: ['nem', 'nincs', 'hiba', 'hibá', 'sikertelen', 'elutasít', 'megtagad', 'megtelt', 'tele', 'túllép', 'lejárt', 'letilt', 'blokkol', 'érvénytelen', 'ismeretlen', 'probléma', 'miért', 'folyamatosan', 'ismételten', 'túl'],
  ro: ['nu', 'eroare', 'eroarea', 'eșu', 'eşu', 'nereușit', 'nereuşit', 'respins', 'refuz', 'plină', 'plin', 'depăș', 'depăş', 'expirat', 'blocat', 'invalid', 'necunoscut', 'problem', 'mereu', 'repetat', 'prea', 'imposibil', 'nelivrat', 'niciun', 'nicio'],
  el: ['δεν', 'σφάλμα', 'σφάλματος', 'αποτυχ', 'απέτυχε', 'απορρίφ', 'απόρριψ', 'πλήρες', 'γεμάτ', 'υπέρβ', 'υπερβ', 'έληξε', 'αποκλεισ', 'άκυρ', 'άγνωστ', 'πρόβλημα', 'γιατί', 'συνεχώς', 'επανειλημ', 'πολύ', 'αδύνατ', 'μη', 'μην'],
  uk: ['не', 'немає', 'нема', 'помил', 'збій', 'неможлив', 'невдал', 'відхил', 'відмов', 'заборон', 'переповн', 'перевищ', 'минув', 'закінч', 'заблок', 'блокув', 'недійсн', 'невір', 'недостав', 'невідом', 'проблем', 'занадто', 'чому', 'постійно', 'знову'],
  // Arabic and Hebrew write their article and conjunctions on the word ("الخطأ", "השגיאה"): the usual forms, as prefixes.
  ar: ['لا', 'لم', 'لن', 'ليس', 'غير', 'خطأ', 'الخطأ', 'فشل', 'الفشل', 'تعذر', 'يتعذر', 'تعذّر', 'رفض', 'مرفوض', 'ممتلئ', 'تجاوز', 'انتهت', 'محظور', 'حظر', 'مشكلة', 'المشكلة', 'لماذا', 'باستمرار', 'متكرر', 'جدا', 'يمكن'],
  he: ['לא', 'אין', 'שגיא', 'השגיא', 'נכשל', 'כשל', 'נדח', 'דחי', 'מלאה', 'חרג', 'חריג', 'חסום', 'נחסם', 'בעיה', 'הבעיה', 'מדוע', 'למה', 'שוב', 'ניתן'],
  fa: ['نه', 'نمی', 'خطا', 'خطای', 'ناموفق', 'شکست', 'رد', 'پر', 'بیش', 'تجاوز', 'منقضی', 'مسدود', 'نامعتبر', 'نامشخص', 'ناشناخته', 'مشکل', 'چرا', 'مکرر', 'مدام', 'نشد', 'نیست', 'نشده', 'نتوانست', 'نمیتوان'],
};
const CJK_TROUBLE: Record<ScriptLang, string[]> = {
  ja: ['できません', 'できない', 'ません', 'エラー', '失敗', '拒否', 'いっぱい', '超え', '超過', '期限切れ', 'ブロック', '問題', '見つかりません', '無効', '不明', '達し', '拒絶', '届か', '返って', 'タイムアウト', '応答しない', '不能', 'なぜ', 'どうして', '何度も', '繰り返し'],
  ko: ['실패', '오류', '에러', '없습니다', '없음', '수 없', '거부', '거절', '가득', '초과', '만료', '차단', '잘못', '유효하지', '올바르지', '시간 초과', '응답하지', '않습니다', '않음', '않아', '안 됩', '안됩', '못', '왜', '계속', '반복'],
  zh: ['无法', '不能', '失败', '错误', '拒绝', '被拒', '拒收', '已满', '满了', '容量满', '超过', '超出', '过期', '阻止', '问题', '不存在', '退信', '未能', '不可用', '不允许', '没有响应', '未通过', '未经', '超时', '过大', '太大', '报错', '异常', '拦截', '收不到', '发不出', '找不到', '无效', '不到', '为什么', '怎么办', '反复', '重复', '一直', '不断', '总是'],
};

/**
 * What a help page, tutorial or FAQ answer writes about itself, per script language: in Chinese "this
 * article", "the following steps", "solution", "common causes", "how to set up" (looked for in the folded
 * head, Simplified). Such a page lists troubles in general and reports none of its own: its wording alone
 * tells of no trouble (codes and phrases it quotes still count).
 */
const HELP_PAGE: Record<ScriptLang, readonly string[]> = {
  // Japanese: a page that names itself ("この記事は", "このトピックでは") or says what something means.
  ja: ['この記事', 'このトピック', 'このページ', '本記事', '設定方法', '設定手順', '完全ガイド', 'を意味します',
    // …and one that teaches: "let's check" (しましょう), "introduce the typical ones", "shown below", "how to handle", "it is good to".
    'しましょう', '紹介します', '代表的な', '代表例', '次に示します', '以下に示します', '対処方法を', '方法について', 'について説明', 'とよいでしょう', 'とよいだろう', '主な原因', 'よくある質問',
    // …or defines a term ("NDR とは、…", "▼配信エラーとは"), lists "as follows" or counts its ways ("3つのアプローチ").
    'とは、', 'とは\n', 'とは?', 'とは？', '次のとおり', '一般的な例', 'つのアプローチ', 'つの方法', 'つの手順',
    // …or tells how to look a setting up ("…を確認するには下記コマンドを実行します").
    '確認するには',
    // …or explains errors in general: "examples of handling", "about errors", "for reference", "… is conceivable", what
    // an error mail's content or an error means, "how to deal with it", "we guide you", a provider's FAQ heading.
    // (Not "以下の通り" or "…の意味": a reader's own question says "the error is as follows" and asks what it means.)
    '対処例', 'エラーについて', '参考に', 'が考えられ', 'エラーメールの内容', 'エラーの意味', '対処法', 'ご案内します', 'よくあるご質問', '主に以下'],
  ko: [],
  zh: ['本文', '在这篇文章中', '本主题', '本指南', '本教程', '以下步骤', '按照以下', '操作步骤', '设置步骤', '步骤如下', '解决方案', '解决方法', '常见原因', '常见问题', '如何设置', '怎么设置', '设置方法', '配置方法', '教程', '以下是各种', '以下几种', '状态的含义', '请参阅', '实现原理', '工作原理', '如果上述', '子元素和父元素',
    // …a summary, a round-up or a reassurance: "summary", "this topic introduces", "troubleshooting guide", "let's go through", "don't worry".
    '汇总', '本文介绍', '介绍如何', '排查指南', '排查法', '盘点', '别担心', '以下是可能', '详细指南', '设置指南', '配置指南',
    // …or a heading of its own notes ("升级说明", "配置说明" alone on a line).
    '说明\n',
    // …or a provider's table of bounce causes: "(problem) causes and fixes", "main causes", "an example bounce", a column of "error causes".
    '解决办法', '原因及解决', '主要原因', '范例', '错误原因'],
};

/**
 * The same for the alphabetic languages: what a help page, reference page or guide writes about itself
 * ("cet article", "in den folgenden Abschnitten", "en esta guía", "w tym artykule"), looked for in the
 * lowercased head (HELP_HEAD_CHARS). A localised Microsoft or vendor page that explains a feature or lists
 * causes in general shares many words with every playbook's wording but reports no failure of its own:
 * its wording alone tells of no trouble. Codes and phrases it quotes still count, so a page about one
 * error ("550 5.7.23", "Winsock 10061") still finds its playbook.
 */
const HELP_PAGE_ALPHA: Partial<Record<Exclude<Lang, ScriptLang | 'en'>, readonly string[]>> = {
  de: ['übersicht häufig', 'häufig vorkommend', 'was können sie', 'das können sie tun', 'so beheben sie', 'faq:', 'tastenkombination', 'dieser artikel', 'in diesem artikel', 'in diesem thema', 'in den folgenden abschnitten', 'gehen sie wie folgt vor', 'führen sie die folgenden schritte', 'häufig gestellte fragen', 'untergeordnete und übergeordnete elemente',
    // A translated Microsoft blog post names its original; a table of codes has a column for what each means.
    'veröffentlichung des originalartikels', 'fehlercode | bedeutung',
    // An explainer of many messages at once: "which Exchange error message means what".
    'fehlermeldung bedeutet was'],
  fr: ['raccourci clavier', 'cet article', 'cette rubrique', 'dans ce guide', 'procédez comme suit', 'suivez ces étapes', 'comment résoudre le problème', 'éléments enfants et parents'],
  es: ['te mostramos', 'más habituales', 'la siguiente tabla', '¿por qué recibo', 'te explicamos', 'método abreviado de teclado', 'este artículo', 'esta guía', 'siga estos pasos', 'haga lo siguiente', 'elementos secundarios y primarios', 'siguiendo estos pasos', 'se puede activar'],
  it: ['scelta rapida da tastiera', 'questo articolo', 'questa guida', 'seguire questa procedura', 'elementi figlio e padre', 'più frequenti'],
  pt: ['atalho de teclado', 'este artigo', 'neste artigo', 'este guia', 'siga estas etapas', 'elementos filho e pai', 'este tópico', 'neste tópico'],
  nl: ['dit artikel', 'deze handleiding', 'volg deze stappen', 'onderliggende en bovenliggende elementen'],
  pl: ['ten artykuł', 'w tym artykule', 'w tym temacie', 'wykonaj następujące czynności', 'ten przewodnik'],
  cs: ['tento článek', 'v tomto článku', 'postupujte takto'],
  ru: ['эта статья', 'в этой статье', 'в данной статье', 'это руководство', 'выполните следующие действия'],
};
/** Characters of the head read for an alphabetic help page's words about itself (a page says what it is near its start). */
const HELP_HEAD_CHARS = 2048;

/** What a page explaining a feature or a service says it does, per script language ("is possible", "lets you", "notifies about"). */
const FEATURE_PAGE: Record<ScriptLang, readonly string[]> = {
  ja: ['可能となります', 'ことができます', 'について通知します'],
  ko: [],
  zh: [],
};

/** Quotation marks a page opens a quoted message with, and the mark that closes each. */
const CLOSING_QUOTE = new Map([[0x22, 0x22], [0x201c, 0x201d], [0x300c, 0x300d], [0x300e, 0x300f]]);
/** Characters after an opening quotation mark read for a trouble word (the quoted message's start). */
const QUOTED_CHARS = 48;

/**
 * Whether a page quotes a message of failure (a trouble word between quotation marks: "无法启动 Microsoft
 * Outlook"): a help page about that message, which still tells of its trouble. A page that quotes two
 * different such messages ("可能会出现“无法连接到服务器”、“发送超时”等错误提示") lists
 * examples of causes: no trouble of its own. Bounded: the first 4K characters, at most QUOTED_CHARS read after each opening mark
 * (up to its closing mark).
 */
function quotesTrouble(head: string, words: readonly string[]): boolean {
  const n = Math.min(head.length, 4096);
  let quotes = false;
  // The first closed quotation of a trouble message (a span cut off at QUOTED_CHARS is no whole message).
  let first: string | undefined;
  for (let i = 0; i < n; i++) {
    const close = CLOSING_QUOTE.get(head.charCodeAt(i));
    if (close === undefined) continue;
    const limit = Math.min(head.length, i + 1 + QUOTED_CHARS);
    let end = i + 1;
    while (end < limit && head.charCodeAt(end) !== close) end++;
    const quoted = head.slice(i + 1, end);
    if (words.some((w) => quoted.includes(w))) {
      quotes = true;
      if (end < limit) {
        // Another message quoted besides the first ("…”、“…”", "…" o "…"): a list of examples.
        if (first === undefined) first = quoted;
        else if (quoted !== first) return false;
      }
    }
    // An ASCII double quote closes at the same mark: go on after the quoted span.
    if (end < limit) i = end;
  }
  return quotes;
}

/** CJK phrases that deny a trouble word inside them ("没问题": no problem): such an occurrence tells of no trouble. */
const CJK_NEGATED: Record<ScriptLang, string[]> = {
  ko: ['문제 없습니다', '문제없습니다', '문제 없음', '문제없음'],
  // "無効にする": to turn off (a setting), not "invalid".
  // "…しなければなりません" / "…かもしれません": must / may (a guide's instruction or hedge), no "…ません" of failure.
  ja: ['問題ない', '問題なく', '問題なし', '問題ありません', '問題はありません', '無効にする', 'なければなりません', 'かもしれません'],
  zh: ['没问题', '没有问题', '无问题', '没什么问题', '邮件流问题', '常见问题'],
};

/** Whether `word` occurs in `head` other than inside one of the negated phrases. */
function saysCjk(head: string, word: string, negated: readonly string[]): boolean {
  for (let at = head.indexOf(word); at >= 0; at = head.indexOf(word, at + 1)) {
    let denied = false;
    for (const n of negated) {
      const off = n.indexOf(word);
      if (off >= 0 && at >= off && head.startsWith(n, at - off)) denied = true;
    }
    if (!denied) return true;
  }
  return false;
}

/**
 * The words every topic of the field shares in an alphabetic language (and Korean): its field words (mail,
 * mailbox, message, recipient …). A help page that explains how mail works shares them with every
 * playbook's wording: wording alone made of them only does not count (see `specific`). Chinese and
 * Japanese field words are not used so: such a playbook's wording shares few other bigrams with a short
 * real description.
 */
function genericWords(lang: Lang): readonly string[] {
  if (lang === 'en') return [];
  const failure = GENERIC_FAILURE[lang];
  if (lang === 'ko') return [...KO_GENERIC, ...failure, ...ADDRESS_PARTS];
  if (lang === 'zh') return [...ZH_GENERIC, ...failure, ...ADDRESS_PARTS];
  return isScriptLanguage(lang) ? [...failure, ...ADDRESS_PARTS] : [...FIELD_WORDS[lang], ...failure];
}

/**
 * Latin pieces of a host name or URL inside CJK or Korean prose ("resend.com", "smtp.office365.com"):
 * a paste's link and a playbook's host share them by chance; they name no playbook.
 */
const ADDRESS_PARTS = ['com', 'net', 'org', 'www', 'http', 'https', 'cn'];

/**
 * Chinese words that any question about mail uses: the field's (domain name, mailbox, server, user,
 * receive, submit, "after") and a question's (need, reason, maybe, what, how). A description made of them
 * ("某个域名…有的邮箱可以收到邮件，有的却收不到…这可能是什么原因呢") names no playbook. Taken as bigrams like the paste.
 * So do the words of any help page or FAQ about mail (email, address, account, set up, create, use,
 * check, confirm, contact the administrator, steps, "if", "normal") and the bare words of failure
 * (error, cannot, failed, problem, prompt): they tell of trouble (tellsOfTrouble), not which. A how-to
 * ("为何不能接收外站邮件？1、没有正确设置；2、网络故障…") shares them with every playbook.
 */
const ZH_GENERIC = [
  '域名', '邮箱', '服务器', '用户', '收到', '邮件', '接收', '提交', '经过', '需要', '原因', '可能', '什么', '请问', '如何', '怎么',
  '电子邮件', '地址', '帐户', '账户', '帐号', '账号', '发件', '收件', '发信', '收信', '对方', '客户端', '系统', '管理员', '管理', '组织', '租户',
  '使用', '进行', '创建', '设置', '配置', '重新', '记录', '以下', '操作', '检查', '确认', '联系', '填写', '登录', '通过', '其他', '所有', '目前',
  '步骤', '方法', '解决', '如果', '或者', '是否', '可以', '已经', '正常', '功能', '信息', '内容', '情况', '注意', '详细', '了解',
  '问题', '错误', '无法', '不能', '失败', '出现', '提示', '显示', '导致', '垃圾邮件', '有效', '支持', '遇到', '基本',
];

/**
 * The sentences every provider's bounce or notice writes whatever the cause, per language: "could not be
 * delivered", "this message was created automatically", "do not reply", "we regret to inform you",
 * "one or more recipients", a read receipt's "displayed on the recipient's computer", and (in the languages
 * added later) the verbs of sending every notice uses. They put a paste on
 * topic, but tell no playbook from another: their terms count in `hits`, never in `specific`, so wording
 * made of them only cannot match alone (Mail.ru's, Yandex's, OCN's, QQ's or Daum's paragraph above the
 * English MTA text is such wording). Taken as terms of the language (stems, bigrams), like the paste.
 */
const GENERIC_FAILURE: Record<Exclude<Lang, 'en'>, readonly string[]> = {
  de: ['zugestellt', 'zustellen', 'unzustellbar', 'automatisch', 'erstellt', 'generiert', 'antworten', 'leider', 'mitteilen', 'empfänger', 'gelesen', 'angezeigt', 'bestätigung', 'lesebestätigung', 'benachrichtigung'],
  fr: ['remis', 'remise', 'distribué', 'distribuer', 'automatiquement', 'automatique', 'généré', 'répondre', 'malheureusement', 'informer', 'destinataires', 'affiché', 'ordinateur', 'garantie', 'lu', 'compris', 'avis', 'lecture', 'notification'],
  es: ['entregado', 'entregar', 'automáticamente', 'automático', 'generado', 'responda', 'lamentablemente', 'informarle', 'destinatarios', 'mostrado', 'equipo', 'garantía', 'leído', 'comprendido', 'confirmación', 'lectura', 'notificación', 'solo', 'sólo', 'solamente'],
  it: ['recapitato', 'recapitare', 'consegnato', 'automaticamente', 'automatico', 'generato', 'rispondere', 'purtroppo', 'informarla', 'destinatari', 'visualizzato', 'computer', 'garanzia', 'letto', 'compreso', 'ricevuta', 'ritorno', 'notifica', 'solo', 'solamente', 'stato'],
  nl: ['bezorgd', 'afgeleverd', 'automatisch', 'gegenereerd', 'beantwoorden', 'helaas', 'ontvangers', 'weergegeven', 'gelezen', 'leesbevestiging', 'melding'],
  pt: ['entregue', 'entregar', 'automaticamente', 'automática', 'gerada', 'responda', 'infelizmente', 'informar', 'destinatários', 'exibida', 'computador', 'garantia', 'lida', 'compreendida', 'confirmação', 'leitura', 'notificação', 'apenas', 'somente'],
  ru: ['доставлено', 'доставлен', 'доставить', 'доставки', 'недоставленное', 'недоставки', 'автоматически', 'автоматическом', 'создано', 'сформировано', 'отвечайте', 'отвечать', 'сожалению', 'вынуждены', 'сообщить', 'сообщаем', 'нескольким', 'одному', 'получателям', 'адресатам', 'адресату', 'причины', 'указаны', 'роботом', 'режиме', 'уведомление', 'прочтении', 'открыто', 'прочитано', 'понято', 'гарантирует', 'означает'],
  pl: ['dostarczona', 'dostarczyć', 'dostarczenia', 'niedostarczenia', 'niedostarczeniu', 'automatycznie', 'wygenerowana', 'odpowiadaj', 'niestety', 'adresatów', 'odbiorców', 'raport', 'powiadomienie', 'przeczytana', 'potwierdzenie', 'wysłać', 'wysłana', 'wysłanej', 'wysłanych', 'wysyłania', 'wysyłać', 'wysyłanych', 'wysłano', 'otrzymujesz', 'informacja', 'informacją', 'diagnostyczne', 'administratorów'],
  cs: ['doručena', 'doručit', 'doručení', 'nedoručení', 'nedoručitelná', 'nedoručitelné', 'nedoručeno', 'automaticky', 'vygenerována', 'neodpovídejte', 'bohužel', 'příjemcům', 'příjemců', 'oznámení', 'přečtena', 'potvrzení', 'odeslat', 'odeslané', 'odesílání', 'odeslali', 'poslat', 'poslali', 'dostanete', 'informace', 'diagnostické', 'správce'],
  sv: ['levereras', 'levererades', 'leverans', 'automatiskt', 'genererat', 'svara', 'tyvärr', 'mottagare', 'mottagarna', 'rapport', 'meddelande', 'läst', 'läskvitto', 'kvitto', 'skicka', 'skickade', 'skickat', 'skickas', 'information', 'diagnostikinformation', 'administratörer'],
  da: ['leveres', 'leveret', 'levering', 'automatisk', 'genereret', 'besvar', 'desværre', 'modtagere', 'modtagerne', 'rapport', 'meddelelse', 'læst', 'kvittering', 'sende', 'sendt', 'sendte'],
  nb: ['leveres', 'levert', 'levering', 'automatisk', 'generert', 'svar', 'dessverre', 'mottakere', 'mottakerne', 'rapport', 'melding', 'lest', 'kvittering', 'sende', 'sendt', 'sendte'],
  fi: ['toimitettu', 'toimittaa', 'toimitus', 'automaattisesti', 'luotu', 'vastaa', 'valitettavasti', 'vastaanottajille', 'vastaanottajat', 'raportti', 'ilmoitus', 'luettu', 'kuittaus', 'lähettää', 'lähetetty', 'lähettämäsi', 'lähetä'],
  tr: ['teslim', 'otomatik', 'oluşturuldu', 'yanıtlamayın', 'maalesef', 'alıcılara', 'alıcılar', 'rapor', 'bildirim', 'okundu', 'onay', 'gönder', 'gönderdiğiniz', 'gönderildi', 'gönderilen'],
  hu: ['kézbesíteni', 'kézbesítés', 'kézbesíthetetlen', 'automatikusan', 'létrehozott', 'válaszoljon', 'sajnos', 'címzettek', 'címzetteknek', 'jelentés', 'értesítés', 'elolvasva', 'visszaigazolás', 'küld', 'küldött', 'elküldött'],
  ro: ['livrat', 'livra', 'livrare', 'automat', 'generat', 'răspundeți', 'răspundeţi', 'păcate', 'destinatari', 'destinatarii', 'raport', 'notificare', 'citit', 'confirmare', 'trimis', 'trimite', 'trimiterea'],
  el: ['παράδοση', 'παραδοθεί', 'αυτόματα', 'δημιουργήθηκε', 'απαντήσετε', 'δυστυχώς', 'παραλήπτες', 'αναφορά', 'ειδοποίηση', 'ανάγνωση', 'επιβεβαίωση', 'στείλατε', 'έστειλα', 'αποστολή'],
  uk: ['доставлено', 'доставити', 'доставки', 'недоставлене', 'автоматично', 'створено', 'відповідайте', 'жаль', 'одержувачам', 'одержувачів', 'звіт', 'сповіщення', 'прочитано', 'прочитання', 'надіслати', 'надсилаєте', 'надіслано', 'надсилання'],
  ar: ['تسليم', 'التسليم', 'تلقائيا', 'تلقائي', 'إنشاء', 'ترد', 'للأسف', 'المستلمين', 'تقرير', 'إشعار', 'قراءة', 'إيصال', 'إرسال', 'أرسلت'],
  he: ['נמסרה', 'למסור', 'מסירה', 'אוטומטית', 'נוצרה', 'תשיב', 'לצערנו', 'הנמענים', 'דוח', 'הודעה', 'קריאה', 'אישור', 'שליחה', 'שלחת', 'אבחון', 'מנהלים'],
  fa: ['تحویل', 'خودکار', 'ایجاد', 'ندهید', 'متأسفانه', 'متاسفانه', 'گیرندگان', 'گزارش', 'اعلان', 'خوانده', 'رسید', 'ارسال', 'فرستاده'],
  ja: ['配信できませんでした', '送信できませんでした', '届けることが出来ませんでした', '自動', '返信', '宛先', 'メール', 'メッセージ', '送信', '受信', '配信', '確認', '表示', '開封', '通知', '再送信', '元のメール'],
  zh: ['很抱歉', '未能送达', '无法送达', '退信', '自动回复', '一封', '以下', '邮件', '发送', '收件人', '送达', '回执', '已读', '打开', '阅读', '表示', '通知'],
  ko: ['발송', '전송', '자동', '회신', '수신', '확인', '표시', '읽음', '보장', '이해', '알림', '안내'],
};
/**
 * Korean field words, taken as bigrams like the paste: Korean spaces its words, so a help page shares
 * these with every playbook's wording much as an alphabetic language does (Chinese and Japanese ones do not).
 */
const KO_GENERIC = ['메일', '전자 메일', '사서함', '메시지', '받는 사람', '보낸 사람', '보내는', '보내기', '수신자', '발신자', '서버', '사용자'];

/**
 * What a read receipt or a delivery notice calls itself, per language (substrings of the lowercased head).
 * Such a notice says "this does not guarantee the message was read" or "no action needed": a negation that
 * is no trouble. A paste that names itself so tells of no trouble in its wording (codes and phrases still count).
 */
const NOTICE_NAMES: Record<Exclude<Lang, 'en'>, readonly string[]> = {
  de: ['lesebestätigung', 'empfangsbestätigung', 'erfolgreich zugestellt', 'nach behebung des problems'],
  fr: ['avis de lecture', "avis d'ouverture", 'avis d’ouverture', 'accusé de lecture', 'remis avec succès'],
  es: ['confirmación de lectura', 'acuse de recibo', 'entregado correctamente'],
  it: ['ricevuta di ritorno', 'conferma di lettura', 'consegnato correttamente'],
  nl: ['leesbevestiging', 'ontvangstbevestiging', 'is afgeleverd'],
  pt: ['confirmação de leitura', 'recibo de leitura', 'entregue com sucesso'],
  ru: ['уведомление о прочтении', 'успешно доставлено', 'доставлено успешно'],
  ja: ['開封確認', '開封通知', '配信完了', '送信完了'],
  zh: ['已读回执', '邮件回执', '投递成功', '已成功送达'],
  ko: ['읽음 확인', '수신 확인', '전송 완료', '발송 완료'],
  pl: ['potwierdzenie przeczytania', 'potwierdzenie odbioru', 'dostarczono pomyślnie', 'została dostarczona'],
  cs: ['potvrzení o přečtení', 'potvrzení o doručení', 'úspěšně doručena', 'byla doručena'],
  sv: ['läskvitto', 'leveranskvitto', 'har levererats', 'levererades'],
  da: ['læsekvittering', 'leveringskvittering', 'er blevet leveret', 'blev leveret'],
  nb: ['lesebekreftelse', 'leveringskvittering', 'er levert', 'ble levert'],
  fi: ['lukukuittaus', 'toimituskuittaus', 'toimitettiin onnistuneesti', 'on toimitettu'],
  tr: ['okundu bilgisi', 'teslim bilgisi', 'başarıyla teslim edildi', 'teslim edildi'],
  hu: ['olvasási visszaigazolás', 'kézbesítési visszaigazolás', 'sikeresen kézbesítve', 'kézbesítve'],
  ro: ['confirmare de citire', 'confirmare de livrare', 'livrat cu succes', 'a fost livrat'],
  el: ['απόδειξη ανάγνωσης', 'απόδειξη παράδοσης', 'παραδόθηκε επιτυχώς'],
  uk: ['сповіщення про прочитання', 'успішно доставлено', 'доставлено успішно'],
  ar: ['إيصال القراءة', 'إشعار القراءة', 'تم التسليم بنجاح'],
  he: ['אישור קריאה', 'אישור מסירה', 'נמסרה בהצלחה'],
  fa: ['رسید خواندن', 'رسید تحویل', 'با موفقیت تحویل'],
};

/** Whether the head of the paste names itself a read receipt or a delivery notice in its language. */
export function namesNotice(text: string, lang: Lang, lower?: string): boolean {
  if (lang === 'en') return false;
  const lowered = text.length > 4096 ? text.slice(0, 4096).toLowerCase() : lower ?? text.toLowerCase();
  const head = lang === 'zh' ? foldTraditional(lowered) : lowered;
  return NOTICE_NAMES[lang].some((w) => head.includes(w));
}

/** The paste's first non-empty line, at most TITLE_CHARS characters: a page's title or opening sentence. */
function firstLine(text: string): string {
  let at = 0;
  while (at < text.length && (text.charCodeAt(at) === 10 || text.charCodeAt(at) === 13 || text.charCodeAt(at) === 32)) at++;
  const end = Math.min(text.length, at + TITLE_CHARS);
  let i = at;
  while (i < end && text.charCodeAt(i) !== 10) i++;
  return text.slice(at, i);
}
const TITLE_CHARS = 160;

/**
 * Whether a title names a trouble: a trouble word of its language or English, or (Chinese) a title that asks
 * about something met or for help ("遇到密码提示时…？", "需要有关…的帮助？"): a help page about one problem.
 */
function titleTellsOfTrouble(title: string, lang: Lang): boolean {
  if (isScriptLanguage(lang)) {
    const t = lang === 'zh' ? foldTraditional(title) : title;
    // An article's title on a kind of trouble in general ("海外邮件退信原因及解决方法": causes and fixes of overseas
    // bounces), not a reader's own ("我的邮件…"): the trouble it names is the page's subject, not a report.
    if (CJK_TITLE_HELP[lang]?.some((w) => t.includes(w)) && !(CJK_TITLE_OWN[lang]?.some((w) => t.includes(w)) ?? false)) return false;
    if (CJK_TROUBLE[lang].some((w) => saysCjk(t, w, CJK_NEGATED[lang])) || (CJK_TITLE_TROUBLE[lang]?.some((w) => t.includes(w)) ?? false)) return true;
  }
  const lower = title.toLowerCase();
  return hasTroubleWord(lower, troubleByUnit(isScriptLanguage(lang) ? 'en' : lang), 0, lower.length);
}
const CJK_TITLE_TROUBLE: Partial<Record<ScriptLang, readonly string[]>> = { zh: ['遇到', '帮助？', '帮助?'] };
/** An article title's "causes and solutions of …" (Chinese), and the reader's own words that make it a question of theirs. */
const CJK_TITLE_HELP: Partial<Record<ScriptLang, readonly string[]>> = { zh: ['原因及解决', '原因和解决', '原因与解决', '原因及处理', '原因和处理', '原因分析'] };
const CJK_TITLE_OWN: Partial<Record<ScriptLang, readonly string[]>> = { zh: ['我', '求助', '请问', '？', '?'] };

/** Whether the head names the paste a help page, guide or FAQ in its language (HELP_PAGE, HELP_PAGE_ALPHA). */
function readsAsHelpPage(text: string, lang: Lang): boolean {
  const head = text.length > WORDING_CHARS ? text.slice(0, WORDING_CHARS) : text;
  if (isScriptLanguage(lang)) return HELP_PAGE[lang].some((w) => (lang === 'zh' ? foldTraditional(head) : head).includes(w));
  const help = lang === 'en' ? undefined : HELP_PAGE_ALPHA[lang];
  const top = head.slice(0, HELP_HEAD_CHARS).toLowerCase();
  return help !== undefined && help.some((w) => top.includes(w));
}

/**
 * Whether the prose says something went wrong, in its language or in English (bounded: the head only).
 * `lower`, when given, is text.toLowerCase() (read instead of lowercasing a paste no longer than the head again).
 */
export function tellsOfTrouble(text: string, lang: Lang, lower?: string): boolean {
  const head = text.length > WORDING_CHARS ? text.slice(0, WORDING_CHARS) : text;
  if (isScriptLanguage(lang)) {
    // Chinese: the words are listed in Simplified; a Traditional paste is read folded (cjk.ts).
    const cjkHead = lang === 'zh' ? foldTraditional(head) : head;
    // A help page or tutorial names trouble in general ("常见原因", "解决方案", "この記事"), no failure of its own.
    if (HELP_PAGE[lang].some((w) => cjkHead.includes(w)) && !quotesTrouble(cjkHead, CJK_TROUBLE[lang])) return false;
    // A page that opens on what a feature or service does ("…の確認が可能となります", "…について通知します") and whose
    // opening line names no trouble: the statuses and alerts it quotes are the feature's, not a failure.
    if (FEATURE_PAGE[lang].some((w) => cjkHead.includes(w)) && !CJK_TROUBLE[lang].some((w) => saysCjk(firstLine(cjkHead), w, CJK_NEGATED[lang]))) return false;
    if (CJK_TROUBLE[lang].some((w) => saysCjk(cjkHead, w, CJK_NEGATED[lang]))) return true;
  }
  const lowerHead = head === text && lower !== undefined ? lower : head.toLowerCase();
  const byUnit = troubleByUnit(isScriptLanguage(lang) ? 'en' : lang);
  if (!isScriptLanguage(lang) && lang !== 'en') {
    const help = HELP_PAGE_ALPHA[lang];
    if (help !== undefined) {
      const top = lowerHead.length > HELP_HEAD_CHARS ? lowerHead.slice(0, HELP_HEAD_CHARS) : lowerHead;
      // A help page about one message it quotes ("No se puede iniciar Microsoft Outlook") still tells of that trouble.
      if (help.some((w) => top.includes(w)) && !quotesTroubleWord(top, byUnit)) return false;
    }
  }
  return hasTroubleWord(lowerHead, byUnit, 0, lowerHead.length);
}

/**
 * Whether a quoted span in the lowercased head (ASCII, curly or French quotation marks; at most
 * QUOTED_CHARS read after each opening mark) holds one of the language's trouble words.
 */
function quotesTroubleWord(lower: string, byUnit: ReadonlyMap<number, readonly string[]>): boolean {
  const n = Math.min(lower.length, 4096);
  for (let i = 0; i < n; i++) {
    const c = lower.charCodeAt(i);
    const close = c === 0xab ? 0xbb : CLOSING_QUOTE.get(c);
    if (close === undefined) continue;
    const limit = Math.min(lower.length, i + 1 + QUOTED_CHARS);
    let end = i + 1;
    while (end < limit && lower.charCodeAt(end) !== close) end++;
    if (hasTroubleWord(lower, byUnit, i + 1, end)) return true;
    if (end < limit) i = end;
  }
  return false;
}

/** Whether the lowercased text between `from` and `to` holds a trouble word (words of letters only; linear, no regular expression on the paste). */
function hasTroubleWord(lower: string, byUnit: ReadonlyMap<number, readonly string[]>, from0: number, to: number): boolean {
  let start = -1;
  for (let i = from0; i <= to; i++) {
    const letter = i < to && isCasedUnit(lower.charCodeAt(i));
    if (letter) {
      if (start < 0) start = i;
      continue;
    }
    if (start < 0) continue;
    // Only the trouble words that begin with the word's first unit are compared, in place (no word cut out).
    const list = byUnit.get(lower.charCodeAt(start));
    const len = i - start;
    const from = start;
    start = -1;
    if (list === undefined) continue;
    for (const w of list) if ((w.length >= 4 ? len >= w.length : len === w.length) && lower.startsWith(w, from)) return true;
  }
  return false;
}

/**
 * A language's trouble words and the English ones (English alone for English and the script languages),
 * by their first code unit: what tellsOfTrouble compares a word with (a word of four units or more is a
 * prefix, a shorter one the whole word). Built once per language.
 */
function troubleByUnit(lang: Exclude<Lang, ScriptLang>): ReadonlyMap<number, readonly string[]> {
  let had = TROUBLE_BY_UNIT.get(lang);
  if (had) return had;
  had = new Map<number, string[]>();
  for (const w of lang === 'en' ? TROUBLE_WORDS.en : [...TROUBLE_WORDS[lang], ...TROUBLE_WORDS.en]) {
    if (w.length === 0) continue;
    const c = w.charCodeAt(0);
    const list = had.get(c);
    if (list) list.push(w);
    else had.set(c, [w]);
  }
  TROUBLE_BY_UNIT.set(lang, had);
  return had;
}

const TROUBLE_BY_UNIT = new Map<Exclude<Lang, ScriptLang>, Map<number, string[]>>();

/** Per code unit: 1 when it has a case (its upper and lower case differ, what tellsOfTrouble calls a letter), 2 when not, 0 not asked yet. */
const CASED = new Uint8Array(65536);

/** Hebrew and Arabic-script letters (no case, but letters of words tellsOfTrouble reads); Persian's ZWNJ stays a break. */
const isCaselessLetter = (c: number) => (c >= 0x5d0 && c <= 0x5f2) || (c >= 0x620 && c <= 0x64a) || (c >= 0x66e && c <= 0x6d3) || (c >= 0x6fa && c <= 0x6ff) || (c >= 0xfb1d && c <= 0xfdfb) || (c >= 0xfe70 && c <= 0xfefc);

/** Whether the code unit, as a one-unit string, changes with case, or is a Hebrew or Arabic letter (computed once per unit, no string per character). */
function isCasedUnit(c: number): boolean {
  let k = CASED[c] as number;
  if (k === 0) {
    const ch = String.fromCharCode(c);
    CASED[c] = k = ch.toUpperCase() !== ch.toLowerCase() || isCaselessLetter(c) ? 1 : 2;
  }
  return k === 1;
}

/**
 * Distinct specific terms (no generic word of the field or of a failure notice, alphabetic stems of four
 * letters or more: langtext.ts) localised wording must share with a playbook's before it may match alone.
 * Russian stems are short and many words share one ("почт", "отправ"): three there.
 */
const MIN_SPECIFIC_DEFAULT = 2;
const MIN_SPECIFIC: Partial<Record<Lang, number>> = { ru: 2 };

/** Characters of a paste whose wording is compared in its language. */
const WORDING_CHARS = 16 * 1024;
/** How many of the first words are read for the vote. */
const GATE_WORDS = 400;
/** Votes below this: no language guess at all (the paste is English). */
const GATE_HITS = 2;
/** A vote this large, ahead of the runner-up, decides without the detector (a tie goes to the detector). */
const DECISIVE_HITS = 2;
/** The vote's languages, one bit each in the per-word mask. */
const VOTING: readonly VoteLang[] = ['de', 'fr', 'es', 'it', 'nl', 'pt', 'ru', 'pl', 'cs', 'sv', 'da', 'nb', 'fi', 'tr', 'hu', 'ro', 'el', 'uk', 'ar', 'he', 'fa'];
/** Bytes of the vote mask per lexicon word (one bit per voting language). */
const MASK_BYTES = Math.ceil(VOTING.length / 8);
const bitOf = (lang: VoteLang) => VOTING.indexOf(lang);
/**
 * Languages that share many of their short words, one pair each: a vote between them is no vote between
 * languages. Which of the two it is: the letters for Russian and Ukrainian (і ї є ґ against ы э ъ ё),
 * and for Arabic and Persian (پ چ ژ گ ک ی); the words that differ for Danish and Norwegian.
 */
const PARTNER: ReadonlyMap<number, number> = new Map([
  [bitOf('ru'), bitOf('uk')], [bitOf('uk'), bitOf('ru')],
  [bitOf('ar'), bitOf('fa')], [bitOf('fa'), bitOf('ar')],
  [bitOf('da'), bitOf('nb')], [bitOf('nb'), bitOf('da')],
]);

/**
 * Whether the word at [start, end) is part of a host name, address or dotted identifier ("edu.au",
 * "gov.et", "user@le.fr"): such a word is no prose, whatever language it looks like.
 */
function inDottedName(text: string, start: number, end: number): boolean {
  const before = start > 0 ? text.charCodeAt(start - 1) : 0;
  if (before === 46 || before === 64) return true;
  const after = end < text.length ? text.charCodeAt(end) : 0;
  if (after !== 46 && after !== 64) return false;
  const next = end + 1 < text.length ? text.charCodeAt(end + 1) : 0;
  return (next >= 48 && next <= 57) || ((next | 32) >= 97 && (next | 32) <= 122);
}

/**
 * Which of a pair of languages the vote found (PARTNER), by the letters in the head of the paste or the
 * votes: Ukrainian when it has Ukrainian's letters and fewer of the letters only Russian writes; Persian
 * when it has Persian's letters; Danish when its own words outvote Norwegian's. Undefined for Belarusian (ў, not carried).
 */
function settlePair(text: string, lang: VoteLang, votes: Int32Array): VoteLang | undefined {
  const n = Math.min(text.length, 8192);
  if (lang === 'ru' || lang === 'uk') {
    let uk = 0;
    let ru = 0;
    for (let i = 0; i < n; i++) {
      const c = text.charCodeAt(i);
      if (c === 0x45e || c === 0x40e) return undefined;
      if (c === 0x456 || c === 0x457 || c === 0x454 || c === 0x491 || c === 0x406 || c === 0x407 || c === 0x404 || c === 0x490) uk++;
      else if (c === 0x44b || c === 0x44d || c === 0x44a || c === 0x451 || c === 0x42b || c === 0x42d || c === 0x42a || c === 0x401) ru++;
    }
    if (uk > 0 && uk > ru) return 'uk';
    if (ru > 0) return 'ru';
    return (votes[bitOf('uk')] as number) > (votes[bitOf('ru')] as number) ? 'uk' : 'ru';
  }
  if (lang === 'ar' || lang === 'fa') {
    for (let i = 0; i < n; i++) {
      const c = text.charCodeAt(i);
      if (c === 0x67e || c === 0x686 || c === 0x698 || c === 0x6af || c === 0x6a9 || c === 0x6cc) return 'fa';
    }
    return (votes[bitOf('fa')] as number) > (votes[bitOf('ar')] as number) ? 'fa' : 'ar';
  }
  if (lang === 'da' || lang === 'nb') return (votes[bitOf('da')] as number) > (votes[bitOf('nb')] as number) ? 'da' : 'nb';
  return lang;
}

/** One localised phrase of an intent, as evidence. */
export interface LocalPhraseSpec {
  lang: Lang;
  phrase: string;
  weight: number;
}

/** The intent's localised phrases, every language in LOCAL_LANGS order. */
export function localPhrases(intent: Intent): LocalPhraseSpec[] {
  const out: LocalPhraseSpec[] = [];
  if (!intent.lang) return out;
  for (const lang of LOCAL_LANGS) {
    for (const p of intent.lang[lang]?.phrases ?? []) out.push({ lang, phrase: p.phrase, weight: p.weight });
  }
  return out;
}

/** The intent's evidence with its localised phrases added (weighted), for the matcher. */
export function evidenceWithLocal(intent: Intent): EvidenceSpec[] {
  const local = localPhrases(intent);
  if (!local.length) return intent.evidence;
  return [...intent.evidence, ...local.map((p) => ({ phrase: p.phrase, weight: p.weight }) as EvidenceSpec)];
}

/** A localised phrase this strong stands for the intent's requireAny (weaker ones only add to a match). */
export const REQUIRE_MIN_WEIGHT = 0.3;

/** The intent's requireAny with its strong localised phrases added (they are the same sentences in another language). */
export function requireAnyWithLocal(intent: Intent): Condition[] | undefined {
  if (!intent.requireAny) return undefined;
  const local = localPhrases(intent).filter((p) => p.weight >= REQUIRE_MIN_WEIGHT);
  if (!local.length) return intent.requireAny;
  return [...intent.requireAny, ...local.map((p) => ({ phrase: p.phrase }) as Condition)];
}

/** The wording of each playbook in one language: its intents' symptoms and phrases there. */
function wordingIn(catalog: Catalog, lang: Exclude<Lang, 'en'>): string[] {
  const byPlaybook = new Map<string, string[]>();
  for (const i of catalog.intents) {
    const block = i.lang?.[lang];
    if (!block) continue;
    const parts = byPlaybook.get(i.playbook) ?? [];
    parts.push(...(block.symptoms ?? []), ...(block.phrases ?? []).map((p) => p.phrase));
    byPlaybook.set(i.playbook, parts);
  }
  return catalog.playbooks.map((p) => (byPlaybook.get(p.id) ?? []).join('\n'));
}

export interface LocalWording {
  lang: Lang;
  sims: Float64Array;
  /** How many of the paste's terms each document shares. */
  hits: Int32Array;
  /**
   * How many of those are no generic word of the field (its words for mail, mailbox, message, recipient):
   * wording alone needs at least one such (0 everywhere when the paste tells of no trouble).
   */
  specific: Int32Array;
  /** Whether the paste tells of trouble (tellsOfTrouble): without, no wording alone (in any language) may match. */
  trouble: boolean;
  /**
   * The paste reads as a help page, FAQ or guide in its language (it says what it is: "常见原因", "Was können Sie
   * nun tun", "la siguiente tabla"), quotes no message of its own, and its title (first line) tells of no trouble
   * either: a playbook's phrase in it is an example (a page about one error names it in its title).
   */
  helpPage: boolean;
  /** The head names the paste a help page, guide or FAQ, whatever it quotes (readsAsHelpPage). */
  helpCue: boolean;
  /** The paste's terms (stems, CJK bigrams) that the language's index knows. */
  matched: string[];
}

export class LanguageLayer {
  /**
   * Each language's wording index, built on the first paste in that language (stemming every
   * language's wording was a third of an `ehlo match` start on an English paste); null: none in the catalog.
   */
  private readonly indexes = new Map<Lang, LangTextIndex | null>();
  private readonly catalog: Catalog;
  /** Lexicon id -> the voting languages (bits in VOTING order, MASK_BYTES bytes a word) the word is a function word of. */
  private voteMask: Uint8Array<ArrayBuffer> = new Uint8Array(0);
  private readonly votes = new Int32Array(VOTING.length);

  constructor(catalog: Catalog) {
    this.catalog = catalog;
  }

  /** Marks the function and field words (for the vote) and the field words (on topic) in the lexicon. */
  bind(lexicon: Lexicon): void {
    const ids = new Map<number, Set<number>>();
    VOTING.forEach((lang, bit) => {
      for (const w of [...FUNCTION_WORDS[lang], ...FIELD_WORDS[lang]]) {
        const id = lexicon.add(w);
        let bits = ids.get(id);
        if (!bits) ids.set(id, (bits = new Set()));
        bits.add(bit);
      }
      for (const w of FIELD_WORDS[lang]) lexicon.setFlag(lexicon.add(w), FLAG_DOMAIN);
    });
    for (const w of FIELD_WORDS_NO_VOTE) lexicon.setFlag(lexicon.add(w), FLAG_DOMAIN);
    this.voteMask = new Uint8Array(lexicon.size * MASK_BYTES);
    const mask = this.voteMask;
    for (const [id, bits] of ids) {
      for (const bit of bits) {
        const at = id * MASK_BYTES + (bit >> 3);
        mask[at] = (mask[at] as number) | (1 << (bit & 7));
      }
    }
  }

  /** What bind() computed (the lexicon holds its words): restored by adoptVotes() on a warm start. */
  votesState(): Uint8Array<ArrayBuffer> {
    return this.voteMask.slice();
  }

  /** In place of bind(), into a lexicon that already holds and flags the words bind() adds. */
  adoptVotes(mask: Uint8Array<ArrayBuffer>): void {
    this.voteMask = mask;
  }

  /**
   * The paste's language when it is not English: CJK text by script (lang.ts), otherwise by the function
   * words' vote, with the detector settling a close vote; undefined for English (most pastes, decided by
   * one look at each of the first words).
   */
  detect(text: string, words: WordBuf): LanguageGuess | undefined {
    const n = Math.min(words.n, GATE_WORDS);
    const mask = this.voteMask;
    const votes = this.votes;
    votes.fill(0);
    let hits = 0;
    let cjk = false;
    for (let i = 0; i < n; i++) {
      const id = words.lex[i] as number;
      const at = id * MASK_BYTES;
      let m = 0;
      if (id >= 0 && at + MASK_BYTES <= mask.length) for (let b = 0; b < MASK_BYTES; b++) m |= mask[at + b] as number;
      if (m !== 0 && !inDottedName(text, words.start[i] as number, words.end[i] as number)) {
        hits++;
        for (let b = 0; b < MASK_BYTES; b++) {
          const byte = mask[at + b] as number;
          if (byte === 0) continue;
          for (let k = 0; k < 8; k++) if (byte & (1 << k)) votes[b * 8 + k] = (votes[b * 8 + k] as number) + 1;
        }
      } else if (!cjk && words.wide && (isCjkCode(words.code(i, 0)) || isCjkCode(words.code(i, words.length(i) - 1)))) cjk = true;
    }
    // CJK text: the script decides when there is enough of it (lang.ts), before any vote.
    if (cjk) {
      const byScript = langModule().scriptLanguage(text);
      if (byScript.lang !== 'en') return byScript;
    }
    if (hits < GATE_HITS) return undefined;
    let best = 0;
    for (let bit = 1; bit < VOTING.length; bit++) if ((votes[bit] as number) > (votes[best] as number)) best = bit;
    // The runner-up among the other languages: best's partner (PARTNER) shares its words and is settled after.
    const partner = PARTNER.get(best) ?? -1;
    let second = 0;
    for (let bit = 0; bit < VOTING.length; bit++) if (bit !== best && bit !== partner && (votes[bit] as number) > second) second = votes[bit] as number;
    const top = votes[best] as number;
    // Decided by the vote: no letters were counted (letters 0).
    if (top >= DECISIVE_HITS && top > second) {
      const lang = partner >= 0 ? settlePair(text, VOTING[best] as VoteLang, votes) : (VOTING[best] as VoteLang);
      return lang === undefined ? undefined : { lang, confidence: top / (top + second), letters: 0 };
    }
    const guess = langModule().detectLanguage(text);
    return guess.lang === 'en' ? undefined : guess;
  }

  /** Whether CJK or Korean prose names something of the mail field (alphabetic field words are flagged in the lexicon). */
  cjkOnTopic(text: string): boolean {
    const head = foldTraditional(text.length > 8192 ? text.slice(0, 8192) : text);
    return CJK_FIELD_WORDS.some((w) => head.includes(w));
  }

  /**
   * The paste's wording against the language's symptoms, or undefined when the catalog has none in it.
   * `englishEvidence`: the paste carries codes or evidence of its own (a bilingual bounce: the provider's
   * paragraph above the English MTA text); then that evidence decides, and the local wording only adds to
   * the playbooks it points at (none may match by wording alone).
   * `words` (scanned from `text` with `lexicon`), when given, lets the terms be read off the paste's words (langtext.ts).
   * `lower`, when given, is text.toLowerCase().
   */
  wording(text: string, lang: Lang, englishEvidence = false, words?: WordBuf, lexicon?: Lexicon, lower?: string): LocalWording | undefined {
    let index = this.indexes.get(lang);
    if (index === undefined) {
      const docs = (LOCAL_LANGS as readonly Lang[]).includes(lang) ? wordingIn(this.catalog, lang as Exclude<Lang, 'en'>) : [];
      index = docs.some((d) => d.length > 0) ? new (langTextModule().LangTextIndex)(lang, docs, genericWords(lang)) : null;
      this.indexes.set(lang, index);
    }
    if (!index) return undefined;
    // The wording sits at the start (the English index reads its first 1500 words too): 16K characters are plenty.
    const { sims, hits, specific, matched } = words && lexicon
      ? index.similaritiesOfWords(text, WORDING_CHARS, words, lexicon)
      : index.similarities(text.length > WORDING_CHARS ? text.slice(0, WORDING_CHARS) : text);
    // A paste that reports no failure: its wording alone stays under the `none` line (the matcher caps wording
    // with too few shared terms), however many words it shares with a playbook's wording.
    const trouble = tellsOfTrouble(text, lang, lower) && !namesNotice(text, lang, lower);
    const helpCue = readsAsHelpPage(text, lang);
    if (!trouble) {
      hits.fill(0);
      specific.fill(0);
    } else if (englishEvidence) specific.fill(0);
    else {
      // Wording alone needs enough distinct specific terms: one or two shared stems are chance (Russian stems are short and collide).
      const least = MIN_SPECIFIC[lang] ?? MIN_SPECIFIC_DEFAULT;
      for (let di = 0; di < specific.length; di++) if ((specific[di] as number) < least) specific[di] = 0;
    }
    return { lang, sims, hits, specific, trouble, helpPage: !trouble && helpCue && !titleTellsOfTrouble(firstLine(text), lang), helpCue, matched };
  }
}

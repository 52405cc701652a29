// A failure of another kind of service: the paste's socket, TLS or timeout trouble is that of a
// database, a cache or a message queue (MongoDB's "SSL handshake failed: …mongodb.net:27017",
// PostgreSQL's "could not connect to server: Connection refused … accepting TCP/IP connections on
// port 5433", Redis's "Error 111 connecting to 127.0.0.1:6379"). Their wording is the wording of a
// failed SMTP connection or TLS handshake ("connection refused", "TLS handshake failed", "timed
// out"), so a connection or certificate playbook ranks first, but none of its steps (the send
// connector, the port 25 path, the Exchange certificate) reaches that service: the verdict is `none`.
//
// Only when all of these hold:
// - the paste names such a service: its driver or product name, its default port glued to a host,
//   or the wording only its server uses;
// - it carries no word of the mail world (SMTP, IMAP, Exchange, Outlook, a mail library, "mail"
//   itself: a mail queue stored in Redis is still a mail question) and no SMTP reply, enhanced status
//   code, Exchange component, event ID or HRESULT.
import { Automaton } from './automaton.ts';
import type { Signal } from './types.ts';

/** Marks of a database, cache or queue service (lowercase substrings). */
const SERVICE = [
  'mongodb', 'pymongo', 'mongosocket', 'mongonetworkerror', 'serverselectiontimeouterror', 'postgresql', 'postgres', 'psycopg',
  'pgsql', 'npgsql', 'django.db', 'sqlalchemy', 'sqlstate', 'jdbc', 'mysql', 'mariadb', 'redis', 'memcache', 'rabbitmq', 'amqp',
  'kafka', 'elasticsearch', 'cassandra', 'zookeeper', ':27017', ':5432', ':6379', ':3306', ':5672', ':9092',
  'tcp/ip connections on port', 'accepting connections on that socket',
  // Redis's own refusals (its protocol's error tokens: NOAUTH, WRONGPASS).
  'noauth authentication required', 'wrongpass',
];
/**
 * Marks only that service's server writes: with one of them, a mail word that ordinary prose uses of
 * any program ("I get this error message: NOAUTH …") no longer makes the paste a mail question.
 */
const STRONG_SERVICE = new Set([
  'noauth authentication required', 'wrongpass',
  // The service's own port glued to the host it failed to reach ("Error 10061 connecting to
  // 127.0.0.1:6379", "127.0.0.1:27017: [WinError 10061]"): what a message broker or a channel layer
  // says of its "messages" then is not mail.
  ':27017', ':5432', ':6379', ':3306', ':5672', ':9092',
]);
/** Mail words that ordinary prose uses of any program's error ("the error message", "this message"). */
const WEAK_MAIL = new Set(['message']);
/** Words of the mail world: any one keeps the paste a mail question. */
const MAIL = [
  'mail', 'smtp', 'imap', 'pop3', 'exchange', 'outlook', 'office365', 'office 365', 'microsoft 365', '/ews/', 'autodiscover',
  'mapi', 'ehlo', 'helo', 'starttls', 'rcpt', 'mx record', 'postfix', 'exim', 'dovecot', 'bounce',
  'o365', 'm365', 'owa', 'activesync', 'mailbox', 'mx ', ' mx', 'dkim', 'spf', 'dmarc', 'port 25', ']:25', ':25,', ':587', ':465', 'sendmail', 'port 465', 'port 587', 'port 993', 'port 995', 'port 143', 'port 110',
  // Node's error objects (nodemailer's connect or DNS failure) print the port as a field: `port: 25`.
  'port: 25', 'port: 465', 'port: 587',
  'correo', 'courriel', 'postfach', 'posta', 'posten', 'poczt', 'e-post', 'epost',
  // A message and its recipient, as the NDR and DSN texts of many languages name them.
  'message', 'mesg', 'mesaj', 'recipient', 'sender', 'inbox', 'mottagar', 'meddel', 'melding', 'mottaker', 'modtager', 'besked',
  'destinatar', 'destinatair', 'mensaje', 'mensage', 'messaggi', 'nachricht', 'bericht', 'ontvanger', 'postvak', 'odbiorc',
  'skrzynk', 'wiadomo', 'adresat', 'viesti', 'vastaanottaj', 'ileti',
  // Exchange's and mail libraries' own wording of a connection or TLS failure, and blocklist lookups.
  'tls negotiation', 'winsock', 'socket error code', 'feilkode for socket', 'socketfelkod', 'esocket', "command: 'conn'",
  // nodemailer's wait for the SMTP 220 greeting; System.Net.Mail's reply reader finding the session closed.
  'greeting never received', 'net_io_connectionclosed',
  'spamhaus', 'dnsbl', 'type=mx',
  // The DNS wording only mail software uses: Postfix's failed MX / A lookup, Gmail's MX lookup report, qmail's "mail exchanger".
  'name service error for name=', "type 'mx' lookup", 'mail exchanger',
  // A delivery status notification's own fields (RFC 3464).
  'diagnostic-code:', 'final-recipient:', 'remote-mta:', 'reporting-mta:',
  // An MTA's own delivery log fields (Postfix, sendmail).
  'status=deferred', 'status=bounced', 'dsn=4.', 'dsn=5.', 'stat=deferred',
];
/** The mail world's words in scripts the automaton does not read (it reads ASCII): Cyrillic, Greek, Hebrew, Persian, CJK, Korean. */
const MAIL_NON_ASCII = [
  'pošt', 'poșt', 'poşt', 'postlåda', 'üzenet', 'címzett', 'بريد', 'رسالة', 'المستلم', 'buzón', 'boîte', 'zpráv', 'příjemc', 'alıcı', 'empfänger', 'почт', 'ящик', 'пошт', 'сообщени', 'получател',
  'повідомл', 'отримувач', 'ταχυδρομ', 'μήνυμα', 'παραλήπτ', 'דואר', 'הודעה', 'נמען', 'ایمیل', 'پست', 'پیام', 'گیرنده',
  '邮件', '邮箱', '郵件', '郵箱', '信箱', '退信', '收件', '发件', '寄件', 'メール', '受信者', '送信者', '宛先', '受信トレイ', '送信トレイ', '메일', '우편', '받는 사람', '사서함', '메시지',
];

const N_SERVICE = SERVICE.length;
/** The marks, services first: found with the paste's other literal markers in one pass (literals.ts). */
export const FOREIGN_MARKERS: readonly string[] = [...SERVICE, ...MAIL];
let automaton: Automaton | undefined;
const own = new Uint8Array(FOREIGN_MARKERS.length);

/** The marks are looked for in this much of the paste. */
const HEAD = 64 * 1024;

/**
 * Whether the paste is the failure of a database, cache or queue service and nothing of mail.
 * `marks`: which FOREIGN_MARKERS the literals pass found (literals.ts), when it answered for this paste.
 */
export function isForeignService(signals: readonly Signal[], lower: string, marks?: Uint8Array): boolean {
  for (const s of signals) {
    const t = s.type;
    if (t === 'replyCode' || t === 'statusCode' || t === 'component' || t === 'eventId' || t === 'hresult') return false;
  }
  let found = marks;
  if (!found) {
    found = own;
    found.fill(0);
    if ((automaton ??= new Automaton(FOREIGN_MARKERS)).scan(lower, found, 0, Math.min(lower.length, HEAD)) === 0) return false;
  }
  let strong = false;
  for (let p = 0; p < N_SERVICE; p++) if (found[p] === 1 && STRONG_SERVICE.has(FOREIGN_MARKERS[p] as string)) strong = true;
  for (let p = N_SERVICE; p < found.length; p++) if (found[p] === 1 && !(strong && WEAK_MAIL.has(FOREIGN_MARKERS[p] as string))) return false;
  for (let p = 0; p < N_SERVICE; p++) if (found[p] === 1) return true;
  return false;
}

/**
 * Topics whose wording other software shares word for word: a socket refused or timed out, a TLS
 * handshake or certificate, a quota or a size limit exceeded, a name that does not resolve.
 */
const SHARED_WORDING_TOPICS = new Set(['connection-failed', 'tls-cert-invalid', 'tls-legacy-version', 'mailbox-full', 'message-too-large', 'dns-lookup-failed']);

/**
 * A refused or timed-out connection, a failed TLS handshake, a disk quota that say nothing of mail:
 * a game client's "socket error: connection refused", kubectl's "dial tcp …:8443: i/o timeout",
 * nginx's "SSL_do_handshake() failed … while SSL handshaking to upstream", Python's "OSError: [Errno
 * 122] Disk quota exceeded", in any language ("[WinError 10061] 대상 컴퓨터에서 연결을 거부했으므로").
 * The wording is that of a failed SMTP connection, a certificate problem or a full mailbox, so such
 * a playbook ranks first on wording and phrases alone, but no step of it reaches that software: the
 * verdict is `none`.
 *
 * Only when all of these hold: the best candidate's topic is one of SHARED_WORDING_TOPICS; the paste
 * has no code (reply, enhanced status, component, event ID, HRESULT), no email address and no
 * Exchange cmdlet; and no word of the mail world (MAIL, MAIL_NON_ASCII) in any language.
 * `marks`: which FOREIGN_MARKERS the literals pass found, when it answered for this paste.
 */
export function isOutsideMail(topics: readonly string[], wordingOnly: boolean, signals: readonly Signal[], lower: string, marks?: Uint8Array): boolean {
  if (!wordingOnly && !topics.some((t) => SHARED_WORDING_TOPICS.has(t))) return false;
  for (const s of signals) {
    const t = s.type;
    if (t === 'replyCode' || t === 'statusCode' || t === 'component' || t === 'eventId' || t === 'email' || t === 'cmdlet') return false;
    if (t === 'hresult' && !isExceptionWrapper(s, lower)) return false;
  }
  let found = marks;
  if (!found) {
    found = own;
    found.fill(0);
    (automaton ??= new Automaton(FOREIGN_MARKERS)).scan(lower, found, 0, Math.min(lower.length, HEAD));
  }
  for (let p = N_SERVICE; p < found.length; p++) if (found[p] === 1) return false;
  const head = lower.length > HEAD ? lower.slice(0, HEAD) : lower;
  for (const w of MAIL_NON_ASCII) if (head.includes(w)) return false;
  if (SMTP_PORT.test(head)) return false;
  return true;
}

/**
 * An SMTP port glued to an IPv4 address or a host name ("timed out to 173.194.219.27:25", "mx.example.net:587"):
 * a mail connection however the rest is worded. A clock time ("10:25", "08:17:25") has no address or
 * host name before it, so it is no port.
 */
const SMTP_PORT = /(?:\b\d{1,3}(?:\.\d{1,3}){3}|[a-z0-9-]\.[a-z]{2,63}):(?:25|465|587)(?!\d)/;

/**
 * Whether an HRESULT is only .NET's wrapper of an OS error: E_FAIL printed in parentheses after the
 * exception's name ("System.Net.Sockets.SocketException (0x80004005): No connection could be made",
 * "Win32Exception (0x80004005)"). Every socket error of every .NET program carries it, so it says
 * nothing of Exchange; any other HRESULT, or E_FAIL standing alone, still does. Reads at most 11
 * characters before the code.
 */
function isExceptionWrapper(s: Signal, lower: string): boolean {
  if (s.value.toLowerCase() !== '0x80004005') return false;
  const at = s.span[0];
  return at >= 11 && lower.startsWith('exception (', at - 11);
}

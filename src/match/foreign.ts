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
];
/** Words of the mail world: any one keeps the paste a mail question. */
const MAIL = [
  'mail', 'smtp', 'imap', 'pop3', 'exchange', 'outlook', 'office365', 'office 365', 'microsoft 365', '/ews/', 'autodiscover',
  'mapi', 'ehlo', 'helo', 'starttls', 'rcpt', 'mx record', 'postfix', 'exim', 'dovecot', 'bounce',
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
  for (let p = N_SERVICE; p < found.length; p++) if (found[p] === 1) return false;
  for (let p = 0; p < N_SERVICE; p++) if (found[p] === 1) return true;
  return false;
}

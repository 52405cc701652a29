// Redaction for what leaves ehlo's hands (logs, handoff packets): e-mail local parts, credentials and
// tokens, Exchange legacy DN names. Linear in the input: JSON Web Tokens are found by a scan that never
// looks at a character twice (a regex for them went quadratic on a long run of "eyJ-"), and every
// pattern left has bounded runs or succeeds once it starts matching, so hostile text costs a few passes.
// It must not eat ordinary words: "Basic authentication is disabled" stays as it is.

const SLACK_TOKEN = /\bxox[abposre]-[A-Za-z0-9-]{8,}/g;
const SLACK_APP_TOKEN = /\bxapp-[A-Za-z0-9-]{8,}/g;
/** A credential after an auth scheme: token characters, then optional padding. */
const AUTH_HEADER = /\b(Bearer|Basic|NTLM|Negotiate)(\s{1,8})([A-Za-z0-9._~+/-]{8,}=*)/gi;

/** Words that follow an auth scheme in prose ("Basic authentication is disabled"): never a credential. */
const PROSE = new Set([
  'authentication', 'authorization', 'authorisation', 'credentials', 'challenge', 'challenges', 'mechanism', 'protocol', 'provider',
  'providers', 'scheme', 'schemes', 'security', 'header', 'headers', 'method', 'methods', 'enabled', 'disabled', 'required',
  'supported', 'negotiation', 'connections', 'connection', 'requests', 'clients', 'policies', 'policy', 'settings', 'setting',
]);

/** A word after an auth scheme is a credential unless it is one of the words prose puts there. */
function looksLikeCredential(word: string): boolean {
  return !PROSE.has(word.toLowerCase());
}

/** [A-Za-z0-9_-]: the base64url alphabet of a JWT part. */
function isB64url(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c === 45;
}

/** A regex word character [A-Za-z0-9_]. */
function isWord(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
}

/** End of the base64url run starting at i. */
function runEnd(text: string, i: number): number {
  let j = i;
  while (j < text.length && isB64url(text.charCodeAt(j))) j++;
  return j;
}

/**
 * JSON Web Tokens (eyJ…, three dot-separated base64url parts of at least 8, 8 and 4 characters),
 * found in one pass: a failed candidate skips its whole run, since any later start in the same run
 * ends where it ended and fails the same way.
 */
export function redactJwts(text: string): string {
  let out = '';
  let copied = 0;
  let from = 0;
  for (let at = text.indexOf('eyJ', from); at !== -1; at = text.indexOf('eyJ', from)) {
    if (at > 0 && isWord(text.charCodeAt(at - 1))) {
      from = at + 1;
      continue;
    }
    const one = runEnd(text, at + 3);
    let end = -1;
    if (one - at - 3 >= 8 && text.charCodeAt(one) === 46) {
      const two = runEnd(text, one + 1);
      if (two - one - 1 >= 8 && text.charCodeAt(two) === 46) {
        const three = runEnd(text, two + 1);
        if (three - two - 1 >= 4) end = three;
      }
    }
    if (end === -1) {
      from = Math.max(one, at + 1);
      continue;
    }
    out += `${text.slice(copied, at)}[token]`;
    copied = end;
    from = end;
  }
  return copied === 0 ? text : out + text.slice(copied);
}
const SECRET_PAIR = /\b(password|passwd|pwd|secret|token|api[_-]?key|access[_-]?key|client[_-]?secret|sig|signature|apppassword|app[_-]?password)(\s{0,3}[=:]\s{0,3})("?)[^\s"'&;,]{3,}/gi;
const URL_CREDENTIALS = /\b([a-z][a-z0-9+.-]{1,20}:\/\/)[^\s:/@]{1,200}:[^\s/@]{1,200}@/gi;
const LEGACY_DN_NAME = /(\/cn=recipients\/cn=)[^\s/>]{1,200}/gi;
/**
 * Long opaque strings: runs of 32+ token characters with upper and lower case letters and digits
 * (hex thumbprints, GUIDs and file paths stay; "/" splits a run so paths are not taken for tokens).
 */
const OPAQUE = /[A-Za-z0-9+_-]{32,}={0,2}/g;

function opaque(run: string): string {
  return /[a-z]/.test(run) && /[A-Z]/.test(run) && /\d/.test(run) ? '[token]' : run;
}

/** Tokens, credentials and secrets in free text. */
export function redactSecrets(text: string): string {
  return redactJwts(text)
    .replace(SLACK_TOKEN, '[token]')
    .replace(SLACK_APP_TOKEN, '[token]')
    .replace(AUTH_HEADER, (m, scheme: string, gap: string, word: string) => (looksLikeCredential(word) ? `${scheme}${gap}[token]` : m))
    .replace(URL_CREDENTIALS, (_m, scheme: string) => `${scheme}[credentials]@`)
    .replace(SECRET_PAIR, (_m, key: string, sep: string, quote: string) => `${key}${sep}${quote}[redacted]`)
    .replace(OPAQUE, opaque);
}

/** [A-Za-z0-9._%+=-]: a local part's characters. */
function isLocal(c: number): boolean {
  return isWord(c) || c === 46 || c === 37 || c === 43 || c === 61 || c === 45;
}

function isLetter(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
}

/** [A-Za-z0-9-] */
function isLabel(c: number): boolean {
  return isWord(c) && c !== 95 ? true : c === 45;
}

/**
 * The end of the domain after an "@" at `at` (labels of 1-63 characters, dot-separated, ending in a
 * 2-63 letter top-level label followed by a word boundary), or -1. The longest such domain wins, as
 * the greedy pattern it replaces chose.
 */
function domainEnd(text: string, at: number): number {
  let end = at + 1;
  while (end < text.length && (isLabel(text.charCodeAt(end)) || text.charCodeAt(end) === 46)) end++;
  const parts: Array<[number, number]> = [];
  for (let i = at + 1; i <= end; ) {
    let j = i;
    while (j < end && text.charCodeAt(j) !== 46) j++;
    parts.push([i, j]);
    i = j + 1;
  }
  // parts[0..k-1] must be labels; parts[k] must start with the top-level label.
  let labels = 0;
  while (labels < parts.length && parts[labels]![1] - parts[labels]![0] >= 1 && parts[labels]![1] - parts[labels]![0] <= 63) labels++;
  for (let k = Math.min(labels, parts.length - 1); k >= 1; k--) {
    const [start, stop] = parts[k]!;
    let letters = start;
    while (letters < stop && isLetter(text.charCodeAt(letters))) letters++;
    const n = letters - start;
    if (n >= 2 && n <= 63 && (letters >= text.length || !isWord(text.charCodeAt(letters)))) return letters;
  }
  return -1;
}

/** E-mail addresses keep their domain (which organisation) and lose the person: "[email]@contoso.com". One pass over the "@" signs. */
export function redactEmails(text: string): string {
  let out = '';
  let copied = 0;
  for (let at = text.indexOf('@'); at !== -1; at = text.indexOf('@', at + 1)) {
    let start = at;
    while (start > copied && at - start < 64 && isLocal(text.charCodeAt(start - 1))) start--;
    if (start === at) continue;
    const end = domainEnd(text, at);
    if (end === -1) continue;
    out += `${text.slice(copied, start)}[email]@${text.slice(at + 1, end)}`;
    copied = end;
    at = end - 1;
  }
  const done = copied === 0 ? text : out + text.slice(copied);
  return done.replace(LEGACY_DN_NAME, (_m, head: string) => `${head}[name]`);
}

/**
 * The stricter pass of the handoff packet, after redactEmails: a local part before an "@" whose domain
 * has no usual shape ("a@b.c", a bounce's garbled "recipient@#example.net", "root@mailhost") still names
 * a person, so it goes too ("[email]@#example.net"). One pass over the "@" signs; "[email]@" is left as it is.
 */
export function redactLooseLocalParts(text: string): string {
  let out = '';
  let copied = 0;
  for (let at = text.indexOf('@'); at !== -1; at = text.indexOf('@', at + 1)) {
    let start = at;
    while (start > copied && at - start < 64 && isLocal(text.charCodeAt(start - 1))) start--;
    if (start === at || text.startsWith('[email]', at - 7)) continue;
    const next = at + 1 < text.length ? text.charCodeAt(at + 1) : 32;
    if (next <= 32 || next === 64) continue;
    out += `${text.slice(copied, start)}[email]@`;
    copied = at + 1;
  }
  return copied === 0 ? text : out + text.slice(copied);
}

/** Everything above: what a log line or a handoff packet may carry. */
export function redact(text: string): string {
  return redactEmails(redactSecrets(text));
}

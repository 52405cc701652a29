// Redaction for what leaves ehlo's hands (logs, handoff packets): e-mail local parts, credentials and
// tokens, Exchange legacy DN names. Every pattern is linear in the input (bounded runs, no nested
// quantifiers over the same characters), so hostile text costs at most a pass or two.

const EMAIL = /[A-Za-z0-9._%+=-]{1,64}@((?:[A-Za-z0-9-]{1,63}\.)+[A-Za-z]{2,63})\b/g;
const SLACK_TOKEN = /\bxox[abposre]-[A-Za-z0-9-]{8,}/g;
const SLACK_APP_TOKEN = /\bxapp-[A-Za-z0-9-]{8,}/g;
const JWT = /\beyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{4,}/g;
const AUTH_HEADER = /\b(Bearer|Basic|NTLM|Negotiate)\s+[A-Za-z0-9._~+/-]{8,}=*/gi;
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
  return text
    .replace(SLACK_TOKEN, '[token]')
    .replace(SLACK_APP_TOKEN, '[token]')
    .replace(JWT, '[token]')
    .replace(AUTH_HEADER, (_m, scheme: string) => `${scheme} [token]`)
    .replace(URL_CREDENTIALS, (_m, scheme: string) => `${scheme}[credentials]@`)
    .replace(SECRET_PAIR, (_m, key: string, sep: string, quote: string) => `${key}${sep}${quote}[redacted]`)
    .replace(OPAQUE, opaque);
}

/** E-mail addresses keep their domain (which organisation) and lose the person: "[email]@contoso.com". */
export function redactEmails(text: string): string {
  return text.replace(EMAIL, (_m, domain: string) => `[email]@${domain}`).replace(LEGACY_DN_NAME, (_m, head: string) => `${head}[name]`);
}

/** Everything above: what a log line or a handoff packet may carry. */
export function redact(text: string): string {
  return redactEmails(redactSecrets(text));
}

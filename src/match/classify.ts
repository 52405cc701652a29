// Classifiers for one piece of text (no spaces inside). Each is a single linear scan, no regex.
import { isIPv4, isIPv6 } from '../text/ip.ts';
import { allDigits, allLetters, isAsciiLetter, isDigit, isHex, isIdentifier, isLower, isUpper } from './chars.ts';

/** x.y.z enhanced status code (RFC 3463): class 2/4/5, subject and detail of 1-3 digits. */
export function isStatusCode(s: string): boolean {
  // "c.s.d": c one of 2 4 5, then 1-3 digits, a dot, 1-3 digits, nothing else.
  const c0 = s.charCodeAt(0);
  if ((c0 !== 50 && c0 !== 52 && c0 !== 53) || s.charCodeAt(1) !== 46) return false;
  let i = 2;
  while (i < s.length && isDigit(s.charCodeAt(i))) i++;
  if (i === 2 || i > 5 || s.charCodeAt(i) !== 46) return false;
  const d = ++i;
  while (i < s.length && isDigit(s.charCodeAt(i))) i++;
  return i === s.length && i > d && i - d <= 3;
}

/** Three digits that could be an SMTP reply code (2xx-5xx). */
export function isReplyCodeShape(s: string): boolean {
  if (s.length !== 3 || !allDigits(s)) return false;
  const first = s.charCodeAt(0);
  return first >= 50 && first <= 53;
}

/** 0x followed by 1-8 hex digits: an HRESULT or Win32 code. */
export function isHexCode(s: string): boolean {
  if (s.length < 3 || s.length > 10 || s[0] !== '0' || (s[1] !== 'x' && s[1] !== 'X')) return false;
  for (let i = 2; i < s.length; i++) if (!isHex(s.charCodeAt(i))) return false;
  return true;
}

export function isIp(s: string): boolean {
  if (s.length > 45) return false;
  // Every IPv6 form has a ':'; an IPv4 address is digits and dots only, three dots: skip node's regexes
  // (about a microsecond a call) otherwise.
  let colon = false;
  let other = false;
  let dots = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 58) colon = true;
    else if (c === 46) dots++;
    else if (!isDigit(c)) other = true;
  }
  return colon ? mayBeIPv6(s) && isIPv6(s) : !other && dots === 3 && isIPv4(s);
}

/**
 * What every text node's isIPv6 accepts has, before an optional "%zone": only hex digits, colons and
 * dots; 2 to 8 colons; and either a "::" or exactly 7 colons (8 groups), or 6 with a dotted IPv4 tail.
 * False here means isIPv6 says false ("12:34:56", a time, has 2 colons and no "::"); true leaves it to isIPv6.
 */
export function mayBeIPv6(s: string): boolean {
  let colons = 0;
  let dotted = false;
  let double = false;
  let prevColon = false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 37) break;
    if (c === 58) {
      colons++;
      if (prevColon) double = true;
      prevColon = true;
      continue;
    }
    prevColon = false;
    if (c === 46) dotted = true;
    else if (!isHex(c)) return false;
  }
  if (colons < 2 || colons > 8) return false;
  return double || colons === 7 || (colons === 6 && dotted);
}

/** Component prefixes Exchange uses in enhanced status texts and queue errors. */
const COMPONENT_PREFIXES = new Set(['RESOLVER', 'STOREDRV', 'QUEUE', 'SMTPSEND', 'SMTPSUBMIT', 'ROUTING', 'CAT', 'APPROVAL', 'AGENT', 'MAILBOXTRANSPORT', 'SMTPRECEIVE', 'DELIVERY']);

/** STOREDRV.Deliver, RESOLVER.ADR.ExRecipNotFound, QUEUE.Expired, SMTPSEND.DNS.NonExistentDomain … */
export function isComponent(s: string): boolean {
  // Dotted identifiers (letter first, then letters, digits, '_'), at least two, the first of 3+ capitals.
  const firstDot = s.indexOf('.');
  if (firstDot < 3) return false;
  for (let i = 0; i < firstDot; i++) if (!isUpper(s.charCodeAt(i))) return false;
  let hasLower = false;
  let segStart = 0;
  for (let i = 0; i <= s.length; i++) {
    const c = i < s.length ? s.charCodeAt(i) : 46;
    if (c === 46) {
      if (i === segStart) return false;
      segStart = i + 1;
    } else if (i === segStart ? !isAsciiLetter(c) : !isAsciiLetter(c) && !isDigit(c) && c !== 95) return false;
    else if (!hasLower && isLower(c)) hasLower = true;
  }
  // A host name written with a capitalised first label ("SMTP.office365.com", "OTHERSERVER.DOMAIN.com"):
  // its last label is a lowercase top-level domain, which no component ends in.
  const tld = s.slice(s.lastIndexOf('.') + 1);
  if (isLowercaseTld(tld)) return false;
  return hasLower || COMPONENT_PREFIXES.has(s.slice(0, firstDot));
}

/** A lowercase two-letter or generic top-level domain label ("com", "mx", "local"). */
function isLowercaseTld(label: string): boolean {
  for (let i = 0; i < label.length; i++) if (!isLower(label.charCodeAt(i))) return false;
  return label.length === 2 || GENERIC_TLDS.has(label);
}

const FILE_EXTENSIONS = new Set([
  'exe', 'dll', 'xml', 'asmx', 'aspx', 'ashx', 'svc', 'ps1', 'psm1', 'psd1', 'msi', 'msp', 'log', 'txt', 'cs', 'js', 'ts', 'json', 'yaml', 'yml',
  'config', 'cfg', 'ini', 'htm', 'html', 'php', 'eml', 'msg', 'pst', 'ost', 'edb', 'chk', 'jrs', 'zip', 'cab', 'cer', 'crt', 'pfx', 'pem',
  'key', 'csv', 'bat', 'cmd', 'vbs', 'sys', 'tmp', 'bak', 'dat', 'py', 'java', 'jar', 'class', 'md', 'png', 'jpg', 'gif', 'pdf', 'doc', 'docx',
]);
const GENERIC_TLDS = new Set([
  'com', 'net', 'org', 'edu', 'gov', 'mil', 'int', 'info', 'biz', 'name', 'pro', 'aero', 'coop', 'museum', 'mobi', 'asia', 'tel', 'jobs',
  'local', 'lan', 'corp', 'internal', 'intra', 'intranet', 'home', 'arpa', 'test', 'example', 'invalid', 'localhost', 'cloud', 'online',
  'site', 'tech', 'app', 'dev', 'email', 'mail', 'services', 'company', 'global', 'network', 'systems', 'solutions', 'group', 'world',
]);

/** A DNS name with a plausible top-level label (not a file name, not a code). */
export function isHostName(s: string): boolean {
  if (s.length < 4 || s.length > 253) return false;
  // Labels of 1-63 letters, digits, '-' or '_', at least two.
  let labelStart = 0;
  let labels = 0;
  for (let i = 0; i <= s.length; i++) {
    const c = i < s.length ? s.charCodeAt(i) : 46;
    if (c === 46) {
      if (i === labelStart || i - labelStart > 63) return false;
      labels++;
      labelStart = i + 1;
    } else if (!isAsciiLetter(c) && !isDigit(c) && c !== 45 && c !== 95) return false;
  }
  if (labels < 2) return false;
  const tld = s.slice(s.lastIndexOf('.') + 1).toLowerCase();
  if (!allLetters(tld) || FILE_EXTENSIONS.has(tld)) return false;
  return tld.length === 2 || GENERIC_TLDS.has(tld);
}

export function isEmail(s: string): boolean {
  const at = s.indexOf('@');
  if (at <= 0 || at !== s.lastIndexOf('@') || s.length > 320) return false;
  for (let i = 0; i < at; i++) {
    const c = s.charCodeAt(i);
    if (c <= 32 || c === 127) return false;
  }
  return isHostName(s.slice(at + 1));
}

/**
 * Python smtplib's exception classes that name no "Error" or "Exception" (SMTPServerDisconnected,
 * SMTPRecipientsRefused, SMTPSenderRefused): "SMTP", then a capital, ending in one of these.
 */
const SMTP_EXCEPTION_ENDINGS = ['Disconnected', 'Refused'];

/**
 * Whether `last` (one identifier) names an exception type: it ends in "Exception" or starts with
 * "MapiException", or it is a Python-style "SMTP…" class (SMTPAuthenticationError, SMTPDataError,
 * SMTPServerDisconnected, SMTPRecipientsRefused: "SMTP", a capital, then "Error" or a smtplib ending).
 */
function namesException(last: string): boolean {
  if (last.length > 9 && (last.endsWith('Exception') || last.startsWith('MapiException'))) return true;
  if (last.length < 9 || !last.startsWith('SMTP') || !isUpper(last.charCodeAt(4))) return false;
  if (last.endsWith('Error')) return true;
  for (const e of SMTP_EXCEPTION_ENDINGS) if (last.endsWith(e)) return true;
  return false;
}

/** Whether an identifier ending at `end` of s may name an exception (the cheap test before namesException). */
export function mayEndException(s: string, start: number, end: number): boolean {
  if (s.startsWith('Exception', end - 9)) return true;
  if (s.startsWith('Error', end - 5) || s.startsWith('Disconnected', end - 12) || s.startsWith('Refused', end - 7)) {
    // The last dotted part must start with "SMTP" (checked on the whole by isExceptionName).
    let from = end;
    while (from > start && s.charCodeAt(from - 1) !== 46) from--;
    return s.startsWith('SMTP', from);
  }
  return false;
}

/** An identifier (possibly dotted) whose last part names an exception type. */
export function isExceptionName(s: string): boolean {
  // The last part ends in "Exception", starts with "MapiException" or is an smtplib class: then the whole holds it.
  if (s.length < 9 || !(mayEndException(s, 0, s.length) || s.includes('MapiException'))) return false;
  const segments = s.split('.');
  for (const seg of segments) if (!isIdentifier(seg)) return false;
  return namesException(segments[segments.length - 1] as string);
}

const CMDLET_VERBS = new Set([
  'add', 'clear', 'close', 'copy', 'enter', 'exit', 'find', 'format', 'get', 'hide', 'join', 'lock', 'move', 'new', 'open', 'optimize',
  'pop', 'push', 'redo', 'remove', 'rename', 'reset', 'resize', 'search', 'select', 'set', 'show', 'skip', 'split', 'step', 'switch', 'undo',
  'unlock', 'watch', 'connect', 'disconnect', 'read', 'receive', 'send', 'write', 'backup', 'checkpoint', 'compare', 'compress', 'convert',
  'convertfrom', 'convertto', 'dismount', 'edit', 'expand', 'export', 'group', 'import', 'initialize', 'limit', 'merge', 'mount', 'out',
  'publish', 'restore', 'save', 'sync', 'unpublish', 'update', 'approve', 'assert', 'build', 'complete', 'confirm', 'deny', 'deploy',
  'disable', 'enable', 'install', 'invoke', 'register', 'request', 'restart', 'resume', 'start', 'stop', 'submit', 'suspend', 'uninstall',
  'unregister', 'wait', 'debug', 'measure', 'ping', 'repair', 'resolve', 'test', 'trace', 'block', 'grant', 'protect', 'revoke', 'unblock',
  'unprotect', 'use', 'retry', 'where', 'foreach', 'sort', 'tee',
]);

/** Verb-Noun with a PowerShell verb, e.g. Get-Queue, Connect-ExchangeOnline. */
export function isCmdlet(s: string): boolean {
  const dash = s.indexOf('-');
  if (dash < 2 || dash !== s.lastIndexOf('-') || dash === s.length - 1) return false;
  const verb = s.slice(0, dash);
  const noun = s.slice(dash + 1);
  return allLetters(verb) && CMDLET_VERBS.has(verb.toLowerCase()) && isIdentifier(noun) && isUpper(noun.charCodeAt(0));
}

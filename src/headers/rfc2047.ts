// RFC 2047 encoded words ("=?utf-8?B?…?=", "=?iso-8859-1?Q?…?=") decoded for display: a scan with
// indexOf, each word bounded (75 characters by the RFC; we accept up to MAX_WORD), unknown charsets
// read as Latin-1, broken words left as they were. Blanks between two adjacent encoded words vanish
// (RFC 2047 section 6.2).

const MAX_WORD = 4096;

function decodeQ(s: string): Uint8Array {
  const out: number[] = [];
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 95) out.push(32); // '_' is a space in the Q encoding
    else if (c === 61 && i + 2 < s.length + 0 && /^[0-9A-Fa-f]{2}$/.test(s.slice(i + 1, i + 3))) {
      out.push(parseInt(s.slice(i + 1, i + 3), 16));
      i += 2;
    } else out.push(c & 0xff);
  }
  return Uint8Array.from(out);
}

function decodeB(s: string): Uint8Array | null {
  const clean = s.replace(/[^A-Za-z0-9+/=]/g, '');
  if (clean.length % 4 === 1) return null;
  return Uint8Array.from(Buffer.from(clean, 'base64'));
}

function bytesToText(bytes: Uint8Array, charset: string): string {
  const cs = charset.toLowerCase().split('*')[0] ?? 'utf-8';
  try {
    return new TextDecoder(cs, { fatal: false }).decode(bytes);
  } catch {
    return new TextDecoder('latin1').decode(bytes);
  }
}

interface Word {
  start: number;
  end: number;
  text: string;
}

/** The "?=" that ends a word, looked for up to limit only (a paste of open words stays linear). */
function closeAt(s: string, from: number, limit: number): number {
  const end = Math.min(s.length - 1, limit);
  for (let j = from; j < end; j++) if (s.charCodeAt(j) === 63 && s.charCodeAt(j + 1) === 61) return j;
  return -1;
}

/** The encoded word starting at i ("=?"), or null when it is not one. */
function wordAt(s: string, i: number): Word | null {
  const q1 = s.indexOf('?', i + 2);
  if (q1 < 0 || q1 - i > 80) return null;
  const enc = s.charAt(q1 + 1).toUpperCase();
  if ((enc !== 'B' && enc !== 'Q') || s.charAt(q1 + 2) !== '?') return null;
  const close = closeAt(s, q1 + 3, i + MAX_WORD);
  if (close < 0) return null;
  const charset = s.slice(i + 2, q1);
  if (!/^[A-Za-z0-9._*-]{1,60}$/.test(charset)) return null;
  const payload = s.slice(q1 + 3, close);
  if (payload.includes(' ')) return null;
  const bytes = enc === 'B' ? decodeB(payload) : decodeQ(payload);
  if (!bytes) return null;
  return { start: i, end: close + 2, text: bytesToText(bytes, charset) };
}

/** The value with its encoded words decoded; text that is not an encoded word stays as it is. */
export function decodeEncodedWords(value: string): string {
  if (!value.includes('=?')) return value;
  let out = '';
  let pos = 0;
  let lastWordEnd = -1;
  let i = value.indexOf('=?');
  while (i >= 0) {
    const w = wordAt(value, i);
    if (!w) {
      i = value.indexOf('=?', i + 2);
      continue;
    }
    const between = value.slice(pos, w.start);
    // Whitespace between two encoded words is dropped.
    if (!(lastWordEnd === pos && between.trim() === '')) out += between;
    out += w.text;
    pos = w.end;
    lastWordEnd = w.end;
    i = value.indexOf('=?', pos);
  }
  return out + value.slice(pos);
}

// Showing a piece of a paste back safely: no control characters or terminal escapes, one line, short.
import type { Span } from './types.ts';

/** Replace control characters (C0, DEL, C1, bidi overrides) and collapse whitespace. */
export function cleanText(s: string): string {
  if (isClean(s)) return s;
  let out = '';
  let space = false;
  for (const ch of s) {
    const c = ch.codePointAt(0) as number;
    const control = c < 32 || (c >= 127 && c < 160) || (c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069) || c === 0xfeff;
    if (control || c === 32) {
      if (!space && out.length) out += ' ';
      space = true;
    } else {
      out += ch;
      space = false;
    }
  }
  return out.trimEnd();
}

/** Printable ASCII with single inner spaces: what cleanText would return unchanged. */
function isClean(s: string): boolean {
  const n = s.length;
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c === 32) {
      if (i === 0 || i === n - 1 || s.charCodeAt(i + 1) === 32) return false;
    } else if (c < 33 || c > 126) return false;
  }
  return true;
}

/** The text at span, cleaned and cut to max characters. */
export function snippet(text: string, span: Span, max = 80): string {
  const raw = text.slice(span[0], Math.min(span[1], span[0] + max * 2));
  const clean = cleanText(raw);
  return clean.length > max ? `${clean.slice(0, max - 1)}…` : clean;
}

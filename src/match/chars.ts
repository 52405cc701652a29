// Character classes by code unit: the scanners below never run a regex over user text.

export function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

export function isAsciiLetter(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
}

export function isUpper(c: number): boolean {
  return c >= 65 && c <= 90;
}

export function isLower(c: number): boolean {
  return c >= 97 && c <= 122;
}

export function isHex(c: number): boolean {
  return isDigit(c) || (c >= 65 && c <= 70) || (c >= 97 && c <= 102);
}

const NON_ASCII_WORD = /[\p{L}\p{N}]/u;

/** A letter or digit in any script (one code unit; surrogate halves count as non-word). */
export function isWordChar(code: number, ch: string): boolean {
  if (code < 128) return isDigit(code) || isAsciiLetter(code);
  if (code >= 0xd800 && code <= 0xdfff) return false;
  return NON_ASCII_WORD.test(ch);
}

export function isSpace(c: number): boolean {
  return c === 32 || c === 9 || c === 10 || c === 13 || c === 11 || c === 12 || c === 0xa0;
}

export function allDigits(s: string): boolean {
  if (s.length === 0) return false;
  for (let i = 0; i < s.length; i++) if (!isDigit(s.charCodeAt(i))) return false;
  return true;
}

export function allLetters(s: string): boolean {
  if (s.length === 0) return false;
  for (let i = 0; i < s.length; i++) if (!isAsciiLetter(s.charCodeAt(i))) return false;
  return true;
}

/** Letters, digits and underscore only, starting with a letter. */
export function isIdentifier(s: string): boolean {
  if (s.length === 0 || !isAsciiLetter(s.charCodeAt(0))) return false;
  for (let i = 1; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (!isAsciiLetter(c) && !isDigit(c) && c !== 95) return false;
  }
  return true;
}

/**
 * Make V8 store the string flat. Strings built by concatenation or repeat() are ropes, and scanning
 * a rope one code unit at a time can be a hundred times slower. Number() flattens as a side effect.
 */
export function flatten(s: string): string {
  void Number(s);
  return s;
}

// Header comments: "(…)" that may nest, as Received rows and Authentication-Results carry them.

/** The index of the ")" that closes the "(" at `open`, or s.length when it never closes. Linear. */
export function commentEnd(s: string, open: number): number {
  let depth = 0;
  let j = open;
  for (; j < s.length; j++) {
    const d = s.charCodeAt(j);
    if (d === 40) depth++;
    else if (d === 41 && --depth === 0) break;
  }
  return j;
}

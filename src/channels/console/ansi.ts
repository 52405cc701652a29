// Terminal styling that switches off for NO_COLOR, a non-terminal output, or --no-color.
export interface Style {
  readonly color: boolean;
  bold(s: string): string;
  dim(s: string): string;
  red(s: string): string;
  green(s: string): string;
  yellow(s: string): string;
  cyan(s: string): string;
}

function wrap(open: number, close: number): (s: string) => string {
  return (s) => `\x1b[${open}m${s}\x1b[${close}m`;
}

const plain = (s: string): string => s;

export function makeStyle(color: boolean): Style {
  if (!color) return { color, bold: plain, dim: plain, red: plain, green: plain, yellow: plain, cyan: plain };
  return { color, bold: wrap(1, 22), dim: wrap(2, 22), red: wrap(31, 39), green: wrap(32, 39), yellow: wrap(33, 39), cyan: wrap(36, 39) };
}

/** Colour only on a terminal, and never when NO_COLOR is set to anything (https://no-color.org). */
export function wantColor(isTty: boolean, env: NodeJS.ProcessEnv = process.env, flag?: boolean): boolean {
  if (flag === false) return false;
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  return isTty;
}

/** Escape sequences that move the cursor: only ever written on a terminal. */
export const CURSOR = {
  clearLine: '\r\x1b[2K',
  /** Up n lines to their start, then clear to the end of the screen. */
  eraseUp: (n: number): string => (n > 0 ? `\x1b[${n}F\x1b[0J` : '\r\x1b[0J'),
};

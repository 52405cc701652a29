// Turning terminal lines into inputs. A pasted NDR contains empty lines, so an empty line ends a paste
// only when nothing more arrives within settleMs (a paste arrives in one burst; a person pressing
// Enter twice does not). A single line that is a command, a button number or the answer ehlo asked
// for is taken as soon as the burst settles, without the empty line; and when such a line comes after
// the burst settled while a paste still waits for its empty line, the paste is taken as it is and
// the line after it (so `status` or `quit` typed after a paste without an empty line still answer).
// End of input flushes the rest.

export interface ReaderOptions {
  settleMs: number;
  /** A lone line that needs no empty line after it. */
  isQuick: (line: string) => boolean;
  onInput: (text: string) => void;
  /** Characters one input may hold; the rest of an oversized paste is dropped (and reported). */
  maxChars?: number;
  onOverflow?: (dropped: number) => void;
}

export const MAX_INPUT_CHARS = 1024 * 1024;

export class PasteReader {
  readonly #o: ReaderOptions;
  readonly #max: number;
  #lines: string[] = [];
  #chars = 0;
  #dropped = 0;
  #timer: NodeJS.Timeout | undefined;
  /** When the last line came (ms). */
  #lastAt = 0;

  constructor(options: ReaderOptions) {
    this.#o = options;
    this.#max = options.maxChars ?? MAX_INPUT_CHARS;
  }

  /** One line as read (without its line break). */
  push(line: string): void {
    clearTimeout(this.#timer);
    const now = performance.now();
    const settled = now - this.#lastAt >= this.#o.settleMs;
    this.#lastAt = now;
    if (this.#lines.length > 0 && settled && this.#o.isQuick(line)) this.flush();
    if (this.#lines.length === 0 && line.trim() === '') return;
    if (this.#chars + line.length + 1 > this.#max) this.#dropped += line.length + 1;
    else {
      this.#lines.push(line);
      this.#chars += line.length + 1;
    }
    this.#timer = setTimeout(() => this.#settle(), this.#o.settleMs);
  }

  #settle(): void {
    const lines = this.#lines;
    const last = lines.at(-1) ?? '';
    if (lines.length === 1 && this.#o.isQuick(last)) this.flush();
    else if (last.trim() === '' || this.#dropped > 0) this.flush();
  }

  /** Hand over what is buffered (end of input, or settled). */
  flush(): void {
    clearTimeout(this.#timer);
    const text = this.#lines.join('\n').trimEnd();
    const dropped = this.#dropped;
    this.#lines = [];
    this.#chars = 0;
    this.#dropped = 0;
    if (dropped > 0) this.#o.onOverflow?.(dropped);
    if (text.trim()) this.#o.onInput(text);
  }

  /** True while part of a paste waits for its empty line. */
  get pending(): boolean {
    return this.#lines.length > 0;
  }
}

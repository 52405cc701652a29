// The console's side of the reply model: print replies, number their buttons, animate a running
// status on a terminal and replace a reply in place when the core updates it. Without a terminal
// (piped output, CI) nothing moves: a running probe prints one line and its result follows.
import type { Button, Reply, Sink } from '../../conversation/reply.ts';
import { buttonNumber, buttonsOf } from '../../conversation/reply.ts';
import { CURSOR, type Style } from './ansi.ts';
import { renderReply } from './render.ts';
import { Spinner } from './spinner.ts';

export interface ConsoleSinkOptions {
  write: (s: string) => void;
  style: Style;
  /** Cursor movement and animation allowed (stdout is a terminal). */
  tty: boolean;
  width: () => number;
}

function isRunning(r: Reply): boolean {
  return r.blocks.some((b) => b.type === 'status' && b.state === 'running');
}

export class ConsoleSink implements Sink {
  readonly #o: ConsoleSinkOptions;
  readonly #spinner = new Spinner();
  /** The reply printed last and how many terminal lines it took. */
  #last: { id: string; lines: number } | undefined;
  #hinted = false;
  /** Buttons of the latest reply that had any: what the numbers press. */
  active: Button[] = [];
  /** The button the number `n` presses on the latest card with buttons (its shortcut, else its position). */
  buttonFor(n: number): Button | undefined {
    return this.active.find((b, i) => buttonNumber(b, i) === n);
  }

  /** The latest reply asked a question: the next line is its answer. */
  awaitingAnswer = false;

  constructor(options: ConsoleSinkOptions) {
    this.#o = options;
  }

  post(r: Reply): void {
    this.#spinner.stop();
    this.#print(r);
    const buttons = buttonsOf(r);
    if (buttons.length) this.active = buttons;
    if (r.ask) this.awaitingAnswer = true;
  }

  update(r: Reply): void {
    if (!this.#o.tty) {
      if (!isRunning(r)) this.#print(r);
      return;
    }
    this.#spinner.stop();
    if (this.#last?.id === r.id) this.#o.write(CURSOR.eraseUp(this.#last.lines));
    this.#print(r);
  }

  /** Print a line that belongs to no reply (banner, notices of the console itself). */
  note(text: string): void {
    this.#spinner.stop();
    this.#o.write(`${text}\n`);
    this.#last = undefined;
  }

  stop(): void {
    this.#spinner.stop();
  }

  #print(r: Reply): void {
    const width = this.#o.width();
    const lines = renderReply(r, { style: this.#o.style, width, spinner: this.#o.tty ? undefined : '…' });
    const buttons = buttonsOf(r);
    if (buttons.length && !this.#hinted) {
      lines.push(this.#o.style.dim(`  Type a number to press a button, a command (help lists them), or paste another error.`));
      this.#hinted = true;
    }
    this.#o.write(`\n${lines.join('\n')}\n`);
    this.#last = { id: r.id, lines: lines.length + 1 };
    if (this.#o.tty && isRunning(r)) this.#animate(r, width);
  }

  /** Redraw the running status (the reply's last line) with each spinner frame. */
  #animate(r: Reply, width: number): void {
    this.#spinner.start((frame) => {
      const lines = renderReply(r, { style: this.#o.style, width, spinner: frame });
      this.#o.write(`\x1b[1F${CURSOR.clearLine}${lines.at(-1) ?? ''}\n`);
    });
  }
}

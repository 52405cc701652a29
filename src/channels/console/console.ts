// The console channel: ehlo in a terminal. One thread per console (console:local:<name>), so a
// restarted console resumes the walkthrough it left. Lines become pastes, commands or button presses
// (by number); replies are printed as they come; Ctrl-C cancels a running check, Ctrl-D quits.
import { createInterface } from 'node:readline';
import { parseCommand } from '../../conversation/commands.ts';
import type { Conversation } from '../../conversation/core.ts';
import type { ConversationEvent, EventBody } from '../../conversation/events.ts';
import type { Actor } from '../../walkthrough/session.ts';
import { makeStyle } from './ansi.ts';
import { PasteReader } from './reader.ts';
import { wrap } from './render.ts';
import { ConsoleSink } from './sink.ts';
import type { Button, Sink } from '../../conversation/reply.ts';

export interface ConsoleOptions {
  core: Conversation;
  input: NodeJS.ReadableStream;
  output: NodeJS.WritableStream & { columns?: number };
  /** The thread key (console:local:<name>). */
  thread: string;
  actor: Actor;
  /** The output is a terminal: animate and update in place. */
  tty: boolean;
  color: boolean;
  /** How long an empty line must stay the last thing typed to end a paste. */
  settleMs?: number;
  /** Lines printed before anything else. */
  banner?: string[];
  /** Install a SIGINT handler (Ctrl-C cancels a running check, or quits when idle). */
  handleSigint?: boolean;
  /** Told the console's sink and how to end the console, once it runs (the Channel wrapper). */
  onReady?: (sink: Sink, stop: () => void) => void;
}

export const THREAD_PREFIX = 'console:local:';
const QUIT = /^(quit|exit|:q)$/i;

export function consoleThread(name: string): string {
  return `${THREAD_PREFIX}${name}`;
}

export async function runConsole(o: ConsoleOptions): Promise<void> {
  const style = makeStyle(o.color);
  const write = (s: string): void => void o.output.write(s);
  const width = (): number => Math.max(40, Math.min(110, (o.output.columns ?? 100) - 1));
  const sink = new ConsoleSink({ write, style, tty: o.tty, width });
  for (const line of o.banner ?? []) sink.note(wrap(line, width(), '').join('\n'));

  /** Events handed to the core and not finished, each with what cancels its check (Ctrl-C). */
  const inFlight = new Map<Promise<void>, AbortController>();
  // On a terminal, read keys ourselves (readline's terminal mode) rather than the terminal's line
  // mode, which cuts a line at 4,095 bytes: a long single-line paste arrives whole.
  const keyboard = Boolean((o.input as { isTTY?: boolean }).isTTY);
  const rl = keyboard
    ? createInterface({ input: o.input, output: o.output, terminal: true, crlfDelay: Infinity, prompt: '' })
    : createInterface({ input: o.input, terminal: false, crlfDelay: Infinity });

  /** A pressed button that asks first (a change, escalating): the next line answers y or N. */
  let confirming: Button | undefined;

  const toEvent = (text: string): EventBody | undefined => {
    const t = text.trim();
    if (confirming) {
      const button = confirming;
      confirming = undefined;
      if (/^y(es)?$/i.test(t)) return { type: 'press', value: button.value };
      sink.note(`Not pressed: ${button.label}.`);
      return undefined;
    }
    const n = /^\d{1,3}$/.test(t) ? Number(t) : 0;
    const button = n > 0 ? sink.buttonFor(n) : undefined;
    if (button?.confirm) {
      confirming = button;
      const { title, text } = button.confirm;
      sink.note(wrap(`${title}${/[.?!:]$/.test(title) ? '' : '.'} ${text} Press “${button.label}”? [y/N]`, width(), '  ').join('\n'));
      return undefined;
    }
    if (button) return { type: 'press', value: button.value };
    return { type: 'message', text };
  };

  // The core applies the thread's events one at a time in the order they are handed over, so the
  // console hands each over at once: a `cancel` typed while a check runs reaches it.
  const enqueue = (e: EventBody): void => {
    sink.awaitingAnswer = false;
    const controller = new AbortController();
    const handled: Promise<void> = o.core.handle({ ...e, thread: o.thread, actor: o.actor } satisfies ConversationEvent, sink, { signal: controller.signal }).finally(() => inFlight.delete(handled));
    inFlight.set(handled, controller);
  };

  const reader = new PasteReader({
    settleMs: o.settleMs ?? 300,
    isQuick: (line) => confirming !== undefined || sink.awaitingAnswer || /^\d{1,3}$/.test(line.trim()) || QUIT.test(line.trim()) || parseCommand(line) !== undefined,
    onInput: (text) => {
      if (!confirming && QUIT.test(text.trim())) return rl.close();
      const event = toEvent(text);
      if (event) enqueue(event);
    },
    onOverflow: (dropped) => sink.note(style.yellow(`(the paste was too long; the last ${dropped.toLocaleString('en')} characters were left out)`)),
  });

  /** Ctrl-C: cancel what is running (its result then says it stopped), or quit when idle. */
  const onSigint = (): void => {
    if (inFlight.size) for (const c of inFlight.values()) c.abort();
    else rl.close();
  };
  if (o.handleSigint) process.on('SIGINT', onSigint);
  // In terminal mode Ctrl-C reaches readline as a key, not as a signal.
  if (keyboard) rl.on('SIGINT', onSigint);
  o.onReady?.(sink, () => rl.close());

  enqueue({ type: 'open' });
  try {
    for await (const line of rl) reader.push(line);
    reader.flush();
    while (inFlight.size) await Promise.all(inFlight.keys());
  } finally {
    sink.stop();
    if (o.handleSigint) process.off('SIGINT', onSigint);
  }
}

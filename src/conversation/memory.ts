// What the core remembers about each thread between events, in this process only: the last paste and
// its match (for "other matches" and to start with its targets), a pending question, and checks
// running now. Bounded: least recently used threads are forgotten past maxThreads, pastes are cut.
// What must survive a restart lives in the session (context.ts), not here.
import type { MatchResult } from '../match/types.ts';
import type { Placeholder } from './targets.ts';

export interface RememberedPaste {
  text: string;
  /** Characters of the original paste (text may be cut). */
  chars: number;
  result: MatchResult;
  at: Date;
}

/** ehlo asked for a check's target; the next plain line in the thread answers it. */
export interface PendingQuestion {
  placeholder: Placeholder;
  sessionId: string;
  stepId: string;
  version: number;
}

export interface ThreadState {
  paste?: RememberedPaste;
  pending?: PendingQuestion;
  /** Playbooks the thread said "not this" to, for the last paste. */
  rejected: Set<string>;
}

export const MEMORY_LIMITS = { threads: 10_000, pasteChars: 32 * 1024 } as const;

export class ThreadMemory {
  readonly #threads = new Map<string, ThreadState>();
  readonly #max: number;
  /** "sessionId:stepId" of checks running now (a second press waits for the first). */
  readonly running = new Set<string>();

  constructor(maxThreads: number = MEMORY_LIMITS.threads) {
    this.#max = maxThreads;
  }

  get size(): number {
    return this.#threads.size;
  }

  /** The thread's state, created on first use and marked most recently used. */
  get(thread: string): ThreadState {
    let state = this.#threads.get(thread);
    if (state) this.#threads.delete(thread);
    else state = { rejected: new Set() };
    this.#threads.set(thread, state);
    while (this.#threads.size > this.#max) {
      const oldest = this.#threads.keys().next().value;
      if (oldest === undefined) break;
      this.#threads.delete(oldest);
    }
    return state;
  }

  rememberPaste(thread: string, text: string, result: MatchResult, at: Date): RememberedPaste {
    const paste = { text: text.length > MEMORY_LIMITS.pasteChars ? text.slice(0, MEMORY_LIMITS.pasteChars) : text, chars: text.length, result, at };
    const state = this.get(thread);
    state.paste = paste;
    state.rejected = new Set();
    state.pending = undefined;
    return paste;
  }
}

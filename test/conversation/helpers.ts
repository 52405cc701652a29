// Driving the conversation core in tests: a real matcher over the catalog, a real store, a sink that
// records every reply, and the pastes the tests use (real NDRs from the corpus fixtures).
import { readFileSync } from 'node:fs';
import { createConversation, type Conversation, type ConversationOptions } from '../../src/conversation/core.ts';
import type { ConversationEvent, EventBody } from '../../src/conversation/events.ts';
import { buttonsOf, type Block, type Button, type Reply, type Sink } from '../../src/conversation/reply.ts';
import { defaultMatcher } from '../../src/match/index.ts';
import { ProbeLimiter } from '../../src/probes/limits.ts';
import type { ProbeConfig } from '../../src/probes/config.ts';
import type { Store } from '../../src/store/store.ts';
import type { Actor } from '../../src/walkthrough/session.ts';
import { Walkthroughs } from '../../src/walkthrough/walkthroughs.ts';

export const alice: Actor = { id: 'U01ALICE', name: 'Alice' };
export const bob: Actor = { id: 'U02BOB', name: 'Bob' };

/** A real paste from test/fixtures/corpus-cases.jsonl (each line names its public source). */
export function corpusPaste(id: string): string {
  const line = readFileSync(new URL('../fixtures/corpus-cases.jsonl', import.meta.url), 'utf8')
    .split('\n')
    .find((l) => l.includes(`"id": "${id}"`));
  if (!line) throw new Error(`no corpus case ${id}`);
  return (JSON.parse(line) as { text: string }).text;
}

/** EXO NDR, 550 5.4.312 DNS query failed (InfoNoRecords) for neko@libsisimai.org (sisimai set-of-emails). */
export const DNS_NDR_ID = 'soe-o365-54312-dns-inforecords';

export function blockText(b: Block): string {
  switch (b.type) {
    case 'header': case 'text': case 'status': return b.text;
    case 'code': return `${b.label ?? ''}\n${b.text}`;
    case 'fields': return b.fields.map((f) => `${f.label}: ${f.value}`).join('\n');
    case 'list': return [b.title ?? '', ...b.items].join('\n');
    case 'buttons': return b.buttons.map((x) => `[${x.label}]`).join(' ');
    case 'progress': return `${b.current}/${b.total}`;
  }
}

export function replyText(r: Reply): string {
  return r.blocks.map(blockText).join('\n');
}

/** Records what the core posts and updates, in order. */
export class Recorder implements Sink {
  readonly posted: Reply[] = [];
  readonly updated: Reply[] = [];
  #mark = 0;

  post(r: Reply): void {
    this.posted.push(structuredClone(r));
  }

  update(r: Reply): void {
    this.updated.push(structuredClone(r));
  }

  /** Replies posted since the last call (or since the start). */
  fresh(): Reply[] {
    const out = this.posted.slice(this.#mark);
    this.#mark = this.posted.length;
    return out;
  }

  /** All text posted since the last call. */
  freshText(): string {
    return this.fresh().map(replyText).join('\n\n');
  }

  /** The buttons of the latest reply that has any. */
  buttons(): Button[] {
    for (let i = this.posted.length - 1; i >= 0; i--) {
      const b = buttonsOf(this.posted[i] as Reply);
      if (b.length) return b;
    }
    return [];
  }

  button(label: string | RegExp): Button {
    const b = this.buttons().find((x) => (typeof label === 'string' ? x.label === label : label.test(x.label)));
    if (!b) throw new Error(`no button ${String(label)} among ${this.buttons().map((x) => x.label).join(', ')}`);
    return b;
  }
}

export interface Harness {
  core: Conversation;
  walkthroughs: Walkthroughs;
  sink: Recorder;
  thread: string;
  say(text: string, actor?: Actor): Promise<void>;
  press(button: Button, actor?: Actor): Promise<void>;
  send(e: EventBody & { actor?: Actor; id?: string }): Promise<void>;
}

export function harness(store: Store, probeConfig: ProbeConfig, thread = 'test:C1:1700000000.000100', sink: Recorder = new Recorder(), extra: Partial<ConversationOptions> = {}): Harness {
  const matcher = defaultMatcher();
  const walkthroughs = new Walkthroughs({ store, playbooks: (id) => matcher.catalog.playbookById.get(id) });
  const core = createConversation({ matcher, walkthroughs, probeConfig, store, limiter: new ProbeLimiter(), progressEveryMs: 0, cancelPollMs: 50, ...extra });
  const send = (e: EventBody & { actor?: Actor; id?: string }): Promise<void> =>
    core.handle({ ...e, thread, actor: e.actor ?? alice } as ConversationEvent, sink);
  return {
    core,
    walkthroughs,
    sink,
    thread,
    send,
    say: (text, actor) => send({ type: 'message', text, actor }),
    press: (button, actor) => send({ type: 'press', value: button.value, actor }),
  };
}

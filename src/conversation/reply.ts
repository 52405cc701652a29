// The neutral reply model every channel renders: blocks of text, fields, code, lists, buttons, a status
// and a progress bar. Rich enough for Slack Block Kit and Teams Adaptive Cards, plain enough for a
// terminal. A reply has an id so a channel can update it in place (a probe's "running…" becomes its result).
import { createRequire } from 'node:module';

// node:crypto through require, when the first id is made: an ESM import of it builds a facade that
// reads every export (lazy getters included), which cost a card-rendering `ehlo match` a few ms.
const require = createRequire(import.meta.url);
let uuid: (() => string) | undefined;

export type Tone = 'info' | 'success' | 'warning' | 'danger';
export type StatusState = 'running' | 'pass' | 'warn' | 'fail' | 'error' | 'refused' | 'info';
export type ButtonStyle = 'primary' | 'danger' | 'default';

export interface Field {
  label: string;
  value: string;
}

export interface Button {
  /** Stable within the reply (Slack action_id, Teams Action.Submit id). */
  id: string;
  label: string;
  style: ButtonStyle;
  /** Opaque action payload (see actions.ts); the channel hands it back unchanged on a press. */
  value: string;
  /** Ask the person before sending the press (steps that change something, escalating). */
  confirm?: { title: string; text: string };
  /** A number that presses this button wherever it appears (the console keeps one number per action across cards). */
  shortcut?: number;
}

/** The number that presses a button in a channel that numbers them: its shortcut, else its position (1-based). */
export function buttonNumber(button: Button, index: number): number {
  return button.shortcut ?? index + 1;
}

export type Block =
  | { type: 'header'; text: string }
  | { type: 'text'; text: string; tone?: Tone }
  | { type: 'fields'; fields: Field[] }
  | { type: 'code'; text: string; label?: string }
  | { type: 'list'; title?: string; items: string[] }
  | { type: 'buttons'; buttons: Button[] }
  | { type: 'status'; state: StatusState; text: string }
  | { type: 'progress'; current: number; total: number; label?: string };

/** What a reply is, so a channel can choose how to show it (Slack updates a step card in place; metadata). */
export const REPLY_KINDS = ['notice', 'diagnosis', 'matches', 'step', 'probe', 'summary', 'handoff', 'help', 'catalog', 'question'] as const;
export type ReplyKind = (typeof REPLY_KINDS)[number];

/** Facts about a reply for other tools (Slack message metadata, logs): never user text. */
export interface ReplyMeta {
  playbook?: string;
  verdict?: string;
  score?: number;
  session?: string;
  step?: string;
  version?: number;
}

export interface Reply {
  id: string;
  thread: string;
  kind: ReplyKind;
  meta?: ReplyMeta;
  /** One plain line for notifications and channels that cannot show blocks. */
  summary: string;
  blocks: Block[];
  /** The reply asks a question answered with plain text (Slack: a message; Teams: an Input.Text named ANSWER_INPUT, sent with ANSWER_PRESS, see actions.ts; console: the next line). */
  ask?: { prompt: string };
  /** Only this person (a platform user id) should see it (a permission refusal): Slack posts it ephemeral; the console has one person. */
  audience?: string;
  /** An update that only makes sense in place (a superseded step card): never posted as a new message when its message is unknown. */
  inPlace?: boolean;
}

/** Where the core sends replies: a channel posts new ones and updates earlier ones in place. */
export interface Sink {
  post(reply: Reply): Promise<void> | void;
  update(reply: Reply): Promise<void> | void;
  /**
   * post and update return at once (the channel queues the delivery) with a promise that resolves
   * when the platform has the reply (or it was given up). Without it, their promise resolving means that.
   */
  readonly receipts?: boolean;
  /** How the channel rebuilds this sink in another process (Channel.sinkAt), kept with outbox rows; opaque to the core. */
  readonly address?: string;
  /** Whether the sink shows this reply at all (absent: every one); the core keeps no outbox row for the others. */
  accepts?(reply: Reply): boolean;
  /** The event is handled: deliver what the sink still holds back. */
  finish?(): void;
  /**
   * A new reply the core is committing now and will post once its commit is done: the sink may do,
   * while the commit is on its way, the work of posting it that sends nothing (render the card,
   * serialise the request), and hold the request itself until send(). send() then does what post()
   * would have done; drop() lets go of a reply that will not be posted (its event is applied again
   * under the thread lock). Undefined (or absent): the reply goes through post() as usual.
   */
  prepare?(reply: Reply): PreparedPost | undefined;
}

/** A post a sink got ready (Sink.prepare): nothing of it has gone out until send(). */
export interface PreparedPost {
  send(): Promise<void>;
  drop(): void;
}

/** Set by numberRepliesLocally(): ids counted in this process instead of random ones. */
let local: { prefix: string; n: number } | undefined;

export function newReplyId(): string {
  if (local) return `${local.prefix}-${++local.n}`;
  uuid ??= (require('node:crypto') as typeof import('node:crypto')).randomUUID;
  return `r-${uuid()}`;
}

/**
 * For a process that only prints its replies and never stores, sends or updates one (`ehlo match`):
 * reply ids counted from 1 after `prefix`, so node:crypto is never loaded for them (loading it from an
 * ES module costs 5-8 ms of a start). Random ids stay the rule wherever a reply can come back in a
 * button press or an outbox row.
 */
export function numberRepliesLocally(prefix: string): void {
  local = { prefix, n: 0 };
}

export function reply(thread: string, summary: string, blocks: Block[], options: { kind?: ReplyKind; ask?: { prompt: string }; meta?: ReplyMeta } = {}): Reply {
  const r: Reply = { id: newReplyId(), thread, kind: options.kind ?? (options.ask ? 'question' : 'notice'), summary, blocks };
  if (options.ask) r.ask = options.ask;
  if (options.meta) r.meta = options.meta;
  return r;
}

/** A reply of one text block. */
export function notice(thread: string, text: string, tone: Tone = 'info'): Reply {
  return reply(thread, text, [{ type: 'text', text, tone }]);
}

/**
 * Replies the core may update later by their id (a probe's card, a step card it closes): channels keep
 * which message shows them in the store, for every replica; other replies are never updated by id.
 */
export function updatedLater(r: Reply): boolean {
  return r.kind === 'probe' || r.kind === 'step';
}

/** The buttons of a reply, in order. */
export function buttonsOf(r: Reply): Button[] {
  return r.blocks.flatMap((b) => (b.type === 'buttons' ? b.buttons : []));
}

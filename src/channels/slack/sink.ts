// Replies out to Slack. The Poster keeps one ordered outbox per Slack thread: a reply is queued at
// once (the core is never held up by Slack) and delivered in order, so a probe's result always
// follows its "running…" message and updates it in place.
//
// When Slack is down (network errors, 5xx) a delivery is retried with backoff until Slack answers
// again, so a walkthrough transition (already in the store) always reaches the thread. A 429 is
// retried by the Web API client after Retry-After. A reply Slack refuses (invalid_blocks and the
// like) is logged with Slack's error and sent again as plain text.
//
// A TurnSink is the core's Sink for one event. It can stay silent for replies nobody asked for
// (a `none` diagnosis of a message that did not mention ehlo), and for a press on a step card it
// updates that card in place (chat.update) with the next step, folding what the press did into the
// card and telling only the presser when the press was refused or already applied.
import type { WebClient } from '@slack/web-api';
import type { Logger } from 'pino';
import { updatedLater, type Reply, type Sink } from '../../conversation/reply.ts';
import type { Metrics } from '../../server/metrics.ts';
import type { MessageIds } from '../channel.ts';
import { Lru } from './lru.ts';
import { metadataFor, plainText, renderReply, type Rendered } from './render.ts';

/** Where a thread's replies go: a channel, and the ts of the thread's parent message. */
export interface Place {
  team: string;
  channel: string;
  threadTs: string;
}

export const THREAD_PREFIX = 'slack:';

export function threadKey(p: Place): string {
  return `${THREAD_PREFIX}${p.team}:${p.channel}:${p.threadTs}`;
}

export function placeOf(thread: string): Place | undefined {
  if (!thread.startsWith(THREAD_PREFIX)) return undefined;
  const [team, channel, threadTs, ...rest] = thread.slice(THREAD_PREFIX.length).split(':');
  if (!team || !channel || !threadTs || rest.length) return undefined;
  return { team, channel, threadTs };
}

/** Slack refused the content itself: send it again as plain text. */
const CONTENT_ERRORS: ReadonlySet<string> = new Set(['invalid_blocks', 'invalid_blocks_format', 'msg_too_long', 'invalid_metadata_format', 'invalid_metadata_schema', 'metadata_too_large', 'no_text', 'too_many_attachments', 'invalid_arguments']);
/** The message to update is gone or may not be edited: post it as a new one. */
const UPDATE_GONE: ReadonlySet<string> = new Set(['message_not_found', 'cant_update_message', 'edit_window_closed', 'msg_too_long_for_update']);

const MAX_ATTEMPTS = 40;
const MAX_BACKOFF_MS = 60_000;
const MAX_QUEUED_PER_THREAD = 200;
/** Deliveries waiting in all threads together (a long outage in a busy workspace). */
const MAX_QUEUED = 20_000;

function slackError(err: unknown): string | undefined {
  if (typeof err === 'object' && err !== null && 'code' in err && err.code === 'slack_webapi_platform_error' && 'data' in err) {
    const data = err.data as { error?: unknown };
    return typeof data.error === 'string' ? data.error : 'unknown_error';
  }
  return undefined;
}

function describe(err: unknown): string {
  return err instanceof Error ? err.message.slice(0, 200) : String(err).slice(0, 200);
}

interface Delivery {
  place: Place;
  op: 'post' | 'update' | 'ephemeral';
  run: () => Promise<void>;
  /** Plain-text fallback when Slack refuses the blocks. */
  fallback?: () => Promise<void>;
  /** For an update whose message is gone. */
  asPost?: () => Promise<void>;
}

export interface PosterOptions {
  client: WebClient;
  logger: Logger;
  metrics: Metrics;
  /** Where the ts of each reply's message is kept for other replicas (absent: this process only). */
  messages?: MessageIds;
  /** Base backoff for deliveries Slack did not answer (tests make it short). */
  backoffMs?: number;
}

export class Poster {
  readonly #o: PosterOptions;
  readonly #tails = new Map<string, { tail: Promise<void>; queued: number }>();
  readonly #inFlight = new Set<Promise<void>>();
  /** Reply id → the Slack message showing it. */
  readonly #messages = new Lru<string, { channel: string; ts: string }>(20_000);
  /** Threads ehlo has posted in (read in context when someone answers there). */
  readonly known = new Lru<string, true>(50_000);
  /** Channel → the thread of the walkthrough ehlo showed there last (for /ehlo status and escalate). */
  readonly lastWalkthrough = new Lru<string, string>(10_000);
  #stopping = false;
  #queued = 0;

  constructor(options: PosterOptions) {
    this.#o = options;
  }

  get client(): WebClient {
    return this.#o.client;
  }

  /** Queue a delivery in its thread's order; returns at once, with a promise of its delivery (made or given up). */
  #enqueue(d: Delivery): Promise<void> {
    const key = threadKey(d.place);
    const entry = this.#tails.get(key) ?? { tail: Promise.resolve(), queued: 0 };
    if (entry.queued >= MAX_QUEUED_PER_THREAD || this.#queued >= MAX_QUEUED) {
      this.#o.logger.error({ thread: key, queued: this.#queued }, 'Slack outbox is full; reply dropped');
      this.#o.metrics.reply('slack', d.op === 'update' ? 'update' : 'post', 'outbox_full');
      return Promise.resolve();
    }
    entry.queued++;
    this.#queued++;
    const tail = entry.tail.then(() => this.#deliver(d)).finally(() => {
      entry.queued--;
      this.#queued--;
    });
    entry.tail = tail;
    this.#tails.set(key, entry);
    this.#inFlight.add(tail);
    void tail.then(() => {
      this.#inFlight.delete(tail);
      if (this.#tails.get(key) === entry && entry.queued === 0) this.#tails.delete(key);
    });
    return tail;
  }

  async #deliver(d: Delivery): Promise<void> {
    const { logger, metrics } = this.#o;
    const op = d.op === 'update' ? 'update' : 'post';
    for (let attempt = 1; ; attempt++) {
      try {
        await d.run();
        metrics.reply('slack', op, 'ok');
        return;
      } catch (err) {
        const code = slackError(err);
        if (code !== undefined) {
          metrics.reply('slack', op, code);
          if (d.op === 'update' && UPDATE_GONE.has(code) && d.asPost) {
            logger.info({ error: code }, 'Slack message to update is gone; posting the reply as a new message');
            d.op = 'post';
            d.run = d.asPost;
            d.asPost = undefined;
            continue;
          }
          if (CONTENT_ERRORS.has(code) && d.fallback) {
            logger.error({ error: code, channel: d.place.channel }, 'Slack refused a reply; sending it as plain text');
            d.run = d.fallback;
            d.fallback = undefined;
            continue;
          }
          logger.error({ error: code, channel: d.place.channel, op: d.op }, 'Slack refused a reply');
          return;
        }
        metrics.reply('slack', op, 'unreachable');
        if (attempt >= MAX_ATTEMPTS || (this.#stopping && attempt >= 2)) {
          logger.error({ err: describe(err), channel: d.place.channel, attempts: attempt }, 'Slack did not answer; reply given up');
          return;
        }
        const wait = Math.min(MAX_BACKOFF_MS, (this.#o.backoffMs ?? 500) * 2 ** Math.min(attempt - 1, 10));
        logger.warn({ err: describe(err), channel: d.place.channel, attempt, retryInMs: wait }, 'Slack did not answer; the reply will be sent again');
        await new Promise((r) => setTimeout(r, wait));
      }
    }
  }

  #postArgs(place: Place, rendered: Rendered, reply: Reply) {
    const metadata = metadataFor(reply);
    return {
      channel: place.channel,
      thread_ts: place.threadTs,
      text: rendered.text,
      blocks: rendered.blocks,
      ...(metadata && { metadata }),
      unfurl_links: false,
      unfurl_media: false,
    };
  }

  #remember(place: Place, reply: Reply, ts: string | undefined): void {
    if (ts && this.#messages.get(reply.id)?.ts !== ts) {
      this.#messages.set(reply.id, { channel: place.channel, ts });
      if (updatedLater(reply)) this.#o.messages?.remember(reply.id, threadKey(place), ts);
    }
    this.known.set(threadKey(place), true);
    if (reply.kind === 'step') this.lastWalkthrough.set(`${place.team}:${place.channel}`, threadKey(place));
  }

  #postNow(place: Place, reply: Reply, rendered: Rendered): () => Promise<void> {
    return async () => {
      const res = (await this.client.chat.postMessage(this.#postArgs(place, rendered, reply) as never)) as { ts?: string };
      this.#remember(place, reply, res.ts);
    };
  }

  #plainNow(place: Place, reply: Reply): () => Promise<void> {
    return async () => {
      const res = (await this.client.chat.postMessage({ channel: place.channel, thread_ts: place.threadTs, text: plainText(reply), unfurl_links: false, unfurl_media: false })) as { ts?: string };
      this.#remember(place, reply, res.ts);
    };
  }

  /** Post a reply as a new message in the thread. */
  post(place: Place, reply: Reply, context?: string[]): Promise<void> {
    const rendered = renderReply(reply, { context });
    return this.#enqueue({ place, op: 'post', run: this.#postNow(place, reply, rendered), fallback: this.#plainNow(place, reply) });
  }

  /** The message showing a reply: remembered here, else in the store (posted by another replica). */
  async #target(place: Place, reply: Reply, ts: string | undefined): Promise<{ channel: string; ts: string } | undefined> {
    if (ts) return { channel: place.channel, ts };
    const known = this.#messages.get(reply.id);
    if (known) return known;
    const stored = await this.#o.messages?.lookup(reply.id).catch((err: unknown) => {
      this.#o.logger.warn({ err }, 'cannot look up which Slack message shows a reply');
      return undefined;
    });
    return stored ? { channel: place.channel, ts: stored } : undefined;
  }

  /**
   * Replace a message with a reply. `ts` names the message (a pressed step card); without it, the
   * message that showed the reply with the same id (a probe's running…). Posted when there is none.
   */
  update(place: Place, reply: Reply, options: { ts?: string; context?: string[] } = {}): Promise<void> {
    const rendered = renderReply(reply, { context: options.context });
    const asPost = this.#postNow(place, reply, rendered);
    const run = async () => {
      const target = await this.#target(place, reply, options.ts);
      if (!target && reply.inPlace) return;
      if (!target) return asPost();
      const metadata = metadataFor(reply);
      await this.client.chat.update({ channel: target.channel, ts: target.ts, text: rendered.text, blocks: rendered.blocks, ...(metadata && { metadata }) } as never);
      this.#remember(place, reply, target.ts);
    };
    const fallback = async () => {
      const target = await this.#target(place, reply, options.ts);
      if (!target && reply.inPlace) return;
      if (!target) return this.#plainNow(place, reply)();
      await this.client.chat.update({ channel: target.channel, ts: target.ts, text: plainText(reply), blocks: [] } as never);
    };
    return this.#enqueue({ place, op: 'update', run, fallback, asPost });
  }

  /** Show a reply to one person only, in the thread. */
  ephemeral(place: Place, user: string, reply: Reply): Promise<void> {
    const rendered = renderReply(reply);
    return this.#enqueue({
      place,
      op: 'ephemeral',
      run: async () => void (await this.client.chat.postEphemeral({ channel: place.channel, user, thread_ts: place.threadTs, text: rendered.text, blocks: rendered.blocks } as never)),
      fallback: async () => void (await this.client.chat.postEphemeral({ channel: place.channel, user, thread_ts: place.threadTs, text: plainText(reply) })),
    });
  }

  /** Post a message that is no reply of the core (a slash command's anchor); resolves with its ts. */
  async anchor(place: Omit<Place, 'threadTs'>, reply: Reply, lead?: string): Promise<string | undefined> {
    const rendered = renderReply(reply);
    // `lead` is mrkdwn the adapter built itself (on-call mentions from configuration), never user text.
    const blocks = lead ? [{ type: 'section', text: { type: 'mrkdwn', text: lead } }, ...rendered.blocks] : rendered.blocks;
    const text = lead ? `${lead} ${rendered.text}` : rendered.text;
    const metadata = metadataFor(reply);
    const res = (await this.client.chat.postMessage({ channel: place.channel, text, blocks, ...(metadata && { metadata }), unfurl_links: false, unfurl_media: false } as never)) as { ts?: string };
    this.#o.metrics.reply('slack', 'post', 'ok');
    return res.ts;
  }

  /** Resolves when every queued delivery has been made or given up. */
  async drain(): Promise<void> {
    while (this.#inFlight.size) await Promise.all([...this.#inFlight]);
  }

  /** Stop retrying for long; then drain. */
  async stop(deadlineMs = 5000): Promise<void> {
    this.#stopping = true;
    await Promise.race([this.drain(), new Promise((r) => setTimeout(r, deadlineMs).unref())]);
  }
}

function toneOf(r: Reply): string | undefined {
  const first = r.blocks[0];
  return r.kind === 'notice' && first?.type === 'text' ? (first.tone ?? 'info') : undefined;
}

/** Which replies an event's sink shows: all; none for a `none` diagnosis in a known thread; only diagnoses for chatter. */
export type SinkMode = 'all' | 'addressed' | 'known' | 'ambient';

const NONE_HINT = 'Type /ehlo help for everything ehlo understands, or paste the whole NDR or queue error with its codes.';

export interface TurnSinkOptions {
  mode?: SinkMode;
  /** The event was a press on a message of ehlo's. */
  press?: {
    /** The pressed message. */
    ts: string;
    /** The kind of reply the pressed buttons belonged to. */
    kind: string | undefined;
    user: { id: string; name: string };
    at: Date;
  };
}

/** The options as kept with outbox rows (Sink.address), and back. */
export function encodeSinkOptions(o: TurnSinkOptions): string {
  return JSON.stringify({ ...(o.mode && o.mode !== 'all' && { mode: o.mode }), ...(o.press && { press: { ...o.press, at: o.press.at.toISOString() } }) });
}

export function decodeSinkOptions(text: string | undefined): TurnSinkOptions {
  if (!text) return {};
  try {
    const v = JSON.parse(text) as { mode?: unknown; press?: { ts?: unknown; kind?: unknown; user?: { id?: unknown; name?: unknown }; at?: unknown } };
    const mode = (['addressed', 'known', 'ambient'] as const).find((m) => m === v.mode);
    const p = v.press;
    const press = p && typeof p.ts === 'string' && typeof p.user?.id === 'string' && typeof p.user.name === 'string' && typeof p.at === 'string'
      ? { ts: p.ts, kind: typeof p.kind === 'string' ? p.kind : undefined, user: { id: p.user.id, name: p.user.name }, at: new Date(p.at) }
      : undefined;
    return { ...(mode && { mode }), ...(press && { press }) };
  } catch {
    return {};
  }
}

function accepts(mode: SinkMode | undefined, r: Reply): boolean {
  if (mode === 'known') return !(r.kind === 'diagnosis' && r.meta?.verdict === 'none');
  if (mode === 'ambient') return r.kind === 'diagnosis' && r.meta?.verdict !== 'none' && r.meta?.verdict !== undefined;
  return true;
}

/**
 * The core's Sink for one event in one Slack thread. post and update return at once with a promise
 * of the delivery (receipts): the core commits replies to its outbox first and deletes each row once
 * Slack has it. Its options travel with the rows (address), so another replica delivering them
 * shows them as this event would have.
 */
export class TurnSink implements Sink {
  readonly receipts = true;
  readonly address: string;
  readonly #poster: Poster;
  readonly #place: Place;
  readonly #o: TurnSinkOptions;
  /** What a press did, shown on the step card it updates (or posted when no card follows), with the promise each gives back. */
  #pending: Array<{ reply: Reply; settle: (p: Promise<void>) => void }> = [];
  #updatedCard = false;

  constructor(poster: Poster, place: Place, options: TurnSinkOptions = {}) {
    this.#poster = poster;
    this.#place = place;
    this.#o = options;
    this.address = encodeSinkOptions(options);
  }

  /** Replies this sink shows (the core skips the others entirely). */
  accepts(r: Reply): boolean {
    return Boolean(r.audience) || accepts(this.#o.mode, r);
  }

  post(r: Reply): Promise<void> {
    if (r.audience) {
      // For one person only (a permission refusal).
      return this.#poster.ephemeral(this.#place, r.audience, r);
    }
    if (!accepts(this.#o.mode, r)) return Promise.resolve();
    const press = this.#o.press;
    if (press) {
      const tone = toneOf(r);
      if (tone === 'warning' || tone === 'danger') {
        // Refused, stale or already applied: only the presser needs to know.
        return this.#poster.ephemeral(this.#place, press.user.id, r);
      }
      if (tone !== undefined) {
        return new Promise<void>((resolve) => this.#pending.push({ reply: r, settle: (p) => void p.then(resolve, resolve) }));
      }
      // The next step, or the summary when the walkthrough ended, replaces the pressed step card.
      if ((r.kind === 'step' || r.kind === 'summary') && press.kind === 'step' && !this.#updatedCard) {
        this.#updatedCard = true;
        const pending = this.#pending;
        this.#pending = [];
        const who = `Last press: ${press.user.name} (${press.user.id}) at ${press.at.toISOString().slice(11, 16)} UTC`;
        const done = this.#poster.update(this.#place, r, { ts: press.ts, context: [...pending.map((n) => n.reply.summary), who] });
        for (const n of pending) n.settle(done);
        return done;
      }
    }
    this.#flush();
    const hint = this.#o.mode === 'addressed' && r.kind === 'diagnosis' && r.meta?.verdict === 'none' ? [NONE_HINT] : undefined;
    return this.#poster.post(this.#place, r, hint);
  }

  update(r: Reply): Promise<void> {
    if (!accepts(this.#o.mode, r)) return Promise.resolve();
    this.#flush();
    return this.#poster.update(this.#place, r);
  }

  #flush(): void {
    const pending = this.#pending;
    this.#pending = [];
    for (const n of pending) n.settle(this.#poster.post(this.#place, n.reply));
  }

  /** The event is handled: post what is still held back. */
  finish(): void {
    this.#flush();
  }
}

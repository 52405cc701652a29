// Replies out to Teams through the Bot Connector REST API (the SDK's ConnectorClient): a new reply is
// posted into the conversation (as a reply to the message that asked, in a channel thread), an update
// replaces the card of the message that shows that reply (PUT …/activities/{id}, for everyone in the
// thread), and a new step card of a walkthrough replaces the previous step card of the same session,
// so the thread always shows the current step. reply.id → activity id is kept (bounded, least
// recently used forgotten); an update of a message Teams no longer has (ActivityNotFoundInConversation)
// posts a new card. Calls to one message are applied in order; 429/412/502/504 are retried.
import { Activity } from '@microsoft/agents-activity';
import type { ConnectorClient } from '@microsoft/agents-hosting';
import type { Logger } from 'pino';
import { updatedLater, type PreparedPost, type Reply, type Sink } from '../../conversation/reply.ts';
import type { Metrics } from '../../server/metrics.ts';
import type { MessageIds } from '../channel.ts';
import { cardActivity, renderCard, type AdaptiveCard, type RenderOptions } from './cards.ts';
import { heldUntil } from './connector.ts';
import { statusOf, withRetry, type RetryOptions } from './retry.ts';

/** Where a thread's replies go. */
export interface Route {
  thread: string;
  serviceUrl: string;
  conversationId: string;
  /** The message being answered (a reply lands in its channel thread). */
  replyToId?: string;
}

/** A route as kept with outbox rows (Sink.address), so another replica can deliver them. */
export function encodeRoute(route: Route): string {
  return JSON.stringify({ s: route.serviceUrl, c: route.conversationId, ...(route.replyToId && { r: route.replyToId }) });
}

/** The route back from an outbox row; undefined for anything malformed or oversized. */
export function decodeRoute(thread: string, text: string | undefined): Route | undefined {
  if (!text || text.length > 2000) return undefined;
  try {
    const v = JSON.parse(text) as { s?: unknown; c?: unknown; r?: unknown };
    if (typeof v.s !== 'string' || typeof v.c !== 'string' || !v.s || !v.c || v.s.length > 1000 || v.c.length > 400) return undefined;
    const replyToId = typeof v.r === 'string' && v.r.length <= 500 ? v.r : undefined;
    return { thread, serviceUrl: v.s, conversationId: v.c, ...(replyToId && { replyToId }) };
  } catch {
    return undefined;
  }
}

interface Shown {
  activityId: string;
  route: Route;
  reply: Reply;
  card: AdaptiveCard;
}

export interface OutboxOptions {
  client: (serviceUrl: string) => Promise<ConnectorClient>;
  logger: Logger;
  metrics: Metrics;
  retry?: RetryOptions;
  /** Replies remembered for updates (default 20,000). */
  maxReplies?: number;
  /** Which activity shows each reply, kept in the store for other replicas (absent: this process only). */
  messages?: MessageIds;
}

class Lru<K, V> {
  readonly #max: number;
  readonly #map = new Map<K, V>();
  constructor(max: number) {
    this.#max = max;
  }
  get(k: K): V | undefined {
    const v = this.#map.get(k);
    if (v !== undefined) {
      this.#map.delete(k);
      this.#map.set(k, v);
    }
    return v;
  }
  set(k: K, v: V): void {
    this.#map.delete(k);
    this.#map.set(k, v);
    while (this.#map.size > this.#max) {
      const oldest = this.#map.keys().next().value as K;
      this.#map.delete(oldest);
    }
  }
  get size(): number {
    return this.#map.size;
  }
}

/**
 * One of our card activities as the SDK's Activity. Activity.fromObject runs the SDK's zod schema over
 * the whole activity, card included, on every reply; these fields are our own, so they are assigned
 * as fromObject assigns them once checked. Only an empty string would fail that check: such an
 * activity still goes through fromObject, which refuses it as before.
 */
function outgoing(fields: Record<string, unknown> & { type: string }): Activity {
  if (!fields.type || Object.values(fields).some((v) => v === '')) return Activity.fromObject(fields);
  return Object.assign(new Activity(fields.type), fields);
}

/** A prepared post let go of unsent (PreparedPost.drop). */
class Dropped extends Error {
  constructor() {
    super('the prepared reply was dropped unsent');
  }
}

function isNotFound(err: unknown): boolean {
  if (statusOf(err) === 404) return true;
  const data = (err as { response?: { data?: unknown } } | undefined)?.response?.data;
  return JSON.stringify(data ?? '').includes('ActivityNotFoundInConversation');
}

export class Outbox {
  readonly #o: OutboxOptions;
  /** reply id → the message showing it. */
  readonly #replies: Lru<string, Shown>;
  /** activity id → the reply it shows now. */
  readonly #activities: Lru<string, string>;
  /** thread|session → the reply id of the session's current step card. */
  readonly #steps: Lru<string, string>;
  /** thread → Teams user ids (MRIs) seen there, for the card's refresh (Teams takes 60). */
  readonly #people = new Lru<string, string[]>(10_000);
  /** Per message: the tail of its calls, so updates of one message apply in order. */
  readonly #chains = new Map<string, Promise<unknown>>();

  constructor(options: OutboxOptions) {
    this.#o = options;
    const max = options.maxReplies ?? 20_000;
    this.#replies = new Lru(max);
    this.#activities = new Lru(max);
    this.#steps = new Lru(max);
  }

  /** A person took part in the thread (their client refreshes its step cards). */
  seen(thread: string, userId: string | undefined): void {
    if (!userId) return;
    const list = this.#people.get(thread) ?? [];
    if (list.includes(userId)) return;
    list.push(userId);
    if (list.length > 60) list.shift();
    this.#people.set(thread, list);
  }

  sink(route: Route): Sink {
    return {
      post: (r) => this.post(route, r),
      update: (r) => this.update(route, r),
      prepare: (r) => this.prepare(route, r),
      address: encodeRoute(route),
    };
  }

  /**
   * Get a new reply's post ready while the core commits it (Sink.prepare): the card rendered and the
   * connector request built, held before anything is sent until send(). A step card of a session is
   * not prepared (whether it replaces the session's last step card is decided when it is posted).
   */
  prepare(route: Route, r: Reply): PreparedPost | undefined {
    if (r.kind === 'step' && r.meta?.session) return undefined;
    let open!: () => void;
    let cancel!: (err: Error) => void;
    const gate = new Promise<void>((resolve, reject) => {
      open = resolve;
      cancel = reject;
    });
    gate.catch(() => undefined);
    const sent = this.#postNew(route, r, gate);
    sent.catch(() => undefined);
    return {
      send: () => {
        open();
        return sent;
      },
      drop: () => cancel(new Dropped()),
    };
  }

  /** The card the message showing this reply has now (a later step may have replaced it). */
  currentCard(replyId: string): { card: AdaptiveCard; reply: Reply; activityId: string } | undefined {
    const shown = this.#replies.get(replyId);
    if (!shown) return undefined;
    const nowId = this.#activities.get(shown.activityId) ?? replyId;
    const now = this.#replies.get(nowId) ?? shown;
    return { card: now.card, reply: now.reply, activityId: shown.activityId };
  }

  /** The reply shown in this message, if it is one of ours. */
  replyIn(activityId: string): string | undefined {
    return this.#activities.get(activityId);
  }

  render(r: Reply, options: Omit<RenderOptions, 'refreshUserIds'> = {}): AdaptiveCard {
    return renderCard(r, { ...options, refreshUserIds: this.#people.get(r.thread) });
  }

  async post(route: Route, r: Reply): Promise<void> {
    const session = r.kind === 'step' ? r.meta?.session : undefined;
    const stepKey = session ? `${route.thread}|${session}` : undefined;
    const previous = stepKey ? this.#steps.get(stepKey) : undefined;
    const shown = previous ? this.#replies.get(previous) : undefined;
    if (stepKey) this.#steps.set(stepKey, r.id);
    if (shown) {
      // The session's next step: replace its step card for everyone in the thread.
      await this.#replace(shown.activityId, shown.route, r);
      return;
    }
    await this.#postNew(route, r);
  }

  async update(route: Route, r: Reply): Promise<void> {
    const shown = this.#replies.get(r.id);
    if (!shown) {
      // Shown by another replica (or before a restart): the store knows the activity.
      const stored = await this.#stored(r.id);
      if (stored) return this.#replace(stored.activityId, { ...route, serviceUrl: stored.serviceUrl, conversationId: stored.conversationId }, r);
      return r.inPlace ? undefined : this.#postNew(route, r);
    }
    // The message shows a later reply now (the session's next step card replaced this one): leave it.
    const now = this.#activities.get(shown.activityId);
    if (now !== undefined && now !== r.id) return;
    await this.#replace(shown.activityId, shown.route, r);
  }

  /**
   * A step card this process has no record of (posted before a restart, or by another replica) was
   * pressed: its session's next step card goes into that message instead of a new one.
   */
  adopt(activityId: string, route: Route, r: Reply): Promise<void> {
    const session = r.meta?.session;
    if (session) this.#steps.set(`${route.thread}|${session}`, r.id);
    return this.#replace(activityId, route, r);
  }

  /** Show the card again in the message that has this reply (after an invoke's interim "working…"). */
  async restore(activityId: string): Promise<void> {
    const replyId = this.#activities.get(activityId);
    const shown = replyId ? this.#replies.get(replyId) : undefined;
    if (shown) await this.#replace(activityId, shown.route, shown.reply, shown.card);
  }

  #chain<T>(key: string, fn: () => Promise<T>): Promise<T> {
    const prev = this.#chains.get(key) ?? Promise.resolve();
    const next = prev.then(fn, fn);
    const tail = next.catch(() => undefined);
    this.#chains.set(key, tail);
    void tail.then(() => {
      if (this.#chains.get(key) === tail) this.#chains.delete(key);
    });
    return next;
  }

  #retry<T>(op: () => Promise<T>, what: 'post' | 'update'): Promise<T> {
    return withRetry(op, {
      ...this.#o.retry,
      onRetry: (status, attempt, wait) => {
        this.#o.metrics.reply('teams', what, `retry ${status}`);
        this.#o.logger.info({ status, attempt, waitMs: Math.round(wait) }, 'Bot Connector asked to retry');
      },
    });
  }

  /** Post a new card; with a gate, the request is built and then waits for it (prepare). */
  async #postNew(route: Route, r: Reply, gate?: Promise<void>): Promise<void> {
    const card = this.render(r);
    const body = outgoing({ ...cardActivity(card, r.summary), channelId: 'msteams', ...(route.replyToId ? { replyToId: route.replyToId } : {}) });
    let id: string;
    try {
      let client = await this.#o.client(route.serviceUrl);
      if (gate) {
        const held = heldUntil(client, gate);
        if (held) client = held;
        else await gate;
      }
      const res = await this.#retry(
        () => (route.replyToId ? client.replyToActivity(route.conversationId, route.replyToId, body) : client.sendToConversation(route.conversationId, body)),
        'post',
      );
      id = res.id ?? '';
      this.#o.metrics.reply('teams', 'post', 'ok');
    } catch (err) {
      if (!(err instanceof Dropped)) this.#o.metrics.reply('teams', 'post', statusOf(err) ? `http ${statusOf(err)}` : 'error');
      throw err;
    }
    if (!id) return;
    this.#replies.set(r.id, { activityId: id, route, reply: r, card });
    this.#activities.set(id, r.id);
    if (updatedLater(r)) this.#o.messages?.remember(r.id, route.thread, JSON.stringify({ a: id, s: route.serviceUrl, c: route.conversationId }));
  }

  /** The activity showing a reply, as the store has it. */
  async #stored(replyId: string): Promise<{ activityId: string; serviceUrl: string; conversationId: string } | undefined> {
    const text = await this.#o.messages?.lookup(replyId).catch((err: unknown) => {
      this.#o.logger.warn({ err }, 'cannot look up which Teams activity shows a reply');
      return undefined;
    });
    if (!text) return undefined;
    try {
      const v = JSON.parse(text) as { a?: unknown; s?: unknown; c?: unknown };
      return typeof v.a === 'string' && typeof v.s === 'string' && typeof v.c === 'string' ? { activityId: v.a, serviceUrl: v.s, conversationId: v.c } : undefined;
    } catch {
      return undefined;
    }
  }

  #replace(activityId: string, route: Route, r: Reply, card = this.render(r)): Promise<void> {
    return this.#chain(activityId, async () => {
      const body = outgoing({ ...cardActivity(card, r.summary), id: activityId, channelId: 'msteams' });
      try {
        const client = await this.#o.client(route.serviceUrl);
        await this.#retry(() => client.updateActivity(route.conversationId, activityId, body), 'update');
        this.#o.metrics.reply('teams', 'update', 'ok');
      } catch (err) {
        if (isNotFound(err)) {
          this.#o.metrics.reply('teams', 'update', 'not found');
          this.#o.logger.info({ reply: r.id }, 'the message to update is gone; posting a new card');
          await this.#postNew({ ...route, replyToId: undefined }, r);
          return;
        }
        this.#o.metrics.reply('teams', 'update', statusOf(err) ? `http ${statusOf(err)}` : 'error');
        throw err;
      }
      const before = this.#replies.get(r.id)?.activityId;
      this.#replies.set(r.id, { activityId, route, reply: r, card });
      this.#activities.set(activityId, r.id);
      if (before !== activityId && updatedLater(r)) this.#o.messages?.remember(r.id, route.thread, JSON.stringify({ a: activityId, s: route.serviceUrl, c: route.conversationId }));
    });
  }
}

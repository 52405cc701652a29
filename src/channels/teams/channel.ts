// Microsoft Teams as a Channel, on the Microsoft 365 Agents SDK: POST /api/messages on the shared HTTP
// server, requests authorised by the SDK's JWT middleware (Bot Framework / Entra tokens for our app
// id; anonymous only in development mode), activities processed by its CloudAdapter with an outbound
// host policy that only lets replies go to Microsoft's connector hosts (and loopback in development).
//
// A message becomes a `message` event: in a personal or group chat, or when ehlo is @mentioned, every
// reply is shown; a channel message ehlo reads without a mention (RSC ChannelMessage.Read.Group) is
// answered only when it reads as a mail-flow error (a diagnosis that found a playbook) or answers a
// question ehlo asked, and commands there need the mention. Work happens
// after the HTTP answer; replies go out through the Bot Connector (outbox.ts). An Action.Execute invoke
// (a card button) is always answered within Teams' 15 seconds with a card: the current card of the
// message when the core is done, or the card with "working on it…" as soon as a probe starts (or the
// budget runs out), the message being updated when the work ends.
import { Activity, type ChannelAccount, type Entity } from '@microsoft/agents-activity';
import { CloudAdapter, ConnectorClient, type AuthConfiguration, type TurnContext } from '@microsoft/agents-hosting';
import express, { type Request as ExpressRequest, type Response as ExpressResponse, type NextFunction } from 'express';
import type { Logger } from 'pino';
import type { EhloConfig } from '../../config.ts';
import { parseCommand } from '../../conversation/commands.ts';
import type { Conversation } from '../../conversation/core.ts';
import type { ConversationEvent } from '../../conversation/events.ts';
import { buttonsOf, type Reply, type Sink } from '../../conversation/reply.ts';
import { MAX_BODY_BYTES } from '../../server/http.ts';
import type { Channel, ChannelHost } from '../channel.ts';
import { ANSWER_INPUT, CARD_CONTENT_TYPE, VERBS, cardActivity, noticeCard, type AdaptiveCard, type ActionData } from './cards.ts';
import { keepAlive } from './connector.ts';
import { ConnectorHostPolicy } from './hosts.ts';
import { decodeRoute, Outbox, type Route } from './outbox.ts';
import { htmlToText, messageText } from './text.ts';

/** Longest an invoke waits for the core before it answers with "working on it…" (Teams allows 15 s). */
export const INVOKE_BUDGET_MS = 5000;
/** The scope of tokens for the Bot Connector. */
const CONNECTOR_SCOPE = 'https://api.botframework.com';
const ACTOR_MAX = 200;

type ConversationType = 'personal' | 'groupChat' | 'channel';

/** Anonymous connector clients kept (development mode: one per serviceUrl, no token to renew). */
const ANONYMOUS_CLIENTS = 100;

/**
 * CloudAdapter with a connector client for any allowed serviceUrl (replies after the turn ended), sending
 * on keep-alive connections (connector.ts). With an app id, each call gets a client with a current token
 * from the SDK (its token provider caches tokens); without, one client per serviceUrl serves every call.
 */
class TeamsAdapter extends CloudAdapter {
  readonly #policy: ConnectorHostPolicy;
  readonly #appId: string | undefined;
  readonly #anonymous = new Map<string, ConnectorClient>();

  constructor(auth: AuthConfiguration, policy: ConnectorHostPolicy) {
    super(auth, undefined, undefined, { validateServiceUrl: true }, policy);
    this.#policy = policy;
    this.#appId = auth.clientId;
  }

  async clientFor(serviceUrl: string): Promise<ConnectorClient> {
    if (!this.#policy.isAllowed(serviceUrl)) throw new Error('serviceUrl is not a Bot Connector host');
    if (this.#appId) return keepAlive(await this.createConnectorClient(serviceUrl, CONNECTOR_SCOPE, CloudAdapter.createIdentity(this.#appId)));
    let client = this.#anonymous.get(serviceUrl);
    if (!client) {
      client = keepAlive(ConnectorClient.createClientWithToken(serviceUrl, ''));
      if (this.#anonymous.size >= ANONYMOUS_CLIENTS) this.#anonymous.delete(this.#anonymous.keys().next().value as string);
      this.#anonymous.set(serviceUrl, client);
    }
    return client;
  }
}

function str(v: unknown, max = 2000): string | undefined {
  return typeof v === 'string' && v.length > 0 ? v.slice(0, max) : undefined;
}

function actorOf(from: ChannelAccount | undefined): ConversationEvent['actor'] {
  const id = str(from?.aadObjectId, ACTOR_MAX) ?? str(from?.id, ACTOR_MAX) ?? 'unknown';
  const name = str(from?.name, ACTOR_MAX)?.trim() || 'someone';
  return { id, name };
}

function tenantOf(a: Activity): string {
  const data = a.channelData as { tenant?: { id?: unknown } } | undefined;
  return str(a.conversation?.tenantId, 100) ?? str(data?.tenant?.id, 100) ?? 'unknown';
}

function mentionsOf(a: Activity): { bot: boolean; names: Set<string> } {
  const names = new Set<string>();
  let bot = false;
  const botId = a.recipient?.id;
  for (const e of (a.entities ?? []).slice(0, 50) as (Entity & { mentioned?: ChannelAccount; text?: unknown })[]) {
    if (e.type !== 'mention' || !e.mentioned || e.mentioned.id !== botId) continue;
    bot = true;
    const shown = typeof e.text === 'string' ? htmlToText(e.text.slice(0, 500)) : '';
    if (shown) names.add(shown);
    if (e.mentioned.name) names.add(e.mentioned.name);
  }
  return { bot, names };
}

/** Replies of an unaddressed channel message: only a diagnosis that found something is shown. */
function quiet(sink: Sink): Sink {
  const silent = (r: Reply): boolean => r.kind === 'diagnosis' && (r.meta?.verdict === 'none' || r.meta?.verdict === undefined);
  return {
    post: (r) => (silent(r) ? undefined : sink.post(r)),
    update: (r) => (silent(r) ? undefined : sink.update(r)),
    accepts: (r) => !silent(r),
    ...(sink.address !== undefined && { address: sink.address }),
  };
}

/** A person's name as shown on a card line: no control characters, at most 80 characters. */
function who(actor: { name: string }): string {
  let name = '';
  for (const ch of actor.name.slice(0, 200)) name += ch.charCodeAt(0) < 32 || ch.charCodeAt(0) === 127 ? ' ' : ch;
  name = name.trim();
  return name ? (name.length > 80 ? `${name.slice(0, 79)}…` : name) : 'someone';
}

function isRunning(r: Reply): boolean {
  return r.blocks.some((b) => b.type === 'status' && b.state === 'running');
}

export interface TeamsChannelOptions {
  /** Override INVOKE_BUDGET_MS. */
  invokeBudgetMs?: number;
}

export class TeamsChannel implements Channel {
  readonly name = 'teams';
  readonly #config: EhloConfig;
  readonly #budget: number;
  #outbox: Outbox | undefined;
  #adapter: TeamsAdapter | undefined;
  #core: Conversation | undefined;
  #logger: Logger | undefined;
  #stopping = false;
  readonly #inFlight = new Set<Promise<unknown>>();
  /** Where each thread's replies go (learned from its activities), for sinkFor. */
  readonly #routes = new Map<string, Route>();
  /** Invokes already answered (a turn answers once). */
  readonly #answered = new WeakSet<TurnContext>();

  constructor(config: EhloConfig, options: TeamsChannelOptions = {}) {
    this.#config = config;
    this.#budget = options.invokeBudgetMs ?? INVOKE_BUDGET_MS;
    const t = config.teams;
    const production = process.env.NODE_ENV === 'production';
    if (t.dev && production) throw new Error('Teams development mode (EHLO_TEAMS_DEV) turns authentication off and is refused with NODE_ENV=production');
    if (!t.dev && !(t.appId && t.appPassword)) throw new Error('Teams needs TEAMS_APP_ID and TEAMS_APP_PASSWORD (or EHLO_TEAMS_DEV=1 for local tools)');
  }

  async start(host: ChannelHost): Promise<void> {
    if (!host.http) throw new Error('the Teams channel needs the HTTP server');
    const t = this.#config.teams;
    const auth: AuthConfiguration = t.appId
      ? { clientId: t.appId, clientSecret: t.appPassword, tenantId: t.tenantId, authority: t.authority, validateIssuer: true }
      : {};
    const policy = new ConnectorHostPolicy({ allowLoopback: t.dev });
    const adapter = new TeamsAdapter(auth, policy);
    adapter.onTurnError = async (_context, error) => {
      host.logger.error({ err: error }, 'Teams turn failed');
      host.metrics.error('teams', 'turn');
    };
    this.#core = host.core;
    this.#logger = host.logger.child({ channel: 'teams' });
    this.#outbox = new Outbox({ client: (url) => adapter.clientFor(url), logger: this.#logger, metrics: host.metrics, messages: host.messages });
    this.#adapter = adapter;
    host.http.app.post(
      '/api/messages',
      (_req: ExpressRequest, res: ExpressResponse, next: NextFunction) => {
        if (this.#stopping) return void res.status(503).type('text/plain').send('stopping\n');
        next();
      },
      express.json({ limit: MAX_BODY_BYTES }),
      (req: ExpressRequest, res: ExpressResponse, next: NextFunction) => {
        adapter.authorizeRequest(req as never, res as never, next).catch(next);
      },
      (req: ExpressRequest, res: ExpressResponse, next: NextFunction) => {
        const body = req.body as { type?: unknown } | undefined;
        if (!body || typeof body !== 'object' || Array.isArray(body) || typeof body.type !== 'string' || !body.type) return void res.status(400).type('text/plain').send('expected a JSON activity\n');
        adapter.process(req as never, res as never, (context) => this.#turn(context)).catch((err: unknown) => {
          // The SDK validates the activity with zod: a malformed one is the sender's error, not ours.
          if (err instanceof Error && err.name === 'ZodError') return next(Object.assign(err, { status: 400 }));
          next(err);
        });
      },
    );
    this.#logger.info({ auth: t.appId ? 'jwt' : 'anonymous (development mode)', tenant: t.tenantId ?? 'any' }, 'Teams endpoint mounted at POST /api/messages');
  }

  async stop(): Promise<void> {
    this.#stopping = true;
    while (this.#inFlight.size) await Promise.allSettled([...this.#inFlight]);
  }

  /**
   * Open the on-call thread: a new conversation in the Teams channel `where` (POST /v3/conversations)
   * whose first message is the packet card, with the on-call tags (or the channel) mentioned: the
   * mention entities are built here from configuration, never from text in the reply.
   */
  async openThread(where: string, first: Reply, origin?: string): Promise<{ thread: string; link?: string }> {
    const outbox = this.#outbox;
    const adapter = this.#adapter;
    if (!outbox || !adapter) throw new Error('the Teams channel is not started');
    const oncall = this.#config.escalation.teams;
    const originRoute = origin ? this.#routes.get(origin) : undefined;
    const tenant = this.#config.teams.tenantId ?? (origin?.split(':')[1] || undefined);
    const serviceUrl = oncall.serviceUrl ?? originRoute?.serviceUrl ?? [...this.#routes.values()].at(-1)?.serviceUrl;
    if (!serviceUrl || !tenant) throw new Error('no Teams service URL or tenant known yet for the on-call channel: set escalation.teams.serviceUrl');
    const names = oncall.mention.map((id, i) => ({ id, name: oncall.mentionNames[i] ?? (id === 'channel' ? 'on-call channel' : 'on-call') }));
    const entities = names.map((m) => ({ type: 'mention', text: `<at>${m.name}</at>`, mentioned: m.id === 'channel' ? { id: where, name: m.name, type: 'channel' } : { id: m.id, name: m.name, type: 'tag' } }));
    const card = outbox.render(first);
    const activity = Activity.fromObject({
      ...cardActivity(card, first.summary),
      channelId: 'msteams',
      ...(entities.length && { text: `${names.map((m) => `<at>${m.name}</at>`).join(' ')} ehlo escalation`, textFormat: 'xml', entities }),
    });
    const client = await adapter.clientFor(serviceUrl);
    const res = await client.createConversation({
      isGroup: true,
      channelData: { channel: { id: where }, tenant: { id: tenant }, ...(oncall.team && { team: { id: oncall.team } }) },
      activity,
      tenantId: tenant,
    } as never);
    const id = typeof res.id === 'string' ? res.id : '';
    if (!id || id.length > 400) throw new Error('Teams did not return the new conversation');
    const conversationId = id.includes(';messageid=') ? id : `${where};messageid=${res.activityId ?? ''}`;
    const thread = `teams:${tenant}:${conversationId}`;
    this.#remember({ thread, serviceUrl, conversationId });
    return { thread, link: await this.linkTo(thread) };
  }

  /** A deep link to a channel thread (https://teams.microsoft.com/l/message/…); none for chats. */
  async linkTo(thread: string): Promise<string | undefined> {
    const m = /^teams:([^:]{1,100}):(19:[^;]{1,300});messageid=(\d{1,30})$/.exec(thread);
    if (!m) return undefined;
    const [, tenant, channel, message] = m as unknown as [string, string, string, string];
    const group = this.#config.escalation.teams.groupId;
    return `https://teams.microsoft.com/l/message/${encodeURIComponent(channel)}/${message}?tenantId=${encodeURIComponent(tenant)}${group ? `&groupId=${group}` : ''}&parentMessageId=${message}`;
  }

  sinkFor(thread: string): Sink | undefined {
    const route = this.#routes.get(thread);
    if (!route || !this.#outbox) return undefined;
    return this.#outbox.sink({ ...route, replyToId: undefined });
  }

  /**
   * The sink an event had, from the route kept with its outbox rows, for a replica delivering them
   * (one that never saw the thread too). The connector client still refuses a serviceUrl that is not
   * a Bot Connector host.
   */
  sinkAt(thread: string, address: string | undefined): Sink | undefined {
    const route = decodeRoute(thread, address);
    if (!route || !this.#outbox) return this.sinkFor(thread);
    return this.#outbox.sink(route);
  }

  #track<T>(p: Promise<T>): Promise<T> {
    this.#inFlight.add(p);
    void p.finally(() => this.#inFlight.delete(p)).catch(() => undefined);
    return p;
  }

  #remember(route: Route): void {
    this.#routes.delete(route.thread);
    this.#routes.set(route.thread, { ...route, replyToId: undefined });
    while (this.#routes.size > 20_000) this.#routes.delete(this.#routes.keys().next().value as string);
  }

  async #turn(context: TurnContext): Promise<void> {
    const a = context.activity;
    const tenant = tenantOf(a);
    const single = this.#config.teams.tenantId;
    if (single && tenant !== single) {
      this.#logger?.warn({ tenant }, 'activity from another tenant ignored');
      if (a.type === 'invoke') await this.#answer(context, 403, undefined);
      return;
    }
    if (a.type === 'message') return this.#message(a, tenant);
    if (a.type === 'invoke') {
      // Every invoke is answered: Teams shows a missing answer (the SDK's 501) as "Unable to reach app".
      try {
        if (a.name === 'adaptiveCard/action') await this.#invoke(context, tenant);
      } catch (err) {
        this.#logger?.error({ err }, 'Teams card action failed');
        if (!this.#answered.has(context)) await this.#answer(context, 200, noticeCard('Something went wrong handling that; nothing else was changed. Try again, or type status in the thread.', 'danger'));
      }
      if (!this.#answered.has(context)) await this.#answer(context, 200, undefined);
    }
  }

  #base(a: Activity, tenant: string): { thread: string; route: Route } | undefined {
    // Real conversation ids are far shorter; a longer one is not Teams' and would not fit a thread key.
    const conversationId = str(a.conversation?.id, 1000);
    const serviceUrl = str(a.serviceUrl, 1000);
    if (!conversationId || !serviceUrl || conversationId.length > 400) return undefined;
    const thread = `teams:${tenant}:${conversationId}`;
    return { thread, route: { thread, serviceUrl, conversationId } };
  }

  #message(a: Activity, tenant: string): void {
    const base = this.#base(a, tenant);
    if (!base || !this.#core || !this.#outbox) return;
    const mentions = mentionsOf(a);
    const type = (a.conversation?.conversationType ?? 'personal') as ConversationType;
    const addressed = type !== 'channel' || mentions.bot;
    const text = messageText(a, { dropMentions: mentions.names });
    if (!text.trim() && !addressed) return;
    // In a channel, people talk to each other: "done" or "stop" said to a colleague must not move a
    // walkthrough. Commands there need an @mention (a paste, or the answer to a question, does not).
    if (!addressed) {
      const command = parseCommand(text);
      if (command && command.name !== 'match') return;
    }
    const route: Route = { ...base.route, replyToId: str(a.id, 500) };
    this.#remember(route);
    this.#outbox.seen(base.thread, str(a.from?.id, 200));
    const id = str(a.id, 500);
    // A channel post opens its own thread: the conversation id names the post itself as the root.
    const starts = id !== undefined && base.route.conversationId.endsWith(`;messageid=${id}`);
    const event: ConversationEvent = { type: 'message', text: text.trim() ? text : 'help', thread: base.thread, actor: actorOf(a.from), id, ...(!addressed && { ambient: true }), ...(starts && { starts }) };
    const sink = this.#outbox.sink(route);
    this.#logger?.debug({ thread: base.thread, actor: event.actor.id, addressed, chars: text.length }, 'Teams message');
    void this.#track(this.#core.handle(event, addressed ? sink : quiet(sink)));
  }

  async #answer(context: TurnContext, status: number, card: AdaptiveCard | undefined): Promise<void> {
    this.#answered.add(context);
    const body = card ? { statusCode: 200, type: CARD_CONTENT_TYPE, value: card } : undefined;
    await context.sendActivity(Activity.fromObject({ type: 'invokeResponse', value: { status, body } }));
  }

  async #invoke(context: TurnContext, tenant: string): Promise<void> {
    const a = context.activity;
    const outbox = this.#outbox as Outbox;
    const base = this.#base(a, tenant);
    const action = (a.value as { action?: { type?: unknown; verb?: unknown; data?: unknown } } | undefined)?.action;
    const data = (action?.data && typeof action.data === 'object' ? action.data : {}) as Record<string, unknown>;
    const ours = (data.ehlo && typeof data.ehlo === 'object' ? data.ehlo : {}) as Partial<Record<keyof ActionData, unknown>>;
    const verb = str(action?.verb, 40);
    const pressed = str(a.replyToId, 500);
    const replyId = str(ours.r, 120) ?? (pressed ? outbox.replyIn(pressed) : undefined);
    const inputs: Record<string, string> = {};
    for (const [k, v] of Object.entries(data).slice(0, 20)) if (k !== 'ehlo' && typeof v === 'string') inputs[k.slice(0, 60)] = v.slice(0, 2000);
    const current = replyId ? outbox.currentCard(replyId) : undefined;
    const actor = actorOf(a.from);
    if (!base || !this.#core) return this.#answer(context, 200, noticeCard('ehlo could not read this action.', 'warning'));
    this.#remember(base.route);
    outbox.seen(base.thread, str(a.from?.id, 200));
    this.#logger?.info({ thread: base.thread, verb, actor: actor.id, name: actor.name }, 'Teams card action');

    let event: ConversationEvent | undefined;
    let label = 'a button';
    if (verb === VERBS.press && typeof ours.v === 'string') {
      event = { type: 'press', value: ours.v.slice(0, 2000), thread: base.thread, actor, id: str(a.id, 500), ...(Object.keys(inputs).length ? { inputs } : {}) };
      const b = current ? buttonsOf(current.reply).find((x) => x.id === ours.b) : undefined;
      if (b) label = b.label;
    } else if (verb === VERBS.answer) {
      const text = (inputs[ANSWER_INPUT] ?? '').trim();
      if (!text) {
        const card = current ? outbox.render(current.reply, { banner: { state: 'warn', text: 'Type an answer first, then Send.' } }) : noticeCard('Type an answer first.', 'warning');
        return this.#answer(context, 200, card);
      }
      event = { type: 'message', text, thread: base.thread, actor, id: str(a.id, 500) };
      label = 'Send';
    } else if (verb === VERBS.refresh) {
      return this.#answer(context, 200, current?.card ?? noticeCard('This card is from an earlier run of ehlo. Type status in the thread to see where the walkthrough stands.'));
    } else {
      return this.#answer(context, 200, noticeCard('ehlo does not know this action (the card may come from an older version); nothing was done.', 'warning'));
    }

    // Answer as soon as the core is done, or a probe started ("running…"), or the budget ran out.
    let started!: () => void;
    const runningSeen = new Promise<void>((resolve) => (started = resolve));
    const inner = outbox.sink(base.route);
    // A step card from before a restart (or another replica): the next step replaces it in place.
    let orphan = !current && pressed && ours.k === 'step' ? pressed : undefined;
    let adopted: string | undefined;
    /** A reply for the presser only (a permission refusal): it is the invoke's answer, never posted in the thread. */
    let personal: Reply | undefined;
    const sink: Sink = {
      post: async (r) => {
        if (r.audience) {
          personal = r;
          return;
        }
        if (isRunning(r)) started();
        if (orphan && r.kind === 'step') {
          const into = orphan;
          orphan = undefined;
          adopted = r.id;
          await outbox.adopt(into, base.route, r);
          return;
        }
        await inner.post(r);
      },
      update: async (r) => {
        if (isRunning(r)) started();
        await inner.update(r);
      },
      ...(inner.address !== undefined && { address: inner.address }),
    };
    const handled = this.#track(this.#core.handle(event, sink));
    let timer: NodeJS.Timeout | undefined;
    const finished = await Promise.race([
      handled.then(() => true as const),
      runningSeen.then(() => false as const),
      new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), this.#budget))),
    ]);
    clearTimeout(timer);
    if (personal) return this.#answer(context, 200, noticeCard(personal.summary, 'warning'));
    const nowId = replyId && outbox.currentCard(replyId) ? replyId : adopted;
    const now = nowId ? outbox.currentCard(nowId) : undefined;
    if (finished) return this.#answer(context, 200, now?.card ?? noticeCard(`${who(actor)}: done — see the thread.`, 'success'));
    const interim = now
      ? outbox.render(now.reply, { banner: { state: 'running', text: `${who(actor)} pressed “${label}” — working on it…` } })
      : noticeCard(`${who(actor)} pressed “${label}” — working on it…`);
    await this.#answer(context, 200, interim);
    // When the work ends, show the message's current card again (if nothing replaced it meanwhile).
    if (now) {
      void this.#track(
        handled.then(async () => {
          const after = outbox.currentCard(nowId as string);
          if (after && after.card === now.card) await outbox.restore(now.activityId);
        }).catch((err: unknown) => this.#logger?.warn({ err }, 'could not restore the card after a long action')),
      );
    }
  }
}

export async function createTeamsChannel(config: EhloConfig, options: TeamsChannelOptions = {}): Promise<Channel> {
  return new TeamsChannel(config, options);
}

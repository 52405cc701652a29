// The Slack channel (Bolt 5): Events API messages and mentions, the /ehlo slash command and button
// presses in; the core's replies out as Block Kit in the message's thread. Over HTTP (POST
// /slack/events on ehlo's one server, signed requests) with a signing secret, or over Socket Mode
// with an app-level token.
//
// Which messages are answered:
// - a message that mentions @ehlo, or a direct message: always (a `none` diagnosis says so);
// - a message in a thread ehlo has posted in: read in that thread's context (an answer to ehlo's
//   question, a command, a new paste); only a `none` diagnosis stays silent;
// - any other message: read as a paste only, answered only when it is a diagnosis;
// - edits, deletions, joins, bot messages and ehlo's own: never.
// Events API events are acknowledged once durable: committed with their replies (the reply outbox),
// dropped as a redelivery, or failed (SlackHttpReceiver answers Slack, SlackSocketReceiver acks the
// envelope, when the listener returns, at the latest after 2.5 s); commands and presses ack as their first step (Slack does not redeliver
// those). The core drops a redelivered event_id.
import { App, type AllMiddlewareArgs, type BlockAction, type ButtonAction, type SlackActionMiddlewareArgs, type SlackCommandMiddlewareArgs, type SlackEventMiddlewareArgs } from '@slack/bolt';
import { WebClient } from '@slack/web-api';
import type { EhloConfig } from '../../config.ts';
import { COMMAND_NAMES, type CommandName, type ConversationEvent } from '../../conversation/events.ts';
import { safeLine } from '../../text/neutralise.ts';
import { reply, type Reply, type Sink } from '../../conversation/reply.ts';
import type { Channel, ChannelHost } from '../channel.ts';
import { boltLogger } from './bolt-logger.ts';
import { FileReader, type SlackFile } from './files.ts';
import { MAX_TEXT, messageText, normaliseSlackText } from './normalise.ts';
import { SlackHttpReceiver } from './receiver.ts';
import { SlackSocketReceiver } from './socket-receiver.ts';
import { kindOfBlockId, renderReply } from './render.ts';
import { decodeSinkOptions, placeOf, Poster, threadKey, TurnSink, type Place } from './sink.ts';
import { UserNames } from './users.ts';

/** Message subtypes that carry something a person wrote (others: edits, joins, bots, deletions…). */
const READ_SUBTYPES: ReadonlySet<string> = new Set(['file_share', 'thread_broadcast']);
/** /ehlo verbs. */
const VERBS = ['match', 'probe', 'playbooks', 'start', 'status', 'escalate', 'timeline', 'help'] as const;
/** How long the user groups a person belongs to are remembered (permission rules naming groups). */
const GROUPS_TTL_MS = 60_000;
/** Events in hand at once before the HTTP receiver answers 503 (Slack delivers them again later). */
const MAX_IN_HAND = 2000;
type Verb = (typeof VERBS)[number];

export interface SlackChannelOptions {
  /** Base backoff when Slack does not answer (tests make it short). */
  retryBackoffMs?: number;
}

interface MessageEventLike {
  type: string;
  subtype?: string;
  user?: string;
  bot_id?: string;
  text?: string;
  blocks?: unknown;
  files?: SlackFile[];
  ts: string;
  thread_ts?: string;
  parent_user_id?: string;
  channel: string;
  channel_type?: string;
  team?: string;
}

function verbOf(word: string): Verb | undefined {
  const w = word.toLowerCase();
  return (VERBS as readonly string[]).includes(w) ? (w as Verb) : undefined;
}

export class SlackChannel implements Channel {
  readonly name = 'slack';
  readonly #config: EhloConfig['slack'];
  readonly #oncall: EhloConfig['escalation']['slack'];
  #groups: { at: number; byUser: Map<string, string[]> } | undefined;
  readonly #options: SlackChannelOptions;
  #host: ChannelHost | undefined;
  #app: App | undefined;
  #poster: Poster | undefined;
  #files: FileReader | undefined;
  #users: UserNames | undefined;
  #botUserId: string | undefined;
  #botId: string | undefined;
  #teamId: string | undefined;
  #http: SlackHttpReceiver | undefined;
  readonly #work = new Set<Promise<void>>();
  #stopped = false;

  constructor(config: EhloConfig, options: SlackChannelOptions = {}) {
    if (!config.slack.botToken) throw new Error('Slack needs SLACK_BOT_TOKEN');
    if (!config.slack.signingSecret && !config.slack.appToken) throw new Error('Slack needs SLACK_SIGNING_SECRET (HTTP) or SLACK_APP_TOKEN (Socket Mode)');
    this.#config = config.slack;
    this.#oncall = config.escalation.slack;
    this.#options = options;
  }

  /** Socket Mode when there is an app-level token and no signing secret. */
  get socketMode(): boolean {
    return !this.#config.signingSecret && Boolean(this.#config.appToken);
  }

  async start(host: ChannelHost): Promise<void> {
    this.#host = host;
    const logger = host.logger.child({ channel: 'slack' });
    const token = this.#config.botToken as string;
    const clientOptions = {
      slackApiUrl: this.#config.apiUrl,
      // One quick retry here (a 429 waits for Retry-After first); longer outages are the Poster's.
      retryConfig: { retries: 1, factor: 1, minTimeout: 100, maxTimeout: 500, randomize: false },
      timeout: 15_000,
    };
    let receiver;
    if (this.socketMode) {
      receiver = new SlackSocketReceiver({ appToken: this.#config.appToken as string, logger, clientOptions });
    } else {
      if (!host.http) throw new Error('the Slack HTTP receiver needs the HTTP server');
      const http = new SlackHttpReceiver({ signingSecret: this.#config.signingSecret as string, logger, metrics: host.metrics, busy: () => this.#work.size >= MAX_IN_HAND });
      host.http.app.post('/slack/events', http.handle);
      this.#http = http;
      receiver = http;
    }
    // auth.test once: who ehlo is, to recognise its own messages and mentions (Bolt is told, so it does not ask again).
    const auth = (await new WebClient(token, { ...clientOptions, logger: boltLogger(logger) }).auth.test()) as { user_id?: string; bot_id?: string; team_id?: string };
    this.#botUserId = auth.user_id;
    this.#botId = auth.bot_id;
    this.#teamId = auth.team_id;
    const app = new App({
      token,
      ...(auth.bot_id && { botId: auth.bot_id }),
      ...(auth.user_id && { botUserId: auth.user_id }),
      receiver,
      logger: boltLogger(logger),
      clientOptions,
      convoStore: false,
      ignoreSelf: true,
      tokenVerificationEnabled: false,
      deferInitialization: true,
      ...(this.socketMode && { socketMode: true, appToken: this.#config.appToken }),
    });
    await app.init();
    this.#poster = new Poster({ client: app.client, logger, metrics: host.metrics, backoffMs: this.#options.retryBackoffMs, messages: host.messages });
    this.#files = new FileReader({ client: app.client, token, apiUrl: this.#config.apiUrl, logger });
    this.#users = new UserNames(app.client, logger);
    this.#listen(app);
    app.error(async (err) => {
      logger.error({ err: err.message }, 'Slack listener failed');
      host.metrics.error('slack', 'listener');
    });
    this.#app = app;
    await app.start();
    logger.info({ mode: this.socketMode ? 'socket' : 'http', bot: this.#botUserId, team: this.#teamId }, 'Slack channel started');
  }

  async stop(): Promise<void> {
    if (this.#stopped) return;
    this.#stopped = true;
    await this.#app?.stop().catch(() => undefined);
    await this.#http?.idle();
    while (this.#work.size) await Promise.all([...this.#work]);
    await this.#poster?.stop();
  }

  sinkFor(thread: string): Sink | undefined {
    return this.sinkAt(thread, undefined);
  }

  /** The sink an event had (its options kept with its outbox rows), for a replica delivering them. */
  sinkAt(thread: string, address: string | undefined): Sink | undefined {
    const place = placeOf(thread);
    if (!place || !this.#poster) return undefined;
    return new TurnSink(this.#poster, place, decodeSinkOptions(address));
  }

  /** The on-call mentions, built from configuration only: user groups, users, @here / @channel. */
  #mentions(): string {
    return this.#oncall.mention.map((m) => (m === 'here' || m === 'channel' ? `<!${m}>` : m.startsWith('S') ? `<!subteam^${m}>` : `<@${m}>`)).join(' ');
  }

  async openThread(where: string, first: Reply): Promise<{ thread: string; link?: string }> {
    const poster = this.#poster;
    if (!poster) throw new Error('the Slack channel is not started');
    const team = this.#team(undefined);
    let ts: string | undefined;
    try {
      ts = await poster.anchor({ team, channel: where }, first, this.#mentions() || undefined);
    } catch (err) {
      const code = (err as { data?: { error?: string } }).data?.error;
      throw new Error(code === 'not_in_channel' || code === 'channel_not_found' ? `Slack says ${code}: invite @ehlo to the on-call channel ${where}` : `Slack did not post in ${where}: ${code ?? (err instanceof Error ? err.message : String(err))}`, { cause: err });
    }
    if (!ts) throw new Error(`Slack did not return the new message in ${where}`);
    const thread = threadKey({ team, channel: where, threadTs: ts });
    poster.known.set(thread, true);
    return { thread, link: await this.linkTo(thread) };
  }

  async linkTo(thread: string): Promise<string | undefined> {
    const place = placeOf(thread);
    if (!place || !this.#app) return undefined;
    try {
      const res = (await this.#app.client.chat.getPermalink({ channel: place.channel, message_ts: place.threadTs })) as { permalink?: string };
      return typeof res.permalink === 'string' && /^https:\/\/[^\s<>|]{1,500}$/.test(res.permalink) ? res.permalink : undefined;
    } catch (err) {
      this.#host?.logger.warn({ error: (err as { data?: { error?: string } }).data?.error ?? String(err) }, 'Slack gave no permalink');
      return undefined;
    }
  }

  /** The user groups a person is in (usergroups.list with users, remembered for a minute). */
  async groupsOf(userId: string): Promise<string[]> {
    if (!this.#app) return [];
    const now = Date.now();
    if (!this.#groups || now - this.#groups.at > GROUPS_TTL_MS) {
      const res = (await this.#app.client.usergroups.list({ include_users: true })) as { usergroups?: Array<{ id?: string; users?: string[] }> };
      const byUser = new Map<string, string[]>();
      for (const g of (res.usergroups ?? []).slice(0, 5000)) for (const u of (g.users ?? []).slice(0, 10_000)) if (g.id) byUser.set(u, [...(byUser.get(u) ?? []), g.id]);
      this.#groups = { at: now, byUser };
    }
    return this.#groups.byUser.get(userId) ?? [];
  }

  /** Wait for what the listeners started (tests, shutdown). */
  async idle(): Promise<void> {
    await this.#http?.idle();
    while (this.#work.size) await Promise.all([...this.#work]);
    await this.#poster?.drain();
  }

  /** Run work after the ack, tracked for stop(); never throws. */
  #track(work: () => Promise<void>): void {
    const logger = this.#host?.logger;
    const p = work().catch((err: unknown) => {
      logger?.error({ err }, 'Slack event handling failed');
      this.#host?.metrics.error('slack', 'handle');
    });
    this.#work.add(p);
    void p.finally(() => this.#work.delete(p));
  }

  async #handle(event: ConversationEvent, sink: TurnSink, durable?: () => void): Promise<void> {
    const host = this.#host as ChannelHost;
    try {
      await host.core.handle(event, sink, durable && { durable });
    } finally {
      sink.finish();
    }
  }

  /**
   * An Events API event: handled after the listener returns, which Bolt awaits before the receiver
   * answers Slack (SlackHttpReceiver and SlackSocketReceiver hold the ack of event callbacks until
   * then): the listener
   * waits until the event is durable (committed with its replies, or dropped, or failed), at most
   * until the receiver's own deadline. So a replica that dies before its commit never acknowledged
   * the event, and Slack delivers it again.
   */
  async #event(work: (durable: () => void) => Promise<void>): Promise<void> {
    let durable!: () => void;
    const committed = new Promise<void>((resolve) => (durable = resolve));
    this.#track(() => work(durable).finally(durable));
    await committed;
  }

  #listen(app: App): void {
    app.event('message', async (args: SlackEventMiddlewareArgs<'message'> & AllMiddlewareArgs) => {
      const body = args.body as { event_id?: string; team_id?: string };
      await this.#event((durable) => this.#onMessage(args.event as unknown as MessageEventLike, body.event_id, body.team_id, false, durable));
    });
    app.event('app_mention', async (args: SlackEventMiddlewareArgs<'app_mention'> & AllMiddlewareArgs) => {
      const body = args.body as { event_id?: string; team_id?: string };
      await this.#event((durable) => this.#onMessage(args.event as unknown as MessageEventLike, body.event_id, body.team_id, true, durable));
    });
    app.command(/^\/ehlo/, async (args: SlackCommandMiddlewareArgs & AllMiddlewareArgs) => {
      await args.ack();
      this.#track(() => this.#onCommand(args.command as unknown as SlashCommand));
    });
    app.action<BlockAction<ButtonAction>>(/^ehlo:/, async (args: SlackActionMiddlewareArgs<BlockAction<ButtonAction>> & AllMiddlewareArgs) => {
      await args.ack();
      this.#track(() => this.#onPress(args.body, args.action));
    });
  }

  /**
   * The team part of thread keys: the workspace ehlo is installed in (auth.test), so a message, a
   * press and a command in one channel make the same key even in a shared (Slack Connect) channel,
   * where payloads name different teams. Channel ids are unique across Slack.
   */
  #team(fromPayload: string | undefined): string {
    return this.#teamId ?? fromPayload ?? 'T';
  }

  async #onMessage(e: MessageEventLike, eventId: string | undefined, teamId: string | undefined, mention: boolean, durable?: () => void): Promise<void> {
    if (e.subtype && !READ_SUBTYPES.has(e.subtype)) return;
    if (!e.user || e.bot_id || e.user === this.#botUserId || (this.#botId && e.bot_id === this.#botId)) return;
    const rawText = typeof e.text === 'string' ? e.text : '';
    const dm = e.channel_type === 'im';
    // A message that mentions ehlo also arrives as app_mention: answer that one only.
    if (!mention && !dm && this.#botUserId && rawText.includes(`<@${this.#botUserId}`)) return;
    const place: Place = { team: this.#team(teamId ?? e.team), channel: e.channel, threadTs: e.thread_ts ?? e.ts };
    const thread = threadKey(place);
    const poster = this.#poster as Poster;
    // A thread ehlo posted in (remembered here, or with state in the store after a restart or on
    // another replica), or one under ehlo's own message (a /ehlo command's).
    const known =
      poster.known.has(thread) ||
      (e.parent_user_id !== undefined && e.parent_user_id === this.#botUserId) ||
      (e.thread_ts !== undefined && e.thread_ts !== e.ts && (await (this.#host as ChannelHost).core.knowsThread(thread)));
    let text = messageText(e, this.#botUserId);
    if (e.files?.length) {
      const parts = await (this.#files as FileReader).read(e.files);
      if (parts.length) text = [text, ...parts].filter((t) => t.trim()).join('\n\n');
    }
    if (text.length > MAX_TEXT) text = text.slice(0, MAX_TEXT);
    const actor = { id: e.user, name: await (this.#users as UserNames).name(e.user) };
    // A message outside any thread opens its own (its ts is the thread's).
    const base = { thread, actor, ...(eventId && { id: eventId }), ...(e.thread_ts === undefined && { starts: true }) };
    const addressed = mention || dm;
    if (!text.trim()) {
      if (addressed) await this.#handle({ ...base, type: 'command', name: 'help', args: '' }, new TurnSink(poster, place), durable);
      return;
    }
    if (addressed) return this.#handle({ ...base, type: 'message', text }, new TurnSink(poster, place, { mode: 'addressed' }), durable);
    if (known) return this.#handle({ ...base, type: 'message', text }, new TurnSink(poster, place, { mode: 'known' }), durable);
    // Not addressed and not a thread of ours: a paste that matches, or nothing (the core changes nothing
    // for chatter). Commands typed here stay unread.
    return this.#handle({ ...base, type: 'message', text, ambient: true }, new TurnSink(poster, place, { mode: 'ambient' }), durable);
  }

  async #onCommand(c: SlashCommand): Promise<void> {
    const poster = this.#poster as Poster;
    const text = normaliseSlackText(c.text ?? '').trim();
    const space = text.search(/\s/);
    const word = space < 0 ? text : text.slice(0, space);
    const args = space < 0 ? '' : text.slice(space + 1).trim();
    const verb = verbOf(word);
    const actor = { id: c.user_id, name: await (this.#users as UserNames).name(c.user_id, c.user_name) };
    const team = this.#team(c.team_id);
    const id = c.trigger_id ? `cmd:${c.trigger_id}` : undefined;
    if (!verb || verb === 'help') {
      const intro = verb ? undefined : text ? `I do not know “${safeLine(word, 40)}”.` : undefined;
      return this.#ephemeralHelp(c, team, actor, intro);
    }
    if (verb === 'status' || verb === 'escalate' || verb === 'timeline') {
      const thread = poster.lastWalkthrough.get(`${team}:${c.channel_id}`);
      const place = thread ? placeOf(thread) : undefined;
      if (!thread || !place) {
        return this.#respond(c.response_url, reply('', 'No walkthrough here yet', [{ type: 'text', text: `I know of no walkthrough in this channel yet. Paste an error (or /ehlo match <error>), start its playbook, then use /ehlo ${verb} or type ${verb} in its thread.` }]));
      }
      return this.#handle({ thread, actor, ...(id && { id }), type: 'command', name: verb, args }, new TurnSink(poster, place));
    }
    // match, probe, playbooks, start: a message in the channel that the answers thread under.
    const what = verb === 'match' ? `a paste of ${args.length.toLocaleString('en')} characters` : `${verb}${args ? ` ${safeLine(args, 120)}` : ''}`;
    let ts: string | undefined;
    try {
      ts = await poster.anchor({ team, channel: c.channel_id }, reply('', `${actor.name} ran /ehlo ${verb}`, [{ type: 'text', text: `${safeLine(actor.name, 80)} asked ehlo: ${verb === 'match' ? `match ${what}` : what}` }]));
    } catch (err) {
      const code = (err as { data?: { error?: string } }).data?.error;
      this.#host?.logger.warn({ error: code ?? String(err) }, 'could not post in the channel for a slash command');
      const hint = code === 'not_in_channel' || code === 'channel_not_found' ? 'Invite me to this channel first (/invite @ehlo), then try again.' : 'Slack did not let me post here just now; try again in a moment.';
      return this.#respond(c.response_url, reply('', hint, [{ type: 'text', text: hint, tone: 'warning' }]));
    }
    if (!ts) return;
    const place: Place = { team, channel: c.channel_id, threadTs: ts };
    const name: CommandName = verb;
    if (!(COMMAND_NAMES as readonly string[]).includes(name)) return;
    return this.#handle({ thread: threadKey(place), actor, ...(id && { id }), type: 'command', name, args }, new TurnSink(poster, place));
  }

  async #ephemeralHelp(c: SlashCommand, team: string, actor: { id: string; name: string }, intro: string | undefined): Promise<void> {
    const captured: Reply[] = [];
    const capture: Sink = { post: (r) => void captured.push(r), update: () => undefined };
    const core = (this.#host as ChannelHost).core;
    await core.handle({ thread: threadKey({ team, channel: c.channel_id, threadTs: `help-${actor.id}` }), actor, type: 'command', name: 'help', args: '' }, capture);
    const help = captured[0];
    if (!help) return;
    if (intro) help.blocks.unshift({ type: 'text', text: `${intro} Here is what I understand:`, tone: 'warning' });
    return this.#respond(c.response_url, help);
  }

  /** An ephemeral answer to a slash command, through its response_url. */
  async #respond(url: string | undefined, r: Reply): Promise<void> {
    if (!url) return;
    const rendered = renderReply(r);
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ response_type: 'ephemeral', replace_original: false, text: rendered.text, blocks: rendered.blocks }),
      redirect: 'error',
      signal: AbortSignal.timeout(10_000),
    });
    await res.body?.cancel();
    this.#host?.metrics.reply('slack', 'post', res.ok ? 'ok' : `response_url_${res.status}`);
  }

  async #onPress(body: BlockAction<ButtonAction>, action: ButtonAction): Promise<void> {
    const poster = this.#poster as Poster;
    const b = body as unknown as PressBody;
    const channel = b.channel?.id ?? b.container?.channel_id;
    const messageTs = b.container?.message_ts ?? b.message?.ts;
    if (!channel || !messageTs || typeof action.value !== 'string') return;
    const team = this.#team(b.team?.id ?? b.user.team_id);
    const threadTs = b.container?.thread_ts ?? b.message?.thread_ts ?? messageTs;
    const place: Place = { team, channel, threadTs };
    const actor = { id: b.user.id, name: await (this.#users as UserNames).name(b.user.id, b.user.name ?? b.user.username) };
    const id = b.trigger_id ? `press:${b.trigger_id}` : action.action_ts ? `press:${b.user.id}:${action.action_ts}` : undefined;
    const sink = new TurnSink(poster, place, {
      press: { ts: messageTs, kind: b.container?.is_ephemeral ? undefined : kindOfBlockId(action.block_id), user: actor, at: new Date() },
    });
    await this.#handle({ thread: threadKey(place), actor, ...(id && { id }), type: 'press', value: action.value }, sink);
  }
}

interface SlashCommand {
  text?: string;
  user_id: string;
  user_name?: string;
  team_id?: string;
  channel_id: string;
  trigger_id?: string;
  response_url?: string;
}

interface PressBody {
  trigger_id?: string;
  user: { id: string; name?: string; username?: string; team_id?: string };
  team?: { id?: string } | null;
  channel?: { id?: string };
  container?: { type?: string; message_ts?: string; channel_id?: string; thread_ts?: string; is_ephemeral?: boolean };
  message?: { ts?: string; thread_ts?: string };
}

export function createSlackChannel(config: EhloConfig, options?: SlackChannelOptions): Channel {
  return new SlackChannel(config, options);
}

// Where an escalation goes: for the platform of the thread that escalates, the on-call channel from
// configuration, opened by that platform's channel (Channel.openThread: the adapter posts the packet
// as a new thread and builds the mentions from its own configuration, never from pasted text), and
// the pagers. The runtime attaches each channel once it is started.
import type { Channel } from '../channels/channel.ts';
import type { Reply, Sink } from '../conversation/reply.ts';
import type { EscalationConfig } from './config.ts';
import { Pagers, type PagersOptions, type PagerTransport } from './pager.ts';
import { PagerDuty } from './pagerduty.ts';
import { SignedWebhook } from './webhook.ts';

export interface OpenedThread {
  thread: string;
  /** A link people can follow to the thread (Slack permalink, Teams deep link). */
  link?: string;
}

export interface OnCallTarget {
  platform: string;
  where: string;
  /** "Slack channel C0ONCALL, mentioning S0MAIL" */
  describe: string;
}

function platformOf(thread: string): string {
  const i = thread.indexOf(':');
  return i > 0 ? thread.slice(0, i) : 'unknown';
}

export function pagersFrom(config: EscalationConfig, options: PagersOptions = {}): Pagers {
  const p = config.paging;
  const transports: PagerTransport[] = [];
  if (p.pagerduty.routingKey) transports.push(new PagerDuty({ ...p.pagerduty, routingKey: p.pagerduty.routingKey }));
  if (p.webhook.url && p.webhook.secret) transports.push(new SignedWebhook({ ...p.webhook, url: p.webhook.url, secret: p.webhook.secret }));
  return new Pagers(p, transports, options);
}

export class OnCall {
  readonly config: EscalationConfig;
  readonly pagers: Pagers;
  readonly #channels = new Map<string, Channel>();
  readonly #chains = new Map<string, Promise<void>>();

  constructor(config: EscalationConfig, pagers: Pagers = pagersFrom(config)) {
    this.config = config;
    this.pagers = pagers;
  }

  attach(channel: Channel): void {
    this.#channels.set(channel.name, channel);
  }

  targetFor(origin: string): OnCallTarget | undefined {
    const platform = platformOf(origin);
    const channel = this.#channels.get(platform);
    if (!channel?.openThread) return undefined;
    if (platform === 'slack' && this.config.slack.channel) {
      const m = this.config.slack.mention;
      return { platform, where: this.config.slack.channel, describe: `Slack channel ${this.config.slack.channel}${m.length ? `, mentioning ${m.join(', ')}` : ''}` };
    }
    if (platform === 'teams' && this.config.teams.channel) {
      const names = this.config.teams.mentionNames.length ? this.config.teams.mentionNames : this.config.teams.mention;
      return { platform, where: this.config.teams.channel, describe: `the Teams on-call channel${names.length ? `, mentioning ${names.join(', ')}` : ''}` };
    }
    return undefined;
  }

  /** Who will be paged, in words, for the confirmation. */
  whoIsPaged(origin: string): string[] {
    const target = this.targetFor(origin);
    return [...(target ? [target.describe] : []), ...this.pagers.describe()];
  }

  async open(target: OnCallTarget, first: Reply, origin?: string): Promise<OpenedThread> {
    const channel = this.#channels.get(target.platform);
    if (!channel?.openThread) throw new Error(`the ${target.platform} channel cannot open threads`);
    return channel.openThread(target.where, first, origin);
  }

  async linkTo(thread: string): Promise<string | undefined> {
    const channel = this.#channels.get(platformOf(thread));
    try {
      return await channel?.linkTo?.(thread);
    } catch {
      return undefined;
    }
  }

  /** Run work after the work queued before under the same key (the pages of one escalation go out in order). */
  serial(key: string, work: () => Promise<void>): Promise<void> {
    const tail = (this.#chains.get(key) ?? Promise.resolve()).then(work, work);
    const settled = tail.catch(() => undefined);
    this.#chains.set(key, settled);
    void settled.then(() => {
      if (this.#chains.get(key) === settled) this.#chains.delete(key);
    });
    return tail;
  }

  /** The groups a person belongs to on the thread's platform (for permission rules naming groups). */
  async groupsOf(thread: string, actorId: string): Promise<string[]> {
    return (await this.#channels.get(platformOf(thread))?.groupsOf?.(actorId)) ?? [];
  }

  sinkFor(thread: string): Sink | undefined {
    return this.#channels.get(platformOf(thread))?.sinkFor(thread);
  }
}

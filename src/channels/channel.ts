// The contract every channel implements (the console, Slack, Teams): it is started with the host's
// parts (the conversation core, the shared HTTP server, logs, metrics), turns its platform's events
// into ConversationEvents for core.handle, and renders the replies the core sends to its Sink.
// A channel knows its platform and nothing of Exchange; the core knows Exchange and no platform.
//
// To add a channel: implement Channel in src/channels/<name>/, give it a thread-key prefix
// ("<name>:…"), and register it in src/channels/registry.ts. The console (console/channel.ts) is the
// smallest complete example.
import type { Logger } from 'pino';
import type { EhloConfig } from '../config.ts';
import type { Conversation } from '../conversation/core.ts';
import type { Reply, Sink } from '../conversation/reply.ts';
import type { HttpHost } from '../server/http.ts';
import type { Metrics } from '../server/metrics.ts';

export interface ChannelHost {
  core: Conversation;
  config: EhloConfig;
  logger: Logger;
  metrics: Metrics;
  /** The shared HTTP server (one per process, on PORT) where network channels mount their endpoints; absent for the console alone. */
  http?: HttpHost;
  /** Which platform message shows each reply, kept in the store for every replica (absent: in memory only). */
  messages?: MessageIds;
}

/** Reply id → the platform message showing it (Slack ts, Teams activity id), shared by replicas. */
export interface MessageIds {
  /** Record it (in the background; a failure is logged). */
  remember(replyId: string, thread: string, messageId: string): void;
  lookup(replyId: string): Promise<string | undefined>;
}

export interface Channel {
  /** "console", "slack", "teams": the first part of every thread key this channel makes. */
  readonly name: string;
  /** Begin taking events (mount endpoints, open sockets). Resolves once the channel is running. */
  start(host: ChannelHost): Promise<void>;
  /** Stop taking events and finish what is in flight. Safe to call twice. */
  stop(): Promise<void>;
  /**
   * A Sink that posts to (and updates replies in) one of this channel's threads, for replies that no
   * event of that thread is waiting for (a result finished elsewhere, an escalation thread).
   * Undefined when the thread key is not this channel's or it cannot post there.
   */
  sinkFor(thread: string): Sink | undefined;
  /** The sink an event had, rebuilt from its Sink.address (outbox rows another process committed); default sinkFor. */
  sinkAt?(thread: string, address: string | undefined): Sink | undefined;
  /**
   * Open a new thread in one of this platform's channels (`where`: a Slack channel id, a Teams channel
   * id, from configuration) with `first` as its first message, mentioning the on-call people this
   * channel's configuration names (built here, never from text in the reply). Resolves with the new
   * thread's key and a link to it. Absent when the channel cannot open threads (the console).
   */
  openThread?(where: string, first: Reply, origin?: string): Promise<{ thread: string; link?: string }>;
  /** A link people can follow to the thread (Slack permalink, Teams deep link), when there is one. */
  linkTo?(thread: string): Promise<string | undefined>;
  /** The groups (Slack user group ids, Teams AAD group ids) a person belongs to, for permission rules. */
  groupsOf?(userId: string): Promise<string[]>;
  /** Resolves when the channel ended by itself (the console's person quit); absent for servers. */
  readonly ended?: Promise<void>;
}

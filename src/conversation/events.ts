// What comes into the conversation core from any channel: a message (a paste or typed text), a command
// (a slash command or an already parsed one), a button press carrying its opaque payload, or "open"
// (a channel attached to the thread, e.g. the console starting: resume what is open there).
import type { Actor } from '../walkthrough/session.ts';

export type { Actor };

export const COMMAND_NAMES = [
  'match', 'probe', 'playbooks', 'start', 'status', 'next', 'done', 'skip', 'failed', 'back', 'confirm', 'check',
  'note', 'set', 'cancel', 'escalate', 'stop', 'help', 'timeline',
] as const;
export type CommandName = (typeof COMMAND_NAMES)[number];

interface EventBase {
  /** The thread key: platform:channel:thread (the console: console:local:<name>). */
  thread: string;
  actor: Actor;
  /** The platform's id for this delivery (Slack event/action id, Teams activity id): a retry carries the same id. */
  id?: string;
  /**
   * The platform says this message starts its thread (a Teams channel post, a Slack message outside a
   * thread): no event of the thread can be stored before it, so a store whose thread lock costs a
   * round trip may apply it without the lock and let its first write tell (core.ts, unlocked first
   * events). A hint only: a wrong one costs the event a second try under the lock, never a wrong result.
   */
  starts?: boolean;
}

export type ConversationEvent =
  /**
   * A message. `ambient`: ehlo was not addressed (a channel message it reads without a mention): it
   * acts only on a paste that matches a playbook or on the answer to a question it asked, and
   * otherwise stays silent and changes nothing; words that read as commands are not commands then.
   */
  | (EventBase & { type: 'message'; text: string; ambient?: boolean })
  | (EventBase & { type: 'command'; name: CommandName; args: string })
  /** A button press: its opaque payload, and the values of any inputs on the card (a Teams Input.Text, a Slack input block). */
  | (EventBase & { type: 'press'; value: string; inputs?: Record<string, string> })
  | (EventBase & { type: 'open' });

/** An event without its thread, person and delivery id: what a channel reads before it adds them. */
export type EventBody = ConversationEvent extends infer E ? (E extends ConversationEvent ? Omit<E, 'thread' | 'actor' | 'id'> : never) : never;

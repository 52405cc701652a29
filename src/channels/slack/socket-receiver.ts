// Slack over Socket Mode (an app-level token): Bolt's SocketModeReceiver with its one envelope
// listener replaced, so an events_api envelope (an event callback) is acknowledged when Bolt is done
// with it, not when Bolt acks it (before the listeners run). The channel's listeners wait until the
// event is durable (channel.ts), so a replica that dies before its commit never acknowledged the
// envelope and Slack delivers it again, as over HTTP (SlackHttpReceiver). A hold never outlasts
// ACK_DEADLINE_MS: the envelope is acknowledged then anyway (logged), as Slack wants it within 3 s.
// Other envelopes (slash commands, interactivity) are acknowledged when their listener acks, as
// Bolt does.
import { defaultProcessEventErrorHandler, SocketModeReceiver, type App, type ReceiverEvent } from '@slack/bolt';
import type { Logger } from 'pino';
import { boltLogger } from './bolt-logger.ts';
import { ACK_DEADLINE_MS } from './receiver.ts';

/** What SocketModeClient emits as 'slack_event' for every envelope. */
interface Envelope {
  ack: (response?: Record<string, unknown> | string) => Promise<void>;
  envelope_id?: string;
  type?: string;
  body?: Record<string, unknown>;
  retry_num?: number;
  retry_reason?: string;
}

export interface SocketReceiverOptions {
  appToken: string;
  logger: Logger;
  /** The Web API client's options (slackApiUrl: where apps.connections.open is asked). */
  clientOptions?: Record<string, unknown>;
}

export class SlackSocketReceiver extends SocketModeReceiver {
  readonly #logger: Logger;
  #bolt: App | undefined;

  constructor(options: SocketReceiverOptions) {
    const logger = boltLogger(options.logger);
    super({ appToken: options.appToken, logger, installerOptions: { clientOptions: options.clientOptions } });
    this.#logger = options.logger;
    this.client.removeAllListeners('slack_event');
    this.client.on('slack_event', (envelope: Envelope) => void this.#envelope(envelope, logger));
  }

  override init(app: App): void {
    super.init(app);
    this.#bolt = app;
  }

  async #envelope(envelope: Envelope, boltLog: ReturnType<typeof boltLogger>): Promise<void> {
    const body = envelope.body ?? {};
    let held = envelope.type === 'events_api' && body.type === 'event_callback';
    let acked = false;
    let heldResponse: Record<string, unknown> | string | undefined;
    let timer: NodeJS.Timeout | undefined;
    const send = async (response: Record<string, unknown> | string | undefined): Promise<void> => {
      if (acked) return;
      acked = true;
      clearTimeout(timer);
      try {
        await envelope.ack(response);
      } catch (err) {
        // Disconnected meanwhile (a stop, a reconnect): unacknowledged, so Slack delivers it again.
        this.#logger.warn({ envelope: envelope.envelope_id, err: err instanceof Error ? err.message : String(err) }, 'Slack envelope not acknowledged: the socket is gone');
      }
    };
    if (held) {
      timer = setTimeout(() => {
        held = false;
        this.#logger.warn({ envelope: envelope.envelope_id, type: body.type }, 'Slack event not done in time; envelope acknowledged anyway');
        void send(heldResponse);
      }, ACK_DEADLINE_MS);
      timer.unref();
    }
    let called = false;
    const ack = async (response?: Record<string, unknown> | string): Promise<void> => {
      if (called) return;
      called = true;
      if (held) heldResponse = response;
      else await send(response);
    };
    const event: ReceiverEvent = { body, ack, retryNum: envelope.retry_num, retryReason: envelope.retry_reason, customProperties: {} };
    let release = true;
    try {
      await this.#bolt?.processEvent(event);
    } catch (error) {
      // Not acked by Bolt: as Bolt's receiver, acknowledged only when Slack should not try again.
      if (!called) {
        release = false;
        if (await defaultProcessEventErrorHandler({ error: error as Error, logger: boltLog, event })) await send(undefined);
      }
    } finally {
      const wasHeld = held;
      held = false;
      if (release && (wasHeld || called)) await send(heldResponse);
      clearTimeout(timer);
    }
  }
}

// Slack's HTTP endpoint, POST /slack/events, as a Bolt receiver mounted on ehlo's one HTTP server:
// events, slash commands and interactivity all arrive here. In this order: a body over 1 MiB is
// refused (413) before it is read further; the v0 signature is verified over the raw bytes with a
// 5-minute window (401 on any doubt); only then is the body parsed. url_verification and ssl_check are
// answered here; everything else goes to Bolt's processEvent, whose ack() writes the HTTP response
// (for event callbacks, once processEvent is done: see below). A listener that has not acked after
// 2.5 s is acked empty, so Slack never waits past its 3 s.
import type { App, Receiver, ReceiverEvent } from '@slack/bolt';
import type { Request, Response } from 'express';
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Logger } from 'pino';
import type { Metrics } from '../../server/metrics.ts';

export const MAX_BODY_BYTES = 1024 * 1024;
export const SIGNATURE_WINDOW_SECONDS = 300;
export const ACK_DEADLINE_MS = 2500;

export type Verdict = { ok: true } | { ok: false; reason: string };

/** Slack's v0 request signature: v0=HMAC-SHA256(secret, "v0:" + timestamp + ":" + body). */
export function verifySignature(secret: string, timestamp: string | undefined, signature: string | undefined, body: Buffer, nowSeconds = Math.floor(Date.now() / 1000)): Verdict {
  if (!timestamp || !signature) return { ok: false, reason: 'missing signature headers' };
  if (!/^\d{1,12}$/.test(timestamp)) return { ok: false, reason: 'malformed timestamp' };
  if (Math.abs(nowSeconds - Number(timestamp)) > SIGNATURE_WINDOW_SECONDS) return { ok: false, reason: 'stale timestamp' };
  if (!/^v0=[0-9a-f]{64}$/.test(signature)) return { ok: false, reason: 'malformed signature' };
  const mac = createHmac('sha256', secret).update(`v0:${timestamp}:`).update(body).digest();
  const given = Buffer.from(signature.slice(3), 'hex');
  return given.length === mac.length && timingSafeEqual(given, mac) ? { ok: true } : { ok: false, reason: 'signature mismatch' };
}

class TooLarge extends Error {}

/** The raw body, refusing more than max bytes (by Content-Length at once, else while reading). */
function readRaw(req: Request, max: number): Promise<Buffer> {
  const declared = Number(req.headers['content-length'] ?? '0');
  if (declared > max) return Promise.reject(new TooLarge());
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let failed = false;
    req.on('data', (chunk: Buffer) => {
      if (failed) return;
      size += chunk.length;
      if (size > max) {
        failed = true;
        chunks.length = 0;
        reject(new TooLarge());
        req.resume();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => {
      if (!failed) resolve(Buffer.concat(chunks, size));
    });
    req.on('error', (err) => {
      if (!failed) reject(err);
    });
  });
}

/** JSON (Events API), form with payload= (interactivity) or a plain form (slash commands). */
export function parseBody(raw: Buffer, contentType: string | undefined): Record<string, unknown> | undefined {
  const text = raw.toString('utf8');
  try {
    if ((contentType ?? '').includes('application/json')) {
      const v: unknown = JSON.parse(text);
      return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
    }
    const form = new URLSearchParams(text);
    const payload = form.get('payload');
    if (payload !== null) {
      const v: unknown = JSON.parse(payload);
      return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
    }
    return Object.fromEntries(form);
  } catch {
    return undefined;
  }
}

export interface HttpReceiverOptions {
  signingSecret: string;
  logger: Logger;
  metrics: Metrics;
  /** True when the channel has too much in hand: answer 503 so Slack delivers the event again later. */
  busy?: () => boolean;
  /** Clock in seconds (tests). */
  now?: () => number;
}

export class SlackHttpReceiver implements Receiver {
  readonly #o: HttpReceiverOptions;
  #app: App | undefined;
  #open = true;
  readonly #inFlight = new Set<Promise<void>>();

  constructor(options: HttpReceiverOptions) {
    this.#o = options;
  }

  init(app: App): void {
    this.#app = app;
  }

  start(): Promise<void> {
    this.#open = true;
    return Promise.resolve();
  }

  stop(): Promise<void> {
    this.#open = false;
    return Promise.resolve();
  }

  /** The express handler for POST /slack/events. */
  readonly handle = (req: Request, res: Response): void => {
    const p = this.#handle(req, res);
    this.#inFlight.add(p);
    void p.finally(() => this.#inFlight.delete(p));
  };

  /** Resolves when every request taken so far has been through Bolt. */
  async idle(): Promise<void> {
    while (this.#inFlight.size) await Promise.all([...this.#inFlight]);
  }

  async #handle(req: Request, res: Response): Promise<void> {
    const { logger, metrics } = this.#o;
    if (!this.#open || !this.#app) {
      res.status(503).type('text/plain').send('not ready\n');
      return;
    }
    if ((req as { body?: unknown }).body !== undefined || req.readableEnded) {
      // Another middleware read the body first: the signature cannot be checked over the raw bytes.
      logger.error('a body parser ran before the Slack receiver; mount it on its own route only');
      res.status(500).type('text/plain').send('internal error\n');
      return;
    }
    let raw: Buffer;
    try {
      raw = await readRaw(req, MAX_BODY_BYTES);
    } catch (err) {
      if (err instanceof TooLarge) {
        metrics.error('slack', 'body-too-large');
        res.status(413).set('connection', 'close').type('text/plain').send('request body too large\n');
      } else {
        res.status(400).type('text/plain').send('bad request\n');
      }
      return;
    }
    const verdict = verifySignature(this.#o.signingSecret, header(req, 'x-slack-request-timestamp'), header(req, 'x-slack-signature'), raw, this.#o.now?.());
    if (!verdict.ok) {
      logger.warn({ reason: verdict.reason }, 'Slack request refused: signature');
      metrics.error('slack', 'signature');
      res.status(401).type('text/plain').send('invalid signature\n');
      return;
    }
    const body = parseBody(raw, header(req, 'content-type'));
    if (!body) {
      res.status(400).type('text/plain').send('bad request\n');
      return;
    }
    if (this.#o.busy?.()) {
      metrics.error('slack', 'busy');
      res.status(503).set('retry-after', '5').type('text/plain').send('busy\n');
      return;
    }
    if (body.ssl_check) {
      res.status(200).end();
      return;
    }
    if (body.type === 'url_verification' && typeof body.challenge === 'string') {
      res.status(200).json({ challenge: body.challenge });
      return;
    }
    let acked = false;
    const timer = setTimeout(() => {
      if (acked) return;
      acked = true;
      logger.warn({ type: body.type }, 'Slack request not acknowledged in time; acknowledged empty');
      res.status(200).end();
    }, ACK_DEADLINE_MS);
    timer.unref();
    // An event callback is answered when Bolt is done with it (its listeners wait until the event is
    // durable, channel.ts), not when Bolt acks it (before the listeners run): a process that dies
    // first never answered, and Slack delivers the event again. Bolt's processBeforeResponse, for a
    // receiver of our own.
    let held = body.type === 'event_callback';
    let heldResponse: unknown;
    const ack = (response?: unknown): Promise<void> => {
      if (acked) return Promise.resolve();
      if (held) {
        heldResponse = response;
        return Promise.resolve();
      }
      acked = true;
      clearTimeout(timer);
      if (response === undefined || response === '') res.status(200).end();
      else if (typeof response === 'string') res.status(200).type('text/plain').send(response);
      else res.status(200).json(response);
      return Promise.resolve();
    };
    const retry = header(req, 'x-slack-retry-num');
    const event: ReceiverEvent = { body, ack };
    if (retry && /^\d{1,3}$/.test(retry)) event.retryNum = Number(retry);
    const reason = header(req, 'x-slack-retry-reason');
    if (reason) event.retryReason = reason.slice(0, 60);
    try {
      await this.#app.processEvent(event);
    } catch (err) {
      logger.error({ err }, 'Slack event processing failed');
      metrics.error('slack', 'process');
    } finally {
      held = false;
      if (!acked) await ack(heldResponse);
    }
  }
}

function header(req: Request, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

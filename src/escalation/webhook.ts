// A generic signed webhook for other pagers: POST a JSON body with
//   X-Ehlo-Timestamp: <unix seconds>
//   X-Ehlo-Signature: sha256=<hex HMAC-SHA256 of "<timestamp>.<body>" with the shared secret>
// (the header name is configurable). A receiver recomputes the signature, compares in constant time
// and refuses a timestamp older than a few minutes (replays): verifySignature below does all three.
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { EscalationConfig } from './config.ts';
import type { Page, PagerRequest, PagerTransport } from './pager.ts';

export const TIMESTAMP_HEADER = 'X-Ehlo-Timestamp';

export function sign(secret: string, timestamp: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

/** For receivers (and our tests): the signature matches and the timestamp is recent. */
export function verifySignature(secret: string, timestamp: string | undefined, body: string, signature: string | undefined, now = Date.now(), toleranceS = 300): boolean {
  if (!timestamp || !signature || !/^\d{1,12}$/.test(timestamp)) return false;
  if (Math.abs(now / 1000 - Number(timestamp)) > toleranceS) return false;
  const want = Buffer.from(sign(secret, timestamp, body));
  const got = Buffer.from(signature);
  return want.length === got.length && timingSafeEqual(want, got);
}

export class SignedWebhook implements PagerTransport {
  readonly name = 'webhook';
  readonly #config: { url: string; secret: string; header: string };
  readonly #now: () => number;

  constructor(config: EscalationConfig['paging']['webhook'] & { url: string; secret: string }, now: () => number = Date.now) {
    this.#config = config;
    this.#now = now;
  }

  get describe(): string {
    return `webhook ${new URL(this.#config.url).host}`;
  }

  request(page: Page): PagerRequest {
    const body = JSON.stringify({ event: page.event, dedupKey: page.dedupKey, summary: page.summary, source: page.source, links: page.links, details: page.details ?? {}, at: page.at });
    const ts = String(Math.floor(this.#now() / 1000));
    return { url: this.#config.url, headers: { [TIMESTAMP_HEADER]: ts, [this.#config.header]: sign(this.#config.secret, ts, body) }, body };
  }
}

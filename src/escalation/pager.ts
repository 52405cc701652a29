// Paging: one Page (trigger when a walkthrough is escalated, acknowledge when on-call first acts,
// resolve when the walkthrough ends) sent to every configured pager (pagerduty.ts, webhook.ts).
// Only URLs under escalation.paging.allow are called, redirects are refused, every request has a
// timeout, and failures (network, 429, 5xx) are retried with exponential backoff; a 4xx other than
// 429 is final. A failure never throws: it comes back as a result the thread is told about.
import type { EscalationConfig } from './config.ts';
import { allowed } from './config.ts';

export type PageEvent = 'trigger' | 'acknowledge' | 'resolve';

export interface Page {
  event: PageEvent;
  /** The same for every page of one escalation (derived from the session). */
  dedupKey: string;
  summary: string;
  /** Where it comes from (the origin thread key). */
  source: string;
  links: Array<{ href: string; text: string }>;
  details?: Record<string, string>;
  at: string;
}

export interface PagerRequest {
  url: string;
  headers: Record<string, string>;
  body: string;
}

/** One pager's wire format. */
export interface PagerTransport {
  readonly name: string;
  /** "PagerDuty (routing key …abcd)" for the confirmation. */
  readonly describe: string;
  request(page: Page): PagerRequest;
}

export type PageResult = { pager: string; ok: true; attempts: number } | { pager: string; ok: false; attempts: number; error: string };

export interface PagersOptions {
  fetch?: typeof fetch;
  sleep?: (ms: number) => Promise<void>;
}

export function dedupKeyOf(sessionId: string): string {
  return `ehlo-${sessionId}`;
}

export class Pagers {
  readonly #transports: PagerTransport[];
  readonly #paging: EscalationConfig['paging'];
  readonly #fetch: typeof fetch;
  readonly #sleep: (ms: number) => Promise<void>;

  constructor(paging: EscalationConfig['paging'], transports: PagerTransport[], options: PagersOptions = {}) {
    this.#paging = paging;
    this.#transports = transports;
    this.#fetch = options.fetch ?? fetch;
    this.#sleep = options.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms)));
  }

  get names(): string[] {
    return this.#transports.map((t) => t.name);
  }

  describe(): string[] {
    return this.#transports.map((t) => t.describe);
  }

  /** Send one page to one pager, with retries. */
  async send(name: string, page: Page): Promise<PageResult> {
    const t = this.#transports.find((x) => x.name === name);
    if (!t) return { pager: name, ok: false, attempts: 0, error: `no pager named ${name}` };
    const req = t.request(page);
    if (!allowed(req.url, this.#paging.allow)) return { pager: name, ok: false, attempts: 0, error: `${new URL(req.url).origin} is not in escalation.paging.allow; nothing was sent` };
    let last = '';
    for (let attempt = 1; attempt <= this.#paging.retries + 1; attempt++) {
      try {
        const res = await this.#fetch(req.url, { method: 'POST', headers: { 'content-type': 'application/json', ...req.headers }, body: req.body, redirect: 'error', signal: AbortSignal.timeout(this.#paging.timeoutMs) });
        const text = (await res.text()).slice(0, 300);
        if (res.ok) return { pager: name, ok: true, attempts: attempt };
        last = `HTTP ${res.status}${text ? `: ${text.replace(/\s+/g, ' ')}` : ''}`;
        if (res.status !== 429 && res.status < 500) return { pager: name, ok: false, attempts: attempt, error: last };
      } catch (err) {
        last = err instanceof Error ? (err.cause instanceof Error ? `${err.message} (${err.cause.message})` : err.message) : String(err);
      }
      if (attempt <= this.#paging.retries) await this.#sleep(Math.min(30_000, this.#paging.backoffMs * 2 ** (attempt - 1)));
    }
    return { pager: name, ok: false, attempts: this.#paging.retries + 1, error: last.slice(0, 300) };
  }
}

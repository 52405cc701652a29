// PagerDuty Events API v2: POST {routing_key, event_action, dedup_key, payload, links} to
// /v2/enqueue. The dedup key ties trigger, acknowledge and resolve of one escalation together.
// https://developer.pagerduty.com/docs/events-api-v2/trigger-events/
import type { EscalationConfig } from './config.ts';
import type { Page, PagerRequest, PagerTransport } from './pager.ts';

export class PagerDuty implements PagerTransport {
  readonly name = 'pagerduty';
  readonly #config: EscalationConfig['paging']['pagerduty'] & { routingKey: string };

  constructor(config: EscalationConfig['paging']['pagerduty'] & { routingKey: string }) {
    this.#config = config;
  }

  get describe(): string {
    return `PagerDuty (routing key …${this.#config.routingKey.slice(-4)})`;
  }

  request(page: Page): PagerRequest {
    const base = { routing_key: this.#config.routingKey, event_action: page.event, dedup_key: page.dedupKey };
    const body =
      page.event === 'trigger'
        ? {
            ...base,
            payload: { summary: page.summary.slice(0, 1024), source: page.source.slice(0, 255), severity: this.#config.severity, timestamp: page.at, component: 'mail flow', class: 'ehlo escalation', custom_details: page.details ?? {} },
            links: page.links.slice(0, 5),
            client: 'ehlo',
          }
        : base;
    return { url: this.#config.url, headers: {}, body: JSON.stringify(body) };
  }
}

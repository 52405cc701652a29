// The pagers against a real loopback receiver: the allowlist (in configuration and at send time),
// retries with backoff on 5xx and network errors, a 4xx final at once, PagerDuty's and the webhook's
// wire formats, and the webhook signature as a receiver checks it.
import { createServer } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { allowed, EscalationConfig } from '../../src/escalation/config.ts';
import { pagersFrom } from '../../src/escalation/oncall.ts';
import { dedupKeyOf, type Page } from '../../src/escalation/pager.ts';
import { sign, verifySignature } from '../../src/escalation/webhook.ts';
import { PagerReceiver, WEBHOOK_SECRET } from './pager-receiver.ts';

const KEY = 'R0UTINGKEY0123456789abcdefABCDEF';
let rx: PagerReceiver;

function page(event: Page['event']): Page {
  return { event, dedupKey: dedupKeyOf('s-1'), summary: 'ehlo escalation: DNS lookup failed', source: 'slack:T0:C0:1.1', links: [{ href: 'https://ehlo-test.slack.com/archives/C0/p11', text: 'on-call thread' }], details: { session: 's-1' }, at: '2026-12-03T10:00:00.000Z' };
}

function config(extra: Record<string, unknown> = {}): EscalationConfig {
  return EscalationConfig.parse({ paging: { allow: [`${rx.base}/`], pagerduty: { routingKey: KEY, url: `${rx.base}/pd/v2/enqueue` }, webhook: { url: `${rx.base}/hook`, secret: WEBHOOK_SECRET }, retries: 2, backoffMs: 1, ...extra } });
}

beforeEach(async () => {
  rx = await new PagerReceiver().start();
});
afterEach(async () => {
  await rx.close();
});

describe('pagers', () => {
  it('sends PagerDuty Events v2 and a signed webhook', async () => {
    const pagers = pagersFrom(config());
    expect(pagers.names).toEqual(['pagerduty', 'webhook']);
    expect(await pagers.send('pagerduty', page('trigger'))).toEqual({ pager: 'pagerduty', ok: true, attempts: 1 });
    expect(await pagers.send('webhook', page('trigger'))).toEqual({ pager: 'webhook', ok: true, attempts: 1 });
    const [pd, hook] = rx.received;
    expect(pd?.body).toMatchObject({ routing_key: KEY, event_action: 'trigger', dedup_key: 'ehlo-s-1', payload: { summary: 'ehlo escalation: DNS lookup failed', source: 'slack:T0:C0:1.1', severity: 'error' }, links: [{ href: 'https://ehlo-test.slack.com/archives/C0/p11', text: 'on-call thread' }] });
    expect(hook).toMatchObject({ signed: true, body: { event: 'trigger', dedupKey: 'ehlo-s-1' } });
    await pagers.send('pagerduty', page('resolve'));
    expect(rx.received[2]?.body).toEqual({ routing_key: KEY, event_action: 'resolve', dedup_key: 'ehlo-s-1' });
  });

  it('retries 5xx with backoff, then reports the failure', async () => {
    const pagers = pagersFrom(config());
    rx.failNext(2);
    expect(await pagers.send('pagerduty', page('trigger'))).toEqual({ pager: 'pagerduty', ok: true, attempts: 3 });
    rx.failNext(3);
    const failed = await pagers.send('pagerduty', page('acknowledge'));
    expect(failed).toMatchObject({ ok: false, attempts: 3, error: 'HTTP 500: down' });
  });

  it('takes a 4xx as final, and a closed port as a network error it retries', async () => {
    const pagers = pagersFrom(EscalationConfig.parse({ paging: { allow: [`${rx.base}/`], pagerduty: { routingKey: KEY, url: `${rx.base}/elsewhere` }, retries: 3, backoffMs: 1 } }));
    expect(await pagers.send('pagerduty', page('trigger'))).toMatchObject({ ok: false, attempts: 1, error: 'HTTP 404' });
    const free = await new Promise<number>((resolve) => {
      const s = createServer();
      s.listen(0, '127.0.0.1', () => {
        const port = (s.address() as { port: number }).port;
        s.close(() => resolve(port));
      });
    });
    const down = pagersFrom(EscalationConfig.parse({ paging: { allow: [`http://127.0.0.1:${free}/`], pagerduty: { routingKey: KEY, url: `http://127.0.0.1:${free}/v2/enqueue` }, retries: 1, backoffMs: 1 } }));
    expect(await down.send('pagerduty', page('trigger'))).toMatchObject({ ok: false, attempts: 2, error: expect.stringMatching(/fetch failed/) });
  });

  it('calls only allowlisted URLs: configuration refuses others, and so does the send', async () => {
    const bad = EscalationConfig.safeParse({ paging: { pagerduty: { routingKey: KEY, url: 'https://evil.example.com/v2/enqueue' } } });
    expect(bad.success).toBe(false);
    expect(bad.error?.issues[0]).toMatchObject({ path: ['paging', 'pagerduty', 'url'], message: 'https://evil.example.com/v2/enqueue is not under any escalation.paging.allow entry' });
    expect(EscalationConfig.safeParse({ paging: { webhook: { url: 'https://events.pagerduty.com/hook' } } }).error?.issues[0]?.message).toBe('a webhook needs a secret to sign its requests');
    expect(allowed('https://events.pagerduty.com/v2/enqueue', ['https://events.pagerduty.com/'])).toBe(true);
    expect(allowed('https://events.pagerduty.com.evil.net/v2/enqueue', ['https://events.pagerduty.com/'])).toBe(false);
    expect(allowed('http://events.pagerduty.com/v2/enqueue', ['https://events.pagerduty.com/'])).toBe(false);
    expect(allowed('https://user:pw@events.pagerduty.com/v2/enqueue', ['https://events.pagerduty.com/'])).toBe(false);
    expect(allowed('https://pager.example.com/other', ['https://pager.example.com/ehlo'])).toBe(false);
    // The allowlist is checked again when sending (a configuration changed under a running ehlo).
    const c = config();
    c.paging.allow = ['https://events.pagerduty.com/'];
    const pagers = pagersFrom(c);
    expect(await pagers.send('webhook', page('trigger'))).toMatchObject({ ok: false, attempts: 0, error: expect.stringContaining('is not in escalation.paging.allow') });
    expect(rx.received).toHaveLength(0);
  });

  it('a receiver checks the signature, the timestamp and the body', () => {
    const body = '{"event":"trigger"}';
    const ts = String(Math.floor(Date.now() / 1000));
    const sig = sign(WEBHOOK_SECRET, ts, body);
    expect(verifySignature(WEBHOOK_SECRET, ts, body, sig)).toBe(true);
    expect(verifySignature(WEBHOOK_SECRET, ts, `${body} `, sig)).toBe(false);
    expect(verifySignature('another-secret-0123456789', ts, body, sig)).toBe(false);
    expect(verifySignature(WEBHOOK_SECRET, String(Number(ts) - 3600), body, sign(WEBHOOK_SECRET, String(Number(ts) - 3600), body))).toBe(false);
    expect(verifySignature(WEBHOOK_SECRET, undefined, body, sig)).toBe(false);
  });
});

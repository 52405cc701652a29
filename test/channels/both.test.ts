// Slack and Teams in one process, on one HTTP server, as `ehlo start` runs them when both are
// configured: a paste on each platform is answered on that platform (through its loopback fake), the
// two share the store, and /livez /readyz /metrics answer for both.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chosenChannels, EhloConfig } from '../../src/config.ts';
import { createRuntime, serve, type Served } from '../../src/server/runtime.ts';
import { BOT_TOKEN, FakeSlack } from './slack/fake-slack.ts';
import { eventEnvelope, postSigned, SIGNING_SECRET } from './slack/harness.ts';
import { cardText, message, send, startConnector, type FakeConnector } from './teams/helpers.ts';

const NDR = "Remote Server returned '550 5.4.312 DNS query failed [Message=InfoNoRecords] [LastAttemptedServerName=libsisimai.org]'";

describe('Slack and Teams together', () => {
  let dir: string;
  let slack: FakeSlack;
  let connector: FakeConnector;
  let served: Served;
  let base: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ehlo-both-'));
    slack = await new FakeSlack().start();
    connector = await startConnector();
    const config = EhloConfig.parse({
      store: { sqlitePath: join(dir, 'ehlo.sqlite') },
      server: { port: 0, host: '127.0.0.1' },
      slack: { botToken: BOT_TOKEN, signingSecret: SIGNING_SECRET, apiUrl: slack.apiUrl },
      teams: { dev: true },
      logging: { level: 'silent' },
    });
    expect(chosenChannels(config)).toEqual(['slack', 'teams']);
    const rt = createRuntime(config, { logger: pino({ level: 'silent' }) });
    served = await serve(rt, ['slack', 'teams']);
    base = `http://127.0.0.1:${served.port}`;
  }, 60_000);
  afterAll(async () => {
    await served?.stop();
    await slack?.close();
    await connector?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('answers a paste on each platform on that platform, from one server', async () => {
    const env = eventEnvelope(NDR);
    expect((await postSigned(`${base}/slack/events`, env.body, 'application/json')).status).toBe(200);
    const r = await send(`${base}/api/messages`, message({ serviceUrl: connector.url, text: NDR }));
    expect(r.status).toBeLessThan(300);
    const calls = await connector.waitFor((c) => c.length >= 1);
    expect(cardText(calls[0]!.body)).toMatch(/DNS lookup for the destination failed/);
    for (let i = 0; i < 100 && slack.ok('chat.postMessage').length === 0; i++) await new Promise((res) => setTimeout(res, 20));
    expect(JSON.stringify(slack.ok('chat.postMessage')[0]?.args)).toMatch(/DNS lookup for the destination failed/);
  });

  it('serves /livez, /readyz and /metrics for both channels', async () => {
    expect((await fetch(`${base}/livez`)).status).toBe(200);
    expect(await (await fetch(`${base}/readyz`)).text()).toMatch(/^ready: SQLite/);
    const metrics = await (await fetch(`${base}/metrics`)).text();
    expect(metrics).toMatch(/ehlo_events_total\{channel="slack"/);
    expect(metrics).toMatch(/ehlo_events_total\{channel="teams"/);
  });
});

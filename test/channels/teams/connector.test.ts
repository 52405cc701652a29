// The Bot Connector client the outbox sends with (src/channels/teams/connector.ts): the SDK's
// ConnectorClient over node:http with keep-alive connections. Against a loopback server: the request is
// the one the SDK builds (method, path, query, token, JSON body), several calls share one connection,
// and a failure is the SDK's HttpError with the status, the parsed body and Retry-After.
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Activity } from '@microsoft/agents-activity';
import { ConnectorClient, HttpError } from '@microsoft/agents-hosting';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pino from 'pino';
import { heldUntil, keepAlive } from '../../../src/channels/teams/connector.ts';
import { Outbox } from '../../../src/channels/teams/outbox.ts';
import { reply } from '../../../src/conversation/reply.ts';
import { createMetrics } from '../../../src/server/metrics.ts';

interface Seen {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
  socket: number;
}

let server: Server;
let base: string;
const seen: Seen[] = [];
const sockets = new WeakMap<object, number>();
let socketCount = 0;
let answer: { status: number; headers: Record<string, string>; body: string } | undefined;

beforeAll(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      if (!sockets.has(req.socket)) sockets.set(req.socket, ++socketCount);
      seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8'), socket: sockets.get(req.socket)! });
      const a = answer ?? { status: 201, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ id: `a${seen.length}` }) };
      answer = undefined;
      res.writeHead(a.status, a.headers).end(a.body);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
});

afterAll(async () => {
  await new Promise<void>((r) => {
    server.close(() => r());
    server.closeAllConnections();
  });
});

function card(text: string): Activity {
  return Object.assign(new Activity('message'), { channelId: 'msteams', summary: text, attachments: [{ contentType: 'application/vnd.microsoft.card.adaptive', content: { type: 'AdaptiveCard', version: '1.5', body: [{ type: 'TextBlock', text }] } }] });
}

describe('the Bot Connector client', () => {
  it('sends the request the SDK builds, with its token, on one kept-alive connection', async () => {
    const client = keepAlive(ConnectorClient.createClientWithToken(base, 'token-123'));
    const first = seen.length;
    const r1 = await client.replyToActivity('19:abc@thread.tacv2;messageid=1', '1700', card('first'));
    const r2 = await client.sendToConversation('19:abc@thread.tacv2', card('second'));
    await client.updateActivity('19:abc@thread.tacv2', 'a9', Object.assign(card('third'), { id: 'a9' }));
    expect(r1.id).toBe(`a${first + 1}`);
    expect(r2.id).toBe(`a${first + 2}`);
    const [a, b, c] = seen.slice(first);
    expect(a?.method).toBe('POST');
    expect(decodeURIComponent(a?.url ?? '')).toBe('/v3/conversations/19:abc@thread.tacv2;messageid=1/activities/1700');
    expect(a?.headers.authorization).toBe('Bearer token-123');
    expect(a?.headers['content-type']).toContain('application/json');
    expect(a?.headers['user-agent']).toBeTruthy();
    expect(JSON.parse(a?.body ?? '{}')).toMatchObject({ type: 'message', channelId: 'msteams', summary: 'first', attachments: [{ content: { body: [{ text: 'first' }] } }] });
    expect(b?.method).toBe('POST');
    expect(c?.method).toBe('PUT');
    expect(decodeURIComponent(c?.url ?? '')).toBe('/v3/conversations/19:abc@thread.tacv2/activities/a9');
    expect(new Set([a?.socket, b?.socket, c?.socket]).size).toBe(1);
  });

  it('sends no Authorization header without a token', async () => {
    const client = keepAlive(ConnectorClient.createClientWithToken(base, ''));
    const first = seen.length;
    await client.replyToActivity('19:x', '1', card('anonymous'));
    expect(seen[first]?.headers.authorization).toBeUndefined();
  });

  it('fails with the SDK HttpError: status, parsed body and Retry-After', async () => {
    const client = keepAlive(ConnectorClient.createClientWithToken(base, ''));
    answer = { status: 429, headers: { 'content-type': 'application/json', 'retry-after': '3' }, body: '{"error":{"code":"Throttled"}}' };
    const err = await client.replyToActivity('19:x', '1', card('throttled')).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(HttpError);
    expect((err as HttpError).status).toBe(429);
    expect((err as HttpError).response.headers.get('retry-after')).toBe('3');
    expect((err as HttpError).response.data).toEqual({ error: { code: 'Throttled' } });
    answer = { status: 404, headers: { 'content-type': 'text/plain' }, body: 'gone' };
    const gone = await client.updateActivity('19:x', 'a1', Object.assign(card('gone'), { id: 'a1' })).catch((e: unknown) => e);
    expect((gone as HttpError).status).toBe(404);
    expect((gone as HttpError).response.data).toBe('gone');
  });

  it('holds a request it built until its gate opens, and sends nothing when the gate fails', async () => {
    const base_ = keepAlive(ConnectorClient.createClientWithToken(base, ''));
    let open!: () => void;
    const client = heldUntil(base_, new Promise<void>((r) => (open = r)))!;
    const first = seen.length;
    const sent = client.replyToActivity('19:x', '1', card('held'));
    await new Promise((r) => setTimeout(r, 50));
    expect(seen.length).toBe(first);
    open();
    expect((await sent).id).toBe(`a${first + 1}`);
    const refused = heldUntil(base_, Promise.reject(new Error('not committed')))!;
    await expect(refused.replyToActivity('19:x', '1', card('never'))).rejects.toThrow('not committed');
    await new Promise((r) => setTimeout(r, 50));
    expect(seen.length).toBe(first + 1);
    expect(heldUntil(ConnectorClient.createClientWithToken(base, ''), Promise.resolve())).toBeUndefined();
  });
});

describe("the outbox's prepared posts", () => {
  const outbox = (): Outbox => {
    const client = keepAlive(ConnectorClient.createClientWithToken(base, ''));
    return new Outbox({ client: () => Promise.resolve(client), logger: pino({ level: 'silent' }), metrics: createMetrics({ defaults: false }) });
  };
  const route = { thread: 'teams:T:19:p@thread.tacv2;messageid=5', serviceUrl: base, conversationId: '19:p@thread.tacv2;messageid=5', replyToId: '5' };

  it('posts nothing before send(), then the card post() would have posted', async () => {
    const o = outbox();
    const r = reply(route.thread, 'Diagnosis', [{ type: 'text', text: 'prepared card' }], { kind: 'diagnosis' });
    const first = seen.length;
    const p = o.sink(route).prepare?.(r);
    expect(p).toBeDefined();
    await new Promise((res) => setTimeout(res, 50));
    expect(seen.length).toBe(first);
    await p!.send();
    expect(seen.length).toBe(first + 1);
    expect(decodeURIComponent(seen[first]!.url)).toBe('/v3/conversations/19:p@thread.tacv2;messageid=5/activities/5');
    expect(seen[first]!.body).toContain('prepared card');
    expect(o.currentCard(r.id)?.activityId).toBe(`a${first + 1}`);
  });

  it('sends nothing of a dropped post; a step card of a session is posted the usual way', async () => {
    const o = outbox();
    const r = reply(route.thread, 'Diagnosis', [{ type: 'text', text: 'dropped card' }], { kind: 'diagnosis' });
    const first = seen.length;
    o.sink(route).prepare?.(r)?.drop();
    await new Promise((res) => setTimeout(res, 50));
    expect(seen.length).toBe(first);
    expect(o.currentCard(r.id)).toBeUndefined();
    const step = reply(route.thread, 'Step 1', [{ type: 'text', text: 'step' }], { kind: 'step', meta: { session: 's1' } });
    expect(o.sink(route).prepare?.(step)).toBeUndefined();
  });
});

// A loopback fake of the Bot Connector REST API (POST /v3/conversations/{id}/activities[/{replyToId}],
// PUT …/activities/{id}, POST /v3/conversations) for ehlo to use as the activities' serviceUrl, and
// activities shaped as Teams sends them (a channel message with its <at> mention, an Action.Execute
// invoke). The fake records every call, answers with activity ids, and can be told to fail the next
// calls (429, 502…) or to have forgotten a message (ActivityNotFoundInConversation). Used by the Teams
// channel tests (one ehlo in this process) and by the soak (replicas in their own processes).
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ConnectorCall {
  op: 'send' | 'reply' | 'update' | 'create';
  conversationId: string;
  /** reply: the activity replied to; update: the activity replaced. */
  activityId?: string;
  /** The id the fake gave (send, reply) or the one updated. */
  id: string;
  body: Record<string, unknown>;
  authorization?: string;
  status: number;
}

export interface FakeConnector {
  url: string;
  calls: ConnectorCall[];
  /** Every HTTP request received, failed ones included. */
  requests: number;
  /** The next calls answer these statuses (then normal service resumes). */
  failNext(...statuses: number[]): void;
  /** Updates of this activity answer 404 ActivityNotFoundInConversation. */
  forget(activityId: string): void;
  /**
   * Called for each reply or send before it is recorded: returning true drops it unrecorded and
   * unanswered (the connection is cut), as when the caller died while its request was on its way.
   */
  onCall?: (call: { op: 'send' | 'reply'; conversationId: string; activityId?: string; body: Record<string, unknown> }) => boolean | void;
  /** Wait until `pred` holds over the recorded calls. */
  waitFor(pred: (calls: ConnectorCall[]) => boolean, ms?: number): Promise<ConnectorCall[]>;
  close(): Promise<void>;
}

async function body(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

export async function startConnector(): Promise<FakeConnector> {
  const calls: ConnectorCall[] = [];
  const failures: number[] = [];
  const forgotten = new Set<string>();
  let n = 0;
  let requests = 0;
  const server: Server = createServer((req, res) => {
    requests += 1;
    void body(req).then((text) => {
      const path = decodeURIComponent((req.url ?? '').split('?')[0] ?? '');
      const prefix = '/v3/conversations/';
      if (req.method === 'POST' && (path === '/v3/conversations' || path === '/v3/conversations/')) {
        // Create a conversation: a new thread in a channel (its first message is the activity).
        const parsed = JSON.parse(text || '{}') as { channelData?: { channel?: { id?: string } } } & Record<string, unknown>;
        const fail = failures.shift();
        if (fail !== undefined) {
          res.writeHead(fail, { 'content-type': 'application/json', 'retry-after': '0' }).end(`{"error":{"code":"Throttled","message":"status ${fail}"}}`);
          return;
        }
        n += 1;
        const activityId = `1700000000${String(n).padStart(3, '0')}`;
        const channel = parsed.channelData?.channel?.id ?? '19:unknown@thread.tacv2';
        const conversationId = `${channel};messageid=${activityId}`;
        calls.push({ op: 'create', conversationId, id: activityId, body: parsed, authorization: req.headers.authorization, status: 201 });
        res.writeHead(201, { 'content-type': 'application/json' }).end(JSON.stringify({ id: conversationId, activityId }));
        return;
      }
      const at = path.lastIndexOf('/activities');
      if (!path.startsWith(prefix) || at < 0) {
        res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":{"code":"NotFound"}}');
        return;
      }
      const conversationId = path.slice(prefix.length, at);
      const rest = path.slice(at + '/activities'.length).replace(/^\//, '');
      const fail = failures.shift();
      if (fail !== undefined) {
        res.writeHead(fail, { 'content-type': 'application/json', 'retry-after': '0' }).end(`{"error":{"code":"Throttled","message":"status ${fail}"}}`);
        return;
      }
      const parsed = JSON.parse(text || '{}') as Record<string, unknown>;
      const auth = req.headers.authorization;
      if (req.method === 'PUT') {
        if (forgotten.has(rest)) {
          res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":{"code":"ActivityNotFoundInConversation","message":"The activity was not found"}}');
          return;
        }
        calls.push({ op: 'update', conversationId, activityId: rest, id: rest, body: parsed, authorization: auth, status: 200 });
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ id: rest }));
        return;
      }
      if (fake.onCall?.({ op: rest ? 'reply' : 'send', conversationId, ...(rest ? { activityId: rest } : {}), body: parsed })) {
        res.destroy();
        return;
      }
      n += 1;
      const id = `1700000000${String(n).padStart(3, '0')}`;
      calls.push({ op: rest ? 'reply' : 'send', conversationId, ...(rest ? { activityId: rest } : {}), id, body: parsed, authorization: auth, status: 201 });
      res.writeHead(201, { 'content-type': 'application/json' }).end(JSON.stringify({ id }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  const fake: FakeConnector = {
    url: `http://127.0.0.1:${port}/`,
    calls,
    get requests() {
      return requests;
    },
    failNext: (...s) => void failures.push(...s),
    forget: (id) => void forgotten.add(id),
    async waitFor(pred, ms = 10_000) {
      const until = Date.now() + ms;
      while (!pred(calls)) {
        if (Date.now() > until) throw new Error(`timed out waiting for connector calls; got ${calls.length}: ${JSON.stringify(calls.map((c) => [c.op, cardText(c.body).slice(0, 80)]))}`);
        await new Promise((r) => setTimeout(r, 20));
      }
      return calls;
    },
    close: () => new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    }),
  };
  return fake;
}

export const TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47';
export const BOT = { id: '28:ehlo-bot', name: 'ehlo' };
export const ALICE = { id: '29:1alice', name: 'Alice Example', aadObjectId: '6b1a0e1e-0000-4000-8000-00000000a11c' };
export const BOB = { id: '29:1bob', name: 'Bob Example', aadObjectId: '6b1a0e1e-0000-4000-8000-000000000b0b' };

let seq = 0;
export function nextId(): string {
  seq += 1;
  return `1699${String(Date.now() % 1e8).padStart(8, '0')}${String(seq).padStart(4, '0')}`;
}

export interface MessageOptions {
  serviceUrl: string;
  text: string;
  html?: string;
  conversationType?: 'personal' | 'groupChat' | 'channel';
  conversationId?: string;
  mention?: boolean;
  from?: typeof ALICE;
  id?: string;
}

/** A message activity shaped as Teams sends it (Bot Framework Activity schema). */
export function message(o: MessageOptions): Record<string, unknown> {
  const type = o.conversationType ?? 'channel';
  const id = o.id ?? nextId();
  const conversationId = o.conversationId ?? (type === 'channel' ? `19:general@thread.tacv2;messageid=${id}` : type === 'groupChat' ? '19:group@thread.v2' : 'a:1personal-chat');
  return {
    type: 'message',
    id,
    timestamp: new Date().toISOString(),
    serviceUrl: o.serviceUrl,
    channelId: 'msteams',
    from: o.from ?? ALICE,
    conversation: { id: conversationId, conversationType: type, tenantId: TENANT, ...(type === 'channel' ? { isGroup: true } : {}) },
    recipient: BOT,
    text: o.text,
    textFormat: 'plain',
    attachments: o.html ? [{ contentType: 'text/html', content: o.html }] : [],
    entities: [
      ...(o.mention ? [{ type: 'mention', text: `<at>${BOT.name}</at>`, mentioned: BOT }] : []),
      { type: 'clientInfo', locale: 'en-US', country: 'US', platform: 'Web' },
    ],
    channelData: { tenant: { id: TENANT }, ...(type === 'channel' ? { team: { id: '19:team@thread.tacv2' }, channel: { id: '19:general@thread.tacv2' } } : {}) },
    locale: 'en-US',
  };
}

export interface InvokeOptions {
  serviceUrl: string;
  conversationId: string;
  /** The message holding the card. */
  replyToId: string;
  verb: string;
  data: Record<string, unknown>;
  from?: typeof ALICE;
  id?: string;
}

/** An Action.Execute invoke (adaptiveCard/action) as Teams sends it. */
export function invoke(o: InvokeOptions): Record<string, unknown> {
  return {
    type: 'invoke',
    name: 'adaptiveCard/action',
    id: o.id ?? nextId(),
    timestamp: new Date().toISOString(),
    serviceUrl: o.serviceUrl,
    channelId: 'msteams',
    from: o.from ?? ALICE,
    conversation: { id: o.conversationId, conversationType: 'channel', tenantId: TENANT, isGroup: true },
    recipient: BOT,
    replyToId: o.replyToId,
    value: { action: { type: 'Action.Execute', verb: o.verb, data: o.data }, trigger: 'manual' },
    channelData: { tenant: { id: TENANT } },
    locale: 'en-US',
  };
}

export async function send(url: string, activity: unknown, headers: Record<string, string> = {}): Promise<{ status: number; json: unknown; text: string }> {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(activity) });
  const text = await res.text();
  let json: unknown;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  return { status: res.status, json, text };
}

type Card = { body?: unknown[]; actions?: unknown[] };

/** All TextBlock texts and fact values of a card, in order (for assertions). */
export function textsOf(card: unknown): string[] {
  const out: string[] = [];
  const walk = (x: unknown): void => {
    if (Array.isArray(x)) return x.forEach(walk);
    if (!x || typeof x !== 'object') return;
    const o = x as Record<string, unknown>;
    if (o.type === 'TextBlock' && typeof o.text === 'string') out.push(o.text);
    if (o.type === 'FactSet' && Array.isArray(o.facts)) for (const f of o.facts as { title: string; value: string }[]) out.push(`${f.title}: ${f.value}`);
    if (typeof o.title === 'string' && String(o.type).startsWith('Action.')) out.push(`[${o.title}]`);
    for (const [k, v] of Object.entries(o)) if (k !== 'refresh' && typeof v === 'object') walk(v);
  };
  walk(card);
  return out;
}

/** The Adaptive Card in a message activity body. */
export function cardOf(activityBody: Record<string, unknown>): Card | undefined {
  const att = (activityBody.attachments as { contentType: string; content: Card }[] | undefined)?.find((a) => a.contentType === 'application/vnd.microsoft.card.adaptive');
  return att?.content;
}

export function cardText(activityBody: Record<string, unknown>): string {
  return textsOf(cardOf(activityBody)).join('\n');
}

/** The Action.Execute actions of a card (nested ShowCards included), with their data. */
export function actionsOf(card: unknown): { title: string; verb: string; data: Record<string, unknown> }[] {
  const out: { title: string; verb: string; data: Record<string, unknown> }[] = [];
  const walk = (x: unknown): void => {
    if (Array.isArray(x)) return x.forEach(walk);
    if (!x || typeof x !== 'object') return;
    const o = x as Record<string, unknown>;
    if (o.type === 'Action.Execute') out.push({ title: String(o.title), verb: String(o.verb), data: o.data as Record<string, unknown> });
    for (const [k, v] of Object.entries(o)) if (k !== 'refresh' && typeof v === 'object') walk(v);
  };
  walk(card);
  return out;
}

/** The invoke response's card. */
export function invokeCard(json: unknown): Card {
  const r = json as { statusCode?: number; type?: string; value?: Card };
  if (r?.statusCode !== 200 || r.type !== 'application/vnd.microsoft.card.adaptive' || !r.value) throw new Error(`not a card invoke response: ${JSON.stringify(json)?.slice(0, 300)}`);
  return r.value;
}

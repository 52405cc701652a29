// A loopback fake of the Slack Web API (point SLACK_API_URL / config.slack.apiUrl at `apiUrl`): it
// records every call with its decoded arguments and answers as Slack does (shapes from Slack's
// method reference: auth.test, chat.postMessage, chat.update, chat.postEphemeral, files.info,
// users.info, an authenticated file download, a 429 with Retry-After). It also serves response_url
// endpoints, recording what a slash command answered there. Tests queue failures with failNext.
import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import type { AddressInfo } from 'node:net';

export const BOT_TOKEN = 'xoxb-1111-2222-testtoken';
export const TEAM = 'T0EHLOTEAM';
export const BOT_USER = 'U0EHLOBOT';
export const BOT_ID = 'B0EHLOBOT';
export const APP_TOKEN = 'xapp-1-A0EHLO-1111-testapptoken';

export interface Call {
  method: string;
  args: Record<string, unknown>;
  /** The Authorization header (bot token) the call came with. */
  auth: string | undefined;
  at: number;
  status: number;
  /** What the fake answered (status 200). */
  response?: Record<string, unknown>;
}

export interface FakeFile {
  id: string;
  name: string;
  title?: string;
  mode?: string;
  filetype: string;
  mimetype: string;
  content: string;
  /** Redirect the download to this absolute URL (to test that other origins are refused). */
  redirectTo?: string;
}

type Failure = { status: 429; retryAfter: number } | { status: 500 | 502 | 503 } | { error: string };

const JSON_FIELDS = new Set(['blocks', 'attachments', 'metadata']);

export class FakeSlack {
  readonly calls: Call[] = [];
  readonly responses: Array<{ path: string; body: Record<string, unknown> }> = [];
  readonly downloads: Array<{ path: string; auth: string | undefined }> = [];
  readonly files = new Map<string, FakeFile>();
  readonly users = new Map<string, { name: string; display: string }>();
  /** User group id → its members (usergroups.list). */
  readonly usergroups = new Map<string, string[]>();
  readonly #failures = new Map<string, Failure[]>();
  readonly #server: Server;
  #ts = 1_700_000_000;
  #seq = 0;
  #pings = 0;
  port = 0;
  /** TCP connections accepted (keep-alive reuse shows as few). */
  connections = 0;
  /** Keep every call in `calls` (the bench turns it off to measure ehlo, not the fake). */
  keep = true;
  /** Called for every call as it arrives (the bench times replies with it). */
  onCall: ((call: Call) => void) | undefined;

  /** Socket Mode: the connected WebSocket (one at a time) and the acks it sent back. */
  #socket: Duplex | undefined;
  #connected: Array<() => void> = [];
  readonly #pongs = new Map<string, () => void>();
  readonly #holds = new Map<string, Array<{ arrived: () => void; released: Promise<void> }>>();
  /** `calls` counts the Web API calls received before the ack arrived (to order acks and replies). */
  readonly socketAcks: Array<{ envelope_id: string; payload?: unknown; calls: number }> = [];
  /** Called (synchronously) as each ack arrives, to look at what the bot had done by then. */
  onSocketAck: ((ack: { envelope_id: string; payload?: unknown; calls: number }) => void) | undefined;

  constructor() {
    this.#server = createServer((req, res) => void this.#serve(req, res));
    // Long enough that undici (which subtracts 2 s from the hint) keeps connections, like a real server.
    this.#server.keepAliveTimeout = 65_000;
    this.#server.on('upgrade', (req, socket) => this.#upgrade(req, socket));
    this.#server.on('connection', () => this.connections++);
  }

  /** Resolves once a Socket Mode client has connected and been sent hello. */
  socketConnected(): Promise<void> {
    if (this.#socket) return Promise.resolve();
    return new Promise((r) => this.#connected.push(r));
  }

  /**
   * A ping to the Socket Mode client, resolved by its pong: whatever the client wrote on the socket
   * before it answered (acks) has arrived by then.
   */
  socketRoundTrip(): Promise<void> {
    if (!this.#socket) throw new Error('no Socket Mode client connected');
    const id = `rt-${++this.#pings}`;
    const done = new Promise<void>((resolve) => this.#pongs.set(id, () => {
      this.#pongs.delete(id);
      resolve();
    }));
    this.#socket.write(frame(0x9, Buffer.from(id)));
    return done;
  }

  /** The next call of `method` is recorded but not answered until release() (arrived: it came in). */
  hold(method: string): { arrived: Promise<void>; release: () => void } {
    let arrived!: () => void;
    let release!: () => void;
    const came = new Promise<void>((r) => (arrived = r));
    const released = new Promise<void>((r) => (release = r));
    this.#holds.set(method, [...(this.#holds.get(method) ?? []), { arrived, released }]);
    return { arrived: came, release };
  }

  /** Send a Socket Mode envelope (events_api, slash_commands, interactive) to the connected client. */
  socketSend(envelope: Record<string, unknown>): void {
    if (!this.#socket) throw new Error('no Socket Mode client connected');
    this.#socket.write(frame(0x1, Buffer.from(JSON.stringify(envelope))));
  }

  // A minimal RFC 6455 server: handshake, text frames out, masked frames in (text, ping, close).
  #upgrade(req: IncomingMessage, socket: Duplex): void {
    const key = req.headers['sec-websocket-key'];
    if (!req.url?.startsWith('/link/') || typeof key !== 'string') {
      socket.end('HTTP/1.1 404 Not Found\r\n\r\n');
      return;
    }
    const accept = createHash('sha1').update(`${key}258EAFA5-E914-47DA-95CA-C5AB0DC85B11`).digest('base64');
    socket.write(`HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${accept}\r\n\r\n`);
    this.#socket = socket;
    let buf = Buffer.alloc(0);
    socket.on('data', (chunk: Buffer) => {
      buf = Buffer.concat([buf, chunk]);
      for (;;) {
        const f = readFrame(buf);
        if (!f) break;
        buf = buf.subarray(f.size);
        if (f.opcode === 0x9) socket.write(frame(0xa, f.payload));
        else if (f.opcode === 0xa) this.#pongs.get(f.payload.toString('utf8'))?.();
        else if (f.opcode === 0x8) socket.end(frame(0x8, Buffer.alloc(0)));
        else if (f.opcode === 0x1) {
          const ack = { ...(JSON.parse(f.payload.toString('utf8')) as { envelope_id: string }), calls: this.calls.length };
          this.socketAcks.push(ack);
          this.onSocketAck?.(ack);
        }
      }
    });
    socket.on('close', () => {
      if (this.#socket === socket) this.#socket = undefined;
    });
    socket.on('error', () => undefined);
    this.socketSend({ type: 'hello', num_connections: 1, debug_info: { host: 'applink-fake', build_number: 1, approximate_connection_time: 18060 }, connection_info: { app_id: 'A0EHLO' } });
    for (const r of this.#connected.splice(0)) r();
  }

  async start(): Promise<this> {
    await new Promise<void>((r) => this.#server.listen(0, '127.0.0.1', () => r()));
    this.port = (this.#server.address() as AddressInfo).port;
    return this;
  }

  async close(): Promise<void> {
    await new Promise<void>((r) => {
      this.#server.close(() => r());
      this.#server.closeAllConnections();
    });
  }

  get apiUrl(): string {
    return `http://127.0.0.1:${this.port}/api/`;
  }

  responseUrl(name: string): string {
    return `http://127.0.0.1:${this.port}/respond/${name}`;
  }

  /** The next calls of `method` fail like this, in order. */
  failNext(method: string, ...failures: Failure[]): void {
    this.#failures.set(method, [...(this.#failures.get(method) ?? []), ...failures]);
  }

  /** Calls of a method that Slack answered (status 200). */
  ok(method: string): Call[] {
    return this.calls.filter((c) => c.method === method && c.status === 200);
  }

  of(method: string): Call[] {
    return this.calls.filter((c) => c.method === method);
  }

  /** Calls that posted or changed a message. */
  messages(): Call[] {
    return this.calls.filter((c) => c.status === 200 && (c.method === 'chat.postMessage' || c.method === 'chat.update' || c.method === 'chat.postEphemeral'));
  }

  nextTs(): string {
    this.#seq++;
    return `${this.#ts + this.#seq}.${String(this.#seq).padStart(6, '0')}`;
  }

  async #serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const raw = await new Promise<string>((resolve) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    });
    if (url.pathname.startsWith('/respond/')) {
      this.responses.push({ path: url.pathname, body: JSON.parse(raw || '{}') as Record<string, unknown> });
      res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
      return;
    }
    if (url.pathname.startsWith('/files-pri/')) return this.#download(req, res, url);
    if (!url.pathname.startsWith('/api/')) {
      res.writeHead(404).end();
      return;
    }
    const method = url.pathname.slice(5);
    const args = this.#args(raw, req.headers['content-type']);
    const auth = req.headers.authorization;
    const failure = this.#failures.get(method)?.shift();
    const call: Call = { method, args, auth, at: Date.now(), status: 200 };
    if (this.keep) this.calls.push(call);
    this.onCall?.(call);
    const gate = this.#holds.get(method)?.shift();
    if (gate) {
      gate.arrived();
      await gate.released;
    }
    if (failure && 'status' in failure) {
      call.status = failure.status;
      if (failure.status === 429) {
        res.writeHead(429, { 'content-type': 'application/json', 'retry-after': String(failure.retryAfter) }).end(JSON.stringify({ ok: false, error: 'ratelimited' }));
      } else {
        res.writeHead(failure.status, { 'content-type': 'text/html' }).end('<html>upstream unavailable</html>');
      }
      return;
    }
    const answer = failure ? { ok: false, error: failure.error } : this.#answer(method, args, auth);
    call.response = answer;
    res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' }).end(JSON.stringify(answer));
  }

  #args(raw: string, type: string | undefined): Record<string, unknown> {
    if ((type ?? '').includes('application/json')) return JSON.parse(raw || '{}') as Record<string, unknown>;
    const out: Record<string, unknown> = {};
    for (const [k, v] of new URLSearchParams(raw)) out[k] = JSON_FIELDS.has(k) ? (JSON.parse(v) as unknown) : v;
    return out;
  }

  #answer(method: string, args: Record<string, unknown>, auth: string | undefined): Record<string, unknown> {
    if (method === 'apps.connections.open') {
      if (auth !== `Bearer ${APP_TOKEN}`) return { ok: false, error: auth === `Bearer ${BOT_TOKEN}` ? 'not_allowed_token_type' : 'invalid_auth' };
      return { ok: true, url: `ws://127.0.0.1:${this.port}/link/?ticket=fake-ticket-${this.nextTs()}&app_id=A0EHLO` };
    }
    if (auth !== `Bearer ${BOT_TOKEN}`) return { ok: false, error: 'invalid_auth' };
    switch (method) {
      case 'auth.test':
        return { ok: true, url: 'https://ehlo-test.slack.com/', team: 'ehlo test', user: 'ehlo', team_id: TEAM, user_id: BOT_USER, bot_id: BOT_ID, is_enterprise_install: false };
      case 'chat.postMessage': {
        if (!args.channel) return { ok: false, error: 'channel_not_found' };
        if (args.channel === 'CNOTIN') return { ok: false, error: 'not_in_channel' };
        const ts = this.nextTs();
        return {
          ok: true,
          channel: args.channel,
          ts,
          message: { type: 'message', subtype: 'bot_message', text: args.text, bot_id: BOT_ID, user: BOT_USER, ts, ...(args.thread_ts ? { thread_ts: args.thread_ts } : {}), ...(args.blocks ? { blocks: args.blocks } : {}) },
        };
      }
      case 'chat.update':
        if (!args.ts) return { ok: false, error: 'message_not_found' };
        return { ok: true, channel: args.channel, ts: args.ts, text: args.text, message: { type: 'message', text: args.text, bot_id: BOT_ID, user: BOT_USER, edited: { user: BOT_USER, ts: this.nextTs() } } };
      case 'chat.getPermalink':
        if (!args.channel || !args.message_ts) return { ok: false, error: 'message_not_found' };
        return { ok: true, channel: args.channel, permalink: `https://ehlo-test.slack.com/archives/${String(args.channel)}/p${String(args.message_ts).replace('.', '')}` };
      case 'usergroups.list':
        return { ok: true, usergroups: [...this.usergroups].map(([id, users]) => ({ id, team_id: TEAM, handle: id.toLowerCase(), ...(args.include_users ? { users } : {}) })) };
      case 'chat.postEphemeral':
        if (!args.user) return { ok: false, error: 'user_not_in_channel' };
        return { ok: true, message_ts: this.nextTs() };
      case 'users.info': {
        const u = this.users.get(String(args.user));
        if (!u) return { ok: false, error: 'user_not_found' };
        return { ok: true, user: { id: args.user, team_id: TEAM, name: u.name, deleted: false, real_name: u.display, is_bot: false, profile: { display_name: u.display, real_name: u.display } } };
      }
      case 'files.info': {
        const f = this.files.get(String(args.file));
        if (!f) return { ok: false, error: 'file_not_found' };
        const size = Buffer.byteLength(f.content);
        const url = `http://127.0.0.1:${this.port}/files-pri/${TEAM}-${f.id}/${encodeURIComponent(f.name)}`;
        return {
          ok: true,
          file: {
            id: f.id, created: this.#ts, timestamp: this.#ts, name: f.name, title: f.title ?? f.name, mimetype: f.mimetype, filetype: f.filetype,
            pretty_type: f.filetype === 'text' ? 'Plain Text' : f.filetype, user: 'U0ALICE', mode: f.mode ?? 'hosted', editable: f.mode === 'snippet', is_external: false,
            external_type: '', is_public: true, size, url_private: url, url_private_download: `${url}?download=1`, permalink: `https://ehlo-test.slack.com/files/U0ALICE/${f.id}/${f.name}`,
            ...(f.mode === 'snippet' && { preview: f.content.slice(0, 200), lines: f.content.split('\n').length }),
          },
          comments: [],
          response_metadata: { next_cursor: '' },
        };
      }
      default:
        return { ok: false, error: 'unknown_method' };
    }
  }

  #download(req: IncomingMessage, res: ServerResponse, url: URL): void {
    this.downloads.push({ path: url.pathname, auth: req.headers.authorization });
    if (req.headers.authorization !== `Bearer ${BOT_TOKEN}`) {
      res.writeHead(302, { location: 'https://ehlo-test.slack.com/?redir=login' }).end();
      return;
    }
    const id = url.pathname.split('/')[2]?.split('-')[1] ?? '';
    const f = this.files.get(id);
    if (!f) {
      res.writeHead(404).end();
      return;
    }
    if (f.redirectTo) {
      res.writeHead(302, { location: f.redirectTo }).end();
      return;
    }
    res.writeHead(200, { 'content-type': `${f.mimetype}; charset=utf-8`, 'content-length': String(Buffer.byteLength(f.content)) }).end(f.content);
  }
}

function frame(opcode: number, payload: Buffer): Buffer {
  const len = payload.length;
  const head = len < 126 ? Buffer.from([0x80 | opcode, len]) : len < 65536 ? Buffer.from([0x80 | opcode, 126, len >> 8, len & 0xff]) : Buffer.concat([Buffer.from([0x80 | opcode, 127]), (() => {
    const b = Buffer.alloc(8);
    b.writeBigUInt64BE(BigInt(len));
    return b;
  })()]);
  return Buffer.concat([head, payload]);
}

function readFrame(buf: Buffer): { opcode: number; payload: Buffer; size: number } | undefined {
  if (buf.length < 2) return undefined;
  const opcode = (buf[0] as number) & 0x0f;
  const masked = ((buf[1] as number) & 0x80) !== 0;
  let len = (buf[1] as number) & 0x7f;
  let offset = 2;
  if (len === 126) {
    if (buf.length < 4) return undefined;
    len = buf.readUInt16BE(2);
    offset = 4;
  } else if (len === 127) {
    if (buf.length < 10) return undefined;
    len = Number(buf.readBigUInt64BE(2));
    offset = 10;
  }
  const maskAt = offset;
  if (masked) offset += 4;
  if (buf.length < offset + len) return undefined;
  const payload = Buffer.from(buf.subarray(offset, offset + len));
  if (masked) for (let i = 0; i < payload.length; i++) payload[i] = (payload[i] as number) ^ (buf[maskAt + (i % 4)] as number);
  return { opcode, payload, size: offset + len };
}

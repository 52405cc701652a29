// One bounded HTTP(S) request to a checked address (SNI and Host set from the name), never with credentials.
import http from 'node:http';
import https from 'node:https';
import type tls from 'node:tls';
import { isIP } from 'node:net';
import { secureContextFor } from './connect.ts';
import type { ProbeContext } from './types.ts';

export type Method = 'GET' | 'HEAD' | 'OPTIONS' | 'POST';

export interface HttpAnswer {
  status: number;
  statusText: string;
  headers: http.IncomingHttpHeaders;
  /** Auth schemes from WWW-Authenticate, e.g. ["Negotiate", "NTLM", "Basic"]. */
  authSchemes: string[];
  location?: string;
  /** Milliseconds until the response headers arrived. */
  ms: number;
  body: string;
  /** The body's bytes, when the request asked for them (binary). */
  raw?: Buffer;
  truncated: boolean;
}

export class HttpError extends Error {
  readonly code: 'connect-refused' | 'connect-timeout' | 'connect-failed' | 'read-timeout' | 'tls-handshake-failed' | 'http-too-much-data';
  constructor(code: HttpError['code'], message: string) {
    super(message);
    this.code = code;
  }
}

export interface HttpRequest {
  url: URL;
  /** The policy-checked address the connection goes to. */
  address: string;
  method: Method;
  body?: string | Buffer;
  contentType?: string;
  /** Keep the body's bytes too (a CRL, an OCSP response). */
  binary?: boolean;
  /** Called with the TLS socket once the response arrives (certificate inspection). */
  onTls?: (socket: tls.TLSSocket) => void;
}

/** Room for status line, headers and interim responses on top of limits.maxBytes of body. */
const HEADER_ALLOWANCE = 64 * 1024;
const MAX_INFORMATIONAL = 10;

const KEPT_HEADERS = ['server', 'www-authenticate', 'location', 'content-type', 'content-length', 'x-feserver', 'x-owa-version', 'request-id', 'x-calculatedbetarget'];

export function httpRequest(req: HttpRequest, ctx: ProbeContext): Promise<HttpAnswer> {
  const { url } = req;
  const secure = url.protocol === 'https:';
  const hostname = url.hostname.replace(/^\[|\]$/g, '');
  const path = `${url.pathname}${url.search}`;
  ctx.transcript.client(`${req.method} ${path} HTTP/1.1 (Host: ${url.host})`);
  const t0 = performance.now();
  return new Promise((resolve, reject) => {
    const options: https.RequestOptions = {
      host: req.address,
      port: url.port ? Number(url.port) : secure ? 443 : 80,
      path,
      method: req.method,
      agent: false,
      headers: {
        host: url.host,
        'user-agent': 'ehlo-probe/0.1 (read-only check)',
        accept: '*/*',
        ...(req.body !== undefined ? { 'content-type': req.contentType ?? 'text/xml; charset=utf-8', 'content-length': Buffer.byteLength(req.body) } : {}),
      },
      signal: ctx.signal,
      ...(secure ? { servername: isIP(hostname) ? undefined : hostname, rejectUnauthorized: false, secureContext: secureContextFor(ctx.config) } : {}),
    };
    const timeoutMs = Math.min(ctx.config.timeouts.readMs, ctx.remaining());
    let connected = false;
    const request = (secure ? https : http).request(options, (res) => {
      clearTimeout(timer);
      const ms = Math.round(performance.now() - t0);
      if (secure && req.onTls) req.onTls(res.socket as tls.TLSSocket);
      noteResponse(res, ctx);
      readBody(res, ctx.config.limits.maxBytes, Math.max(1, Math.min(ctx.config.timeouts.readMs, ctx.remaining())), (raw, truncated) => {
        const body = raw.toString('utf8');
        resolve({
          status: res.statusCode ?? 0,
          statusText: res.statusMessage ?? '',
          headers: res.headers,
          authSchemes: authSchemes(res.headers['www-authenticate']),
          location: typeof res.headers.location === 'string' ? res.headers.location : undefined,
          ms,
          body,
          ...(req.binary ? { raw } : {}),
          truncated,
        });
      });
    });
    const timer = setTimeout(() => {
      request.destroy(new HttpError(connected ? 'read-timeout' : 'connect-timeout', connected ? `no response within ${timeoutMs} ms` : `no connection within ${timeoutMs} ms`));
    }, timeoutMs);
    // Everything read for this request counts against the bound, 1xx interim responses included (Node's
    // parser consumes those without showing them to readBody): headers, interim answers and body together.
    const cap = ctx.config.limits.maxBytes + HEADER_ALLOWANCE;
    let informational = 0;
    const tooMuch = (why: string): void => {
      request.destroy(new HttpError('http-too-much-data', `${url.host}: ${why}; stopped reading (read bound)`));
    };
    request.on('information', () => {
      if (++informational > MAX_INFORMATIONAL) tooMuch(`more than ${MAX_INFORMATIONAL} interim (1xx) responses before the answer`);
    });
    request.on('socket', (s) => {
      s.once(secure ? 'secureConnect' : 'connect', () => (connected = true));
      let bytes = 0;
      const count = (d: Buffer): void => {
        bytes += d.length;
        if (bytes > cap) {
          s.off('data', count);
          tooMuch(`the server sent more than ${cap} bytes`);
        }
      };
      s.on('data', count);
      request.once('close', () => s.off('data', count));
    });
    request.on('error', (err: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      if (err instanceof HttpError) return reject(err);
      if (err.name === 'AbortError') return reject(new HttpError('read-timeout', 'stopped: total time limit reached'));
      const code = err.code === 'ECONNREFUSED' ? 'connect-refused' : secure && !connected && /SSL|TLS|certificate|handshake|EPROTO/i.test(`${err.code} ${err.message}`) ? 'tls-handshake-failed' : 'connect-failed';
      reject(new HttpError(code, `${url.host}: ${err.code === 'ECONNREFUSED' ? 'connection refused' : err.message}`));
    });
    request.end(req.body);
  });
}

function readBody(res: http.IncomingMessage, maxBytes: number, timeoutMs: number, done: (body: Buffer, truncated: boolean) => void): void {
  const chunks: Buffer[] = [];
  let bytes = 0;
  let finished = false;
  const finish = (truncated: boolean): void => {
    if (finished) return;
    finished = true;
    clearTimeout(timer);
    if (truncated) res.destroy();
    done(Buffer.concat(chunks), truncated);
  };
  const timer = setTimeout(() => finish(true), timeoutMs);
  res.on('data', (chunk: Buffer) => {
    const room = maxBytes - bytes;
    if (chunk.length >= room) {
      chunks.push(chunk.subarray(0, room));
      bytes = maxBytes;
      return finish(true);
    }
    chunks.push(chunk);
    bytes += chunk.length;
  });
  res.on('end', () => finish(false));
  res.on('error', () => finish(true));
  res.on('close', () => finish(!res.complete));
}

function noteResponse(res: http.IncomingMessage, ctx: ProbeContext): void {
  ctx.transcript.server(`HTTP/${res.httpVersion} ${res.statusCode} ${res.statusMessage ?? ''}`.trim());
  for (let i = 0; i < res.rawHeaders.length; i += 2) {
    const name = res.rawHeaders[i]!;
    const value = res.rawHeaders[i + 1]!;
    if (name.toLowerCase() === 'location') ctx.transcript.server(`${name}: ${withoutUserinfo(value).slice(0, 200)}`);
    else if (KEPT_HEADERS.includes(name.toLowerCase())) ctx.transcript.server(`${name}: ${value.slice(0, 200)}`);
    else if (name.toLowerCase() === 'set-cookie') ctx.transcript.server(`${name}: (value not kept)`);
  }
}

/** Scheme names from one or more WWW-Authenticate headers ("Negotiate", "NTLM", "Basic realm=…"). */
export function authSchemes(header: string | string[] | undefined): string[] {
  if (!header) return [];
  const values = Array.isArray(header) ? header : [header];
  const schemes = new Set<string>();
  for (const v of values) {
    for (const part of v.split(',')) {
      // A challenge starts with a scheme token followed by a space or nothing; auth-params are token=value.
      const m = /^\s*([A-Za-z][A-Za-z0-9_-]*)(?:\s+|$)/.exec(part);
      if (m) schemes.add(canonical(m[1]!));
    }
  }
  return [...schemes];
}

function canonical(scheme: string): string {
  const known = ['Negotiate', 'NTLM', 'Basic', 'Bearer', 'Digest', 'Kerberos'];
  return known.find((k) => k.toLowerCase() === scheme.toLowerCase()) ?? scheme;
}

/**
 * A URL text with any `user:password@` before the host replaced by `***@`, without parsing it (it may be
 * invalid). Linear: one scan for "//", one for the end of the authority.
 */
export function withoutUserinfo(text: string): string {
  const start = text.indexOf('//');
  if (start < 0) return text;
  let end = text.length;
  for (const stop of ['/', '?', '#']) {
    const at = text.indexOf(stop, start + 2);
    if (at >= 0 && at < end) end = at;
  }
  const at = text.lastIndexOf('@', end - 1);
  if (at < start + 2) return text;
  return `${text.slice(0, start + 2)}***${text.slice(at)}`;
}

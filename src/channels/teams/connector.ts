// The Bot Connector client the outbox sends with: the SDK's ConnectorClient (its URLs, headers, token
// and error shapes) over an HTTP client of our own that sends on node:http(s) with keep-alive agents
// instead of the SDK's fetch. Every reply is a POST or PUT of a card of several kilobytes; fetch's
// streams and Request/Headers objects cost about as much CPU per call as building the card itself.
// What goes on the wire is the same: the SDK still builds the request (method, URL, headers with the
// token and User-Agent, JSON body); a failure is the SDK's HttpError with the status, the parsed body
// and the response headers (Retry-After), as retry.ts and the outbox read them. Unlike fetch, a
// redirect is not followed: the host policy (hosts.ts) vouches for the serviceUrl, not for wherever
// an answer points (the connector does not redirect these calls).
import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { ConnectorClient, HttpClient, HttpError, type HttpRequestConfig, type HttpResponse } from '@microsoft/agents-hosting';

/** Connections kept open to each connector host (Teams' connector throttles long before). */
const MAX_SOCKETS = 64;
/** A call whose connection stays silent this long fails (as with fetch: undici's default headers and body timeouts). */
const REQUEST_TIMEOUT_MS = 300_000;
/** Response bodies read at most (the connector answers with an id, or an error of a few hundred bytes). */
const MAX_RESPONSE_BYTES = 1024 * 1024;

/** HTTP(S)_PROXY and NO_PROXY are honoured when Node is told to (NODE_USE_ENV_PROXY=1), as fetch honours them. */
const proxyEnv = process.env.NODE_USE_ENV_PROXY === '1' || process.execArgv.includes('--use-env-proxy') ? process.env : undefined;

const agents = {
  http: new HttpAgent({ keepAlive: true, maxSockets: MAX_SOCKETS, proxyEnv }),
  https: new HttpsAgent({ keepAlive: true, maxSockets: MAX_SOCKETS, proxyEnv }),
};

function responseHeaders(res: IncomingMessage): Headers {
  const h = new Headers();
  for (const [name, value] of Object.entries(res.headers)) {
    if (value === undefined) continue;
    for (const v of Array.isArray(value) ? value : [value]) h.append(name, v);
  }
  return h;
}

/** The request's URL as the SDK's HttpClient builds it: a path joined to the base URL, then the query. */
function urlOf(baseURL: string, path: string, params: HttpRequestConfig['params']): URL {
  let url = path;
  if (!path.startsWith('http://') && !path.startsWith('https://')) {
    if (!baseURL) throw new Error(`a relative URL (${path}) needs the client's base URL`);
    url = `${baseURL.endsWith('/') ? baseURL.slice(0, -1) : baseURL}${path.startsWith('/') ? path : `/${path}`}`;
  }
  const u = new URL(url);
  for (const [k, v] of Object.entries(params ?? {})) if (v !== undefined && v !== null) u.searchParams.set(k, v);
  return u;
}

function lowerCased(headers: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers)) out[k.toLowerCase()] = v;
  return out;
}

/** The SDK's HttpClient, sending on node:http(s) with keep-alive agents (JSON calls; others as the SDK does). */
export class KeepAliveHttpClient extends HttpClient {
  /** Requests wait for it once built, before anything is sent (heldUntil). */
  readonly #gate: Promise<void> | undefined;

  constructor(options: ConstructorParameters<typeof HttpClient>[0], gate?: Promise<void>) {
    super(options);
    this.#gate = gate;
  }

  override async request<T = unknown>(config: HttpRequestConfig): Promise<HttpResponse<T>> {
    const data = config.data;
    const plainData = data === undefined || data === null || typeof data === 'string' || Object.getPrototypeOf(data) === Object.prototype || Array.isArray(data);
    if ((config.responseType && config.responseType !== 'json') || !plainData) return super.request<T>(config);
    const url = urlOf(this.baseURL, config.url, config.params);
    const headers = lowerCased({ ...this.defaultHeaders, ...config.headers });
    let body: string | undefined;
    if (data !== undefined && data !== null) {
      if ((headers['content-type'] ?? '').includes('application/x-www-form-urlencoded')) body = new URLSearchParams(data as Record<string, string>).toString();
      else if (typeof data === 'string') body = data;
      else {
        body = JSON.stringify(data);
        headers['content-type'] ??= 'application/json';
      }
      headers['content-length'] = String(Buffer.byteLength(body));
    }
    const https = url.protocol === 'https:';
    if (!https && url.protocol !== 'http:') throw new Error(`unsupported protocol ${url.protocol}`);
    if (this.#gate) await this.#gate;
    const { status, statusText, text, res } = await new Promise<{ status: number; statusText: string; text: string; res: IncomingMessage }>((resolve, reject) => {
      const req = (https ? httpsRequest : httpRequest)(url, { method: config.method.toUpperCase(), headers, agent: https ? agents.https : agents.http, signal: config.signal, timeout: config.timeout ?? REQUEST_TIMEOUT_MS }, (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (c: Buffer) => {
          size += c.length;
          if (size > MAX_RESPONSE_BYTES) return void res.destroy(new Error('the Bot Connector answer is too large'));
          chunks.push(c);
        });
        res.on('error', reject);
        res.on('end', () => resolve({ status: res.statusCode ?? 0, statusText: res.statusMessage ?? '', text: Buffer.concat(chunks).toString('utf8'), res }));
      });
      req.on('timeout', () => req.destroy(new Error(`the Bot Connector did not answer within ${config.timeout ?? REQUEST_TIMEOUT_MS} ms`)));
      req.on('error', reject);
      req.end(body);
    });
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = text;
    }
    // The Headers object is only built when someone reads it (Retry-After on a failure).
    let headers_: Headers | undefined;
    const response = {
      data: parsed as T,
      status,
      statusText,
      get headers(): Headers {
        return (headers_ ??= responseHeaders(res));
      },
      config,
    } satisfies HttpResponse<T>;
    if (status < 200 || status > 299) throw new HttpError(`Request failed with status ${status}`, response, config);
    return response;
  }
}

/** A ConnectorClient over a given HttpClient (the SDK's constructor is protected). */
class OurConnectorClient extends ConnectorClient {
  static over(http: HttpClient): ConnectorClient {
    return new OurConnectorClient(http);
  }
}

/** The same client (base URL, token, headers) sending through KeepAliveHttpClient. */
export function keepAlive(client: ConnectorClient): ConnectorClient {
  return OurConnectorClient.over(new KeepAliveHttpClient({ baseURL: client.httpClient.baseURL, headers: client.httpClient.defaultHeaders }));
}

/**
 * The same client, each request of which is built (URL, headers, JSON body) and then waits for `gate`
 * before anything is sent; a gate that rejects fails the request unsent. Undefined for a client that
 * does not send through KeepAliveHttpClient.
 */
export function heldUntil(client: ConnectorClient, gate: Promise<void>): ConnectorClient | undefined {
  if (!(client.httpClient instanceof KeepAliveHttpClient)) return undefined;
  return OurConnectorClient.over(new KeepAliveHttpClient({ baseURL: client.httpClient.baseURL, headers: client.httpClient.defaultHeaders }, gate));
}

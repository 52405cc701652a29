// Follows redirects hop by hop, each new host checked by the policy and pinned before it is contacted.
import type { HttpAnswer, Method } from './http-request.ts';
import { HttpError, httpRequest, withoutUserinfo } from './http-request.ts';
import { inspectTls } from './tls-inspect.ts';
import type { ProbeContext } from './types.ts';

export interface FollowResult {
  /** The last answer, or undefined when the first hop could not connect. */
  answer?: HttpAnswer;
  finalUrl: URL;
  hops: number;
  /** Why following stopped early (policy refusal, unresolved host, connect error). */
  stopped?: { code: string; message: string };
}

export interface FollowOptions {
  method: Method;
  body?: string;
  /** Inspect the certificate of the first TLS host (adds tls findings). */
  inspect?: boolean;
  /** Follow redirects (default true). */
  follow?: boolean;
}

export async function fetchFollow(start: URL, address: string, opts: FollowOptions, ctx: ProbeContext): Promise<FollowResult> {
  let url = start;
  let pinned = address;
  let inspected = !opts.inspect;
  let method = opts.method;
  let body = opts.body;
  for (let hop = 0; ; hop++) {
    let answer: HttpAnswer;
    try {
      answer = await httpRequest({
        url, address: pinned, method, body,
        onTls: inspected ? undefined : (socket) => {
          inspected = true;
          inspectTls(socket, url.hostname.replace(/^\[|\]$/g, ''), ctx);
        },
      }, ctx);
    } catch (err) {
      if (!(err instanceof HttpError)) throw err;
      return { finalUrl: url, hops: hop, stopped: { code: err.code, message: err.message } };
    }
    const location = answer.location;
    if (opts.follow === false || !location || answer.status < 300 || answer.status > 399) return { answer, finalUrl: url, hops: hop };
    if (hop >= ctx.config.limits.maxRedirects) return { answer, finalUrl: url, hops: hop, stopped: { code: 'too-many-redirects', message: `more than ${ctx.config.limits.maxRedirects} redirects` } };
    let next: URL;
    try {
      next = new URL(location, url);
    } catch {
      return { answer, finalUrl: url, hops: hop, stopped: { code: 'bad-redirect', message: `redirect to an invalid URL: ${withoutUserinfo(location).slice(0, 100)}` } };
    }
    if (next.username || next.password) {
      next.username = '';
      next.password = '';
      ctx.add('warn', 'redirect-credentials', `${url.host} redirects to a URL with a user name and password in it (removed here, never sent): such URLs leak credentials to logs and proxies`);
    }
    if (next.protocol !== 'https:' && next.protocol !== 'http:') return { answer, finalUrl: url, hops: hop, stopped: { code: 'bad-redirect', message: `redirect to ${next.protocol} is not followed` } };
    if (url.protocol === 'https:' && next.protocol === 'http:') ctx.add('warn', 'redirect-to-http', `${url.host} redirects from HTTPS to plain HTTP (${next.href.slice(0, 120)})`);
    ctx.add('info', 'http-redirect', `${answer.status} ${url.href.slice(0, 120)} → ${next.href.slice(0, 120)}`);
    const fromPort = effectivePort(url);
    const toPort = effectivePort(next);
    if (toPort !== fromPort && !ctx.config.redirectPorts.includes(toPort)) {
      return {
        answer, finalUrl: url, hops: hop,
        stopped: { code: 'redirect-refused', message: `not following to ${next.host}: refused by rule redirectPorts: a redirect from port ${fromPort} to port ${toPort} (allowed: ${ctx.config.redirectPorts.join(', ')}; add the port to probes.redirectPorts)` },
      };
    }
    if (next.hostname !== url.hostname) {
      const pin = await ctx.check(next.hostname.replace(/^\[|\]$/g, ''));
      if (!pin.ok) {
        const why = pin.refusal ? `refused by rule ${pin.refusal.rule}: ${pin.refusal.message}` : `could not resolve: ${pin.error}`;
        return { answer, finalUrl: url, hops: hop, stopped: { code: pin.refusal ? 'redirect-refused' : 'redirect-unresolved', message: `not following to ${next.host}: ${why}` } };
      }
      pinned = pin.address;
    }
    if (answer.status === 303 || ((answer.status === 301 || answer.status === 302) && method === 'POST')) {
      method = 'GET';
      body = undefined;
    }
    url = next;
  }
}

function effectivePort(u: URL): number {
  return u.port ? Number(u.port) : u.protocol === 'https:' ? 443 : 80;
}

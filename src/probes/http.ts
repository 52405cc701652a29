// The http probe: status, redirects, authentication schemes offered, certificate and latency of one URL.
import type { HttpAnswer } from './http-request.ts';
import { fetchFollow } from './http-follow.ts';
import type { ProbeContext, ConnectRunner } from './types.ts';

export const runHttp: ConnectRunner = async (t, ctx) => {
  const result = await fetchFollow(t.url!, t.address, { method: 'GET', inspect: true }, ctx);
  if (result.stopped) ctx.add(result.answer ? 'warn' : 'fail', result.stopped.code, result.stopped.message);
  if (!result.answer) return { error: true };
  reportAnswer(result.answer, result.finalUrl, ctx);
};

/** Status, auth schemes, latency and truncation of a final answer, as findings. */
export function reportAnswer(a: HttpAnswer, url: URL, ctx: ProbeContext): void {
  const where = `${url.href.slice(0, 120)}`;
  if (a.status >= 200 && a.status < 300) ctx.add('pass', 'http-status', `${a.status} ${a.statusText} from ${where} in ${a.ms} ms`);
  else if (a.status === 401) ctx.add('pass', 'http-auth-required', `401 from ${where} in ${a.ms} ms: the endpoint answers and asks for credentials`);
  else if (a.status >= 300 && a.status < 400) ctx.add('info', 'http-status', `${a.status} from ${where} in ${a.ms} ms (redirect not followed)`);
  else if (a.status === 403) ctx.add('warn', 'http-forbidden', `403 from ${where}: access is refused (IP restriction, SSL settings or a disabled protocol)`);
  else if (a.status === 404) ctx.add('fail', 'http-not-found', `404 from ${where}: nothing is published at this path`);
  else if (a.status >= 500) ctx.add('fail', 'http-server-error', `${a.status} ${a.statusText} from ${where}: the server or a proxy in front of it failed`);
  else ctx.add('warn', 'http-status', `${a.status} ${a.statusText} from ${where}`);
  reportAuth(a, url, ctx);
  if (a.truncated) ctx.add('info', 'body-truncated', `the response body was cut at ${ctx.config.limits.maxBytes} bytes (read bound)`);
}

export function reportAuth(a: HttpAnswer, url: URL, ctx: ProbeContext): void {
  if (!a.authSchemes.length) {
    if (a.status === 401) ctx.add('warn', 'auth-no-schemes', '401 without a WWW-Authenticate header: clients cannot tell how to sign in');
    return;
  }
  ctx.add('info', 'auth-schemes', `offers ${a.authSchemes.join(', ')}`);
  if (url.protocol === 'http:' && a.authSchemes.includes('Basic')) ctx.add('warn', 'basic-over-http', 'Basic authentication over plain HTTP sends passwords in clear');
}

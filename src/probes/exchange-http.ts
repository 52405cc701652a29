// The named Exchange endpoint checks ews, mapi, rpc, owa: one GET each, read as an Exchange admin would.
// `rpc` plays rpcping -E: it asks only the RPC/HTTP proxy (/rpc/rpcproxy.dll), never the backend.
import type { HttpAnswer } from './http-request.ts';
import { fetchFollow } from './http-follow.ts';
import { reportAuth } from './http.ts';
import type { ProbeContext, ConnectRunner } from './types.ts';

interface Endpoint {
  path: string;
  name: string;
  /** Finding code when the endpoint cannot be reached or is not published. */
  missing: string;
  /** Finding code for an answer that is neither success nor a sign-in challenge. */
  unexpected: string;
}

export const ENDPOINTS = {
  ews: { path: '/EWS/Exchange.asmx', name: 'EWS', missing: 'ews-unreachable', unexpected: 'ews-unexpected-status' },
  mapi: { path: '/mapi/emsmdb/', name: 'MAPI over HTTP', missing: 'mapi-unreachable', unexpected: 'mapi-unexpected-status' },
  rpc: { path: '/rpc/rpcproxy.dll', name: 'the RPC over HTTP proxy (Outlook Anywhere)', missing: 'rpc-unreachable', unexpected: 'rpc-unexpected-status' },
  owa: { path: '/owa/', name: 'Outlook on the web', missing: 'owa-unreachable', unexpected: 'owa-unexpected-status' },
} satisfies Record<string, Endpoint>;

export function endpointRunner(kind: keyof typeof ENDPOINTS): ConnectRunner {
  const ep: Endpoint = ENDPOINTS[kind];
  return async (t, ctx) => {
    const host = t.isIp && t.host.includes(':') ? `[${t.host}]` : t.host;
    const url = new URL(`https://${host}:${t.port ?? 443}${ep.path}`);
    const result = await fetchFollow(url, t.address, { method: 'GET', inspect: true }, ctx);
    if (!result.answer) {
      ctx.add('fail', ep.missing, `${ep.name} at ${url.href} could not be reached: ${result.stopped?.message ?? 'no answer'}`);
      return { error: true };
    }
    if (result.stopped) ctx.add('warn', result.stopped.code, result.stopped.message);
    judge(ep, result.answer, result.finalUrl, ctx);
    reportAuth(result.answer, result.finalUrl, ctx);
  };
}

function judge(ep: Endpoint, a: HttpAnswer, url: URL, ctx: ProbeContext): void {
  const at = `${a.status} from ${url.href.slice(0, 120)} in ${a.ms} ms`;
  if (a.status === 401) ctx.add('pass', 'endpoint-answers', `${ep.name} answers and asks for sign-in (${at})`);
  else if (a.status >= 200 && a.status < 300) ctx.add('pass', 'endpoint-answers', `${ep.name} answers (${at})${/\/owa\/auth\/logon\.aspx/i.test(url.pathname) ? ': forms-based sign-in page' : ''}`);
  else if (a.status === 404) ctx.add('fail', ep.missing, `${ep.name} is not published here (${at}): the virtual directory is missing or the URL is wrong`);
  else if (a.status === 403) ctx.add('warn', ep.unexpected, `${ep.name} refuses access (${at}): SSL settings, IP restrictions or the protocol is disabled`);
  else if (a.status >= 500) ctx.add('fail', ep.unexpected, `${ep.name} failed (${at}): the application pool, the backend or a proxy in front of it is in trouble`);
  else ctx.add('warn', ep.unexpected, `${ep.name} gave an unexpected answer (${at})`);
}

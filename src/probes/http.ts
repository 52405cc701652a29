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

/** Exchange Online's own client endpoints (where Basic authentication is turned off). */
const EXO_HOSTS = ['outlook.office365.com', 'outlook.office.com', 'autodiscover-s.outlook.com', 'outlook.live.com'];

function isExchangeOnline(host: string): boolean {
  const h = host.toLowerCase();
  return EXO_HOSTS.some((e) => h === e || h.endsWith(`.${e}`));
}

/** The `authorization_uri` a Bearer challenge names (Microsoft Entra ID's sign-in endpoint), when present. */
export function bearerAuthority(header: string | string[] | undefined): string | undefined {
  const text = (Array.isArray(header) ? header.join(', ') : (header ?? '')).slice(0, 4096);
  const m = /authorization_uri="([^"\s]{1,300})"/i.exec(text);
  return m?.[1];
}

/**
 * The schemes offered, read for Exchange clients: Negotiate (Kerberos, falling back to NTLM only if NTLM is
 * also offered), NTLM, Basic (a password with every request; turned off in Exchange Online), Bearer (OAuth,
 * modern authentication: tokens from Microsoft Entra ID, needed by Outlook and EWS apps for Exchange Online
 * and by Hybrid Modern Authentication on premises).
 */
export function reportAuth(a: HttpAnswer, url: URL, ctx: ProbeContext): void {
  if (!a.authSchemes.length) {
    if (a.status === 401) ctx.add('warn', 'auth-no-schemes', '401 without a WWW-Authenticate header: clients cannot tell how to sign in');
    return;
  }
  const offers = new Set(a.authSchemes);
  ctx.add('info', 'auth-schemes', `offers ${a.authSchemes.join(', ')}`);
  if (url.protocol === 'http:' && offers.has('Basic')) ctx.add('warn', 'basic-over-http', 'Basic authentication over plain HTTP sends passwords in clear');
  const exo = isExchangeOnline(url.hostname);
  if (offers.has('Negotiate') && !offers.has('NTLM') && !offers.has('Basic') && !offers.has('Bearer')) {
    ctx.add('warn', 'auth-negotiate-only', 'only Negotiate is offered: Kerberos works for domain-joined clients that can reach a domain controller; Outlook and EWS clients outside the network (or behind a proxy that breaks Kerberos) cannot sign in. Offer NTLM too, or modern authentication');
  }
  if (offers.has('Basic') && exo) {
    ctx.add('warn', 'auth-basic-exchange-online', 'Basic is offered by Exchange Online, but Exchange Online refuses Basic sign-ins for EWS, Exchange ActiveSync, POP, IMAP and remote PowerShell: clients must use OAuth (modern authentication)');
  } else if (offers.size === 1 && offers.has('Basic')) {
    ctx.add('info', 'auth-basic-only', 'only Basic is offered: every request carries the password (over TLS); Outlook prompts unless the password is saved. NTLM or Negotiate sign in without prompts inside the network, OAuth (Hybrid Modern Authentication) everywhere');
  }
  if (offers.has('Bearer')) {
    const authority = bearerAuthority(a.headers['www-authenticate']);
    ctx.add('info', 'auth-bearer', `Bearer is offered: modern authentication (OAuth 2.0). Outlook and EWS applications need a token from ${authority ? `${authority.slice(0, 120)} ` : ''}Microsoft Entra ID; an application still sending a password gets 401`);
  } else if (exo) {
    ctx.add('warn', 'auth-bearer-missing', 'an Exchange Online endpoint that does not offer Bearer: modern authentication clients cannot sign in here (a proxy in between may strip the challenge)');
  }
}

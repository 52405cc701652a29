// The autodiscover probe: the places Outlook 2016 and later try for a mailbox, in its order, until one
// answers (Microsoft's "Outlook 2016 implementation of Autodiscover"; the Active Directory SCP lookup, local
// XML and the last-known-good cache are client-side and not probed):
//   1. Autodiscover v2 (JSON), which Outlook asks first for Microsoft 365 mailboxes,
//   2. https://DOMAIN/autodiscover/autodiscover.xml (POX POST),
//   3. https://autodiscover.DOMAIN/autodiscover/autodiscover.xml (POX POST),
//   4. the HTTP redirect method: GET http://autodiscover.DOMAIN/autodiscover/autodiscover.xml, whose redirect
//      to an HTTPS URL Outlook follows (asking the user first),
//   5. the SRV record _autodiscover._tcp.DOMAIN.
// Each host is checked by the policy; the request names a mailbox address only, never credentials.
import { fetchFollow } from './http-follow.ts';
import { HttpError, httpRequest } from './http-request.ts';
import { reportAuth } from './http.ts';
import type { LookupRunner, ProbeContext } from './types.ts';

const PATH = '/autodiscover/autodiscover.xml';

/** The POX request document: which mailbox, and which response schema the client accepts. */
function requestBody(email: string): string {
  return [
    '<?xml version="1.0" encoding="utf-8"?>',
    '<Autodiscover xmlns="http://schemas.microsoft.com/exchange/autodiscover/outlook/requestschema/2006">',
    '<Request>',
    `<EMailAddress>${xmlText(email)}</EMailAddress>`,
    '<AcceptableResponseSchema>http://schemas.microsoft.com/exchange/autodiscover/outlook/responseschema/2006a</AcceptableResponseSchema>',
    '</Request>',
    '</Autodiscover>',
  ].join('\n');
}

function xmlText(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** The address Autodiscover is asked about: the one given (its domain must be the probed domain), else a probe address. */
export function mailboxFor(domain: string, email: string | undefined): string {
  const at = email?.lastIndexOf('@') ?? -1;
  if (email && at > 0 && email.slice(at + 1).toLowerCase() === domain) return email.trim();
  return `autodiscover-probe@${domain}`;
}

interface Candidate {
  host: string;
  port: number;
  via: string;
}

export const runAutodiscover: LookupRunner = async (t, ctx) => {
  const domain = t.host;
  const port = ctx.options.port ?? 443;
  const email = mailboxFor(domain, ctx.options.email);
  if (ctx.options.email && email !== ctx.options.email.trim()) ctx.add('info', 'autodiscover-email-ignored', `the address given is not at ${domain}; asking for a probe address at ${domain} instead`);
  if (await tryV2({ host: `autodiscover.${domain}`, port, via: 'Autodiscover v2 (JSON), asked first by Outlook 2016 and later' }, email, ctx)) return;
  const pox: Candidate[] = [
    { host: domain, port, via: 'the domain itself' },
    { host: `autodiscover.${domain}`, port, via: 'the autodiscover host' },
  ];
  for (const c of pox) if (await tryCandidate(c, email, ctx)) return;
  if (await tryHttpRedirect(domain, email, ctx)) return;
  const srv = await ctx.resolver.srv(`_autodiscover._tcp.${domain}`);
  const target = srv.ok ? [...srv.records].sort((a, b) => a.priority - b.priority)[0] : undefined;
  if (target && (await tryCandidate({ host: target.name.replace(/\.$/, ''), port: target.port, via: `SRV _autodiscover._tcp.${domain}` }, email, ctx))) return;
  if (!target) ctx.add('info', 'autodiscover-no-srv', `no _autodiscover._tcp.${domain} SRV record`);
  ctx.add('fail', 'autodiscover-no-endpoint', `no Autodiscover endpoint answered for ${domain}: Outlook and mobile clients cannot find the mailbox settings`);
};

function urlOf(c: Candidate, path: string, scheme = 'https'): URL {
  return new URL(`${scheme}://${c.host}:${c.port}${path}`);
}

/** Autodiscover v2: GET …/autodiscover.json/v1.0/ADDRESS?Protocol=AutodiscoverV1 answers JSON naming the POX URL. */
async function tryV2(c: Candidate, email: string, ctx: ProbeContext): Promise<boolean> {
  const url = urlOf(c, `/autodiscover/autodiscover.json/v1.0/${encodeURIComponent(email)}?Protocol=AutodiscoverV1`);
  ctx.progress(`trying ${url.href}`);
  const pin = await ctx.check(c.host);
  if (!pin.ok) {
    ctx.add('info', 'autodiscover-candidate-skipped', `${url.origin} (${c.via}): ${pin.refusal ? `refused by rule ${pin.refusal.rule}` : pin.error}`);
    return false;
  }
  const result = await fetchFollow(url, pin.address, { method: 'GET', inspect: true }, ctx);
  const a = result.answer;
  if (!a) {
    ctx.add('info', 'autodiscover-candidate-failed', `${url.origin} (${c.via}): ${result.stopped?.message ?? 'no answer'}`);
    return false;
  }
  const found = a.status === 200 ? v2Url(a.body) : undefined;
  if (!found) {
    ctx.add('info', 'autodiscover-candidate-failed', `${result.finalUrl.origin} (${c.via}) answered ${a.status}${a.status === 200 ? ' without an Autodiscover v2 JSON answer' : ''}`);
    return false;
  }
  ctx.add('pass', 'autodiscover-endpoint', `${result.finalUrl.origin} (${c.via}) answers ${a.status} in ${a.ms} ms: the Autodiscover (POX) URL for this mailbox is ${found.slice(0, 160)}`);
  return true;
}

/** The `Url` of an Autodiscover v2 JSON answer ({"Protocol": "AutodiscoverV1", "Url": "https://…"}), when it is https. */
export function v2Url(body: string): string | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return undefined;
  }
  const url = parsed && typeof parsed === 'object' ? (parsed as Record<string, unknown>).Url : undefined;
  return typeof url === 'string' && url.startsWith('https://') ? url : undefined;
}

/** True when the candidate answered like an Autodiscover endpoint (401 challenge or an XML answer). */
async function tryCandidate(c: Candidate, email: string, ctx: ProbeContext, url = urlOf(c, PATH)): Promise<boolean> {
  ctx.progress(`trying ${url.href}`);
  const pin = await ctx.check(c.host);
  if (!pin.ok) {
    ctx.add('info', 'autodiscover-candidate-skipped', `${url.href} (${c.via}): ${pin.refusal ? `refused by rule ${pin.refusal.rule}` : pin.error}`);
    return false;
  }
  const result = await fetchFollow(url, pin.address, { method: 'POST', body: requestBody(email), inspect: true }, ctx);
  const a = result.answer;
  if (!a) {
    ctx.add('info', 'autodiscover-candidate-failed', `${url.href} (${c.via}): ${result.stopped?.message ?? 'no answer'}`);
    return false;
  }
  const xml = /<Autodiscover\b/i.test(a.body);
  if (a.status === 401 || (a.status === 200 && xml)) {
    ctx.add('pass', 'autodiscover-endpoint', `${result.finalUrl.href} (${c.via}) answers ${a.status}${a.status === 401 ? ' and asks for sign-in' : ' with an Autodiscover document'} in ${a.ms} ms`);
    reportAuth(a, result.finalUrl, ctx);
    return true;
  }
  ctx.add('info', 'autodiscover-candidate-failed', `${result.finalUrl.href} (${c.via}) answered ${a.status}${a.status === 200 ? ' without an Autodiscover document' : ''}`);
  return false;
}

/** The HTTP redirect method: a plain GET whose 301/302/307 names the HTTPS Autodiscover URL to POST to. */
async function tryHttpRedirect(domain: string, email: string, ctx: ProbeContext): Promise<boolean> {
  const c: Candidate = { host: `autodiscover.${domain}`, port: ctx.options.httpPort ?? 80, via: 'the HTTP redirect method' };
  const url = urlOf(c, PATH, 'http');
  ctx.progress(`trying ${url.href}`);
  const pin = await ctx.check(c.host);
  if (!pin.ok) {
    ctx.add('info', 'autodiscover-candidate-skipped', `${url.href} (${c.via}): ${pin.refusal ? `refused by rule ${pin.refusal.rule}` : pin.error}`);
    return false;
  }
  let location: string | undefined;
  let status: number;
  try {
    const a = await httpRequest({ url, address: pin.address, method: 'GET' }, ctx);
    status = a.status;
    location = [301, 302, 307].includes(a.status) ? a.location : undefined;
  } catch (err) {
    if (!(err instanceof HttpError)) throw err;
    ctx.add('info', 'autodiscover-candidate-failed', `${url.href} (${c.via}): ${err.message}`);
    return false;
  }
  let next: URL | undefined;
  try {
    next = location ? new URL(location, url) : undefined;
  } catch {
    next = undefined;
  }
  if (!next || next.protocol !== 'https:') {
    ctx.add('info', 'autodiscover-candidate-failed', `${url.href} (${c.via}) answered ${status}${location ? ' with a redirect that is not to an HTTPS URL' : ' without a redirect'}`);
    return false;
  }
  next.username = '';
  next.password = '';
  const host = next.hostname.replace(/^\[|\]$/g, '');
  const to: Candidate = { host, port: next.port ? Number(next.port) : 443, via: `redirected from ${url.origin}` };
  const ok = await tryCandidate(to, email, ctx, next);
  if (ok) ctx.add('warn', 'autodiscover-http-redirect', `Autodiscover works only through the HTTP redirect to ${next.origin}: Outlook asks each user whether to allow ${host} to configure their settings`);
  return ok;
}

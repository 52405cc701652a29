// The autodiscover probe: the places Outlook tries for a domain, in its order, until one answers.
// Each candidate host is checked by the policy; the request is Autodiscover's documented POX POST
// (an email address only, never credentials).
import { fetchFollow } from './http-follow.ts';
import { reportAuth } from './http.ts';
import type { ProbeContext, LookupRunner } from './types.ts';

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
  const candidates: Candidate[] = [
    { host: domain, port, via: 'the domain itself' },
    { host: `autodiscover.${domain}`, port, via: 'the autodiscover host' },
  ];
  const email = mailboxFor(domain, ctx.options.email);
  if (ctx.options.email && email !== ctx.options.email.trim()) ctx.add('info', 'autodiscover-email-ignored', `the address given is not at ${domain}; asking for a probe address at ${domain} instead`);
  for (const c of candidates) if (await tryCandidate(c, email, ctx)) return;
  const srv = await ctx.resolver.srv(`_autodiscover._tcp.${domain}`);
  const target = srv.ok ? [...srv.records].sort((a, b) => a.priority - b.priority)[0] : undefined;
  if (target && (await tryCandidate({ host: target.name.replace(/\.$/, ''), port: target.port, via: `SRV _autodiscover._tcp.${domain}` }, email, ctx))) return;
  if (!target) ctx.add('info', 'autodiscover-no-srv', `no _autodiscover._tcp.${domain} SRV record`);
  ctx.add('fail', 'autodiscover-no-endpoint', `no Autodiscover endpoint answered for ${domain}: Outlook and mobile clients cannot find the mailbox settings`);
};

/** True when the candidate answered like an Autodiscover endpoint (401 challenge or an XML answer). */
async function tryCandidate(c: Candidate, email: string, ctx: ProbeContext): Promise<boolean> {
  const url = new URL(`https://${c.host}:${c.port}${PATH}`);
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

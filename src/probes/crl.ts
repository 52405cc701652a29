// Is the certificate's revocation list reachable? Exchange Online checks revocation of a connector
// certificate; a CRL it cannot fetch makes TLS with that certificate fail. The CRL host goes through the
// same policy as any target (a host the operator has not allowed is reported, not contacted), and the
// download is bounded like every HTTP read: reaching it is the question, not reading all of it.
import { HttpError, httpRequest } from './http-request.ts';
import type { ProbeContext } from './types.ts';

export async function checkCrl(urls: readonly string[], ctx: ProbeContext): Promise<void> {
  const first = urls.find((u) => u.startsWith('http://') || u.startsWith('https://'));
  if (!first || ctx.signal.aborted) return;
  const url = new URL(first);
  const pin = await ctx.check(url.hostname.replace(/^\[|\]$/g, ''));
  if (!pin.ok) {
    if (pin.refusal) ctx.add('info', 'crl-not-checked', `the CRL at ${first} was not fetched: refused by rule ${pin.refusal.rule} (allow ${url.hostname} to check it)`);
    else ctx.add('warn', 'crl-unreachable', `the CRL host ${url.hostname} does not resolve (${pin.error}): Exchange Online cannot check revocation of this certificate`);
    return;
  }
  try {
    const answer = await httpRequest({ url, address: pin.address, method: 'GET' }, ctx);
    if (answer.status === 200) ctx.add('pass', 'crl-reachable', `the CRL at ${first} answers (HTTP 200)`);
    else ctx.add('warn', 'crl-unreachable', `the CRL at ${first} answered HTTP ${answer.status}: Exchange Online cannot check revocation of this certificate`);
  } catch (err) {
    if (!(err instanceof HttpError)) throw err;
    ctx.add('warn', 'crl-unreachable', `the CRL at ${first} could not be fetched (${err.message}): Exchange Online cannot check revocation of this certificate`);
  }
}

// DANE for SMTP (RFC 7672, RFC 6698): the TLSA records at _PORT._tcp.HOST compared with the certificate chain
// the server presented. Only DANE-TA (2) and DANE-EE (3) apply to SMTP; PKIX usages (0, 1) are not used there.
// Exchange Online validates DANE for outbound mail to domains whose records are DNSSEC-signed: a TLSA record
// that matches nothing makes it refuse to deliver. TLSA records count only when DNSSEC validates them: the
// resolver's AD bit is read (dnssec.ts) and said with the result.
import { X509Certificate, createHash } from 'node:crypto';
import type { ProbeContext } from './types.ts';

export interface TlsaRecord {
  certUsage: number;
  selector: number;
  match: number;
  data: Buffer;
}

const USAGE = ['PKIX-TA', 'PKIX-EE', 'DANE-TA', 'DANE-EE'];

export function describeTlsa(r: TlsaRecord): string {
  return `${r.certUsage} ${r.selector} ${r.match} ${r.data.toString('hex').slice(0, 16)}… (${USAGE[r.certUsage] ?? 'unknown usage'}, ${r.selector === 1 ? 'public key' : 'full certificate'}, ${['exact', 'SHA-256', 'SHA-512'][r.match] ?? 'unknown matching'})`;
}

/** Does the record match this certificate (DER)? */
export function tlsaMatches(r: TlsaRecord, certDer: Buffer): boolean {
  let selected: Buffer;
  if (r.selector === 0) selected = certDer;
  else if (r.selector === 1) selected = Buffer.from(new X509Certificate(certDer).publicKey.export({ type: 'spki', format: 'der' }));
  else return false;
  const digest = r.match === 0 ? selected : r.match === 1 ? createHash('sha256').update(selected).digest() : r.match === 2 ? createHash('sha512').update(selected).digest() : undefined;
  return digest !== undefined && digest.equals(r.data);
}

/** Which certificates of the chain a record may match: the leaf for DANE-EE, the others for DANE-TA. */
function candidates(r: TlsaRecord, chain: readonly Buffer[]): readonly Buffer[] {
  if (r.certUsage === 3) return chain.slice(0, 1);
  if (r.certUsage === 2) return chain.slice(1);
  return [];
}

/** Compares the TLSA records of _port._tcp.host with the chain the server sent (leaf first). */
export async function checkDane(host: string, port: number, chain: readonly Buffer[], ctx: ProbeContext): Promise<void> {
  if (!chain.length || ctx.signal.aborted) return;
  const name = `_${port}._tcp.${host}`;
  const found = await ctx.resolver.tlsa(name);
  if (!found.ok) {
    if (found.reason !== 'nxdomain' && found.reason !== 'nodata') ctx.add('info', 'dane-lookup-failed', `TLSA lookup of ${name} failed: ${found.detail}`);
    return;
  }
  const usable = found.records.filter((r) => r.certUsage === 2 || r.certUsage === 3);
  for (const r of found.records) ctx.transcript.note(`${name} TLSA ${describeTlsa(r)}`);
  if (!usable.length) {
    ctx.add('warn', 'dane-unusable', `${name} publishes only PKIX-usage TLSA records (0 or 1), which SMTP senders ignore (RFC 7672): use DANE-EE (3) or DANE-TA (2)`);
    return;
  }
  const ad = await ctx.resolver.authenticated(name, 'TLSA');
  if (ad === false) ctx.add('warn', 'dane-not-validated', `the resolver did not mark the TLSA answer for ${name} DNSSEC-validated (no AD bit): senders ignore TLSA records that DNSSEC does not validate, so DANE is not in force (or this resolver does not validate)`);
  else if (ad === true) ctx.add('info', 'dane-dnssec', `the resolver validated the TLSA answer for ${name} with DNSSEC (AD bit)`);
  const match = usable.find((r) => candidates(r, chain).some((c) => tlsaMatches(r, c)));
  if (match) ctx.add('pass', 'dane-match', `the certificate matches TLSA ${describeTlsa(match)} at ${name}`);
  else {
    ctx.add('fail', 'dane-mismatch', `none of the ${usable.length} TLSA record(s) at ${name} matches the certificate presented: senders that validate DANE (Exchange Online among them, when the zone is DNSSEC-signed) refuse to deliver; publish a record for the current certificate before changing it`);
  }
}

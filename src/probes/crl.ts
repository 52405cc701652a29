// Revocation of the certificate a server presents, as Exchange Online checks it for connector certificates:
// the CRL named in the certificate is fetched through the probe policy (a host the operator has not allowed
// is reported, not contacted), bounded like every HTTP read, parsed, its signature verified with the
// issuer's key, and the certificate's serial looked up: revoked, not revoked, or unreadable. OCSP is asked
// too where the certificate names a responder (ocsp.ts).
import { X509Certificate } from 'node:crypto';
import { DerError, TAG, bitString, children, expect, integerHex, oid, readTlv, signedBy, time, whole } from './der.ts';
import { HttpError, httpRequest } from './http-request.ts';
import { checkOcsp } from './ocsp.ts';
import type { ProbeContext } from './types.ts';

export interface RevocationFacts {
  crlUrls: string[];
  ocspUrl?: string;
  /** The leaf and the certificate that issued it (DER), when the server sent the chain. */
  leafDer?: Buffer;
  issuerDer?: Buffer;
}

export interface ParsedCrl {
  issuerName: Buffer;
  thisUpdate: Date;
  nextUpdate?: Date;
  /** Revoked serials (uppercase hex) → revocation date. */
  revoked: Map<string, Date>;
  signatureOid: string;
  signed: Buffer;
  signature: Buffer;
}

const MAX_ENTRIES = 1_000_000;

/** Parses a DER CRL (RFC 5280 section 5); throws DerError for anything else. */
export function parseCrl(der: Uint8Array): ParsedCrl {
  const top = expect(readTlv(der, 0), TAG.SEQUENCE, 'CertificateList');
  if (top.end !== der.length) throw new DerError('bytes after the CRL');
  const [tbs, alg, sig] = children(der, top, 3);
  expect(tbs, TAG.SEQUENCE, 'TBSCertList');
  const algOid = oid(der, expect(children(der, expect(alg, TAG.SEQUENCE, 'signatureAlgorithm'), 2)[0], TAG.OID, 'algorithm'));
  const fields = children(der, tbs!, 8);
  let i = fields[0]?.tag === TAG.INTEGER ? 1 : 0;
  expect(fields[i++], TAG.SEQUENCE, 'signature');
  const issuer = expect(fields[i++], TAG.SEQUENCE, 'issuer');
  const thisUpdate = time(der, fields[i++] ?? ({ tag: 0 } as never));
  let nextUpdate: Date | undefined;
  if (fields[i] && (fields[i]!.tag === TAG.UTC_TIME || fields[i]!.tag === TAG.GENERALIZED_TIME)) nextUpdate = time(der, fields[i++]!);
  const revoked = new Map<string, Date>();
  if (fields[i]?.tag === TAG.SEQUENCE) {
    for (const entry of children(der, fields[i]!, MAX_ENTRIES)) {
      const [serial, date] = children(der, expect(entry, TAG.SEQUENCE, 'revokedCertificate'), 3);
      revoked.set(integerHex(der, expect(serial, TAG.INTEGER, 'userCertificate')), time(der, date ?? ({ tag: 0 } as never)));
    }
  }
  return { issuerName: whole(der, issuer), thisUpdate, nextUpdate, revoked, signatureOid: algOid, signed: whole(der, tbs!), signature: bitString(der, expect(sig, TAG.BIT_STRING, 'signatureValue')) };
}

function day(d: Date): string {
  return d.toISOString().slice(0, 10);
}

/** The CRL, then OCSP where the certificate names a responder (both when both are named, as Windows does). */
export async function checkRevocation(facts: RevocationFacts, ctx: ProbeContext): Promise<void> {
  await checkCrl(facts, ctx);
  if (facts.ocspUrl && facts.leafDer && facts.issuerDer && !ctx.signal.aborted) await checkOcsp(facts.ocspUrl, facts.leafDer, facts.issuerDer, ctx);
}

export async function checkCrl(facts: RevocationFacts, ctx: ProbeContext): Promise<void> {
  const first = facts.crlUrls.find((u) => u.startsWith('http://') || u.startsWith('https://'));
  if (!first || ctx.signal.aborted) return;
  const url = new URL(first);
  const pin = await ctx.check(url.hostname.replace(/^\[|\]$/g, ''));
  if (!pin.ok) {
    if (pin.refusal) ctx.add('info', 'crl-not-checked', `the CRL at ${first} was not fetched: refused by rule ${pin.refusal.rule} (allow ${url.hostname} to check it)`);
    else ctx.add('warn', 'crl-unreachable', `the CRL host ${url.hostname} does not resolve (${pin.error}): Exchange Online cannot check revocation of this certificate`);
    return;
  }
  let answer;
  try {
    answer = await httpRequest({ url, address: pin.address, method: 'GET', binary: true }, ctx);
  } catch (err) {
    if (!(err instanceof HttpError)) throw err;
    ctx.add('warn', 'crl-unreachable', `the CRL at ${first} could not be fetched (${err.message}): Exchange Online cannot check revocation of this certificate`);
    return;
  }
  if (answer.status !== 200) {
    ctx.add('warn', 'crl-unreachable', `the CRL at ${first} answered HTTP ${answer.status}: Exchange Online cannot check revocation of this certificate`);
    return;
  }
  if (answer.truncated) {
    ctx.add('info', 'crl-too-large', `the CRL at ${first} answers, but is larger than the read bound (${ctx.config.limits.maxBytes} bytes): revocation not checked here`);
    return;
  }
  judgeCrl(first, answer.raw ?? Buffer.alloc(0), facts, ctx);
}

function judgeCrl(where: string, der: Buffer, facts: RevocationFacts, ctx: ProbeContext): void {
  let crl: ParsedCrl;
  try {
    crl = parseCrl(der);
  } catch (err) {
    if (!(err instanceof DerError)) throw err;
    ctx.add('warn', 'crl-unreadable', `the CRL at ${where} answers HTTP 200 but is not a readable CRL (${err.message}): Exchange Online cannot check revocation of this certificate`);
    return;
  }
  ctx.transcript.note(`CRL ${where}: ${crl.revoked.size} revoked serial(s), this update ${day(crl.thisUpdate)}${crl.nextUpdate ? `, next update ${day(crl.nextUpdate)}` : ''}`);
  if (!facts.issuerDer || !facts.leafDer) {
    ctx.add('info', 'crl-not-checked', `the CRL at ${where} was read, but the server did not send the issuer certificate to verify it with`);
    return;
  }
  const issuer = new X509Certificate(facts.issuerDer);
  const leaf = new X509Certificate(facts.leafDer);
  if (!signedBy(crl.signed, crl.signature, crl.signatureOid, issuer)) {
    ctx.add('fail', 'crl-bad-signature', `the CRL at ${where} is not signed by the certificate's issuer (${issuer.subject.replace(/\n/g, ', ')}): revocation cannot be trusted`);
    return;
  }
  const revokedAt = crl.revoked.get(leaf.serialNumber.toUpperCase().replace(/^(?:00)+(?=.)/, ''));
  if (revokedAt) {
    ctx.add('fail', 'cert-revoked', `the certificate (serial ${leaf.serialNumber}) is revoked: its CRL at ${where} lists it since ${day(revokedAt)}`);
  } else {
    ctx.add('pass', 'crl-not-revoked', `the certificate is not revoked: the signed CRL at ${where} (${crl.revoked.size} entries, this update ${day(crl.thisUpdate)}) does not list it`);
  }
  if (crl.nextUpdate && crl.nextUpdate.getTime() < Date.now()) {
    ctx.add('warn', 'crl-expired', `the CRL at ${where} was due for renewal on ${day(crl.nextUpdate)}: clients that check revocation may reject the certificate`);
  }
}

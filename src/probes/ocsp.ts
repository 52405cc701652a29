// OCSP (RFC 6960) where the certificate names a responder: one request for the leaf (CertID with SHA-1 of the
// issuer's name and key, as responders expect), POSTed through the probe policy and bounded like every HTTP
// read; the answer's signature is verified with the issuer's key, or with a responder certificate the issuer
// signed for OCSP signing. Good, revoked or unknown; anything unreadable is said so.
import { X509Certificate, createHash } from 'node:crypto';
import { bitString, bytes, certParts, children, DerError, expect, integerHex, oid, readTlv, signedBy, TAG, time, whole } from './der.ts';
import { HttpError, httpRequest } from './http-request.ts';
import type { ProbeContext } from './types.ts';

const BASIC = '1.3.6.1.5.5.7.48.1.1';
const OCSP_SIGNING = '1.3.6.1.5.5.7.3.9';

function tlv(tag: number, content: Buffer): Buffer {
  const n = content.length;
  const len = n < 0x80 ? Buffer.from([n]) : n < 0x100 ? Buffer.from([0x81, n]) : Buffer.from([0x82, n >> 8, n & 0xff]);
  return Buffer.concat([Buffer.from([tag]), len, content]);
}

/** The DER of an OCSPRequest for the leaf issued by `issuer`. */
export function ocspRequest(leafDer: Buffer, issuerDer: Buffer): Buffer {
  const leaf = certParts(leafDer);
  const issuer = certParts(issuerDer);
  const sha1 = (b: Buffer) => createHash('sha1').update(b).digest();
  const serial = Buffer.from(leaf.serialHex.length % 2 ? `0${leaf.serialHex}` : leaf.serialHex, 'hex');
  const serialInt = serial[0]! & 0x80 ? Buffer.concat([Buffer.from([0]), serial]) : serial;
  const certId = tlv(TAG.SEQUENCE, Buffer.concat([
    tlv(TAG.SEQUENCE, Buffer.concat([tlv(TAG.OID, Buffer.from([0x2b, 0x0e, 0x03, 0x02, 0x1a])), tlv(TAG.NULL, Buffer.alloc(0))])),
    tlv(TAG.OCTET_STRING, sha1(leaf.issuerName)),
    tlv(TAG.OCTET_STRING, sha1(issuer.publicKeyBits)),
    tlv(TAG.INTEGER, serialInt),
  ]));
  return tlv(TAG.SEQUENCE, tlv(TAG.SEQUENCE, tlv(TAG.SEQUENCE, tlv(TAG.SEQUENCE, certId))));
}

export type OcspStatus = { status: 'good' | 'unknown'; thisUpdate: Date; nextUpdate?: Date } | { status: 'revoked'; revokedAt: Date; thisUpdate: Date; nextUpdate?: Date };

export interface ParsedOcsp {
  responseStatus: number;
  signed?: Buffer;
  signature?: Buffer;
  signatureOid?: string;
  certs: Buffer[];
  /** Single responses by serial (uppercase hex). */
  responses: Map<string, OcspStatus & { hashOid: string }>;
}

/** Parses an OCSPResponse; throws DerError when it is not one. */
export function parseOcsp(der: Uint8Array): ParsedOcsp {
  const top = expect(readTlv(der, 0), TAG.SEQUENCE, 'OCSPResponse');
  const [statusT, bytesT] = children(der, top, 2);
  const status = expect(statusT, TAG.ENUMERATED, 'responseStatus');
  const responseStatus = der[status.start] ?? 255;
  const out: ParsedOcsp = { responseStatus, certs: [], responses: new Map() };
  if (responseStatus !== 0) return out;
  const rb = expect(children(der, expect(bytesT, 0xa0, 'responseBytes'), 1)[0], TAG.SEQUENCE, 'ResponseBytes');
  const [typeT, octets] = children(der, rb, 2);
  if (oid(der, expect(typeT, TAG.OID, 'responseType')) !== BASIC) throw new DerError('not a basic OCSP response');
  const basic = bytes(der, expect(octets, TAG.OCTET_STRING, 'response'));
  const bTop = expect(readTlv(basic, 0), TAG.SEQUENCE, 'BasicOCSPResponse');
  const [tbs, alg, sig, certsT] = children(basic, bTop, 4);
  out.signed = whole(basic, expect(tbs, TAG.SEQUENCE, 'ResponseData'));
  out.signatureOid = oid(basic, expect(children(basic, expect(alg, TAG.SEQUENCE, 'signatureAlgorithm'), 2)[0], TAG.OID, 'algorithm'));
  out.signature = bitString(basic, expect(sig, TAG.BIT_STRING, 'signature'));
  if (certsT?.tag === 0xa0) {
    const list = expect(children(basic, certsT, 1)[0], TAG.SEQUENCE, 'certs');
    out.certs = children(basic, list, 10).map((c) => whole(basic, c));
  }
  const fields = children(basic, tbs!, 6);
  let i = fields[0]?.tag === 0xa0 ? 1 : 0;
  i++; // responderID
  i++; // producedAt
  for (const single of children(basic, expect(fields[i], TAG.SEQUENCE, 'responses'), 100)) {
    const [certId, certStatus, thisUpdateT, next] = children(basic, expect(single, TAG.SEQUENCE, 'SingleResponse'), 5);
    const idParts = children(basic, expect(certId, TAG.SEQUENCE, 'CertID'), 4);
    const hashOid = oid(basic, expect(children(basic, expect(idParts[0], TAG.SEQUENCE, 'hashAlgorithm'), 2)[0], TAG.OID, 'algorithm'));
    const serial = integerHex(basic, expect(idParts[3], TAG.INTEGER, 'serialNumber'));
    const thisUpdate = time(basic, thisUpdateT ?? ({ tag: 0 } as never));
    const nextUpdate = next?.tag === 0xa0 ? time(basic, children(basic, next, 1)[0]!) : undefined;
    if (!certStatus) throw new DerError('no certStatus');
    if (certStatus.tag === 0x80) out.responses.set(serial, { status: 'good', thisUpdate, nextUpdate, hashOid });
    else if (certStatus.tag === 0xa1) out.responses.set(serial, { status: 'revoked', revokedAt: time(basic, children(basic, certStatus, 2)[0]!), thisUpdate, nextUpdate, hashOid });
    else if (certStatus.tag === 0x82) out.responses.set(serial, { status: 'unknown', thisUpdate, nextUpdate, hashOid });
    else throw new DerError('bad certStatus');
  }
  return out;
}

/** True when the issuer signed the response, or signed a responder certificate (OCSP signing) that did. */
function verifiedBy(r: ParsedOcsp, issuer: X509Certificate): boolean {
  if (!r.signed || !r.signature || !r.signatureOid) return false;
  if (signedBy(r.signed, r.signature, r.signatureOid, issuer)) return true;
  for (const der of r.certs) {
    let responder: X509Certificate;
    try {
      responder = new X509Certificate(der);
    } catch {
      continue;
    }
    const delegated = responder.checkIssued(issuer) && responder.verify(issuer.publicKey) && (responder.keyUsage ?? []).includes(OCSP_SIGNING);
    if (delegated && signedBy(r.signed, r.signature, r.signatureOid, responder)) return true;
  }
  return false;
}

const STATUS_TEXT: Record<number, string> = { 1: 'malformedRequest', 2: 'internalError', 3: 'tryLater', 5: 'sigRequired', 6: 'unauthorized' };

export async function checkOcsp(where: string, leafDer: Buffer, issuerDer: Buffer, ctx: ProbeContext): Promise<void> {
  let url: URL;
  let body: Buffer;
  try {
    url = new URL(where);
    body = ocspRequest(leafDer, issuerDer);
  } catch {
    return;
  }
  const pin = await ctx.check(url.hostname.replace(/^\[|\]$/g, ''));
  if (!pin.ok) {
    if (pin.refusal) ctx.add('info', 'ocsp-not-checked', `the OCSP responder at ${where} was not asked: refused by rule ${pin.refusal.rule} (allow ${url.hostname} to check it)`);
    else ctx.add('warn', 'ocsp-unreachable', `the OCSP responder host ${url.hostname} does not resolve (${pin.error})`);
    return;
  }
  let answer;
  try {
    answer = await httpRequest({ url, address: pin.address, method: 'POST', body, contentType: 'application/ocsp-request', binary: true }, ctx);
  } catch (err) {
    if (!(err instanceof HttpError)) throw err;
    ctx.add('warn', 'ocsp-unreachable', `the OCSP responder at ${where} could not be reached (${err.message})`);
    return;
  }
  if (answer.status !== 200) {
    ctx.add('warn', 'ocsp-unreachable', `the OCSP responder at ${where} answered HTTP ${answer.status}`);
    return;
  }
  let parsed: ParsedOcsp;
  try {
    parsed = parseOcsp(answer.raw ?? Buffer.alloc(0));
  } catch (err) {
    if (!(err instanceof DerError)) throw err;
    ctx.add('warn', 'ocsp-unreadable', `the OCSP responder at ${where} answered, but not with a readable OCSP response (${err.message})`);
    return;
  }
  if (parsed.responseStatus !== 0) {
    ctx.add('warn', 'ocsp-error', `the OCSP responder at ${where} answered ${STATUS_TEXT[parsed.responseStatus] ?? `status ${parsed.responseStatus}`}`);
    return;
  }
  const issuer = new X509Certificate(issuerDer);
  if (!verifiedBy(parsed, issuer)) {
    ctx.add('fail', 'ocsp-bad-signature', `the OCSP answer from ${where} is not signed by the certificate's issuer or a responder it authorised`);
    return;
  }
  const serial = certParts(leafDer).serialHex;
  const single = parsed.responses.get(serial);
  const day = (d: Date) => d.toISOString().slice(0, 10);
  if (!single) ctx.add('warn', 'ocsp-unreadable', `the OCSP answer from ${where} says nothing about this certificate (serial ${serial})`);
  else if (single.status === 'revoked') ctx.add('fail', 'ocsp-revoked', `the OCSP responder at ${where} says the certificate is revoked (since ${day(single.revokedAt)})`);
  else if (single.status === 'unknown') ctx.add('warn', 'ocsp-unknown', `the OCSP responder at ${where} does not know this certificate: it was not issued by that CA, or the CA lost track of it`);
  else ctx.add('pass', 'ocsp-good', `the OCSP responder at ${where} says the certificate is good (answer of ${day(single.thisUpdate)})`);
}

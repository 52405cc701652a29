// A loopback OCSP responder's answer, built by hand in DER (no library writes OCSP responses): it echoes the
// request's CertID and signs with the CA key (ECDSA P-256, SHA-256), as a CA's own responder does.
import { createPrivateKey, sign } from 'node:crypto';
import { children, expect, readTlv, TAG, whole } from '../../src/probes/der.ts';
import type { Pem } from './certs.ts';

function tlv(tag: number, content: Buffer): Buffer {
  const n = content.length;
  const len = n < 0x80 ? Buffer.from([n]) : n < 0x100 ? Buffer.from([0x81, n]) : Buffer.from([0x82, n >> 8, n & 0xff]);
  return Buffer.concat([Buffer.from([tag]), len, content]);
}
const seq = (...parts: Buffer[]) => tlv(TAG.SEQUENCE, Buffer.concat(parts));
const gtime = (d: Date) => tlv(TAG.GENERALIZED_TIME, Buffer.from(`${d.toISOString().replace(/[-:T]/g, '').slice(0, 14)}Z`));
const ECDSA_SHA256 = Buffer.from([0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x04, 0x03, 0x02]);
const BASIC = Buffer.from([0x06, 0x09, 0x2b, 0x06, 0x01, 0x05, 0x05, 0x07, 0x30, 0x01, 0x01]);

/** The CertID of the first request in an OCSPRequest (DER). */
export function requestedCertId(request: Buffer): Buffer {
  const top = expect(readTlv(request, 0), TAG.SEQUENCE, 'OCSPRequest');
  const tbs = children(request, top)[0]!;
  const list = children(request, tbs).find((t) => t.tag === TAG.SEQUENCE)!;
  const req = children(request, list)[0]!;
  return whole(request, children(request, req)[0]!);
}

/** An OCSPResponse saying `status` for the certificate the request asked about, signed by `signer`. */
export function ocspAnswer(request: Buffer, status: 'good' | 'revoked' | 'unknown', signer: Pem): Buffer {
  const now = new Date();
  const certStatus = status === 'good' ? Buffer.from([0x80, 0]) : status === 'unknown' ? Buffer.from([0x82, 0]) : tlv(0xa1, gtime(new Date(now.getTime() - 86_400_000)));
  const single = seq(requestedCertId(request), certStatus, gtime(now));
  const responseData = seq(tlv(0xa2, tlv(TAG.OCTET_STRING, Buffer.alloc(20, 7))), gtime(now), seq(single));
  const signature = sign('sha256', responseData, createPrivateKey(signer.key));
  const basic = seq(responseData, seq(ECDSA_SHA256), tlv(TAG.BIT_STRING, Buffer.concat([Buffer.from([0]), signature])));
  return seq(tlv(TAG.ENUMERATED, Buffer.from([0])), tlv(0xa0, seq(BASIC, tlv(TAG.OCTET_STRING, basic))));
}

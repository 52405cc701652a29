// A small, bounded DER reader: enough of X.509 to read a CRL, the parts of a certificate an OCSP request
// needs, and an OCSP response. Every length is checked against its parent, nothing recurses without a depth
// limit, and a malformed input throws DerError (never reads past the buffer).
import { verify } from 'node:crypto';
import type { X509Certificate } from 'node:crypto';

export class DerError extends Error {}

export interface Tlv {
  tag: number;
  /** Offset of the tag byte. */
  at: number;
  /** Offset of the first content byte. */
  start: number;
  /** Offset just past the content (= the next sibling's `at`). */
  end: number;
}

export const TAG = {
  INTEGER: 0x02,
  BIT_STRING: 0x03,
  OCTET_STRING: 0x04,
  NULL: 0x05,
  OID: 0x06,
  ENUMERATED: 0x0a,
  UTC_TIME: 0x17,
  GENERALIZED_TIME: 0x18,
  SEQUENCE: 0x30,
  SET: 0x31,
} as const;

/** Reads the TLV at `at`, whose content must end by `limit`. Only single-byte tags (all X.509 uses). */
export function readTlv(buf: Uint8Array, at: number, limit = buf.length): Tlv {
  if (at + 2 > limit) throw new DerError('truncated: no room for a tag and a length');
  const tag = buf[at]!;
  if ((tag & 0x1f) === 0x1f) throw new DerError('multi-byte tags are not used by X.509');
  let len = buf[at + 1]!;
  let start = at + 2;
  if (len & 0x80) {
    const n = len & 0x7f;
    if (n === 0 || n > 4) throw new DerError(n === 0 ? 'indefinite length is not DER' : 'length too large');
    if (start + n > limit) throw new DerError('truncated length');
    len = 0;
    for (let i = 0; i < n; i++) len = len * 256 + buf[start + i]!;
    start += n;
  }
  const end = start + len;
  if (end > limit) throw new DerError('content runs past its container');
  return { tag, at, start, end };
}

/** The TLVs inside a constructed TLV, at most `max` of them. */
export function children(buf: Uint8Array, parent: Tlv, max = 100_000): Tlv[] {
  const out: Tlv[] = [];
  for (let at = parent.start; at < parent.end; ) {
    if (out.length >= max) throw new DerError(`more than ${max} elements`);
    const t = readTlv(buf, at, parent.end);
    out.push(t);
    at = t.end;
  }
  return out;
}

export function expect(t: Tlv | undefined, tag: number, what: string): Tlv {
  if (!t || t.tag !== tag) throw new DerError(`${what}: expected tag 0x${tag.toString(16)}, found ${t ? `0x${t.tag.toString(16)}` : 'nothing'}`);
  return t;
}

export function bytes(buf: Uint8Array, t: Tlv): Buffer {
  return Buffer.from(buf.subarray(t.start, t.end));
}

/** The whole TLV (tag, length and content): what a signature covers. */
export function whole(buf: Uint8Array, t: Tlv): Buffer {
  return Buffer.from(buf.subarray(t.at, t.end));
}

export function oid(buf: Uint8Array, t: Tlv): string {
  const b = buf.subarray(t.start, t.end);
  if (!b.length || b.length > 64) throw new DerError('bad OID');
  const parts: number[] = [];
  let v = 0;
  for (const byte of b) {
    v = v * 128 + (byte & 0x7f);
    if (!(byte & 0x80)) {
      parts.push(v);
      v = 0;
    }
  }
  const first = parts.shift() ?? 0;
  return [first < 80 ? Math.floor(first / 40) : 2, first < 80 ? first % 40 : first - 80, ...parts].join('.');
}

/** An INTEGER as uppercase hex without leading zero bytes (X509Certificate.serialNumber's form). */
export function integerHex(buf: Uint8Array, t: Tlv): string {
  let b = buf.subarray(t.start, t.end);
  while (b.length > 1 && b[0] === 0) b = b.subarray(1);
  return Buffer.from(b).toString('hex').toUpperCase();
}

export function time(buf: Uint8Array, t: Tlv): Date {
  const s = Buffer.from(buf.subarray(t.start, t.end)).toString('latin1');
  let full: string;
  if (t.tag === TAG.UTC_TIME && /^\d{12}Z$/.test(s)) full = `${Number(s.slice(0, 2)) >= 50 ? '19' : '20'}${s}`;
  else if (t.tag === TAG.GENERALIZED_TIME && /^\d{14}Z$/.test(s)) full = s;
  else throw new DerError('bad time');
  const d = new Date(`${full.slice(0, 4)}-${full.slice(4, 6)}-${full.slice(6, 8)}T${full.slice(8, 10)}:${full.slice(10, 12)}:${full.slice(12, 14)}Z`);
  if (Number.isNaN(d.getTime())) throw new DerError('bad time');
  return d;
}

/** The content of a BIT STRING without its unused-bits byte. */
export function bitString(buf: Uint8Array, t: Tlv): Buffer {
  if (t.end <= t.start) throw new DerError('empty BIT STRING');
  return Buffer.from(buf.subarray(t.start + 1, t.end));
}

/** Signature algorithm OID → the hash crypto.verify takes (null for Ed25519/Ed448), undefined when unsupported. */
export function hashOf(sigOid: string): string | null | undefined {
  return (
    {
      '1.2.840.113549.1.1.5': 'sha1',
      '1.2.840.113549.1.1.11': 'sha256',
      '1.2.840.113549.1.1.12': 'sha384',
      '1.2.840.113549.1.1.13': 'sha512',
      '1.2.840.10045.4.1': 'sha1',
      '1.2.840.10045.4.3.2': 'sha256',
      '1.2.840.10045.4.3.3': 'sha384',
      '1.2.840.10045.4.3.4': 'sha512',
      '1.3.101.112': null,
      '1.3.101.113': null,
    } as Record<string, string | null>
  )[sigOid];
}

export interface CertParts {
  serialHex: string;
  /** DER of the issuer and subject Names, and the subject public key's bits (for OCSP's CertID). */
  issuerName: Buffer;
  subjectName: Buffer;
  publicKeyBits: Buffer;
}

/** The serial, issuer, subject and public key of a DER certificate. */
export function certParts(der: Uint8Array): CertParts {
  const cert = expect(readTlv(der, 0), TAG.SEQUENCE, 'Certificate');
  const tbs = expect(children(der, cert, 3)[0], TAG.SEQUENCE, 'TBSCertificate');
  const f = children(der, tbs, 12);
  const o = f[0]?.tag === 0xa0 ? 1 : 0;
  const spki = expect(f[o + 5], TAG.SEQUENCE, 'SubjectPublicKeyInfo');
  return {
    serialHex: integerHex(der, expect(f[o], TAG.INTEGER, 'serialNumber')),
    issuerName: whole(der, expect(f[o + 2], TAG.SEQUENCE, 'issuer')),
    subjectName: whole(der, expect(f[o + 4], TAG.SEQUENCE, 'subject')),
    publicKeyBits: bitString(der, expect(children(der, spki, 2)[1], TAG.BIT_STRING, 'subjectPublicKey')),
  };
}

/** True when `signature` over `signed` verifies with the certificate's key (an unsupported algorithm: false). */
export function signedBy(signed: Buffer, signature: Buffer, sigOid: string, signer: X509Certificate): boolean {
  const hash = hashOf(sigOid);
  if (hash === undefined) return false;
  try {
    return verify(hash, signed, signer.publicKey, signature);
  } catch {
    return false;
  }
}

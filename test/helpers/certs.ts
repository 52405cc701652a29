// Certificates made in the test with `selfsigned`: a test CA and leaves it signs (valid, expired, wrong name).
import { generate } from 'selfsigned';

export interface Pem {
  key: string;
  cert: string;
}

const DAY = 86_400_000;

export interface CertOptions {
  /** DNS names (or IP literals) the certificate names; the first is also the CN. */
  names: string[];
  /** Sign with this CA; self-signed when absent. */
  ca?: Pem;
  /** Validity relative to now, in days (defaults: -1 .. +365). */
  fromDays?: number;
  toDays?: number;
  /** RSA instead of EC, with this key size. */
  rsaBits?: number;
}

/** A CA certificate: a self-signed root, or an intermediate when `parent` signs it. */
export async function makeCa(cn = 'ehlo test CA', parent?: Pem): Promise<Pem> {
  const pems = await generate([{ name: 'commonName', value: cn }], {
    keyType: 'ec',
    algorithm: 'sha256',
    notBeforeDate: new Date(Date.now() - DAY),
    notAfterDate: new Date(Date.now() + 3650 * DAY),
    extensions: [
      { name: 'basicConstraints', cA: true, critical: true },
      { name: 'keyUsage', keyCertSign: true, cRLSign: true, digitalSignature: true, critical: true },
    ],
    ...(parent ? { ca: parent } : {}),
  });
  return { key: pems.private, cert: pems.cert };
}

export async function makeCert(o: CertOptions): Promise<Pem> {
  const pems = await generate([{ name: 'commonName', value: o.names[0]! }], {
    ...(o.rsaBits ? { keyType: 'rsa' as const, keySize: o.rsaBits } : { keyType: 'ec' as const }),
    algorithm: 'sha256',
    notBeforeDate: new Date(Date.now() + (o.fromDays ?? -1) * DAY),
    notAfterDate: new Date(Date.now() + (o.toDays ?? 365) * DAY),
    extensions: [
      { name: 'basicConstraints', cA: false },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true },
      { name: 'extKeyUsage', serverAuth: true },
      { name: 'subjectAltName', altNames: o.names.map((n) => (/^[\d.]+$|:/.test(n) ? { type: 7 as const, ip: n } : { type: 2 as const, value: n })) },
    ],
    ...(o.ca ? { ca: o.ca } : {}),
  });
  return { key: pems.private, cert: pems.cert };
}

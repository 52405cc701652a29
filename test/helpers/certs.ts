// Certificates made in the test with `selfsigned`: a test CA and leaves it signs (valid, expired, wrong name).
import { createPrivateKey, randomBytes, webcrypto } from 'node:crypto';
import * as x509 from '@peculiar/x509';
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

/**
 * A leaf signed by `ca` that names a CRL distribution point (selfsigned cannot write that extension,
 * so this one is built with @peculiar/x509 on Node's WebCrypto). EC P-256, valid for a year.
 */
export async function makeCertWithCrl(host: string, ca: Pem, crlUrl: string, ocspUrl?: string): Promise<Pem> {
  // Node's WebCrypto is the standard Crypto interface; the library's parameter type names the DOM one.
  x509.cryptoProvider.set(webcrypto as unknown as ReturnType<typeof x509.cryptoProvider.get>);
  const alg = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' };
  const caDer = createPrivateKey(ca.key).export({ type: 'pkcs8', format: 'der' });
  const caKey = await webcrypto.subtle.importKey('pkcs8', caDer, alg, false, ['sign']);
  const keys = await webcrypto.subtle.generateKey(alg, true, ['sign', 'verify']);
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: randomBytes(8).toString('hex').replace(/^[89a-f]/, '1'),
    issuer: new x509.X509Certificate(ca.cert).subject,
    subject: `CN=${host}`,
    notBefore: new Date(Date.now() - DAY),
    notAfter: new Date(Date.now() + 365 * DAY),
    signingAlgorithm: alg,
    publicKey: keys.publicKey,
    signingKey: caKey,
    extensions: [
      new x509.BasicConstraintsExtension(false),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyEncipherment),
      new x509.SubjectAlternativeNameExtension([{ type: 'dns', value: host }]),
      new x509.CRLDistributionPointsExtension([crlUrl]),
      ...(ocspUrl ? [new x509.AuthorityInfoAccessExtension({ ocsp: [new x509.GeneralName('url', ocspUrl)] })] : []),
    ],
  });
  const pkcs8 = Buffer.from(await webcrypto.subtle.exportKey('pkcs8', keys.privateKey));
  return { key: `-----BEGIN PRIVATE KEY-----\n${pkcs8.toString('base64').replace(/(.{64})/g, '$1\n')}\n-----END PRIVATE KEY-----\n`, cert: cert.toString('pem') };
}

/** A DER CRL issued by `ca` (EC P-256 CA key) listing `revokedSerials` (hex), as @peculiar/x509 writes one. */
export async function makeCrl(ca: Pem, revokedSerials: string[], o: { nextUpdateDays?: number } = {}): Promise<Buffer> {
  x509.cryptoProvider.set(webcrypto as unknown as ReturnType<typeof x509.cryptoProvider.get>);
  const alg = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' };
  const caKey = await webcrypto.subtle.importKey('pkcs8', createPrivateKey(ca.key).export({ type: 'pkcs8', format: 'der' }), alg, false, ['sign']);
  const crl = await x509.X509CrlGenerator.create({
    issuer: new x509.X509Certificate(ca.cert).subject,
    thisUpdate: new Date(Date.now() - DAY),
    nextUpdate: new Date(Date.now() + (o.nextUpdateDays ?? 7) * DAY),
    entries: revokedSerials.map((serialNumber) => ({ serialNumber, revocationDate: new Date(Date.now() - DAY) })),
    signingAlgorithm: alg,
    signingKey: caKey,
  });
  return Buffer.from(crl.rawData);
}

// What a finished TLS handshake says: trust and chain, dates, the name, protocol, cipher, key size, and
// what an Exchange Online connector needs of a certificate (public CA, revocation info, the FQDN).
import tls from 'node:tls';
import { X509Certificate } from 'node:crypto';
import type { ProbeContext } from './types.ts';

const DAY = 86_400_000;
const SOON_DAYS = 30;

/** Short facts about the leaf certificate, for banner/EHLO comparisons. */
export interface CertFacts {
  names: string[];
  matchesHost: boolean;
  /** CRL distribution points of a trusted certificate (checked by crl.ts). */
  crlUrls: string[];
  /** The OCSP responder the certificate names (authority information access), when trusted. */
  ocspUrl?: string;
  /** The leaf and its issuer (DER) as the server sent them, for the revocation checks. */
  leafDer?: Buffer;
  issuerDer?: Buffer;
  /** The chain as the handshake gave it, leaf first (DER), for DANE. */
  chainDer: Buffer[];
}

export function inspectTls(socket: tls.TLSSocket, host: string, ctx: ProbeContext): CertFacts {
  const cert = socket.getPeerCertificate(true);
  const protocol = socket.getProtocol() ?? 'unknown';
  const cipher = socket.getCipher();
  ctx.transcript.note(`TLS ${protocol} ${cipher.name}`);
  reportProtocol(protocol, cipher.name, ctx);
  if (!cert || !cert.raw) {
    ctx.add('fail', 'cert-missing', 'the server sent no certificate');
    return { names: [], matchesHost: false, crlUrls: [], chainDer: [] };
  }
  ctx.transcript.note(`certificate subject CN=${cert.subject?.CN ?? '-'} issuer CN=${cert.issuer?.CN ?? '-'} until ${cert.valid_to}`);
  reportTrust(socket, cert, ctx);
  reportDates(cert, ctx);
  const facts = reportName(host, cert, ctx);
  reportKey(cert, ctx);
  const crlUrls = reportConnectorFitness(socket, cert, ctx);
  const issuer = cert.issuerCertificate && cert.issuerCertificate !== cert && cert.issuerCertificate.raw ? cert.issuerCertificate.raw : undefined;
  const ocsp = socket.authorized ? cert.infoAccess?.['OCSP - URI']?.find((u) => u.startsWith('http://') || u.startsWith('https://')) : undefined;
  return { ...facts, crlUrls, ocspUrl: ocsp, leafDer: cert.raw, issuerDer: issuer, chainDer: chainOf(cert).map((c) => c.raw) };
}

function reportProtocol(protocol: string, cipher: string, ctx: ProbeContext): void {
  if (protocol === 'TLSv1.3' || protocol === 'TLSv1.2') ctx.add('pass', 'tls-version', `${protocol} with ${cipher}`);
  else ctx.add('warn', 'tls-version-old', `${protocol} with ${cipher}: Exchange Online and most receivers require TLS 1.2 or later`);
}

const TRUST_ERRORS: Record<string, [string, string]> = {
  DEPTH_ZERO_SELF_SIGNED_CERT: ['cert-self-signed', 'the certificate is self-signed: senders that verify certificates will not trust it'],
  SELF_SIGNED_CERT_IN_CHAIN: ['cert-untrusted', 'the chain ends in a root this machine does not trust'],
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: ['chain-incomplete', 'the issuer is unknown here: the server omits an intermediate certificate, or the CA is not a trusted one'],
  UNABLE_TO_GET_ISSUER_CERT: ['chain-incomplete', 'the issuer certificate could not be found: the chain sent by the server is incomplete'],
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: ['chain-incomplete', 'the leaf cannot be verified: the server omits an intermediate certificate, or the CA is not a trusted one'],
  CERT_HAS_EXPIRED: ['cert-expired', 'the certificate has expired'],
  CERT_NOT_YET_VALID: ['cert-not-yet-valid', 'the certificate is not valid yet'],
};

function reportTrust(socket: tls.TLSSocket, cert: tls.DetailedPeerCertificate, ctx: ProbeContext): void {
  const depth = chainOf(cert).length;
  if (socket.authorized) {
    ctx.add('pass', 'cert-trusted', `chain of ${depth} certificate(s) verifies to a trusted root (issuer: ${cert.issuer?.CN ?? cert.issuer?.O ?? '?'})`);
    return;
  }
  const code = String(socket.authorizationError ?? 'unknown');
  if (code === 'CERT_HAS_EXPIRED' || code === 'CERT_NOT_YET_VALID') return; // reportDates says it with the date
  const [finding, why] = TRUST_ERRORS[code] ?? ['cert-untrusted', `the certificate does not verify (${code})`];
  ctx.add('fail', finding, `${why} [${code}]`);
}

function reportDates(cert: tls.PeerCertificate, ctx: ProbeContext): void {
  const from = Date.parse(cert.valid_from);
  const to = Date.parse(cert.valid_to);
  const now = Date.now();
  const until = new Date(to).toISOString().slice(0, 10);
  if (now > to) ctx.add('fail', 'cert-expired', `the certificate expired on ${until}`);
  else if (now < from) ctx.add('fail', 'cert-not-yet-valid', `the certificate is valid only from ${new Date(from).toISOString().slice(0, 10)}`);
  else if (to - now < SOON_DAYS * DAY) ctx.add('warn', 'cert-expiring-soon', `the certificate expires on ${until}, in ${Math.floor((to - now) / DAY)} day(s)`);
  else ctx.add('pass', 'cert-dates', `valid until ${until}`);
}

function reportName(host: string, cert: tls.PeerCertificate, ctx: ProbeContext): Pick<CertFacts, 'names' | 'matchesHost'> {
  const names = certNames(cert);
  const err = tls.checkServerIdentity(host, cert);
  const shown = names.slice(0, 6).join(', ') + (names.length > 6 ? ', …' : '');
  if (err) ctx.add('fail', 'cert-name-mismatch', `the certificate does not name ${host} (it names ${shown || 'nothing'})`);
  else ctx.add('pass', 'cert-name-match', `the certificate names ${host}`);
  return { names, matchesHost: !err };
}

/** DNS names from the SAN, or the subject CN when there is no SAN. */
export function certNames(cert: tls.PeerCertificate): string[] {
  const san = (cert.subjectaltname ?? '').split(/,\s*/).filter((s) => s.startsWith('DNS:')).map((s) => s.slice(4).toLowerCase());
  const cn = cert.subject?.CN;
  return san.length ? san : typeof cn === 'string' ? [cn.toLowerCase()] : [];
}

function reportKey(cert: tls.PeerCertificate, ctx: ProbeContext): void {
  const rsa = Boolean(cert.modulus);
  if (rsa && (cert.bits ?? 0) < 2048) ctx.add('warn', 'key-too-small', `RSA key of ${cert.bits} bits: 2048 or more is expected`);
  else ctx.add('pass', 'key-size', `${rsa ? 'RSA' : 'EC'} key of ${cert.bits} bits${cert.asn1Curve ? ` (${cert.asn1Curve})` : ''}`);
}

/** Public CA and revocation information; returns the CRL locations of a trusted certificate. */
function reportConnectorFitness(socket: tls.TLSSocket, cert: tls.DetailedPeerCertificate, ctx: ProbeContext): string[] {
  if (!socket.authorized) return [];
  if (!issuedByPublicRoot(cert, ctx.config.publicCaPem)) {
    ctx.add('warn', 'cert-not-public-ca', 'the chain ends in a CA that is not a public root: Exchange Online connectors and most senders need a public CA');
  }
  const crl = crlUrls(cert.raw);
  if (crl.length) ctx.add('info', 'cert-crl', `revocation list published at ${crl[0]}`);
  else if (!cert.infoAccess?.['OCSP - URI']) ctx.add('info', 'cert-no-revocation', 'the certificate names no CRL or OCSP location; Exchange Online checks revocation of connector certificates');
  return crl;
}

function chainOf(cert: tls.DetailedPeerCertificate): tls.DetailedPeerCertificate[] {
  const chain: tls.DetailedPeerCertificate[] = [];
  for (let c: tls.DetailedPeerCertificate | undefined = cert; c && chain.length < 10 && !chain.includes(c); c = c.issuerCertificate) chain.push(c);
  return chain;
}

let publicRoots: X509Certificate[] | undefined;

function issuedByPublicRoot(cert: tls.DetailedPeerCertificate, alsoPublic: readonly string[] = []): boolean {
  publicRoots ??= tls.rootCertificates.map((pem) => new X509Certificate(pem));
  const top = new X509Certificate(chainOf(cert).at(-1)!.raw);
  const configured = alsoPublic.flatMap((pem) => {
    try {
      return [new X509Certificate(pem)];
    } catch {
      return [];
    }
  });
  return [...publicRoots, ...configured].some((root) => root.fingerprint256 === top.fingerprint256 || top.checkIssued(root));
}

/** URLs of the CRL distribution points extension (OID 2.5.29.31), read from the DER. */
export function crlUrls(der: Buffer): string[] {
  const oid = der.indexOf(Buffer.from([0x06, 0x03, 0x55, 0x1d, 0x1f]));
  if (oid < 0) return [];
  const urls: string[] = [];
  const end = Math.min(der.length, oid + 600);
  for (let i = oid + 5; i < end - 2 && urls.length < 4; i++) {
    const len = der[i + 1]!;
    if (der[i] === 0x86 && len < 0x80 && i + 2 + len <= der.length) {
      const url = der.subarray(i + 2, i + 2 + len).toString('latin1');
      if (/^https?:\/\/[\x21-\x7e]+$/.test(url)) urls.push(url);
      i += 1 + len;
    }
  }
  return urls;
}

// Whether an IP address is a public one (worth a blocklist or reverse-DNS check): not private,
// loopback, link-local, carrier-grade NAT, unspecified or broadcast (RFC 1918, 6598, 3927, 4193).
import { isIP } from '../text/ip.ts';

const PRIVATE_V4 = [/^10\./, /^127\./, /^169\.254\./, /^192\.168\./, /^172\.(1[6-9]|2\d|3[01])\./, /^0\./, /^100\.(6[4-9]|[7-9]\d|1[01]\d|12[0-7])\./, /^255\./];

export function isPublicIp(ip: string): boolean {
  if (isIP(ip) === 4) return !PRIVATE_V4.some((r) => r.test(ip));
  return isIP(ip) === 6 && !/^(::1$|::$|fe80:|fc|fd)/i.test(ip);
}

// DNS records served on 127.0.0.1 for the conversation tests: libsisimai.org (the domain in the
// DNS-failure NDR) published the way a healthy Exchange Online domain is, so its dns check passes.
import type { DnsRecord } from '../helpers/dns-server.ts';

const txt = (name: string, data: string): DnsRecord => ({ name, type: 'TXT', data });
const a = (name: string, data: string): DnsRecord => ({ name, type: 'A', data });

export function healthyDomain(domain: string): DnsRecord[] {
  const label = domain.replace(/\./g, '-');
  return [
    { name: domain, type: 'MX', data: { preference: 0, exchange: `${label}.mail.protection.outlook.com` } },
    a(`${label}.mail.protection.outlook.com`, '52.101.68.1'),
    txt(domain, 'v=spf1 include:spf.protection.outlook.com -all'),
    txt('spf.protection.outlook.com', 'v=spf1 ip4:40.92.0.0/15 ip4:52.100.0.0/14 -all'),
    txt(`_dmarc.${domain}`, `v=DMARC1; p=reject; rua=mailto:dmarc@${domain}`),
    { name: `selector1._domainkey.${domain}`, type: 'CNAME', data: `selector1-${label}._domainkey.tenant.onmicrosoft.com` },
    { name: `selector2._domainkey.${domain}`, type: 'CNAME', data: `selector2-${label}._domainkey.tenant.onmicrosoft.com` },
    txt(`selector1-${label}._domainkey.tenant.onmicrosoft.com`, 'v=DKIM1; k=rsa; p=MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA'),
    txt(`selector2-${label}._domainkey.tenant.onmicrosoft.com`, 'v=DKIM1; k=rsa; p=MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEB'),
    { name: `autodiscover.${domain}`, type: 'CNAME', data: 'autodiscover.outlook.com' },
    a('autodiscover.outlook.com', '52.97.1.1'),
    txt(`_mta-sts.${domain}`, 'v=STSv1; id=20240101'),
    txt(`_smtp._tls.${domain}`, `v=TLSRPTv1; rua=mailto:tlsrpt@${domain}`),
  ];
}

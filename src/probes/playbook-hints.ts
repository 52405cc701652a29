// The one table from finding code to the playbook (playbooks/<id>.yaml) it points to: correct a row here and
// every probe follows. A code with no row gets no hint. test/probes/playbook-hints.test.ts checks each id exists.
// A row keyed `kind:code` applies to that probe kind only and wins over a plain `code` row.
const HINTS: Record<string, string> = {
  // reaching an SMTP target (for HTTP targets the endpoint rows below speak instead)
  'smtp:connect-refused': 'smtp-connection-failed',
  'smtp:connect-timeout': 'smtp-connection-failed',
  'smtp:connect-failed': 'smtp-connection-failed',
  'smtp:connection-closed': 'smtp-connection-failed',
  'smtp:read-timeout': 'smtp-connection-failed',
  'smtp:target-unresolved': 'dns-lookup-failed-next-hop',
  // SMTP
  'starttls-missing': 'starttls-required-forced-tls',
  'starttls-rejected': 'starttls-required-forced-tls',
  'smtp:tls-handshake-failed': 'starttls-required-forced-tls',
  'smtp-rejected-at-connect': 'eop-sending-ip-blocklisted',
  'smtp-busy-at-connect': 'smtp-connection-failed',
  // certificates
  'cert-expired': 'transport-tls-certificate-invalid',
  'cert-not-yet-valid': 'transport-tls-certificate-invalid',
  'cert-expiring-soon': 'transport-tls-certificate-invalid',
  'cert-self-signed': 'transport-tls-certificate-invalid',
  'cert-untrusted': 'transport-tls-certificate-invalid',
  'cert-name-mismatch': 'transport-tls-certificate-invalid',
  'chain-incomplete': 'transport-tls-certificate-invalid',
  'cert-not-public-ca': 'transport-tls-certificate-invalid',
  'crl-unreachable': 'transport-tls-certificate-invalid',
  'crl-unreadable': 'transport-tls-certificate-invalid',
  'crl-bad-signature': 'transport-tls-certificate-invalid',
  'crl-expired': 'transport-tls-certificate-invalid',
  'cert-revoked': 'transport-tls-certificate-invalid',
  'dane-mismatch': 'transport-tls-certificate-invalid',
  'autodiscover-http-redirect': 'autodiscover-redirect-warning',
  'ocsp-revoked': 'transport-tls-certificate-invalid',
  'tls-legacy-only': 'tls-legacy-version-rejected',
  // DNS
  'domain-missing': 'dns-lookup-failed-next-hop',
  'dns-lookup-failed': 'dns-lookup-failed-next-hop',
  'mx-missing': 'dns-lookup-failed-next-hop',
  'mx-host-unresolved': 'dns-lookup-failed-next-hop',
  'spf-missing': 'spf-fail-sender-not-authorized',
  'spf-multiple': 'spf-fail-sender-not-authorized',
  'spf-too-many-lookups': 'spf-fail-sender-not-authorized',
  'spf-plus-all': 'spf-fail-sender-not-authorized',
  'spf-syntax': 'spf-fail-sender-not-authorized',
  'spf-include-missing': 'spf-fail-sender-not-authorized',
  'spf-exo-include-missing': 'spf-fail-sender-not-authorized',
  'dmarc-reject': 'dmarc-reject-from-domain',
  'dmarc-quarantine': 'dmarc-reject-from-domain',
  'dmarc-syntax': 'dmarc-reject-from-domain',
  'autodiscover-dns-missing': 'autodiscover-service-not-located',
  // blocklists
  'ip-listed': 'eop-sending-ip-blocklisted',
  'tls-version-old': 'tls-legacy-version-rejected',
  'smtp-inspection': 'firewall-smtp-inspection',
  // certificates on client endpoints (Outlook's name-mismatch dialog)
  'autodiscover:cert-name-mismatch': 'outlook-certificate-name-mismatch',
  'ews:cert-name-mismatch': 'outlook-certificate-name-mismatch',
  'mapi:cert-name-mismatch': 'outlook-certificate-name-mismatch',
  'rpc:cert-name-mismatch': 'outlook-certificate-name-mismatch',
  'owa:cert-name-mismatch': 'outlook-certificate-name-mismatch',
  // Exchange HTTP endpoints
  'autodiscover-unreachable': 'autodiscover-service-not-located',
  'autodiscover-no-endpoint': 'autodiscover-service-not-located',
  'ews-unreachable': 'ews-endpoint-unreachable',
  'ews-unexpected-status': 'ews-endpoint-unreachable',
  'rpc-unreachable': 'outlook-anywhere-rpc-connectivity',
  'rpc-unexpected-status': 'outlook-anywhere-rpc-connectivity',
  'mapi-unreachable': 'outlook-anywhere-rpc-connectivity',
};

export function playbookFor(code: string, kind?: string): string | undefined {
  const specific = kind ? `${kind}:${code}` : undefined;
  if (specific && Object.hasOwn(HINTS, specific)) return HINTS[specific];
  return Object.hasOwn(HINTS, code) ? HINTS[code] : undefined;
}

/** Every playbook id the table points to (for a catalog cross-check once the playbooks exist). */
export function hintedPlaybooks(): string[] {
  return [...new Set(Object.values(HINTS))].sort();
}

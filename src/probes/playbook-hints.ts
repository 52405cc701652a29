// The one table from finding code to the playbook it points to. Playbook ids are still being written:
// correct a row here and every probe follows. A code with no row gets no hint.
const HINTS: Record<string, string> = {
  // reaching the target
  'connect-refused': 'connection-failed',
  'connect-timeout': 'connection-failed',
  'connect-failed': 'connection-failed',
  'connection-closed': 'connection-failed',
  'read-timeout': 'connection-failed',
  'target-unresolved': 'dns-lookup-failed',
  // SMTP
  'starttls-missing': 'starttls-required',
  'starttls-rejected': 'starttls-required',
  'tls-handshake-failed': 'starttls-required',
  'smtp-rejected-at-connect': 'ip-blocklisted',
  'smtp-busy-at-connect': 'connection-failed',
  // certificates
  'cert-expired': 'tls-cert-invalid',
  'cert-not-yet-valid': 'tls-cert-invalid',
  'cert-expiring-soon': 'tls-cert-invalid',
  'cert-self-signed': 'tls-cert-invalid',
  'cert-untrusted': 'tls-cert-invalid',
  'cert-name-mismatch': 'tls-cert-invalid',
  'chain-incomplete': 'tls-cert-invalid',
  'cert-not-public-ca': 'tls-cert-invalid',
  // DNS
  'domain-missing': 'dns-lookup-failed',
  'dns-lookup-failed': 'dns-lookup-failed',
  'mx-missing': 'dns-lookup-failed',
  'mx-host-unresolved': 'dns-lookup-failed',
  'spf-missing': 'spf-fail',
  'spf-multiple': 'spf-fail',
  'spf-too-many-lookups': 'spf-fail',
  'spf-plus-all': 'spf-fail',
  'spf-syntax': 'spf-fail',
  'spf-include-missing': 'spf-fail',
  'spf-exo-include-missing': 'spf-fail',
  'dmarc-reject': 'dmarc-reject',
  'dmarc-quarantine': 'dmarc-reject',
  'dmarc-syntax': 'dmarc-reject',
  'autodiscover-dns-missing': 'autodiscover-failure',
  // blocklists
  'ip-listed': 'ip-blocklisted',
  // Exchange HTTP endpoints
  'autodiscover-unreachable': 'autodiscover-failure',
  'autodiscover-no-endpoint': 'autodiscover-failure',
  'ews-unreachable': 'ews-unreachable',
  'ews-unexpected-status': 'ews-unreachable',
  'rpc-unreachable': 'outlook-anywhere-rpc',
  'rpc-unexpected-status': 'outlook-anywhere-rpc',
  'mapi-unreachable': 'outlook-anywhere-rpc',
};

export function playbookFor(code: string): string | undefined {
  return Object.hasOwn(HINTS, code) ? HINTS[code] : undefined;
}

/** Every playbook id the table points to (for a catalog cross-check once the playbooks exist). */
export function hintedPlaybooks(): string[] {
  return [...new Set(Object.values(HINTS))].sort();
}

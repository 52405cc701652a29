// What to say of a server that speaks nothing newer than TLS 1.1 (instead of OpenSSL's "SSL alert number 70").

/** The finding text for a server without TLS 1.2: what Exchange Online requires, and where to go. */
export function legacyMessage(where: string, what: string): string {
  return `${where} ${what}: Exchange Online accepts only TLS 1.2 or later, so connections to or from it fail; enable TLS 1.2 on this server or device (playbook tls-legacy-version-rejected)`;
}

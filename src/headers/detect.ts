// Whether a paste may be a message header block, from the matcher's result and a glance at the text:
// cheap, and free of the header analysis itself, so `ehlo match` loads that only when it is needed.
import type { MatchResult } from '../match/types.ts';

/** Kinds a short paste of only verdict headers is taken for by the matcher. */
const SHORT_PASTE_KINDS: ReadonlySet<string> = new Set(['free-text', 'smtp-reply']);
const VERDICT_FIELDS = ['authentication-results:', 'x-forefront-antispam-report:', 'x-ms-exchange-organization-scl:', 'x-microsoft-antispam:', 'x-microsoft-antispam-mailbox-delivery:'];

/** A verdict header starts a line in the first 64 KiB of the paste. */
function hasVerdictField(text: string): boolean {
  const head = text.slice(0, 64 * 1024).toLowerCase();
  return VERDICT_FIELDS.some((name) => head.startsWith(name) || head.includes(`\n${name}`));
}

/** A header block (the matcher says so), or a short paste of only the verdict headers, which it does not detect. */
export function mightBeHeaders(text: string, result: Pick<MatchResult, 'kind'>): boolean {
  return result.kind === 'headers' || (SHORT_PASTE_KINDS.has(result.kind) && hasVerdictField(text));
}

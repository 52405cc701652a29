// Step commands with the thread's real values in place of the playbook's samples: `<domain>`,
// `<address>`, `<host>` and sample addresses (user@contoso.com) from the targets the paste named or a
// person gave, and what the paste carries decoded (an IMCEAEX address into its X500 proxy address).
// Each replacement is listed so the card can say where the value came from.
import type { Placeholder, TargetValues } from './targets.ts';

/** What a paste carries beyond the check targets, for step commands. */
export interface PasteFacts {
  /** The IMCEAEX recipient address of the NDR, as pasted. */
  imceaex?: string;
  /** Its X500 proxy address (X500:/o=…/cn=…), decoded. */
  x500?: string;
}

const IMCEAEX = /IMCEAEX-[^\s@<>"',;]+@[A-Za-z0-9.-]+[A-Za-z0-9]/i;

/**
 * IMCEAEX-_o=ExchangeLabs_ou=Exchange+20Administrative+20Group+20+28FYDIBOHF23SPDLT+29_cn=Recipients_cn=x@host
 * → X500:/o=ExchangeLabs/ou=Exchange Administrative Group (FYDIBOHF23SPDLT)/cn=Recipients/cn=x
 * (drop the prefix and the @domain, underscores become slashes, then each +XX is the character with that code).
 */
export function decodeImceaex(address: string): string | undefined {
  const m = /^IMCEAEX-(.+)@[^@]+$/i.exec(address.trim());
  if (!m?.[1]) return undefined;
  const body = m[1].replace(/_/g, '/').replace(/\+([0-9A-Fa-f]{2})/g, (_w, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)));
  if (!body.startsWith('/') || /[\x00-\x1f]/.test(body)) return undefined;
  return `X500:${body}`;
}

export function factsFromPaste(text: string): PasteFacts {
  const imceaex = IMCEAEX.exec(text)?.[0];
  const x500 = imceaex ? decodeImceaex(imceaex) : undefined;
  return imceaex && x500 && imceaex.length <= 600 ? { imceaex, x500 } : {};
}

/** Sample tokens in the catalog's commands and the value that replaces each. */
const TOKENS: Array<{ pattern: RegExp; from: Placeholder }> = [
  { pattern: /<(?:recipient )?domain>/g, from: 'domain' },
  { pattern: /<(?:address|recipient|external-address)>/g, from: 'email' },
  { pattern: /\b(?:user|someone)@(?:contoso|fabrikam)\.com\b/g, from: 'email' },
  { pattern: /<(?:host|mx-host|next hop|server-or-host)>/g, from: 'host' },
];

export interface FilledCommand {
  text: string;
  /** What was replaced: the sample, the value, and where it came from. */
  filled: Array<{ sample: string; value: string; from: 'paste' | 'given' }>;
}

/** The command with the thread's values in place of the samples (a host's port left out). */
export function fillCommand(text: string, values: TargetValues, answered: ReadonlySet<Placeholder>, facts: PasteFacts = {}): FilledCommand {
  const filled: FilledCommand['filled'] = [];
  const note = (sample: string, value: string, from: 'paste' | 'given'): void => {
    if (!filled.some((f) => f.sample === sample)) filled.push({ sample, value, from });
  };
  let out = text;
  if (facts.imceaex && facts.x500) {
    const { imceaex, x500 } = facts;
    out = out.replace(/IMCEAEX-[^\s'"]+@[A-Za-z0-9.-]+/gi, (sample) => (note(sample, imceaex, 'paste'), imceaex));
    out = out.replace(/X500:\/o=[^'"\n]+/g, (sample) => (note(sample, x500, 'paste'), x500));
  }
  for (const { pattern, from } of TOKENS) {
    const raw = values[from];
    if (!raw) continue;
    const value = from === 'host' ? raw.replace(/^\[([^\]]+)\](?::\d+)?$/, '$1').replace(/^([^:[\]]+):\d{1,5}$/, '$1') : raw;
    out = out.replace(pattern, (sample) => (note(sample, value, answered.has(from) ? 'given' : 'paste'), value));
  }
  return { text: out, filled };
}

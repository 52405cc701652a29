// X-Forefront-Antispam-Report, X-Microsoft-Antispam, X-MS-Exchange-Organization-SCL / -PCL and
// X-Microsoft-Antispam-Mailbox-Delivery decoded field by field ("NAME:value;" pairs), each value
// with its meaning from meanings.ts. Split with indexOf; every field keeps its span in the paste.
import type { Span } from '../match/types.ts';
import { bclMeaning, CAT, DEST, FOREFRONT_FIELDS, IPV, pclMeaning, SFTY, SFV, sclMeaning } from './meanings.ts';
import type { HeaderField } from './unfold.ts';

export interface AntispamField {
  /** Which header: "X-Forefront-Antispam-Report", "X-Microsoft-Antispam", … */
  header: string;
  name: string;
  value: string;
  meaning: string;
  span: Span;
}

export interface Antispam {
  fields: AntispamField[];
  sfv?: string;
  cat?: string;
  scl?: number;
  bcl?: number;
  pcl?: number;
  ipv?: string;
  sfty?: string;
  srv?: string;
  cip?: string;
  ptr?: string;
  helo?: string;
  country?: string;
  /** X-Microsoft-Antispam-Mailbox-Delivery dest: I, J, C … */
  dest?: string;
  /** X-Microsoft-Antispam-Mailbox-Delivery OFR: the rule that chose the folder. */
  ofr?: string;
  /** DIR:INB / OUT / INT. */
  dir?: string;
}

const MAX_VALUE = 16 * 1024;

const HEADER_NAMES: Record<string, string> = {
  'x-forefront-antispam-report': 'X-Forefront-Antispam-Report',
  'x-forefront-antispam-report-untrusted': 'X-Forefront-Antispam-Report-Untrusted',
  'x-microsoft-antispam': 'X-Microsoft-Antispam',
  'x-microsoft-antispam-untrusted': 'X-Microsoft-Antispam-Untrusted',
  'x-ms-exchange-organization-scl': 'X-MS-Exchange-Organization-SCL',
  'x-ms-exchange-organization-pcl': 'X-MS-Exchange-Organization-PCL',
  'x-microsoft-antispam-mailbox-delivery': 'X-Microsoft-Antispam-Mailbox-Delivery',
  'x-ms-exchange-organization-antispam-report': 'X-MS-Exchange-Organization-Antispam-Report',
};

/** The headers this module reads. */
export const ANTISPAM_HEADERS: ReadonlySet<string> = new Set(Object.keys(HEADER_NAMES));

function toInt(v: string): number | undefined {
  const t = v.trim();
  if (!/^-?\d{1,2}$/.test(t)) return undefined;
  return Number(t);
}

function meaningOf(header: string, name: string, value: string): string {
  const up = name.toUpperCase();
  const v = value.trim();
  const general = FOREFRONT_FIELDS[up] ?? '';
  const pick = (table: Record<string, string>) => table[v.toUpperCase()] ?? (v ? `${general} (value not documented)` : `${general} (empty)`);
  if (header === 'X-Microsoft-Antispam-Mailbox-Delivery') {
    if (up === 'DEST') return DEST[v.toUpperCase()] ?? 'the folder the mailbox put the message in';
    if (up === 'OFR') return v.toLowerCase().startsWith('spamfilter') ? 'the folder was chosen by the spam filter verdict' : v.toLowerCase().includes('customrules') ? 'the folder was chosen by an inbox rule of the mailbox' : 'what chose the folder';
    if (up === 'AUTH') return v === '1' ? 'the sender authenticated (composite authentication passed)' : 'the sender did not authenticate';
    if (up === 'UCF' || up === 'JMR' || up === 'EX' || up === 'ENG' || up === 'RF') return 'internal field of the mailbox delivery agent (undocumented)';
  }
  switch (up) {
    case 'SFV':
      return pick(SFV);
    case 'CAT':
      return pick(CAT);
    case 'IPV':
      return pick(IPV);
    case 'SFTY':
      return v ? (SFTY[v] ?? 'a phishing safety marker (value not documented)') : 'no phishing safety marker';
    case 'SCL': {
      const n = toInt(v);
      return n === undefined ? 'spam confidence level (empty)' : `SCL ${n}: ${sclMeaning(n)}`;
    }
    case 'BCL': {
      const n = toInt(v);
      return n === undefined ? 'bulk complaint level (empty)' : `BCL ${n}: ${bclMeaning(n)}`;
    }
    case 'PCL': {
      const n = toInt(v);
      return n === undefined ? 'phishing confidence level (empty)' : `PCL ${n}: ${pclMeaning(n)}`;
    }
    case 'SRV':
      return v.toUpperCase() === 'BULK' ? 'identified as bulk mail by the bulk complaint level threshold' : v ? `${general} (value not documented)` : 'no service verdict';
    case 'DIR':
      return v === 'INB' ? 'inbound' : v === 'OUT' ? 'outbound' : v === 'INT' ? 'internal' : general;
    default:
      return general || 'internal field (undocumented)';
  }
}

/** "NAME:value;NAME:value;…" pairs with their spans; values may contain ':' (IPv6) but not ';'. */
function pairs(field: HeaderField, text: string): Array<{ name: string; value: string; span: Span }> {
  const v = field.value.length > MAX_VALUE ? field.value.slice(0, MAX_VALUE) : field.value;
  const out: Array<{ name: string; value: string; span: Span }> = [];
  let pos = 0;
  let searchFrom = field.valueStart;
  let locating = true;
  while (pos < v.length) {
    let semi = v.indexOf(';', pos);
    if (semi < 0) semi = v.length;
    const piece = v.slice(pos, semi).trim();
    pos = semi + 1;
    if (!piece) continue;
    const colon = piece.indexOf(':');
    if (colon <= 0 || colon > 40) continue;
    const name = piece.slice(0, colon).trim();
    const value = piece.slice(colon + 1).trim();
    // Locate the pair in the paste (folding may have moved it to a continuation line). After one
    // miss the rest get the field's span: a search that runs past the field would cost the paste's length.
    let span: Span = [field.valueStart, field.span[1]];
    if (locating) {
      const at = text.indexOf(`${name}:`, searchFrom);
      if (at >= 0 && at < field.span[1]) {
        span = [at, Math.min(field.span[1], at + name.length + 1 + value.length)];
        searchFrom = at + name.length + 1;
      } else locating = false;
    }
    out.push({ name, value, span });
  }
  return out;
}

/** Decode every anti-spam header of the block. The first of each header (the latest stamp) wins. */
export function readAntispam(fields: readonly HeaderField[], text: string): Antispam {
  const out: Antispam = { fields: [] };
  const seen = new Set<string>();
  const orgStamped = new Set<string>();
  const setOnce = <K extends keyof Antispam>(k: K, v: Antispam[K]) => {
    if (out[k] === undefined && v !== undefined && v !== '') out[k] = v;
  };
  for (const f of fields) {
    const header = HEADER_NAMES[f.key];
    if (!header || seen.has(f.key)) continue;
    seen.add(f.key);
    if (f.key === 'x-ms-exchange-organization-scl' || f.key === 'x-ms-exchange-organization-pcl') {
      const name = f.key.endsWith('scl') ? 'SCL' : 'PCL';
      const value = f.value.trim();
      out.fields.push({ header, name, value, meaning: meaningOf(header, name, value), span: f.span });
      // The organization's SCL is the one delivery acted on (a mail flow rule may have changed it).
      const n = toInt(value);
      if (n !== undefined) out[name === 'SCL' ? 'scl' : 'pcl'] = n;
      orgStamped.add(name);
      continue;
    }
    for (const p of pairs(f, text)) {
      out.fields.push({ header, name: p.name, value: p.value, meaning: meaningOf(header, p.name, p.value), span: p.span });
      const up = p.name.toUpperCase();
      const val = p.value;
      if (f.key.endsWith('-untrusted')) continue;
      if (up === 'SFV') setOnce('sfv', val.toUpperCase());
      else if (up === 'CAT') setOnce('cat', val.toUpperCase());
      else if (up === 'SCL' && !orgStamped.has('SCL')) setOnce('scl', toInt(val));
      else if (up === 'BCL') setOnce('bcl', toInt(val));
      else if (up === 'PCL' && !orgStamped.has('PCL')) setOnce('pcl', toInt(val));
      else if (up === 'IPV') setOnce('ipv', val.toUpperCase());
      else if (up === 'SFTY') setOnce('sfty', val);
      else if (up === 'SRV') setOnce('srv', val.toUpperCase());
      else if (up === 'CIP') setOnce('cip', val.replace(/^\[|\]$/g, ''));
      else if (up === 'PTR') setOnce('ptr', val);
      else if (up === 'H') setOnce('helo', val);
      else if (up === 'CTRY') setOnce('country', val);
      else if (up === 'DEST') setOnce('dest', val.toUpperCase());
      else if (up === 'OFR') setOnce('ofr', val);
      else if (up === 'DIR') setOnce('dir', val.toUpperCase());
    }
  }
  return out;
}

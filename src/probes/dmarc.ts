// DMARC (RFC 7489): read the _dmarc TXT record into tags and say what its policy means for senders.
export interface DmarcRecord {
  tags: Map<string, string>;
  errors: string[];
}

const POLICIES = new Set(['none', 'quarantine', 'reject']);

export function isDmarc(txt: string): boolean {
  return /^v\s*=\s*DMARC1\s*(?:;|$)/i.test(txt.trim());
}

export function parseDmarc(record: string): DmarcRecord {
  const tags = new Map<string, string>();
  const errors: string[] = [];
  const parts = record.split(';').map((p) => p.trim()).filter(Boolean).slice(0, 50);
  parts.forEach((part, i) => {
    const eq = part.indexOf('=');
    const key = part.slice(0, eq).trim().toLowerCase();
    if (eq <= 0 || !/^[a-z]+$/.test(key)) errors.push(`"${part.slice(0, 40)}" is not tag=value`);
    else if (i === 0 && key !== 'v') errors.push('the record must start with v=DMARC1');
    else tags.set(key, part.slice(eq + 1).trim());
  });
  const p = tags.get('p')?.toLowerCase();
  if (p === undefined) errors.push('no p= policy tag');
  else if (!POLICIES.has(p)) errors.push(`p=${p.slice(0, 20)} is not none, quarantine or reject`);
  const sp = tags.get('sp')?.toLowerCase();
  if (sp !== undefined && !POLICIES.has(sp)) errors.push(`sp=${sp.slice(0, 20)} is not none, quarantine or reject`);
  const pct = tags.get('pct');
  if (pct !== undefined && !/^(?:100|[1-9]?\d)$/.test(pct)) errors.push(`pct=${pct.slice(0, 10)} is not 0-100`);
  for (const tag of ['rua', 'ruf']) {
    const uris = tags.get(tag);
    if (uris !== undefined && uris.split(',').some((u) => !/^mailto:[^\s@]+@[^\s@]+$/i.test(u.trim().replace(/!\d+[kmgt]?$/i, '')))) errors.push(`${tag}= must list mailto: addresses`);
  }
  return { tags, errors };
}

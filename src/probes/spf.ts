// SPF (RFC 7208): parse a record and walk include/redirect, counting the DNS-querying terms (limit 10).
import type { ProbeResolver } from './resolver.ts';
import { isResolverTrouble } from './resolver.ts';

export interface SpfTerm {
  qualifier: '+' | '-' | '~' | '?';
  name: string;
  value?: string;
}

export interface SpfIssue {
  severity: 'warn' | 'fail';
  code: string;
  message: string;
}

export const SPF_LOOKUP_LIMIT = 10;
const MECHANISMS = new Set(['all', 'include', 'a', 'mx', 'ptr', 'ip4', 'ip6', 'exists']);
const MODIFIERS = new Set(['redirect', 'exp']);
const COUNTED = new Set(['include', 'a', 'mx', 'ptr', 'exists', 'redirect']);
export const EXO_SPF_INCLUDE = 'spf.protection.outlook.com';

export function isSpf(txt: string): boolean {
  return /^v=spf1(?:\s|$)/i.test(txt.trim());
}

/** Terms of one record, plus syntax errors in words. */
export function parseSpf(record: string): { terms: SpfTerm[]; errors: string[] } {
  const terms: SpfTerm[] = [];
  const errors: string[] = [];
  for (const word of record.trim().split(/\s+/).slice(1, 200)) {
    const m = /^([-+~?]?)([a-z0-9]+)(?:([:=/])(.*))?$/i.exec(word);
    const name = m?.[2]?.toLowerCase() ?? '';
    const isModifier = m?.[3] === '=';
    if (!m || (isModifier ? !MODIFIERS.has(name) && !/^[a-z][a-z0-9_.-]*$/.test(name) : !MECHANISMS.has(name))) {
      errors.push(`unknown term "${word.slice(0, 60)}"`);
      continue;
    }
    if (isModifier && m[1]) errors.push(`a modifier cannot have a qualifier: "${word.slice(0, 60)}"`);
    if ((name === 'include' || name === 'exists' || isModifier) && !m[4]) errors.push(`"${word.slice(0, 60)}" needs a value`);
    terms.push({ qualifier: (m[1] || '+') as SpfTerm['qualifier'], name, value: m[4] });
  }
  return { terms, errors };
}

export interface SpfWalk {
  lookups: number;
  includesExo: boolean;
  issues: SpfIssue[];
  resolverTrouble: boolean;
}

/** Follows include: and redirect= from `record` of `domain`, counting lookups as a receiver would. */
export async function walkSpf(domain: string, record: string, resolver: ProbeResolver): Promise<SpfWalk> {
  const walk: SpfWalk = { lookups: 0, includesExo: false, issues: [], resolverTrouble: false };
  await visit(domain, record, resolver, walk, new Set([domain]), 0);
  return walk;
}

async function visit(domain: string, record: string, resolver: ProbeResolver, walk: SpfWalk, seen: Set<string>, depth: number): Promise<void> {
  const { terms, errors } = parseSpf(record);
  for (const e of errors) walk.issues.push({ severity: 'fail', code: 'spf-syntax', message: `SPF of ${domain}: ${e}` });
  for (const term of terms) {
    if (!COUNTED.has(term.name)) continue;
    walk.lookups++;
    if ((term.name !== 'include' && term.name !== 'redirect') || !term.value) continue;
    const target = term.value.toLowerCase().replace(/\.$/, '');
    if (target === EXO_SPF_INCLUDE) walk.includesExo = true;
    if (seen.has(target) || depth >= SPF_LOOKUP_LIMIT * 2 || walk.lookups > SPF_LOOKUP_LIMIT * 2) continue;
    seen.add(target);
    const child = await fetchSpf(target, resolver);
    if (child.trouble) walk.resolverTrouble = true;
    if (child.records.length !== 1) {
      const why = child.records.length ? `${child.records.length} SPF records` : child.trouble ?? 'no SPF record';
      walk.issues.push({ severity: 'fail', code: 'spf-include-missing', message: `${term.name} ${target} (from ${domain}) has ${why}: receivers treat the whole SPF as an error (permerror)` });
      continue;
    }
    await visit(target, child.records[0]!, resolver, walk, seen, depth + 1);
  }
}

/** The v=spf1 TXT records at `domain`. */
export async function fetchSpf(domain: string, resolver: ProbeResolver): Promise<{ records: string[]; trouble?: string }> {
  const txt = await resolver.txt(domain);
  if (txt.ok) return { records: txt.records.filter(isSpf) };
  return isResolverTrouble(txt) ? { records: [], trouble: txt.detail } : { records: [] };
}

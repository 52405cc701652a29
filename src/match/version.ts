// Which Exchange a paste (or its thread) says it is about: a product name ("Exchange 2016",
// "Exchange Server SE", "Exchange Online"), a build number (15.1.2507.x), an Exchange Online host
// name in the text (*.prod.outlook.com, *.protection.outlook.com) or Office 365 operated by 21Vianet
// (partner.outlook.cn). The matcher ranks playbooks by their appliesTo with it and says when the best
// playbook does not apply to the stated version.
//
// Linear scans with bounded, non-backtracking patterns; the text read is capped.
import type { Playbook } from '../catalog/schema.ts';

export type ExchangeVersion = '2007' | '2010' | '2013' | '2016' | '2019' | 'SE' | 'Online';

export interface StatedVersion {
  version: ExchangeVersion;
  /** What in the text said so (for the "why" line). */
  evidence: string;
  /** Office 365 operated by 21Vianet (an Exchange Online variant with its own endpoints). */
  vianet?: boolean;
}

const LIMIT = 256 * 1024;

/** First build of Exchange Server Subscription Edition (RTM, 15.2.2562.17); 15.2 builds before it are 2019. */
const SE_FIRST_BUILD = 2562;

/** The version a build number belongs to (15.1.2507.6 → 2016), or undefined for builds that are not Exchange's. */
export function versionOfBuild(build: string): ExchangeVersion | undefined {
  const m = /^(\d{1,2})\.(\d{1,2})\.(\d{1,5})/.exec(build);
  if (!m) return undefined;
  const major = Number(m[1]);
  const minor = Number(m[2]);
  const third = Number(m[3]);
  if (major === 8) return '2007';
  if (major === 14) return '2010';
  if (major === 15 && minor === 0) return '2013';
  if (major === 15 && minor === 1) return '2016';
  if (major === 15 && minor === 2) return third >= SE_FIRST_BUILD ? 'SE' : '2019';
  return undefined;
}

/**
 * Every version the text states, strongest evidence first, each version once. `lowered`, when given,
 * is the text lowercased (offsets kept): each pattern runs only when a plain substring it needs is there.
 */
export function statedVersions(input: string, lowered?: string, present?: (substring: string) => boolean): StatedVersion[] {
  const text = input.length > LIMIT ? input.slice(0, LIMIT) : input;
  const lower = lowered !== undefined && lowered.length >= text.length ? (lowered.length > text.length ? lowered.slice(0, text.length) : lowered) : text.toLowerCase();
  // Which VERSION_SUBSTRINGS the lowercased text holds: the caller's one pass (literals.ts) when it made one.
  // A text cut at LIMIT holds a substring only if the whole text does: the caller's answer for the
  // whole text rules most of them out before a search of the cut.
  const has = present && lower === lowered ? present : present ? (s: string) => present(s) && lower.includes(s) : (s: string) => lower.includes(s);
  const found = new Map<ExchangeVersion, StatedVersion>();
  const add = (v: StatedVersion) => {
    if (!found.has(v.version)) found.set(v.version, v);
  };
  // Product names: "Exchange 2016", "Exchange Server 2019 CU14", "Exchange SE", "Exchange Server Subscription Edition".
  if (has('exchange')) {
    for (const m of text.matchAll(/\bExchange(?: Server)? ?(2007|2010|2013|2016|2019|SE\b|Subscription Edition)/gi)) {
      const v = (m[1] as string).toUpperCase();
      add({ version: v === 'SE' || v.startsWith('SUBSCRIPTION') ? 'SE' : (v as ExchangeVersion), evidence: m[0] });
    }
  }
  if (has('online') || has('365') || has('exo')) {
    const m = /\bExchange Online\b|\bOffice 365\b|\bMicrosoft 365\b|\bEXO\b/i.exec(text);
    if (m) add({ version: 'Online', evidence: m[0] });
  }
  // 21Vianet: its endpoints live under partner.outlook.cn / chinacloudapi.cn.
  const vianet = has('vianet') || has('outlook.cn') ? /\b21 ?Vianet\b|\.partner\.outlook\.cn\b|\bpartner\.outlook\.cn\b/i.exec(text) : null;
  if (vianet) {
    found.delete('Online');
    add({ version: 'Online', evidence: vianet[0], vianet: true });
  }
  // Exchange Online front ends and protection hosts in NDRs and SMTP replies (found by substring, the
  // host read back from it: no pattern tried at every word).
  const host = exoHost(text, lower, has);
  if (host) add({ version: 'Online', evidence: host });
  // Build numbers (15.1.2507.6); "Version 15.2 (Build 1118.7)" as Exchange shows it.
  if (has('15.') || has('14.') || has('8.')) {
    for (const m of text.matchAll(/\b(8|14|15)\.(\d{1,2})\.(\d{2,5})\.\d{1,4}\b/g)) {
      const v = versionOfBuild(m[0]);
      if (v) add({ version: v, evidence: m[0] });
    }
    if (has('build')) {
      for (const m of text.matchAll(/\bVersion (8|14|15)\.(\d{1,2}) \(Build (\d{2,5})\.\d{1,4}\)/g)) {
        const v = versionOfBuild(`${m[1]}.${m[2]}.${m[3]}`);
        if (v) add({ version: v, evidence: m[0] });
      }
    }
  }
  return [...found.values()];
}

/** Host names only Exchange Online (or 21Vianet's) uses, lowercased; each ends a host name. */
const EXO_HOST_ENDINGS = ['.prod.outlook.com', '.prod.partner.outlook.cn', '.prod.outlook.cn', '.mail.protection.outlook.com', 'smtp.office365.com', 'outlook.office365.com'];

/** Every substring statedVersions looks for before it reads further (a pass that finds them all may answer for it). */
export const VERSION_SUBSTRINGS: readonly string[] = ['exchange', 'online', '365', 'exo', 'vianet', 'outlook.cn', '15.', '14.', '8.', 'build', ...EXO_HOST_ENDINGS];

function isHostChar(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 45 || c === 46;
}

/** The first Exchange Online host in the text ("DM6PR01MB1234.namprd01.prod.outlook.com"), or undefined. */
function exoHost(text: string, lower: string, has: (substring: string) => boolean): string | undefined {
  let best: [number, number] | undefined;
  for (const ending of EXO_HOST_ENDINGS) {
    if (!has(ending)) continue;
    const at = lower.indexOf(ending);
    if (at < 0) continue;
    const end = at + ending.length;
    if (end < lower.length && isHostChar(lower.charCodeAt(end)) && lower.charCodeAt(end) !== 46) continue;
    let start = at;
    while (start > 0 && isHostChar(lower.charCodeAt(start - 1)) && at - start < 253) start--;
    // A front-end or protection host has a label of its own before the ending.
    if (ending.startsWith('.') && start === at) continue;
    if (!best || start < best[0]) best = [start, end];
  }
  return best ? text.slice(best[0], best[1]) : undefined;
}

export type Applicability = { applies: true } | { applies: false; stated: StatedVersion[]; supported: readonly ExchangeVersion[] } | { applies: 'unknown' };

/** Whether a playbook applies to the versions a paste states (unknown when it states none). */
export function applicability(playbook: Pick<Playbook, 'appliesTo'>, stated: readonly StatedVersion[]): Applicability {
  if (stated.length === 0) return { applies: 'unknown' };
  const supported = playbook.appliesTo.versions as readonly ExchangeVersion[];
  if (stated.some((s) => supported.includes(s.version))) return { applies: true };
  return { applies: false, stated: [...stated], supported };
}

function versionName(v: { version: string; vianet?: boolean }): string {
  return v.version === 'Online' ? (v.vianet ? 'Exchange Online (21Vianet)' : 'Exchange Online') : `Exchange ${v.version}`;
}

/** "Does not apply to Exchange 2010: this playbook is written for …" (the card and `ehlo match` say it). */
export function doesNotApplyNote(stated: ReadonlyArray<{ version: string; vianet?: boolean; thread?: boolean }>, supported: readonly string[]): string {
  const said = stated.map(versionName).join(', ');
  const covers = supported.map((version) => versionName({ version })).join(', ');
  const where = stated.some((s) => s.thread) ? 'the version stated earlier in this thread' : 'the version the paste states';
  return `Does not apply to ${said} (${where}): this playbook is written for ${covers}, so check that its steps fit before following them.`;
}

/** A sentence for the diagnosis when the best playbook does not apply to the stated version. */
export function notApplicableNote(a: Applicability): string | undefined {
  if (a.applies !== false) return undefined;
  return doesNotApplyNote(a.stated, a.supported);
}

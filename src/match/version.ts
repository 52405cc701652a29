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

/** Every version the text states, strongest evidence first, each version once. */
export function statedVersions(input: string): StatedVersion[] {
  const text = input.length > LIMIT ? input.slice(0, LIMIT) : input;
  const found = new Map<ExchangeVersion, StatedVersion>();
  const add = (v: StatedVersion) => {
    if (!found.has(v.version)) found.set(v.version, v);
  };
  // Product names: "Exchange 2016", "Exchange Server 2019 CU14", "Exchange SE", "Exchange Server Subscription Edition".
  for (const m of text.matchAll(/\bExchange(?: Server)? ?(2007|2010|2013|2016|2019|SE\b|Subscription Edition)/gi)) {
    const v = (m[1] as string).toUpperCase();
    add({ version: v === 'SE' || v.startsWith('SUBSCRIPTION') ? 'SE' : (v as ExchangeVersion), evidence: m[0] });
  }
  if (/\bExchange Online\b|\bOffice 365\b|\bMicrosoft 365\b|\bEXO\b/i.test(text)) {
    const m = /\bExchange Online\b|\bOffice 365\b|\bMicrosoft 365\b|\bEXO\b/i.exec(text) as RegExpExecArray;
    add({ version: 'Online', evidence: m[0] });
  }
  // 21Vianet: its endpoints live under partner.outlook.cn / chinacloudapi.cn.
  const vianet = /\b21 ?Vianet\b|\.partner\.outlook\.cn\b|\bpartner\.outlook\.cn\b/i.exec(text);
  if (vianet) {
    found.delete('Online');
    add({ version: 'Online', evidence: vianet[0], vianet: true });
  }
  // Exchange Online front ends and protection hosts in NDRs and SMTP replies.
  const host = /\b[A-Z0-9]{4,12}\.(?:[A-Z]{3,8}\d{0,4}\.)?prod\.(?:partner\.)?outlook\.(?:com|cn)\b|\b[\w-]{1,63}\.mail\.protection\.outlook\.com\b|\bsmtp\.office365\.com\b|\boutlook\.office365\.com\b/i.exec(text);
  if (host) add({ version: 'Online', evidence: host[0] });
  // Build numbers (15.1.2507.6); "Version 15.2 (Build 1118.7)" as Exchange shows it.
  for (const m of text.matchAll(/\b(8|14|15)\.(\d{1,2})\.(\d{2,5})\.\d{1,4}\b/g)) {
    const v = versionOfBuild(m[0]);
    if (v) add({ version: v, evidence: m[0] });
  }
  for (const m of text.matchAll(/\bVersion (8|14|15)\.(\d{1,2}) \(Build (\d{2,5})\.\d{1,4}\)/g)) {
    const v = versionOfBuild(`${m[1]}.${m[2]}.${m[3]}`);
    if (v) add({ version: v, evidence: m[0] });
  }
  return [...found.values()];
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
export function doesNotApplyNote(stated: ReadonlyArray<{ version: string; vianet?: boolean }>, supported: readonly string[]): string {
  const said = stated.map(versionName).join(', ');
  const covers = supported.map((version) => versionName({ version })).join(', ');
  return `Does not apply to ${said} (the version the paste states): this playbook is written for ${covers}, so check that its steps fit before following them.`;
}

/** A sentence for the diagnosis when the best playbook does not apply to the stated version. */
export function notApplicableNote(a: Applicability): string | undefined {
  if (a.applies !== false) return undefined;
  return doesNotApplyNote(a.stated, a.supported);
}

// Steps for some Exchange versions only. A step may name the versions it applies to (`appliesTo`); a
// walkthrough whose paste states only other versions (src/match/version.ts, kept in the session when it
// starts) skips that step and says why. A paste that states no version skips nothing, and a Microsoft
// host name alone states none for this purpose (see versionsForSteps).
import type { Step } from '../catalog/schema.ts';
import type { Session } from './session.ts';

type Stated = NonNullable<Session['versions']>[number];

function name(v: string): string {
  return v === 'Online' ? 'Exchange Online' : `Exchange ${v}`;
}

function list(names: string[]): string {
  return names.length <= 2 ? names.join(' and ') : `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`;
}

/** "Exchange 2010, 2013 and SE", "Exchange Online", "Exchange 2019 and Exchange Online". */
function versionList(versions: readonly string[]): string {
  const servers = versions.filter((v) => v !== 'Online');
  const parts = [...(servers.length ? [`Exchange ${list(servers)}`] : []), ...(versions.includes('Online') ? ['Exchange Online'] : [])];
  return parts.join(' and ');
}

/** Why `step` does not apply to the thread's stated versions, or undefined when it does (or nothing was stated). */
export function notForVersion(stated: readonly Stated[] | undefined, step: Pick<Step, 'appliesTo'>): string | undefined {
  const only = step.appliesTo;
  if (!only || !stated?.length) return undefined;
  if (stated.some((s) => only.includes(s.version))) return undefined;
  const said = stated.map((s) => `${name(s.version)} (“${s.evidence.length > 60 ? `${s.evidence.slice(0, 59)}…` : s.evidence}”)`);
  return `this step is for ${versionList(only)} only; the paste says ${list(said)}`;
}

/**
 * The stated versions a walkthrough skips steps by: what the paste says in words or build numbers
 * ("Exchange 2016", "Exchange Online", 15.1.2507.6, 21Vianet). A Microsoft host name alone (an EOP or
 * Exchange Online server in an NDR) is left out: an on-premises server's queue to a Microsoft 365
 * recipient names one too, and its on-premises steps still apply.
 */
export function versionsForSteps<V extends Stated>(stated: readonly V[]): V[] {
  return stated.filter((s) => !/^[a-z0-9-]+(?:\.[a-z0-9-]+)+$/i.test(s.evidence) || /^\d+(?:\.\d+)+$/.test(s.evidence));
}

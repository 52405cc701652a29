// Steps for some Exchange versions only: a walkthrough whose paste states other versions skips them and
// says why; a paste that states no version, or names one the step is for, skips nothing. Walked on the
// catalog's own playbooks (queue-message-expired: queues and timeouts on premises, message trace online;
// the OOF playbook's Outlook 2013 / Exchange 2007 update steps).
import { describe, expect, it } from 'vitest';
import { loadCatalog } from '../../src/catalog/load.ts';
import type { Playbook } from '../../src/catalog/schema.ts';
import { apply } from '../../src/walkthrough/apply.ts';
import type { Session } from '../../src/walkthrough/session.ts';
import { startSession } from '../../src/walkthrough/start.ts';
import { summarize } from '../../src/walkthrough/summary.ts';
import { notForVersion, versionsForSteps } from '../../src/walkthrough/versions.ts';
import { statedVersions } from '../../src/match/version.ts';
import { alice, minute } from './fixtures/playbooks.ts';

const catalog = loadCatalog();
const playbook = (id: string): Playbook => {
  const p = catalog.playbookById.get(id);
  if (!p) throw new Error(`no playbook ${id}`);
  return p;
};

function start(p: Playbook, text: string): Session {
  const versions = versionsForSteps(statedVersions(text)).map((v) => ({ version: v.version, evidence: v.evidence }));
  const r = startSession(p, { id: 's-v', threadKey: 'console:local:v', actor: alice, at: minute(0), versions });
  if (!r.ok) throw new Error(r.rejection.message);
  return r.session;
}

/** Press done on every step shown until the walkthrough ends; the ids of the steps shown. */
function doneToTheEnd(p: Playbook, session: Session): { shown: string[]; end: Session } {
  const shown: string[] = [];
  let s = session;
  for (let i = 1; s.status === 'active' && i < 40; i++) {
    const step = p.steps.find((x) => x.id === s.cursor)!;
    shown.push(step.id);
    if (step.changes !== false) s = ok(apply(s, p, { type: 'confirm' }, { actor: alice, at: minute(i) }));
    s = ok(apply(s, p, { type: 'done' }, { actor: alice, at: minute(i) }));
  }
  return { shown, end: s };
}

function ok(r: ReturnType<typeof apply>): Session {
  if (!r.ok) throw new Error(r.rejection.message);
  return r.session;
}

describe('steps for other Exchange versions', () => {
  const expired = playbook('queue-message-expired');

  it('skips the on-premises steps for an Exchange Online paste, from the first step on, saying why', () => {
    const s = start(expired, 'Your message to someone@fabrikam.com could not be delivered. 550 5.4.300 Message expired. Exchange Online gave up after 24 hours.');
    expect(s.cursor).toBe('trace-online');
    expect(s.steps['read-inner-error']).toMatchObject({ status: 'skipped', via: 'version', reason: 'this step is for Exchange 2010, 2013, 2016, 2019 and SE only; the paste says Exchange Online (“Exchange Online”)' });
    expect(s.timeline.map((e) => `${e.action} ${e.stepId}`)).toEqual(['start read-inner-error', 'skipped read-inner-error']);
    const { shown, end } = doneToTheEnd(expired, s);
    // No queue to read, no transport timeouts to change, no queue to retry in Exchange Online.
    expect(shown).toEqual(['trace-online', 'check-destination-mx', 'test-next-hop']);
    expect(end.status).toBe('finished');
    expect(summarize(end, expired).skipped.map((i) => i.stepId)).toEqual(['read-inner-error', 'check-expiry-settings', 'retry-after-fix']);
  });

  it('skips the message-trace step for an Exchange 2016 paste, and nothing when the paste states no version', () => {
    const onPrem = start(expired, '#550 4.4.7 QUEUE.Expired; message expired ## (Exchange Server 2016 CU23)');
    expect(onPrem.cursor).toBe('read-inner-error');
    const { shown } = doneToTheEnd(expired, onPrem);
    expect(shown).not.toContain('trace-online');
    expect(shown).toContain('check-expiry-settings');
    const unstated = start(expired, '#550 4.4.7 QUEUE.Expired; message expired ##');
    expect(doneToTheEnd(expired, unstated).shown).toEqual(expired.steps.filter((x) => x.id !== 'restore-expiry-timeout').map((x) => x.id));
  });

  it('takes no version from a Microsoft host name alone: an on-premises queue to a Microsoft 365 recipient keeps its queue steps', () => {
    const text = 'Delivery is delayed to these recipients or groups: someone@fabrikam.com. Remote Server at fabrikam-com.mail.protection.outlook.com (52.101.68.1) returned 451 4.4.0';
    expect(statedVersions(text).map((v) => v.version)).toEqual(['Online']);
    const s = start(expired, text);
    expect(s.versions).toBeUndefined();
    expect(s.cursor).toBe('read-inner-error');
    // A build number still counts: 15.2.1544.4 is Exchange 2019.
    expect(versionsForSteps(statedVersions('Version 15.2 (Build 1544.4)')).map((v) => v.version)).toEqual(['2019']);
    expect(versionsForSteps(statedVersions('X-MS-Exchange-Server: 15.1.2507.6')).map((v) => v.version)).toEqual(['2016']);
  });

  it('keeps a step when the paste names one of its versions (a hybrid paste names both)', () => {
    const hybrid = start(expired, 'Exchange 2019 hybrid with Exchange Online: 550 5.4.300 Message expired');
    expect(hybrid.cursor).toBe('read-inner-error');
    expect(doneToTheEnd(expired, hybrid).shown).toContain('trace-online');
    const oof = playbook('oof-settings-unavailable-ews-autodiscover');
    const build = oof.steps.find((x) => x.id === 'check-outlook-build')!;
    expect(notForVersion([{ version: '2007', evidence: 'Exchange 2007' }], build)).toBeUndefined();
    expect(notForVersion([{ version: '2010', evidence: 'Exchange 2010' }], build)).toBe('this step is for Exchange 2007 only; the paste says Exchange 2010 (“Exchange 2010”)');
    expect(notForVersion([], build)).toBeUndefined();
  });
});

// Rule failure-branches: a check whose unhealthy answer leads nowhere (the cases of issue 14).
import { describe, expect, it } from 'vitest';
import { failureBranches } from '../../../src/catalog/lint/branches.ts';
import { RULES } from '../../../src/catalog/lint/index.ts';
import { catalogWith, problemsOf, projectFile, replaceOnce } from '../../helpers/catalog.ts';

const OOF = 'playbooks/oof-mailbox-rules-agent-legacyinterop.yaml';
const TLS = 'playbooks/starttls-required-forced-tls.yaml';

describe('lint rule failure-branches', () => {
  it('is registered and passes on the project catalog', () => {
    expect(RULES).toContain(failureBranches);
    expect(problemsOf(catalogWith({}), [failureBranches])).toEqual([]);
  });

  it('finds "No Deny entry found" leading to "Remove the Deny entry" (OOF / LegacyInterop)', () => {
    const old = replaceOnce(projectFile(OOF), '    next: { done: escalate }\n  - id: remove-deny', '  - id: remove-deny');
    const found = problemsOf(catalogWith({ [OOF]: old }), [failureBranches]);
    expect(found).toHaveLength(1);
    expect(found[0]).toMatch(/steps\[3\]\.next \| "check-connector-permission": the healthy and the unhealthy answer both lead to "remove-deny"/);
  });

  it('accepts both answers leading to one change when the playbook says so', () => {
    const both = replaceOnce(projectFile(OOF), '    next: { done: escalate }\n  - id: remove-deny', '    next: { done: remove-deny, failed: remove-deny }\n  - id: remove-deny');
    expect(problemsOf(catalogWith({ [OOF]: both }), [failureBranches])).toEqual([]);
  });

  it('finds a blocklisted IP or an unreachable CRL going straight to "Retry the queue" (forced TLS)', () => {
    let old = replaceOnce(projectFile(TLS), 'next: { done: check-firewall-inspection, failed: request-delisting }', 'next: { done: check-firewall-inspection, failed: retry-queue }');
    old = replaceOnce(old, 'next: { done: check-cloud-connectors, failed: allow-crl-access }', 'next: { done: check-cloud-connectors, failed: retry-queue }');
    const found = problemsOf(catalogWith({ [TLS]: old }), [failureBranches]);
    expect(found.map((f) => f.split(' | ')[2]!.split(':')[0])).toEqual(['"probe-blocklists"', '"check-crl-reachable"']);
    expect(found[0]).toContain('only retries (retry: true) and fixes nothing');
  });

  it('finds a default failure (falling through) into a retry step', () => {
    const file = 'playbooks/tls-legacy-version-rejected.yaml';
    // check-dotnet-tls made to fall through to retry-queue: enable-tls12 moved out of the way, after it
    const text = projectFile(file);
    const fix = text.slice(text.indexOf('  - id: enable-tls12\n'), text.indexOf('  - id: retry-queue\n'));
    let old = replaceOnce(text, fix, '');
    old = replaceOnce(old, '    next: { done: escalate, failed: enable-tls12 }\n', '    next: { done: escalate }\n');
    old = replaceOnce(old, 'references:', `${fix.replace(/\n$/, '')}\n    next: { done: retry-queue }\nreferences:`);
    const found = problemsOf(catalogWith({ [file]: old }), [failureBranches]);
    expect(found).toEqual([expect.stringMatching(/\| steps\[2\]\.next \| "check-dotnet-tls": the unhealthy answer leads straight to "retry-queue"/)]);
  });
});

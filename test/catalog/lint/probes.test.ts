// Rule probe-steps: every step probe's target and options are type-checked against its probe kind.
import { describe, expect, it } from 'vitest';
import { RULES } from '../../../src/catalog/lint/index.ts';
import { checkStepProbe, fillSamples, placeholders, probeSteps } from '../../../src/catalog/lint/probes.ts';
import { catalogWith, problemsOf, projectFile, replaceOnce } from '../../helpers/catalog.ts';

/** The five probe steps the catalog shipped with before issue 14, each put back into today's playbook. */
const BROKEN = [
  ['hybrid-configuration-wizard-failure', "probe: { kind: http, target: 'https://{host}/EWS/mrsproxy.svc'", "probe: { kind: ews, target: 'https://{host}/EWS/mrsproxy.svc'", 'steps[3].probe.target'],
  ['oof-settings-unavailable-ews-autodiscover', "probe: { kind: autodiscover, target: '{domain}', onPass: done, onFail: failed, options: { email: '{email}' } }", "probe: { kind: autodiscover, target: '{email}', onPass: done, onFail: failed }", 'steps[4].probe.target'],
  ['oof-settings-unavailable-ews-autodiscover', "probe: { kind: ews, target: '{host}'", "probe: { kind: ews, target: 'https://{host}/EWS/Exchange.asmx'", 'steps[5].probe.target'],
  ['outlook-anywhere-credential-prompts', "probe: { kind: rpc, target: '{host}'", "probe: { kind: rpc, target: 'https://{host}/rpc/rpcproxy.dll'", 'steps[3].probe.target'],
  ['outlook-anywhere-rpc-connectivity', "probe: { kind: rpc, target: '{host}'", "probe: { kind: rpc, target: 'https://{host}/rpc/rpcproxy.dll'", 'steps[0].probe.target'],
] as const;

describe('lint rule probe-steps', () => {
  it('is registered', () => {
    expect(RULES).toContain(probeSteps);
  });

  it('passes on the project catalog', () => {
    expect(problemsOf(catalogWith({}), [probeSteps])).toEqual([]);
  });

  it.each(BROKEN)('fails on the old %s step (%s → %s)', (playbook, fixed, broken, field) => {
    const file = `playbooks/${playbook}.yaml`;
    const root = catalogWith({ [file]: replaceOnce(projectFile(file), fixed, broken) });
    const found = problemsOf(root, [probeSteps]);
    expect(found).toHaveLength(1);
    expect(found[0]).toContain(`${file} | ${field} |`);
    expect(found[0]).toMatch(/cannot run as a (ews|autodiscover|rpc) check/);
  });

  it('checks options against the kind and their values', () => {
    const at = 'steps[0].probe';
    const msg = (p: Parameters<typeof checkStepProbe>[0]) => checkStepProbe(p, at, 'f.yaml').map((x) => `${x.field}: ${x.message}`);
    expect(msg({ kind: 'smtp', target: '{host}', onPass: 'done', onFail: 'failed', options: { quitAfter: 'ehlo', port: 587 } })).toEqual([]);
    expect(msg({ kind: 'dnsbl', target: '{ip}', onPass: 'done', onFail: 'failed', options: { port: 25 } })).toEqual([`${at}.options.port: dnsbl does not take the option port (it takes none)`]);
    expect(msg({ kind: 'autodiscover', target: '{domain}', onPass: 'done', onFail: 'failed', options: { email: '{host}' } })[0]).toMatch(/options.email: .* is not an e-mail address/);
    expect(msg({ kind: 'smtp', target: '{host}', onPass: 'done', onFail: 'failed', options: { port: '{ip}' } })[0]).toMatch(/a port option is a number or \{port\}/);
    expect(msg({ kind: 'dns', target: '{hostname}', onPass: 'done', onFail: 'failed' })[0]).toMatch(/unknown placeholder \{hostname\}/);
    expect(msg({ kind: 'ptr', target: '{host}', onPass: 'done', onFail: 'failed' })[0]).toMatch(/ptr expects an IP address/);
    expect(msg({ kind: 'http', target: '{url}', onPass: 'done', onFail: 'failed' })).toEqual([]);
    expect(msg({ kind: 'smtp', target: '{host}:{port}', onPass: 'done', onFail: 'failed' })).toEqual([]);
  });

  it('checks that a step\'s role fits the placeholder its target uses', () => {
    const at = 'steps[0].probe';
    const msg = (p: Parameters<typeof checkStepProbe>[0]) => checkStepProbe(p, at, 'f.yaml').map((x) => `${x.field}: ${x.message}`);
    expect(msg({ kind: 'dnsbl', target: '{ip}', onPass: 'done', onFail: 'failed', role: 'sender-ip' })).toEqual([]);
    expect(msg({ kind: 'smtp', target: '{host}:25', onPass: 'done', onFail: 'failed', role: 'receiving-host' })).toEqual([]);
    expect(msg({ kind: 'smtp', target: '{host}:25', onPass: 'done', onFail: 'failed', role: 'sender-ip' })).toEqual([`${at}.role: the role sender-ip fills {ip}, which the target "{host}:25" does not use`]);
    expect(msg({ kind: 'dns', target: 'autodiscover.{domain}', onPass: 'done', onFail: 'failed', role: 'connector-host' })[0]).toMatch(/role connector-host fills \{host\}/);
    // A role no paste fills (none today: each has a source in src/conversation/roles.ts) is refused.
    expect(msg({ kind: 'smtp', target: '{host}:25', onPass: 'done', onFail: 'failed', role: 'relay-host' as 'connector-host' })[0]).toMatch(/^steps\[0\]\.probe\.role: no paste fills the role relay-host/);
  });

  it('reads and fills placeholders', () => {
    expect(placeholders('https://{host}:{port}/x')).toEqual(['host', 'port']);
    expect(placeholders('{host')).toEqual(['{host']);
    expect(fillSamples('autodiscover.{domain}:443')).toBe('autodiscover.contoso.com:443');
  });
});

// runProbe: parse, police, limit, run and summarise one probe. Never throws for network trouble.
import type { ProbeKind } from './registry.ts';
import type { ProbeConfig } from './config.ts';
import type { LimitRefusal } from './limits.ts';
import { ProbeLimiter, sharedLimiter } from './limits.ts';
import { playbookFor } from './playbook-hints.ts';
import type { Refusal } from './policy.ts';
import { TargetPolicy } from './policy.ts';
import { PROBES } from './registry.ts';
import { ProbeResolver } from './resolver.ts';
import type { ParsedTarget } from './target.ts';
import { TargetError, parseTarget } from './target.ts';
import { Transcript } from './transcript.ts';
import type { Finding, LookupTarget, ProbeContext, ProbeRequestOptions, ProbeResult, ProbeStatus, RunnerOutcome, Severity } from './types.ts';

export interface RunProbeOptions extends ProbeRequestOptions {
  config: ProbeConfig;
  /** Who asked (chat user id); rate-limited per user when given. */
  user?: string;
  signal?: AbortSignal;
  onProgress?: (message: string) => void;
  /** Override the total timeout for this run (never above the config's). */
  timeoutMs?: number;
  /** Defaults to the process-wide limiter. */
  limiter?: ProbeLimiter;
}

export async function runProbe(kind: ProbeKind, target: string, opts: RunProbeOptions): Promise<ProbeResult> {
  const started = Date.now();
  const t0 = performance.now();
  const findings: Finding[] = [];
  const transcript = new Transcript();
  const finish = (status: ProbeStatus, display: string): ProbeResult => ({
    probe: kind,
    target: display,
    startedAt: new Date(started).toISOString(),
    ms: Math.round(performance.now() - t0),
    status,
    findings,
    transcript: transcript.toArray(),
  });
  const add = (severity: Severity, code: string, message: string): void => {
    const playbook = playbookFor(code, kind);
    findings.push(playbook ? { severity, code, message, playbook } : { severity, code, message });
  };
  const refuse = (r: Refusal | LimitRefusal, display: string): ProbeResult => {
    add('fail', 'policy-refused', `refused by rule ${r.rule}: ${r.message}`);
    return finish('refused', display);
  };

  let parsed: ParsedTarget;
  try {
    parsed = parseTarget(kind, target, opts.port);
  } catch (err) {
    if (!(err instanceof TargetError)) throw err;
    add('fail', 'invalid-target', err.message);
    return finish('error', target.slice(0, 200));
  }
  const policy = new TargetPolicy(opts.config.allow);
  const early = parsed.isIp ? policy.checkAddress(parsed.host, false) : policy.checkName(parsed.host);
  if (early) return refuse(early, parsed.display);

  const slot = await (opts.limiter ?? sharedLimiter).acquire(parsed.host, opts.user, opts.config.limits);
  if ('rule' in slot) return refuse(slot, parsed.display);

  const totalMs = Math.min(opts.timeoutMs ?? opts.config.timeouts.totalMs, opts.config.timeouts.totalMs);
  const deadline = performance.now() + totalMs;
  const signal = opts.signal ? AbortSignal.any([opts.signal, AbortSignal.timeout(totalMs)]) : AbortSignal.timeout(totalMs);
  const resolver = new ProbeResolver(opts.config, signal);
  try {
    const row = PROBES[kind];
    const base: LookupTarget = { host: parsed.host, port: parsed.port, url: parsed.url, isIp: parsed.isIp, display: parsed.display };
    const ctx: ProbeContext = {
      kind,
      config: opts.config,
      signal,
      remaining: () => Math.max(0, deadline - performance.now()),
      transcript,
      add,
      findings,
      options: { port: opts.port, quitAfter: opts.quitAfter, tlsOnConnect: opts.tlsOnConnect, starttls: opts.starttls, dkimSelectors: opts.dkimSelectors, email: opts.email, httpPort: opts.httpPort },
      check: async (host) => {
        const pin = await policy.pin(host, resolver);
        return pin.ok ? { ok: true, address: pin.address } : pin;
      },
      progress: (m) => opts.onProgress?.(m),
      resolver,
    };
    let outcome: RunnerOutcome | void;
    if (row.connects) {
      const pin = await policy.pin(parsed.host, resolver);
      if (!pin.ok && pin.refusal) return refuse(pin.refusal, parsed.display);
      if (!pin.ok) {
        add('fail', 'target-unresolved', `could not resolve ${parsed.host}: ${pin.error}`);
        if (kind === 'smtp' || kind === 'tls') await addMxHint(parsed.host, resolver, add);
        return finish('error', parsed.display);
      }
      transcript.note(`${parsed.host} → ${pin.address} (checked against the policy; connections go here only)`);
      outcome = await row.run({ ...base, address: pin.address }, ctx);
    } else outcome = await row.run(base, ctx);
    if (outcome?.error) return finish('error', parsed.display);
    return finish(summarise(findings), parsed.display);
  } catch (err) {
    add('fail', signal.aborted ? 'total-timeout' : 'probe-error', signal.aborted ? `the probe passed its total time limit of ${totalMs} ms` : `the probe stopped: ${err instanceof Error ? err.message : String(err)}`);
    return finish('error', parsed.display);
  } finally {
    slot.release();
  }
}

/** A domain typed where a host was expected: name its mail hosts. */
async function addMxHint(host: string, resolver: ProbeResolver, add: (s: Severity, c: string, m: string) => void): Promise<void> {
  const mx = await resolver.mx(host);
  if (!mx.ok || !mx.records.length) return;
  const hosts = [...mx.records].sort((a, b) => a.priority - b.priority).slice(0, 3).map((r) => r.exchange);
  add('info', 'mx-hint', `${host} is a mail domain; its MX host(s): ${hosts.join(', ')}. Probe one of those`);
}

/** fail if anything failed, warn if anything warned, pass otherwise. */
export function summarise(findings: readonly Finding[]): 'pass' | 'warn' | 'fail' {
  if (findings.some((f) => f.severity === 'fail')) return 'fail';
  if (findings.some((f) => f.severity === 'warn')) return 'warn';
  return 'pass';
}

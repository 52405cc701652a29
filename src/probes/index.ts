// The probes API the conversation core and the CLI use.
export { runProbe, summarise } from './run.ts';
export type { RunProbeOptions } from './run.ts';
export { ProbeConfig, defaultProbeConfig, probeConfigFromEnv, DEFAULT_DNSBL_ZONES } from './config.ts';
export { ProbeLimiter } from './limits.ts';
export { PROBE_HELP } from './registry.ts';
export { parseTarget, TargetError } from './target.ts';
export type { Finding, ProbeResult, ProbeStatus, Severity } from './types.ts';

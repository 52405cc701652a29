// The probes API the conversation core and the CLI use.
export { runProbe, summarise } from './run.ts';
export type { RunProbeOptions } from './run.ts';
export { ProbeConfig, defaultProbeConfig, DEFAULT_DNSBL_ZONES } from './config.ts';
export { MemoryRateStore, ProbeLimiter, SqliteRateStore } from './limits.ts';
export type { RateDecision, RateStore } from './limits.ts';
export { PROBE_HELP, PROBE_KINDS, PROBES } from './registry.ts';
export type { ProbeKind, ProbeRow, TargetShape } from './registry.ts';
export { parseTarget, TargetError, toProbeTarget } from './target.ts';
export type { Converted } from './target.ts';
export type { Finding, ProbeResult, ProbeStatus, Severity } from './types.ts';
export { stepRequest } from './step-request.ts';
export type { StepRequest, StepValues } from './step-request.ts';

// The shapes every probe shares: the `ehlo probe --json` contract (docs/contracts.md) and the runner signature.
import type { ProbeKind } from './registry.ts';
import type { ProbeConfig } from './config.ts';
import type { Transcript } from './transcript.ts';
import type { PinnedTarget, PinOutcome } from './policy.ts';
import type { ProbeResolver } from './resolver.ts';

export type { ProbeKind };

export type Severity = 'pass' | 'info' | 'warn' | 'fail';
export type ProbeStatus = 'pass' | 'warn' | 'fail' | 'error' | 'refused';

export interface Finding {
  severity: Severity;
  /** Stable kebab-case code, e.g. `starttls-missing`. */
  code: string;
  /** One line: what was seen and why it matters. */
  message: string;
  /** Optional playbook id hint, filled from playbook-hints.ts. */
  playbook?: string;
}

/** Exactly the JSON object `ehlo probe … --json` prints. */
export interface ProbeResult {
  probe: ProbeKind;
  target: string;
  startedAt: string;
  ms: number;
  status: ProbeStatus;
  findings: Finding[];
  transcript: string[];
}

export interface ProbeRequestOptions {
  /** Port override (smtp, tls, http-based checks). */
  port?: number;
  /** SMTP stop point, as swaks' --quit-after. */
  quitAfter?: 'banner' | 'ehlo' | 'tls';
  /** smtp: TLS from the first byte (as swaks' --tls-on-connect); implied by port 465. */
  tlsOnConnect?: boolean;
  /** tls: true = STARTTLS (SMTP) on any port, false = TLS from the first byte; default by port (25/587/2525 STARTTLS). */
  starttls?: boolean;
  /** dns: DKIM selectors to look up besides selector1/selector2 (from a DKIM-Signature s= tag or the user). */
  dkimSelectors?: string[];
  /** autodiscover: the mailbox address Autodiscover is asked about (default a probe address at the domain). */
  email?: string;
  /** autodiscover: the plain-HTTP port of the HTTP redirect method (default 80). */
  httpPort?: number;
}

/** Everything a probe runner gets: the checked target, the config, a deadline and a transcript. */
export interface ProbeContext {
  kind: ProbeKind;
  config: ProbeConfig;
  /** Aborted when the total timeout passes or the caller cancels. */
  signal: AbortSignal;
  /** Milliseconds left before the total timeout. */
  remaining(): number;
  transcript: Transcript;
  /** Each finding goes through here (playbook hints are attached on the way). */
  add(severity: Severity, code: string, message: string): void;
  findings: Finding[];
  options: ProbeRequestOptions;
  /**
   * Policy gate for further hosts a probe wants to reach (redirects, autodiscover.DOMAIN):
   * resolves once and returns the checked address, a refusal or a resolution error.
   */
  check(host: string): Promise<PinOutcome>;
  progress(message: string): void;
  /** The probe's DNS client (configured servers, timeouts, query budget). */
  resolver: ProbeResolver;
}

/** What a runner returns when it decides the probe could not run (network trouble). */
export interface RunnerOutcome {
  /** true when ehlo could not get an answer at all (status `error`). */
  error?: boolean;
}

/** The target a lookup-only runner gets (dns, ptr, dnsbl, autodiscover): no address of its own. */
export type LookupTarget = Omit<PinnedTarget, 'address'>;
/** The target a connecting runner gets: the address the policy checked, never undefined. */
export type ConnectTarget = LookupTarget & { address: string };

export type LookupRunner = (target: LookupTarget, ctx: ProbeContext) => Promise<RunnerOutcome | void>;
export type ConnectRunner = (target: ConnectTarget, ctx: ProbeContext) => Promise<RunnerOutcome | void>;

// A probe job as it travels through the queue: what a replica posts (the request and its deadline)
// and what a runner answers (the result, who ran it, or that it came too late to run). Runners read
// job data written by other processes, so it is validated like any input.
import { z } from 'zod';
import { PROBE_KINDS } from '../probes/kinds.ts';
import type { CheckHandoff, ProbeRequest } from '../probes/executor.ts';
import type { ProbeResult } from '../probes/types.ts';

export interface ProbeJobData {
  request: ProbeRequest;
  /** Epoch milliseconds (the posting replica's clock): no probe starts after it, no result counts after it. */
  deadline: number;
  /** The zone the replica routed it to (the queue says it too; kept for the runner's log). */
  zone: string;
  /** For the replica that adopts the check if the posting one dies (runners ignore it). */
  handoff?: CheckHandoff;
}

/** An adopt job: due a little after the probe job's deadline, when the posting replica should be done with it. */
export interface AdoptJobData {
  zone: string;
  job: string;
  thread: string;
  checkId: string;
  actor: { id: string; name: string };
}

export type ProbeJobOutput =
  | { kind: 'result'; result: ProbeResult; runner: string; zone: string }
  /** Taken after its deadline: not run. */
  | { kind: 'expired'; runner: string; zone: string };

const Options = z
  .object({
    port: z.number().int().min(1).max(65535).optional(),
    quitAfter: z.enum(['banner', 'ehlo', 'tls']).optional(),
    tlsOnConnect: z.boolean().optional(),
    starttls: z.boolean().optional(),
    dkimSelectors: z.array(z.string().max(200)).max(20).optional(),
    email: z.string().max(320).optional(),
    httpPort: z.number().int().min(1).max(65535).optional(),
  })
  .strip();

const JobData = z.object({
  request: z.object({
    kind: z.enum(PROBE_KINDS),
    target: z.string().min(1).max(2048),
    options: Options.optional(),
    user: z.string().max(200).optional(),
  }),
  deadline: z.number().int().positive(),
  zone: z.string().max(40),
});

export function parseJobData(data: unknown): ProbeJobData | string {
  const parsed = JobData.safeParse(data);
  if (!parsed.success) return `malformed probe job: ${parsed.error.issues.map((i) => `${i.path.join('.') || 'data'}: ${i.message}`).join('; ').slice(0, 300)}`;
  return parsed.data as ProbeJobData;
}

/** What a runner's output claims, checked loosely (a result is shown, so it must have the result's shape). */
export function parseJobOutput(output: unknown): ProbeJobOutput | undefined {
  if (!output || typeof output !== 'object') return undefined;
  const o = output as Record<string, unknown>;
  if (o.kind === 'expired' && typeof o.runner === 'string') return o as ProbeJobOutput;
  const r = o.result as Record<string, unknown> | undefined;
  if (o.kind === 'result' && r && typeof r.status === 'string' && Array.isArray(r.findings) && Array.isArray(r.transcript)) return o as ProbeJobOutput;
  return undefined;
}

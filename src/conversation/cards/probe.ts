// A probe as a reply: "running…" while it runs (updated with its progress), then its result in the
// same reply: status, findings with the playbook each points to, and for trouble the last lines of
// the transcript. Remote servers write banners and errors, so every line is neutralised.
import type { ProbeResult } from '../../probes/types.ts';
import type { Actor } from '../../walkthrough/session.ts';
import { safeLine, who } from '../../text/neutralise.ts';
import { reply, type Block, type Button, type Reply, type StatusState } from '../reply.ts';
import { findingLines } from './parts.ts';

const TRANSCRIPT_LINES = 10;

export function probeRunning(thread: string, kind: string, target: string, progress?: string, why?: string, cancel?: Button): Reply {
  const text = `Running ${kind} check on ${safeLine(target, 200)}…${progress ? ` ${safeLine(progress, 160)}` : ''}`;
  const blocks: Block[] = [{ type: 'status', state: 'running', text }];
  if (why) blocks.unshift({ type: 'text', text: why });
  if (cancel) blocks.push({ type: 'buttons', buttons: [cancel] });
  return reply(thread, text, blocks, { kind: 'probe' });
}

/** The running reply, once a Cancel stopped its probe. */
export function probeCancelled(id: string, thread: string, kind: string, target: string, by: Actor): Reply {
  const text = `${kind} ${safeLine(target, 200)}: CANCELLED by ${who(by)}`;
  return { ...reply(thread, text, [{ type: 'status', state: 'info', text }], { kind: 'probe' }), id };
}


/** The result blocks; `id` keeps the running reply's id so channels update it in place. */
export function probeResult(id: string, thread: string, r: ProbeResult): Reply {
  const state: StatusState = r.status;
  const head = `${r.probe} ${safeLine(r.target, 200)}: ${r.status.toUpperCase()} (${r.ms} ms)`;
  const blocks: Block[] = [{ type: 'status', state, text: head }];
  if (r.findings.length) blocks.push({ type: 'list', items: findingLines(r) });
  if ((r.status === 'fail' || r.status === 'error') && r.transcript.length) {
    blocks.push({ type: 'code', label: 'Transcript (last lines)', text: r.transcript.slice(-TRANSCRIPT_LINES).map((l) => safeLine(l, 200)).join('\n') });
  }
  return { ...reply(thread, head, blocks, { kind: 'probe' }), id };
}

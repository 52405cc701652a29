// Diagnostic steps whose failure leads nowhere. A read-only step asks a question; its unhealthy answer must
// lead somewhere its healthy answer does not, or the answer changes nothing:
// - both answers lead to the same step that changes something: the healthy answer runs a fix it has no need
//   of (the OOF / LegacyInterop "No Deny entry found" → "Remove the Deny entry" case). When both really
//   lead there, say so with `next: { done: X, failed: X }`.
// - the unhealthy answer leads straight to a step marked `retry: true` (retry the queue, send a test
//   message): nothing was fixed, so the retry proves nothing (a blocklisted IP or an unreachable CRL →
//   "Retry the queue"). It must lead to the fix (a step of its own), or escalate.
import type { CatalogProblem } from '../load.ts';
import { outcomeTarget, stepById } from './graph.ts';
import { defineRule, eachPlaybook } from './rule.ts';

export const failureBranches = defineRule('failure-branches', "a check's unhealthy answer leads to a step of its own (a fix, a further check or escalate)", (ctx) =>
  eachPlaybook(ctx, (p, file) => {
    const byId = stepById(p);
    const problems: CatalogProblem[] = [];
    p.steps.forEach((s, i) => {
      if (s.changes !== false) return;
      const done = outcomeTarget(p, i, 'done');
      const failed = outcomeTarget(p, i, 'failed');
      const target = byId.get(failed)?.step;
      if (!target || (target.changes === false && target.retry !== true)) return;
      const bothWritten = s.next?.done !== undefined && s.next?.failed !== undefined;
      if (done === failed && !bothWritten && target.changes !== false) {
        problems.push({
          file,
          field: `steps[${i}].next`,
          message: `"${s.id}": the healthy and the unhealthy answer both lead to "${failed}", which changes something: send the healthy answer past it (next.done), or write next: { done: ${failed}, failed: ${failed} } if both really need it`,
        });
      } else if (target.retry === true) {
        problems.push({
          file,
          field: s.next?.failed !== undefined ? `steps[${i}].next.failed` : `steps[${i}].next`,
          message: `"${s.id}": the unhealthy answer leads straight to "${failed}", which only retries (retry: true) and fixes nothing; branch it to a step that fixes what failed, or to escalate`,
        });
      }
    });
    return problems;
  }),
);

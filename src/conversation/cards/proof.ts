// The question that proves a fix no check can see (a step's `proof`): what to do and look at now that
// the walkthrough is finished, and three answers. Only "yes, I saw it" makes the outcome resolved, and
// the summary then says the proof was a person's confirmation, not a check.
import type { ConfirmProof } from '../../walkthrough/recheck.ts';
import type { ProofAnswer } from '../../walkthrough/session.ts';
import { encodeAction } from '../actions.ts';
import { reply, type Button, type Reply } from '../reply.ts';

/** One number per answer (the console presses by number), in the order of a step card's Done, Failed, Skip. */
export const PROOF_SHORTCUT: Record<ProofAnswer, number> = { yes: 1, no: 2, unsure: 3 };

const LABEL: Record<ProofAnswer, string> = { yes: 'Yes, I saw it', no: 'No, it still fails', unsure: 'Cannot tell' };

function answerButton(sessionId: string, answer: ProofAnswer, shows: string): Button {
  return {
    id: `proof-${answer}`,
    label: LABEL[answer],
    shortcut: PROOF_SHORTCUT[answer],
    style: answer === 'yes' ? 'primary' : 'default',
    value: encodeAction({ k: 'proof', s: sessionId, a: answer }),
    // The outcome rests on this answer alone: ask once more before taking it.
    ...(answer === 'yes' && { confirm: { title: 'You saw it yourself?', text: `The walkthrough is marked resolved on your word that ${shows}.` } }),
  };
}

export function proofCard(thread: string, sessionId: string, p: ConfirmProof): Reply {
  const text = `No check can see this fix (“${p.step.title}”), so it is proved by what you observe. The outcome is resolved only when you confirm that ${p.proof.shows}; the summary will say it was your confirmation. Add what you saw (a message trace line, the new NDR) with note <text>.`;
  return reply(
    thread,
    `Proof of the fix: ${p.proof.confirm}`,
    [
      { type: 'header', text: `Proof of the fix: ${p.step.title}` },
      { type: 'text', text: p.proof.confirm.trim() },
      { type: 'text', text, tone: 'warning' },
      { type: 'buttons', buttons: (['yes', 'no', 'unsure'] as const).map((a) => answerButton(sessionId, a, p.proof.shows)) },
    ],
    { kind: 'question', meta: { session: sessionId, step: p.stepId } },
  );
}

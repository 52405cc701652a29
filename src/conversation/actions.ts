// The opaque payload a button carries (Button.value). Short JSON under Slack's 2,000-character limit;
// decoded with zod on the way back, since a press is as hostile as any other input.
import { z } from 'zod';
import { PROBE_KINDS } from '../catalog/schema.ts';
import { PROOF_ANSWERS } from '../walkthrough/session.ts';

const Ref = z.string().min(1).max(120);

export const STEP_CHOICES = ['confirm', 'done', 'failed', 'skip', 'run-check', 'back', 'escalate', 'stop'] as const;
export type StepChoice = (typeof STEP_CHOICES)[number];

export const ButtonAction = z.discriminatedUnion('k', [
  /** Start the walkthrough of a playbook in this thread. */
  z.object({ k: z.literal('start'), p: Ref }).strict(),
  /** Show the other matches of the thread's last paste. */
  z.object({ k: z.literal('others') }).strict(),
  /** The diagnosis was wrong. */
  z.object({ k: z.literal('not-this'), p: Ref }).strict(),
  /** Browse or search the catalog. */
  z.object({ k: z.literal('catalog'), q: z.string().max(200).optional() }).strict(),
  /** A step's button: the session, the step and the session version it was rendered on. */
  z.object({ k: z.literal('step'), s: Ref, t: Ref, v: z.number().int().positive(), c: z.enum(STEP_CHOICES) }).strict(),
  /** Drop the question ehlo asked (a check's target). */
  z.object({ k: z.literal('cancel') }).strict(),
  /** Stop a running check. */
  z.object({ k: z.literal('cancel-check'), c: Ref }).strict(),
  /** Finish a check whose process died waiting for its probe runner (pressed by a replica, never shown). */
  z.object({ k: z.literal('adopt-check'), c: Ref, j: Ref, z: z.string().min(1).max(40) }).strict(),
  /** Run one probe a card offers (the header card's checks of the sending IP and the From domain), through the probe policy as every probe. */
  z.object({ k: z.literal('probe'), c: z.enum(PROBE_KINDS), t: z.string().min(1).max(300) }).strict(),
  /** An answer to the telling-apart question of the thread's last paste: the question's id and the answer's index. */
  z.object({ k: z.literal('settle'), q: Ref, a: z.number().int().min(0).max(9) }).strict(),
  /** The answer to ehlo's question, typed into the card's input (the press carries it in `inputs`). */
  z.object({ k: z.literal('answer') }).strict(),
  /** The answer to the proof of a finished walkthrough's fix (a step's `proof`): yes (seen), no (still fails), unsure. */
  z.object({ k: z.literal('proof'), s: Ref, a: z.enum(PROOF_ANSWERS) }).strict(),
  /** Escalate to on-call, confirmed: the session, the version the confirmation was shown on, the reason. */
  z.object({ k: z.literal('escalate'), s: Ref, v: z.number().int().positive(), r: z.string().max(300).optional() }).strict(),
]);
export type ButtonAction = z.infer<typeof ButtonAction>;

export function encodeAction(a: ButtonAction): string {
  return JSON.stringify(a);
}

/** The action of a press, or undefined when the payload is not one of ours. */
export function decodeAction(value: string): ButtonAction | undefined {
  if (value.length > 2000) return undefined;
  let raw: unknown;
  try {
    raw = JSON.parse(value);
  } catch {
    return undefined;
  }
  const parsed = ButtonAction.safeParse(raw);
  return parsed.success ? parsed.data : undefined;
}

/**
 * A channel that can show an input on a question (a Teams Input.Text) names it ANSWER_INPUT and sends
 * its value with a press whose value is ANSWER_PRESS; channels without inputs take the next typed line.
 */
export const ANSWER_INPUT = 'answer';
export const ANSWER_PRESS = encodeAction({ k: 'answer' });

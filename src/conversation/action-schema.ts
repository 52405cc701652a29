// The zod schema of a button's payload and its decoding on the way back: a press is hostile input like
// every other. Kept apart from actions.ts (the encoding and the types), so that rendering a card loads
// no zod: \`ehlo match\` renders the diagnosis card on every start.
import { z } from 'zod';
import { PROBE_KINDS } from '../catalog/schema.ts';
import { PROOF_ANSWERS } from '../walkthrough/session.ts';
import { STEP_CHOICES, type ButtonAction } from './actions.ts';

const Ref = z.string().min(1).max(120);
export const ButtonActionSchema = z.discriminatedUnion('k', [
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

/** The action of a press, or undefined when the payload is not one of ours. */
export function decodeAction(value: string): ButtonAction | undefined {
  if (value.length > 2000) return undefined;
  let raw: unknown;
  try {
    raw = JSON.parse(value);
  } catch {
    return undefined;
  }
  const parsed = ButtonActionSchema.safeParse(raw);
  return parsed.success ? (parsed.data as ButtonAction) : undefined;
}

// The opaque payload a button carries (Button.value): short JSON under Slack's 2,000-character limit.
// Its zod schema and the decoding of a press are in action-schema.ts (a card renders without zod);
// the type here is the schema's, so the two cannot drift apart.
import type { ButtonActionSchema } from './action-schema.ts';
import type { z } from 'zod';

export const STEP_CHOICES = ['confirm', 'done', 'failed', 'skip', 'run-check', 'back', 'escalate', 'stop'] as const;
export type StepChoice = (typeof STEP_CHOICES)[number];

export type ButtonAction = z.infer<typeof ButtonActionSchema>;

export function encodeAction(a: ButtonAction): string {
  return JSON.stringify(a);
}

/**
 * A channel that can show an input on a question (a Teams Input.Text) names it ANSWER_INPUT and sends
 * its value with a press whose value is ANSWER_PRESS; channels without inputs take the next typed line.
 */
export const ANSWER_INPUT = 'answer';
export const ANSWER_PRESS = encodeAction({ k: 'answer' });

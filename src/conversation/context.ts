// The durable part of a thread's context, kept in the walkthrough session itself as notes written by
// ehlo: the probe targets (from the paste or answered), the diagnosis and a redacted excerpt of the
// paste. A restarted process (or another replica) reads them back, so checks still know their
// targets and a handoff packet still says what was pasted. Notes by anyone else are never read here.
import { z } from 'zod';
import { LIMITS, type Actor, type Note, type Session } from '../walkthrough/session.ts';
import { PLACEHOLDERS, type Placeholder, type TargetValues } from './targets.ts';

export const EHLO_ACTOR: Actor = { id: 'ehlo', name: 'ehlo' };
const PREFIX = 'ehlo-context ';

const Targets = z.partialRecord(z.enum(PLACEHOLDERS), z.string().max(300));

const ContextPart = z
  .object({
    targets: Targets.optional(),
    /** Placeholders a person typed (the others came from the paste). */
    answered: z.array(z.enum(PLACEHOLDERS)).optional(),
    paste: z.object({ kind: z.string().max(40), chars: z.number().int().nonnegative(), excerpt: z.string().max(LIMITS.noteText) }).strict().optional(),
    diagnosis: z
      .object({ playbook: z.string().max(120), confidence: z.string().max(20), score: z.number(), verdict: z.string().max(20), evidence: z.array(z.string().max(300)).max(8) })
      .strict()
      .optional(),
  })
  .strict();
export type ContextPart = z.infer<typeof ContextPart>;

export interface ThreadContext {
  targets: TargetValues;
  answered: Set<Placeholder>;
  paste?: ContextPart['paste'];
  diagnosis?: ContextPart['diagnosis'];
}

export function emptyContext(): ThreadContext {
  return { targets: {}, answered: new Set() };
}

/** The note text for a context part, within the engine's note limit (the paste excerpt shrinks to fit). */
export function contextNoteText(part: ContextPart): string {
  let text = PREFIX + JSON.stringify(part);
  let excerpt = part.paste?.excerpt ?? '';
  while (text.length > LIMITS.noteText && part.paste && excerpt.length > 0) {
    excerpt = excerpt.slice(0, Math.max(0, excerpt.length - Math.max(50, text.length - LIMITS.noteText)));
    text = PREFIX + JSON.stringify({ ...part, paste: { ...part.paste, excerpt: excerpt ? `${excerpt}…` : '' } });
  }
  return text;
}

export function isContextNote(note: Note): boolean {
  return note.by.id === EHLO_ACTOR.id && note.text.startsWith(PREFIX);
}

function readPart(note: Note): ContextPart | undefined {
  try {
    const parsed = ContextPart.safeParse(JSON.parse(note.text.slice(PREFIX.length)));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

/** Merge the context notes of a session, later ones winning. */
export function readContext(session: Session): ThreadContext {
  const ctx = emptyContext();
  for (const note of session.notes) {
    if (!isContextNote(note)) continue;
    const part = readPart(note);
    if (!part) continue;
    Object.assign(ctx.targets, part.targets);
    for (const p of part.answered ?? []) ctx.answered.add(p);
    if (part.paste) ctx.paste = part.paste;
    if (part.diagnosis) ctx.diagnosis = part.diagnosis;
  }
  return ctx;
}

/** Notes people wrote (the context notes left out). */
export function peopleNotes(notes: readonly Note[]): Note[] {
  return notes.filter((n) => !isContextNote(n));
}

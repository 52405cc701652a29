// Sessions started before thread state existed kept their context (targets, paste excerpt,
// diagnosis) as notes by ehlo starting "ehlo-context ". When such a session is still open, its
// context is read from those notes once and moved into the thread state; summaries and handoffs
// never show ehlo's own notes. This file goes when no store holds such sessions any more.
import { z } from 'zod';
import type { Session } from '../../walkthrough/session.ts';
import { PLACEHOLDERS } from '../targets.ts';
import { Diagnosis, type WalkContext } from './thread-state.ts';

const PREFIX = 'ehlo-context ';

const LegacyPart = z
  .object({
    targets: z.partialRecord(z.enum(PLACEHOLDERS), z.string().max(300)).optional(),
    answered: z.array(z.enum(PLACEHOLDERS)).optional(),
    paste: z.object({ kind: z.string().max(40), chars: z.number().int().nonnegative(), excerpt: z.string().max(2000) }).strict().optional(),
    diagnosis: Diagnosis.optional(),
  })
  .strict();

function readPart(text: string): z.infer<typeof LegacyPart> | undefined {
  try {
    const parsed = LegacyPart.safeParse(JSON.parse(text.slice(PREFIX.length)));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

/** The context kept in a session's legacy notes, or undefined when it has none. */
export function legacyContext(session: Session): WalkContext | undefined {
  let found = false;
  const ctx: WalkContext = { sessionId: session.id, targets: {}, answered: [] };
  for (const note of session.notes) {
    if (note.by.id !== 'ehlo' || !note.text.startsWith(PREFIX)) continue;
    const part = readPart(note.text);
    if (!part) continue;
    found = true;
    Object.assign(ctx.targets, part.targets);
    for (const p of part.answered ?? []) if (!ctx.answered.includes(p)) ctx.answered.push(p);
    if (part.paste) ctx.paste = { ...part.paste, excerpt: part.paste.excerpt.slice(0, 2000) };
    if (part.diagnosis) ctx.diagnosis = part.diagnosis;
  }
  return found ? ctx : undefined;
}

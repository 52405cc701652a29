// A header finding: pass / info / warn / fail, with a one-line why and the span it rests on.
import type { Span } from '../match/types.ts';

export type Severity = 'pass' | 'info' | 'warn' | 'fail';

export interface HeaderFinding {
  severity: Severity;
  /** The rule id ("cat-spoof", "hop-delay"). */
  code: string;
  message: string;
  /** [start, end) in the paste, or null when the finding rests on no single place. */
  span: Span | null;
  topic?: string;
  weight?: number;
}

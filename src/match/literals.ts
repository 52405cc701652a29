// The paste's literal markers in two passes: the kind table's substrings (kind.ts) and the substrings
// the version reading looks for first (version.ts) in one, the markers of a mail system's own failure
// report (failure-context.ts), of another service's failure (foreign.ts) and of a manual's prose (manual.ts) in the other, each an automaton over the
// lowercased paste instead of one automaton pass and sixteen indexOf() passes. Only for a paste of at
// most KIND_HEAD characters whose lowercase keeps the offsets (the kind reads that whole head then);
// otherwise each reader makes its own passes, as before.
import { Automaton, type AutomatonState } from './automaton.ts';
import { KIND_HEAD, KIND_PATTERNS } from './kind.ts';
import { VERSION_SUBSTRINGS } from './version.ts';
import { FAILURE_MARKERS } from './failure-context.ts';
import { FOREIGN_MARKERS } from './foreign.ts';
import { MANUAL_MARKERS } from './manual.ts';

export class PasteLiterals {
  private readonly automaton: Automaton;
  private readonly found = new Uint8Array(KIND_PATTERNS.length + VERSION_SUBSTRINGS.length);
  /**
   * The failure-report and other-service markers: an automaton of their own (one more pass, small),
   * since together with the kind patterns the transitions no longer fit two bytes each and the one
   * table outgrows the cache.
   */
  private context: Automaton | undefined;
  private readonly contextFound = new Uint8Array(FAILURE_MARKERS.length + FOREIGN_MARKERS.length + MANUAL_MARKERS.length);
  /** Which KIND_PATTERNS the last scanned paste holds (a view of found), for detectKind. */
  readonly kindMarks = this.found.subarray(0, KIND_PATTERNS.length);
  private readonly versionIndex = new Map(VERSION_SUBSTRINGS.map((s, k) => [s, KIND_PATTERNS.length + k]));
  /** Whether the last scanned paste holds one of VERSION_SUBSTRINGS, for statedVersions. */
  readonly hasVersionSubstring = (s: string): boolean => {
    const k = this.versionIndex.get(s);
    if (k === undefined) throw new Error(`not a version substring: ${s}`);
    return this.found[k] === 1;
  };

  /** Whether the last scanned paste holds one of FAILURE_MARKERS, for reportsDeliveryFailure. */
  private readonly failureView = this.contextFound.subarray(0, FAILURE_MARKERS.length);
  /** Which FOREIGN_MARKERS the last scanned paste holds, for isForeignService. */
  private readonly foreignView = this.contextFound.subarray(FAILURE_MARKERS.length, FAILURE_MARKERS.length + FOREIGN_MARKERS.length);
  /** Which MANUAL_MARKERS the last scanned paste holds, for readsAsManual. */
  private readonly manualView = this.contextFound.subarray(FAILURE_MARKERS.length + FOREIGN_MARKERS.length);
  /** The paste the context markers are still to be looked for in (they are asked for a paste with evidence only). */
  private contextPending: string | undefined;

  /** Which FAILURE_MARKERS the last scanned paste holds (found on first ask). */
  failureMarks(): Uint8Array {
    this.scanContext();
    return this.failureView;
  }

  /** Which FOREIGN_MARKERS the last scanned paste holds (found on first ask). */
  foreignMarks(): Uint8Array {
    this.scanContext();
    return this.foreignView;
  }

  /** Which MANUAL_MARKERS the last scanned paste holds (found on first ask). */
  manualMarks(): Uint8Array {
    this.scanContext();
    return this.manualView;
  }

  private scanContext(): void {
    const lower = this.contextPending;
    if (lower === undefined) return;
    this.contextPending = undefined;
    this.contextFound.fill(0);
    (this.context ??= new Automaton([...FAILURE_MARKERS, ...FOREIGN_MARKERS, ...MANUAL_MARKERS])).scan(lower, this.contextFound, 0, lower.length);
  }

  /** `prebuilt`: the automaton's tables from a warm start (see Automaton), else it is built. */
  constructor(prebuilt?: AutomatonState) {
    this.automaton = new Automaton([...KIND_PATTERNS, ...VERSION_SUBSTRINGS], prebuilt);
  }

  /** The automaton's tables, for a warm start. */
  state(): AutomatonState {
    return this.automaton.state();
  }

  /** Scans the paste (`lower` is text.toLowerCase()); false when it is not one this pass answers for. */
  scan(text: string, lower: string): boolean {
    if (text.length > KIND_HEAD || lower.length !== text.length) return false;
    this.found.fill(0);
    // After a '\n', as detectKind scans: "\nreceived:" then matches a header on the first line too.
    this.automaton.scan(lower, this.found, 0, lower.length, 10);
    this.contextPending = lower;
    return true;
  }
}

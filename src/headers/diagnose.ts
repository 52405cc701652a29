// A paste's diagnosis wherever one is asked for (ehlo match in every mode, the conversation core):
// the matcher's result, replaced by the header analysis when the paste is a message header block.
// The analysis is loaded on the first paste that may be headers (a synchronous require of the ES
// module), so `ehlo match` on an NDR never loads it.
import { createRequire } from 'node:module';
import type { Matcher } from '../match/matcher.ts';
import type { MatchOptions, MatchResult } from '../match/types.ts';
import { mightBeHeaders } from './detect.ts';

type Report = typeof import('./report.ts');
let report: Report | undefined;

export function diagnose(matcher: Matcher, text: string, options?: MatchOptions): MatchResult {
  const result = matcher.match(text, options);
  if (!mightBeHeaders(text, result)) return result;
  report ??= createRequire(import.meta.url)('./report.ts') as Report;
  return report.headerMatchResult(text, result, matcher.catalog);
}

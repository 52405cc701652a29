// Figures of a bench that alternates ehlo and a bare app in rounds (bench/slack.ts, bench/teams.ts):
// the median round of each, and the median of the rounds' paired ratios (two runs measured back to
// back, so load from elsewhere hits both alike).

export interface Figures {
  perSecond: number;
  p50: number;
  p99: number;
}

/** The median of a few numbers. */
export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? 0;
}

/** The round whose rate is the median one. */
export function middle(rounds: Figures[]): Figures {
  const m = median(rounds.map((f) => f.perSecond));
  return rounds.find((f) => f.perSecond === m) ?? rounds[0]!;
}

/** The median of the rounds' ratios ehlo / bare, formatted with two decimals. */
export function ratio(ehlo: Figures[], bare: Figures[]): string {
  return median(ehlo.map((f, i) => f.perSecond / bare[i]!.perSecond)).toFixed(2);
}

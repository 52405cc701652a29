// Received rows become hops, oldest first (the bottom row is the first hop): the delay of each hop
// is its time minus the previous hop's, its share is that delay over the whole trip, and a hop
// whose clock runs behind the previous one (a negative delay) is flagged as clock skew.
import type { Span } from '../match/types.ts';
import { isoUtc } from './dates.ts';
import type { ReceivedRow } from './received.ts';

/** A negative delay smaller than this is rounding between servers, not skew. */
export const SKEW_TOLERANCE_SECONDS = 60;

export interface Hop {
  /** 1 for the first hop (the bottom Received row). */
  n: number;
  from?: string;
  fromIp?: string;
  by?: string;
  with?: string;
  /** ISO-8601 UTC time the hop's server stamped, when it could be read. */
  time?: string;
  /** Seconds since the previous hop (0 for the first; null when either time is missing). */
  delaySeconds: number | null;
  /** The delay's share of the whole trip, 0..1 (null when unknown). */
  share: number | null;
  /** This hop's clock is behind the previous hop's by more than the tolerance. */
  skew: boolean;
  problems: string[];
  span: Span;
}

export interface HopSummary {
  hops: Hop[];
  /** Seconds from the first to the last readable time (never negative). */
  totalSeconds: number | null;
}

export function buildHops(rows: readonly ReceivedRow[]): HopSummary {
  const ordered = [...rows].reverse();
  const times = ordered.map((r) => r.time);
  const known = times.filter((t): t is number => t !== undefined);
  const first = known[0];
  const last = known[known.length - 1];
  const totalSeconds = first !== undefined && last !== undefined ? Math.max(0, Math.round((last - first) / 1000)) : null;
  let prev: number | undefined;
  const hops: Hop[] = ordered.map((r, i) => {
    const t = r.time;
    let delaySeconds: number | null = null;
    if (i === 0) delaySeconds = t === undefined ? null : 0;
    else if (t !== undefined && prev !== undefined) delaySeconds = Math.round((t - prev) / 1000);
    const skew = delaySeconds !== null && delaySeconds < -SKEW_TOLERANCE_SECONDS;
    const share = delaySeconds === null ? null : totalSeconds ? Math.max(0, delaySeconds) / totalSeconds : 0;
    if (t !== undefined) prev = t;
    const hop: Hop = { n: i + 1, delaySeconds, share: share === null ? null : Math.round(share * 1000) / 1000, skew, problems: r.problems, span: r.span };
    if (r.from) hop.from = r.from;
    if (r.fromIp) hop.fromIp = r.fromIp;
    if (r.by) hop.by = r.by;
    if (r.with) hop.with = r.with;
    if (t !== undefined) hop.time = isoUtc(t);
    return hop;
  });
  return { hops, totalSeconds };
}

/** "1 h 13 min", "42 s", "3 d 2 h". */
export function formatDuration(seconds: number): string {
  const neg = seconds < 0;
  let s = Math.abs(seconds);
  const d = Math.floor(s / 86400);
  s -= d * 86400;
  const h = Math.floor(s / 3600);
  s -= h * 3600;
  const m = Math.floor(s / 60);
  s -= m * 60;
  const parts = d ? [`${d} d`, h ? `${h} h` : ''] : h ? [`${h} h`, m ? `${m} min` : ''] : m ? [`${m} min`, s ? `${s} s` : ''] : [`${s} s`];
  return `${neg ? '-' : ''}${parts.filter(Boolean).join(' ')}`;
}

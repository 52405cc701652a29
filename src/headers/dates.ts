// Dates of header fields (RFC 5322 section 3.3, and what real servers write instead) to UTC
// milliseconds. A token scan over a short piece (the text after a Received row's last ';'), no
// regular expression over user text beyond anchored checks on single short tokens.
//   "Tue, 7 Nov 2023 09:10:58 +0000", "Fri,  7 Mar 2025 10:04:16 +0100 (CET)",
//   "7 Mar 2025 03:04:02 -0600", "Sat, 18 Feb 2023 20:02:33 -0300 (-03)",
//   "07 Nov 2023 09:10:51.5142 (UTC)", "Mon, 5 Jun 23 10:00:00 GMT", "Thu Dec 3 09:10:00 2026".

const MAX_DATE_CHARS = 200;

const MONTHS: Record<string, number> = { jan: 0, feb: 1, mar: 2, apr: 3, may: 4, jun: 5, jul: 6, aug: 7, sep: 8, oct: 9, nov: 10, dec: 11 };

/** Named zones real servers still write (RFC 5322 obs-zone plus a few common ones), in minutes. */
const ZONES: Record<string, number> = {
  ut: 0, utc: 0, gmt: 0, z: 0, wet: 0, bst: 60, cet: 60, met: 60, cest: 120, mest: 120, eet: 120, eest: 180, msk: 180, ist: 330,
  est: -300, edt: -240, cst: -360, cdt: -300, mst: -420, mdt: -360, pst: -480, pdt: -420, jst: 540, kst: 540, aest: 600, aedt: 660,
};

export interface ParsedDate {
  /** UTC milliseconds since the epoch. */
  ms: number;
  /** The zone offset written, in minutes east of UTC (undefined when no zone was given: read as UTC). */
  offsetMinutes?: number;
}

function isDigits(s: string): boolean {
  if (!s.length || s.length > 4) return false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

function parseTime(tok: string): [number, number, number] | null {
  const parts = tok.split(':');
  if (parts.length < 2 || parts.length > 3) return null;
  const [h, m, sRaw = '0'] = parts;
  const s = sRaw.split('.')[0] ?? '0';
  if (!isDigits(h ?? '') || !isDigits(m ?? '') || !isDigits(s)) return null;
  const hh = Number(h);
  const mm = Number(m);
  const ss = Number(s);
  if (hh > 23 || mm > 59 || ss > 60) return null;
  return [hh, mm, ss];
}

function parseOffset(tok: string): number | null {
  const sign = tok.charAt(0);
  if ((sign === '+' || sign === '-') && tok.length === 5 && isDigits(tok.slice(1))) {
    const h = Number(tok.slice(1, 3));
    const m = Number(tok.slice(3, 5));
    if (h > 14 || m > 59) return null;
    return (sign === '-' ? -1 : 1) * (h * 60 + m);
  }
  const named = ZONES[tok.toLowerCase()];
  return named ?? null;
}

/** Parse a date-time written in a header; null when it is not one. */
export function parseHeaderDate(input: string): ParsedDate | null {
  const raw = input.length > MAX_DATE_CHARS ? input.slice(0, MAX_DATE_CHARS) : input;
  const tokens = raw.replace(/[(),]/g, ' ').split(/\s+/).filter(Boolean);
  let day: number | undefined;
  let month: number | undefined;
  let year: number | undefined;
  let time: [number, number, number] | undefined;
  let offset: number | undefined;
  for (const tok of tokens) {
    const lower = tok.toLowerCase();
    if (time === undefined && tok.includes(':')) {
      const t = parseTime(tok);
      if (t) {
        time = t;
        continue;
      }
    }
    if (month === undefined && lower.length >= 3) {
      const m = MONTHS[lower.slice(0, 3)];
      if (m !== undefined && /^[a-z]{3,9}\.?$/.test(lower)) {
        month = m;
        continue;
      }
    }
    if (isDigits(tok)) {
      const n = Number(tok);
      if (day === undefined && tok.length <= 2 && n >= 1 && n <= 31 && year === undefined) day = n;
      else if (year === undefined && (tok.length === 4 || tok.length === 2)) year = tok.length === 2 ? (n < 50 ? 2000 + n : 1900 + n) : n;
      continue;
    }
    if (offset === undefined && time !== undefined) {
      const o = parseOffset(tok);
      if (o !== null) offset = o;
    }
  }
  if (day === undefined || month === undefined || year === undefined || !time) return null;
  if (year < 1970 || year > 2200) return null;
  const base = Date.UTC(year, month, day, time[0], time[1], time[2]);
  if (Number.isNaN(base)) return null;
  const ms = base - (offset ?? 0) * 60_000;
  return offset === undefined ? { ms } : { ms, offsetMinutes: offset };
}

/** "2023-11-07T09:10:58Z". */
export function isoUtc(ms: number): string {
  return new Date(ms).toISOString().replace('.000Z', 'Z');
}

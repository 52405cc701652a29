// The header report (`ehlo headers --json`, docs/contracts.md): hops, authentication, antispam,
// findings, the verdict and the matches, plus the checks ehlo would offer (not run). analyzeHeaders
// is the one entry point; the matcher's result for a header paste is replaced by headerMatchResult.
import type { Catalog } from '../catalog/load.ts';
import type { ProbeKind } from '../catalog/schema.ts';
import { THRESHOLDS } from '../match/matcher.ts';
import type { Confidence, Match, MatchResult, Span, Verdict } from '../match/types.ts';
import { mightBeHeaders } from './detect.ts';
import { readAntispam, type Antispam } from './antispam.ts';
import { readAuthentication, type Authentication } from './authentication.ts';
import type { HeaderFinding } from './findings-types.ts';
import { runRules, topicScores } from './findings.ts';
import { authFailed, findGateways, gatewayEntry, type GatewaySeen } from './gateways.ts';
import { isPublicIp } from './ip.ts';
import { buildHops, type Hop } from './hops.ts';
import { decodeEncodedWords } from './rfc2047.ts';
import { parseReceived } from './received.ts';
import { firstField, MAX_HEADER_CHARS, parseHeaderBlock } from './unfold.ts';

/** The playbook a header topic leads to (the first playbook covering the topic otherwise). */
export const HEADER_PLAYBOOKS: Readonly<Record<string, string>> = {
  'inbound-spam-junked': 'eop-inbound-spam-junked',
  'inbound-bulk-filtered': 'eop-inbound-bulk-filtered',
  'inbound-spoof-compauth-fail': 'eop-inbound-spoof-compauth-fail',
  'inbound-phish-quarantined': 'eop-inbound-phish-quarantined',
  'inbound-filter-bypassed': 'eop-inbound-filter-bypassed',
  'delivery-delayed': 'delivery-delayed-dsn',
  'loop-detected': 'mail-loop-hop-count-exceeded',
};

/** When two topics score alike, the one listed first is the diagnosis (the stronger verdict wins). */
export const TOPIC_PRIORITY = ['inbound-phish-quarantined', 'inbound-spoof-compauth-fail', 'inbound-bulk-filtered', 'inbound-spam-junked', 'inbound-filter-bypassed', 'loop-detected', 'delivery-delayed'] as const;

export interface SuggestedProbe {
  kind: ProbeKind;
  target: string;
  why: string;
}

export interface HeaderMessage {
  subject?: string;
  from?: string;
  to?: string;
  date?: string;
  messageId?: string;
}

export interface HeaderReport {
  kind: 'headers';
  message: HeaderMessage;
  hops: Hop[];
  totalSeconds: number | null;
  authentication: Omit<Authentication, 'results'> & { results: Array<{ method: string; result: string; source: string; props: Record<string, string>; comment?: string }> };
  antispam: Antispam;
  /** Third-party gateways (secure email gateways, appliances) the hops or their verdict headers show. */
  gateways: GatewaySeen[];
  findings: HeaderFinding[];
  verdict: Verdict;
  matches: Match[];
  probes: SuggestedProbe[];
  /** Set when only the first part of a very large paste was read. */
  truncated?: { analysedChars: number; totalChars: number };
}

export { isPublicIp };

function domainOf(address: string | undefined): string | undefined {
  if (!address) return undefined;
  const lt = address.lastIndexOf('<');
  const inner = lt >= 0 ? address.slice(lt + 1, address.indexOf('>', lt) > 0 ? address.indexOf('>', lt) : undefined) : address;
  const at = inner.lastIndexOf('@');
  if (at < 0) return undefined;
  const d = inner.slice(at + 1).trim().toLowerCase().replace(/[>\s;,]+$/, '');
  return /^[a-z0-9.-]{1,253}\.[a-z]{2,63}$/.test(d) ? d : undefined;
}

const MICROSOFT_HOSTS = /(^|\.)(outlook\.com|office365\.com|exchangelabs\.com|outlook\.cn|office365\.us|outlook\.de|hotmail\.com|live\.com)$/i;

/**
 * A hop written or relayed by Microsoft (Exchange Online, Outlook.com, or an Exchange server): only
 * then can an X-Forefront-Antispam-Report in the block be the service's own stamp.
 */
export function isMicrosoftHop(h: Hop): boolean {
  if (MICROSOFT_HOSTS.test(h.by ?? '') || MICROSOFT_HOSTS.test(h.from ?? '')) return true;
  const w = (h.with ?? '').toLowerCase();
  return w.includes('microsoft smtp server') || w.startsWith('mapi') || w.startsWith('https');
}

function round(n: number): number {
  return Math.round(n * 1000) / 1000;
}

function confidenceOf(score: number): Confidence {
  return score >= THRESHOLDS.high ? 'high' : score >= THRESHOLDS.medium ? 'medium' : 'low';
}

function playbookFor(topic: string, catalog: Catalog | undefined): { id: string; title: string; topics: string[] } {
  const preferred = HEADER_PLAYBOOKS[topic];
  const p = (preferred ? catalog?.playbookById.get(preferred) : undefined) ?? catalog?.playbooks.find((x) => x.topics.includes(topic));
  if (p) return { id: p.id, title: p.title, topics: p.topics };
  return { id: preferred ?? topic, title: topic, topics: [topic] };
}

function matchesOf(findings: readonly HeaderFinding[], catalog: Catalog | undefined): Match[] {
  const scores = topicScores(findings);
  const priority = (t: string) => {
    const i = (TOPIC_PRIORITY as readonly string[]).indexOf(t);
    return i < 0 ? TOPIC_PRIORITY.length : i;
  };
  return [...scores.entries()]
    .sort((a, b) => round(b[1].score) - round(a[1].score) || priority(a[0]) - priority(b[0]))
    .slice(0, 5)
    .map(([topic, s]) => {
      const p = playbookFor(topic, catalog);
      return {
        playbook: p.id,
        title: p.title,
        topics: p.topics,
        score: round(s.score),
        confidence: confidenceOf(s.score),
        intent: `headers:${topic}`,
        why: s.findings.map((f) => ({ evidence: f.message, span: f.span as Span | null, weight: f.weight ?? 0 })),
      };
    });
}

function verdictOf(matches: readonly Match[]): Verdict {
  const [a, b] = matches;
  if (!a || a.score < THRESHOLDS.none) return 'none';
  if (b && a.score - b.score < THRESHOLDS.ambiguousGap && b.score >= THRESHOLDS.none) {
    // Two verdicts of the same message rarely conflict: the priority order already chose.
    return a.topics[0] === b.topics[0] ? 'match' : 'ambiguous';
  }
  return 'match';
}

/**
 * The IP that sent the message: behind a gateway whose IP failed the sender's authentication, the IP
 * the gateway received it from; otherwise CIP, the SPF check's IP, or the oldest public hop.
 */
function sendingIp(antispam: Antispam, auth: Authentication, hops: readonly Hop[], fields: ReturnType<typeof parseHeaderBlock>['fields']): string | undefined {
  const gateway = authFailed(auth) ? gatewayEntry(hops, antispam, auth, fields) : undefined;
  if (gateway?.origin) return gateway.origin.ip;
  if (antispam.cip && isPublicIp(antispam.cip)) return antispam.cip;
  if (auth.spf?.ip && isPublicIp(auth.spf.ip)) return auth.spf.ip;
  for (let i = hops.length - 1; i >= 0; i--) {
    const ip = hops[i]?.fromIp;
    if (ip && isPublicIp(ip) && i > 0) return ip;
  }
  return hops.find((h) => h.fromIp && isPublicIp(h.fromIp))?.fromIp;
}

function suggestProbes(ip: string | undefined, domain: string | undefined): SuggestedProbe[] {
  const out: SuggestedProbe[] = [];
  if (ip) {
    out.push({ kind: 'dnsbl', target: ip, why: `is the sending IP ${ip} on a blocklist?` });
    out.push({ kind: 'ptr', target: ip, why: `does ${ip} have forward-confirmed reverse DNS?` });
  }
  if (domain) out.push({ kind: 'dns', target: domain, why: `the SPF, DKIM and DMARC records of the From domain ${domain}` });
  return out;
}

function messageOf(fields: ReturnType<typeof parseHeaderBlock>['fields']): HeaderMessage {
  const m: HeaderMessage = {};
  const take = (key: string) => {
    const f = fields.find((x) => x.key === key);
    return f ? decodeEncodedWords(f.value).slice(0, 300) : undefined;
  };
  const subject = take('subject');
  if (subject) m.subject = subject;
  const from = take('from');
  if (from) m.from = from;
  const to = take('to');
  if (to) m.to = to;
  const date = take('date');
  if (date) m.date = date;
  const id = take('message-id');
  if (id) m.messageId = id;
  return m;
}

/** Analyse a pasted header block. The catalog (when given) names the playbooks of the matches. */
export function analyzeHeaders(text: string, catalog?: Catalog): HeaderReport {
  const block = parseHeaderBlock(text);
  const rows = block.fields.filter((f) => f.key === 'received').map((f) => parseReceived(f.value, f.span));
  const trip = buildHops(rows);
  const auth = readAuthentication(block.fields);
  const antispam = readAntispam(block.fields, text);
  const antispamTrusted = trip.hops.length === 0 || trip.hops.some(isMicrosoftHop);
  const junked = antispamTrusted && (antispam.dest === 'J' || (antispam.scl !== undefined && antispam.scl >= 5));
  const gateways = findGateways(trip.hops, block.fields);
  const findings = runRules({ text, antispam, auth, trip, junked, fields: block.fields, gateways, antispamTrusted });
  const matches = matchesOf(findings, catalog);
  const fromDomain = auth.dmarc?.domain ?? domainOf(firstField(block, 'from')?.value) ?? auth.spf?.domain;
  const report: HeaderReport = {
    kind: 'headers',
    message: messageOf(block.fields),
    hops: trip.hops,
    totalSeconds: trip.totalSeconds,
    authentication: {
      ...(auth.spf ? { spf: auth.spf } : {}),
      dkim: auth.dkim,
      ...(auth.dmarc ? { dmarc: auth.dmarc } : {}),
      ...(auth.compauth ? { compauth: auth.compauth } : {}),
      results: auth.results.map((r) => ({ method: r.method, result: r.result, source: r.source, props: r.props, ...(r.comment ? { comment: r.comment } : {}) })),
    },
    antispam,
    gateways,
    findings,
    verdict: verdictOf(matches),
    matches,
    probes: suggestProbes(sendingIp(antispam, auth, trip.hops, block.fields), fromDomain && fromDomain.includes('.') ? fromDomain.toLowerCase() : undefined),
  };
  if (block.totalChars > MAX_HEADER_CHARS) report.truncated = { analysedChars: MAX_HEADER_CHARS, totalChars: block.totalChars };
  return report;
}

/**
 * Put the sending IP and the From address first among the signals, so a walkthrough's checks
 * ({ip}, {domain}, {email}) aim at them rather than at the first address the paste happens to name.
 */
function checkTargetsFirst(signals: MatchResult['signals'], report: HeaderReport): MatchResult['signals'] {
  const ip = report.probes.find((p) => p.kind === 'dnsbl')?.target;
  const from = fromAddress(report.message.from);
  const first = (list: string[], value: string | undefined) => (value ? [value, ...list.filter((x) => x.toLowerCase() !== value.toLowerCase())] : list);
  return { ...signals, ips: first(signals.ips, ip), emails: first(signals.emails, from) };
}

/** "Name <a@b.example>" or "a@b.example" → the address. */
function fromAddress(from: string | undefined): string | undefined {
  if (!from) return undefined;
  const lt = from.lastIndexOf('<');
  const gt = from.indexOf('>', lt);
  const addr = (lt >= 0 && gt > lt ? from.slice(lt + 1, gt) : from).trim();
  return /^[^\s@<>]{1,64}@[A-Za-z0-9.-]{1,253}\.[A-Za-z]{2,63}$/.test(addr) ? addr.toLowerCase() : undefined;
}

/** Whether the report found anything of a header block at all (a Received row or a verdict header). */
export function hasHeaderEvidence(report: HeaderReport): boolean {
  return report.hops.length > 0 || report.authentication.results.length > 0 || report.antispam.fields.length > 0;
}

/**
 * The matcher's result for a header paste, with the header diagnosis in place of the text match:
 * the verdict and matches come from the header rules (a clean block answers `none`). Other kinds of
 * paste come back unchanged.
 */
export function headerMatchResult(text: string, result: MatchResult, catalog?: Catalog): MatchResult {
  // A short paste of only the verdict headers (Authentication-Results, X-Forefront-Antispam-Report)
  // is not detected as "headers" by the matcher; it is one all the same.
  if (!mightBeHeaders(text, result)) return result;
  const report = analyzeHeaders(text, catalog);
  if (!hasHeaderEvidence(report)) return result;
  const merged: MatchResult = { ...result, kind: 'headers', verdict: report.verdict, matches: report.matches, signals: checkTargetsFirst(result.signals, report) };
  if (report.verdict !== 'ambiguous') delete merged.question;
  else merged.question = `Which verdict is the problem: ${report.matches[0]?.title} or ${report.matches[1]?.title}?`;
  return merged;
}

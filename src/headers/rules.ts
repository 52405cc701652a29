// The header rules, kept as data: each names its kind (a small function in rule-kinds.ts), what it
// looks at, the severity of the finding, the one-line why, and (for verdicts) the topic it argues
// for with a weight. `ehlo lint` checks this table (kinds, topics, templates, ids). Thresholds follow
// Microsoft's documented scales (SCL 5-6 spam, 7-9 high confidence spam; BCL 7 is the default bulk
// threshold of the standard anti-spam policy).
import type { Severity } from './findings-types.ts';

export type RuleKind =
  | 'antispam-value'
  | 'antispam-range'
  | 'auth-result'
  | 'hop-delay'
  | 'clock-skew'
  | 'received-malformed'
  | 'hop-count'
  | 'gateway-entry'
  | 'gateway-verdict'
  | 'enhanced-filtering'
  | 'antispam-origin';

export interface HeaderRule {
  id: string;
  kind: RuleKind;
  severity: Severity;
  /** One line; {value}, {domain}, {reason}, {meaning}, {delay}, {share}, {hop}, {from}, {by}, {count} are filled in. */
  message: string;
  /** The inbound-filtering topic this finding argues for, and how strongly (0..1). */
  topic?: string;
  weight?: number;
  /** antispam-value: the field (sfv, cat, ipv, srv, dest, sfty) and the values that fire. */
  field?: 'sfv' | 'cat' | 'ipv' | 'srv' | 'dest' | 'ofr' | 'sfty' | 'scl' | 'bcl' | 'pcl';
  values?: string[];
  /** antispam-range: inclusive bounds. */
  min?: number;
  max?: number;
  /** auth-result: the method and results that fire; action / reason prefixes narrow it. */
  method?: 'spf' | 'dkim' | 'dmarc' | 'compauth';
  results?: string[];
  actions?: string[];
  reasons?: string[];
  /** hop-delay: the least delay and the least share of the trip. hop-count: the most hops. */
  minSeconds?: number;
  minShare?: number;
  maxSeconds?: number;
  maxHops?: number;
  /** Only when filtering scored the message as spam (dest:J, or SCL 5 and more) … or only when it did not. */
  when?: 'junked' | 'not-junked';
  /** gateway-entry: only when the sender's authentication failed at Exchange Online (SPF not pass, DMARC or compauth fail) … or only when it did not. */
  auth?: 'failed' | 'passed';
}

export const HEADER_RULES: readonly HeaderRule[] = [
  // Phishing and malware: the strongest verdicts.
  { id: 'cat-phish', kind: 'antispam-value', field: 'cat', values: ['PHSH', 'HPHSH', 'HPHISH', 'INTOS'], severity: 'fail', topic: 'inbound-phish-quarantined', weight: 0.95, message: 'CAT:{value}: the message was classified as {meaning}' },
  { id: 'cat-malware', kind: 'antispam-value', field: 'cat', values: ['MALW', 'AMP', 'SAP', 'FTBP'], severity: 'fail', topic: 'inbound-phish-quarantined', weight: 0.95, message: 'CAT:{value}: the message was classified as {meaning}' },
  { id: 'cat-impersonation', kind: 'antispam-value', field: 'cat', values: ['DIMP', 'UIMP'], severity: 'fail', topic: 'inbound-phish-quarantined', weight: 0.9, message: 'CAT:{value}: {meaning}' },
  { id: 'sfty-impersonation', kind: 'antispam-value', field: 'sfty', values: ['9.19', '9.20'], severity: 'warn', topic: 'inbound-phish-quarantined', weight: 0.6, message: 'SFTY:{value}: {meaning}' },
  { id: 'pcl-high-junked', kind: 'antispam-range', field: 'pcl', min: 4, max: 8, when: 'junked', severity: 'warn', topic: 'inbound-phish-quarantined', weight: 0.8, message: 'PCL {value}: {meaning}, and the message was junked' },
  { id: 'pcl-high', kind: 'antispam-range', field: 'pcl', min: 4, max: 8, when: 'not-junked', severity: 'warn', topic: 'inbound-phish-quarantined', weight: 0.3, message: 'PCL {value}: {meaning}' },
  // Spoofing and composite authentication.
  { id: 'cat-spoof', kind: 'antispam-value', field: 'cat', values: ['SPOOF', 'GIMP'], severity: 'fail', topic: 'inbound-spoof-compauth-fail', weight: 0.9, message: 'CAT:{value}: {meaning}' },
  { id: 'compauth-explicit-fail', kind: 'auth-result', method: 'compauth', results: ['fail'], reasons: ['000', '002', '010', '6'], severity: 'fail', topic: 'inbound-spoof-compauth-fail', weight: 0.6, message: 'compauth=fail reason={reason}: {meaning}' },
  { id: 'compauth-implicit-fail', kind: 'auth-result', method: 'compauth', results: ['fail'], reasons: ['001'], severity: 'warn', topic: 'inbound-spoof-compauth-fail', weight: 0.3, message: 'compauth=fail reason={reason}: {meaning}' },
  { id: 'compauth-softpass', kind: 'auth-result', method: 'compauth', results: ['softpass'], severity: 'info', message: 'compauth=softpass reason={reason}: {meaning}' },
  { id: 'compauth-pass', kind: 'auth-result', method: 'compauth', results: ['pass'], severity: 'pass', message: 'compauth=pass reason={reason}: the sender of {domain} is authenticated' },
  { id: 'dmarc-fail-enforced', kind: 'auth-result', method: 'dmarc', results: ['fail'], actions: ['quarantine', 'reject', 'oreject', 'o.reject'], severity: 'fail', topic: 'inbound-spoof-compauth-fail', weight: 0.5, message: 'dmarc=fail action={value} for {domain}: the From domain\'s DMARC policy was applied' },
  { id: 'dmarc-fail', kind: 'auth-result', method: 'dmarc', results: ['fail'], actions: ['none', 'pct.quarantine', 'pct.reject', ''], severity: 'warn', topic: 'inbound-spoof-compauth-fail', weight: 0.2, message: 'dmarc=fail for {domain}, but no DMARC action was taken (action={value})' },
  { id: 'dmarc-pass', kind: 'auth-result', method: 'dmarc', results: ['pass', 'bestguesspass'], severity: 'pass', message: 'dmarc={value} for {domain}' },
  { id: 'dmarc-none', kind: 'auth-result', method: 'dmarc', results: ['none'], severity: 'info', message: 'dmarc=none for {domain}: the From domain publishes no DMARC record' },
  { id: 'dmarc-error', kind: 'auth-result', method: 'dmarc', results: ['permerror', 'temperror'], severity: 'warn', message: 'dmarc={value} for {domain}: the DMARC record could not be evaluated' },
  { id: 'spf-fail', kind: 'auth-result', method: 'spf', results: ['fail'], severity: 'warn', message: 'spf=fail for {domain}: the sending IP is not in the domain\'s SPF record' },
  { id: 'spf-softfail', kind: 'auth-result', method: 'spf', results: ['softfail'], severity: 'warn', message: 'spf=softfail for {domain}: the SPF record does not vouch for the sending IP (~all)' },
  { id: 'spf-error', kind: 'auth-result', method: 'spf', results: ['permerror', 'temperror'], severity: 'warn', message: 'spf={value} for {domain}: the SPF record could not be evaluated' },
  { id: 'spf-none', kind: 'auth-result', method: 'spf', results: ['none', 'neutral'], severity: 'info', message: 'spf={value} for {domain}: no SPF verdict for the envelope sender' },
  { id: 'spf-pass', kind: 'auth-result', method: 'spf', results: ['pass'], severity: 'pass', message: 'spf=pass for {domain}' },
  { id: 'dkim-fail', kind: 'auth-result', method: 'dkim', results: ['fail', 'permerror', 'temperror', 'neutral', 'policy'], severity: 'warn', message: 'dkim={value} for {domain}: {reason}' },
  { id: 'dkim-pass', kind: 'auth-result', method: 'dkim', results: ['pass'], severity: 'pass', message: 'dkim=pass for {domain}' },
  // Bulk.
  { id: 'cat-bulk', kind: 'antispam-value', field: 'cat', values: ['BULK'], severity: 'warn', topic: 'inbound-bulk-filtered', weight: 0.9, message: 'CAT:BULK: {meaning}' },
  { id: 'srv-bulk', kind: 'antispam-value', field: 'srv', values: ['BULK'], severity: 'warn', topic: 'inbound-bulk-filtered', weight: 0.7, message: 'SRV:BULK: {meaning}' },
  { id: 'sfv-bulk', kind: 'antispam-value', field: 'sfv', values: ['BULK'], severity: 'warn', topic: 'inbound-bulk-filtered', weight: 0.8, message: 'SFV:BULK: {meaning}' },
  { id: 'bcl-over-threshold-junked', kind: 'antispam-range', field: 'bcl', min: 7, max: 9, when: 'junked', severity: 'warn', topic: 'inbound-bulk-filtered', weight: 0.8, message: 'BCL {value}: {meaning}, at or over the default threshold of 7' },
  { id: 'bcl-mixed-junked', kind: 'antispam-range', field: 'bcl', min: 4, max: 6, when: 'junked', severity: 'info', topic: 'inbound-bulk-filtered', weight: 0.2, message: 'BCL {value}: {meaning}; a strict bulk threshold (4 to 6) would junk it' },
  { id: 'bcl-bulk-delivered', kind: 'antispam-range', field: 'bcl', min: 4, max: 9, when: 'not-junked', severity: 'info', message: 'BCL {value}: {meaning}, but it was not filtered' },
  // Spam.
  { id: 'cat-spam', kind: 'antispam-value', field: 'cat', values: ['SPM', 'HSPM'], severity: 'warn', topic: 'inbound-spam-junked', weight: 0.8, message: 'CAT:{value}: the message was classified as {meaning}' },
  { id: 'sfv-spam', kind: 'antispam-value', field: 'sfv', values: ['SPM'], severity: 'warn', topic: 'inbound-spam-junked', weight: 0.6, message: 'SFV:SPM: {meaning}' },
  { id: 'sfv-marked-spam', kind: 'antispam-value', field: 'sfv', values: ['SKS', 'SKB', 'BLK'], severity: 'warn', topic: 'inbound-spam-junked', weight: 0.75, message: 'SFV:{value}: {meaning}' },
  { id: 'scl-spam', kind: 'antispam-range', field: 'scl', min: 5, max: 9, severity: 'warn', topic: 'inbound-spam-junked', weight: 0.4, message: 'SCL {value}: {meaning}' },
  { id: 'dest-junk', kind: 'antispam-value', field: 'dest', values: ['J'], severity: 'warn', topic: 'inbound-spam-junked', weight: 0.3, message: 'dest:J: the mailbox {meaning}' },
  { id: 'ofr-spam-filter-junk', kind: 'antispam-value', field: 'ofr', values: ['SPAMFILTERAUTHJ'], severity: 'warn', topic: 'inbound-spam-junked', weight: 0.15, message: 'OFR:{value}: the spam filter\'s verdict chose the Junk Email folder' },
  { id: 'cat-outbound-spam', kind: 'antispam-value', field: 'cat', values: ['OSPM'], severity: 'info', message: 'CAT:OSPM: {meaning}' },
  // Filtering skipped.
  { id: 'sfv-allowed', kind: 'antispam-value', field: 'sfv', values: ['SKA', 'SKN', 'SFE', 'SKQ'], severity: 'warn', topic: 'inbound-filter-bypassed', weight: 0.7, message: 'SFV:{value}: {meaning}' },
  { id: 'sfv-intra-org', kind: 'antispam-value', field: 'sfv', values: ['SKI'], severity: 'info', topic: 'inbound-filter-bypassed', weight: 0.3, message: 'SFV:SKI: {meaning}' },
  { id: 'ipv-allow-list', kind: 'antispam-value', field: 'ipv', values: ['CAL'], severity: 'warn', topic: 'inbound-filter-bypassed', weight: 0.6, message: 'IPV:CAL: {meaning}' },
  { id: 'scl-skipped', kind: 'antispam-range', field: 'scl', min: -1, max: -1, severity: 'warn', topic: 'inbound-filter-bypassed', weight: 0.5, message: 'SCL -1: {meaning}' },
  { id: 'ofr-safe-senders', kind: 'antispam-value', field: 'ofr', values: ['TRUSTEDSENDERLIST', 'SENDERINADDRESSBOOK'], when: 'junked', severity: 'warn', topic: 'inbound-filter-bypassed', weight: 0.85, message: 'OFR:{value} with a spam score: the recipient\'s safe senders (or contacts) put it in the Inbox despite the verdict' },
  { id: 'ofr-inbox-rule', kind: 'antispam-value', field: 'ofr', values: ['CUSTOMRULES'], severity: 'info', message: 'OFR:CustomRules: an inbox rule of the mailbox chose the folder, not the spam filter' },
  { id: 'sfv-not-spam', kind: 'antispam-value', field: 'sfv', values: ['NSPM'], severity: 'pass', message: 'SFV:NSPM: {meaning}' },
  { id: 'dest-inbox', kind: 'antispam-value', field: 'dest', values: ['I'], severity: 'info', message: 'dest:I: the mailbox {meaning}' },
  // The trip.
  // A slow hop is the diagnosis when nothing filtered the message; next to a Junk verdict it is a side note.
  { id: 'hop-delay-long', kind: 'hop-delay', minSeconds: 3600, minShare: 0.5, when: 'not-junked', severity: 'fail', topic: 'delivery-delayed', weight: 0.8, message: 'hop {hop} took {delay} ({share} of the trip): {from} → {by}' },
  { id: 'hop-delay', kind: 'hop-delay', minSeconds: 900, maxSeconds: 3599, minShare: 0.5, when: 'not-junked', severity: 'warn', topic: 'delivery-delayed', weight: 0.55, message: 'hop {hop} took {delay} ({share} of the trip): {from} → {by}' },
  { id: 'hop-delay-junked', kind: 'hop-delay', minSeconds: 900, minShare: 0.5, when: 'junked', severity: 'warn', topic: 'delivery-delayed', weight: 0.3, message: 'hop {hop} took {delay} ({share} of the trip): {from} → {by}' },
  { id: 'clock-skew', kind: 'clock-skew', severity: 'warn', message: 'hop {hop} is stamped {delay} before the hop below it: a clock is wrong ({from} → {by})' },
  { id: 'received-malformed', kind: 'received-malformed', severity: 'info', message: 'Received row of hop {hop} is malformed ({value}); its time may be unknown' },
  // Third-party gateways (gateways.ts) and where the verdict headers came from.
  // A gateway in front of Exchange Online hides the sender's IP: SPF, DMARC and compauth are judged
  // on the gateway's, unless Enhanced Filtering for Connectors skips it.
  { id: 'gateway-before-eop-auth-failed', kind: 'gateway-entry', auth: 'failed', severity: 'warn', topic: 'inbound-spoof-compauth-fail', weight: 0.3, message: 'hop {hop}: {host} ({ip}), {vendor}, handed the message to Exchange Online, which judged SPF and DMARC on that IP, not on {origin} before it: turn on Enhanced Filtering for Connectors if the gateway is yours; if it is the sender\'s, their SPF must list it' },
  { id: 'gateway-before-eop', kind: 'gateway-entry', auth: 'passed', severity: 'info', message: 'hop {hop}: {host} ({ip}), {vendor}, handed the message to Exchange Online, and authentication passed for that IP' },
  { id: 'gateway-verdict', kind: 'gateway-verdict', severity: 'info', message: '{vendor} stamped {header}: {value}' },
  { id: 'enhanced-filtering-on', kind: 'enhanced-filtering', severity: 'info', message: 'Enhanced Filtering for Connectors is on: Exchange Online looked past the relays in front of it and judged the sender\'s IP {ip}' },
  { id: 'antispam-not-microsoft', kind: 'antispam-origin', severity: 'warn', message: '{header} is present but no Received row is from a Microsoft server: the sender or a relay wrote it, so its verdict ({value}) is ignored' },
  { id: 'hop-count-high', kind: 'hop-count', maxHops: 25, severity: 'warn', topic: 'loop-detected', weight: 0.5, message: '{count} Received rows: the message may be looping between servers' },
];

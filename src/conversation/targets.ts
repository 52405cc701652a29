// Probe targets for walkthrough steps: a step's target is a template ("{host}:25", "{domain}",
// "https://{host}/EWS/Exchange.asmx"); its placeholders are filled from the thread's paste where the
// paste names them, and asked of the person otherwise.
import { isIP } from '../text/ip.ts';
import type { StepProbe, TargetRole } from '../catalog/schema.ts';
import type { SignalSummary } from '../match/types.ts';
import type { ProbeKind } from '../probes/registry.ts';
import { stepRequest } from '../probes/step-request.ts';
import type { ProbeRequestOptions } from '../probes/types.ts';

export const PLACEHOLDERS = ['host', 'domain', 'ip', 'email', 'url', 'port'] as const;
export type Placeholder = (typeof PLACEHOLDERS)[number];
export type TargetValues = Partial<Record<Placeholder, string>>;

/** How ehlo asks for each placeholder, with an example answer. */
export const ASK: Record<Placeholder, { what: string; example: string }> = {
  host: { what: 'the mail server host name or IP address to check', example: 'mail.contoso.com' },
  domain: { what: 'the mail domain to check', example: 'contoso.com' },
  ip: { what: 'the IP address to check (the sending server\'s public IP)', example: '203.0.113.25' },
  email: { what: 'the e-mail address of an affected mailbox', example: 'someone@contoso.com' },
  url: { what: 'the URL to check', example: 'https://mail.contoso.com/owa/' },
  port: { what: 'the TCP port to check', example: '587' },
};

/** Microsoft's own service names: in an NDR they are the reporting servers, not the server to check. */
const INFRA_SUFFIXES = ['outlook.com', 'office365.com', 'office.com', 'microsoft.com', 'exchangelabs.com', 'microsoftonline.com', 'aka.ms', 'live.com', 'hotmail.com', 'msn.com', 'windows.net', 'office.net'];

export function isInfraHost(host: string): boolean {
  return isInfra(host);
}

function isInfra(host: string): boolean {
  return INFRA_SUFFIXES.some((s) => host === s || host.endsWith(`.${s}`));
}

const PRIVATE_V4 = [/^10\./, /^127\./, /^169\.254\./, /^192\.168\./, /^172\.(1[6-9]|2\d|3[01])\./, /^0\./, /^100\.(6[4-9]|[7-9]\d|1[01]\d|12[0-7])\./];

export function isPublicIp(ip: string): boolean {
  if (isIP(ip) === 4) return !PRIVATE_V4.some((r) => r.test(ip));
  return isIP(ip) === 6 && !/^(::1$|fe80:|fc|fd)/i.test(ip);
}

const HOST = /^(?=.{1,253}$)(?:[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{0,62}$/i;

/** What the paste says about each placeholder: a non-Microsoft host, the recipient's domain, a public IP, an address. */
export function targetsFromSignals(signals: SignalSummary): TargetValues {
  const values: TargetValues = {};
  const emails = signals.emails.filter((e) => !isInfra(e.slice(e.lastIndexOf('@') + 1)));
  const host = signals.hosts.find((h) => !isInfra(h) && HOST.test(h));
  if (host) values.host = host;
  const email = emails[0];
  if (email) {
    values.email = email;
    values.domain = email.slice(email.lastIndexOf('@') + 1);
  }
  const ip = signals.ips.find(isPublicIp);
  if (ip) values.ip = ip;
  return values;
}

const PLACEHOLDER = /\{([a-z]{1,12})\}/g;

export function placeholdersIn(template: string): string[] {
  return [...template.matchAll(PLACEHOLDER)].map((m) => m[1] ?? '');
}

function isPlaceholder(name: string): name is Placeholder {
  return (PLACEHOLDERS as readonly string[]).includes(name);
}

export type Filled = { ok: true; target: string; used: Placeholder[] } | { ok: false; missing: Placeholder } | { ok: false; unknown: string };

/** Split "host:port" (or "[v6]:port"); a bare IPv6 address has no port. */
function hostAndPort(value: string): { host: string; port?: string } {
  const v6 = /^\[([^\]]+)\](?::(\d{1,5}))?$/.exec(value);
  if (v6) return { host: v6[1] ?? '', port: v6[2] };
  if (isIP(value) === 6) return { host: value };
  const m = /^([^:]+):(\d{1,5})$/.exec(value);
  return m ? { host: m[1] ?? '', port: m[2] } : { host: value };
}

/**
 * Fill a step's target template. A host given with a port ("mail.contoso.com:2525") overrides the
 * template's fixed port ("{host}:25"): the person said where the server listens.
 */
export function fillTarget(template: string, values: TargetValues): Filled {
  const used: Placeholder[] = [];
  for (const name of placeholdersIn(template)) {
    if (!isPlaceholder(name)) return { ok: false, unknown: name };
    if (!values[name]) return { ok: false, missing: name };
    if (!used.includes(name)) used.push(name);
  }
  let target = template;
  const host = values.host ? hostAndPort(values.host) : undefined;
  if (host?.port && /\{host\}:\d{1,5}/.test(target)) target = target.replace(/\{host\}:\d{1,5}/g, values.host as string);
  target = target.replace(PLACEHOLDER, (_m, name: string) => values[name as Placeholder] ?? '');
  return { ok: true, target, used };
}

export type Answer = { ok: true; value: string } | { ok: false; message: string };

function bad(p: Placeholder): Answer {
  return { ok: false, message: `That does not look like ${ASK[p].what} (for example ${ASK[p].example}).` };
}

/** Check a typed answer for a placeholder. */
export function readAnswer(p: Placeholder, text: string): Answer {
  const v = text.trim().replace(/^<|>$/g, '');
  if (!v || v.length > 300 || /\s/.test(v)) return bad(p);
  switch (p) {
    case 'host': {
      const { host, port } = hostAndPort(v.toLowerCase().replace(/\.$/, ''));
      if (!(isIP(host) || HOST.test(host)) || (port !== undefined && !validPort(port))) return bad(p);
      return { ok: true, value: port ? `${host.includes(':') ? `[${host}]` : host}:${port}` : host };
    }
    case 'domain':
      return HOST.test(v.replace(/\.$/, '')) ? { ok: true, value: v.toLowerCase().replace(/\.$/, '') } : bad(p);
    case 'ip':
      return isIP(v) ? { ok: true, value: v.toLowerCase() } : bad(p);
    case 'email': {
      const at = v.lastIndexOf('@');
      return at > 0 && at <= 64 && HOST.test(v.slice(at + 1)) ? { ok: true, value: v.toLowerCase() } : bad(p);
    }
    case 'url':
      return URL.canParse(/^https?:\/\//i.test(v) ? v : `https://${v}`) ? { ok: true, value: v } : bad(p);
    case 'port':
      return validPort(v) ? { ok: true, value: String(Number(v)) } : bad(p);
  }
}

function validPort(s: string): boolean {
  const n = Number(s);
  return /^\d{1,5}$/.test(s) && n >= 1 && n <= 65535;
}

/** Describe where each value came from, for the step card: "domain contoso.com (from the paste)". */
export function describeValues(values: TargetValues, from: Partial<Record<Placeholder, 'paste' | 'answer'>>): string[] {
  return PLACEHOLDERS.filter((p) => values[p]).map((p) => `${p} ${values[p]} (${from[p] === 'answer' ? 'given' : 'from the paste'})`);
}

/** The placeholders a value of each role fills (ehlo lint checks a step's target uses one). */
export const ROLE_FILLS: Record<TargetRole, readonly Placeholder[]> = {
  'sender-ip': ['ip'],
  'receiving-host': ['host', 'ip'],
  'recipient-domain': ['domain'],
  'sender-domain': ['domain'],
  'connector-host': ['host'],
  'client-endpoint': ['host'],
};

function fitsPlaceholder(p: Placeholder, value: string): boolean {
  if (p === 'ip') return isIP(value) !== 0;
  if (p === 'domain') return isIP(value) === 0 && !value.includes('@');
  return p === 'host';
}

/**
 * The values for a step that names the role it needs: its placeholders take the value the paste gave that
 * role, or what a person typed; a value the paste gave another role (the EOP address the sender connected
 * to, for "the sending server's IP") is not used, so ehlo asks instead.
 */
function forRole(role: TargetRole, values: TargetValues, roles: Partial<Record<TargetRole, string>>, answered: ReadonlySet<Placeholder>): TargetValues {
  const out: TargetValues = { ...values };
  const known = roles[role];
  for (const p of ROLE_FILLS[role]) {
    if (answered.has(p)) continue;
    if (known !== undefined && fitsPlaceholder(p, known)) out[p] = known;
    else delete out[p];
  }
  return out;
}

/** What a step's check runs: the probe request (target converted to what the kind takes, options filled), or what stops it. */
export type CheckRequest =
  | { ok: true; kind: ProbeKind; target: string; options: ProbeRequestOptions; used: Placeholder[]; note?: string }
  | { ok: false; missing: Placeholder }
  | { ok: false; unknown: string }
  | { ok: false; message: string };

/**
 * The request for a step's probe from the thread's values: placeholders filled (a host given with a port
 * overrides the template's fixed port, as fillTarget does), options filled, and a URL or an address turned
 * into the host or domain the kind takes (stepRequest).
 */
export function checkRequest(probe: Pick<StepProbe, 'kind' | 'target' | 'options' | 'role'>, given: TargetValues, roles?: { roles: Partial<Record<TargetRole, string>>; answered: ReadonlySet<Placeholder> }): CheckRequest {
  const values = roles && probe.role ? forRole(probe.role, given, roles.roles, roles.answered) : given;
  const templates = [probe.target, typeof probe.options?.port === 'string' ? probe.options.port : '', probe.options?.email ?? ''];
  const used: Placeholder[] = [];
  for (const name of templates.flatMap(placeholdersIn)) {
    if (!isPlaceholder(name)) return { ok: false, unknown: name };
    if (!values[name]) return { ok: false, missing: name };
    if (!used.includes(name)) used.push(name);
  }
  let target = probe.target;
  const host = values.host ? hostAndPort(values.host) : undefined;
  if (host?.port && /\{host\}:\d{1,5}/.test(target)) target = target.replace(/\{host\}:\d{1,5}/g, values.host as string);
  const req = stepRequest({ ...probe, target } as StepProbe, values);
  if (req.ok) return { ok: true, kind: req.kind, target: req.target, options: req.options, used, ...(req.note && { note: req.note }) };
  if (req.missing !== undefined && isPlaceholder(req.missing)) return { ok: false, missing: req.missing };
  return { ok: false, message: req.message };
}

// From a playbook step's probe (a target template, options) and the values a thread knows (from the paste or
// asked), the exact request runProbe takes: placeholders filled, options filled, and a value of the wrong
// shape turned into the one the kind takes (a URL where a host is wanted, an address where a domain is).
// Pure: no DNS, no policy; runProbe still parses and polices the result.
import type { StepProbe } from '../catalog/schema.ts';
import type { ProbeKind } from './registry.ts';
import { TargetError, parseTarget, toProbeTarget } from './target.ts';
import type { ProbeRequestOptions } from './types.ts';

export type StepValues = Partial<Record<'host' | 'domain' | 'ip' | 'email' | 'url' | 'port', string>>;

export type StepRequest =
  | { ok: true; kind: ProbeKind; target: string; options: ProbeRequestOptions; note?: string }
  | { ok: false; missing: string; message: string }
  | { ok: false; missing?: undefined; message: string };

const PLACEHOLDER = /\{([a-z]+)\}/g;

function fill(template: string, values: StepValues): { text: string } | { missing: string } {
  let missing: string | undefined;
  const text = template.replace(PLACEHOLDER, (whole, name: string) => {
    const v = values[name as keyof StepValues];
    if (v === undefined || v === '') {
      missing ??= name;
      return whole;
    }
    return v.trim();
  });
  return missing ? { missing } : { text };
}

/** The runProbe request for a step's probe, or which placeholder is missing, or why the value cannot be used. */
export function stepRequest(probe: StepProbe, values: StepValues): StepRequest {
  const filled = fill(probe.target, values);
  if ('missing' in filled) return { ok: false, missing: filled.missing, message: `the check needs {${filled.missing}}` };
  const o = probe.options ?? {};
  const options: ProbeRequestOptions = {};
  if (o.port !== undefined) {
    const port = typeof o.port === 'number' ? { text: String(o.port) } : fill(o.port, values);
    if ('missing' in port) return { ok: false, missing: port.missing, message: `the check needs {${port.missing}}` };
    const n = Number(port.text);
    if (!Number.isInteger(n) || n < 1 || n > 65535) return { ok: false, message: `port ${port.text.slice(0, 20)} is not 1-65535` };
    options.port = n;
  }
  if (o.email !== undefined) {
    const email = fill(o.email, values);
    if ('missing' in email) return { ok: false, missing: email.missing, message: `the check needs {${email.missing}}` };
    options.email = email.text;
  }
  if (o.quitAfter) options.quitAfter = o.quitAfter;
  if (o.tlsOnConnect !== undefined) options.tlsOnConnect = o.tlsOnConnect;
  if (o.starttls !== undefined) options.starttls = o.starttls;
  if (o.dkimSelectors) options.dkimSelectors = [...o.dkimSelectors];
  if (o.httpPort !== undefined) options.httpPort = o.httpPort;
  try {
    parseTarget(probe.kind, filled.text, options.port);
    return { ok: true, kind: probe.kind, target: filled.text, options };
  } catch (err) {
    if (!(err instanceof TargetError)) throw err;
  }
  // The value has another shape than the kind takes: convert it (URL → host, address → domain, host → URL).
  const converted = toProbeTarget(probe.kind, filled.text);
  if (!converted.ok) return { ok: false, message: converted.message };
  try {
    parseTarget(probe.kind, converted.target, options.port);
  } catch (err) {
    if (!(err instanceof TargetError)) throw err;
    return { ok: false, message: err.message };
  }
  return { ok: true, kind: probe.kind, target: converted.target, options, note: converted.note ?? `${filled.text} read as ${converted.target}` };
}

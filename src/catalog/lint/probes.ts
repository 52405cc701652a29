// Probe steps: the target and the options of each step's probe are type-checked against its probe kind
// (src/probes/registry.ts): the placeholders are filled with sample values and the result must parse as the
// target that kind takes, so "https://{host}/EWS/Exchange.asmx" for ews (which takes HOST[:PORT]) is caught
// here rather than by a person pressing "Run check".
import { PROBES } from '../../probes/registry.ts';
import { TargetError, parseTarget } from '../../probes/target.ts';
import type { CatalogProblem } from '../load.ts';
import type { StepProbe } from '../schema.ts';
import { ROLE_SOURCES_KNOWN } from '../../conversation/roles.ts';
import { ROLE_FILLS } from '../../conversation/targets.ts';
import { defineRule, eachPlaybook } from './rule.ts';

/** Placeholders a step's probe may use, each with the sample value lint fills in (the conversation fills the real one). */
export const PLACEHOLDER_SAMPLES = {
  host: 'mail.contoso.com',
  domain: 'contoso.com',
  ip: '203.0.113.7',
  email: 'someone@contoso.com',
  url: 'https://mail.contoso.com/owa/',
  port: '2525',
} as const;
export const TARGET_PLACEHOLDERS: ReadonlySet<string> = new Set(Object.keys(PLACEHOLDER_SAMPLES));

/** The {names} in a template, in order; an unclosed brace yields the rest of the text. */
export function placeholders(template: string): string[] {
  const out: string[] = [];
  let i = template.indexOf('{');
  while (i >= 0) {
    const j = template.indexOf('}', i);
    if (j < 0) {
      out.push(template.slice(i));
      break;
    }
    out.push(template.slice(i + 1, j));
    i = template.indexOf('{', j);
  }
  return out;
}

/** The template with every known placeholder replaced by its sample value. */
export function fillSamples(template: string): string {
  let out = template;
  for (const [name, value] of Object.entries(PLACEHOLDER_SAMPLES)) out = out.split(`{${name}}`).join(value);
  return out;
}

const EMAIL = /^[^@\s]{1,64}@[^@\s.]+(?:\.[^@\s.]+)+$/;

/** Problems of one step probe (field names relative to `at`, e.g. `steps[3].probe`). */
export function checkStepProbe(probe: StepProbe, at: string, file: string): CatalogProblem[] {
  const problems: CatalogProblem[] = [];
  const row = PROBES[probe.kind];
  const unknown = placeholders(probe.target).filter((ph) => !TARGET_PLACEHOLDERS.has(ph));
  for (const ph of unknown) {
    problems.push({ file, field: `${at}.target`, message: `unknown placeholder {${ph}}; use one of ${[...TARGET_PLACEHOLDERS].map((x) => `{${x}}`).join(', ')}` });
  }
  const options = probe.options ?? {};
  for (const name of Object.keys(options) as (keyof typeof options)[]) {
    if (!row.options.includes(name)) {
      problems.push({ file, field: `${at}.options.${name}`, message: `${probe.kind} does not take the option ${name}${row.options.length ? ` (it takes ${row.options.join(', ')})` : ' (it takes none)'}` });
    }
  }
  const port = options.port === undefined ? undefined : Number(typeof options.port === 'number' ? options.port : fillSamples(options.port));
  if (options.port !== undefined && typeof options.port === 'string' && options.port !== '{port}') {
    problems.push({ file, field: `${at}.options.port`, message: `a port option is a number or {port}, not ${options.port}` });
  }
  if (options.email !== undefined && !EMAIL.test(fillSamples(options.email))) {
    problems.push({ file, field: `${at}.options.email`, message: `"${options.email}" is not an e-mail address or {email}` });
  }
  if (probe.role && !ROLE_SOURCES_KNOWN.has(probe.role)) {
    problems.push({ file, field: `${at}.role`, message: `no paste fills the role ${probe.role} (src/conversation/roles.ts reads ${[...ROLE_SOURCES_KNOWN.keys()].join(', ')}): the step would always ask` });
  } else if (probe.role) {
    const fits: readonly string[] = ROLE_FILLS[probe.role];
    const used = placeholders(probe.target);
    if (!used.some((ph) => fits.includes(ph))) {
      problems.push({ file, field: `${at}.role`, message: `the role ${probe.role} fills ${fits.map((x) => `{${x}}`).join(' or ')}, which the target "${probe.target}" does not use` });
    }
  }
  if (unknown.length) return problems;
  try {
    parseTarget(probe.kind, fillSamples(probe.target), Number.isInteger(port) ? port : undefined);
  } catch (err) {
    if (!(err instanceof TargetError)) throw err;
    const sample = fillSamples(probe.target);
    problems.push({ file, field: `${at}.target`, message: `"${probe.target}" cannot run as a ${probe.kind} check: filled as "${sample}", ${err.message} (${probe.kind} takes ${row.shape})` });
  }
  return problems;
}

export const probeSteps = defineRule('probe-steps', "every step probe's target and options fit its probe kind", (ctx) =>
  eachPlaybook(ctx, (p, file) => p.steps.flatMap((s, i) => (s.probe ? checkStepProbe(s.probe, `steps[${i}].probe`, file) : []))),
);

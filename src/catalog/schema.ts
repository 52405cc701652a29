// The shapes of intents/*.yaml and playbooks/*.yaml, validated with zod when the catalog loads.
import { z } from 'zod';
import { PROBE_KINDS } from '../probes/kinds.ts';

/** Kebab-case identifier used for intents, playbooks, steps and causes. */
export const Id = z.string().regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'must be kebab-case: lowercase letters, digits and single dashes');

/** The probe kinds ehlo knows: derived from the rows of src/probes/kinds.ts. */
export { PROBE_KINDS };
export const ProbeKind = z.enum(PROBE_KINDS);
export type ProbeKind = z.infer<typeof ProbeKind>;

export const PASTE_KINDS = ['ndr', 'smtp-reply', 'queue', 'message-trace', 'smtp-transcript', 'client-dialog', 'powershell', 'event-log', 'headers', 'free-text'] as const;
export const PasteKind = z.enum(PASTE_KINDS);
export type PasteKind = z.infer<typeof PasteKind>;

const Weight = z.number().min(-1).max(1);

/**
 * One piece of evidence an intent looks for. Exactly one matcher key is set.
 * - status: enhanced status code, exact ("5.7.606") or with a trailing wildcard ("5.7.6*": 5.7.6 followed by at least one more digit)
 * - reply: 3-digit SMTP reply code ("550")
 * - component: Exchange component token, case-insensitive, exact or prefix with ".*" ("RESOLVER.RST.*")
 * - agent: transport agent name from "[Agent: …]"
 * - phrase: words that must appear in order (case, punctuation and spacing ignored)
 * - eventId, kb: numbers; hresult: 0x… code; exception: exception/type name; cmdlet: Verb-Noun
 * - http: HTTP status in a client error ("401")
 * - kind: the paste's detected kind
 */
const EvidenceFields = z
  .object({
    status: z.string().regex(/^[245]\.\d{1,3}\.(?:\d{1,3}\*?|\*)$/, 'enhanced status code like 5.1.1 or 5.7.6*').optional(),
    reply: z.string().regex(/^[2-5]\d\d$/, 'three-digit reply code like 550').optional(),
    component: z.string().regex(/^[A-Za-z][A-Za-z0-9_]*(?:\.[A-Za-z0-9_]+)*(?:\.\*)?$/, 'dotted component like STOREDRV.Deliver or RESOLVER.RST.*').optional(),
    agent: z.string().min(3).optional(),
    phrase: z.string().min(3).max(200).optional(),
    eventId: z.string().regex(/^\d{1,5}$/).optional(),
    kb: z.string().regex(/^\d{5,8}$/).optional(),
    hresult: z.string().regex(/^0x[0-9A-Fa-f]{1,8}$/, 'HRESULT or Win32 code like 0x8004010F or 0x96f').optional(),
    exception: z.string().regex(/^[A-Za-z][A-Za-z0-9_.]*$/).optional(),
    cmdlet: z.string().regex(/^[A-Za-z]+-[A-Za-z0-9]+$/).optional(),
    http: z.string().regex(/^[1-5]\d\d$/).optional(),
    kind: PasteKind.optional(),
  })
  .strict();

export const EVIDENCE_KEYS = ['status', 'reply', 'component', 'agent', 'phrase', 'eventId', 'kb', 'hresult', 'exception', 'cmdlet', 'http', 'kind'] as const;
export type EvidenceKey = (typeof EVIDENCE_KEYS)[number];

function exactlyOneMatcher(e: Partial<Record<EvidenceKey, unknown>>, ctx: z.RefinementCtx): void {
  const keys = EVIDENCE_KEYS.filter((k) => e[k] !== undefined);
  if (keys.length !== 1) {
    ctx.addIssue({ code: 'custom', message: `each evidence item names exactly one of ${EVIDENCE_KEYS.join(', ')} (found ${keys.length ? keys.join(', ') : 'none'})` });
  }
}

export const EvidenceSpec = EvidenceFields.extend({ weight: Weight, note: z.string().optional() }).strict().superRefine(exactlyOneMatcher);
export type EvidenceSpec = z.infer<typeof EvidenceSpec>;

/** A condition: evidence without weight, used by requireAny / exclude. */
export const Condition = EvidenceFields.superRefine(exactlyOneMatcher);
export type Condition = z.infer<typeof Condition>;

export const Example = z
  .object({
    text: z.string().min(8),
    source: z.string().min(3, 'every example says where it was published (URL, KB, corpus id or seed file)'),
  })
  .strict();

export const Reference = z
  .object({
    title: z.string().min(3),
    url: z.url().optional(),
    kb: z.string().regex(/^\d{5,8}$/).optional(),
    rfc: z.string().regex(/^\d{3,5}$/).optional(),
    /** A seed write-up in ../shared/seeds that the playbook started from. */
    seed: z.string().regex(/^shared\/seeds\/[\w.-]+$/).optional(),
  })
  .strict()
  .refine((r) => r.url || r.kb || r.rfc || r.seed, 'a reference gives a url, a kb number, an rfc number or a seed file');

/** Languages an intent may carry phrases and symptoms for, besides English (src/match/lang.ts detects them). */
export const LOCAL_LANGUAGES = ['de', 'fr', 'es', 'it', 'nl', 'pt', 'ja', 'zh', 'ko', 'ru', 'pl', 'cs', 'sv', 'da', 'nb', 'fi', 'tr', 'hu', 'ro', 'el', 'uk', 'ar', 'he', 'fa'] as const;
export type LocalLanguage = (typeof LOCAL_LANGUAGES)[number];

/**
 * One localised phrase: words Exchange or Outlook print in that language (an NDR sentence, a dialog),
 * found like an English phrase (CJK ones as a substring, since CJK has no spaces). Positive weight only:
 * a phrase is evidence for, never against.
 */
export const LocalPhrase = z
  .object({ phrase: z.string().min(2).max(200), weight: z.number().gt(0).max(1), note: z.string().optional() })
  .strict();

/** What an intent carries in one language: phrases (evidence) and plain-words symptoms (free-text wording). */
export const LocalBlock = z
  .object({
    phrases: z.array(LocalPhrase).optional(),
    symptoms: z.array(z.string().min(4)).optional(),
  })
  .strict()
  .refine((b) => (b.phrases?.length ?? 0) + (b.symptoms?.length ?? 0) > 0, 'a language block carries at least one phrase or symptom');
export type LocalBlock = z.infer<typeof LocalBlock>;

export const Intent = z
  .object({
    id: Id,
    playbook: Id,
    title: z.string().min(5),
    /** Weighted evidence: scores add up (weights may be negative to discount). */
    evidence: z.array(EvidenceSpec).min(1),
    /** At least one of these must be present for the intent to be considered at all. */
    requireAny: z.array(Condition).optional(),
    /** If any of these is present the intent is not considered. */
    exclude: z.array(Condition).optional(),
    /** Real pastes that must match this intent's playbook first. */
    examples: z.array(Example).min(1),
    /** Phrases and symptoms per language (de, fr, es, it, nl, pt, ja, zh); localised phrases also satisfy requireAny. */
    lang: z.partialRecord(z.enum(LOCAL_LANGUAGES), LocalBlock).optional(),
    /** Where the intent's wording comes from, as a playbook cites its sources (the localised pages for `lang`). */
    references: z.array(Reference).optional(),
    notes: z.string().optional(),
  })
  .strict();
export type Intent = z.infer<typeof Intent>;

export const EXCHANGE_VERSIONS = ['2007', '2010', '2013', '2016', '2019', 'SE', 'Online'] as const;

/** A `{placeholder}` the conversation fills from the paste or asks for. */
const PlaceholderText = z.string().regex(/^\{[a-z]+\}$/, 'a {placeholder} such as {port}');

/**
 * Options a step passes to its probe; `ehlo lint` checks each against the options its kind accepts
 * (src/probes/registry.ts) and the values once placeholders are filled.
 */
export const StepProbeOptions = z
  .object({
    port: z.union([z.number().int().min(1).max(65535), PlaceholderText]).optional(),
    quitAfter: z.enum(['banner', 'ehlo', 'tls']).optional(),
    tlsOnConnect: z.boolean().optional(),
    starttls: z.boolean().optional(),
    dkimSelectors: z.array(z.string().regex(/^[A-Za-z0-9_-]{1,63}(?:\.[A-Za-z0-9_-]{1,63})*$/, 'a DKIM selector like selector1 or s1024')).min(1).max(10).optional(),
    email: z.string().min(3).max(320).optional(),
    httpPort: z.number().int().min(1).max(65535).optional(),
  })
  .strict();
export type StepProbeOptions = z.infer<typeof StepProbeOptions>;

/**
 * Where a target sits in the mail flow. A paste names several hosts and IPs (the sender's, the receiver's,
 * Microsoft's own); a step that names the role it needs gets the value found in that role, or asks.
 */
export const TARGET_ROLES = ['sender-ip', 'receiving-host', 'recipient-domain', 'sender-domain', 'connector-host', 'client-endpoint'] as const;
export const TargetRole = z.enum(TARGET_ROLES);
export type TargetRole = z.infer<typeof TargetRole>;

/** What the probe of a step is aimed at: a literal or a {placeholder} taken from the paste or asked. */
export const StepProbe = z
  .object({
    kind: ProbeKind,
    /** e.g. "{host}:25", "{domain}", "{ip}", "https://{host}/EWS/Exchange.asmx". */
    target: z.string().min(1),
    /** What a probe result means for this step: the step is confirmed (done) or can be skipped. */
    onPass: z.enum(['done', 'skip', 'none']).default('none'),
    onFail: z.enum(['failed', 'none']).default('none'),
    options: StepProbeOptions.optional(),
    /** The role its {placeholder} must have (the blocklist check wants the sender's IP, not the receiver's); ehlo lint checks it fits. */
    role: TargetRole.optional(),
  })
  .strict();
export type StepProbe = z.infer<typeof StepProbe>;

/** A person's confirmation that proves a fix: what to do and look at, and what they confirm seeing. */
export const StepProof = z
  .object({
    /** The question: what to do now that the fix is in, and what to look at ("Send a new message to …; is it delivered?"). */
    confirm: z.string().min(20).max(400),
    /** What the person confirms they saw, in the past tense of an observation ("a new message to the old address was delivered"). */
    shows: z.string().min(10).max(200),
  })
  .strict();
export type StepProof = z.infer<typeof StepProof>;

/** Where to go next: a step id in this playbook, "end" (resolved) or "escalate". */
const Next = z.string().regex(/^(?:[a-z0-9]+(?:-[a-z0-9]+)*)$/);

export const Step = z
  .object({
    id: Id,
    title: z.string().min(3),
    /** What to do, in our own words, one action. */
    action: z.string().min(10),
    /** Exact command to run, when there is one. */
    command: z
      .object({ shell: z.enum(['powershell', 'ems', 'exo', 'cmd', 'bash', 'admin-center']), text: z.string().min(2) })
      .strict()
      .optional(),
    expect: z.object({ healthy: z.string().min(3), unhealthy: z.string().min(3) }).strict(),
    /** Whether the step only reads, or changes something (then: the risk, and it asks for confirmation). */
    changes: z
      .union([
        z.literal(false),
        z.object({ risk: z.enum(['low', 'medium', 'high']), what: z.string().min(5) }).strict(),
      ]),
    probe: StepProbe.optional(),
    /** This step only retries or verifies after a fix (retry the queue, send a test message): no unhealthy answer may lead straight to it (ehlo lint). */
    retry: z.literal(true).optional(),
    /**
     * How the fix this step makes is proved once the walkthrough ends, when no check failed on the way
     * (a failed check is proved by running it again): a person is asked what they observe, and the
     * outcome is "resolved" only when they confirm they saw it. For fixes no probe can see (a proxy
     * address inside Exchange Online, a purged cloud object, a setting on one PC).
     */
    proof: StepProof.optional(),
    /**
     * The Exchange versions this step applies to, when not all of the playbook's: a walkthrough whose
     * paste states only other versions skips the step and says why (ehlo lint: a subset of the playbook's).
     */
    appliesTo: z.array(z.enum(EXCHANGE_VERSIONS)).min(1).optional(),
    /**
     * Next step on each outcome; defaults: done and skipped → the following step (or end); failed → the
     * following step for a read-only check (escalate after the last step), escalate for a change.
     */
    next: z.object({ done: Next.optional(), failed: Next.optional(), skipped: Next.optional() }).strict().optional(),
  })
  .strict();
export type Step = z.infer<typeof Step>;

export const Cause = z
  .object({
    id: Id,
    text: z.string().min(10),
    /** How to tell this cause from the others. */
    tell: z.string().min(10),
  })
  .strict();

export const AREAS = [
  'recipients',
  'sending-and-auth',
  'policy-and-reputation',
  'relay-connectors-tls',
  'queues-and-transport',
  'clients-and-web-services',
  'management-and-directory',
] as const;

export const Playbook = z
  .object({
    id: Id,
    title: z.string().min(5),
    /** One line shown in the diagnosis card. */
    summary: z.string().min(10),
    area: z.enum(AREAS),
    /** Topics from ../shared/corpus/TOPICS.md that this playbook covers. */
    topics: z.array(Id).min(1),
    appliesTo: z
      .object({
        versions: z.array(z.enum(EXCHANGE_VERSIONS)).min(1),
        differences: z.string().optional(),
      })
      .strict(),
    /** Plain-words descriptions of the symptom, used for free-text matching. */
    symptoms: z.array(z.string().min(5)).min(1),
    diagnosis: z
      .object({
        meaning: z.string().min(20),
        causes: z.array(Cause).min(1),
      })
      .strict(),
    steps: z.array(Step).min(1),
    references: z.array(Reference).min(1),
  })
  .strict();
export type Playbook = z.infer<typeof Playbook>;
export type Cause = z.infer<typeof Cause>;
export type Reference = z.infer<typeof Reference>;

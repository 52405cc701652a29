// The lint rules `ehlo lint` runs after the schema and cross-file checks, in order. A new rule is one file
// (or one export in a family's file) and one line here.
import { failureBranches } from './branches.ts';
import { headerRules } from './headers.ts';
import { uniqueIds } from './ids.ts';
import { localisedWording } from './lang.ts';
import { distinctEvidence, playbookReached, specificPhrases } from './intents.ts';
import { probeSteps } from './probes.ts';
import { tellingApartQuestions } from './questions.ts';
import type { LintRule } from './rule.ts';
import { stepLinks, uniqueStepIds } from './steps.ts';
import { stepProofs, stepVersions } from './step-scope.ts';
import { knownTopics, topicsCovered } from './topics.ts';

export const RULES: readonly LintRule[] = [
  uniqueIds,
  knownTopics,
  uniqueStepIds,
  stepLinks,
  probeSteps,
  failureBranches,
  stepVersions,
  stepProofs,
  playbookReached,
  topicsCovered,
  distinctEvidence,
  specificPhrases,
  headerRules,
  tellingApartQuestions,
  localisedWording,
];

export type { LintContext, LintRule } from './rule.ts';
export { defineRule } from './rule.ts';

// Telling-apart questions (questions/*.yaml): the schema, then both playbooks exist, each answer settles
// on one of the pair, each of the pair is settled on by some answer, and no pair is asked twice.
import { lintQuestions, readQuestions } from '../questions.ts';
import { defineRule } from './rule.ts';

export const tellingApartQuestions = defineRule('telling-apart-questions', 'each questions/*.yaml file is valid and tells apart two playbooks of the catalog', (ctx) => {
  const { questions, problems } = readQuestions(ctx.catalog.root);
  return [...problems, ...lintQuestions(ctx.catalog, questions)];
});

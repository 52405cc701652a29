import { describe, expect, it } from 'vitest';
import { apply } from '../../src/walkthrough/apply.ts';
import type { Session } from '../../src/walkthrough/session.ts';
import { startSession } from '../../src/walkthrough/start.ts';
import { currentStep } from '../../src/walkthrough/view.ts';
import { alice, branchingPlaybook, minute } from './fixtures/playbooks.ts';

const playbook = branchingPlaybook();

function begin(): Session {
  const r = startSession(playbook, { id: 'v', threadKey: 'console:local:1', actor: alice, at: minute(0) });
  if (!r.ok) throw new Error(r.rejection.message);
  return r.session;
}

function press(s: Session, type: 'done' | 'confirm' | 'stop'): Session {
  const r = apply(s, playbook, { type }, { actor: alice, at: minute(1) });
  if (!r.ok) throw new Error(r.rejection.message);
  return r.session;
}

describe('the current step view', () => {
  it('offers run-check on a step with a probe and no back on the first step', () => {
    const view = currentStep(begin(), playbook);
    expect(view).toMatchObject({ position: 1, total: 5, version: 1, awaitingConfirmation: false });
    expect(view?.step.id).toBe('check-mx');
    expect(view?.choices).toEqual(['done', 'failed', 'skip', 'run-check', 'escalate', 'stop']);
  });

  it('offers confirm instead of done on a change step until someone confirms', () => {
    const atChange = press(press(begin(), 'done'), 'done');
    const before = currentStep(atChange, playbook);
    expect(before).toMatchObject({ position: 3, awaitingConfirmation: true });
    expect(before?.choices).toEqual(['confirm', 'failed', 'skip', 'back', 'escalate', 'stop']);
    const after = currentStep(press(atChange, 'confirm'), playbook);
    expect(after?.awaitingConfirmation).toBe(false);
    expect(after?.choices).toEqual(['done', 'failed', 'skip', 'back', 'escalate', 'stop']);
  });

  it('shows no step once the session has ended', () => {
    expect(currentStep(press(begin(), 'stop'), playbook)).toBeUndefined();
  });
});

// Lint of what a step adds about its scope and its proof: appliesTo within the playbook's versions and
// fewer than all of them; a proof only on a step that makes a change.
import { describe, expect, it } from 'vitest';
import { RULES } from '../../../src/catalog/lint/index.ts';
import { stepProofs, stepVersions } from '../../../src/catalog/lint/step-scope.ts';
import { catalogWith, problemsOf, projectFile, replaceOnce } from '../../helpers/catalog.ts';

const QUEUE = 'playbooks/queue-message-expired.yaml';
const queue = projectFile(QUEUE);
const X500 = 'playbooks/imceaex-stale-legacydn-x500.yaml';
const x500 = projectFile(X500);

describe('lint rules step-versions and step-proofs', () => {
  it('are registered and pass on the project catalog', () => {
    expect(RULES).toContain(stepVersions);
    expect(RULES).toContain(stepProofs);
    expect(problemsOf(catalogWith({}), [stepVersions, stepProofs])).toEqual([]);
  });

  it("refuse a version the playbook does not cover, and a list that names all of the playbook's", () => {
    const outside = replaceOnce(queue, "    appliesTo: ['Online']", "    appliesTo: ['Online', '2007']");
    expect(problemsOf(catalogWith({ [QUEUE]: outside }), [stepVersions])).toEqual([`${QUEUE} | steps[1].appliesTo | 2007 is not among the playbook's versions (2010, 2013, 2016, 2019, SE, Online)`]);
    const all = replaceOnce(queue, "    appliesTo: ['Online']", "    appliesTo: ['2010', '2013', '2016', '2019', 'SE', 'Online']");
    expect(problemsOf(catalogWith({ [QUEUE]: all }), [stepVersions])).toEqual([`${QUEUE} | steps[1].appliesTo | names every version the playbook covers, so it skips nothing: leave it out`]);
  });

  it('refuses a proof on a step that changes nothing', () => {
    const onRead = replaceOnce(
      x500,
      '  - id: verify-delivery\n    title: Send a test from the affected sender\n',
      '  - id: verify-delivery\n    title: Send a test from the affected sender\n    proof: { confirm: "Did the reply to the old message arrive this time?", shows: "the reply was delivered" }\n',
    );
    expect(problemsOf(catalogWith({ [X500]: onRead }), [stepProofs])).toEqual([
      `${X500} | steps[5].proof | step "verify-delivery" changes nothing, so there is no fix of its own to prove: put the proof on the step that makes the change`,
    ]);
  });
});

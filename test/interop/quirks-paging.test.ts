// Quirks: incomplete listings. Behind the proxy, no answer of the sandbox shows a resource past
// index 2 (totalResults stays true), the way servers cap pages and result sets. A lookup that
// was cut off must never lead to a create or a delete: with trustworthy `or` filters the missing
// values are looked up one by one and the cycle converges; where only the listing can be
// trusted and it is cut off, the resource cannot be applied and deprovision fails, exit 1.
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { agentServerState, assertConverged, reportRow, runCycle, transcript } from '../helpers/quirkCycle';
import { RESOURCES, agentWorkspace, agentWorkspaceEdited } from '../helpers/quirkManifests';
import { sandboxBehind, stopSandboxes } from '../helpers/quirkPeers';

after(stopSandboxes);

describe('quirks: page caps', () => {
  test('sandbox with answers capped at 2 resources: cut-off lookups are completed one by one; converges', async () => {
    const { sandbox, proxy } = await sandboxBehind({ pageCap: 2 });
    const cycle = await runCycle({ proxy, token: sandbox.token, files: agentWorkspace(), edits: agentWorkspaceEdited() });
    assertConverged(assert, cycle, RESOURCES);
    const state = await agentServerState(sandbox.baseUrl, sandbox.token);
    assert.equal(state.duplicates, 0, transcript(cycle));
    assert.equal(state.agents.length, 3);
    for (const r of [...state.agents, ...state.apps, state.owner]) assert.equal(r.active, false);
    reportRow({ server: 'sandbox', scenario: 'page cap 2', converged: true, duplicates: state.duplicates, resources: RESOURCES, requests: cycle.requests });
  });

  test('page cap and untrustworthy filters: what cannot be ruled out is never created again nor reported absent', async () => {
    // Three seeded users fill the cap: once the owner is created it is the fourth, never shown.
    const { sandbox, proxy } = await sandboxBehind({ pageCap: 3, filters: { answerAs: 'displayName' } });
    const cycle = await runCycle({ proxy, token: sandbox.token, files: agentWorkspace(), edits: agentWorkspaceEdited() });
    const s = cycle.steps;
    const why = transcript(cycle);
    assert.equal(s.apply.code, 0, why);
    assert.equal(s.replan.code, 1, why);
    assert.match(
      s.replan.stdout,
      /! cannot apply User "dana@example\.com".* because whether it already exists on the server cannot be told: the server's answers were cut off/,
      why,
    );
    assert.doesNotMatch(s.replan.stdout, /\+ create/, why);
    assert.equal(s.editApply.code, 1, why);
    assert.doesNotMatch(s.editApply.stdout, /✓ created/, why);
    assert.equal(s.deprovision.code, 1, why);
    assert.match(s.deprovision.stdout, /✗ failed User "dana@example\.com".*whether it is on the server cannot be told/, why);
    assert.doesNotMatch(s.deprovision.stdout, /not on the server/, why);
    const state = await agentServerState(sandbox.baseUrl, sandbox.token);
    assert.equal(state.duplicates, 0, why);
    assert.equal(state.users.filter((u) => u.userName === 'dana@example.com').length, 1, why);
    assert.equal(state.owner.active, true, 'the owner that could not be found is reported, not claimed deactivated');
    for (const r of [...state.agents, ...state.apps]) assert.equal(r.active, false, why);
    reportRow({
      server: 'sandbox',
      scenario: 'page cap 3 + filters answered on another attribute',
      converged: false,
      duplicates: state.duplicates,
      resources: RESOURCES,
      requests: cycle.requests,
    });
  });
});

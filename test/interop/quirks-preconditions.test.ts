// Quirks: mandatory If-Match. Behind the proxy the sandbox says etag.supported: false yet every
// PATCH, PUT and DELETE without If-Match gets 428; and before the first conditional PATCH another
// writer changes the resource, so the sandbox itself answers 412. The client learns If-Match from
// a fresh read (428), re-reads, re-diffs and retries once (412); a resource that keeps changing
// is reported in words, exit 1.
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { agentServerState, assertConverged, reportRow, runCycle, transcript } from '../helpers/quirkCycle';
import { RESOURCES, agentWorkspace, agentWorkspaceEdited } from '../helpers/quirkManifests';
import { sandboxBehind, stopSandboxes } from '../helpers/quirkPeers';

after(stopSandboxes);

describe('quirks: ETags and preconditions', () => {
  test('428 without If-Match, then 412 after a concurrent write: re-read, re-diff, retry once; converges', async () => {
    const { sandbox, proxy } = await sandboxBehind({
      hideEtagSupport: true,
      requireIfMatch: true,
      concurrentWrites: { times: 1, path: 'displayName', value: 'Renamed elsewhere', match: (path) => /^\/Agents\//.test(path) },
    });
    const cycle = await runCycle({ proxy, token: sandbox.token, files: agentWorkspace(), edits: agentWorkspaceEdited() });
    const why = transcript(cycle);
    if (process.env.SHOW_CYCLE) console.log(why, JSON.stringify(proxy.log.filter((e) => e.method !== 'GET')));
    assertConverged(assert, cycle, RESOURCES);
    assert.ok(
      proxy.log.some((e) => e.status === 428),
      'the 428 path ran',
    );
    assert.ok(
      proxy.log.some((e) => e.status === 412),
      'the 412 path ran (a real 412 from the sandbox)',
    );
    const state = await agentServerState(sandbox.baseUrl, sandbox.token);
    assert.equal(state.duplicates, 0, why);
    assert.equal(state.agents.find((a) => a.name === 'triage-bot').displayName, 'Triage Bot v2', 'the concurrent rename was diffed again and corrected');
    for (const r of [...state.agents, ...state.apps, state.owner]) assert.equal(r.active, false);
    reportRow({
      server: 'sandbox',
      scenario: 'If-Match required (428) + stale version (412)',
      converged: true,
      duplicates: state.duplicates,
      resources: RESOURCES,
      requests: cycle.requests,
    });
  });

  test('a resource that changes before every write: one retry, then a failure in words (exit 1)', async () => {
    const { sandbox, proxy } = await sandboxBehind({
      concurrentWrites: { times: Infinity, path: 'displayName', value: 'Renamed elsewhere', match: (path) => /^\/Agents\//.test(path) },
    });
    const cycle = await runCycle({ proxy, token: sandbox.token, files: agentWorkspace(), edits: agentWorkspaceEdited() });
    const s = cycle.steps;
    const why = transcript(cycle);
    assert.equal(s.editApply.code, 1, why);
    assert.match(
      s.editApply.stdout,
      /✗ failed Agent "triage-bot".*412: the resource changed on the server again while it was being written \(412 after a fresh read\); nothing more was sent: run plan again/,
      why,
    );
    // Deactivation meets the same writer: reported, never claimed.
    assert.equal(s.deprovision.code, 1, why);
    assert.match(s.deprovision.stdout, /✗ failed Agent "triage-bot".*412: the resource changed on the server again/, why);
    const state = await agentServerState(sandbox.baseUrl, sandbox.token);
    assert.equal(state.duplicates, 0, why);
    for (const a of state.agents) assert.equal(a.active, true, 'reported as failed, and indeed still active');
    // Exactly one retry per write: two PATCHes per agent in the edit, two per agent in deprovision.
    assert.equal(proxy.log.filter((e) => e.method === 'PATCH' && /\/Agents\//.test(e.path)).length, 2 + 2 * 3, why);
    reportRow({
      server: 'sandbox',
      scenario: 'resource changed before every write (412 twice)',
      converged: false,
      duplicates: state.duplicates,
      resources: RESOURCES,
      requests: cycle.requests,
    });
  });
});

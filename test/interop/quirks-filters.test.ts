// Quirks: filters that cannot be trusted. A server that answers every `or` filter with 200 and
// no results, one that answers a filter on one attribute as a search on another (jackson), and
// better-auth, which really accepts only `attr eq "v"`. The full CLI cycle must converge with
// zero duplicates, and deprovision must really deactivate (never "not on the server").
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { peerBehind, stopAll } from '../helpers/quirkPeers';
import type { Quirks } from '../helpers/quirkProxy';
import { agentServerState, assertConverged, duplicatesBy, reportRow, runCycle, serverList, transcript } from '../helpers/quirkCycle';
import {
  AGENT_EXTERNAL_IDS,
  FALLBACK_USER_NAMES,
  RESOURCES,
  agentWorkspace,
  agentWorkspaceEdited,
  userWorkspace,
  userWorkspaceEdited,
} from '../helpers/quirkManifests';

after(stopAll);

describe('quirks: untrusted filters', () => {
  for (const [scenario, quirks] of [
    ['filters ignore `or` (200, no results)', { filters: 'ignore-or' }],
    ['filters ignore the attribute (answered as displayName)', { filters: { answerAs: 'displayName' } }],
  ] as [string, Quirks][]) {
    test(`scimmy: ${scenario}`, async () => {
      const { peer, proxy } = await peerBehind('scimmy', quirks);
      const cycle = await runCycle({ proxy, token: peer.token, files: agentWorkspace(), edits: agentWorkspaceEdited() });
      assertConverged(assert, cycle, RESOURCES);
      const { agents, apps, owner, duplicates } = await agentServerState(peer.baseUrl, peer.token);
      assert.equal(duplicates, 0, transcript(cycle));
      assert.deepEqual(agents.map((a) => a.externalId).sort(), [...AGENT_EXTERNAL_IDS].sort());
      for (const r of [...agents, ...apps, owner]) assert.equal(r.active, false, `${r.externalId ?? r.userName} is still active on the server`);
      assert.equal(agents.find((a) => a.externalId === 'ext-triage-bot').displayName, 'Triage Bot v2');
      reportRow({ server: 'scimmy', scenario, converged: true, duplicates, resources: RESOURCES, requests: cycle.requests });
    });
  }

  test('better-auth (real): `eq` only, `or` rejected with 400; agents as Users', async () => {
    const { peer, proxy } = await peerBehind('better-auth', {});
    const cycle = await runCycle({ proxy, token: peer.token, files: userWorkspace(), edits: userWorkspaceEdited(), fallback: true });
    assertConverged(assert, cycle, 3);
    const users = await serverList(peer.baseUrl, peer.token, '/Users');
    const duplicates = duplicatesBy(users, 'userName');
    assert.equal(duplicates, 0);
    assert.deepEqual(users.map((u) => u.userName).sort(), [...FALLBACK_USER_NAMES].sort());
    for (const u of users) assert.equal(u.active, false, `${u.userName} is still active`);
    assert.ok(
      proxy.log.some((e) => e.status === 400 && /%20or%20/.test(e.path)),
      'the server really rejected an `or` filter',
    );
    reportRow({ server: 'better-auth', scenario: 'eq-only filters (real)', converged: true, duplicates, resources: 3, requests: cycle.requests });
  });
});

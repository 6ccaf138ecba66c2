// Quirks: partial `bulkId:` substitution. Real scimmy 1.3.5 does it: an AgenticApplication whose
// `agents` name two agents created in the same Bulk request keeps one literal "bulkId:…". After
// every write the server's state is compared with what was meant and repaired with a PATCH; the
// apply says so in words, and the re-plan is empty.
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { agentServerState, assertConverged, reportRow, runCycle, transcript } from '../helpers/quirkCycle';
import { RESOURCES, agentWorkspace, agentWorkspaceEdited } from '../helpers/quirkManifests';
import { peerBehind, stopAll } from '../helpers/quirkPeers';

after(stopAll);

describe('quirks: partial bulkId substitution', () => {
  test('scimmy (real): the kept placeholder is named, repaired by PATCH, and the application lists the real agent ids', async () => {
    const { peer, proxy } = await peerBehind('scimmy', {});
    const cycle = await runCycle({ proxy, token: peer.token, files: agentWorkspace(), edits: agentWorkspaceEdited() });
    assertConverged(assert, cycle, RESOURCES);
    const why = transcript(cycle);
    assert.ok(
      proxy.log.some((e) => e.method === 'POST' && /\/Bulk$/.test(e.path)),
      'Bulk was used',
    );
    assert.match(
      cycle.steps.apply.stdout,
      /✓ created AgenticApplication "support-suite".*\n\s+warning: the server kept the placeholder "bulkId:r\d+" instead of the id of Agent "[a-z-]+" \(its Bulk did not substitute every reference\); repaired with a follow-up PATCH/,
      why,
    );
    assert.doesNotMatch(cycle.steps.apply.stdout, /\[value eq/, 'no filter syntax in messages');
    const state = await agentServerState(peer.baseUrl, peer.token);
    assert.equal(state.duplicates, 0, why);
    const ids = (name: string) => state.agents.find((a) => a.name === name).id;
    assert.deepEqual(state.apps[0].agents.map((a: { value: string }) => a.value).sort(), [ids('triage-bot'), ids('reply-bot')].sort(), why);
    reportRow({
      server: 'scimmy',
      scenario: 'partial bulkId substitution (real)',
      converged: true,
      duplicates: state.duplicates,
      resources: RESOURCES,
      requests: cycle.requests,
    });
  });
});

// Quirks: an obviously incomplete listing. Behind the proxy, the sandbox answers every listing
// and look-up of /Users with `totalResults: 1e12` and no resources. Such an answer proves nothing
// absent: an owner looked up that way is "cannot tell" (the plan says it could not look it up
// and refuses to apply the agent, exit 1), never `owner-unresolved` ("no user in the workspace or
// on the server"); nothing is created. With the quirk off the same cycle converges.
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { agentServerState, runCycle, transcript } from '../helpers/quirkCycle';
import { sandboxBehind, stopSandboxes } from '../helpers/quirkPeers';

after(stopSandboxes);

const AGENT = 'urn:ietf:params:scim:schemas:core:2.0:Agent';
/** An agent owned by a user only the server holds (the sandbox seeds alice). */
const files = (displayName: string) => ({
  'bot.agent.yaml': `schemas: [${AGENT}]\nexternalId: ext-alice-bot\nname: alice-bot\ndisplayName: ${displayName}\nactive: true\nowners:\n  - value: user:alice\n`,
});

describe('quirks: incomplete listings of the owners', () => {
  test('totalResults 1e12 with no resources: the owner cannot be told, not unresolved; nothing is applied (exit 1)', async () => {
    const { sandbox, proxy } = await sandboxBehind({ emptyHugeListing: (path) => path === '/Users' });
    const cycle = await runCycle({ proxy, token: sandbox.token, files: files('Alice Bot'), edits: files('Alice Bot v2') });
    const s = cycle.steps;
    const why = transcript(cycle);
    assert.equal(s.plan.code, 1, why);
    assert.doesNotMatch(s.plan.stdout, /owner-unresolved|No user "alice"/, why);
    assert.match(s.plan.stdout, /! cannot apply Agent "alice-bot".* because .*user:alice cannot be looked up reliably: the server's answers were cut off/, why);
    assert.match(s.plan.stdout, /Plan: 0 to create, 0 to update, 0 unchanged, 1 cannot be applied/, why);
    assert.equal(s.apply.code, 1, why);
    assert.doesNotMatch(s.apply.stdout, /✓ created/, why);
    assert.equal(s.editApply.code, 1, why);
    assert.equal(s.inventory.code, 0, why);
    const state = await agentServerState(sandbox.baseUrl, sandbox.token);
    assert.equal(state.agents.length, 0, 'nothing is created on an incomplete answer');
    assert.equal(state.duplicates, 0, why);
  });

  test('the same workspace without the quirk: the owner is found on the server and the cycle converges', async () => {
    const { sandbox, proxy } = await sandboxBehind({});
    const cycle = await runCycle({ proxy, token: sandbox.token, files: files('Alice Bot'), edits: files('Alice Bot v2') });
    const s = cycle.steps;
    const why = transcript(cycle);
    assert.equal(s.plan.code, 2, why);
    assert.equal(s.apply.code, 0, why);
    assert.equal(s.replan.code, 0, why);
    assert.equal(s.editApply.code, 0, why);
    assert.equal(s.replanEdited.code, 0, why);
    const state = await agentServerState(sandbox.baseUrl, sandbox.token);
    assert.equal(state.agents.length, 1, why);
    assert.equal(state.duplicates, 0, why);
  });
});

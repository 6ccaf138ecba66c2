// Quirks: a server without discovery (404 on /ServiceProviderConfig, /ResourceTypes, /Schemas)
// and without Agent types (better-auth answers /Agents with an empty 404). A 404 on a resource
// endpoint that discovery could not confirm means "no such resource type": a cannot-apply line
// naming the flag, never an abort; with --fallback linked-user the cycle converges.
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ScimError } from '../../server/src/scim';
import { assertConverged, cli, duplicatesBy, reportRow, runCycle, serverList, transcript } from '../helpers/quirkCycle';
import { FALLBACK_USER_NAMES, userWorkspace, userWorkspaceEdited } from '../helpers/quirkManifests';
import { peerBehind, stopAll } from '../helpers/quirkPeers';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

after(stopAll);

describe('quirks: no discovery endpoints', () => {
  test('better-auth without discovery: agents get a cannot-apply line naming --fallback, the owner is applied, nothing aborts', async () => {
    const { peer, proxy } = await peerBehind('better-auth', { noDiscovery: true });
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'scim-quirks-'));
    try {
      for (const [name, text] of Object.entries(userWorkspace({ certificate: false }))) await fs.writeFile(path.join(dir, name), text);
      const plan = await cli(['plan', '*.yaml', '--endpoint', proxy.baseUrl], dir, peer.token);
      assert.equal(plan.code, 1, plan.stdout + plan.stderr);
      assert.equal(plan.stderr, '', 'no abort');
      assert.match(
        plan.stdout,
        /! cannot apply Agent "helpdesk-bot@agents\.example\.com".* because the server has no Agent resource type \(its endpoint answered 404, and the server offers no \/ResourceTypes\); run with --fallback linked-user/,
      );
      assert.match(plan.stdout, /\+ create User "erin@example\.com"/);
      const apply = await cli(['apply', '*.yaml', '--yes', '--endpoint', proxy.baseUrl], dir, peer.token);
      assert.equal(apply.code, 1, 'an item could not be applied');
      assert.match(apply.stdout, /✓ created User "erin@example\.com"/);
      for (const text of [plan.stdout, plan.stderr, apply.stdout, apply.stderr]) {
        for (const line of text.split('\n')) assert.ok(!/https?:\/\/\S{120,}/.test(line), `a long URL in: ${line.slice(0, 200)}`);
      }
      const users = await serverList(peer.baseUrl, peer.token, '/Users');
      assert.deepEqual(
        users.map((u) => u.userName),
        ['erin@example.com'],
      );
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
  });

  test('better-auth without discovery, --fallback linked-user: the full cycle converges', async () => {
    const { peer, proxy } = await peerBehind('better-auth', { noDiscovery: true });
    const cycle = await runCycle({
      proxy,
      token: peer.token,
      files: userWorkspace({ certificate: false }),
      edits: userWorkspaceEdited({ certificate: false }),
      fallback: true,
    });
    assertConverged(assert, cycle, 3);
    const users = await serverList(peer.baseUrl, peer.token, '/Users');
    const duplicates = duplicatesBy(users, 'userName');
    assert.equal(duplicates, 0, transcript(cycle));
    assert.deepEqual(users.map((u) => u.userName).sort(), [...FALLBACK_USER_NAMES].sort());
    for (const u of users) assert.equal(u.active, false);
    assert.equal(users.find((u) => u.userName === 'helpdesk-bot@agents.example.com').displayName, 'Helpdesk Bot v2');
    const inventory = JSON.parse(cycle.steps.inventory.stdout);
    for (const item of inventory.items) assert.notEqual(item.provisioning?.state, 'blocked', 'inventory --fallback sees the agents provisioned as Users');
    reportRow({
      server: 'better-auth',
      scenario: 'no discovery (404), --fallback linked-user',
      converged: true,
      duplicates,
      resources: 3,
      requests: cycle.requests,
    });
  });

  test('a 4 KB lookup URL never reaches a message', () => {
    const url = `http://127.0.0.1:1/scim/v2/AgenticApplications?filter=${'externalId%20eq%20%22x%22%20or%20'.repeat(120)}`;
    const error = new ScimError({ kind: 'http', status: 404, method: 'GET', url });
    assert.ok(error.message.length < 200, error.message);
    assert.match(error.message, /^SCIM GET http:\/\/127\.0\.0\.1:1\/scim\/v2\/AgenticApplications\?… failed: 404$/);
  });
});

// Quirks: attributes a server does not support. better-auth's User schema (really) has no
// x509Certificates: with its /Schemas published, the attribute is listed as "cannot travel" and
// never sent, and the cycle converges; with /Schemas hidden, the server drops it and refuses it
// in a PATCH, and that one path must not sink the displayName change of the same resource.
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { assertConverged, duplicatesBy, reportRow, runCycle, serverList, transcript } from '../helpers/quirkCycle';
import { FALLBACK_USER_NAMES, userWorkspace, userWorkspaceEdited } from '../helpers/quirkManifests';
import { peerBehind, stopAll } from '../helpers/quirkPeers';

after(stopAll);

describe('quirks: unsupported attributes', () => {
  test('better-auth (real schema without x509Certificates): cannot travel, not sent; the cycle converges', async () => {
    const { peer, proxy } = await peerBehind('better-auth', {});
    const cycle = await runCycle({ proxy, token: peer.token, files: userWorkspace(), edits: userWorkspaceEdited(), fallback: true });
    assertConverged(assert, cycle, 3);
    assert.match(cycle.steps.plan.stdout, /warning: cannot travel: the server's User schema does not define x509Certificates, so it is not sent/);
    const users = await serverList(peer.baseUrl, peer.token, '/Users');
    const duplicates = duplicatesBy(users, 'userName');
    assert.equal(duplicates, 0);
    assert.deepEqual(users.map((u) => u.userName).sort(), [...FALLBACK_USER_NAMES].sort());
    assert.equal(users.find((u) => u.userName === 'helpdesk-bot@agents.example.com').displayName, 'Helpdesk Bot v2');
    reportRow({
      server: 'better-auth',
      scenario: 'unsupported attribute, schema published (real)',
      converged: true,
      duplicates,
      resources: 3,
      requests: cycle.requests,
    });
  });

  test('better-auth with /Schemas hidden: the refused attribute is reported (exit 1), the other change arrives', async () => {
    const { peer, proxy } = await peerBehind('better-auth', { noDiscovery: true });
    const cycle = await runCycle({ proxy, token: peer.token, files: userWorkspace(), edits: userWorkspaceEdited(), fallback: true });
    const s = cycle.steps;
    const why = transcript(cycle);
    if (process.env.SHOW_CYCLE) console.log(why);
    // The server drops x509Certificates on create: the apply says so and exits 1 (never a silent "✓").
    assert.equal(s.apply.code, 1, why);
    assert.match(s.apply.stdout, /✗ failed Agent "helpdesk-bot@agents\.example\.com".*x509Certificates/, why);
    assert.match(s.apply.stdout, /✓ created Agent "intake-bot@agents\.example\.com"/, why);
    // The edit: displayName arrives although x509Certificates is refused in the same resource.
    assert.equal(s.editApply.code, 1, why);
    assert.match(s.editApply.stdout, /x509Certificates/, why);
    const users = await serverList(peer.baseUrl, peer.token, '/Users');
    assert.equal(duplicatesBy(users, 'userName'), 0, why);
    assert.equal(users.find((u) => u.userName === 'helpdesk-bot@agents.example.com').displayName, 'Helpdesk Bot v2', why);
    // The re-plan is honest: the difference the server will not hold is still shown.
    assert.equal(s.replanEdited.code, 2, why);
    assert.match(s.replanEdited.stdout, /~ update Agent "helpdesk-bot@agents\.example\.com" as User[^\n]*\n\s+\+ x509Certificates/, why);
    assert.equal(s.deprovision.code, 0, why);
    for (const u of users) assert.equal(u.active, false);
    reportRow({
      server: 'better-auth',
      scenario: 'unsupported attribute, no schema published',
      converged: false,
      duplicates: 0,
      resources: 3,
      requests: cycle.requests,
    });
  });
});

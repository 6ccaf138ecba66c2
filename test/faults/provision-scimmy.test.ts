// Provisioning faults in front of the scimmy peer (a real SCIM server we did not write): the
// scenarios of test/faults/scenarios.ts, each followed by a clean re-run that must converge.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startFaultProxy, type FaultProxy } from '../helpers/faultProxy';
import { startPeer, type RunningPeer } from '../helpers/peers';
import { scimRequest } from '../helpers/sandbox';
import { printTable, runScenario, scenarios, type ScenarioReport } from './scenarios';

describe('provisioning faults: scimmy', () => {
  let peer: RunningPeer;
  let proxy: FaultProxy;
  const rows: ScenarioReport[] = [];

  before(async () => {
    peer = await startPeer('scimmy');
    proxy = await startFaultProxy(new URL(peer.baseUrl).origin);
    // The owners the manifest names; they must come through every scenario untouched.
    const ids: Record<string, string> = {};
    for (const userName of ['alice', 'bob']) {
      const res = await scimRequest(peer.baseUrl, peer.token, 'POST', '/Users', {
        schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
        userName,
        active: true,
      });
      assert.equal(res.status, 201, JSON.stringify(res.body));
      ids[userName] = res.body.id;
    }
    const group = await scimRequest(peer.baseUrl, peer.token, 'POST', '/Groups', {
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'],
      displayName: 'AI Platform Team',
      members: [{ value: ids.alice }],
    });
    assert.equal(group.status, 201, JSON.stringify(group.body));
  });
  after(async () => {
    printTable('scimmy', rows);
    await proxy.close();
    await peer.stop();
  });

  for (const scenario of scenarios({ bulk: false })) {
    test(scenario.name, async () => {
      rows.push(await runScenario({ baseUrl: peer.baseUrl, token: peer.token }, proxy, scenario));
    });
  }
});

// Quirks: hostile ids. Behind the proxy, three agents get the ids ".", ".." and "a/b" in every
// answer. URL normalisation would turn DELETE /Agents/.. into DELETE /scim/v2/ (or /Agents/):
// such ids are refused, the resources are reported and left untouched, and nothing is created
// again. The other resources go through the whole cycle, `deprovision --delete` included.
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { agentServerState, reportRow, runCycle, transcript } from '../helpers/quirkCycle';
import { RESOURCES, agentWorkspace, agentWorkspaceEdited } from '../helpers/quirkManifests';
import { sandboxBehind, stopSandboxes } from '../helpers/quirkPeers';

after(stopSandboxes);

const ODD = ['odd-dot', 'odd-dotdot', 'odd-slash'];

describe('quirks: hostile ids', () => {
  test('sandbox answering ".", ".." and "a/b" as ids: refused, reported, never addressed', async () => {
    const { sandbox, proxy } = await sandboxBehind({ hostileIds: { 'odd-dot': '.', 'odd-dotdot': '..', 'odd-slash': 'a/b' } });
    const cycle = await runCycle({
      proxy,
      token: sandbox.token,
      files: agentWorkspace({ extra: ODD }),
      edits: agentWorkspaceEdited({ extra: ODD }),
      deprovisionFlags: ['--delete'],
    });
    const s = cycle.steps;
    const why = transcript(cycle);
    assert.equal(s.plan.code, 2, why);
    assert.equal(s.apply.code, 1, why);
    for (const name of ODD) assert.match(s.apply.stdout, new RegExp(`✗ failed Agent "${name}".*cannot be used in a URL safely`), why);
    assert.equal(s.replan.code, 1, why);
    for (const name of ODD) assert.match(s.replan.stdout, new RegExp(`! cannot apply Agent "${name}".*cannot be used in a URL safely`), why);
    assert.match(s.replan.stdout, new RegExp(`Plan: 0 to create, 0 to update, ${RESOURCES} unchanged, 3 cannot be applied`), why);
    assert.equal(s.editApply.code, 1, why);
    assert.match(s.editApply.stdout, /✓ updated Agent "triage-bot"/, why);
    assert.equal(s.deprovision.code, 1, why);
    assert.match(s.deprovision.stdout, /✓ deleted Agent "triage-bot"/, why);
    const base = new URL(sandbox.baseUrl).pathname;
    const writes = proxy.log.filter((e) => e.method !== 'GET' && e.method !== 'POST');
    for (const e of writes) {
      const path = e.path.replace(/\?.*$/, '');
      assert.ok(
        !/\/(Agents|AgenticApplications|Users|Groups)\/?$/.test(path) && path !== base && path !== `${base}/`,
        `${e.method} ${e.path} addresses a collection or the base`,
      );
      assert.ok(!/\/(\.|\.\.|%2E|%2E%2E|a%2Fb)$/i.test(path), `${e.method} ${e.path} addresses a hostile id`);
    }
    const state = await agentServerState(sandbox.baseUrl, sandbox.token);
    assert.equal(state.duplicates, 0, why);
    assert.deepEqual(state.agents.map((a) => a.name).sort(), [...ODD].sort(), 'the others were deleted; the odd ones were left untouched');
    for (const a of state.agents) assert.equal(a.active, true);
    reportRow({
      server: 'sandbox',
      scenario: 'hostile ids (".", "..", "a/b")',
      converged: false,
      duplicates: state.duplicates,
      resources: RESOURCES + 3,
      requests: cycle.requests,
    });
  });
});

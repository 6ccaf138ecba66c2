// Provisioning faults in front of the sandbox (Bulk, ETags): every scenario of
// test/faults/scenarios.ts, each followed by a clean re-run that must converge.
import { after, before, describe, test } from 'node:test';
import { startFaultProxy, type FaultProxy } from '../helpers/faultProxy';
import { withSandbox, type TestSandbox } from '../helpers/sandbox';
import { printTable, runScenario, scenarios, type ScenarioReport } from './scenarios';

describe('provisioning faults: sandbox', () => {
  let sandbox: TestSandbox;
  let proxy: FaultProxy;
  const rows: ScenarioReport[] = [];

  before(async () => {
    sandbox = await withSandbox();
    proxy = await startFaultProxy(new URL(sandbox.baseUrl).origin);
  });
  after(async () => {
    printTable('sandbox', rows);
    await proxy.close();
    await sandbox.dispose();
  });

  for (const scenario of scenarios({ bulk: true })) {
    test(scenario.name, async () => {
      rows.push(await runScenario(sandbox, proxy, scenario));
    });
  }
});

// SCIMAgents.files.include over stdio: honoured in a trusted workspace, ignored (default names
// only) in an untrusted one, and a glob whose matching would not stay linear is left out and
// logged, never run.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { LspClient, removeWorkspace, tempWorkspace } from './lspClient';

const UNOWNED = 'schemas: [urn:ietf:params:scim:schemas:core:2.0:Agent]\nname: bot\n';
const SETTINGS = { files: { include: ['manifests/*.yaml', '*a*a*a*a*a*a*a*b'] } };

describe('include globs and workspace trust', () => {
  let root: string;
  before(() => {
    root = tempWorkspace({ 'manifests/bot.yaml': UNOWNED, 'named.agent.yaml': UNOWNED.replace('bot', 'named') });
  });
  after(() => removeWorkspace(root));

  for (const trusted of [true, false]) {
    it(`${trusted ? 'a trusted' : 'an untrusted'} workspace ${trusted ? 'scans' : 'does not scan'} what include adds`, async () => {
      const client = await LspClient.start(root, { settings: SETTINGS, initializationOptions: { workspaceTrusted: trusted } });
      try {
        await client.waitFor('the scan', () => client.logs.some((l) => /^Indexed \d+ manifest/.test(l)));
        const indexed = client.logs.find((l) => /^Indexed \d+ manifest/.test(l))!;
        assert.match(indexed, trusted ? /^Indexed 2 manifest/ : /^Indexed 1 manifest/);
        await client.diagnostics(client.uri('named.agent.yaml'), (ds) => ds.some((d) => d.code === 'owner-missing'), 'the default name is linted');
        if (trusted)
          await client.diagnostics(client.uri('manifests/bot.yaml'), (ds) => ds.some((d) => d.code === 'owner-missing'), 'the included file is linted');
        else assert.equal(client.published.has(client.uri('manifests/bot.yaml')), false, 'never indexed, so never published');
        assert.ok(
          client.logs.some((l) => l.includes('"*a*a*a*a*a*a*a*b" is not used')),
          client.logs.join('\n'),
        );
        if (!trusted)
          assert.ok(
            client.logs.some((l) => l.includes('"manifests/*.yaml" is not used: the workspace is not trusted')),
            client.logs.join('\n'),
          );
      } finally {
        await client.stop();
      }
    });
  }
});

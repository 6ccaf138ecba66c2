// A big workspace over the protocol: an edit made while the workspace is being validated is
// answered before the rest of the workspace (ordering by events, never by time), and its
// cross-file findings are right even then.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { LspClient, removeWorkspace, tempWorkspace } from './lspClient';

const FILES = 3000;

function agent(i: number): string {
  return `schemas: [urn:ietf:params:scim:schemas:core:2.0:Agent]\nexternalId: scale-${i}\nname: scale-${i}\ndisplayName: Scale ${i}\n`;
}

describe('a big workspace', () => {
  let root: string;
  let client: LspClient;
  before(async () => {
    const files: Record<string, string> = {};
    for (let i = 0; i < FILES; i++) files[`d${Math.floor(i / 500)}/a${i}.agent.yaml`] = agent(i);
    root = tempWorkspace(files);
    client = await LspClient.start(root, { initializationOptions: { diagnosticsDelayMs: 0 } });
  });
  after(async () => {
    await client.stop();
    removeWorkspace(root);
  });

  it("answers an edit before the rest of the workspace's diagnostics", async () => {
    await client.waitFor('the indexing log', () => client.logs.some((l) => /^Indexed \d+ manifest/.test(l)), 60_000);
    const indexed = client.logs.find((l) => /^Indexed \d+ manifest/.test(l))!;
    assert.match(indexed, new RegExp(`^Indexed ${FILES} manifest\\(s\\).*KB of heap per file`));
    // The user opens a file and makes it a duplicate of another one while the workspace is validated.
    const uri = client.uri('d1/a700.agent.yaml');
    const other = client.uri('d5/a2999.agent.yaml');
    client.open(uri, agent(700));
    const v2 = client.change(uri, agent(700).replace('name: scale-700', 'name: scale-2999'));

    const answer = async (version: number) => {
      let others = -1;
      await client.waitFor(
        `version ${version} answered`,
        () => {
          if (client.latest(uri)?.version !== version) return false;
          others = [...client.published.keys()].filter((u) => u !== uri).length;
          return true;
        },
        60_000,
      );
      return others;
    };
    const first = await answer(v2);
    assert.deepEqual(
      client
        .latest(uri)!
        .diagnostics.map((d) => String(d.code))
        .sort(),
      ['duplicate-identifier', 'owner-missing'],
      'the cross-file rules see the whole index for the urgent file',
    );
    assert.ok(first < FILES - 1, `the edit waited for the whole workspace: ${first} other files published before it`);
    // A second edit, while the workspace is still being validated, does not wait for it either.
    const v3 = client.change(uri, agent(700).replace('name: scale-700', 'name: scale-2999').replace('displayName', 'DisplayName'));
    const second = await answer(v3);
    assert.deepEqual(
      client
        .latest(uri)!
        .diagnostics.map((d) => String(d.code))
        .sort(),
      ['attribute-case', 'duplicate-identifier', 'owner-missing'],
    );
    assert.ok(second < FILES - 1, `the second edit waited for the whole workspace: ${second} other files published before it`);
    // The rest follows, and the sweep after the edit gives the other file its duplicate too.
    await client.waitFor('every file published', () => client.published.size === FILES, 120_000);
    await client.diagnostics(other, (ds) => ds.some((d) => d.code === 'duplicate-identifier'), 'the duplicate on the other file');
  });
});

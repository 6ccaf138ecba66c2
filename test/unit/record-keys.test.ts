// The lookup index holds a key's one record alone and an array only when several share it; the
// editor's index adds and removes records as files change, so both ways between one and several
// must leave what a fresh index would hold.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { WorkspaceIndex } from '../../server/src/workspace/index';
import { key } from '../../server/src/workspace/keys';
import { lintWorkspace } from '../../server/src/lint/linter';

const uris = ['a', 'b', 'c'].map((n) => `file:///ws/${n}.agent.yaml`);
const agent = (name: string, externalId: string) =>
  ['schemas: [urn:ietf:params:scim:schemas:core:2.0:Agent]', `externalId: ${externalId}`, `name: ${name}`, 'owners:', '  - value: user:alice', ''].join('\n');
const SHARED = key.externalId('Agent', 'shared');

function duplicated(index: WorkspaceIndex): string[] {
  const found = lintWorkspace(index);
  return [...found.keys()].filter((uri) => found.get(uri)!.some((f) => f.code === 'duplicate-identifier')).sort();
}
const holders = (index: WorkspaceIndex) =>
  index
    .view()
    .withKey(SHARED)
    .map((r) => r.uri)
    .sort();

test('a key shared by three files, then two, one, none, and two again', () => {
  const index = new WorkspaceIndex();
  uris.forEach((uri, i) => index.set(uri, agent(`agent-${i}`, 'shared')));
  assert.deepEqual(holders(index), uris);
  assert.deepEqual(duplicated(index), uris);

  index.delete(uris[0]!);
  assert.deepEqual(holders(index), uris.slice(1));
  assert.deepEqual(duplicated(index), uris.slice(1));

  index.set(uris[1]!, agent('agent-1', 'other'));
  assert.deepEqual(holders(index), [uris[2]]);
  assert.deepEqual(duplicated(index), [], 'one record under the key: no duplicate');

  index.delete(uris[2]!);
  assert.deepEqual(holders(index), []);

  index.set(uris[0]!, agent('agent-0', 'shared'));
  index.set(uris[2]!, agent('agent-2', 'shared'));
  assert.deepEqual(holders(index), [uris[0], uris[2]]);
  assert.deepEqual(duplicated(index), [uris[0], uris[2]]);
});

// Unit: the workspace rules a plan runs early (prelintResources, while its reads are in flight)
// give the gating lint exactly what running them there would; the rules that read the directory
// or the time are left to it, and an edit in between makes it run everything again.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { lintWorkspace, prelintResources } from '../../server/src/lint/linter';
import type { Directory } from '../../server/src/rules/types';
import { WorkspaceIndex } from '../../server/src/workspace/index';

const AGENT = 'urn:ietf:params:scim:schemas:core:2.0:Agent';
const APP = 'urn:ietf:params:scim:schemas:core:2.0:AgenticApplication';

const agent = (name: string, owner: string, extra = '') => `schemas: [${AGENT}]
externalId: ${name}
name: ${name}
owners:
  - value: ${owner}
subject: ${name}
${extra}`;

const FILES: Record<string, string> = {
  // duplicate-identifier across two files, an owner the directory lacks, one whose user is inactive
  'file:///w/a.agent.yaml': agent('twin', 'user:alice'),
  'file:///w/b.agent.yaml': agent('twin', 'user:mallory'),
  'file:///w/c.agent.yaml': agent('solo', 'user:bob', 'protocols:\n  - type: A2A\n    specificationUrl: https://x.example/card\n'),
  // reference-unresolved: an application listing an agent nobody declares
  'file:///w/app.agent.yaml': `schemas: [${APP}]\nexternalId: app\nname: app\nagents:\n  - value: agent:ghost\n`,
  // Enough files for the early run to take several views, a duplicate of the first one in the last
  ...Object.fromEntries(Array.from({ length: 450 }, (_, i) => [`file:///w/m/bot-${i}.agent.yaml`, agent(`bot-${i}`, 'user:alice')])),
  'file:///w/z.agent.yaml': agent('twin', 'user:alice'),
};

const directory: Directory = {
  users: new Map([
    ['alice', { id: 'u1', key: 'alice', active: true }],
    ['bob', { id: 'u2', key: 'bob', active: false }],
  ]),
  groups: new Map(),
  unsure: { users: new Set(), groups: new Set() },
};

function indexOf(files: Record<string, string>): WorkspaceIndex {
  const index = new WorkspaceIndex();
  for (const [uri, text] of Object.entries(files)) index.set(uri, text);
  return index;
}

const codes = (m: ReturnType<typeof lintWorkspace>) =>
  [...m].flatMap(([uri, list]) => list.map((f) => `${uri.split('/').pop()} ${f.code} ${f.severity} ${f.span.start}-${f.span.end} ${f.message}`)).sort();

describe('early workspace lint (prelintResources → lintWorkspace)', () => {
  test('the gating lint with the early findings equals the gating lint without them', async () => {
    const expected = codes(lintWorkspace(indexOf(FILES), { directory }));
    assert.equal(expected.filter((l) => l.includes('duplicate-identifier')).length, 6, 'externalId and name, on each of the three twins');
    assert.ok(expected.some((l) => l.includes('reference-unresolved')));
    assert.ok(
      expected.some((l) => l.includes('owner-unresolved')),
      'mallory is not in the directory',
    );
    assert.ok(
      expected.some((l) => l.includes('owner-orphaned')),
      'bob is inactive',
    );
    const index = indexOf(FILES);
    const early = await prelintResources(index, {});
    assert.ok(early.workspace.size > 0, 'some workspace rules ran early');
    assert.ok(![...early.workspace.keys()].some((r) => r.code.startsWith('owner-')), 'the owner rules read the directory: never early');
    assert.deepEqual(codes(lintWorkspace(index, { directory }, undefined, early)), expected);
  });

  test('an edit between the early lint and the gating lint: the early findings are not used', async () => {
    const index = indexOf(FILES);
    const early = await prelintResources(index, {});
    index.set('file:///w/b.agent.yaml', agent('other', 'user:alice'));
    const after = codes(lintWorkspace(index, { directory }, undefined, early));
    assert.deepEqual(after, codes(lintWorkspace(indexOf({ ...FILES, 'file:///w/b.agent.yaml': agent('other', 'user:alice') }), { directory })));
    assert.equal(after.filter((l) => l.includes('duplicate-identifier')).length, 4, 'b is no twin any more');
  });
});

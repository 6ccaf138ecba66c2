// A document that only moved (an edit before it changed the length) keeps its nodes, binding and
// findings, moved: the index after such an edit must equal a fresh one, positions included.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { WorkspaceIndex } from '../../server/src/workspace/index';
import { lintCrossFile, lintFile } from '../../server/src/lint/linter';
import type { BoundResource } from '../../server/src/model/bind';

const URI = 'file:///ws/moved.agents.yaml';

function agent(i: number): string {
  return [
    'schemas: [urn:ietf:params:scim:schemas:core:2.0:Agent]',
    `externalId: m-${i}`,
    `name: ${i === 7 ? 'm-3' : `m-${i}`}`,
    `displayName: Moved ${i}`,
    'Description: wrong case',
    'owners:',
    '  - value: user:nobody',
    'protocols:',
    '  - type: A2A',
    `    specificationUrl: https://a.example/${i}`,
  ].join('\n');
}

const text = (edited: string) =>
  Array.from({ length: 12 }, (_, i) => (i === 2 ? agent(i).replace('displayName: Moved 2', edited) : agent(i))).join('\n---\n') + '\n';

/** What rules and features read of a binding: every span, attribute and pointer. */
function shape(b: BoundResource): unknown {
  return {
    root: b.resource.root,
    index: b.resource.index,
    attributes: b.attributes.map((a) => ({ entry: a.entry, pointer: a.pointer, canonicalName: a.canonicalName, parent: a.parent?.pointer })),
    top: [...b.top].map(([k, a]) => [k, a.entry.keySpan]),
    nodes: [...b.nodes].map(([k, n]) => [k, n.span]),
    owners: [...b.owners].map(([k, e]) => [k, e.span]),
    declaredSchemas: b.declaredSchemas,
    schemasEntry: b.schemasEntry?.span,
    normalized: b.normalized,
  };
}

describe('workspace: moved documents', () => {
  test('after length-changing edits, bindings and findings equal a fresh index', () => {
    const index = new WorkspaceIndex();
    index.set(URI, text('displayName: Moved 2'), 1);
    const epoch = () => String(index.crossGeneration);
    lintFile(index.get(URI)!, {}, index.memo);
    lintCrossFile(index, URI, {}, epoch());
    const before = index.get(URI)!.resources;
    let edited = 'displayName: Moved 2';
    for (let v = 2; v < 8; v++) {
      edited = v % 3 === 0 ? edited.slice(0, -1) : `${edited}xy`;
      index.set(URI, text(edited), v);
      const got = index.get(URI)!;
      const fresh = new WorkspaceIndex();
      fresh.set(URI, text(edited));
      const want = fresh.get(URI)!;
      assert.equal(got.resources.length, want.resources.length);
      got.resources.forEach((r, i) => assert.deepEqual(shape(r), shape(want.resources[i]!), `resource ${i} after edit ${v}`));
      const strip = (fs: ReturnType<typeof lintFile>) => fs.map(({ code, span, message, severity }) => ({ code, span, message, severity }));
      assert.deepEqual(strip(lintFile(got, {}, index.memo)), strip(lintFile(want)), `own findings after edit ${v}`);
      assert.deepEqual(strip(lintCrossFile(index, URI, {}, epoch())), strip(lintCrossFile(fresh, URI)), `cross-file findings after edit ${v}`);
    }
    // The documents after the edit were moved, not parsed nor bound again: the same nodes (their
    // spans moved in place), the same binding's maps, and the findings kept for them.
    const after = index.get(URI)!.resources;
    assert.equal(after[5]!.normalized, before[5]!.normalized);
    assert.equal(after[5]!.resource.root, before[5]!.resource.root);
    assert.equal(after[5]!.top, before[5]!.top);
    assert.ok(index.memo.hasResourceFindings(after[5]!.top), 'resource findings kept');
  });
});

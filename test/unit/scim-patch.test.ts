import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { scimPatch } from 'scim-patch';
import { diffToPatchOps } from '../../server/src/scim/patch';
import type { AttributeDefinition } from '../../server/src/schema/types';

type Doc = Record<string, unknown>;

/** Applies the diff with scim-patch (explicit options: no silent add-on-missing) and returns the result. */
function roundTrip(current: Doc, desired: Doc, defs?: AttributeDefinition[]): { ops: ReturnType<typeof diffToPatchOps>; result: Doc } {
  const ops = diffToPatchOps(current, desired, defs);
  const doc = structuredClone(current) as unknown as Parameters<typeof scimPatch>[0];
  const result = scimPatch(doc, ops as Parameters<typeof scimPatch>[1], { mutateDocument: false, treatMissingAsAdd: false }) as unknown as Doc;
  return { ops, result };
}

const base = { schemas: ['urn:ietf:params:scim:schemas:core:2.0:Agent'], id: 'a1', meta: { resourceType: 'Agent', version: 'W/"1"' } };

describe('diffToPatchOps', () => {
  test('nothing to do when desired matches, ignoring id/meta/schemas and element order', () => {
    const current = { ...base, name: 'bot', active: true, protocols: [{ type: 'A2A' }, { type: 'MCP-Server' }] };
    assert.deepEqual(diffToPatchOps(current, { name: 'bot', active: true, protocols: [{ type: 'MCP-Server' }, { type: 'A2A' }], id: 'other', meta: {} }), []);
  });

  test('simple replace, add and remove, round-tripped through scim-patch', () => {
    const current = { ...base, name: 'bot', active: true, description: 'old', agentType: 'Assistant' };
    const desired = { name: 'bot', active: false, description: null, displayName: 'Bot' };
    const { ops, result } = roundTrip(current, desired);
    assert.deepEqual(ops, [
      { op: 'replace', path: 'active', value: false },
      { op: 'remove', path: 'description' },
      { op: 'add', path: 'displayName', value: 'Bot' },
    ]);
    assert.deepEqual(result, { ...base, name: 'bot', active: false, agentType: 'Assistant', displayName: 'Bot' });
  });

  test('names match case-insensitively and the server spelling is used in paths', () => {
    assert.deepEqual(diffToPatchOps({ ...base, displayName: 'A' }, { DisplayName: 'B' }), [{ op: 'replace', path: 'displayName', value: 'B' }]);
  });

  test('singular complex attributes diff per sub-attribute', () => {
    const current = { ...base, name: { givenName: 'Ada', familyName: 'L' } };
    const { ops, result } = roundTrip(current, { name: { givenName: 'Ada', familyName: 'Lovelace' } });
    assert.deepEqual(ops, [{ op: 'replace', path: 'name.familyName', value: 'Lovelace' }]);
    assert.deepEqual(result.name, { givenName: 'Ada', familyName: 'Lovelace' });
  });

  test('value-keyed multi-valued attributes become add + remove[value eq], not a full replace', () => {
    const current = { ...base, owners: [{ value: 'u1' }, { value: 'u2' }] };
    const desired = { owners: [{ value: 'u2' }, { value: 'u3' }] };
    const { ops, result } = roundTrip(current, desired);
    assert.deepEqual(ops, [
      { op: 'remove', path: 'owners[value eq "u1"]' },
      { op: 'add', path: 'owners', value: [{ value: 'u3' }] },
    ]);
    assert.deepEqual(result.owners, [{ value: 'u2' }, { value: 'u3' }]);
  });

  test('server-added sub-attributes ($ref, display) do not count as a difference', () => {
    const current = { ...base, members: [{ value: 'u1', $ref: 'https://x/Users/u1', display: 'Ann' }] };
    assert.deepEqual(diffToPatchOps(current, { members: [{ value: 'u1' }] }), []);
  });

  test('multi-valued attributes without value keys are replaced whole', () => {
    const current = { ...base, protocols: [{ type: 'A2A', specificationUrl: 'https://a' }] };
    const desired = { protocols: [{ type: 'A2A', specificationUrl: 'https://b' }, { type: 'MCP-Server' }] };
    const { ops, result } = roundTrip(current, desired);
    assert.deepEqual(ops, [{ op: 'replace', path: 'protocols', value: desired.protocols }]);
    assert.deepEqual(result.protocols, desired.protocols);
  });

  test('extension attributes use URN-qualified paths', () => {
    const urn = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
    const current = { ...base, [urn]: { department: 'Ops', costCenter: '1' } };
    const { ops, result } = roundTrip(current, { [urn]: { department: 'Tours' } });
    assert.deepEqual(ops, [{ op: 'replace', path: `${urn}:department`, value: 'Tours' }]);
    assert.deepEqual(result[urn], { department: 'Tours', costCenter: '1' });
  });

  test('readOnly and writeOnly attributes from the definitions are never sent', () => {
    const defs: AttributeDefinition[] = [
      { name: 'groups', type: 'complex', multiValued: true, required: false, mutability: 'readOnly' },
      { name: 'password', type: 'string', multiValued: false, required: false, mutability: 'writeOnly', returned: 'never' },
      { name: 'entitlements', type: 'complex', multiValued: true, required: false },
    ];
    const current = { ...base, groups: [{ value: 'g1' }] };
    const desired = { groups: [{ value: 'g2' }], password: 'x', entitlements: { value: 'e1' } };
    assert.deepEqual(diffToPatchOps(current, desired, defs), [{ op: 'add', path: 'entitlements', value: { value: 'e1' } }]);
  });
});

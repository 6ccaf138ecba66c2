// SCIM as RFC 7643/7644 define it: one attribute given twice under another case, attribute names
// qualified by their schema URN, and extension schemas. Positions are 1-based (line, column).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { lint, positionOf, type Located } from '../helpers/lint';
import { WorkspaceIndex } from '../../server/src/workspace/index';
import { buildInventory } from '../../server/src/governance/inventory';

const AGENT = 'urn:ietf:params:scim:schemas:core:2.0:Agent';
const USER = 'urn:ietf:params:scim:schemas:core:2.0:User';
const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
const owners = 'owners:\n  - value: user:alice\n';

const codes = (fs: Located[]) => fs.map((f) => `${f.code}@${f.line}:${f.column}`);
const at = (text: string, snippet: string, occurrence = 0) => {
  const p = positionOf(text, snippet, occurrence);
  return `${p.line}:${p.column}`;
};

describe('the same attribute twice under different case', () => {
  test('name and Name in one resource: an error on the second, and the values differ so neither is used', () => {
    const text = `schemas: [${AGENT}]\nname: bot\n${owners}Name: other\n`;
    const f = lint({ 'a.agent.yaml': text });
    assert.deepEqual(codes(f), [`duplicate-attribute@${at(text, 'Name')}`]);
    assert.equal(
      f[0]!.message,
      '"Name" is "name" again (line 2 gives it as "name"): SCIM attribute names are case-insensitive, so this is one attribute given twice. Keep one. The two values differ, so neither is used.',
    );
    // Not required-missing: the attribute is there, twice.
    const index = new WorkspaceIndex();
    index.set('file:///ws/a.agent.yaml', text);
    const [r] = index.resources();
    assert.equal(r!.normalized.name, undefined);
    assert.equal(buildInventory(index).items[0]!.name === 'other', false);
  });

  test('the same value twice is still an error, without the conflict', () => {
    const text = `schemas: [${AGENT}]\nname: bot\n${owners}NAME: bot\n`;
    const f = lint({ 'a.agent.yaml': text });
    assert.deepEqual(codes(f), [`duplicate-attribute@${at(text, 'NAME')}`]);
    assert.doesNotMatch(f[0]!.message, /neither/);
  });

  test('nested in a complex attribute and in an item of a multi-valued one', () => {
    const text = `schemas: [${AGENT}]\nname: bot\nowners:\n  - value: user:alice\n    Value: user:bob\nprotocols:\n  - type: A2A\n    specificationUrl: https://a.example/spec\n    specifiationUrl: https://b.example/spec\n`;
    const f = lint({ 'a.agent.yaml': text }).filter((x) => x.code === 'duplicate-attribute');
    assert.deepEqual(codes(f), [`duplicate-attribute@${at(text, 'Value')}`, `duplicate-attribute@${at(text, 'specifiationUrl')}`]);
  });

  test('in JSON too', () => {
    const text = `{"schemas": ["${AGENT}"], "name": "bot", "owners": [{"value": "user:alice"}], "DisplayName": "A", "displayName": "B"}`;
    // The first key is in non-canonical case as well: that one is attribute-case's.
    assert.deepEqual(codes(lint({ 'a.agent.json': text })), [
      `attribute-case@${at(text, '"DisplayName"')}`,
      `duplicate-attribute@${at(text, '"displayName"')}`,
    ]);
  });
});

describe('attribute names qualified by their schema URN', () => {
  test('accepted as that attribute: no unknown-attribute, no required-missing, no credential-unbound cascade', () => {
    const text = `schemas: [${AGENT}]\n${AGENT}:name: bot\n${AGENT}:subject: spiffe://example.com/bot\n${owners}protocols:\n  - type: A2A\n    specificationUrl: https://bot.example/a2a\n`;
    assert.deepEqual(codes(lint({ 'a.agent.yaml': text })), []);
  });

  test('the usual checks apply to the attribute', () => {
    const text = `schemas: [${AGENT}]\nname: bot\n${owners}${AGENT}:active: "yes"\n${AGENT}:displayNam: X\n`;
    const f = lint({ 'a.agent.yaml': text });
    assert.deepEqual(codes(f), [`type-mismatch@${at(text, '"yes"')}`, `unknown-attribute@${at(text, `${AGENT}:displayNam`)}`]);
  });

  test('in JSON, and case: a non-canonical URN or attribute name is attribute-case', () => {
    const text = `{"schemas": ["${AGENT}"], "urn:ietf:params:scim:schemas:core:2.0:agent:Name": "bot", "owners": [{"value": "user:alice"}]}`;
    const f = lint({ 'a.agent.json': text });
    assert.deepEqual(codes(f), [`attribute-case@${at(text, '"urn:ietf:params:scim:schemas:core:2.0:agent:Name"')}`]);
    assert.equal(f[0]!.data?.canonical, `${AGENT}:name`);
  });

  test('qualified and plain together are one attribute given twice', () => {
    const text = `schemas: [${AGENT}]\nname: bot\n${owners}${AGENT}:name: bot\n`;
    assert.deepEqual(codes(lint({ 'a.agent.yaml': text })), [`duplicate-attribute@${at(text, `${AGENT}:name`)}`]);
  });

  test("a URN naming another resource's schema is an error", () => {
    const text = `schemas: [${AGENT}]\nname: bot\n${owners}${USER}:userName: bot\n`;
    const f = lint({ 'a.agent.yaml': text });
    assert.deepEqual(codes(f), [`unknown-attribute@${at(text, USER + ':userName')}`]);
    assert.match(f[0]!.message, /names an attribute of the User schema .* which this Agent does not use/);
  });
});

describe('extension schemas', () => {
  const user = (body: string, schemas = `[${USER}, ${ENTERPRISE}]`) => `schemas: ${schemas}\nuserName: alice\n${body}`;

  test('the enterprise User extension is validated against its definition', () => {
    const good = user(`${ENTERPRISE}:\n  employeeNumber: "42"\n  manager:\n    value: bob-id\n`);
    assert.deepEqual(codes(lint({ 'alice.agents.yaml': good })), []);
    const bad = user(`${ENTERPRISE}:\n  employeeNumber: 42\n  employeeNumbr: "42"\n`);
    assert.deepEqual(codes(lint({ 'alice.agents.yaml': bad })), [`type-mismatch@${at(bad, '42')}`, `unknown-attribute@${at(bad, 'employeeNumbr')}`]);
  });

  test('an extension attribute in URN notation', () => {
    const text = user(`${ENTERPRISE}:department: R&D\n${ENTERPRISE}:costCenter: 7\n`);
    assert.deepEqual(codes(lint({ 'alice.agents.yaml': text })), [`type-mismatch@${at(text, '7')}`]);
  });

  test('an extension used but not listed in schemas: schemas-missing on its key, with the fix data', () => {
    const text = user(`${ENTERPRISE}:\n  department: R&D\n`, `[${USER}]`);
    const f = lint({ 'alice.agents.yaml': text });
    assert.deepEqual(codes(f), [`schemas-missing@${at(text, ENTERPRISE)}`]);
    assert.deepEqual(f[0]!.data?.suggestions, [ENTERPRISE]);
  });

  test('the same extension attribute twice (object and URN notation) is a duplicate', () => {
    const text = user(`${ENTERPRISE}:\n  department: R&D\n${ENTERPRISE}:Department: Sales\n`);
    assert.deepEqual(codes(lint({ 'alice.agents.yaml': text })), [`duplicate-attribute@${at(text, `${ENTERPRISE}:Department`)}`]);
  });

  test('an extension the resource type does not have is an unknown attribute', () => {
    const text = `schemas: [${AGENT}, ${ENTERPRISE}]\nname: bot\n${owners}${ENTERPRISE}:\n  department: R&D\n`;
    const f = lint({ 'a.agent.yaml': text });
    assert.deepEqual(codes(f), [`unknown-attribute@${at(text, ENTERPRISE, 1)}`]);
  });
});

describe('messages that name another file', () => {
  test('use its workspace-relative path, not only its base name', () => {
    const bot = (name: string) => `schemas: [${AGENT}]\nname: ${name}\n${owners}externalId: x-1\n`;
    const f = lint({ 'team-a/bot.agent.yaml': bot('a'), 'team-b/bot.agent.yaml': bot('b') }).filter((x) => x.code === 'duplicate-identifier');
    assert.deepEqual(f.map((x) => x.message).sort(), [
      'externalId "x-1" is also used by team-a/bot.agent.yaml (Agent "a"); each Agent needs its own.',
      'externalId "x-1" is also used by team-b/bot.agent.yaml (Agent "b"); each Agent needs its own.',
    ]);
  });

  test('relative to the workspace root when one is known', () => {
    const index = new WorkspaceIndex();
    index.setRoots(['file:///ws']);
    index.set('file:///ws/team%20a/bot.agent.yaml', '');
    assert.equal(index.relativePath('file:///ws/team%20a/bot.agent.yaml'), 'team a/bot.agent.yaml');
  });
});

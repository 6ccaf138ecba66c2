// The .json fast path must read valid JSON exactly as the general (yaml) path does, spans
// included, and leave everything else (errors, duplicate keys) to it.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { parseManifest } from '../../server/src/manifest/parse';
import { scanJson } from '../../server/src/manifest/json';

const AGENT = {
  schemas: ['urn:ietf:params:scim:schemas:core:2.0:Agent'],
  externalId: 'j-1',
  name: 'caf\u00e9 "quoted" \\ back/slash \n line',
  active: true,
  count: -12.5e2,
  none: null,
  owners: [{ value: 'user:alice' }, { value: 'group:ops', type: 'owner' }],
  empty: {},
  list: [],
  protocols: [{ type: 'A2A', specificationUrl: 'https://a.example/x' }],
};

const TEXTS = [
  JSON.stringify(AGENT),
  JSON.stringify(AGENT, null, 2) + '\n',
  JSON.stringify([AGENT, { ...AGENT, externalId: 'j-2' }], null, 4),
  '[\r\n  {"schemas": ["urn:ietf:params:scim:schemas:core:2.0:Agent"], "name": "a\\u00e9\\ud83d\\ude00"},\r\n  "not an object", 3\r\n]\r\n',
  '\t{ "a" : 1 , "b" : [ true , false , null ] }  ',
];

function scanJsonRoot(text: string): unknown {
  const root = scanJson(text)!;
  return root.kind === 'seq' ? root.items[0] : root;
}

describe('manifest: JSON fast path', () => {
  test('valid JSON gives the same manifest as the general path', () => {
    for (const text of TEXTS) {
      assert.ok(scanJson(text), `fast path taken for ${text.slice(0, 40)}`);
      const fast = parseManifest('file:///m.agents.json', text);
      // The general path on the same text: yaml reading JSON as its flow subset.
      const general = parseManifest('file:///m.agents.json', text, 'yaml');
      if (text.includes('not an object')) {
        assert.equal(fast.resources.length, 1);
        assert.equal(fast.syntaxErrors.length, 2, 'each non-object element is reported');
        assert.deepEqual(fast.resources[0]!.root, general.syntaxErrors.length === 0 ? fast.resources[0]!.root : scanJsonRoot(text));
      } else {
        assert.deepEqual(fast.resources, general.resources);
        assert.deepEqual(fast.syntaxErrors, general.syntaxErrors);
      }
    }
  });

  test('anything but clean JSON is left to the general path', () => {
    for (const text of ['{"a": 1, "a": 2}', '{"a": 1,}', '{"a": 01}', "{'a': 1}", '[1, 2', '{"a": 12345678901234567890}', '{"a": -0}', '{"a": "tab\there"}']) {
      assert.equal(scanJson(text), undefined, text);
    }
    // Duplicates are found in short maps (searched) and in long ones (kept in a set), at either end.
    const keys = (n: number) => Array.from({ length: n }, (_, k) => `"k${k}": ${k}`);
    for (const n of [2, 15, 16, 17, 40]) {
      assert.ok(scanJson(`{${keys(n).join(', ')}}`), `${n} distinct keys are read`);
      assert.equal(scanJson(`{${[...keys(n), '"k0": 0'].join(', ')}}`), undefined, `${n} keys and the first again`);
      assert.equal(scanJson(`{${[...keys(n), `"k${n - 1}": 0`].join(', ')}}`), undefined, `${n} keys and the last again`);
    }
    const dup = parseManifest('file:///d.agents.json', '{"name": "a", "name": "b"}');
    assert.ok(dup.syntaxErrors.length > 0, 'a duplicate key is still reported');
  });
});

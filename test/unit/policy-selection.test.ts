// A policy rule runs only on files whose policies set its policy. A folder without a
// .scim-agents.yaml has empty policies (the CLI and the language server both resolve it so): no
// policy rule runs there, on any resource; each set policy runs its own rule only. Both linters,
// the index's and the lint apart, choose alike. Counted, not timed.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { lintFiles } from '../../server/src/lint/linter';
import { lintAlone } from '../../server/src/lint/apart';
import { RULES } from '../../server/src/rules/registry';
import type { Policies } from '../../server/src/config/types';
import type { ResourceRule } from '../../server/src/rules/types';
import { ownedAgent } from '../helpers/ownedAgents';
import { countChecks } from '../helpers/countChecks';

const URI = 'file:///ws/policed.agents.yaml';
const DOCUMENTS = 12;
const TEXT =
  Array.from({ length: DOCUMENTS }, (_, i) => ownedAgent('policed', i, ['protocols:', '  - type: A2A', `    specificationUrl: http://a.example/${i}`])).join(
    '\n---\n',
  ) + '\n';
const NOW = new Date('2026-12-01T00:00:00Z');

const CROSS_FILE = new Set(RULES.filter((r) => r.scope === 'workspace').map((r) => r.code));
const policyRules = RULES.filter((r): r is ResourceRule => r.scope === 'resource' && typeof r.contextual === 'object');

/** The policy checks and the codes found, by the index's linter and by the lint apart. */
function bothLinters(policies: Policies) {
  let viaIndex: string[] = [];
  let apart: string[] = [];
  const indexCounts = countChecks(() => {
    // The lint apart runs a file's own rules; the cross-file ones run later, on all files together.
    viaIndex = lintFiles([{ uri: URI, text: TEXT }], { now: NOW, policies: () => policies })
      .get(URI)!
      .map((f) => f.code)
      .filter((code) => !CROSS_FILE.has(code));
  });
  const apartCounts = countChecks(() => {
    apart = lintAlone(URI, TEXT, { profile: 'auto', now: NOW, policies }).findings.map((f) => f.code);
  });
  const ran = (counts: ReturnType<typeof countChecks>) => policyRules.map((r) => r.code).filter((code) => counts.byCode.has(code));
  return { viaIndex, apart, ranViaIndex: ran(indexCounts), ranApart: ran(apartCounts), checks: indexCounts.policies };
}

describe('policy rules run where their policy is set', () => {
  test('every policy rule names a policy', () => {
    assert.ok(policyRules.length >= 6, 'the six policies have a rule each');
    for (const r of policyRules) assert.equal(typeof (r.contextual as { policy: string }).policy, 'string', r.code);
  });

  test('empty policies (no .scim-agents.yaml): no policy rule runs', () => {
    const r = bothLinters({});
    assert.deepEqual(r.ranViaIndex, []);
    assert.deepEqual(r.ranApart, []);
    assert.equal(r.checks, 0);
    assert.deepEqual(r.apart, r.viaIndex);
  });

  test('one policy set: its rule alone runs, on every resource, and reports', () => {
    const r = bothLinters({ minOwners: 2 });
    assert.deepEqual(r.ranViaIndex, ['policy-min-owners']);
    assert.deepEqual(r.ranApart, ['policy-min-owners']);
    assert.equal(r.checks, DOCUMENTS);
    assert.equal(r.viaIndex.filter((c) => c === 'policy-min-owners').length, DOCUMENTS, 'one owner where two are required');
    assert.deepEqual(r.apart, r.viaIndex);
  });

  test('a policy set to a value that asks nothing still runs its rule, which reports nothing', () => {
    const r = bothLinters({ requireHttps: false, minOwners: 1 });
    assert.deepEqual(r.ranViaIndex.sort(), ['policy-https-urls', 'policy-min-owners']);
    assert.deepEqual(r.ranApart.sort(), ['policy-https-urls', 'policy-min-owners']);
    assert.deepEqual(
      r.viaIndex.filter((c) => c.startsWith('policy-')),
      [],
    );
    const https = bothLinters({ requireHttps: true });
    assert.equal(https.viaIndex.filter((c) => c === 'policy-https-urls').length, DOCUMENTS, 'http:// specification URLs');
    assert.deepEqual(https.apart, https.viaIndex);
  });
});

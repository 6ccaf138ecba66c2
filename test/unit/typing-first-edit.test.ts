// The first edit after opening a large file costs what later edits cost: only the edited document
// is bound again and checked by the resource rules (whose findings on the others are kept, those
// of a rule whose messages name lines too when it found nothing), the policy rules do not run on a
// manifest whose policies set none, and the other documents keep their bindings. Counted, not timed.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { WorkspaceIndex } from '../../server/src/workspace/index';
import { lintCrossFile, lintFile, type LintOptions } from '../../server/src/lint/linter';
import { RULES } from '../../server/src/rules/registry';
import { ownedAgent } from '../helpers/ownedAgents';
import { countChecks } from '../helpers/countChecks';

const URI = 'file:///ws/typed.agents.yaml';
const DOCUMENTS = 40;

const agent = (i: number) => ownedAgent('typed', i, ['protocols:', '  - type: A2A', `    specificationUrl: https://a.example/${i}`]);

describe('typing: the first edit after opening', () => {
  test('checks and binds the edited document only, as later edits do', () => {
    let text = Array.from({ length: DOCUMENTS }, (_, i) => agent(i)).join('\n---\n') + '\n';
    const index = new WorkspaceIndex();
    // As the language server asks for a folder without a .scim-agents.yaml: empty policies, memo keys per version.
    const options: LintOptions = { policies: () => ({}) };
    const validate = (version: number) =>
      countChecks(() => {
        index.set(URI, text, version);
        lintFile(index.get(URI)!, options, index.memo, 'settings');
        lintCrossFile(index, URI, options, `epoch:${index.crossGeneration}`);
      });
    const keptRules = RULES.filter((r) => r.scope === 'resource' && !r.contextual && !r.namesLines).length;
    const namesLinesRules = RULES.filter((r) => r.scope === 'resource' && r.namesLines).length;
    const opened = validate(1);
    assert.equal(opened.kept, DOCUMENTS * keptRules, 'opening checks every document');
    assert.equal(opened.policies, 0, 'no policy rule runs on a manifest without policies');
    const before = index.get(URI)!.resources;
    const generation = index.crossGeneration;
    for (let version = 2; version <= 4; version++) {
      // One character at the end of the middle document's displayName: every document after it moves.
      const at = text.indexOf('\n', text.indexOf(`displayName: Typed ${DOCUMENTS / 2}`));
      text = text.slice(0, at) + 'x' + text.slice(at);
      const edit = validate(version);
      assert.deepEqual(
        { kept: edit.kept, namesLines: edit.namesLines, policies: edit.policies },
        { kept: keptRules, namesLines: namesLinesRules, policies: 0 },
        `edit ${version - 1}: the edited document only`,
      );
      const after = index.get(URI)!.resources;
      after.forEach((r, i) => (i === DOCUMENTS / 2 ? assert.notEqual(r, before[i]) : assert.equal(r, before[i], `document ${i} keeps its binding`)));
      assert.equal(index.crossGeneration, generation, "a displayName is no other file's business");
    }
  });
});

// One declaration per rule: the registry, the editor's fix lookup, package.json's
// `SCIMAgents.rules` setting, the help pages under docs/rules/ and the README catalogue must all
// say what the rule files declare.
import { describe, test } from 'node:test';
import { CONFIG_PROBLEM_CODE } from '../../server/src/config/types';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { FIX_PROVIDERS, fixesFor } from '../../server/src/lsp/codeActions';
import { RULE_DOCS_DIR, rulePage, rulePagePath, ruleSettingSchema } from '../../server/src/rules/catalogue';
import { RULES, ruleFor } from '../../server/src/rules/registry';

const read = (rel: string) => fs.readFileSync(path.resolve(rel), 'utf8');

describe('rule declarations and everything derived from them', () => {
  test('codes are unique and every declaration is complete', () => {
    assert.equal(new Set(RULES.map((r) => r.code)).size, RULES.length);
    for (const r of RULES) {
      assert.match(r.code, /^[a-z]+(-[a-z0-9]+)+$/, r.code);
      assert.ok(r.title.length > 10 && !r.title.includes('\n'), `${r.code}: a one-line title`);
      assert.ok(r.docs.length > 40, `${r.code}: help text`);
    }
  });

  test('package.json contributes the rules setting generated from the declarations', () => {
    const pkg = JSON.parse(read('package.json')) as {
      contributes: { configuration: { properties: Record<string, { properties: Record<string, { markdownDescription: string }> }> } };
    };
    const setting = pkg.contributes.configuration.properties['SCIMAgents.rules'];
    assert.deepEqual(setting, ruleSettingSchema(RULES), 'run `node esbuild.mjs` to regenerate');
    assert.deepEqual(
      Object.keys(setting.properties),
      RULES.map((r) => r.code),
    );
    for (const r of RULES) assert.match(setting.properties[r.code].markdownDescription, new RegExp(`Default: \`${r.defaultSeverity}\``));
  });

  test('one shipped help page per rule, as generated, and no other', () => {
    const pages = fs
      .readdirSync(path.resolve(RULE_DOCS_DIR))
      .filter((n) => n.endsWith('.md'))
      .sort();
    assert.deepEqual(pages, RULES.map((r) => `${r.code}.md`).sort());
    for (const r of RULES) assert.equal(read(rulePagePath(r.code)), rulePage(r), `${r.code}: run \`node esbuild.mjs\``);
    assert.match(read('.vscodeignore'), /^!docs\/rules\/\*\*$/m, 'the pages ship in the vsix');
  });

  test('the README catalogue lists every rule, in order, with its default severity', () => {
    const readme = read('README.md');
    const section = readme.slice(readme.indexOf('## Rule catalogue'), readme.indexOf('\n## ', readme.indexOf('## Rule catalogue') + 5));
    const rows = [...section.matchAll(/^\| <a id="rule-([a-z0-9-]+)"><\/a>`([a-z0-9-]+)` \| (\w+) \|/gm)];
    // config-invalid is no rule of manifests but the configuration file's own finding; it closes the table.
    assert.deepEqual(
      rows.map((m) => m[2]),
      [...RULES.map((r) => r.code), CONFIG_PROBLEM_CODE],
    );
    for (const m of rows.filter((r) => r[2] !== CONFIG_PROBLEM_CODE)) {
      assert.equal(m[1], m[2], 'anchor matches the code');
      assert.equal(m[3], ruleFor(m[2]!)!.defaultSeverity, `${m[2]}: default severity in the README`);
    }
  });

  test('every declared fix has its provider, and every provider is declared by a rule', () => {
    const declared = new Set(RULES.flatMap((r) => r.fixes));
    assert.deepEqual([...declared].sort(), Object.keys(FIX_PROVIDERS).sort());
    for (const r of RULES)
      assert.deepEqual(
        fixesFor(r.code),
        r.fixes.map((f) => FIX_PROVIDERS[f]),
      );
    assert.deepEqual(ruleFor('required-missing')!.fixes, [], 'no fix can guess a required value');
    assert.deepEqual(fixesFor('not-a-rule'), []);
  });
});

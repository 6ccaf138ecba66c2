// .scim-agents.yaml: its own checks (with locations), the subject pattern language (linear),
// and precedence through the CLI: nearest file, overrides by glob, flags over the file.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { parseConfig } from '../../server/src/config/parse';
import { compileWildcard } from '../../server/src/config/wildcard';
import { POLICY_CODES } from '../../server/src/config/types';
import { RULE_CODES } from '../../server/src/rules/registry';
import { LineIndex } from '../../server/src/manifest/text';
import { repoPath } from '../helpers/repo';
import { makeTempDir } from '../helpers/sandbox';
import { runIn } from '../helpers/cli';
import { ConfigResolver } from '../../server/src/config/discover';

const AGENT = 'urn:ietf:params:scim:schemas:core:2.0:Agent';
const noOwner = (name: string) => `schemas: [${AGENT}]\nname: ${name}\nsubject: ${name}\n`;
const oneOwner = (name: string, extra = '') => `schemas: [${AGENT}]\nname: ${name}\nsubject: ${name}\nowners:\n  - value: user:alice\n${extra}`;

function at(text: string, offset: number): string {
  const p = new LineIndex(text).positionAt(offset);
  return `${p.line + 1}:${p.character + 1}`;
}

describe('parseConfig', () => {
  test('a valid file: everything applies, no problems', () => {
    const text =
      'profile: abbey-00\nrules:\n  owner-missing: warning\npolicies:\n  minOwners: 2\n  subjectPattern: "spiffe://example.com/**"\noverrides:\n  - files: "legacy/**"\n    rules: { owner-missing: off }\nbaseline: .scim-agents-baseline.json\n';
    const { config, problems } = parseConfig(text, { knownCodes: RULE_CODES });
    assert.deepEqual(problems, []);
    assert.equal(config.profile, 'abbey-00');
    assert.equal(config.policies?.minOwners, 2);
    assert.deepEqual(config.overrides?.[0]?.rules, { 'owner-missing': 'off' });
  });

  test('problems point at the key or value; the good parts still apply', () => {
    const text = [
      'profile: abbey-01',
      'rules:',
      '  owner-missing: loud',
      '  attribute-case: off',
      '  no-such-rule: error',
      'policies:',
      '  minOwners: two',
      '  requireHttps: true',
      '  subjectPatern: "x*"',
      'overrides:',
      '  - rules: { owner-missing: off }',
      'baseline: ../../home/.bashrc',
      'colour: blue',
      '',
    ].join('\n');
    const { config, problems } = parseConfig(text, { knownCodes: RULE_CODES });
    const found = problems.map((p) => `${at(text, p.span.start)} ${p.severity} ${p.message}`);
    const expect = (re: RegExp, where: string) =>
      assert.ok(
        found.some((f) => f.startsWith(where + ' ') && re.test(f)),
        `${re} at ${where} in\n${found.join('\n')}`,
      );
    expect(/profile must be one of "abbey-00", "wzdk-00", "auto"/, '1:10');
    expect(/rules\.owner-missing must be one of/, '3:18');
    expect(/warning Unknown rule code "no-such-rule"/, '5:3');
    expect(/policies\.minOwners must be integer/, '7:14');
    expect(/Unknown key "subjectPatern" in policies/, '9:3');
    expect(/overrides\.0 needs "files"/, '11:5');
    expect(/baseline must be a relative path inside/, '12:11');
    expect(/Unknown key "colour"/, '13:1');
    assert.equal(config.profile, undefined);
    assert.deepEqual(config.rules, { 'attribute-case': 'off', 'no-such-rule': 'error' });
    assert.deepEqual(config.policies, { requireHttps: true });
    assert.deepEqual(config.overrides, []);
    assert.equal(config.baseline, undefined);
  });

  test('YAML syntax errors, aliases bombs and oversized files are problems, not crashes', () => {
    const bad = parseConfig('rules: [unclosed\n');
    assert.equal(bad.problems[0]!.severity, 'error');
    assert.match(bad.problems[0]!.message, /^YAML:/);
    let bomb = 'a: &a [x,x,x,x,x,x,x,x,x,x]\n';
    for (let i = 1; i < 9; i++)
      bomb += `${'abcdefghij'[i]}: &${'abcdefghij'[i]} [${Array(10)
        .fill('*' + 'abcdefghij'[i - 1])
        .join(',')}]\n`;
    assert.match(parseConfig(bomb).problems[0]!.message, /alias/i);
    assert.match(parseConfig('#'.repeat(300 * 1024)).problems[0]!.message, /larger than/);
  });

  test('the shipped schema offers every policy code and names only known codes', () => {
    const schema = JSON.parse(fs.readFileSync(repoPath('schemas/config.schema.json'), 'utf8'));
    const listed = Object.keys(schema.$defs.rules.properties);
    assert.deepEqual(
      listed.filter((c) => !RULE_CODES.includes(c)),
      [],
    );
    for (const c of POLICY_CODES) assert.ok(listed.includes(c) && RULE_CODES.includes(c), c);
    const pkg = JSON.parse(fs.readFileSync(repoPath('package.json'), 'utf8'));
    assert.ok(
      pkg.contributes.yamlValidation.some(
        (v: { fileMatch: string | string[]; url: string }) => [v.fileMatch].flat().includes('.scim-agents.yaml') && v.url === './schemas/config.schema.json',
      ),
    );
  });
});

describe('subjectPattern: a restricted glob matched without backtracking', () => {
  test('semantics', () => {
    const w = compileWildcard('spiffe://example.com/agents/*');
    assert.ok(w.test('spiffe://example.com/agents/bot'));
    assert.ok(!w.test('spiffe://example.com/agents/a/b'), '* stops at /');
    assert.ok(!w.test('spiffe://evil.com/agents/bot'));
    assert.ok(compileWildcard('spiffe://example.com/**').test('spiffe://example.com/a/b/c'));
    assert.ok(compileWildcard('*@agents.example.com').test('docs-mcp@agents.example.com'));
    assert.ok(compileWildcard('a?c').test('abc') && !compileWildcard('a?c').test('a/c'));
    assert.ok(compileWildcard('x.*').test('x.y') && !compileWildcard('x.*').test('xzy'), '. is literal');
    assert.ok(compileWildcard('*x*y').test('x/xy') === false && compileWildcard('**x*y').test('x/xy'), 'no greedy mistakes');
    assert.throws(() => compileWildcard('a'.repeat(257)), /at most 256/);
  });

  test('cost grows linearly with the input on a pattern that makes backtracking matchers explode', () => {
    const w = compileWildcard('*a*a*a*a*a*a*a*a*b');
    const time = (n: number) => {
      const input = 'a'.repeat(n);
      const t0 = process.hrtime.bigint();
      for (let i = 0; i < 5; i++) assert.equal(w.test(input), false);
      return Number(process.hrtime.bigint() - t0);
    };
    time(2000);
    const small = Math.min(time(4000), time(4000));
    const large = Math.min(time(32000), time(32000));
    assert.ok(large / small < 8 * 3, `8× input cost ${(large / small).toFixed(1)}× (linear: about 8×)`);
  });
});

describe('precedence through `scim-agents lint` (flags > nearest config > defaults)', () => {
  let dir: string;
  const lint = async (...args: string[]) => {
    const run = await runIn(dir, ['lint', '--format', 'json', ...args]);
    return {
      code: run.code,
      findings: JSON.parse(run.stdout) as { file: string; code: string; severity: string; line: number; column: number; message: string }[],
    };
  };
  const of = (findings: { file: string; code: string; severity: string }[], file: string, code: string) =>
    findings.filter((f) => f.file === file && f.code === code).map((f) => f.severity);
  before(async () => {
    dir = await makeTempDir('config-precedence-');
    const write = (p: string, text: string) => {
      fs.mkdirSync(path.dirname(path.join(dir, p)), { recursive: true });
      fs.writeFileSync(path.join(dir, p), text);
    };
    write(
      '.scim-agents.yaml',
      'rules:\n  owner-missing: warning\npolicies:\n  minOwners: 2\noverrides:\n  - files: "legacy/**"\n    rules: { owner-missing: info }\n    policies: { minOwners: 1 }\n',
    );
    write('root.agent.yaml', noOwner('root-bot'));
    write('owned.agent.yaml', oneOwner('owned-bot'));
    write('legacy/old.agent.yaml', noOwner('old-bot'));
    write('legacy/owned.agent.yaml', oneOwner('legacy-owned'));
    write('team/.scim-agents.yaml', 'rules:\n  owner-missing: off\npolicies:\n  requireHttps: true\n');
    write('team/t.agent.yaml', noOwner('team-bot') + 'protocols:\n  - type: A2A\n    specificationUrl: http://team.example/card\n');
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  test('the nearest file applies, with its overrides by glob; a nested file replaces the outer one', async () => {
    const { findings } = await lint();
    assert.deepEqual(of(findings, 'root.agent.yaml', 'owner-missing'), ['warning']);
    assert.deepEqual(of(findings, 'owned.agent.yaml', 'policy-min-owners'), ['error'], 'minOwners 2 at the top');
    assert.deepEqual(of(findings, 'legacy/old.agent.yaml', 'owner-missing'), ['info'], 'override by glob');
    assert.deepEqual(of(findings, 'legacy/owned.agent.yaml', 'policy-min-owners'), [], 'the override lowers minOwners');
    assert.deepEqual(of(findings, 'team/t.agent.yaml', 'owner-missing'), [], 'the nearest file turns it off');
    assert.deepEqual(of(findings, 'team/t.agent.yaml', 'policy-min-owners'), [], "the outer file's policies do not reach a folder with its own file");
    assert.deepEqual(of(findings, 'team/t.agent.yaml', 'policy-https-urls'), ['error']);
  });

  test('flags win over the file; --config replaces discovery', async () => {
    const flagged = await lint('--rule', 'owner-missing=error', '--rule', 'policy-min-owners=warning');
    assert.deepEqual(of(flagged.findings, 'root.agent.yaml', 'owner-missing'), ['error']);
    assert.deepEqual(of(flagged.findings, 'team/t.agent.yaml', 'owner-missing'), ['error']);
    assert.deepEqual(of(flagged.findings, 'owned.agent.yaml', 'policy-min-owners'), ['warning']);
    const explicit = await lint('--config', 'team/.scim-agents.yaml');
    assert.deepEqual(of(explicit.findings, 'root.agent.yaml', 'owner-missing'), []);
    assert.deepEqual(of(explicit.findings, 'owned.agent.yaml', 'policy-min-owners'), []);
    const missing = await runIn(dir, ['lint', '--config', 'nope.yaml']);
    assert.equal(missing.code, 2);
  });

  test('problems of a configuration file are findings with its location, and fail the run', async () => {
    fs.writeFileSync(path.join(dir, 'team/.scim-agents.yaml'), 'rules:\n  owner-missing: off\npolicies:\n  requireHttps: yes-please\n');
    const { code, findings } = await lint();
    const problem = findings.find((f) => f.file === 'team/.scim-agents.yaml');
    assert.ok(problem, JSON.stringify(findings));
    assert.equal(problem.code, 'config-invalid');
    assert.deepEqual([problem.line, problem.column], [4, 17]);
    assert.equal(code, 1);
    assert.deepEqual(of(findings, 'team/t.agent.yaml', 'owner-missing'), [], 'the valid part still applies');
  });
});

describe('ConfigResolver: the nearest file, each folder looked at once', () => {
  let dir: string;
  before(async () => {
    dir = await makeTempDir('config-nearest-');
    for (const d of ['a/b/c/d', 'a/b/c/x/y', 'a/e']) fs.mkdirSync(path.join(dir, d), { recursive: true });
    fs.writeFileSync(path.join(dir, 'a/.scim-agents.yaml'), 'rules: {}\n');
    fs.writeFileSync(path.join(dir, 'a/b/c/x/.scim-agents.yaml'), 'rules: {}\n');
    // A folder named like the file is not one.
    fs.mkdirSync(path.join(dir, 'a/b/.scim-agents.yaml'));
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const file = (p: string) => path.join(dir, p);

  test('folders that share their parents find the same file; a nearer one wins below it', () => {
    const resolver = new ConfigResolver();
    // Looked up deepest first, so that the shallower folders' answers come from what the deep ones learnt.
    assert.equal(resolver.configFor(file('a/b/c/x/y/one.agent.yaml'))?.path, file('a/b/c/x/.scim-agents.yaml'));
    assert.equal(resolver.configFor(file('a/b/c/d/two.agent.yaml'))?.path, file('a/.scim-agents.yaml'));
    assert.equal(resolver.configFor(file('a/b/c/three.agent.yaml'))?.path, file('a/.scim-agents.yaml'));
    assert.equal(resolver.configFor(file('a/b/c/x/four.agent.yaml'))?.path, file('a/b/c/x/.scim-agents.yaml'));
    assert.equal(resolver.configFor(file('a/e/five.agent.yaml'))?.path, file('a/.scim-agents.yaml'));
    assert.equal(resolver.configFor(file('six.agent.yaml')), undefined);
  });

  test('nothing above the folder it stops at; a file added is found after clear()', () => {
    const resolver = new ConfigResolver({ stopAt: file('a/b') });
    assert.equal(resolver.configFor(file('a/b/c/d/one.agent.yaml')), undefined, 'a/.scim-agents.yaml is above the stop');
    assert.equal(resolver.configFor(file('a/b/c/x/y/two.agent.yaml'))?.path, file('a/b/c/x/.scim-agents.yaml'));
    fs.writeFileSync(path.join(dir, 'a/b/c/.scim-agents.yaml'), 'rules: {}\n');
    assert.equal(resolver.configFor(file('a/b/c/d/one.agent.yaml')), undefined, 'remembered until cleared');
    resolver.clear();
    assert.equal(resolver.configFor(file('a/b/c/d/one.agent.yaml'))?.path, file('a/b/c/.scim-agents.yaml'));
  });
});

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Ajv2020 from 'ajv/dist/2020';
import { runCli } from '../../server/src/cli/main';
import type { CliIO } from '../../server/src/cli/io';
import { RULES } from '../../server/src/rules/registry';
import sarifSchema from '../fixtures/sarif-2.1.0-subset.schema.json';

const AGENT = 'urn:ietf:params:scim:schemas:core:2.0:Agent';
let dir: string;

async function cli(args: string[], cwd = dir): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const io: CliIO = { stdout: (t) => (out += t), stderr: (t) => (err += t), env: {}, cwd, isTTY: false, readStdin: async () => '' };
  const code = await runCli(args, io);
  return { code, out, err };
}

before(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'scim-lint-'));
  fs.writeFileSync(path.join(dir, 'good.agent.yaml'), `schemas: [${AGENT}]\nname: good\nowners:\n  - value: user:alice\n`);
  fs.writeFileSync(path.join(dir, 'bad.agent.yaml'), `schemas: [${AGENT}]\nname: bad\nDisplayName: Bad, bad agent\n`);
  fs.writeFileSync(path.join(dir, 'warn.agent.yaml'), `schemas: [${AGENT}]\nname: warn\nowners:\n  - value: user:alice\nDisplayName: W\n`);
  fs.writeFileSync(path.join(dir, 'notes.txt'), 'not a manifest');
});
after(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('scim-agents lint', () => {
  test('text output: file:line:col, severity, message, code, summary; exit 1 on errors', async () => {
    const r = await cli(['lint', '.']);
    assert.equal(r.code, 1);
    assert.match(r.out, /^bad\.agent\.yaml:2:1 {2}error +This agent has no owner.* {2}owner-missing$/m);
    assert.match(r.out, /^bad\.agent\.yaml:3:1 {2}warning {2}.* {2}attribute-case$/m);
    assert.match(r.out, /3 problems \(1 error, 2 warnings\) in 3 files\.\n$/);
  });

  test('exit 0 with warnings only; --max-warnings turns them into a failure', async () => {
    assert.equal((await cli(['lint', 'warn.agent.yaml'])).code, 0);
    const r = await cli(['lint', 'warn.agent.yaml', '--max-warnings', '0']);
    assert.equal(r.code, 1);
    assert.match(r.err, /Too many warnings: 1/);
    assert.equal((await cli(['lint', 'warn.agent.yaml', '--max-warnings', '1'])).code, 0);
  });

  test('--rule overrides a severity, and off silences it', async () => {
    assert.equal((await cli(['lint', 'bad.agent.yaml', '--rule', 'owner-missing=warning'])).code, 0);
    const r = await cli(['lint', 'bad.agent.yaml', '--rule', 'owner-missing=off', '--rule', 'attribute-case=off', '--format', 'json']);
    assert.deepEqual(JSON.parse(r.out), []);
  });

  test('json output: one array of {file,line,column,endLine,endColumn,severity,code,message}', async () => {
    const r = await cli(['lint', '--format', 'json', 'bad.agent.yaml']);
    const findings = JSON.parse(r.out) as Record<string, unknown>[];
    assert.ok(Array.isArray(findings) && findings.length === 2);
    for (const f of findings) {
      assert.deepEqual(Object.keys(f).sort(), ['code', 'column', 'endColumn', 'endLine', 'file', 'line', 'message', 'severity']);
    }
    assert.deepEqual(findings[0], {
      file: 'bad.agent.yaml',
      line: 2,
      column: 1,
      endLine: 2,
      endColumn: 5,
      severity: 'error',
      code: 'owner-missing',
      message: findings[0]!.message,
    });
  });

  test('sarif output validates against the SARIF 2.1.0 shape and lists every rule', async () => {
    const r = await cli(['lint', '--format', 'sarif', '.']);
    assert.equal(r.code, 1);
    const log = JSON.parse(r.out);
    const validate = new Ajv2020({ strict: false, validateFormats: false }).compile(sarifSchema);
    assert.ok(validate(JSON.parse(r.out)), JSON.stringify(validate.errors));
    const run = log.runs[0];
    assert.deepEqual(
      run.tool.driver.rules.map((x: { id: string }) => x.id),
      RULES.map((x) => x.code),
    );
    assert.equal(run.results.length, 3);
    const owner = run.results.find((x: { ruleId: string }) => x.ruleId === 'owner-missing');
    assert.equal(owner.level, 'error');
    assert.equal(owner.locations[0].physicalLocation.artifactLocation.uri, 'bad.agent.yaml');
    assert.equal(run.tool.driver.rules[owner.ruleIndex].id, 'owner-missing');
    // Help travels inline: no link to a site that does not exist.
    assert.ok(!/github\.com\/scim-agents/.test(r.out), 'no dead project link');
    for (const rule of run.tool.driver.rules) {
      assert.equal(rule.helpUri, undefined, rule.id);
      assert.match(rule.help.markdown, new RegExp(`^# \`${rule.id}\``), rule.id);
    }
  });

  test('sarif artifact URIs keep `#`, `?`, `%` and spaces in the path (each segment percent-encoded)', async () => {
    const names = fs.mkdtempSync(path.join(os.tmpdir(), 'scim-lint-uri-'));
    try {
      fs.mkdirSync(path.join(names, 'names'));
      const files = ['a#b.agent.yaml', 'q?x.agent.yaml', '50% off.agent.yaml'];
      for (const f of files) fs.writeFileSync(path.join(names, 'names', f), `schemas: [${AGENT}]\nname: x\nDisplayName: X\n`);
      const r = await cli(['lint', '--format', 'sarif', 'names'], names);
      const log = JSON.parse(r.out);
      const validate = new Ajv2020({ strict: false, validateFormats: false }).compile(sarifSchema);
      assert.ok(validate(JSON.parse(r.out)), JSON.stringify(validate.errors));
      const uris: string[] = [...new Set<string>(log.runs[0].results.map((x: any) => x.locations[0].physicalLocation.artifactLocation.uri))].sort();
      assert.deepEqual(uris, ['names/50%25%20off.agent.yaml', 'names/a%23b.agent.yaml', 'names/q%3Fx.agent.yaml']);
      for (const uri of uris) {
        // Read the way code scanning reads it: relative to %SRCROOT%, no fragment, no query.
        const url = new URL(uri, 'file:///src/');
        assert.equal(url.hash + url.search, '', uri);
        assert.ok(files.includes(decodeURIComponent(url.pathname.slice('/src/names/'.length))), uri);
      }
    } finally {
      fs.rmSync(names, { recursive: true, force: true });
    }
  });

  test('github output: one escaped workflow annotation per finding', async () => {
    const r = await cli(['lint', '--format', 'github', 'bad.agent.yaml']);
    const lines = r.out.trim().split('\n');
    assert.equal(lines.length, 2);
    assert.match(lines[0]!, /^::error file=bad\.agent\.yaml,line=2,col=1,endLine=2,endColumn=5,title=scim-agents owner-missing::This agent has no owner/);
    assert.match(lines[1]!, /^::warning file=bad\.agent\.yaml,line=3,/);
    assert.ok(!/\n/.test(lines[1]!.slice(2)));
  });

  test('usage errors exit 2 with a message', async () => {
    for (const args of [
      ['lint', '--format', 'xml'],
      ['lint', '--rule', 'nope=error'],
      ['lint', '--profile', 'x'],
      ['lint', 'missing/*.agent.yaml'],
      ['lint', '--bogus'],
    ]) {
      const r = await cli(args);
      assert.equal(r.code, 2, args.join(' '));
      assert.match(r.err, /scim-agents lint: /);
    }
    assert.equal((await cli(['frobnicate'])).code, 2);
  });

  test('globs select files; explicit files are read whatever their name', async () => {
    const r = await cli(['lint', '--format', 'json', '*.agent.yaml']);
    assert.equal(new Set((JSON.parse(r.out) as { file: string }[]).map((f) => f.file)).size, 2);
    const t = await cli(['lint', 'notes.txt', '--format', 'json']);
    assert.equal(t.code, 1);
    assert.ok((JSON.parse(t.out) as { code: string }[]).some((f) => f.code === 'syntax-error' || f.code === 'schemas-missing'));
  });

  test('a file that is not UTF-8 gets a finding, not a crash', async () => {
    fs.writeFileSync(path.join(dir, 'latin1.agent.yaml'), Buffer.from([0x6e, 0x61, 0x6d, 0x65, 0x3a, 0x20, 0xe9, 0x0a]));
    const r = await cli(['lint', 'latin1.agent.yaml', '--format', 'json']);
    fs.rmSync(path.join(dir, 'latin1.agent.yaml'));
    assert.equal(r.code, 1);
    assert.match(JSON.parse(r.out)[0].message, /not valid UTF-8/);
  });

  test('a 5,000-resource manifest lints without error', async () => {
    const big = path.join(dir, 'big');
    fs.mkdirSync(big);
    const docs: string[] = [];
    for (let i = 0; i < 5000; i++) {
      docs.push(
        `schemas: [${AGENT}]\nexternalId: agent-${i}\nname: agent-${i}\ndisplayName: Agent ${i}\nactive: true\nowners:\n  - value: user:alice\nprotocols:\n  - type: MCP-Server\n    specificationUrl: https://example.com/${i}.json\nsubject: agent-${i}\n`,
      );
    }
    fs.writeFileSync(path.join(big, 'many.agents.yaml'), docs.join('---\n'));
    const r = await cli(['lint', 'big', '--format', 'json']);
    assert.equal(r.code, 0, r.err);
    assert.deepEqual(JSON.parse(r.out), []);
  });
});

// Plans for review against the sandbox: the Markdown comment (escaped, nothing secret), the
// versioned JSON validated against schemas/plan.schema.json, and --target on plan and apply.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import Ajv2020 from 'ajv/dist/2020';
import { repoPath } from '../helpers/repo';
import { makeTempDir, withSandbox, type TestSandbox } from '../helpers/sandbox';
import { runIn } from '../helpers/cli';

const TOKEN = 'sbx-plan-review-token-93e1';
const AGENT = 'urn:ietf:params:scim:schemas:core:2.0:Agent';
const HOSTILE = [
  `schemas: [${AGENT}]`,
  'externalId: hostile',
  'name: hostile',
  "displayName: '<img src=x onerror=alert(1)> | cell | ``` @octocat [link](https://evil.example) </details>'",
  'owners:',
  '  - value: user:alice',
  '',
].join('\n');

describe('plan --format markdown|json and --target against the sandbox', () => {
  let sandbox: TestSandbox;
  let dir: string;
  const schema = JSON.parse(fs.readFileSync(repoPath('schemas/plan.schema.json'), 'utf8'));
  const validate = new Ajv2020({ allErrors: true, strict: true }).compile(schema);
  const cli = (...args: string[]) => runIn(dir, [...args, '--endpoint', sandbox.baseUrl], { SCIM_AGENTS_TOKEN: TOKEN });
  const valid = (doc: unknown) => assert.ok(validate(doc), JSON.stringify(validate.errors, null, 2));

  before(async () => {
    sandbox = await withSandbox({ token: TOKEN });
    dir = await makeTempDir('plan-review-');
    for (const f of fs.readdirSync(repoPath('examples'))) if (f.endsWith('.yaml')) fs.copyFileSync(path.join(repoPath('examples'), f), path.join(dir, f));
    fs.writeFileSync(path.join(dir, 'hostile.agent.yaml'), HOSTILE);
  });
  after(async () => {
    await sandbox.dispose();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('markdown: host, counts, one row per change, details; manifest text cannot inject markup', async () => {
    const run = await cli('plan', '--format', 'markdown');
    assert.equal(run.code, 0, run.stderr);
    const md = run.stdout;
    assert.match(md, new RegExp(`^### SCIM Agents plan for \`${new URL(sandbox.baseUrl).host.replace(/\./g, '\\.')}\``));
    assert.match(md, /\*\*5\*\* to create, \*\*0\*\* to update, \*\*0\*\* unchanged, \*\*0\*\* cannot be applied/);
    const rows = md.split('\n').filter((l) => l.startsWith('| ➕'));
    assert.equal(rows.length, 5);
    // Every row has exactly the table's 6 unescaped pipes, so no value split a cell.
    for (const row of rows) assert.equal(row.match(/(?<!\\)\|/g)!.length, 6, row);
    assert.match(md, /\| `Agent "support-triage"` \| `Agent` \| `support-agent\.agent\.yaml:\d+` \|/);
    assert.equal(md.match(/^<details>$/gm)!.length, 5);
    // Outside the fenced blocks (where text is literal), only our own markup remains.
    const prose = md.replace(/^(`{3,})diff\n[\s\S]*?^\1$/gm, '');
    assert.equal(prose.match(/<\/details>/g)!.length, 5, 'a value closed no <details> of its own');
    assert.ok(!prose.includes('<img'), 'HTML from a manifest never reaches the comment as HTML');
    assert.ok(!prose.includes('@octocat'), 'no mention outside code');
    assert.ok(!prose.includes('](https://evil'), 'no link outside code');
    // The hostile value sits inside a fence longer than the backticks it contains.
    assert.match(md, /````diff\n[\s\S]*\+ displayName = "<img[^\n]*```[^\n]*\n[\s\S]*?````/);
    assert.ok(!md.includes(TOKEN));
  });

  test('json: formatVersion 1, valid against the shipped schema, for creates, updates, unchanged and cannot-apply', async () => {
    const first = await cli('plan', '--format', 'json');
    assert.equal(first.code, 0, first.stderr);
    const doc = JSON.parse(first.stdout);
    valid(doc);
    assert.equal(doc.formatVersion, 1);
    assert.equal(doc.items[0].file.endsWith('.yaml'), true);
    assert.equal(typeof doc.items[0].line, 'number');
    const applied = await cli('apply', '--yes');
    assert.equal(applied.code, 0, applied.stdout + applied.stderr);
    const file = path.join(dir, 'mcp-server.agent.yaml');
    fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace('displayName: Product Docs MCP Server', 'displayName: Docs MCP'));
    fs.writeFileSync(path.join(dir, 'broken.agent.yaml'), `schemas: [${AGENT}]\nname: broken\n`);
    const second = await cli('plan', '--format', 'json');
    assert.equal(second.code, 1, 'a resource cannot be applied');
    const after = JSON.parse(second.stdout);
    valid(after);
    assert.deepEqual(new Set(after.items.map((i: { action: string }) => i.action)), new Set(['update', 'unchanged', 'cannot-apply']));
    const update = after.items.find((i: { action: string }) => i.action === 'update');
    assert.deepEqual(update.diff, [{ op: 'replace', path: 'displayName', value: 'Docs MCP' }]);
    const md = await cli('plan', '--format', 'markdown');
    assert.match(md.stdout, /- displayName = "Product Docs MCP Server"\n\+ displayName = "Docs MCP"/);
    assert.match(md.stdout, /\| ⛔ cannot apply \| `Agent "broken"`/);
    assert.ok(!/\| unchanged/.test(md.stdout), 'unchanged resources get no row');
    fs.rmSync(path.join(dir, 'broken.agent.yaml'));
  });

  test('--target limits plan and apply to a resource and what it depends on', async () => {
    fs.writeFileSync(
      path.join(dir, 'new.agents.yaml'),
      [
        `schemas: [${AGENT}]`,
        'externalId: t-parent',
        'name: t-parent',
        'owners:',
        '  - value: user:alice',
        '---',
        `schemas: [${AGENT}]`,
        'externalId: t-child',
        'name: t-child',
        'owners:',
        '  - value: user:alice',
        'parent:',
        '  value: agent:t-parent',
        '---',
        `schemas: [${AGENT}]`,
        'externalId: t-other',
        'name: t-other',
        'owners:',
        '  - value: user:alice',
        '',
      ].join('\n'),
    );
    const all = JSON.parse((await cli('plan', '--format', 'json')).stdout);
    assert.equal(all.counts.create, 3);
    const child = await cli('plan', '--format', 'json', '--target', 'agent:t-child');
    const doc = JSON.parse(child.stdout);
    valid(doc);
    assert.deepEqual(doc.items.map((i: { label: string }) => i.label).sort(), ['Agent "t-child"', 'Agent "t-parent"']);
    assert.deepEqual(doc.counts, { create: 2, update: 1 - 1, unchanged: 0, cannotApply: 0 });
    const two = JSON.parse((await cli('plan', '--format', 'json', '--target', 't-other', '--target', 'agent:docs-mcp')).stdout);
    assert.deepEqual(two.items.map((i: { label: string }) => i.label).sort(), ['Agent "docs-mcp"', 'Agent "support-triage"', 'Agent "t-other"']);
    const applied = await cli('apply', '--yes', '--target', 'agent:t-child');
    assert.equal(applied.code, 0, applied.stdout + applied.stderr);
    assert.match(applied.stdout, /2 applied/);
    const rest = JSON.parse((await cli('plan', '--format', 'json')).stdout);
    assert.deepEqual(
      rest.items.filter((i: { action: string }) => i.action === 'create').map((i: { label: string }) => i.label),
      ['Agent "t-other"'],
    );
    const unknown = await cli('plan', '--target', 'agent:nobody');
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /--target "agent:nobody" names no resource/);
  });

  test('the policies of .scim-agents.yaml gate plan and apply like any lint error', async () => {
    fs.writeFileSync(path.join(dir, '.scim-agents.yaml'), 'policies:\n  minOwners: 3\n');
    try {
      const run = await cli('plan', '--format', 'json', '--target', 'agent:t-other');
      assert.equal(run.code, 1, run.stderr);
      const item = JSON.parse(run.stdout).items[0];
      assert.equal(item.action, 'cannot-apply');
      assert.deepEqual(
        item.errors.map((e: { code: string }) => e.code),
        ['policy-min-owners'],
      );
      const apply = await cli('apply', '--yes', '--target', 'agent:t-other');
      assert.equal(apply.code, 1);
      const onServer = await sandbox.request('GET', `/Agents?filter=${encodeURIComponent('name eq "t-other"')}`);
      assert.equal(onServer.body.totalResults, 0, 'nothing was created');
    } finally {
      fs.rmSync(path.join(dir, '.scim-agents.yaml'));
    }
  });
});

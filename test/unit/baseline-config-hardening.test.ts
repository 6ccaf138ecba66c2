// A workspace's .scim-agents.yaml and the baseline it names come from whoever wrote the
// repository: links out of the folder, devices and FIFOs must be refused, never followed, read
// forever or written through.
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runIn } from '../helpers/cli';

const AGENT = 'schemas: [urn:ietf:params:scim:schemas:core:2.0:Agent]\nname: bot\nowners:\n  - value: user:alice\n';
const root = fs.mkdtempSync(path.join(os.tmpdir(), 'scim-hardening-'));
after(() => fs.rmSync(root, { recursive: true, force: true }));

function workspace(name: string, config: string): string {
  const dir = path.join(root, name);
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'bot.agent.yaml'), AGENT);
  fs.writeFileSync(path.join(dir, '.scim-agents.yaml'), config);
  return dir;
}

describe('baselines named by a workspace configuration', () => {
  test('--update-baseline replaces a link in the folder instead of writing through it', async () => {
    const victim = path.join(root, 'victim.txt');
    fs.writeFileSync(victim, 'precious\n');
    const dir = workspace('link-write', 'baseline: b.json\n');
    fs.symlinkSync(victim, path.join(dir, 'b.json'));
    const run = await runIn(dir, ['lint', '.', '--update-baseline']);
    assert.equal(fs.readFileSync(victim, 'utf8'), 'precious\n', 'the file outside the workspace is untouched');
    assert.notEqual(run.code, 0, 'a baseline that leads outside its folder is refused');
    assert.match(run.stderr, /leads outside the folder/);
  });

  test('a baseline linked out of its folder is not read', async () => {
    const outside = path.join(root, 'outside.json');
    fs.writeFileSync(outside, JSON.stringify({ version: 1, tool: 'scim-agents', findings: [] }));
    const dir = workspace('link-read', 'baseline: b.json\n');
    fs.symlinkSync(outside, path.join(dir, 'b.json'));
    const run = await runIn(dir, ['lint', '.']);
    assert.equal(run.code, 2, run.stderr);
    assert.match(run.stderr, /leads outside the folder/);
  });

  test('a link to a file inside the folder is written as a new file, the link replaced', async () => {
    const dir = workspace('link-inside', 'baseline: b.json\n');
    fs.writeFileSync(path.join(dir, 'real.json'), 'old');
    fs.symlinkSync('real.json', path.join(dir, 'b.json'));
    const run = await runIn(dir, ['lint', '.', '--update-baseline']);
    assert.equal(run.code, 0, run.stderr);
    assert.equal(fs.lstatSync(path.join(dir, 'b.json')).isSymbolicLink(), false);
    assert.match(fs.readFileSync(path.join(dir, 'b.json'), 'utf8'), /"findings"/);
    assert.deepEqual(
      fs.readdirSync(dir).filter((f) => f.endsWith('.tmp')),
      [],
      'no temporary file left',
    );
  });

  test('a baseline linked to /dev/zero is refused at once', async () => {
    const dir = workspace('zero', 'baseline: b.json\n');
    fs.symlinkSync('/dev/zero', path.join(dir, 'b.json'));
    const run = await runIn(dir, ['lint', '.', '--baseline', path.join(dir, 'b.json')]);
    assert.equal(run.code, 2);
    assert.match(run.stderr, /not a regular file/);
  });
});

describe('configuration files', () => {
  test('--config /dev/zero is a problem with a message, not a crash', async () => {
    const dir = workspace('config-zero', 'profile: core\n');
    const run = await runIn(dir, ['lint', '.', '--config', '/dev/zero']);
    assert.match(run.stdout + run.stderr, /Cannot read the configuration file \(This is not a regular file/);
  });

  test('--config naming a FIFO does not hang', async () => {
    const dir = workspace('config-fifo', 'profile: core\n');
    const fifo = path.join(dir, 'fifo.yaml');
    execFileSync('mkfifo', [fifo]);
    const run = await runIn(dir, ['lint', '.', '--config', fifo]);
    assert.match(run.stdout + run.stderr, /not a regular file/);
  });
});

describe('override globs', () => {
  test('a glob of an exponential shape is config-invalid at its line and matches nothing; lint ends at once', async () => {
    const glob = '*a*a*a*a*a*a*a*a*a*a*a*a*b';
    const dir = workspace('glob-bomb', `overrides:\n  - files: "${glob}"\n    rules:\n      owner-missing: off\n`);
    fs.writeFileSync(path.join(dir, `${'a'.repeat(200)}.agent.yaml`), AGENT.replace('name: bot', 'name: long'));
    const run = await runIn(dir, ['lint', '.', '--format', 'json']);
    const findings = JSON.parse(run.stdout) as { file: string; line: number; code: string; message: string }[];
    const invalid = findings.filter((f) => f.code === 'config-invalid');
    assert.equal(invalid.length, 1, run.stdout);
    assert.equal(invalid[0]!.line, 2);
    assert.match(invalid[0]!.message, /more than 2 "\*" in one segment/);
  });

  test('alternation groups that backtrack exponentially are config-invalid too: {a,a} repeated, (a|a), nested braces', async () => {
    const globs = ['{a,a}'.repeat(40) + 'b', '(a|a)'.repeat(40) + 'b', '{a,{b,{c,d}}}'];
    const dir = workspace('glob-groups', `overrides:\n${globs.map((g) => `  - files: "${g}"\n    rules:\n      owner-missing: off\n`).join('')}`);
    fs.writeFileSync(path.join(dir, `${'a'.repeat(200)}.agent.yaml`), AGENT.replace('name: bot', 'name: long'));
    const run = await runIn(dir, ['lint', '.', '--format', 'json']);
    const invalid = (JSON.parse(run.stdout) as { line: number; code: string; message: string }[]).filter((f) => f.code === 'config-invalid');
    assert.deepEqual(
      invalid.map((f) => f.line),
      [2, 5, 8],
      run.stdout,
    );
    assert.match(invalid[0]!.message, /combine in more than 64 ways/);
    assert.match(invalid[1]!.message, /parentheses and "\|" are not supported/);
    assert.match(invalid[2]!.message, /nested \{…\} groups/);
  });

  test('ordinary override globs keep working', async () => {
    const dir = workspace('glob-ok', `overrides:\n  - files: "**/*.agent.yaml"\n    rules:\n      attribute-case: error\n`);
    fs.writeFileSync(path.join(dir, 'bot.agent.yaml'), AGENT + 'DisplayName: Bot\n');
    const run = await runIn(dir, ['lint', '.', '--format', 'json']);
    const findings = JSON.parse(run.stdout) as { code: string; severity: string }[];
    assert.equal(findings.find((f) => f.code === 'attribute-case')?.severity, 'error', run.stdout);
    assert.equal(findings.filter((f) => f.code === 'config-invalid').length, 0);
  });
});

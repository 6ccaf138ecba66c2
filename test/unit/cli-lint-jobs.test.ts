/**
 * `scim-agents lint` (dist/cli.js, as a user runs it) over many files: checked apart in this
 * thread (--jobs 1), in worker threads (--jobs 3) and over an index (a baseline makes the lint
 * keep one), it prints the same findings and exits the same way; a missing worker file is an
 * error, not a silent fallback.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const DIST = path.resolve(__dirname, '..', '..');
const CLI = path.join(DIST, 'cli.js');

function lint(cwd: string, args: string[], cli = CLI): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [cli, 'lint', ...args], { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** `n` agents over folders, with names shared across folders, loops, unknown owners and a broken file. */
function writeTree(root: string, n: number): void {
  for (let i = 0; i < n; i++) {
    const dir = path.join(root, `d${i % 7}`);
    fs.mkdirSync(dir, { recursive: true });
    const lines = [
      'schemas: [urn:ietf:params:scim:schemas:core:2.0:Agent]',
      `name: agent-${i % 400}`,
      `externalId: ext-${i}`,
      'owners:',
      `  - value: user:${i % 5 === 0 ? 'mallory' : 'alice'}`,
      'parent:',
      `  value: agent:agent-${(i + 1) % 400}`,
    ];
    if (i % 50 === 0) lines.push(`subject: shared-subject`);
    fs.writeFileSync(path.join(dir, `a${i}.agent.yaml`), lines.join('\n') + '\n');
  }
  fs.writeFileSync(path.join(root, 'users.agents.yaml'), ['schemas: [urn:ietf:params:scim:schemas:core:2.0:User]', 'userName: alice'].join('\n') + '\n');
  fs.writeFileSync(path.join(root, 'broken.agent.yaml'), 'name: [unclosed\n');
}

test('lint prints the same findings in one thread, in worker threads and over an index', () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'scim-lint-jobs-'));
  try {
    writeTree(root, 1200);
    const one = lint(root, ['.', '--format', 'json', '--jobs', '1']);
    const three = lint(root, ['.', '--format', 'json', '--jobs', '3']);
    const auto = lint(root, ['.', '--format', 'json']);
    const baseline = path.join(root, 'empty-baseline.json');
    fs.writeFileSync(baseline, JSON.stringify({ version: 1, tool: 'scim-agents', findings: [] }));
    const indexed = lint(root, ['.', '--format', 'json', '--baseline', baseline]);
    const findings = JSON.parse(one.stdout) as { code: string; file: string }[];
    const codes = new Set(findings.map((f) => f.code));
    for (const code of ['duplicate-identifier', 'owner-unresolved', 'parent-cycle', 'credential-shared', 'syntax-error'])
      assert.ok(codes.has(code), `no ${code} found`);
    assert.equal(one.code, 1);
    for (const [what, run] of [
      ['--jobs 3', three],
      ['the default', auto],
      ['over an index', indexed],
    ] as const) {
      assert.equal(run.code, one.code, `${what}: exit code (${run.stderr})`);
      assert.equal(run.stdout, one.stdout, `${what}: the same findings`);
    }
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
});

test('--jobs takes a whole number from 1, and a missing worker file is an error', () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'scim-lint-jobs-'));
  try {
    writeTree(root, 200);
    for (const bad of ['0', '1.5', 'two', '65']) {
      const r = lint(root, ['.', '--jobs', bad]);
      assert.equal(r.code, 2, `--jobs ${bad}`);
      assert.match(r.stderr, /--jobs takes a whole number from 1 to 64/);
    }
    // The CLI's bundle without the worker beside it: asked for threads, it says what is missing.
    const alone = path.join(root, 'bin');
    fs.mkdirSync(alone);
    for (const file of ['cli.js', 'cli-main.js']) fs.copyFileSync(path.join(DIST, file), path.join(alone, file));
    const r = lint(root, ['.', '--jobs', '2'], path.join(alone, 'cli.js'));
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, /lint worker .*lint-worker\.js is missing/);
    // By default (no --jobs) it checks the files in its own thread and needs no worker.
    const byDefault = lint(root, ['.', '--format', 'json'], path.join(alone, 'cli.js'));
    assert.equal(byDefault.stdout, lint(root, ['.', '--format', 'json', '--jobs', '1']).stdout);
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
});

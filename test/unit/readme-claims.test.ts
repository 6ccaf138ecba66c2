// What the README tells people to run exists and prints what it says: no `npx scim-agents`
// (the package is private, so npx would fetch and run whatever holds that name on the
// registry), every `$CLI <command>` is a command of the CLI, and `serve` prints the token line
// the README quotes (where the token is, never the token).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { repoPath } from '../helpers/repo';
import { makeTempDir } from '../helpers/sandbox';
import { runIn } from '../helpers/cli';

const CLI = path.resolve(__dirname, '..', '..', 'cli.js');

function markdownFiles(): string[] {
  const docs = repoPath('docs');
  const out = [repoPath('README.md'), repoPath('SECURITY.md'), repoPath('ARCHITECTURE.md')];
  for (const f of fs.readdirSync(docs, { recursive: true }) as string[]) if (f.endsWith('.md')) out.push(path.join(docs, f));
  return out;
}

describe('README commands', () => {
  test('no `npx scim-agents` anywhere in the documentation', () => {
    for (const file of markdownFiles()) {
      const lines = fs
        .readFileSync(file, 'utf8')
        .split('\n')
        .map((l, i) => [i + 1, l] as const)
        .filter(([, l]) => /npx\s+scim-agents\b/.test(l));
      assert.deepEqual(lines, [], `${path.basename(file)}: npx runs an unclaimed registry name`);
    }
  });

  test('every `$CLI <command>` in the README is a command of the CLI', async () => {
    const readme = fs.readFileSync(repoPath('README.md'), 'utf8');
    const named = new Set([...readme.matchAll(/\$CLI\s+([a-z][a-z-]*)/g)].map((m) => m[1]!));
    assert.ok(named.has('lint') && named.has('plan'), [...named].join(', '));
    const help = await runIn(process.cwd(), ['--help']);
    for (const command of named) assert.match(help.stdout, new RegExp(`^  ${command}\\s`, 'm'), `${command} is not a command`);
  });

  test('serve prints the token line the README quotes, and not the token', async () => {
    const data = await makeTempDir('readme-serve-');
    const child = spawn(process.execPath, [CLI, 'serve', '--data', data, '--port', '0', '--quiet'], { stdio: ['ignore', 'pipe', 'pipe'] });
    try {
      let out = '';
      const line = await new Promise<string>((resolve, reject) => {
        child.stdout.on('data', (d) => {
          out += d;
          const m = /^token: .*$/m.exec(out);
          if (m) resolve(m[0]);
        });
        child.once('exit', (code) => reject(new Error(`serve exited ${code}: ${out}`)));
      });
      const token = fs.readFileSync(path.join(data, 'token'), 'utf8').trim();
      assert.ok(!out.includes(token));
      assert.equal(line, `token: generated and stored in ${path.join(data, 'token')} (mode 0600)`);
      const readme = fs.readFileSync(repoPath('README.md'), 'utf8').replace(/\s+/g, ' ');
      assert.ok(readme.includes('`token: generated and stored in .scim-agents/sandbox/token (mode 0600)`'), 'the README quotes the line');
      assert.ok(!readme.includes('prints where it is: `export SCIM_AGENTS_TOKEN'), 'the README does not claim serve prints an export line');
    } finally {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
      fs.rmSync(data, { recursive: true, force: true });
    }
  });
});

// Input hardening (issue 12 items 5, 6, 9 and the low items): files the CLI and the language
// server's scan read, parent loops, very large values, and control characters in output.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runCli } from '../../server/src/cli/main';
import type { CliIO } from '../../server/src/cli/io';
import { collectFiles } from '../../server/src/cli/files';
import { includeGlobs, readText, scanFolder } from '../../server/src/lsp/scan';
import { pathToUri, readTextFile } from '../../server/src/util/files';
import { lint } from '../helpers/lint';

const AGENT_URN = 'urn:ietf:params:scim:schemas:core:2.0:Agent';
const agentDoc = (name: string, body = '') => `schemas: [${AGENT_URN}]\nname: ${name}\nowners:\n  - value: user:alice\n${body}`;

async function cli(args: string[], cwd: string): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const io: CliIO = {
    stdout: (t) => {
      out += t;
    },
    stderr: (t) => {
      err += t;
    },
    env: {},
    cwd,
    isTTY: false,
    readStdin: async () => '',
  };
  const code = await runCli(args, io);
  return { code, out, err };
}

describe('files: regular files only, bounded, inside the folder given, each once', () => {
  let base: string;
  let ws: string;
  before(() => {
    base = fs.mkdtempSync(path.join(os.tmpdir(), 'scim-agents-files-'));
    ws = path.join(base, 'ws');
    fs.mkdirSync(path.join(ws, 'sub'), { recursive: true });
    fs.writeFileSync(path.join(ws, 'a.agent.yaml'), agentDoc('a'));
    fs.writeFileSync(path.join(ws, 'sub', 'b.agent.yaml'), agentDoc('b'));
    fs.writeFileSync(path.join(base, 'outside.agent.yaml'), agentDoc('outside'));
    fs.symlinkSync('/dev/zero', path.join(ws, 'zero.agent.yaml'));
    fs.symlinkSync(path.join(base, 'outside.agent.yaml'), path.join(ws, 'out.agent.yaml'));
    fs.symlinkSync(base, path.join(ws, 'up'));
    fs.symlinkSync('.', path.join(ws, 'self'));
    fs.symlinkSync('..', path.join(ws, 'sub', 'loop'));
    fs.symlinkSync('a.agent.yaml', path.join(ws, 'alias.agent.yaml'));
    fs.symlinkSync('missing.agent.yaml', path.join(ws, 'dangling.agent.yaml'));
    execFileSync('mkfifo', [path.join(ws, 'pipe.agent.yaml')]);
  });
  after(() => fs.rmSync(base, { recursive: true, force: true }));

  test('the CLI scans each real file once and follows no link out of the folder', async () => {
    const files = (await collectFiles(['.'], ws)).map((f) => path.relative(ws, f));
    assert.deepEqual(files, ['a.agent.yaml', 'sub/b.agent.yaml']);
    // Named on the command line, through a link, and again by the scans: still once.
    const named = (await collectFiles(['alias.agent.yaml', '.', 'self/sub'], ws)).map((f) => path.relative(ws, f));
    assert.deepEqual(named, ['alias.agent.yaml', 'sub/b.agent.yaml']);
    const { code, out } = await cli(['lint', '.', '--format', 'json'], ws);
    assert.equal(code, 0, out);
    assert.deepEqual(JSON.parse(out), []);
  });

  test('a glob follows no link out of the current folder either', async () => {
    const files = (await collectFiles(['**/*.agent.yaml'], ws)).map((f) => path.relative(ws, f));
    assert.ok(!files.includes('out.agent.yaml') && !files.includes('zero.agent.yaml') && !files.includes('pipe.agent.yaml'), String(files));
    assert.equal(files.filter((f) => f === 'a.agent.yaml' || f === 'alias.agent.yaml').length, 1, `one of a and its alias: ${files}`);
  });

  test('a device or FIFO named on the command line is refused before reading, with a location', async () => {
    const { code, out } = await cli(['lint', 'zero.agent.yaml', 'pipe.agent.yaml', '--format', 'json'], ws);
    assert.equal(code, 1);
    const findings = JSON.parse(out) as { file: string; line: number; message: string }[];
    assert.deepEqual(
      findings.map((f) => [f.file, f.line]),
      [
        ['pipe.agent.yaml', 1],
        ['zero.agent.yaml', 1],
      ],
    );
    for (const f of findings) assert.match(f.message, /not a regular file/);
  });

  test('the size is checked before reading: a file over the cap is refused whole', async () => {
    const big = path.join(base, 'big.agent.yaml');
    fs.writeFileSync(big, 'x'.repeat(2048));
    const refused = await readTextFile(big, 1024);
    assert.ok('error' in refused && /2048 bytes; manifests over 1024 bytes/.test(refused.error), JSON.stringify(refused));
    const read = await readTextFile(big, 4096);
    assert.ok('text' in read && read.text.length === 2048);
  });

  test('the language server scan: same rules, and no read through a link out of the workspace', async () => {
    const { matcher } = includeGlobs([], true);
    const uris = await scanFolder(ws, matcher);
    assert.deepEqual(uris, [pathToUri(path.join(ws, 'a.agent.yaml')), pathToUri(path.join(ws, 'sub', 'b.agent.yaml'))]);
    assert.equal(await readText(pathToUri(path.join(ws, 'out.agent.yaml')), [ws]), undefined);
    assert.equal(await readText(pathToUri(path.join(ws, 'zero.agent.yaml')), [ws]), undefined);
    assert.equal(await readText(pathToUri(path.join(ws, 'pipe.agent.yaml')), [ws]), undefined);
    assert.equal(await readText(pathToUri(path.join(ws, 'alias.agent.yaml')), [ws]), agentDoc('a'));
  });
});

describe('one workspace for the CLI and the editor', () => {
  test('both scans skip node_modules, .git, dist, hidden folders and hidden files, at any depth, and list the rest', async () => {
    const ws = fs.mkdtempSync(path.join(os.tmpdir(), 'scim-agents-skipped-'));
    try {
      const files = [
        'a.agent.yaml',
        'sub/b.agents.json',
        'node_modules/pkg/c.agent.yaml',
        'dist/d.agent.yaml',
        'sub/dist/e.agent.yaml',
        '.git/f.agent.yaml',
        '.archive/g.agent.yaml',
        'sub/.h.agent.yaml',
        'distribution/i.agent.yaml',
        'sub/.cache/j.agent.yaml',
      ];
      for (const f of files) {
        fs.mkdirSync(path.dirname(path.join(ws, f)), { recursive: true });
        fs.writeFileSync(path.join(ws, f), agentDoc(path.basename(f).split('.')[0]!));
      }
      const expected = ['a.agent.yaml', 'distribution/i.agent.yaml', 'sub/b.agents.json'];
      const cliFiles = (await collectFiles(['.'], ws)).map((f) => path.relative(ws, f)).sort();
      const lspFiles = (await scanFolder(ws, includeGlobs([], true).matcher)).map((u) => path.relative(ws, new URL(u).pathname)).sort();
      assert.deepEqual(cliFiles, expected);
      assert.deepEqual(lspFiles, expected);
    } finally {
      fs.rmSync(ws, { recursive: true, force: true });
    }
  });
});

describe('include globs', () => {
  test('an untrusted workspace uses the default names only', () => {
    const untrusted = includeGlobs(['manifests/*.yaml'], false);
    assert.equal(untrusted.matcher('manifests/bot.yaml'), false);
    assert.equal(untrusted.matcher('manifests/bot.agent.yaml'), true);
    assert.match(untrusted.rejected[0]!.reason, /not trusted/);
    assert.equal(includeGlobs(['manifests/*.yaml'], true).matcher('manifests/bot.yaml'), true);
  });

  test('globs whose matching would not stay linear are left out, with why', () => {
    const { matcher, rejected } = includeGlobs(['*a*a*a*b', '**/x/**/y/*.yaml', '+(a|b)*.yaml', 'agents/**/*-agent-*.yaml'], true);
    assert.deepEqual(
      rejected.map((r) => r.glob),
      ['*a*a*a*b', '**/x/**/y/*.yaml', '+(a|b)*.yaml'],
    );
    assert.equal(matcher('agents/team/x-agent-1.yaml'), true);
    assert.equal(matcher('a'.repeat(200)), false);
  });
});

describe('parent loops', () => {
  test('one finding per loop, on its first member, with a bounded message', () => {
    const n = 50;
    let text = '';
    for (let i = 0; i < n; i++) text += (i ? '---\n' : '') + agentDoc(`agent-${i}`, `parent:\n  value: agent:agent-${(i + 1) % n}\n`);
    const found = lint({ 'loop.agents.yaml': text }).filter((f) => f.code === 'parent-cycle');
    assert.equal(found.length, 1, JSON.stringify(found.map((f) => f.message)));
    assert.equal(found[0]!.text, 'agent:agent-1');
    assert.match(found[0]!.message, /^This parent makes a loop of 50 agents: Agent "agent-0" → Agent "agent-1" → .* → … and 45 more → Agent "agent-0"\.$/);
    assert.ok(found[0]!.message.length < 300);
  });

  test('two loops are two findings; a chain into a loop is not one', () => {
    const text = [
      agentDoc('a', 'parent:\n  value: agent:b\n'),
      agentDoc('b', 'parent:\n  value: agent:a\n'),
      agentDoc('c', 'parent:\n  value: agent:d\n'),
      agentDoc('d', 'parent:\n  value: agent:c\n'),
      agentDoc('e', 'parent:\n  value: agent:a\n'),
    ].join('---\n');
    const found = lint({ 'loops.agents.yaml': text }).filter((f) => f.code === 'parent-cycle');
    assert.deepEqual(
      found.map((f) => f.text),
      ['agent:b', 'agent:d'],
    );
  });
});

describe('large values', () => {
  test('an 8 MB certificate value gets findings, not an internal error', () => {
    const text = agentDoc('bot', `x509Certificates:\n  - value: ${'QUJD'.repeat(2 * 1024 * 1024)}\n`);
    const codes = lint({ 'big.agent.yaml': text }).map((f) => f.code);
    assert.ok(!codes.includes('internal-error'), String(codes));
    assert.ok(codes.includes('certificate-invalid'), String(codes));
  });
});

describe('control characters in output', () => {
  let cwd: string;
  before(() => {
    cwd = fs.mkdtempSync(path.join(os.tmpdir(), 'scim-agents-escape-'));
    // canonical-value quotes the value: ESC, a line break and a forged workflow command in it
    fs.writeFileSync(
      path.join(cwd, 'x.agent.yaml'),
      agentDoc('x', 'protocols:\n  - type: "\\e[2J\\r\\n::error file=forged::pwned\\u2028x"\n    url: https://a.example.com/\n'),
    );
  });
  after(() => fs.rmSync(cwd, { recursive: true, force: true }));

  test('text output shows them escaped, each finding on its own line', async () => {
    const { out } = await cli(['lint', '.', '--format', 'text'], cwd);
    assert.ok(!/[\u0000-\u0009\u000b-\u001f\u007f\u2028]/.test(out), JSON.stringify(out));
    const line = out.split('\n').find((l) => l.includes('canonical-value'))!;
    assert.ok(line.includes('\\x1b[2J\\r\\n::error file=forged::pwned\\u2028x'), line);
    assert.ok(!out.split('\n').some((l) => l.startsWith('::')), out);
  });

  test('github output: no message starts a line, and no raw control character reaches the log', async () => {
    const { out } = await cli(['lint', '.', '--format', 'github'], cwd);
    const lines = out.split('\n').filter(Boolean);
    assert.ok(
      lines.every((l) => /^::(error|warning|notice) file=/.test(l)),
      out,
    );
    assert.ok(!/[\u0000-\u0009\u000b-\u001f\u007f]/.test(out), JSON.stringify(out));
    assert.ok(out.includes('%0D%0A::error file=forged::pwned'), out);
  });
});

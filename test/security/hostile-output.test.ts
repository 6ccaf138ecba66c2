// What a hostile manifest, file name or server says cannot forge output: no line of any
// human-readable output starts with `::` (a GitHub workflow command) or holds a raw ESC or CR,
// whatever the names, file names and server error details hold; and a token a server echoes in
// its answers reaches neither the plan (text, markdown for the PR comment, JSON) nor the files
// `import` writes. Real sandbox behind the quirk proxy (test/helpers/quirkProxy.ts), real CLI.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { cli } from '../helpers/quirkCycle';
import { startQuirkProxy } from '../helpers/quirkProxy';
import { sandboxBehind, stopSandboxes } from '../helpers/quirkPeers';
import { makeTempDir } from '../helpers/sandbox';

const AGENT = 'urn:ietf:params:scim:schemas:core:2.0:Agent';
/** A name with a terminal escape, CR/LF and a forged workflow command (YAML double-quoted escapes). */
const HOSTILE_NAME = 'pe-x\\e[2J\\r\\n::error file=README.md::forged by manifest';
const HOSTILE_DETAIL = 'boom\u001b[31m\r\n::error file=README.md::forged by server\u2028::warning::again';
const HOSTILE_FILE = 'a\u001b[2J\n::error file=README.md::forged by file name.agent.yaml';

const agentYaml = (name: string, description = 'Works the queue.') =>
  `schemas: [${AGENT}]\nexternalId: ext-hostile\nname: "${name}"\ndisplayName: "${name}"\ndescription: ${description}\nactive: true\nowners:\n  - value: user:alice\n`;

let seq = 0;
const dirs: string[] = [];
async function workspace(files: Record<string, string>): Promise<string> {
  const dir = await makeTempDir(`scim-hostile-${seq++}-`);
  dirs.push(dir);
  for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), text);
  return dir;
}

/**
 * Every line of the output: none is a workflow command (in `--format github`, none but the
 * annotations of the file itself), none holds a raw ESC or CR or line separator.
 */
function assertInert(output: string, what: string, annotationsOf?: RegExp): void {
  for (const line of output.split('\n')) {
    const annotation = annotationsOf !== undefined && annotationsOf.test(line);
    assert.ok(annotation || !line.trimStart().startsWith('::'), `${what}: a line starts a workflow command: ${JSON.stringify(line)}\n${output}`);
    assert.doesNotMatch(line, /[\u001b\r\u2028\u2029\u0085]/, `${what}: raw control character in ${JSON.stringify(line)}`);
  }
}

after(async () => {
  await stopSandboxes();
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

describe('hostile manifest text and file names are escaped in every output', () => {
  test('plan, apply, inventory and deprovision (text) with a name holding ESC, CR/LF and ::error', async () => {
    const { sandbox, proxy } = await sandboxBehind({});
    const dir = await workspace({ 'hostile.agent.yaml': agentYaml(HOSTILE_NAME) });
    const ep = ['--endpoint', proxy.baseUrl];
    const plan = await cli(['plan', 'hostile.agent.yaml', ...ep], dir, sandbox.token);
    assert.equal(plan.code, 0, plan.stdout + plan.stderr);
    assert.match(plan.stdout, /\+ create Agent "pe-x\\x1b\[2J\\r\\n::error file=README\.md::forged by manifest"/, plan.stdout);
    assertInert(plan.stdout + plan.stderr, 'plan');
    const apply = await cli(['apply', '--yes', 'hostile.agent.yaml', ...ep], dir, sandbox.token);
    assert.equal(apply.code, 0, apply.stdout + apply.stderr);
    assert.match(apply.stdout, /✓ created Agent "pe-x\\x1b/, apply.stdout);
    assertInert(apply.stdout + apply.stderr, 'apply');
    for (const args of [['inventory'], ['inventory', '--group-by', 'owner'], ['inventory', ...ep]]) {
      const inventory = await cli([...args, 'hostile.agent.yaml'], dir, sandbox.token);
      assert.equal(inventory.code, 0, inventory.stdout + inventory.stderr);
      assert.match(inventory.stdout, /pe-x\\x1b\[2J\\r\\n::error/, inventory.stdout);
      assertInert(inventory.stdout + inventory.stderr, args.join(' '));
    }
    const deprovision = await cli(['deprovision', '--yes', 'hostile.agent.yaml', ...ep], dir, sandbox.token);
    assert.equal(deprovision.code, 0, deprovision.stdout + deprovision.stderr);
    assertInert(deprovision.stdout + deprovision.stderr, 'deprovision');
  });

  test('fmt and lint (text, github) with a file name holding ESC, a newline and ::error', async () => {
    const dir = await workspace({ [HOSTILE_FILE]: `schemas: [${AGENT}]\nname:    bot\nDisplayName: x\n` });
    const check = await cli(['fmt', '--check', '.'], dir, '');
    assert.equal(check.code, 1, check.stdout + check.stderr);
    assert.match(check.stdout, /^a\\x1b\[2J\\n::error file=README\.md::forged by file name\.agent\.yaml$/m);
    assertInert(check.stdout + check.stderr, 'fmt --check');
    const fmt = await cli(['fmt', '.'], dir, '');
    assert.equal(fmt.code, 0, fmt.stdout + fmt.stderr);
    assert.match(fmt.stdout, /^formatted a\\x1b/m);
    assertInert(fmt.stdout + fmt.stderr, 'fmt');
    fs.writeFileSync(path.join(dir, HOSTILE_FILE), 'key: [unclosed\n');
    const broken = await cli(['fmt', '.'], dir, '');
    assert.equal(broken.code, 1);
    assertInert(broken.stdout + broken.stderr, 'fmt on a file that does not parse');
    for (const format of ['text', 'github']) {
      const lint = await cli(['lint', '--format', format, '.'], dir, '');
      assert.equal(lint.code, 1, lint.stdout + lint.stderr);
      assert.ok(lint.stdout.length > 0);
      assertInert(
        lint.stdout + lint.stderr,
        `lint --format ${format}`,
        format === 'github' ? /^::(error|warning|notice) file=a\\x1b\[2J%0A%3A%3Aerror file=README\.md%3A%3Aforged by file name\.agent\.yaml,line=/ : undefined,
      );
    }
  });
});

describe("a hostile server's error details are escaped", () => {
  test('apply: a create refused with a detail holding ESC, CR/LF, U+2028 and ::error', async () => {
    const { sandbox, proxy } = await sandboxBehind({
      failWith: { status: 500, detail: HOSTILE_DETAIL, match: (m, p) => m === 'POST' && /^\/Agents$/.test(p) },
    });
    const dir = await workspace({ 'bot.agent.yaml': agentYaml('bot') });
    const apply = await cli(['apply', '--yes', '--concurrency', '1', 'bot.agent.yaml', '--endpoint', proxy.baseUrl], dir, sandbox.token);
    assert.equal(apply.code, 1, apply.stdout + apply.stderr);
    assert.match(apply.stdout, /✗ failed Agent "bot".*500: boom\\x1b\[31m\\r\\n::error file=README\.md::forged by server\\u2028::warning::again/, apply.stdout);
    assertInert(apply.stdout + apply.stderr, 'apply');
  });

  test('plan and import: a failing listing whose detail forges a workflow command', async () => {
    const { sandbox, proxy } = await sandboxBehind({ failWith: { status: 400, detail: HOSTILE_DETAIL, match: (m, p) => m === 'GET' && /^\/Agents$/.test(p) } });
    const dir = await workspace({ 'bot.agent.yaml': agentYaml('bot') });
    const plan = await cli(['plan', 'bot.agent.yaml', '--endpoint', proxy.baseUrl], dir, sandbox.token);
    assert.equal(plan.code, 1, plan.stdout + plan.stderr);
    assert.match(plan.stderr, /scim-agents plan: .*boom\\x1b\[31m\\r\\n::error/, plan.stderr);
    assertInert(plan.stdout + plan.stderr, 'plan');
    const imported = await cli(['import', '--out', 'imported', '--endpoint', proxy.baseUrl], dir, sandbox.token);
    assert.equal(imported.code, 1, imported.stdout + imported.stderr);
    assert.match(imported.stderr, /scim-agents import: .*boom\\x1b\[31m\\r\\n::error/, imported.stderr);
    assertInert(imported.stdout + imported.stderr, 'import');
  });
});

describe('a token the server echoes in attribute values', () => {
  let dir: string;
  let token: string;
  let baseUrl: string;
  let echoing: Awaited<ReturnType<typeof startQuirkProxy>>;
  let echoingAll: Awaited<ReturnType<typeof startQuirkProxy>>;

  before(async () => {
    const { sandbox, proxy } = await sandboxBehind({});
    token = sandbox.token;
    baseUrl = sandbox.baseUrl;
    dir = await workspace({ 'bot.agent.yaml': agentYaml('bot', 'Works the queue.') });
    const apply = await cli(['apply', '--yes', 'bot.agent.yaml', '--endpoint', proxy.baseUrl], dir, token);
    assert.equal(apply.code, 0, apply.stdout + apply.stderr);
    echoing = await startQuirkProxy(baseUrl, { echoToken: ['description'] });
    echoingAll = await startQuirkProxy(baseUrl, { echoToken: ['description', 'displayName', 'externalId', 'userName'] });
  });
  after(async () => {
    await echoing.close();
    await echoingAll.close();
  });

  const leaks = (text: string) => text.includes(token) || text.includes(Buffer.from(token).toString('base64'));

  test('plan: text, markdown (the PR comment) and json show the echoed value redacted', async () => {
    for (const format of ['text', 'markdown', 'json']) {
      const plan = await cli(['plan', '--format', format, 'bot.agent.yaml', '--endpoint', echoing.baseUrl], dir, token);
      const out = plan.stdout + plan.stderr;
      assert.ok(!leaks(out), `plan --format ${format} printed the token:\n${out.split(token).join('<TOKEN>')}`);
      // The JSON plan carries no server values (only the manifest's diff); text and markdown show the old value.
      if (format !== 'json') assert.match(out, /note \[redacted\] end/, `${format}: the echoed value is shown, redacted:\n${out}`);
    }
  });

  test('import: no file holds the token; the values are left out and the summary says so', async () => {
    const imported = await cli(['import', '--out', 'imported', '--endpoint', echoingAll.baseUrl], dir, token);
    assert.equal(imported.code, 0, imported.stdout + imported.stderr);
    assert.ok(!leaks(imported.stdout + imported.stderr), 'import output');
    assert.match(imported.stdout, /note: The server's answers held the access token in \d+ value\(s\): they were left out of the files/, imported.stdout);
    const out = path.join(dir, 'imported');
    const files = fs.readdirSync(out);
    assert.ok(files.length > 0);
    for (const f of files) {
      assert.ok(!leaks(f), `file name ${f}`);
      const text = fs.readFileSync(path.join(out, f), 'utf8');
      assert.ok(!leaks(text), `${f} holds the token:\n${text.split(token).join('<TOKEN>')}`);
      assert.match(text, /Left out \(the server's answer held the access token\): .*displayName/, text);
      assert.match(text, /Left out .*description/, text);
      assert.doesNotMatch(text, /^(displayName|description|externalId):/m, text);
      assert.doesNotMatch(text, /user:/, 'the owner reference named by an echoed userName is left out');
    }
  });
});

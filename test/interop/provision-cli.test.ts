// End to end: the plan/apply/deprovision commands, in-process, against the sandbox; the token
// must never appear in any output or error.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { runCli } from '../../server/src/cli/main';
import type { CliIO } from '../../server/src/cli/io';
import { repoPath } from '../helpers/repo';
import { withSandbox, type TestSandbox } from '../helpers/sandbox';

const TOKEN = 'sbx-very-secret-token-4f1c9a';

interface Run {
  code: number;
  stdout: string;
  stderr: string;
  prompts: string[];
}

const outputs: string[] = [];

async function cli(args: string[], options: { env?: Record<string, string>; isTTY?: boolean; answer?: string } = {}): Promise<Run> {
  let stdout = '';
  let stderr = '';
  const prompts: string[] = [];
  const io: CliIO & { prompt: (q: string) => Promise<string> } = {
    stdout: (t) => {
      stdout += t;
    },
    stderr: (t) => {
      stderr += t;
    },
    env: { SCIM_AGENTS_TOKEN: TOKEN, ...options.env },
    cwd: path.dirname(repoPath('examples')),
    isTTY: options.isTTY ?? false,
    readStdin: async () => '',
    prompt: async (q) => {
      prompts.push(q);
      return options.answer ?? 'no';
    },
  };
  const code = await runCli(args, io);
  outputs.push(stdout, stderr, ...prompts);
  return { code, stdout, stderr, prompts };
}

describe('plan/apply/deprovision CLI against the sandbox', () => {
  let sandbox: TestSandbox;
  before(async () => {
    sandbox = await withSandbox({ token: TOKEN });
  });
  after(async () => {
    await sandbox.dispose();
  });

  test('plan shows creates; --detailed-exitcode exits 2 with changes', async () => {
    const run = await cli(['plan', 'examples/*.yaml', '--endpoint', sandbox.baseUrl, '--detailed-exitcode']);
    assert.equal(run.code, 2, run.stderr + run.stdout);
    assert.match(run.stdout, new RegExp(`^Plan for ${new URL(sandbox.baseUrl).host.replace(/\./g, '\\.')}`));
    assert.match(run.stdout, /\+ create Agent "support-triage"\s+\[examples\/support-agent\.agent\.yaml:\d+\]/);
    assert.match(run.stdout, /Plan: 4 to create, 0 to update, 0 unchanged, 0 cannot be applied/);
    const plain = await cli(['plan', 'examples/*.yaml', '--endpoint', sandbox.baseUrl, '--format', 'json']);
    assert.equal(plain.code, 0);
    assert.equal(JSON.parse(plain.stdout).counts.create, 4);
  });

  test('apply refuses without --yes off a terminal, and asks on one (naming host and counts)', async () => {
    const refused = await cli(['apply', 'examples/*.yaml', '--endpoint', sandbox.baseUrl]);
    assert.equal(refused.code, 2);
    assert.match(refused.stderr, /--yes/);
    const declined = await cli(['apply', 'examples/*.yaml', '--endpoint', sandbox.baseUrl], { isTTY: true, answer: 'no' });
    assert.equal(declined.code, 2);
    assert.equal(declined.prompts.length, 1);
    assert.match(declined.prompts[0]!, new RegExp(`4 create\\(s\\) and 0 update\\(s\\).*${new URL(sandbox.baseUrl).host.replace(/\./g, '\\.')}`));
    const still = await cli(['plan', 'examples/*.yaml', '--endpoint', sandbox.baseUrl, '--detailed-exitcode']);
    assert.equal(still.code, 2, 'declining applied nothing');
  });

  test('apply --yes, then plan --detailed-exitcode exits 0', async () => {
    const applied = await cli(['apply', 'examples/*.yaml', '--endpoint', sandbox.baseUrl, '--yes']);
    assert.equal(applied.code, 0, applied.stdout + applied.stderr);
    assert.match(applied.stdout, /4 applied, 0 unchanged, 0 failed, 0 skipped/);
    const plan = await cli(['plan', 'examples/*.yaml', '--endpoint', sandbox.baseUrl, '--detailed-exitcode']);
    assert.equal(plan.code, 0, plan.stdout);
    assert.match(plan.stdout, /Plan: 0 to create, 0 to update, 4 unchanged/);
  });

  test('the wzdk example cannot be applied to the abbey sandbox: exit 1 with the reason', async () => {
    const run = await cli(['plan', 'examples', '--endpoint', sandbox.baseUrl]);
    assert.equal(run.code, 1);
    assert.match(run.stdout, /! cannot apply Agent "invoice-agent".* because the server's Agent schema does not define "agentUserName"/);
  });

  test('deprovision --yes deactivates; --delete deletes', async () => {
    const off = await cli(['deprovision', 'examples/*.yaml', '--endpoint', sandbox.baseUrl, '--yes']);
    assert.equal(off.code, 0, off.stdout + off.stderr);
    assert.match(off.stdout, /✓ deactivated Agent "support-triage"/);
    const gone = await cli(['deprovision', 'examples/*.yaml', '--endpoint', sandbox.baseUrl, '--yes', '--delete']);
    assert.equal(gone.code, 0, gone.stdout + gone.stderr);
    assert.match(gone.stdout, /✓ deleted AgenticApplication "assistant-platform"/);
    const list = await sandbox.request('GET', '/Agents');
    assert.equal(list.body.totalResults, 0);
  });

  test('usage errors: token flags, insecure http, missing token; the token is never echoed', async () => {
    const flag = await cli(['plan', 'examples/*.yaml', '--endpoint', sandbox.baseUrl, `--token=${TOKEN}`]);
    assert.equal(flag.code, 2);
    assert.match(flag.stderr, /never taken as flags/);
    const insecure = await cli(['plan', 'examples/*.yaml', '--endpoint', 'http://idp.example.com/scim/v2']);
    assert.equal(insecure.code, 2);
    assert.match(insecure.stderr, /--allow-insecure-http/);
    const missing = await cli(['plan', 'examples/*.yaml', '--endpoint', sandbox.baseUrl, '--token-env', 'NO_SUCH_VAR']);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /NO_SUCH_VAR/);
    // A token in the URL's query is refused before anything is sent (and not echoed: see below).
    const inQuery = await cli(['plan', 'examples/*.yaml', '--endpoint', `${sandbox.baseUrl}?access_token=${TOKEN}`]);
    assert.equal(inQuery.code, 2, inQuery.stderr);
    assert.match(inQuery.stderr, /must not have a query string/);
    const wrong = await cli(['plan', 'examples/*.yaml', '--endpoint', sandbox.baseUrl, '--token-env', 'OTHER'], {
      env: { OTHER: `${TOKEN}-wrong` },
    });
    assert.equal(wrong.code, 1, wrong.stderr);
    assert.match(wrong.stderr, /401/);
    const help = await cli(['plan', '--help']);
    assert.match(help.stdout, /--detailed-exitcode/);
    assert.match(help.stdout, /exit 2 when the plan has changes/);
  });

  test('no output of any run contains the token', () => {
    assert.ok(outputs.length > 10);
    for (const text of outputs) assert.ok(!text.includes(TOKEN), `token leaked in: ${text.slice(0, 200)}`);
  });
});

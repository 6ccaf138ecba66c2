import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runCli } from '../../server/src/cli/main';
import type { CliIO } from '../../server/src/cli/io';

const AGENT = 'urn:ietf:params:scim:schemas:core:2.0:Agent';
let dir: string;
const MESSY = `name:   messy\nschemas: [${AGENT}]\nowners:\n    - value: user:alice\n`;
const TIDY = `schemas: [${AGENT}]\nname: tidy\nowners:\n  - value: user:alice\n`;

async function cli(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const io: CliIO = { stdout: (t) => (out += t), stderr: (t) => (err += t), env: {}, cwd: dir, isTTY: false, readStdin: async () => '' };
  return { code: await runCli(args, io), out, err };
}
const read = (f: string) => fs.readFileSync(path.join(dir, f), 'utf8');

before(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'scim-fmt-'));
  fs.writeFileSync(path.join(dir, 'messy.agent.yaml'), MESSY, { mode: 0o640 });
  fs.writeFileSync(path.join(dir, 'tidy.agent.yaml'), TIDY);
  fs.writeFileSync(path.join(dir, 'broken.agent.yaml'), 'name: [unclosed\n');
});
after(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('scim-agents fmt', () => {
  test('--check lists the unformatted files, writes nothing, exits 1', async () => {
    const r = await cli(['fmt', '--check', 'messy.agent.yaml', 'tidy.agent.yaml']);
    assert.equal(r.code, 1);
    assert.equal(r.out, 'messy.agent.yaml\n');
    assert.equal(read('messy.agent.yaml'), MESSY);
  });

  test('rewrites in place (mode kept, no temporary file left), then --check passes', async () => {
    const r = await cli(['fmt', 'messy.agent.yaml', 'tidy.agent.yaml']);
    assert.equal(r.code, 0, r.err);
    assert.equal(read('messy.agent.yaml'), `name: messy\nschemas: [${AGENT}]\nowners:\n  - value: user:alice\n`);
    assert.equal(fs.statSync(path.join(dir, 'messy.agent.yaml')).mode & 0o777, 0o640);
    assert.deepEqual(fs.readdirSync(dir).sort(), ['broken.agent.yaml', 'messy.agent.yaml', 'tidy.agent.yaml']);
    assert.equal((await cli(['fmt', '--check', 'messy.agent.yaml', 'tidy.agent.yaml'])).code, 0);
  });

  test('--order-keys puts schemas and the keys first', async () => {
    assert.equal((await cli(['fmt', '--order-keys', 'messy.agent.yaml'])).code, 0);
    assert.equal(read('messy.agent.yaml'), `schemas: [${AGENT}]\nname: messy\nowners:\n  - value: user:alice\n`);
  });

  test('a file that does not parse is reported with its line and left alone; exit 1', async () => {
    const r = await cli(['fmt', '.']);
    assert.equal(r.code, 1);
    assert.match(r.err, /^broken\.agent\.yaml: The file does not parse \(line \d+\)/m);
    assert.equal(read('broken.agent.yaml'), 'name: [unclosed\n');
  });

  test('a BOM and CRLF are kept on disk; a formatted file with a BOM passes --check', async () => {
    const bom = '\uFEFF';
    fs.writeFileSync(path.join(dir, 'bom.agent.yaml'), `${bom}${MESSY.replace(/\n/g, '\r\n')}`);
    assert.equal((await cli(['fmt', 'bom.agent.yaml'])).code, 0);
    const bytes = fs.readFileSync(path.join(dir, 'bom.agent.yaml'));
    assert.deepEqual([...bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf], 'the BOM is still there');
    assert.equal(bytes.toString('utf8').slice(1), `name: messy\r\nschemas: [${AGENT}]\r\nowners:\r\n  - value: user:alice\r\n`);
    const check = await cli(['fmt', '--check', 'bom.agent.yaml']);
    assert.equal(check.code, 0, check.out + check.err);
  });

  test('--check says how many files could not be formatted, apart from the unformatted ones', async () => {
    fs.writeFileSync(path.join(dir, 'messy2.agent.yaml'), MESSY);
    const r = await cli(['fmt', '--check', 'broken.agent.yaml', 'messy2.agent.yaml', 'tidy.agent.yaml']);
    assert.equal(r.code, 1);
    assert.match(r.err, /^1 of 3 files are not formatted; run scim-agents fmt\.$/m);
    assert.match(r.err, /^1 of 3 files could not be formatted \(see above\)\.$/m);
    assert.doesNotMatch(r.err, /files formatted\./);
  });
});

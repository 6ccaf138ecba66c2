// Which files are manifests is one fact (server/src/manifest/fileNames.ts): the CLI's scan and the
// language server's scan find the same files under the same URIs, the watchers' glob agrees with
// the name test, and package.json's languages and activation events name the same extensions.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import picomatch from 'picomatch';
import { collectFiles } from '../../server/src/cli/files';
import { includeGlobs, scanFolder } from '../../server/src/lsp/scan';
import { isManifestName, MANIFEST_GLOB } from '../../server/src/manifest/fileNames';
import { pathToUri } from '../../server/src/util/files';
import { repoPath } from '../helpers/repo';

const NAMES = ['a.agent.yaml', 'a.agent.yml', 'a.agent.json', 'b.agents.yaml', 'b.agents.yml', 'b.agents.json'];
const NOT_NAMES = ['agent.yaml', 'a.agent.yaml.bak', 'a.agentx.yaml', 'a.agent.txt', 'a.agent', 'a.yaml', 'a.agents.jsonc'];

describe('manifest file names', () => {
  let root: string;
  before(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'scim-agents-names-'));
    for (const [i, dir] of ['', 'team #1', 'q?x', 'deep/er', 'pct%41'].entries()) {
      fs.mkdirSync(path.join(root, dir), { recursive: true });
      fs.writeFileSync(path.join(root, dir, NAMES[i]!), 'schemas: []\n');
      fs.writeFileSync(path.join(root, dir, NOT_NAMES[i]!), 'schemas: []\n');
    }
  });
  after(() => fs.rmSync(root, { recursive: true, force: true }));

  test('the name test and the watchers glob agree', () => {
    const glob = picomatch(MANIFEST_GLOB);
    for (const name of NAMES) {
      assert.ok(isManifestName(name), name);
      assert.ok(glob(`dir/${name}`), name);
    }
    for (const name of NOT_NAMES) {
      assert.ok(!isManifestName(name), name);
      assert.ok(!glob(`dir/${name}`), name);
    }
  });

  test('the CLI and the language server find the same manifests, under the same URIs', async () => {
    const cli = (await collectFiles(['.'], root)).map(pathToUri).sort();
    const lsp = (await scanFolder(root, includeGlobs([], true).matcher)).sort();
    assert.equal(cli.length, 5);
    assert.deepEqual(cli, lsp);
    assert.ok(cli.some((u) => u.includes('/team%20%231/')));
    assert.ok(cli.some((u) => u.includes('/q%3Fx/')));
    assert.ok(cli.some((u) => u.includes('/pct%2541/')));
  });

  test("package.json's languages and activation events name exactly the manifest extensions", () => {
    const pkg = JSON.parse(fs.readFileSync(repoPath('package.json'), 'utf8')) as {
      activationEvents: string[];
      contributes: { languages: { id: string; extensions: string[] }[] };
    };
    const extensions = pkg.contributes.languages.filter((l) => l.id === 'scim-agents-yaml' || l.id === 'scim-agents-json').flatMap((l) => l.extensions);
    assert.deepEqual(
      extensions.map((e) => `a${e}`).filter(isManifestName),
      extensions.map((e) => `a${e}`),
    );
    assert.deepEqual(new Set(extensions.map((e) => e.replace(/^\.agents?\./, ''))), new Set(['yaml', 'yml', 'json']));
    assert.equal(extensions.length, NAMES.length);
    const activation = pkg.activationEvents.filter((e) => e.startsWith('workspaceContains:')).map((e) => picomatch(e.slice('workspaceContains:'.length)));
    for (const name of NAMES)
      assert.ok(
        activation.some((m) => m(`dir/${name}`)),
        name,
      );
  });
});

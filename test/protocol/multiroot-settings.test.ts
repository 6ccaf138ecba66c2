// Settings per workspace folder: `workspace/configuration` is asked once per folder (its
// `scopeUri`) and for the window, and each file is linted with the settings of the folder that
// holds it (the window's outside every folder), together with its own `.scim-agents.yaml`.
// A folder's change re-validates that folder's files only; folders come and go. A plan gates
// on the severities of its files' folder.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Diagnostic } from 'vscode-languageserver-protocol';
import { withSandbox, type TestSandbox } from '../helpers/sandbox';
import { LspClient, removeWorkspace, tempWorkspace } from './lspClient';

/** One manifest, the same text in every folder: a non-canonical key, a read-only attribute, one externalId. */
const BOT = 'schemas: [urn:ietf:params:scim:schemas:core:2.0:Agent]\nexternalId: bot\nname: bot\nDisplayName: Bot\nid: abc\nowners:\n  - value: user:alice\n';
/** The same resource under other identifiers, so that it is no duplicate of the others. */
const LONE = BOT.replace('externalId: bot', 'externalId: lone').replace('name: bot', 'name: lone');
const ERROR = 1;
const WARNING = 2;
const INFO = 3;

const uriOf = (folder: string, rel: string) => pathToFileURL(path.join(folder, rel)).toString();
/** code → severity, for the codes a diagnostic list has. */
const severities = (ds: Diagnostic[]) => Object.fromEntries(ds.map((d) => [String(d.code), d.severity]));

describe('settings per workspace folder', () => {
  let alpha: string;
  let beta: string;
  let gamma: string;
  let outside: string;
  let client: LspClient;
  const alphaSettings = { profile: 'abbey-00', rules: { 'attribute-case': 'error', 'duplicate-identifier': 'info' } };
  const betaSettings = { profile: 'wzdk-00', rules: { 'attribute-case': 'off' } };

  before(async () => {
    // alpha's configuration file sets two severities; its folder's setting wins for one of them.
    alpha = tempWorkspace({ 'bot.agent.yaml': BOT, '.scim-agents.yaml': 'rules:\n  attribute-case: info\n  read-only-attribute: error\n' });
    beta = tempWorkspace({ 'bot.agent.yaml': BOT });
    gamma = tempWorkspace({ 'bot.agent.yaml': BOT });
    outside = tempWorkspace({});
    client = await LspClient.start(alpha, {
      extraFolders: [beta],
      settings: { rules: { 'read-only-attribute': 'info' } },
      folderSettings: { [alpha]: alphaSettings, [beta]: betaSettings },
    });
    // Opened once the settings are read and the folders scanned, so that every publication below follows the settings.
    await client.waitFor('the workspace scan', () => client.logs.some((l) => /Indexed \d+ manifest/.test(l)));
    client.open(uriOf(alpha, 'bot.agent.yaml'), BOT);
    client.open(uriOf(beta, 'bot.agent.yaml'), BOT);
    client.open(uriOf(outside, 'bot.agent.yaml'), LONE);
  });
  after(async () => {
    await client.stop();
    for (const dir of [alpha, beta, gamma, outside]) removeWorkspace(dir);
  });

  it('asks for the window and for each folder by its URI', async () => {
    await client.diagnostics(uriOf(beta, 'bot.agent.yaml'), (ds) => ds.length > 0);
    const first = client.configurationRequests[0]!;
    assert.deepEqual(first, [
      { section: 'SCIMAgents' },
      { section: 'SCIMAgents', scopeUri: pathToFileURL(alpha).toString() },
      { section: 'SCIMAgents', scopeUri: pathToFileURL(beta).toString() },
    ]);
  });

  it("the same manifest gets each folder's profile and severities, the configuration file's below them, the window's outside", async () => {
    const a = severities(await client.diagnostics(uriOf(alpha, 'bot.agent.yaml'), (ds) => ds.some((d) => d.code === 'duplicate-identifier')));
    assert.equal(a['attribute-case'], ERROR, "alpha's setting wins over its .scim-agents.yaml (info)");
    assert.equal(a['read-only-attribute'], ERROR, "alpha's .scim-agents.yaml, which its settings leave alone");
    assert.equal(a['duplicate-identifier'], INFO, "a cross-file finding, at alpha's severity");
    assert.equal(a['required-missing'], undefined, 'abbey-00: the name is all an Agent needs');

    const b = severities(await client.diagnostics(uriOf(beta, 'bot.agent.yaml'), (ds) => ds.some((d) => d.code === 'duplicate-identifier')));
    assert.equal(b['attribute-case'], undefined, "off in beta's settings");
    assert.equal(b['read-only-attribute'], WARNING, "beta has no configuration file, and the window's setting is not beta's");
    assert.equal(b['duplicate-identifier'], ERROR, 'the same cross-file finding, at the default severity in beta');
    assert.equal(b['required-missing'], ERROR, 'wzdk-00: agentUserName and active are required');

    const o = severities(await client.diagnostics(uriOf(outside, 'bot.agent.yaml'), (ds) => ds.length > 0));
    assert.equal(o['read-only-attribute'], INFO, "outside every folder: the window's setting");
    assert.equal(o['attribute-case'], WARNING, 'the default severity');
  });

  it("one folder's change re-validates that folder's files only", async () => {
    const betaUri = uriOf(beta, 'bot.agent.yaml');
    const outsideUri = uriOf(outside, 'bot.agent.yaml');
    await client.diagnostics(betaUri, (ds) => ds.some((d) => d.code === 'duplicate-identifier'));
    const betaBefore = client.published.get(betaUri)!.length;
    const outsideBefore = client.published.get(outsideUri)!.length;
    const logsBefore = client.logs.length;

    client.folderSettings.set(pathToFileURL(alpha).toString(), { profile: 'wzdk-00', rules: { 'attribute-case': 'warning' } });
    await client.setSettings(client.settings);
    const a = severities(
      await client.diagnostics(uriOf(alpha, 'bot.agent.yaml'), (ds) => ds.some((d) => d.code === 'attribute-case' && d.severity === WARNING), 'alpha again'),
    );
    assert.equal(a['required-missing'], ERROR, "alpha's new profile");
    assert.equal(a['duplicate-identifier'], ERROR, 'alpha no longer sets its severity');
    // The server logs this once everything the change set off has been validated and published.
    await client.waitFor('the end of the re-validation', () =>
      client.logs.slice(logsBefore).some((l) => /Settings changed: validated 1 file\(s\) again/.test(l)),
    );
    assert.equal(client.published.get(betaUri)!.length, betaBefore, 'beta (open) was not published again');
    assert.equal(client.published.get(outsideUri)!.length, outsideBefore, 'the file outside every folder was not published again');
  });

  it('a folder added is scanned with its own settings; a file of a removed folder gets the window settings', async () => {
    const gammaUri = pathToFileURL(gamma).toString();
    client.folderSettings.set(gammaUri, { rules: { 'attribute-case': 'info' } });
    await client.conn.sendNotification('workspace/didChangeWorkspaceFolders', {
      event: { added: [{ uri: gammaUri, name: 'gamma' }], removed: [{ uri: pathToFileURL(beta).toString(), name: path.basename(beta) }] },
    });
    const g = severities(await client.diagnostics(uriOf(gamma, 'bot.agent.yaml'), (ds) => ds.length > 0, 'gamma scanned'));
    assert.equal(g['attribute-case'], INFO, "gamma's setting");
    assert.ok(
      client.configurationRequests.at(-1)!.some((item) => item.scopeUri === gammaUri) &&
        !client.configurationRequests.at(-1)!.some((item) => item.scopeUri === pathToFileURL(beta).toString()),
      'the new folder is asked for, the removed one no longer',
    );
    // beta's file is still open: it stays, outside every folder now.
    const b = severities(
      await client.diagnostics(uriOf(beta, 'bot.agent.yaml'), (ds) => ds.some((d) => d.code === 'attribute-case'), "beta's file with the window settings"),
    );
    assert.equal(b['attribute-case'], WARNING);
    assert.equal(b['read-only-attribute'], INFO, "the window's setting");
    assert.equal(b['required-missing'], undefined, 'no longer wzdk-00');
  });
});

describe("a plan gates on its folder's severities", () => {
  const token = `tok-${Date.now()}`;
  /** An agent with a misspelt attribute (`unknown-attribute`, an error by default). */
  const misspelt = (id: string) =>
    `schemas: [urn:ietf:params:scim:schemas:core:2.0:Agent]\nexternalId: ${id}\nname: ${id}\ndisplayNam: Bot\nowners:\n  - value: user:alice\n`;
  let sandbox: TestSandbox;
  let alpha: string;
  let beta: string;
  let client: LspClient;
  const plan = (uri: string) =>
    client.request<{ counts: Record<string, number> }>('workspace/executeCommand', { command: 'scimAgents.plan', arguments: [{ uri, token }] });

  before(async () => {
    sandbox = await withSandbox({ token });
    alpha = tempWorkspace({ 'a.agent.yaml': misspelt('a') });
    beta = tempWorkspace({ 'b.agent.yaml': misspelt('b') });
    client = await LspClient.start(alpha, {
      extraFolders: [beta],
      folderSettings: { [alpha]: { rules: { 'unknown-attribute': 'warning' } } },
      initializationOptions: { workspaceTrusted: true, endpoint: { url: sandbox.baseUrl } },
    });
    await client.diagnostics(uriOf(beta, 'b.agent.yaml'), (ds) => ds.some((d) => d.code === 'unknown-attribute'));
  });
  after(async () => {
    await client.stop();
    await sandbox.dispose();
    removeWorkspace(alpha);
    removeWorkspace(beta);
  });

  it('a rule lowered to a warning in one folder does not block its file; the other folder keeps the error', async () => {
    const a = await client.diagnostics(uriOf(alpha, 'a.agent.yaml'), (ds) => ds.some((d) => d.code === 'unknown-attribute'));
    assert.equal(a.find((d) => d.code === 'unknown-attribute')!.severity, WARNING);
    assert.deepEqual((await plan(uriOf(alpha, 'a.agent.yaml'))).counts, { create: 1, update: 0, unchanged: 0, cannotApply: 0 });
    assert.deepEqual((await plan(uriOf(beta, 'b.agent.yaml'))).counts, { create: 0, update: 0, unchanged: 0, cannotApply: 1 });
  });
});

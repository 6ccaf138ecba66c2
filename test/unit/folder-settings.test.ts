// Which settings a file gets in a multi-root window: its innermost workspace folder's, the
// window's outside every folder; and the server state re-lints only the files whose settings changed.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { TextDocuments } from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { DEFAULT_SETTINGS, FolderSettings, type ServerSettings } from '../../server/src/lsp/settings';
import { ServerState } from '../../server/src/lsp/state';

const withRules = (rules: ServerSettings['rules'], profile: ServerSettings['profile'] = 'auto'): ServerSettings => ({ ...DEFAULT_SETTINGS, profile, rules });

describe('FolderSettings', () => {
  const window = withRules({ 'attribute-case': 'info' });
  const work = withRules({ 'attribute-case': 'error' });
  const nested = withRules({ 'attribute-case': 'off' });
  const settings = new FolderSettings(window, [
    ['file:///w', work],
    ['file:///w/sub/', nested],
  ]);

  it('gives a file the settings of the innermost folder that holds it', () => {
    assert.equal(settings.of('file:///w/a.agent.yaml'), work);
    assert.equal(settings.of('file:///w/sub/b.agent.yaml'), nested);
    assert.equal(settings.of('file:///w/subway/c.agent.yaml'), work, 'a folder is a whole path segment, not a prefix of a name');
    assert.equal(settings.folderOf('file:///w/sub/deeper/d.agent.yaml'), 'file:///w/sub/');
  });

  it("gives a file outside every folder the window's", () => {
    assert.equal(settings.of('file:///w2/a.agent.yaml'), window);
    assert.equal(settings.of('untitled:Untitled-1'), window);
    assert.equal(settings.folderOf('file:///elsewhere/a.agent.yaml'), undefined);
  });

  it('compares every scope', () => {
    assert.ok(
      settings.equals(
        new FolderSettings(window, [
          ['file:///w/', work],
          ['file:///w/sub', nested],
        ]),
      ),
    );
    assert.ok(!settings.equals(new FolderSettings(window, [['file:///w', work]])), 'a folder fewer');
    assert.ok(
      !settings.equals(
        new FolderSettings(window, [
          ['file:///w', work],
          ['file:///w/sub/', window],
        ]),
      ),
      "one folder's settings",
    );
    assert.ok(
      !settings.equals(
        new FolderSettings(work, [
          ['file:///w', work],
          ['file:///w/sub/', nested],
        ]),
      ),
      "the window's",
    );
  });
});

describe('ServerState.applySettings', () => {
  const AGENT = 'schemas: [urn:ietf:params:scim:schemas:core:2.0:Agent]\nname: bot\nDisplayName: Bot\nowners:\n  - value: user:alice\n';

  it("re-lints and re-binds the files of the folders whose settings changed, and keeps the others' findings", () => {
    const state = new ServerState(new TextDocuments(TextDocument));
    const a = 'file:///a/bot.agent.yaml';
    const b = 'file:///b/bot.agent.yaml';
    state.setText(a, AGENT);
    state.setText(b, AGENT.replace('name: bot', 'name: other'));
    state.applySettings(
      new FolderSettings(DEFAULT_SETTINGS, [
        ['file:///a', withRules({ 'attribute-case': 'error' })],
        ['file:///b', DEFAULT_SETTINGS],
      ]),
    );
    const severity = (uri: string) => state.findings(uri).find((f) => f.code === 'attribute-case')?.severity;
    assert.equal(severity(a), 'error');
    assert.equal(severity(b), 'warning');
    const bBefore = state.localFindings(b);
    const bAnalysis = state.analysis(b);

    const affected = state.applySettings(
      new FolderSettings(DEFAULT_SETTINGS, [
        ['file:///a', withRules({ 'attribute-case': 'off' }, 'wzdk-00')],
        ['file:///b', DEFAULT_SETTINGS],
      ]),
    );
    assert.deepEqual(affected, [a]);
    assert.equal(severity(a), undefined);
    assert.equal(state.analysis(a)!.resources[0]!.profile.id, 'wzdk-00', "a's new profile");
    assert.equal(state.analysis(b), bAnalysis, 'b is not bound again');
    assert.equal(state.localFindings(b), bBefore, "b's findings are kept");
    assert.deepEqual(state.applySettings(state.allSettings), [], 'the same settings again change nothing');
  });
});

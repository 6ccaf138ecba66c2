// Format Document, Rename (F2) and inlay hints over the protocol, against the bundled server over stdio.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { InlayHint, TextEdit, WorkspaceEdit } from 'vscode-languageserver-protocol';
import { applyEdits, LspClient, removeWorkspace, tempWorkspace } from './lspClient';

const AGENT = 'urn:ietf:params:scim:schemas:core:2.0:Agent';
const APP = 'urn:ietf:params:scim:schemas:core:2.0:AgenticApplication';
const FILES = {
  'people.agents.yaml': `schemas: [urn:ietf:params:scim:schemas:core:2.0:User]\nuserName: alice\ndisplayName: Alice Example\nactive: false\n---\nschemas: [urn:ietf:params:scim:schemas:core:2.0:Group]\ndisplayName: AI Platform Team\n`,
  'orchestrator.agent.yaml': `schemas: [${AGENT}]\nexternalId: orch-1\nname: orchestrator\ndisplayName: Orchestrator Agent\nowners:\n  - value: user:alice\n`,
  'worker.agent.yaml': `schemas: [${AGENT}]\nname: worker   # no externalId: the name is the provisioning key\nowners:\n  - value: "user:alice"\nparent:\n  value: agent:orch-1\n`,
  'suite/app.agents.json': JSON.stringify({ schemas: [APP], name: 'suite', agents: [{ value: 'agent:orch-1' }, { value: 'agent:worker' }] }, null, 2) + '\n',
};

/** Applies a WorkspaceEdit to the files on disk's texts, returning uri → new text. */
function applyWorkspaceEdit(root: string, edit: WorkspaceEdit): Map<string, string> {
  const out = new Map<string, string>();
  const perUri: [string, TextEdit[]][] = edit.documentChanges
    ? edit.documentChanges.map((d) => ['textDocument' in d ? d.textDocument.uri : '', 'edits' in d ? (d.edits as TextEdit[]) : []])
    : Object.entries(edit.changes ?? {});
  for (const [uri, edits] of perUri) {
    const file = fileURLToPath(uri);
    assert.ok(file.startsWith(root));
    out.set(path.relative(root, file), applyEdits(fs.readFileSync(file, 'utf8'), edits));
  }
  return out;
}

describe('format and rename over LSP', () => {
  let root: string;
  let client: LspClient;
  let annotated: LspClient;

  before(async () => {
    root = tempWorkspace(FILES);
    client = await LspClient.start(root);
    annotated = await LspClient.start(root, {
      capabilities: {
        workspace: { configuration: true, workspaceEdit: { documentChanges: true, changeAnnotationSupport: { groupsOnLabel: true } } },
        textDocument: { publishDiagnostics: { versionSupport: true } },
      },
    });
    for (const c of [client, annotated]) await c.diagnostics(c.uri('worker.agent.yaml'), () => true, 'the workspace to be indexed');
  });
  after(async () => {
    await client.stop();
    await annotated.stop();
    removeWorkspace(root);
  });

  it('Format Document returns line edits that give the formatted text, comments kept', async () => {
    const uri = client.uri('messy.agent.yaml');
    const text = `# keep me\nschemas:   [${AGENT}]\nname:    messy   # and me\nowners:\n    -   value: user:alice\n`;
    client.open(uri, text);
    const edits = await client.request<TextEdit[]>('textDocument/formatting', { textDocument: { uri }, options: { tabSize: 2, insertSpaces: true } });
    assert.equal(applyEdits(text, edits), `# keep me\nschemas: [${AGENT}]\nname: messy # and me\nowners:\n  - value: user:alice\n`);
    assert.ok(
      edits.every((e) => e.range.start.line >= 1),
      'the untouched first line is not edited',
    );
    client.close(uri);
  });

  it('Format Document leaves a file that does not parse alone', async () => {
    const uri = client.uri('broken.agent.yaml');
    client.open(uri, 'schemas: [unclosed\nname:   x\n');
    const edits = await client.request<TextEdit[]>('textDocument/formatting', { textDocument: { uri }, options: { tabSize: 2, insertSpaces: true } });
    assert.deepEqual(edits, []);
    client.close(uri);
  });

  it('F2 on an externalId renames it and every reference by it in every file, and asks to confirm', async () => {
    const uri = annotated.uri('orchestrator.agent.yaml');
    const prep = await annotated.request<{ range: unknown; placeholder: string }>('textDocument/prepareRename', {
      textDocument: { uri },
      position: { line: 1, character: 14 },
    });
    assert.equal(prep.placeholder, 'orch-1');
    const edit = await annotated.request<WorkspaceEdit>('textDocument/rename', {
      textDocument: { uri },
      position: { line: 1, character: 14 },
      newName: 'orchestrator-main',
    });
    const files = applyWorkspaceEdit(root, edit);
    assert.match(files.get('orchestrator.agent.yaml')!, /^externalId: orchestrator-main$/m);
    assert.match(files.get('worker.agent.yaml')!, /value: agent:orchestrator-main/);
    assert.match(files.get('suite/app.agents.json')!, /"value": "agent:orchestrator-main"/);
    assert.match(files.get('suite/app.agents.json')!, /"value": "agent:worker"/, 'other references untouched');
    const note = Object.values(edit.changeAnnotations ?? {})[0];
    assert.ok(note?.needsConfirmation, 'renaming the provisioning key needs confirmation');
    assert.match(note.description ?? '', /new identity/);
  });

  it("F2 on a reference renames the target's key (a name when that is what the reference uses), quoting kept", async () => {
    const uri = client.uri('suite/app.agents.json');
    const text = fs.readFileSync(fileURLToPath(uri), 'utf8');
    const line = text.split('\n').findIndex((l) => l.includes('agent:worker'));
    const character = text.split('\n')[line]!.indexOf('worker');
    const prep = await client.request<{ placeholder: string }>('textDocument/prepareRename', { textDocument: { uri }, position: { line, character } });
    assert.equal(prep.placeholder, 'worker');
    const edit = await client.request<WorkspaceEdit>('textDocument/rename', { textDocument: { uri }, position: { line, character }, newName: 'worker: east' });
    const files = applyWorkspaceEdit(root, edit);
    assert.match(files.get('worker.agent.yaml')!, /^name: "worker: east" {3}# no externalId/m, 'a value that needs quotes gets them, the comment stays');
    assert.match(files.get('suite/app.agents.json')!, /"value": "agent:worker: east"/);
    assert.equal(files.size, 2);
  });

  it('F2 on a user reference renames the userName; a taken key and a place without a key are refused', async () => {
    const uri = client.uri('worker.agent.yaml');
    const edit = await client.request<WorkspaceEdit>('textDocument/rename', {
      textDocument: { uri },
      position: { line: 3, character: 17 },
      newName: 'alice.smith',
    });
    const files = applyWorkspaceEdit(root, edit);
    assert.match(files.get('people.agents.yaml')!, /^userName: alice\.smith$/m);
    assert.match(files.get('worker.agent.yaml')!, /value: "user:alice\.smith"/, 'double quotes kept');
    assert.match(files.get('orchestrator.agent.yaml')!, /value: user:alice\.smith/);
    await assert.rejects(
      client.request('textDocument/rename', {
        textDocument: { uri: client.uri('orchestrator.agent.yaml') },
        position: { line: 2, character: 8 },
        newName: 'worker',
      }),
      /already names Agent "worker"/,
    );
    await assert.rejects(client.request('textDocument/prepareRename', { textDocument: { uri }, position: { line: 0, character: 2 } }), /Rename works on/);
  });
  it('inlay hints say what each reference resolves to: a name, inactive, or nothing known', async () => {
    const uri = client.uri('hints.agent.yaml');
    const text = `schemas: [${AGENT}]\nname: hinted\nowners:\n  - value: user:alice\n  - value: user:mallory\n  - value: group:AI Platform Team\nparent:\n  value: agent:orch-1\n`;
    client.open(uri, text);
    const hints = await client.request<InlayHint[]>('textDocument/inlayHint', {
      textDocument: { uri },
      range: { start: { line: 0, character: 0 }, end: { line: 9, character: 0 } },
    });
    const byLine = new Map(hints.map((h) => [h.position.line, String(h.label).trim()]));
    assert.equal(byLine.get(3), 'Alice Example (inactive)');
    assert.equal(byLine.get(4), 'no such user in the workspace');
    assert.equal(byLine.get(5), 'no members');
    assert.equal(byLine.get(7), 'Orchestrator Agent');
    assert.equal(hints.find((h) => h.position.line === 3)!.position.character, '  - value: user:alice'.length, 'after the value');
    client.close(uri);
  });
});

// The client/server protocol is declared once (server/src/lsp/protocol): the commands the
// extension contributes in package.json are the protocol's editor commands, no server command
// shares an id with one (the language client registers every server command as an editor
// command of the same name), and neither side spells a command id of its own.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { EDITOR_COMMANDS, INTERNAL_EDITOR_COMMANDS, SERVER_COMMANDS } from '../../server/src/lsp/protocol';
import { repoPath } from '../helpers/repo';

const contributed = (
  JSON.parse(fs.readFileSync(repoPath('package.json'), 'utf8')) as { contributes: { commands: { command: string }[] } }
).contributes.commands.map((c) => c.command);
const editor = Object.values(EDITOR_COMMANDS);
const internal = Object.values(INTERNAL_EDITOR_COMMANDS);
const server = Object.values(SERVER_COMMANDS);

function sources(dir: string, out: string[] = []): string[] {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) sources(p, out);
    else if (e.name.endsWith('.ts')) out.push(p);
  }
  return out;
}

describe('the protocol module', () => {
  test('package.json contributes exactly the editor commands', () => {
    assert.deepEqual([...contributed].sort(), [...editor].sort());
  });

  test('every id is declared once and no two kinds share one', () => {
    const all = [...editor, ...internal, ...server];
    assert.equal(new Set(all).size, all.length, 'an id declared twice');
    for (const id of all) assert.match(id, /^scimAgents\.[a-z][A-Za-z.]+$/, id);
  });

  test('neither the client nor the rest of the server spells a command id in a string', () => {
    const protocol = repoPath(path.join('server', 'src', 'lsp', 'protocol'));
    const files = [...sources(repoPath(path.join('client', 'src'))), ...sources(repoPath(path.join('server', 'src', 'lsp')))].filter(
      (f) => !f.startsWith(protocol + path.sep),
    );
    assert.ok(files.length > 40, `${files.length} files read`);
    const ids = new Set<string>([...editor, ...internal, ...server]);
    const literal = /(['"])(scimAgents\.[A-Za-z.]+)\1/g;
    const spelled: string[] = [];
    for (const f of files) {
      for (const m of fs.readFileSync(f, 'utf8').matchAll(literal)) if (ids.has(m[2]!)) spelled.push(`${path.relative(protocol, f)}: ${m[2]}`);
    }
    assert.deepEqual(spelled, []);
  });
});

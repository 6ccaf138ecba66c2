// The Getting Started walkthrough (package.json contributes.walkthroughs): every command a step
// names or waits for exists, every media file (and each image it shows) exists and ships.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { repoPath } from '../helpers/repo';
import { EDITOR_COMMANDS } from '../../server/src/lsp/protocol';

interface Step {
  id: string;
  title: string;
  description: string;
  media: { markdown?: string; image?: string; altText?: string };
  completionEvents?: string[];
}

const ROOT = path.dirname(repoPath('package.json'));
const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
  contributes: { commands: { command: string }[]; walkthroughs: { id: string; title: string; steps: Step[] }[] };
};
/** Commands of VS Code itself that a step may use. */
const BUILT_IN = new Set(['editor.action.quickFix']);
const contributed = new Set(pkg.contributes.commands.map((c) => c.command));
const clientSource = fs
  .readdirSync(path.join(ROOT, 'client/src'), { recursive: true, withFileTypes: true })
  .filter((e) => e.isFile() && e.name.endsWith('.ts'))
  .map((e) => fs.readFileSync(path.join(e.parentPath, e.name), 'utf8'))
  .join('\n');

/** Whether a path relative to the package root is let into the vsix by .vscodeignore's `!` lines. */
function ships(rel: string): boolean {
  const allowed = fs
    .readFileSync(path.join(ROOT, '.vscodeignore'), 'utf8')
    .split('\n')
    .filter((l) => l.startsWith('!'))
    .map((l) => l.slice(1).trim());
  return allowed.some((glob) => {
    // `**` any path, `*` within one segment; everything else literal.
    const pattern = glob.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*\*|\*/g, (m) => (m === '**' ? '.*' : '[^/]*'));
    return new RegExp(`^${pattern}$`).test(rel);
  });
}

describe('Getting Started walkthrough', () => {
  const walkthroughs = pkg.contributes.walkthroughs;

  test('there is one, with the steps from a new manifest to a provisioned agent', () => {
    assert.equal(walkthroughs.length, 1);
    assert.deepEqual(
      walkthroughs[0]!.steps.map((s) => s.id),
      ['create', 'fix', 'sandbox', 'provision'],
    );
  });

  for (const step of walkthroughs.flatMap((w) => w.steps)) {
    test(`step "${step.id}": its commands exist and are registered by the client`, () => {
      const linked = [...step.description.matchAll(/\(command:([A-Za-z0-9_.-]+)\)/g)].map((m) => m[1]!);
      const awaited = (step.completionEvents ?? []).filter((e) => e.startsWith('onCommand:')).map((e) => e.slice('onCommand:'.length));
      assert.ok(linked.length > 0, 'a button to do the step');
      assert.ok((step.completionEvents ?? []).length > 0, 'an event that checks the step off');
      for (const id of [...linked, ...awaited]) {
        if (BUILT_IN.has(id)) continue;
        assert.ok(contributed.has(id), `${id} is a contributed command`);
        const key = Object.entries(EDITOR_COMMANDS).find(([, value]) => value === id)?.[0];
        assert.ok(key, `${id} is declared in the protocol module's EDITOR_COMMANDS`);
        assert.ok(clientSource.includes(`EDITOR_COMMANDS.${key}`), `${id} is registered in client/src`);
      }
      for (const id of awaited) assert.ok(linked.includes(id), `${id}: the step's button runs what checks it off`);
      for (const event of (step.completionEvents ?? []).filter((e) => e.startsWith('onContext:'))) {
        const key = /^onContext:\s*!?([A-Za-z0-9_.]+)/.exec(event)?.[1];
        assert.ok(key && clientSource.includes(`'${key}'`), `${event}: the client sets the context key`);
      }
    });

    test(`step "${step.id}": its media and the images they show exist and ship in the vsix`, () => {
      const media = step.media.markdown ?? step.media.image;
      assert.ok(media, 'a media file');
      assert.ok(fs.existsSync(path.join(ROOT, media)), `${media} exists`);
      assert.ok(ships(media), `${media} is in the vsix (.vscodeignore)`);
      if (!step.media.markdown) return;
      const images = [...fs.readFileSync(path.join(ROOT, media), 'utf8').matchAll(/!\[[^\]]*\]\(([^)]+)\)/g)].map((m) => m[1]!);
      for (const image of images) {
        const rel = path.posix.join(path.posix.dirname(media), image);
        assert.ok(fs.existsSync(path.join(ROOT, rel)), `${rel} exists`);
        assert.ok(ships(rel), `${rel} is in the vsix (.vscodeignore)`);
      }
    });
  }
});

/**
 * In-process profile of typing in a large file: the server's path for one validation (ServerState:
 * index.set with the previous parse, lintFile and lintCrossFile with their memo keys, diagnostics
 * conversion), without the debounce and without LSP. Opens an agentsFile, then edits one
 * `displayName` line: the first edit after opening, then more; and bursts of inserts (one
 * validation after 30 keys, as the debounce makes of a burst). Not part of `npm run bench`:
 * `node dist/bench/typingProfile.js [resources] [repeats]`.
 */
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { TextDocuments } from 'vscode-languageserver';
import { ServerState } from '../server/src/lsp/state';
import { toDiagnostic } from '../server/src/lsp/convert';
import { agentsFile, displayNameLine } from './generate';
import { stat } from './stats';

const URI = 'file:///bench/bench.agents.yaml';

/**
 * Wall time. Not the process's CPU time: that counts the optimising compiler's threads, which
 * run beside the validation (the first edit after opening compiles its path).
 */
const now = () => performance.now();

function validate(state: ServerState): number {
  const t = now();
  const findings = state.findings(URI);
  const f = state.index.get(URI)!;
  const diagnostics = findings.map((x) => toDiagnostic(f.manifest.lines, x));
  JSON.stringify(diagnostics);
  const ms = now() - t;
  // As the scheduler does once the diagnostics are out: the line starts found then, not at the next keystroke.
  void f.manifest.lines.lineCount;
  return ms;
}

// One function per kind of validation, so that a CPU profile (--cpu-prof) tells them apart.
// Garbage of the driver's own (text splits) is collected first, when run with --expose-gc.
const gc = () => (globalThis as { gc?: () => void }).gc?.();
const labelled = (label: string, s: ServerState) => {
  if (process.env.MARKS) console.log(`== ${label}`); // to read --trace-opt/--trace-deopt by phase
  return validate(s);
};
const openFile = (s: ServerState) => labelled('open', s);
const firstEdit = (s: ServerState) => labelled('first', s);
const laterEdit = (s: ServerState) => labelled('later', s);
const burstMid = (s: ServerState) => labelled('mid', s);
const burstTop = (s: ServerState) => labelled('top', s);

async function run(resources: number, repeats: number): Promise<void> {
  const firsts: number[] = [];
  const laters: number[] = [];
  const opens: number[] = [];
  const mid: number[] = [];
  const top: number[] = [];
  const seq: number[] = [];
  for (let rep = 0; rep < repeats; rep++) {
    let doc = TextDocument.create(URI, 'scim-agents-yaml', 1, agentsFile(resources));
    const docs = { get: (uri: string) => (uri === URI ? doc : undefined) } as unknown as TextDocuments<TextDocument>;
    const state = new ServerState(docs);
    gc();
    opens.push(openFile(state));
    const change = (line: number, character: number, endCharacter: number, text: string) => {
      doc = TextDocument.update(doc, [{ range: { start: { line, character }, end: { line, character: endCharacter } }, text }], doc.version + 1);
    };
    const target = Math.floor(resources / 2);
    const line = displayNameLine(target);
    for (let k = 0; k < 6; k++) {
      const old = doc.getText().split('\n')[line]!;
      change(line, 0, old.length, `displayName: Edited agent ${target} v${k + 2}`);
      gc();
      const ms = k === 0 ? firstEdit(state) : laterEdit(state);
      (k === 0 ? firsts : laters).push(ms);
      seq.push(ms);
    }
    for (const [where, out] of [
      ['mid', mid],
      ['top', top],
    ] as const) {
      const at = displayNameLine(where === 'top' ? 0 : target);
      for (let b = 0; b < 3; b++) {
        for (let key = 0; key < 30; key++) {
          const len = doc.getText().split('\n')[at]!.length;
          change(at, len, len, 'x');
        }
        gc();
        out.push(where === 'mid' ? burstMid(state) : burstTop(state));
      }
    }
  }
  const fmt = (s: ReturnType<typeof stat>) => JSON.stringify(s);
  if (process.env.SEQ) console.log('edits in order, per repeat:', JSON.stringify(seq.map((x) => Math.round(x))));
  console.log(`${resources} resources: open ${fmt(stat(opens))}`);
  console.log(`  first edit ${fmt(stat(firsts))}  later edits ${fmt(stat(laters))}`);
  console.log(`  burst mid ${fmt(stat(mid))}  top ${fmt(stat(top))}`);
}

const sizes = process.argv[2] ? [Number(process.argv[2])] : [1000, 5000];
const repeats = Number(process.argv[3] ?? 5);
void (async () => {
  for (const n of sizes) await run(n, repeats);
})();

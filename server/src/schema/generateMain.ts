/**
 * Build step (run by esbuild.mjs before bundling): writes the JSON Schemas generated from the
 * definitions into schemas/generated/, or into the folder given as the first argument.
 * Files are rewritten only when their text changes, and stale files are removed.
 */
import fs from 'node:fs';
import path from 'node:path';
import { generatedFiles } from './generate';
import { PRECOMPILED_PATH, precompiledValidators } from './precompile';

const outDir = path.resolve(process.argv[2] ?? path.join('schemas', 'generated'));
const files = generatedFiles();
files.set(PRECOMPILED_PATH, precompiledValidators());
let written = 0;
for (const [rel, text] of files) {
  const file = path.join(outDir, rel);
  if (fs.existsSync(file) && fs.readFileSync(file, 'utf8') === text) continue;
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
  written++;
}
const wanted = new Set([...files.keys()].map((rel) => path.join(outDir, rel)));
for (const entry of fs.readdirSync(outDir, { recursive: true, withFileTypes: true })) {
  const file = path.join(entry.parentPath ?? entry.path, entry.name);
  if (entry.isFile() && entry.name.endsWith('.schema.json') && !wanted.has(file)) fs.rmSync(file);
}
if (written)
  console.log(
    `schemas: wrote ${written} of ${files.size} generated files (JSON Schemas, precompiled validators) to ${path.relative(process.cwd(), outDir) || '.'}`,
  );

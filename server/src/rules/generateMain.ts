/**
 * Build step (run by esbuild.mjs before bundling): writes what follows from the rule
 * declarations: one help page per rule under docs/rules/, and the `SCIMAgents.rules` setting in
 * package.json. Files are rewritten only when their text changes; stale pages are removed.
 */
import fs from 'node:fs';
import path from 'node:path';
import { RULE_DOCS_DIR, rulePage, rulePagePath, ruleSettingSchema } from './catalogue';
import { RULES } from './registry';

const root = path.resolve(process.argv[2] ?? '.');
let written = 0;
const write = (file: string, text: string) => {
  if (fs.existsSync(file) && fs.readFileSync(file, 'utf8') === text) return;
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
  written++;
};

const wanted = new Set<string>();
for (const rule of RULES) {
  const file = path.join(root, rulePagePath(rule.code));
  wanted.add(file);
  write(file, rulePage(rule));
}
for (const name of fs.readdirSync(path.join(root, RULE_DOCS_DIR))) {
  const file = path.join(root, RULE_DOCS_DIR, name);
  if (name.endsWith('.md') && !wanted.has(file)) fs.rmSync(file);
}

const pkgFile = path.join(root, 'package.json');
const pkg = JSON.parse(fs.readFileSync(pkgFile, 'utf8'));
pkg.contributes.configuration.properties['SCIMAgents.rules'] = ruleSettingSchema(RULES);
write(pkgFile, JSON.stringify(pkg, null, 2) + '\n');

if (written) console.log(`rules: wrote ${written} file(s) derived from the rule declarations (docs/rules, package.json)`);

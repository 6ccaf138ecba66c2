// Builds everything into dist/: the language server, the VS Code client, the CLI and the tests.
// Before bundling it regenerates the JSON Schemas from the SCIM schema definitions (schemas/), and
// the rule help pages and the rules setting from the rule declarations, so the generated files can
// never drift from their source.
import * as esbuild from 'esbuild';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const watch = process.argv.includes('--watch');
const production = process.argv.includes('--production');
const exists = (p) => fs.existsSync(p);
const IMPORT_META_SHIM = "'use strict'; var __importMetaUrl = require('url').pathToFileURL(__filename).href;";

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: !production,
  minify: production,
  logLevel: 'warning',
  loader: { '.json': 'json' },
  // ESM dependencies (fdir, via tinyglobby) read import.meta.url; in a CJS bundle it must be supplied.
  define: { 'import.meta.url': '__importMetaUrl' },
  banner: { js: IMPORT_META_SHIM },
};

// The validators compiled in step 1 below (server/src/schema/precompile.ts), under the name the code
// imports them by (server/src/schema/precompiled.d.ts declares it). Every bundle takes them.
const precompiled = {
  name: 'precompiled-validators',
  setup(b) {
    b.onResolve({ filter: /^scim-agents:validators$/ }, () => ({ path: path.resolve('schemas/generated/validators.js') }));
  },
};

// 1. Generate JSON Schemas from the RFC 7643 §7 definitions.
const generator = 'server/src/schema/generateMain.ts';
if (exists(generator)) {
  await esbuild.build({ ...common, sourcemap: false, minify: false, entryPoints: [generator], outfile: 'dist/tools/generate-schemas.js' });
  execFileSync(process.execPath, ['dist/tools/generate-schemas.js'], { stdio: 'inherit' });
}

// 1b. Derive the rule help pages (docs/rules/) and the `SCIMAgents.rules` setting from the rule declarations.
const rulesGenerator = 'server/src/rules/generateMain.ts';
if (exists(rulesGenerator)) {
  await esbuild.build({ ...common, sourcemap: false, minify: false, entryPoints: [rulesGenerator], outfile: 'dist/tools/generate-rules.js', plugins: [precompiled] });
  execFileSync(process.execPath, ['dist/tools/generate-rules.js'], { stdio: 'inherit' });
}

// 2. Product bundles. Entries that do not exist yet are skipped so the tree builds at every step.
// Code that most starts never run is built on its own next to the Node bundles, which require it
// from there on first use, so that the server's and the CLI's start do not parse or load it:
// Prettier (Format Document and `scim-agents fmt` only, about 40% of a bundle) and the ASN.1
// decoder of X.509 certificates. The web worker keeps them inside (one file only).
const APART = [
  { entry: 'server/src/format/prettier.ts', out: 'dist/prettier.js', importer: 'server/src/format/format.ts' },
  { entry: 'server/src/model/x509.ts', out: 'dist/x509.js', importer: 'server/src/model/certificates.ts' },
];
// And the language server, which only `scim-agents lsp` runs: the CLI requires dist/server.js,
// built anyway, instead of carrying its own copy (a quarter of the CLI's bundle, parsed by every command).
const SHARED = [{ request: '../../lsp/main', out: 'dist/server.js', importer: 'server/src/cli/commands/lsp.ts' }];
const apart = {
  name: 'apart',
  setup(b) {
    // Only the one import of each (`./prettier` in format.ts, `./x509` in certificates.ts, `../../lsp/main` in lsp.ts).
    for (const a of [...APART.map((a) => ({ ...a, request: `./${path.basename(a.entry, '.ts')}` })), ...SHARED]) {
      const request = a.request.replace(/[./]/g, (c) => `\\${c}`);
      b.onResolve({ filter: new RegExp(`^${request}$`) }, (args) =>
        args.importer === path.resolve(a.importer) ? { path: `./${path.basename(a.out)}`, external: true } : undefined,
      );
    }
  },
};
// `import()` written as require(): the files apart are CommonJS like the bundles, and a require()
// resolves them next to the bundle without Node's ESM loader.
const apartOptions = { plugins: [apart], supported: { 'dynamic-import': false } };
const products = [
  { entry: 'server/src/lsp/main.ts', out: 'dist/server.js', ...apartOptions },
  // The CLI: a small executable (cli/launch.ts) that runs the bundle from V8's code cache of it (step 4).
  { entry: 'server/src/cli/bin.ts', out: 'dist/cli-main.js', ...apartOptions },
  { entry: 'server/src/cli/launch.ts', out: 'dist/cli.js', banner: { js: "#!/usr/bin/env node\n'use strict';" } },
  // The CLI's lint checks many files in worker threads, each running this file (cli/lintJobs.ts).
  { entry: 'server/src/cli/lintWorker.ts', out: 'dist/lint-worker.js', ...apartOptions },
  // And reads the files ahead in another thread, running this small file (cli/readAhead.ts).
  { entry: 'server/src/cli/readWorker.ts', out: 'dist/read-worker.js' },
  ...APART,
  // The entry activates at once and loads the rest (client/src/extension.ts, with the language
  // client) on the next turn: two files, so that loading the entry does not parse the rest.
  { entry: 'client/src/entry.ts', out: 'dist/client.js', external: ['vscode', './extension'] },
  { entry: 'client/src/extension.ts', out: 'dist/extension.js', external: ['vscode'] },
];
const builds = products
  .filter((p) => exists(p.entry))
  .map((p) => ({ ...common, entryPoints: [p.entry], outfile: p.out, external: p.external ?? [], banner: p.banner ?? common.banner, plugins: [precompiled, ...(p.plugins ?? [])], ...(p.supported ? { supported: p.supported } : {}) }));

// 2b. VS Code for the Web: the client and the language server (a Web Worker) for the browser's
// extension host; no Node built-ins may reach them (test/unit/web-bundle.test.ts checks).
// Node built-ins the shared code imports resolve to server/src/platform/browser (a file system
// with no files, POSIX paths, no processes): see its README.
const BROWSER_STANDINS = { fs: 'fs', 'fs/promises': 'fsPromises', path: 'path', url: 'url', child_process: 'childProcess' };
const browserStandIns = {
  name: 'browser-stand-ins',
  setup(b) {
    b.onResolve({ filter: /^(node:)?(fs|fs\/promises|path|url|child_process)$/ }, (args) => ({
      path: path.resolve('server/src/platform/browser', `${BROWSER_STANDINS[args.path.replace(/^node:/, '')]}.ts`),
    }));
  },
};
const web = { bundle: true, platform: 'browser', target: 'es2022', sourcemap: !production, minify: production, logLevel: 'warning', loader: { '.json': 'json' }, define: { 'process.env': '{}', __dirname: '"/"' }, plugins: [precompiled, browserStandIns] };
const webProducts = [
  { entry: 'server/src/lsp/browserMain.ts', out: 'dist/web/server.js', format: 'iife' },
  { entry: 'client/src/browser.ts', out: 'dist/web/client.js', format: 'cjs', external: ['vscode'] },
  { entry: 'test/e2e-web/index.ts', out: 'dist/web/test/index.js', format: 'cjs', external: ['vscode'] },
];
for (const p of webProducts.filter((p) => exists(p.entry))) builds.push({ ...web, entryPoints: [p.entry], outfile: p.out, format: p.format, external: p.external ?? [] });

// 3. Tests: every *.test.ts (and e2e suite entries) bundled on its own, packages left external.
function walk(dir, acc = []) {
  if (!exists(dir)) return acc;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) { if (e.name !== 'peers' && e.name !== 'fixtures') walk(p, acc); }
    else if (/\.ts$/.test(e.name) && !e.name.endsWith('.d.ts')) acc.push(p);
  }
  return acc;
}
const testEntries = [...walk('test'), ...walk('bench')];
if (testEntries.length) {
  builds.push({
    ...common,
    entryPoints: testEntries,
    outdir: 'dist',
    outbase: '.',
    packages: 'external',
    external: ['vscode'],
    plugins: [precompiled],
  });
}

if (watch) {
  for (const b of builds) (await esbuild.context(b)).watch();
} else {
  await Promise.all(builds.map((b) => esbuild.build(b)));
  if (exists('dist/cli.js')) {
    fs.chmodSync('dist/cli.js', 0o755);
    writeCodeCache();
  }
}

// 4. The CLI's code cache (dist/cli-main.js.cache): V8's bytecode of what a lint runs, made by
// linting the examples once, so that a user's first lint does not compile it again (the
// launcher uses it only for the exact bundle it was made from, and only if this Node accepts it).
function writeCodeCache() {
  const cache = 'dist/cli-main.js.cache';
  fs.rmSync(cache, { force: true });
  try {
    execFileSync(process.execPath, ['dist/cli.js', 'lint', 'examples', '--format', 'json'], { env: { ...process.env, SCIM_AGENTS_WRITE_CODE_CACHE: '1' }, stdio: 'ignore' });
  } catch {
    // The examples' findings exit with 1; the cache is written all the same.
  }
  if (!exists(cache)) console.warn('esbuild.mjs: the CLI code cache was not written; the CLI works, compiling its bundle on every start.');
}

/**
 * `npm run bench`: measures, prints a markdown table, writes bench/results.json. Never fails
 * on a time: benchmarks inform, tests gate. Peers run side by side in the same process run,
 * alternating, so machine noise hits both. SCIM_AGENTS_BENCH_QUICK=1 runs a smaller set.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { measureLsp, type LspResult } from './lsp';
import { measureCli, measureLimit, writeTree } from './cli';
import { measureEngine, measureNaive, type ProvisionResult } from './provision';
import { growthExponent, measureConcurrent, measureLookup, type LookupResult } from './sandbox';
import { fmt, ratio, stat, type Stat } from './stats';

// dist/bench/run.js → repository root
const REPO = path.resolve(__dirname, '..', '..');
const QUICK = process.env.SCIM_AGENTS_BENCH_QUICK === '1';

async function main(): Promise<void> {
  const out: string[] = [];
  const results: Record<string, unknown> = { date: new Date().toISOString(), node: process.version, cpus: (await import('node:os')).cpus().length };
  const log = (s: string) => console.error(`[bench] ${s}`);

  // (a) editor latency
  const sizes: [number, number][] = QUICK ? [[10, 5], [1000, 5]] : [[10, 10], [100, 10], [1000, 10], [5000, 5]];
  const lsp: LspResult[] = [];
  for (const [n, edits] of sizes) {
    for (const server of ['scim-agents', 'yaml-language-server'] as const) {
      log(`LSP ${server}, ${n} resources`);
      lsp.push(await measureLsp(REPO, server, n, edits));
    }
  }
  results.lsp = lsp;
  out.push('### Diagnostics latency (LSP stdio, client-observed, includes each server\'s debounce; ours 150 ms)', '');
  out.push('| resources | scim-agents open | yaml-ls open | scim-agents edit | scim-agents edit, server-side | yaml-ls edit | edit ratio (yaml-ls / ours) |', '|---|---|---|---|---|---|---|');
  for (const [n] of sizes) {
    const ours = lsp.find((r) => r.server === 'scim-agents' && r.resources === n)!;
    const peer = lsp.find((r) => r.server === 'yaml-language-server' && r.resources === n)!;
    out.push(`| ${n} | ${ours.openMs} ms | ${peer.openMs} ms | ${fmt(ours.editMs)} | ${fmt(ours.serverEditMs)} | ${fmt(peer.editMs)} | ${ratio(peer.editMs.median, ours.editMs.median)}x |`);
  }
  const largest = sizes[sizes.length - 1]![0];
  const rss = (s: string) => lsp.find((r) => r.server === s && r.resources === largest)?.rssMb;
  out.push('', `RSS after the ${largest}-resource file: scim-agents ${rss('scim-agents')} MB, yaml-language-server ${rss('yaml-language-server')} MB.`, '');

  // (b) CLI throughput and (d) the limit
  const files = QUICK ? 1000 : 10_000;
  log(`CLI: writing ${files} files`);
  const tree = writeTree(files);
  try {
    log('CLI: lint vs ajv-cli');
    const cli = measureCli(REPO, tree, files, QUICK ? 1 : 3);
    results.cli = { files, ...cli };
    out.push(`### CLI throughput (${files} small manifests, whole process)`, '', '| tool | files/s |', '|---|---|');
    out.push(`| scim-agents lint | ${fmt(cli.ours, 'files/s')} |`, `| ajv-cli validate (our JSON Schema) | ${fmt(cli.ajv, 'files/s')} |`);
    out.push('', `Ratio (ours / ajv-cli): ${ratio(cli.ours.median, cli.ajv.median)}x.`, '');
  } finally {
    fs.rmSync(tree, { recursive: true, force: true });
  }
  const limit = [1000, 5000].map((n) => ({ resources: n, ...measureLimit(n, n >= 5000 ? 3 : 5) }));
  results.limit = limit;
  out.push('### The limit: the engine (parse, bind, all rules) against `yaml` parsing alone, in-process', '', '| resources | yaml parse | engine | overhead |', '|---|---|---|---|');
  for (const l of limit) out.push(`| ${l.resources} | ${fmt(l.yamlMs)} | ${fmt(l.engineMs)} | ${ratio(l.engineMs.median, l.yamlMs.median)}x |`);
  out.push('');

  // (c) provisioning
  const agents = QUICK ? 100 : 1000;
  const apps = QUICK ? 10 : 100;
  const prov: ProvisionResult[] = [];
  log('provisioning: Bulk');
  prov.push(await measureEngine(agents, apps, 'auto'));
  log('provisioning: no Bulk');
  prov.push(await measureEngine(agents, apps, 'never'));
  log('provisioning: naive');
  prov.push(await measureNaive(agents, apps));
  results.provisioning = prov;
  out.push(`### Provisioning ${agents} agents and ${apps} applications into the sandbox`, '', '| client | plan | apply | requests | per resource | no-change re-plan | re-plan requests |', '|---|---|---|---|---|---|---|');
  for (const p of prov) {
    out.push(`| ${p.mode} | ${p.planMs ?? '–'} ms | ${p.applyMs} ms | ${p.requests} | ${p.requestsPerResource} | ${p.replanMs ?? '–'} ms | ${p.replanRequests ?? '–'} |`);
  }
  out.push('');

  // (g) the sandbox at scale: lookups against the store's size, concurrent GETs, a large fleet
  const [smallStore, largeStore] = QUICK ? [1000, 4000] : [1000, 10_000];
  const lookups: LookupResult[] = [];
  for (const n of [smallStore, largeStore]) {
    log(`sandbox: externalId lookups with ${n} stored agents`);
    lookups.push(await measureLookup(n, 30));
  }
  log(`sandbox: 200 concurrent filtered GETs against ${largeStore} agents`);
  const concurrent = await measureConcurrent(largeStore, 200);
  const [fleetAgents, fleetApps] = QUICK ? [1000, 100] : [10_000, 1000];
  log(`sandbox: apply and re-plan of ${fleetAgents} agents and ${fleetApps} applications with Bulk`);
  const fleet = await measureEngine(fleetAgents, fleetApps, 'auto');
  const growth = growthExponent(smallStore, lookups[0]!.lookupMs.median, largeStore, lookups[1]!.lookupMs.median);
  results.sandbox = { lookups, growthExponent: growth, concurrent, fleet };
  out.push('### The sandbox at scale (in-process sandbox, HTTP on 127.0.0.1)', '', '| measure | figure |', '|---|---|');
  for (const l of lookups) out.push(`| \`externalId eq\` GET, ${l.agents} stored agents | ${fmt(l.lookupMs)} |`);
  out.push(`| growth of a lookup from ${smallStore} to ${largeStore} agents (t ∝ n^k) | k = ${growth} |`);
  out.push(`| ${concurrent.requests} concurrent filtered GETs, ${concurrent.agents} agents | p50 ${concurrent.p50Ms} ms, p99 ${concurrent.p99Ms} ms, max ${concurrent.maxMs} ms, failed/reset ${concurrent.failed} |`);
  out.push(`| apply of ${fleetAgents} agents + ${fleetApps} applications, Bulk (plan / apply) | ${fleet.planMs} ms / ${fleet.applyMs} ms, ${fleet.requests} requests |`);
  out.push(`| no-change re-plan of the same | ${fleet.replanMs} ms, ${fleet.replanRequests} requests |`, '');

  // (e) extension package
  log('extension: npm run package');
  try {
    execFileSync('npm', ['run', 'package'], { cwd: REPO, stdio: 'ignore' });
    const vsix = path.join(REPO, 'dist', 'scim-agents.vsix');
    const listing = execFileSync('unzip', ['-l', vsix], { encoding: 'utf8' });
    const count = listing.split('\n').filter((l) => /^\s*\d+\s+\S+\s+\S+\s+\S/.test(l)).length;
    const ext = { vsixKb: Math.round(fs.statSync(vsix).size / 1024), files: count, clientKb: kb(path.join(REPO, 'dist', 'client.js')), serverKb: kb(path.join(REPO, 'dist', 'server.js')) };
    results.extension = ext;
    out.push('### Extension', '', `vsix ${ext.vsixKb} KB, ${ext.files} files; dist/client.js ${ext.clientKb} KB, dist/server.js ${ext.serverKb} KB.`, '');
  } catch (e) {
    out.push('### Extension', '', `not measured: ${(e as Error).message.split('\n')[0]}`, '');
  }

  // (f) activation in real VS Code (code-server); needs the e2e harness (bash e2e/setup.sh)
  log('extension: activation in code-server');
  const activation = measureActivation(QUICK ? 2 : 5);
  if ('error' in activation) {
    out.push(`Activation not measured: ${activation.error}`, '');
  } else {
    results.activation = activation;
    out.push(
      `Activation in code-server (fresh window, workspace without manifests, n=${activation.activateMs.n}): \`activate()\` ${fmt(activation.activateMs)}; ` +
        `to the language server ready ${fmt(activation.readyMs)}; first diagnostics after opening a manifest ${fmt(activation.firstDiagnosticsMs)}.`,
      '',
    );
  }

  const table = out.join('\n');
  results.markdown = table;
  fs.writeFileSync(path.join(REPO, 'bench', 'results.json'), JSON.stringify(results, null, 2) + '\n');
  console.log(table);
}

/** Runs bench/activation.mjs (one code-server start per sample) and reads its samples. */
function measureActivation(runs: number): Record<'activateMs' | 'readyMs' | 'firstDiagnosticsMs', Stat> | { error: string } {
  const r = spawnSync(process.execPath, [path.join(REPO, 'bench', 'activation.mjs'), '--runs', String(runs), '--no-build'], { cwd: REPO, encoding: 'utf8', timeout: runs * 240_000 });
  const line = (r.stdout ?? '').split('\n').find((l) => l.startsWith('ACTIVATION_RESULT '));
  if (r.status !== 0 || !line) return { error: (r.stderr || r.stdout || String(r.error ?? r.signal)).trim().split('\n').pop() ?? `exit ${r.status}` };
  const samples = JSON.parse(line.slice('ACTIVATION_RESULT '.length)) as Record<string, number[]>;
  return { activateMs: stat(samples.activateMs ?? []), readyMs: stat(samples.readyMs ?? []), firstDiagnosticsMs: stat(samples.firstDiagnosticsMs ?? []) };
}

function kb(p: string): number {
  return Math.round(fs.statSync(p).size / 1024);
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});

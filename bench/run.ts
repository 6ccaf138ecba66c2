/**
 * `npm run bench`: measures, prints a markdown table, writes bench/results.json. Never fails
 * on a time: benchmarks inform, tests gate. Peers run side by side in the same process run,
 * alternating, so machine noise hits both. SCIM_AGENTS_BENCH_QUICK=1 runs a smaller set.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import os from 'node:os';
import { BURST_GAP_MS, BURST_KEYS, measureLsp, type LspResult } from './lsp';
import { growthExponent, measureWorkspace, type WorkspaceResult } from './workspace';
import { measureBigFile, measureCli, measureLimit, writeTree, type BigFileResult, type CliResult } from './cli';
import { measureEngine, measureNaive, type ProvisionResult } from './provision';
import { measureConcurrent, measureLookup, type LookupResult } from './sandbox';
import { fmt, ratio, stat, withEarlier, type Stat } from './stats';

// dist/bench/run.js → repository root
const REPO = path.resolve(__dirname, '..', '..');
const QUICK = process.env.SCIM_AGENTS_BENCH_QUICK === '1';
/** Server processes per size for the first edit after opening. */
const FIRST_EDIT_SAMPLES = QUICK ? 2 : 5;
/** SCIM_AGENTS_BENCH_ONLY=a,g,f runs those parts only; the others keep their figures from the last results.json. */
const ONLY = process.env.SCIM_AGENTS_BENCH_ONLY?.split(',').map((x) => x.trim());
const want = (part: string) => !ONLY || ONLY.includes(part);

async function main(): Promise<void> {
  const out: string[] = [];
  const resultsFile = path.join(REPO, 'bench', 'results.json');
  const previous = ONLY && fs.existsSync(resultsFile) ? (JSON.parse(fs.readFileSync(resultsFile, 'utf8')) as Record<string, unknown>) : {};
  const results: Record<string, unknown> = {
    ...previous,
    date: new Date().toISOString(),
    node: process.version,
    cpus: (await import('node:os')).cpus().length,
    ...(ONLY ? { parts: ONLY } : {}),
  };
  const log = (s: string) => console.error(`[bench] ${s}`);
  /** Runs one part; a failure is reported in the output and the other parts still run. Results are saved after each. */
  const part = async (name: string, run: () => Promise<void>) => {
    try {
      await run();
      results.failed = ((results.failed as string[] | undefined) ?? []).filter((f) => f !== name);
    } catch (e) {
      log(`part ${name} failed: ${(e as Error).stack ?? e}`);
      out.push(`Part ${name} NOT measured: ${(e as Error).message.split('\n')[0]}`, '');
      if (Array.isArray(results.failed)) results.failed.push(name);
      else results.failed = [name];
    }
    results.markdown = withEarlier(previous.markdown, out.join('\n'));
    fs.writeFileSync(resultsFile, JSON.stringify(results, null, 2) + '\n');
  };

  if (want('a'))
    await part('a', async () => {
      // (a) editor latency
      const sizes: [number, number][] = QUICK
        ? [
            [10, 5],
            [1000, 5],
          ]
        : [
            [10, 10],
            [100, 10],
            [1000, 10],
            [5000, 5],
          ];
      const lsp: LspResult[] = [];
      for (const [n, edits] of sizes) {
        for (const server of ['scim-agents', 'yaml-language-server'] as const) {
          log(`LSP ${server}, ${n} resources`);
          // Typing bursts at the two largest sizes only (each takes a few seconds per position).
          lsp.push(await measureLsp(REPO, server, n, edits, n >= 1000 ? (QUICK ? 1 : 3) : 0));
        }
      }
      // The first edit after opening happens once per server process: more samples need more
      // processes (fresh servers, an open and two edits each), beside the run's own.
      const firstEdits = new Map<number, number[]>();
      for (const [n] of sizes) {
        const samples = [lsp.find((r) => r.server === 'scim-agents' && r.resources === n)?.serverFirstEditMs ?? NaN];
        log(`LSP scim-agents, first edit after opening, ${n} resources, ${FIRST_EDIT_SAMPLES - 1} more processes`);
        for (let k = 1; k < FIRST_EDIT_SAMPLES; k++) samples.push((await measureLsp(REPO, 'scim-agents', n, 2)).serverFirstEditMs ?? NaN);
        firstEdits.set(
          n,
          samples.filter((x) => Number.isFinite(x)),
        );
      }
      results.lsp = lsp;
      results.lspFirstEdits = Object.fromEntries([...firstEdits].map(([n, xs]) => [n, stat(xs)]));
      out.push("### Diagnostics latency (LSP stdio, client-observed, includes each server's debounce; ours 150 ms)", '');
      out.push(
        '| resources | scim-agents open | yaml-ls open | scim-agents edit | scim-agents edit, server-side | yaml-ls edit | edit ratio (yaml-ls / ours) |',
        '|---|---|---|---|---|---|---|',
      );
      for (const [n] of sizes) {
        const ours = lsp.find((r) => r.server === 'scim-agents' && r.resources === n)!;
        const peer = lsp.find((r) => r.server === 'yaml-language-server' && r.resources === n)!;
        out.push(
          `| ${n} | ${ours.openMs} ms | ${peer.openMs} ms | ${fmt(ours.editMs)} | ${fmt(ours.serverEditMs)} | ${fmt(peer.editMs)} | ${ratio(peer.editMs.median, ours.editMs.median)}x |`,
        );
      }
      out.push(
        '',
        `First edit after opening, server-side (the goal: no slower than the edits after it; one first edit per server process): ${sizes
          .map(([n]) => lsp.find((r) => r.server === 'scim-agents' && r.resources === n))
          .filter((r) => r?.serverFirstEditMs !== undefined)
          .map((r) => `${r!.resources}: ${fmt(stat(firstEdits.get(r!.resources) ?? []))} (later ${fmt(r!.serverLaterEditMs)})`)
          .join('; ')}.`,
      );
      const largest = sizes[sizes.length - 1]![0];
      const rss = (s: string) => lsp.find((r) => r.server === s && r.resources === largest)?.rssMb;
      out.push('', `RSS after the ${largest}-resource file: scim-agents ${rss('scim-agents')} MB, yaml-language-server ${rss('yaml-language-server')} MB.`, '');
      out.push(
        `#### Typing: ${BURST_KEYS} one-character inserts ${BURST_GAP_MS} ms apart at the end of a \`displayName\` line, from the last key to its diagnostics`,
        '',
        '| resources | where | scim-agents | scim-agents, server-side | yaml-ls | ratio (yaml-ls / ours) |',
        '|---|---|---|---|---|---|',
      );
      const burstSizes = sizes.filter(([n]) => n >= 1000).map(([n]) => n);
      for (const n of burstSizes) {
        const ours = lsp.find((r) => r.server === 'scim-agents' && r.resources === n)?.burst;
        const peer = lsp.find((r) => r.server === 'yaml-language-server' && r.resources === n)?.burst;
        if (!ours || !peer) continue;
        out.push(`| ${n} | mid-file | ${fmt(ours.midMs)} | ${fmt(ours.serverMidMs)} | ${fmt(peer.midMs)} | ${ratio(peer.midMs.median, ours.midMs.median)}x |`);
        out.push(
          `| ${n} | first resource | ${fmt(ours.topMs)} | ${fmt(ours.serverTopMs)} | ${fmt(peer.topMs)} | ${ratio(peer.topMs.median, ours.topMs.median)}x |`,
        );
      }
      if (burstSizes.length >= 2) {
        const [a, b] = [burstSizes[0]!, burstSizes[burstSizes.length - 1]!];
        const at = (n: number) => lsp.find((r) => r.server === 'scim-agents' && r.resources === n)?.burst?.serverMidMs?.median ?? NaN;
        out.push(
          '',
          `Growth of the server-side mid-file burst from ${a} to ${b} resources: exponent ${growthExponent(a, at(a), b, at(b))} (1 is linear in the file, 0 independent of it).`,
        );
      }
      out.push('');
    });

  if (want('g'))
    await part('g', async () => {
      // (g) a big workspace: many small files validated over LSP, and an edit made meanwhile
      const wsSizes = QUICK ? [1000, 4000] : [4000, 16000];
      const ws: WorkspaceResult[] = [];
      for (const n of wsSizes) {
        log(`LSP workspace of ${n} files`);
        ws.push(await measureWorkspace(REPO, n));
      }
      results.workspace = ws;
      out.push('### A big workspace (LSP stdio, small manifests on disk, an edit made while it is indexed)', '');
      out.push(
        '| files | all diagnostics published | edit answered (client-observed) | edit, server-side | files published before the edit | RSS | per file |',
        '|---|---|---|---|---|---|---|',
      );
      for (const w of ws)
        out.push(
          `| ${w.files} | ${w.allMs} ms | ${w.editMs} ms | ${w.serverEditMs ?? '–'} ms | ${w.publishedBeforeEdit} | ${w.rssMb ?? '–'} MB | ${w.kbPerFile ?? '–'} KB |`,
        );
      const [w1, w2] = [ws[0]!, ws[ws.length - 1]!];
      out.push(
        '',
        `Growth of the whole validation from ${w1.files} to ${w2.files} files: exponent ${growthExponent(w1.files, w1.allMs, w2.files, w2.allMs)} (${ratio(w2.allMs, w1.allMs)}x the time for ${ratio(w2.files, w1.files)}x the files). One sample per size.`,
        '',
      );
    });

  if (want('b'))
    await part('b', async () => {
      // (b) CLI throughput and (d) the limit, at two sizes: how the time grows with the files.
      const sizes = QUICK ? [500, 1000] : [5000, 10_000];
      const runs: (CliResult & { files: number })[] = [];
      for (const files of sizes) {
        log(`CLI: writing ${files} files`);
        const tree = writeTree(files);
        try {
          log(`CLI: lint vs ajv-cli, ${files} files`);
          // Five rounds: a two-core machine's noise is as large as the gap measured.
          runs.push({ files, ...measureCli(REPO, tree, files, QUICK ? 1 : 5) });
        } finally {
          fs.rmSync(tree, { recursive: true, force: true });
        }
      }
      const cli = runs[runs.length - 1]!;
      results.cli = cli;
      results.cliSizes = runs;
      out.push(
        `### CLI throughput (${sizes.join(' and ')} small manifests, whole process, ${os.availableParallelism()} cores)`,
        '',
        '| files | tool | files/s | peak RSS |',
        '|---|---|---|---|',
      );
      for (const r of runs) {
        out.push(
          `| ${r.files} | scim-agents lint | ${fmt(r.ours, 'files/s')} | ${r.oursMb} MB |`,
          `| ${r.files} | scim-agents lint --jobs 2 (and a worker thread) | ${fmt(r.oursTwoThreads, 'files/s')} | ${r.oursTwoThreadsMb} MB |`,
          `| ${r.files} | ajv-cli validate (our JSON Schema) | ${fmt(r.ajv, 'files/s')} | ${r.ajvMb} MB |`,
        );
      }
      // Time per run from the rate: files / rate.
      const time = (r: (typeof runs)[number], rate: Stat) => r.files / rate.median;
      const [a, b] = [runs[0]!, cli];
      out.push(
        '',
        ...runs.map(
          (r) =>
            `Ratio at ${r.files} files (ours / ajv-cli, both in one thread): ${ratio(r.ours.median, r.ajv.median)}x of the medians, ${ratio(r.pairedRatio.median, 100)}x (${ratio(r.pairedRatio.min, 100)}–${ratio(r.pairedRatio.max, 100)}, n=${r.pairedRatio.n}) round by round; with --jobs 2 ${ratio(r.oursTwoThreads.median, r.ajv.median)}x.`,
        ),
        '',
        `Growth of the whole run's time from ${a.files} to ${b.files} files: exponent ${growthExponent(a.files, time(a, a.ours), b.files, time(b, b.ours))} for scim-agents lint, ${growthExponent(a.files, time(a, a.ajv), b.files, time(b, b.ajv))} for ajv-cli (1 is linear; below 1, the start's fixed cost is spread over more files).`,
        '',
      );
      const limit = [1000, 5000].map((n) => ({ resources: n, ...measureLimit(n, n >= 5000 ? 3 : 5) }));
      results.limit = limit;
      out.push(
        '### The limit: the engine (parse, bind, all rules) against `yaml` parsing alone, in-process',
        '',
        '| resources | yaml parse | engine | overhead |',
        '|---|---|---|---|',
      );
      for (const l of limit) out.push(`| ${l.resources} | ${fmt(l.yamlMs)} | ${fmt(l.engineMs)} | ${ratio(l.engineMs.median, l.yamlMs.median)}x |`);
      out.push('');
    });

  if (want('h'))
    await part('h', async () => {
      // Two sizes: how time and memory grow with the file.
      const sizes = QUICK ? [1000, 5000] : [10_000, 50_000];
      const runs: BigFileResult[][] = [];
      for (const n of sizes) {
        log(`CLI: one file of ${n} resources`);
        runs.push(measureBigFile(REPO, n, QUICK ? 1 : 3));
      }
      const big = runs[runs.length - 1]!;
      results.bigFile = big;
      results.bigFileSizes = runs.flat();
      out.push(
        `### One big file in the CLI (${sizes.join(' and ')} resources, whole process)`,
        '',
        '| resources | format | scim-agents lint | peak RSS | per resource | ajv-cli | ajv-cli RSS | time ratio (ours / ajv-cli) |',
        '|---|---|---|---|---|---|---|---|',
      );
      for (const b of runs.flat()) {
        out.push(
          `| ${b.resources} | ${b.format} | ${fmt(b.oursMs)} | ${b.oursMb} MB | ${b.kbPerResource} KB | ${fmt(b.ajvMs)} | ${b.ajvMb ?? '–'} MB | ${b.ajvMs ? `${ratio(b.oursMs.median, b.ajvMs.median)}x` : '–'} |`,
        );
      }
      const [small, large] = [runs[0]!, big];
      out.push(
        '',
        `Growth of the time from ${sizes[0]} to ${sizes[1]} resources: ${large
          .map((l, i) => {
            const s = small[i]!;
            const peer = s.ajvMs && l.ajvMs ? `, ajv-cli ${growthExponent(s.resources, s.ajvMs.median, l.resources, l.ajvMs.median)}` : '';
            return `${l.format} ${growthExponent(s.resources, s.oursMs.median, l.resources, l.oursMs.median)}${peer}`;
          })
          .join('; ')} (exponents; 1 is linear). Memory per resource added (the peak RSS's growth over the resources'): ${large
          .map((l, i) => `${l.format} ${Math.round(((l.oursMb - small[i]!.oursMb) * 1024 * 10) / (l.resources - small[i]!.resources)) / 10} KB`)
          .join(', ')}.`,
        '',
      );
    });

  if (want('c'))
    await part('c', async () => {
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
      out.push(
        `### Provisioning ${agents} agents and ${apps} applications into the sandbox`,
        '',
        '| client | plan | apply | requests | per resource | no-change re-plan | re-plan requests |',
        '|---|---|---|---|---|---|---|',
      );
      for (const p of prov) {
        out.push(
          `| ${p.mode} | ${p.planMs ?? '–'} ms | ${p.applyMs} ms | ${p.requests} | ${p.requestsPerResource} | ${p.replanMs ?? '–'} ms | ${p.replanRequests ?? '–'} |`,
        );
      }
      out.push('');
    });

  if (want('i'))
    await part('i', async () => {
      // (i) the sandbox at scale: lookups against the store's size, concurrent GETs, a large fleet
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
      out.push(
        '### The sandbox at scale (`scim-agents serve` in its own process, HTTP on 127.0.0.1; the plan and apply engine in the bench process)',
        '',
        '| measure | figure |',
        '|---|---|',
      );
      for (const l of lookups) out.push(`| \`externalId eq\` GET, ${l.agents} stored agents | ${fmt(l.lookupMs)} |`);
      out.push(`| growth of a lookup from ${smallStore} to ${largeStore} agents (t ∝ n^k) | k = ${growth} |`);
      out.push(
        `| ${concurrent.requests} concurrent filtered GETs, ${concurrent.agents} agents | p50 ${concurrent.p50Ms} ms, p99 ${concurrent.p99Ms} ms, max ${concurrent.maxMs} ms, failed/reset ${concurrent.failed} |`,
      );
      out.push(
        `| apply of ${fleetAgents} agents + ${fleetApps} applications, Bulk (plan / apply) | ${fleet.planMs} ms / ${fleet.applyMs} ms, ${fleet.requests} requests |`,
      );
      out.push(`| no-change re-plan of the same | ${fleet.replanMs} ms, ${fleet.replanRequests} requests |`, '');
    });

  if (want('e'))
    await part('e', async () => {
      // (e) extension package
      log('extension: npm run package');
      try {
        execFileSync('npm', ['run', 'package'], { cwd: REPO, stdio: 'ignore' });
        const vsix = path.join(REPO, 'dist', 'scim-agents.vsix');
        const listing = execFileSync('unzip', ['-l', vsix], { encoding: 'utf8' });
        const count = listing.split('\n').filter((l) => /^\s*\d+\s+\S+\s+\S+\s+\S/.test(l)).length;
        const ext = {
          vsixKb: Math.round(fs.statSync(vsix).size / 1024),
          files: count,
          clientKb: kb(path.join(REPO, 'dist', 'client.js')),
          extensionKb: kb(path.join(REPO, 'dist', 'extension.js')),
          serverKb: kb(path.join(REPO, 'dist', 'server.js')),
          prettierKb: kb(path.join(REPO, 'dist', 'prettier.js')),
          x509Kb: kb(path.join(REPO, 'dist', 'x509.js')),
        };
        results.extension = ext;
        out.push(
          '### Extension',
          '',
          `vsix ${ext.vsixKb} KB, ${ext.files} files; dist/client.js ${ext.clientKb} KB (the entry), dist/extension.js ${ext.extensionKb} KB, dist/server.js ${ext.serverKb} KB, dist/prettier.js ${ext.prettierKb} KB (loaded on the first Format Document), dist/x509.js ${ext.x509Kb} KB (on the first certificate).`,
          '',
        );
      } catch (e) {
        out.push('### Extension', '', `not measured: ${(e as Error).message.split('\n')[0]}`, '');
      }
    });

  if (want('f'))
    await part('f', async () => {
      // (f) activation in real VS Code (code-server); needs the e2e harness (bash e2e/setup.sh)
      log('extension: activation in code-server');
      const activation = measureActivation(QUICK ? 2 : 5);
      if ('error' in activation) {
        out.push(`Activation NOT measured (the e2e toolchain is needed: run \`bash e2e/setup.sh\` once, with e2e/.env): ${activation.error}`, '');
        console.error(`[bench] activation NOT measured: ${activation.error}`);
      } else {
        results.activation = activation;
        out.push(
          `Activation in code-server (fresh window, workspace without manifests, n=${activation.activateMs.n}): \`activate()\` ${fmt(activation.activateMs)}; ` +
            `to the language server ready ${fmt(activation.readyMs)}; first diagnostics after opening a manifest ${fmt(activation.firstDiagnosticsMs)} ` +
            `(VS Code showed the editor, its own work, after ${fmt(activation.editorShownMs)}).`,
          '',
        );
      }
    });

  const table = out.join('\n');
  results.markdown = withEarlier(previous.markdown, table);
  fs.writeFileSync(resultsFile, JSON.stringify(results, null, 2) + '\n');
  console.log(table);
}

/** Runs bench/activation.mjs (one code-server start per sample) and reads its samples. */
function measureActivation(runs: number): Record<'activateMs' | 'readyMs' | 'firstDiagnosticsMs' | 'editorShownMs', Stat> | { error: string } {
  const r = spawnSync(process.execPath, [path.join(REPO, 'bench', 'activation.mjs'), '--runs', String(runs), '--no-build'], {
    cwd: REPO,
    encoding: 'utf8',
    timeout: runs * 240_000,
  });
  const line = (r.stdout ?? '').split('\n').find((l) => l.startsWith('ACTIVATION_RESULT '));
  if (r.status !== 0 || !line) return { error: (r.stderr || r.stdout || String(r.error ?? r.signal)).trim().split('\n').pop() ?? `exit ${r.status}` };
  const samples = JSON.parse(line.slice('ACTIVATION_RESULT '.length)) as Record<string, number[]>;
  return {
    activateMs: stat(samples.activateMs ?? []),
    readyMs: stat(samples.readyMs ?? []),
    firstDiagnosticsMs: stat(samples.firstDiagnosticsMs ?? []),
    editorShownMs: stat(samples.editorShownMs ?? []),
  };
}

function kb(p: string): number {
  return Math.round(fs.statSync(p).size / 1024);
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});

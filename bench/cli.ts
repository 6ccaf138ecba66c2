/**
 * (b) CLI lint throughput on a tree of small manifests, against ajv-cli validating the same
 * files with our generated JSON Schema; and (d) the limit: the `yaml` package parsing them alone.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { agentsFile, smallFiles } from './generate';
import { WorkspaceIndex } from '../server/src/workspace/index';
import { lintWorkspace } from '../server/src/workspace/linter';
import { stat, type Stat } from './stats';

export function writeTree(count: number): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'scim-bench-cli-'));
  for (const f of smallFiles(count)) {
    const p = path.join(root, f.name);
    fs.mkdirSync(path.dirname(p), { recursive: true });
    fs.writeFileSync(p, f.text);
  }
  return root;
}

function timeRun(cmd: string, args: string[], cwd: string): number {
  const t = performance.now();
  try {
    execFileSync(cmd, args, { cwd, stdio: 'ignore', maxBuffer: 1 << 28 });
  } catch (e) {
    // lint exits 1 on findings and ajv-cli on invalid files: the time still counts, a crash does not.
    const status = (e as { status?: number }).status;
    if (status !== 1) throw e;
  }
  return performance.now() - t;
}

export function measureCli(repo: string, root: string, files: number, reps: number): { ours: Stat; ajv: Stat } {
  const ours: number[] = [];
  const ajv: number[] = [];
  const schema = path.join(repo, 'schemas', 'generated', 'manifest.schema.json');
  const ajvBin = path.join(repo, 'node_modules', 'ajv-cli', 'dist', 'index.js');
  for (let i = 0; i < reps; i++) {
    ours.push(timeRun(process.execPath, [path.join(repo, 'dist', 'cli.js'), 'lint', '.', '--format', 'json'], root));
    ajv.push(timeRun(process.execPath, [ajvBin, 'validate', '--spec=draft2020', '--strict=false', '--errors=no', '-s', schema, '-d', '**/*.agent.yaml'], root));
  }
  const rate = (ms: number) => Math.round(files / (ms / 1000));
  return { ours: stat(ours.map(rate)), ajv: stat(ajv.map(rate)) };
}

/** Engine (parse, bind, every rule) against `yaml` parsing alone, in-process, on the same text. */
export function measureLimit(resources: number, reps: number): { yamlMs: Stat; engineMs: Stat } {
  const text = agentsFile(resources);
  const y: number[] = [];
  const e: number[] = [];
  for (let i = 0; i < reps; i++) {
    let t = performance.now();
    parseAllDocuments(text);
    y.push(performance.now() - t);
    t = performance.now();
    const index = new WorkspaceIndex();
    index.set('file:///bench/bench.agents.yaml', text);
    lintWorkspace(index);
    e.push(performance.now() - t);
  }
  return { yamlMs: stat(y), engineMs: stat(e) };
}

/**
 * `lint --baseline FILE` and `--update-baseline`: reports only findings the baseline does not
 * list, or writes the current findings as the baseline. Without --baseline, each manifest's
 * .scim-agents.yaml may name one (`baseline:`); manifests under different configurations may use
 * different baselines. File names in a baseline are relative to its folder, so it can be committed.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Finding } from '../rules/types';
import { fingerprintOf, parseBaseline, partitionByBaseline, serializeBaseline, type BaselineEntry } from '../lint/baseline';
import type { WorkspaceIndex } from '../workspace/index';
import { UsageError } from './files';
import { appendTo } from '../util/maps';

export interface BaselineOptions {
  /** --baseline FILE (absolute), for every manifest. */
  flag?: string;
  update: boolean;
  /** The baseline a manifest's configuration names (absolute), if any. */
  configured: (uri: string) => string | undefined;
}

export interface BaselineOutcome {
  results: Map<string, Finding[]>;
  /** A line for standard error (how many were hidden, what was written), if any. */
  notes: string[];
}

export function applyBaseline(index: WorkspaceIndex, results: Map<string, Finding[]>, options: BaselineOptions): BaselineOutcome {
  const byBaseline = new Map<string, string[]>();
  for (const uri of results.keys()) {
    const file = options.flag ?? options.configured(uri);
    if (!file) continue;
    appendTo(byBaseline, file, uri);
  }
  if (options.update && byBaseline.size === 0) throw new UsageError('--update-baseline needs --baseline FILE or a `baseline:` in .scim-agents.yaml.');
  const notes: string[] = [];
  const out = new Map(results);
  for (const [file, uris] of byBaseline) {
    const dir = path.dirname(file);
    const entries = uris.flatMap((uri) =>
      (results.get(uri) ?? []).map((f) => ({ item: f, entry: fingerprintOf(index, f, relativePosix(dir, fileURLToPath(uri))) })),
    );
    if (options.update) {
      fs.mkdirSync(dir, { recursive: true });
      fs.writeFileSync(file, serializeBaseline(entries.map((e) => e.entry)));
      notes.push(`Wrote ${entries.length} finding${entries.length === 1 ? '' : 's'} to the baseline ${file}.`);
      for (const uri of uris) out.set(uri, []);
      continue;
    }
    const baseline = readBaseline(file);
    if (!baseline) {
      notes.push(`No baseline at ${file} yet: every finding is new (write one with --update-baseline).`);
      continue;
    }
    const { baselined } = partitionByBaseline<Finding>(entries, baseline);
    const hidden = new Set(baselined);
    for (const uri of uris)
      out.set(
        uri,
        (results.get(uri) ?? []).filter((f) => !hidden.has(f)),
      );
    if (hidden.size) notes.push(`${hidden.size} finding${hidden.size === 1 ? '' : 's'} in the baseline ${file} not shown.`);
  }
  return { results: out, notes };
}

function readBaseline(file: string): { entries: BaselineEntry[] } | undefined {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new UsageError(`Cannot read the baseline ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}.`);
  }
  const parsed = parseBaseline(text);
  if ('error' in parsed) throw new UsageError(`${file}: ${parsed.error}.`);
  return parsed;
}

function relativePosix(dir: string, file: string): string {
  return path.relative(dir, file).split(path.sep).join('/');
}

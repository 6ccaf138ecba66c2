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
import { fingerprintOf, MAX_BASELINE_BYTES, parseBaseline, partitionByBaseline, serializeBaseline, type BaselineEntry } from '../lint/baseline';
import type { WorkspaceIndex } from '../workspace/index';
import { UsageError } from './files';
import { appendTo } from '../util/maps';
import { isInside, readTextFileSync, replaceFileSync } from '../util/files';

export interface BaselineOptions {
  /** --baseline FILE (absolute), for every manifest. */
  flag?: string;
  update: boolean;
  /** The baseline a manifest's configuration names (absolute) and that configuration's folder, which it must stay inside. */
  configured: (uri: string) => { file: string; folder: string } | undefined;
}

export interface BaselineOutcome {
  results: Map<string, Finding[]>;
  /** A line for standard error (how many were hidden, what was written), if any. */
  notes: string[];
}

export function applyBaseline(index: WorkspaceIndex, results: Map<string, Finding[]>, options: BaselineOptions): BaselineOutcome {
  const byBaseline = new Map<string, string[]>();
  /** The folder a configured baseline must stay inside, once its links are followed (none for --baseline: the user named it). */
  const confinedTo = new Map<string, string>();
  for (const uri of results.keys()) {
    const configured = options.flag === undefined ? options.configured(uri) : undefined;
    const file = options.flag ?? configured?.file;
    if (!file) continue;
    if (configured) confinedTo.set(file, configured.folder);
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
    const folder = confinedTo.get(file);
    if (options.update) {
      fs.mkdirSync(dir, { recursive: true });
      if (folder) confine(fs.existsSync(file) ? file : dir, folder, file);
      try {
        replaceFileSync(file, serializeBaseline(entries.map((e) => e.entry)), 0o644);
      } catch (e) {
        throw new UsageError(`Cannot write the baseline ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}.`);
      }
      notes.push(`Wrote ${entries.length} finding${entries.length === 1 ? '' : 's'} to the baseline ${file}.`);
      for (const uri of uris) out.set(uri, []);
      continue;
    }
    const baseline = readBaseline(file, folder);
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

function readBaseline(file: string, folder: string | undefined): { entries: BaselineEntry[] } | undefined {
  try {
    fs.lstatSync(file);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new UsageError(`Cannot read the baseline ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}.`);
  }
  if (folder) confine(file, folder, file);
  // Bounded and regular files only: a baseline linked to /dev/zero or a FIFO is refused, not read forever.
  const read = readTextFileSync(file, MAX_BASELINE_BYTES);
  if ('error' in read) throw new UsageError(`Cannot read the baseline ${file}: ${read.error}`);
  const parsed = parseBaseline(read.text);
  if ('error' in parsed) throw new UsageError(`${file}: ${parsed.error}.`);
  return parsed;
}

/**
 * A baseline that a workspace's .scim-agents.yaml names is read and written only inside that
 * file's folder, links followed: the path text is checked when the configuration is parsed, but
 * a link in the repository could still point anywhere.
 */
function confine(p: string, folder: string, file: string): void {
  let real: string;
  let realFolder: string;
  try {
    real = fs.realpathSync(p);
    realFolder = fs.realpathSync(folder);
  } catch (e) {
    throw new UsageError(`Cannot resolve the baseline ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}.`);
  }
  if (!isInside(real, realFolder))
    throw new UsageError(`The baseline ${file} leads outside the folder of its .scim-agents.yaml (${real}); it is neither read nor written.`);
}

function relativePosix(dir: string, file: string): string {
  return path.relative(dir, file).split(path.sep).join('/');
}

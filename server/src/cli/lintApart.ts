/**
 * `lint` without an index: each file read and checked by its own rules apart, in worker threads
 * when there are many (lintJobs.ts), then the cross-file rules over every file's records
 * (lint/apart.ts). No file's tree is kept to the end. The findings are those of the lint over an
 * index; it serves every run but those that need the index: a server profile or a baseline
 * (lint.ts decides).
 */
import { lintTogether, type FileAlone } from '../lint/apart';
import { configuredRun } from '../lint/configured';
import { LineIndex } from '../manifest/text';
import type { Finding } from '../rules/types';
import { pathToUri } from '../util/files';
import { relativePaths } from '../workspace/index';
import { relativeTo } from './files';
import { runJobs, threadsFor } from './lintJobs';
import type { CliConfig } from './projectConfig';

export interface LintedFiles {
  /** uri → the file's name relative to the working directory, for output. */
  names: Map<string, string>;
  unreadable: { file: string; error: string }[];
  /** Each readable file's findings under its configuration. */
  results: Map<string, Finding[]>;
  /** Where a file's lines start, to locate its findings. */
  linesOf: (uri: string) => LineIndex;
}

/**
 * The lint of `files` (under `uris`, each given to config.track) apart; undefined when a file
 * chose the `server` profile (the index must lint it).
 */
export async function lintApart(
  files: readonly string[],
  uris: readonly string[],
  cwd: string,
  config: CliConfig,
  jobs: number | undefined,
): Promise<LintedFiles | undefined> {
  const names = new Map(files.map((file, i) => [uris[i]!, relativeTo(cwd, file)]));
  const run = configuredRun(uris, config.forUri);
  const now = new Date();
  const done = await runJobs(
    files.map((file, i) => {
      const uri = uris[i]!;
      return { file, uri, options: { profile: run.configs.get(uri)!.profile, rules: run.rules, now, policies: run.policies(uri) } };
    }),
    threadsFor(files.length, jobs),
  );
  const alone: FileAlone[] = [];
  const unreadable: LintedFiles['unreadable'] = [];
  for (const r of done) {
    if ('error' in r) unreadable.push({ file: names.get(r.uri)!, error: r.error });
    else if (r.wantsServer) return undefined;
    else alone.push(r);
  }
  const results = lintTogether(alone, {
    rules: run.rules,
    now,
    policies: run.policies,
    relativePath: relativePaths(
      [pathToUri(cwd)],
      alone.map((a) => a.uri),
    ),
  });
  const texts = new Map(alone.map((a) => [a.uri, a.text]));
  return { names, unreadable, results: run.severities(results), linesOf: (uri) => new LineIndex(texts.get(uri)!) };
}

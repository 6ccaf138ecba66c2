/**
 * Baselined findings in the editor: the configuration's `baseline:` file lists accepted
 * findings; they are shown as hints (`SCIMAgents.baseline.mode: lower`, the default) or not at all
 * (`hide`). Matching is the CLI's (lint/baseline.ts), so the editor and `lint --baseline`
 * agree. The file is read again when it changes on disk (checked by size and mtime).
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Finding } from '../rules/types';
import { fingerprintOf, MAX_BASELINE_BYTES, parseBaseline, partitionByBaseline, type Baseline } from '../lint/baseline';
import type { WorkspaceIndex } from '../workspace/index';
import { readTextFileSync, resolvesInside } from '../util/files';

export type BaselineMode = 'lower' | 'hide';

export class BaselineStore {
  private readonly cache = new Map<string, { stamp: string; baseline: Baseline | undefined }>();

  constructor(private readonly log: (message: string) => void = () => undefined) {}

  /** The findings with those in the baseline marked (lower) or removed (hide). */
  apply(index: WorkspaceIndex, uri: string, findings: readonly Finding[], file: string, mode: BaselineMode, folder?: string): Finding[] {
    const baseline = this.read(file, folder);
    if (!baseline || findings.length === 0) return [...findings];
    let manifest: string;
    try {
      manifest = fileURLToPath(uri);
    } catch {
      return [...findings];
    }
    const name = path.relative(path.dirname(file), manifest).split(path.sep).join('/');
    const { baselined } = partitionByBaseline<Finding>(
      findings.map((f) => ({ item: f, entry: fingerprintOf(index, f, name) })),
      baseline,
    );
    if (baselined.length === 0) return [...findings];
    const known = new Set(baselined);
    if (mode === 'hide') return findings.filter((f) => !known.has(f));
    return findings.map((f) => (known.has(f) ? { ...f, message: `${f.message} (in the baseline)`, data: { ...f.data, baselined: true } } : f));
  }

  /** The baseline, if it is there and, links followed, inside `folder` (its configuration's): a repository's link cannot make the server read elsewhere. */
  private read(file: string, folder: string | undefined): Baseline | undefined {
    if (folder !== undefined && !resolvesInside(file, folder)) {
      if (fs.existsSync(file)) this.log(`Baseline ${file}: it leads outside the folder of its .scim-agents.yaml; not read.`);
      return undefined;
    }
    let stamp: string;
    try {
      const st = fs.statSync(file);
      stamp = `${st.size}:${st.mtimeMs}`;
    } catch {
      this.cache.delete(file);
      return undefined;
    }
    const cached = this.cache.get(file);
    if (cached && cached.stamp === stamp) return cached.baseline;
    let baseline: Baseline | undefined;
    try {
      // Bounded and regular files only, as the CLI reads it.
      const read = readTextFileSync(file, MAX_BASELINE_BYTES);
      const parsed = 'error' in read ? read : parseBaseline(read.text);
      if ('error' in parsed) this.log(`Baseline ${file}: ${parsed.error}; ignored.`);
      else baseline = parsed;
    } catch (e) {
      this.log(`Baseline ${file}: ${(e as Error).message}; ignored.`);
    }
    this.cache.set(file, { stamp, baseline });
    return baseline;
  }
}

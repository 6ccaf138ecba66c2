/**
 * Reading the manifests a command was given into one workspace: each under its URI (one
 * spelling with the language server's: util/files.ts), each tracked for its nearest
 * .scim-agents.yaml, each named for output relative to the working directory.
 */
import type { WorkspaceIndex } from '../workspace/index';
import { pathToUri, readTextFile } from '../util/files';
import { relativeTo } from './files';
import type { CliConfig } from './projectConfig';

export interface ReadManifests {
  /** uri → the file's name relative to the working directory, for output. */
  names: Map<string, string>;
  /** Files that could not be read (not regular, too large, not UTF-8...), with why. */
  unreadable: { file: string; error: string }[];
}

export async function readManifests(files: readonly string[], cwd: string, index: WorkspaceIndex, config: CliConfig): Promise<ReadManifests> {
  const names = new Map<string, string>();
  const unreadable: ReadManifests['unreadable'] = [];
  for (const file of files) {
    const uri = pathToUri(file);
    const name = relativeTo(cwd, file);
    names.set(uri, name);
    config.track(uri, file);
    const read = await readTextFile(file);
    if ('text' in read) index.set(uri, read.text);
    else unreadable.push({ file: name, error: read.error });
  }
  return { names, unreadable };
}

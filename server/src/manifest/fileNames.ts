/**
 * Which files are manifests by their name: `*.agent.*` and `*.agents.*` in YAML or JSON. The
 * CLI's folder scan, the language server's scan and file watcher, and the VS Code client's
 * watcher all read it from here; package.json's language extensions are checked against it
 * (test/unit/manifest-file-names.test.ts).
 */
const KINDS = ['agent', 'agents'];
const EXTENSIONS = ['yaml', 'yml', 'json'];

/** The manifest names as a glob, for file watchers. */
export const MANIFEST_GLOB = `**/*.{${KINDS.join(',')}}.{${EXTENSIONS.join(',')}}`;

const MANIFEST_NAME = new RegExp(`\\.(?:${KINDS.join('|')})\\.(?:${EXTENSIONS.join('|')})$`, 'i');

/** Whether a file name (not a path) is a manifest's; case-insensitive, as file systems that fold case are. */
export function isManifestName(fileName: string): boolean {
  return MANIFEST_NAME.test(fileName);
}

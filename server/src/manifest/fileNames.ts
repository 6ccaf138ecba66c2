/**
 * Which files are manifests by their name: `*.agent.*` and `*.agents.*` in YAML or JSON, and
 * which folders a workspace scan leaves out. The CLI's folder scan, the language server's scan
 * and file watcher, and the VS Code clients' searches and watchers all read it from here, so a
 * reviewer's `scim-agents lint .` and the editor see the same workspace; package.json's language
 * extensions are checked against it (test/unit/manifest-file-names.test.ts).
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

/**
 * Folders a scan never enters: dependencies, version control, build output (a copy of the
 * manifests there would be a second declaration of each); and hidden folders and files.
 */
export const SKIPPED_FOLDERS: readonly string[] = ['node_modules', '.git', 'dist'];

/** Whether a scan enters a folder of this name. */
export function isScannedFolder(name: string): boolean {
  return !name.startsWith('.') && !SKIPPED_FOLDERS.includes(name);
}

/**
 * Whether a path found under a workspace folder ('/'-separated, relative to it) belongs to the
 * workspace a scan sees: nothing in a skipped or hidden folder, no hidden file. Files named on
 * the command line, and files open in the editor, are read wherever they are.
 */
export function isScannedPath(relativePath: string): boolean {
  const segments = relativePath.split('/');
  const file = segments.pop() ?? '';
  return !file.startsWith('.') && segments.every(isScannedFolder);
}

/** The same, as an exclude glob (VS Code's findFiles). */
export const SCAN_EXCLUDE_GLOB = `{**/.*,**/.*/**,${SKIPPED_FOLDERS.map((f) => `**/${f}/**`).join(',')}}`;

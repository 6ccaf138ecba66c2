/**
 * `scimAgents.import` (workspace/executeCommand): writes manifests for what a SCIM endpoint
 * holds into a folder the user picked (provision/import.ts does the work, as for the CLI).
 * Argument: {folder: file URI, endpoint?, token?, filter?, types?}. The endpoint and token follow
 * the provisioning commands' rules (lsp/provisioning/endpoint.ts); untrusted workspaces are
 * refused before anything is sent.
 */
import fs from 'node:fs';
import path from 'node:path';
import { connect } from '../provision/connect';
import { IMPORT_TYPES, ImportError, planImportWrites, readServerForImport, type ImportType } from '../provision/import';
import { isScimError } from '../scim';
import { scrubSecrets } from '../scim/redact';
import type { CommandContext, CommandRegistry } from './commands';
import { SERVER_COMMANDS, type ImportResult, SETTINGS_SECTION } from './protocol';
import { ProvisioningError, readEndpointSettings, resolveAuth, resolveEndpoint } from './provisioning/endpoint';
import { includeGlobs, scanFolder } from './scan';
import { pathToUri, uriToPath } from '../util/files';

interface Args {
  folder?: unknown;
  endpoint?: unknown;
  token?: unknown;
  filter?: unknown;
  types?: unknown;
}

export function registerImportCommand(registry: CommandRegistry): void {
  registry.register(SERVER_COMMANDS.import, importCommand);
}

async function importCommand(raw: unknown[], ctx: CommandContext): Promise<ImportResult> {
  if (!ctx.workspaceTrusted) throw new ProvisioningError('Refusing to import: this workspace is not trusted (Restricted Mode).');
  const args = (raw[0] && typeof raw[0] === 'object' ? raw[0] : {}) as Args;
  const folder = typeof args.folder === 'string' ? uriToPath(args.folder) : undefined;
  if (!folder) throw new ProvisioningError('scimAgents.import needs "folder": the file URI of the folder to write to.');
  if (args.filter !== undefined && (typeof args.filter !== 'string' || args.filter.length > 2000))
    throw new ProvisioningError('"filter" must be a SCIM filter of at most 2000 characters.');
  const types = Array.isArray(args.types) ? args.types.map((t) => IMPORT_TYPES.find((k) => k === t) ?? fail(`Unknown type "${String(t)}".`)) : [];
  let settings = {};
  try {
    settings = readEndpointSettings(await ctx.connection.workspace.getConfiguration(SETTINGS_SECTION));
  } catch {
    // a client without workspace/configuration: the argument or the default endpoint
  }
  const baseUrl = resolveEndpoint(args.endpoint, settings);
  const { auth, token } = resolveAuth(args.token);
  try {
    const conn = await connect({ baseUrl, auth, maxRetries: 3 });
    const imported = await readServerForImport({
      ...conn,
      ...(typeof args.filter === 'string' && args.filter ? { filter: args.filter } : {}),
      types: types as ImportType[],
    });
    fs.mkdirSync(folder, { recursive: true });
    const existing = (await scanFolder(folder, includeGlobs([], false).matcher)).map((uri) => {
      const file = uriToPath(uri)!;
      return { file: path.relative(folder, file).split(path.sep).join('/'), text: fs.readFileSync(file, 'utf8') };
    });
    const writes = planImportWrites(imported, existing);
    for (const w of writes) {
      const target = path.resolve(folder, w.file);
      if (path.relative(folder, target).startsWith('..')) throw new ProvisioningError(`Refusing to write outside the folder: ${w.file}`);
      if (w.changed) fs.writeFileSync(target, w.text);
    }
    return {
      endpointHost: imported.endpointHost,
      counts: imported.counts,
      notes: imported.notes,
      files: writes.map((w) => ({ uri: pathToUri(path.resolve(folder, w.file)), status: w.created ? 'created' : w.changed ? 'updated' : 'unchanged' })),
    };
  } catch (error) {
    if (error instanceof ProvisioningError) throw error;
    if (error instanceof ImportError || isScimError(error)) throw new ProvisioningError(scrubSecrets(error.message, [token]));
    throw new Error(scrubSecrets(error instanceof Error ? error.message : String(error), [token]));
  }
}

function fail(message: string): never {
  throw new ProvisioningError(message);
}

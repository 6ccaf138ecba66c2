/**
 * The settings were renamed from `scimAgents.*` to `SCIMAgents.*` (VS Code derives the Settings
 * UI's titles from the key: only this spelling reads "SCIM Agents"). A value still under an old
 * key is moved to the new one, in the same place (User, Workspace, each folder), so nobody's
 * endpoint or rule severities silently stop applying. A value already set under the new key wins
 * and the old one is only removed.
 */
import * as vscode from 'vscode';
import { SETTINGS_SECTION } from '../../server/src/lsp/protocol';

const OLD_PREFIX = 'scimAgents.';
const NEW_PREFIX = `${SETTINGS_SECTION}.`;

type Place = { target: vscode.ConfigurationTarget; scope?: vscode.WorkspaceFolder };

/** The keys this extension contributes, from its package.json: the one list of them. */
function contributedKeys(extension: vscode.Extension<unknown>): string[] {
  type Section = { properties?: Record<string, unknown> };
  const configuration = (extension.packageJSON as { contributes?: { configuration?: Section | Section[] } }).contributes?.configuration;
  const sections = Array.isArray(configuration) ? configuration : configuration ? [configuration] : [];
  return sections.flatMap((s) => Object.keys(s.properties ?? {})).filter((k) => k.startsWith(NEW_PREFIX));
}

function valueAt<T>(inspected: ReturnType<vscode.WorkspaceConfiguration['inspect']> & object, target: vscode.ConfigurationTarget): T | undefined {
  switch (target) {
    case vscode.ConfigurationTarget.Global:
      return inspected.globalValue as T | undefined;
    case vscode.ConfigurationTarget.Workspace:
      return inspected.workspaceValue as T | undefined;
    default:
      return inspected.workspaceFolderValue as T | undefined;
  }
}

/** Moves every old-key value; returns the keys moved (for the log). Never throws. */
export async function migrateRenamedSettings(extension: vscode.Extension<unknown>, output: vscode.LogOutputChannel): Promise<string[]> {
  const folders = vscode.workspace.workspaceFolders ?? [];
  // A single-folder window's Workspace settings are its folder's .vscode/settings.json; a
  // .code-workspace has its own, and each of its folders theirs.
  const places: Place[] = [
    { target: vscode.ConfigurationTarget.Global },
    ...(vscode.workspace.workspaceFile
      ? [{ target: vscode.ConfigurationTarget.Workspace }, ...folders.map((scope) => ({ target: vscode.ConfigurationTarget.WorkspaceFolder, scope }))]
      : folders.length === 1
        ? [{ target: vscode.ConfigurationTarget.Workspace }]
        : []),
  ];
  const moved: string[] = [];
  for (const key of contributedKeys(extension)) {
    const oldKey = OLD_PREFIX + key.slice(NEW_PREFIX.length);
    for (const { target, scope } of places) {
      const config = vscode.workspace.getConfiguration(undefined, scope?.uri);
      const old = config.inspect(oldKey);
      const value = old && valueAt(old, target);
      if (value === undefined) continue;
      try {
        const current = config.inspect(key);
        if (current === undefined || valueAt(current, target) === undefined) await config.update(key, value, target);
        await config.update(oldKey, undefined, target);
        const left = vscode.workspace.getConfiguration(undefined, scope?.uri).inspect(oldKey);
        // Machine settings of a remote window are not where an unregistered key is written.
        if (left && valueAt(left, target) !== undefined)
          output.warn(`The old setting ${oldKey} is still set (now read as ${key}): remove it from your settings.`);
        else moved.push(`${oldKey} → ${key}${scope ? ` (${scope.name})` : ''}`);
      } catch (e) {
        output.warn(`Could not move the setting ${oldKey} to ${key}: ${e instanceof Error ? e.message : String(e)}`);
      }
    }
  }
  if (moved.length > 0) output.info(`Settings renamed: ${moved.join(', ')}`);
  return moved;
}

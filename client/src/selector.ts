/**
 * Which documents the language server sees. Our two language ids always; plus the user's
 * `SCIMAgents.files.include` globs, relative to each workspace folder, for manifests that keep
 * another language (typically `yaml` or `json`).
 *
 * Red Hat YAML selects `{ language: 'yaml' }` (and a `*.y(a)ml` pattern that matches no absolute
 * path), and VS Code's JSON support selects `json`/`jsonc`: because `*.agent(s).{yaml,yml,json}`
 * files get our own language ids, neither of them validates our files, so users never see a
 * diagnostic twice. Files added through `files.include` keep their language, so those other
 * extensions may also validate them; that is the user's explicit choice.
 */
import * as vscode from 'vscode';
import type { DocumentSelector } from 'vscode-languageclient/node';
// Manifests are watched by name (the server indexes unopened files too); configuration files
// because the server reads them, shows their problems and re-lints when they change.
import { MANIFEST_GLOB } from '../../server/src/manifest/fileNames';
import { CONFIG_GLOB } from '../../server/src/config/types';
import { SETTINGS_SECTION } from '../../server/src/lsp/protocol';

export const YAML_LANGUAGE_ID = 'scim-agents-yaml';
export const JSON_LANGUAGE_ID = 'scim-agents-json';
export const LANGUAGE_IDS = [YAML_LANGUAGE_ID, JSON_LANGUAGE_ID] as const;

export function includeGlobs(): string[] {
  const value = vscode.workspace.getConfiguration(SETTINGS_SECTION).get<unknown>('files.include');
  if (!Array.isArray(value)) return [];
  return value.filter((g): g is string => typeof g === 'string' && g.trim() !== '').map((g) => g.trim());
}

export function buildDocumentSelector(globs: readonly string[]): DocumentSelector {
  const selector: DocumentSelector = LANGUAGE_IDS.map((language) => ({ language }));
  selector.push({ scheme: 'file', pattern: CONFIG_GLOB });
  for (const folder of vscode.workspace.workspaceFolders ?? []) {
    for (const pattern of globs) {
      selector.push({ pattern: { baseUri: folder.uri.toString(), pattern } });
    }
  }
  return selector;
}

export function fileWatchers(globs: readonly string[]): vscode.FileSystemWatcher[] {
  const watchers = [vscode.workspace.createFileSystemWatcher(MANIFEST_GLOB), vscode.workspace.createFileSystemWatcher(CONFIG_GLOB)];
  for (const folder of vscode.workspace.workspaceFolders ?? []) {
    for (const pattern of globs) {
      watchers.push(vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(folder, pattern)));
    }
  }
  return watchers;
}

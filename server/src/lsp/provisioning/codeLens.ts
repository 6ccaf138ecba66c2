/**
 * One code lens per resource saying what the last plan, apply or deprovision found: in sync,
 * drifted (N changes), not provisioned, cannot apply, failed. A resource edited since then
 * shows what that edit means (in sync + an edit = drifted). Clicking it plans the file again.
 */
import type { CodeLens, CodeLensParams } from 'vscode-languageserver';
import { resourceAnchor } from '../../rules/util';
import { labelOf } from '../../workspace/index';
import { spanToRange } from '../convert';
import type { ServerState } from '../state';
import { changedAttributes, snapshotOf, type ProvisioningStore, type ResourceSync } from './store';

export interface LensCommands {
  /** Command id the lens runs to plan the file (the client may map it to its own command). */
  plan: string;
}

export function codeLenses(state: ServerState, store: ProvisioningStore, commands: LensCommands, params: CodeLensParams): CodeLens[] {
  const uri = params.textDocument.uri;
  const analysis = state.analysis(uri);
  if (!analysis) return [];
  return analysis.resources.map((resource) => {
    const sync = store.getSync(uri, labelOf(resource));
    const edits = sync ? changedAttributes(sync.snapshot, snapshotOf(resource)) : 0;
    return {
      range: spanToRange(analysis.manifest.lines, resourceAnchor(resource)),
      command: { title: titleOf(sync, edits), command: commands.plan, arguments: [{ uri }] },
    };
  });
}

export function titleOf(sync: ResourceSync | undefined, edits: number): string {
  if (!sync) return 'SCIM: not planned yet (Plan)';
  const at = ` on ${sync.endpointHost}`;
  switch (sync.state) {
    case 'in-sync':
      return edits === 0 ? `SCIM: in sync${at}` : `SCIM: drifted (${plural(edits, 'change')} since the last sync)${at}`;
    case 'drifted':
      return edits === 0 ? `SCIM: drifted (${plural(sync.changes ?? 0, 'change')})${at}` : `SCIM: drifted (edited since the plan: Plan again)${at}`;
    case 'not-provisioned':
      return `SCIM: not provisioned${at}`;
    case 'cannot-apply':
      return edits === 0 ? `SCIM: cannot apply: ${short(sync.reason)}` : 'SCIM: edited since the plan (Plan again)';
    case 'failed':
      return `SCIM: failed${at}: ${short(sync.reason)}`;
    case 'deactivated':
      return `SCIM: deactivated${at}`;
    case 'deleted':
      return `SCIM: not provisioned (deleted)${at}`;
  }
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

function short(text: string | undefined): string {
  if (!text) return 'see the plan';
  return text.length > 90 ? `${text.slice(0, 90)}…` : text;
}

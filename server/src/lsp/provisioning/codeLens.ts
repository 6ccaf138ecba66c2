/**
 * One code lens per resource, on the resource's first line, saying what the last plan, apply or
 * deprovision found: in sync, drifted (N changes), not provisioned, cannot apply, failed. Titles
 * stay short (VS Code cuts long lenses); the detail goes in the tooltip. A lens whose state can
 * no longer be trusted says it is stale: the resource was edited since, or the last plan or apply
 * against the endpoint failed. Clicking it plans the file again.
 *
 * Before the first plan of a session the lens says the state is unknown rather than guessing:
 * knowing it means reading the endpoint with the user's token, which only the client holds and
 * which opening a file should not spend on its own.
 */
import type { CodeLens, CodeLensParams, Command } from 'vscode-languageserver';
import { labelOf } from '../../workspace/index';
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
  const { lines } = analysis.manifest;
  return analysis.resources.map((resource) => {
    const sync = store.getSync(uri, labelOf(resource));
    const edits = sync ? changedAttributes(sync.snapshot, snapshotOf(resource)) : 0;
    const { title, tooltip } = lensText(sync, edits);
    // At the top of the resource (its first line), not on its name: that is where a reader looks.
    const top = { line: lines.positionAt(resource.resource.root.span.start).line, character: 0 };
    const command: Command = { title, tooltip, command: commands.plan, arguments: [{ uri }] };
    return { range: { start: top, end: top }, command };
  });
}

export interface LensText {
  title: string;
  tooltip: string;
}

const PLAN_HINT = 'Click to plan: a read-only comparison with the endpoint; nothing is changed.';

export function lensText(sync: ResourceSync | undefined, edits: number): LensText {
  if (!sync) {
    return { title: 'SCIM: state unknown (Plan to compare)', tooltip: `Not compared with the endpoint in this session yet. ${PLAN_HINT}` };
  }
  const last = lastKnown(sync);
  if (edits > 0) {
    return {
      title: `SCIM: stale, edited since the last plan (${plural(edits, 'change')})`,
      tooltip: `Last known on ${sync.endpointHost}: ${last}. ${plural(edits, 'attribute')} edited since. ${PLAN_HINT}`,
    };
  }
  if (sync.stale) {
    return {
      title: 'SCIM: stale (the last plan or apply failed)',
      tooltip: `The last plan or apply against ${sync.endpointHost} failed: ${sync.stale}. Last known: ${last}. ${PLAN_HINT}`,
    };
  }
  const title = `SCIM: ${short(sync)}`;
  return { title, tooltip: `On ${sync.endpointHost}: ${last}. ${PLAN_HINT}` };
}

/** The state in a few words, for the title. */
function short(sync: ResourceSync): string {
  const at = ` on ${sync.endpointHost}`;
  switch (sync.state) {
    case 'in-sync':
      return `in sync${at}`;
    case 'drifted':
      return `drifted (${plural(sync.changes ?? 0, 'change')})${at}`;
    case 'not-provisioned':
      return `not provisioned${at}`;
    case 'cannot-apply':
      return `cannot apply${at} (hover for why)`;
    case 'failed':
      return `failed${at} (hover for why)`;
    case 'deactivated':
      return `deactivated${at}`;
    case 'deleted':
      return `not provisioned (deleted)${at}`;
  }
}

/** The state in full, for the tooltip. */
function lastKnown(sync: ResourceSync): string {
  const why = sync.reason ? `: ${sync.reason}` : '';
  switch (sync.state) {
    case 'cannot-apply':
      return `cannot apply${why}`;
    case 'failed':
      return `failed${why}`;
    default:
      return short(sync).replace(` on ${sync.endpointHost}`, '');
  }
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

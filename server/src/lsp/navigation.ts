import type { DefinitionParams, Location, ReferenceParams } from 'vscode-languageserver';
import type { BoundResource } from '../model/bind';
import { subValue, valuesOf } from '../model/values';
import { humanKeyOf } from '../workspace/index';
import { parseReference, REFERENCE_SLOTS } from '../workspace/references';
import { spanToRange } from './convert';
import { keyEntryOf, referenceAt, resourceAt } from './nodes';
import type { ServerState } from './state';

/** Where a resource is named: its human key (or externalId) entry, else its root. */
function locationOf(r: BoundResource): Location {
  const lines = r.manifest.lines;
  const entry = keyEntryOf(r, humanKeyOf(r)?.attribute);
  return { uri: r.uri, range: spanToRange(lines, entry ? entry.value.span : r.resource.root.span) };
}

export function definition(state: ServerState, params: DefinitionParams): Location[] {
  const analysis = state.analysis(params.textDocument.uri);
  if (!analysis) return [];
  const offset = analysis.manifest.lines.offsetAt(params.position);
  const r = resourceAt(analysis, offset);
  const hit = r && referenceAt(r, offset);
  if (!hit) return [];
  return state.index.resolve(hit.ref).map((t) => locationOf(t));
}

/**
 * Every reference value that resolves to the resource under the cursor (on a reference, its
 * target; elsewhere in a resource, that resource), across the workspace.
 */
export function references(state: ServerState, params: ReferenceParams): Location[] {
  const analysis = state.analysis(params.textDocument.uri);
  if (!analysis) return [];
  const offset = analysis.manifest.lines.offsetAt(params.position);
  const r = resourceAt(analysis, offset);
  if (!r) return [];
  const hit = referenceAt(r, offset);
  const targets = new Set(hit ? state.index.resolve(hit.ref) : [r]);
  if (targets.size === 0) return [];
  for (const doc of state.documents.all()) state.analysis(doc.uri);
  const out: Location[] = [];
  for (const slot of REFERENCE_SLOTS) {
    for (const holder of state.index.ofType(slot.resourceType)) {
      for (const item of valuesOf(holder, slot.attribute)) {
        const v = subValue(holder, item, 'value');
        const ref = v && parseReference(v.value);
        if (!v || !ref || !slot.accepts.includes(ref.kind)) continue;
        if (state.index.resolve(ref).some((t) => targets.has(t))) out.push({ uri: holder.uri, range: spanToRange(holder.manifest.lines, v.span) });
      }
    }
  }
  if (params.context.includeDeclaration) for (const t of targets) out.unshift(locationOf(t));
  return out;
}

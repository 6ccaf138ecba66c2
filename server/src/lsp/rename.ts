import { ResponseError, type PrepareRenameParams, type Range, type RenameParams, type TextEdit, type WorkspaceEdit } from 'vscode-languageserver';
import { stringify } from 'yaml';
import type { ScalarNode } from '../manifest/model';
import type { BoundResource } from '../model/bind';
import { subValue, valuesOf } from '../model/values';
import { HUMAN_KEY_ATTRIBUTES, labelOf } from '../workspace/index';
import { parseReference, REFERENCE_SLOTS, RESOURCE_TYPE_OF, type ReferenceKind } from '../workspace/references';
import { spanToRange } from './convert';
import { referenceAt, resourceAt, scalarValueAt } from './nodes';
import type { ServerState } from './state';

/** What F2 renames: one key attribute (externalId, or the human key) of one resource. */
interface RenameTarget {
  resource: BoundResource;
  attribute: string;
  key: string;
  /** The text the editor selects for typing over. */
  range: Range;
}

const KIND_OF_TYPE: Record<string, ReferenceKind> = Object.fromEntries(Object.entries(RESOURCE_TYPE_OF).map(([k, t]) => [t, k as ReferenceKind]));
const NOT_HERE = "Rename works on a resource's externalId or name (userName, displayName for Users and Groups), or on a user:/group:/agent: reference to one.";
const ANNOTATION = 'provisioning-key';

export function prepareRename(state: ServerState, params: PrepareRenameParams): { range: Range; placeholder: string } {
  const t = targetAt(state, params.textDocument.uri, params.position);
  if (!t) throw new ResponseError(0, NOT_HERE);
  return { range: t.range, placeholder: t.key };
}

/**
 * The resource's key and every reference that names it by that key, across the workspace. When
 * the key is the one provisioning looks resources up by, the edit says so: the server will see a
 * new identity, and the old one stays until it is deprovisioned.
 */
export function rename(state: ServerState, params: RenameParams, annotations: boolean): WorkspaceEdit {
  const t = targetAt(state, params.textDocument.uri, params.position);
  if (!t) throw new ResponseError(0, NOT_HERE);
  const newKey = params.newName.trim();
  if (newKey === '' || /[\r\n]/.test(newKey) || newKey.length > 256) throw new ResponseError(0, 'A key is one line of 1 to 256 characters.');
  if (newKey === t.key) return {};
  const type = t.resource.resourceType!.name;
  const clash = state.index.lookup(type, newKey).filter((r) => r !== t.resource);
  if (clash.length > 0) throw new ResponseError(0, `"${newKey}" already names ${labelOf(clash[0]!)} in ${clash[0]!.uri.split('/').pop()}.`);

  const edits = new Map<string, TextEdit[]>();
  const add = (r: BoundResource, node: ScalarNode, value: string) => {
    const list = edits.get(r.uri) ?? [];
    list.push({ range: spanToRange(r.manifest.lines, node.span), newText: quoteLike(r, node, value) });
    edits.set(r.uri, list);
  };
  const own = t.resource.top.get(t.attribute)?.entry.value;
  if (own?.kind === 'scalar') add(t.resource, own, newKey);
  const kind = KIND_OF_TYPE[type];
  const byExternalId = t.attribute === 'externalId';
  for (const slot of REFERENCE_SLOTS) {
    if (!kind || !slot.accepts.includes(kind)) continue;
    for (const holder of state.index.ofType(slot.resourceType)) {
      for (const item of valuesOf(holder, slot.attribute)) {
        const v = subValue(holder, item, 'value');
        const node = holder.nodes.get(`${item.pointer}/value`);
        const ref = v && parseReference(v.value);
        if (!v || !ref || ref.kind !== kind || node?.kind !== 'scalar') continue;
        const sameKey = byExternalId ? ref.key === t.key : ref.key.toLowerCase() === t.key.toLowerCase();
        if (!sameKey || !state.index.resolve(ref).includes(t.resource)) continue;
        const prefix = String(v.value).slice(0, String(v.value).indexOf(':') + 1);
        add(holder, node, prefix + newKey);
      }
    }
  }

  const provisioningKey = byExternalId || typeof t.resource.normalized.externalId !== 'string';
  if (!provisioningKey || !annotations) return { changes: Object.fromEntries(edits) };
  return {
    changeAnnotations: {
      [ANNOTATION]: {
        label: `${labelOf(t.resource)}: provisioning key`,
        needsConfirmation: true,
        description: `${t.attribute} is what provisioning looks ${type}s up by: the server will see a new identity "${newKey}", and "${t.key}" stays there until it is deprovisioned.`,
      },
    },
    documentChanges: [...edits].map(([uri, list]) => ({
      textDocument: { uri, version: state.documents.get(uri)?.version ?? null },
      edits: list.map((e) => ({ ...e, annotationId: ANNOTATION })),
    })),
  };
}

function targetAt(state: ServerState, uri: string, position: { line: number; character: number }): RenameTarget | undefined {
  const analysis = state.analysis(uri);
  if (!analysis) return undefined;
  const offset = analysis.manifest.lines.offsetAt(position);
  const r = resourceAt(analysis, offset);
  if (!r) return undefined;
  const hit = referenceAt(r, offset);
  if (hit) {
    const [resource] = state.index.resolve(hit.ref);
    if (!resource) return undefined;
    const attribute = resource.normalized.externalId === hit.ref.key ? 'externalId' : keyAttributeOf(resource);
    if (!attribute) return undefined;
    const raw = r.manifest.text.slice(hit.node.span.start, hit.node.span.end);
    const start = hit.node.span.start + raw.indexOf(':') + 1;
    const end = hit.node.span.end - (hit.node.style === 'single' || hit.node.style === 'double' ? 1 : 0);
    return { resource, attribute, key: hit.ref.key, range: spanToRange(r.manifest.lines, { start, end }) };
  }
  const value = scalarValueAt(r, offset);
  if (!value || value.attribute.parent || typeof value.node.value !== 'string' || !r.resourceType) return undefined;
  const attribute = value.attribute.canonicalName ?? '';
  if (attribute !== 'externalId' && attribute !== keyAttributeOf(r)) return undefined;
  const quoted = value.node.style === 'single' || value.node.style === 'double' ? 1 : 0;
  return {
    resource: r,
    attribute,
    key: value.node.value,
    range: spanToRange(r.manifest.lines, { start: value.node.span.start + quoted, end: value.node.span.end - quoted }),
  };
}

function keyAttributeOf(r: BoundResource): string | undefined {
  return (HUMAN_KEY_ATTRIBUTES[r.resourceType?.name ?? ''] ?? []).find((a) => typeof r.normalized[a] === 'string');
}

/** The new value written as the old one was: quoted the same way, or plain when YAML allows it. */
function quoteLike(r: BoundResource, node: ScalarNode, value: string): string {
  if (r.manifest.format === 'json' || node.style === 'double') return JSON.stringify(value);
  if (node.style === 'single') return `'${value.replace(/'/g, "''")}'`;
  const plain = stringify(value, { lineWidth: 0 }).trimEnd();
  return plain.includes('\n') ? JSON.stringify(value) : plain;
}

import type { AttributeDefinition } from '../schema/types';
import { effectiveCharacteristics } from '../schema/attributes';
import type { BoundResource } from '../model/bind';
import { attributesOf, findAttribute } from '../schema/attributes';
import { canonicalUrn } from '../schema/profiles';

/** The attribute's description and SCIM characteristics (RFC 7643 §2.2), as Markdown. */
export function attributeMarkdown(def: AttributeDefinition, qualifiedName: string): string {
  const e = effectiveCharacteristics(def);
  const out = [`**${qualifiedName}**: ${e.type}${e.multiValued ? '[]' : ''}`];
  if (def.description) out.push('', def.description);
  const rows: [string, string][] = [
    ['type', e.type],
    ['multiValued', String(e.multiValued)],
    ['required', String(e.required)],
    ['mutability', e.mutability],
    ['returned', e.returned],
    ['uniqueness', e.uniqueness],
    ['caseExact', String(e.caseExact)],
  ];
  if (def.canonicalValues?.length) rows.push(['canonicalValues', def.canonicalValues.map((v) => `\`${v}\``).join(', ')]);
  if (def.referenceTypes?.length) rows.push(['referenceTypes', def.referenceTypes.join(', ')]);
  if (def.subAttributes?.length) rows.push(['subAttributes', def.subAttributes.map((s) => `\`${s.name}\``).join(', ')]);
  out.push('', '| characteristic | value |', '|---|---|', ...rows.map(([k, v]) => `| ${k} | ${v} |`));
  return out.join('\n');
}

export function attributeDetail(def: AttributeDefinition): string {
  const e = effectiveCharacteristics(def);
  const parts = [`${e.type}${e.multiValued ? '[]' : ''}`];
  if (e.required) parts.push('required');
  if (e.mutability !== 'readWrite') parts.push(e.mutability);
  return parts.join(' · ');
}

/**
 * The definitions of the object at `path` (attribute names from the resource root); the top
 * level when `path` is empty. An extension URN as the first segment selects its schema.
 */
export function definitionsAt(
  r: Pick<BoundResource, 'profile' | 'resourceType'>,
  path: readonly string[],
): { defs: readonly AttributeDefinition[]; def?: AttributeDefinition; names: string[] } | undefined {
  if (!r.resourceType) return undefined;
  let defs: readonly AttributeDefinition[] = attributesOf(r.profile, r.resourceType.schema) ?? [];
  let def: AttributeDefinition | undefined;
  const names: string[] = [];
  let rest = path;
  const first = path[0];
  if (first && first.toLowerCase().startsWith('urn:')) {
    const urn = canonicalUrn(first);
    const ext = urn ? attributesOf(r.profile, urn) : undefined;
    if (!urn || !ext) return undefined;
    defs = ext;
    names.push(urn);
    rest = path.slice(1);
  }
  for (const name of rest) {
    const m = findAttribute(defs, name);
    if (!m) return undefined;
    def = m.def;
    names.push(m.canonicalName);
    defs = m.def.subAttributes ?? [];
  }
  return { defs, ...(def ? { def } : {}), names };
}

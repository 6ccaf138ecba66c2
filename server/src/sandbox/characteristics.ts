/**
 * effectiveCharacteristics, remembered per definition. The sandbox asks for an attribute's
 * characteristics for every attribute of every resource it renders, projects or validates;
 * computing them copies the definition each time, which showed at the top of its profile.
 * Definitions come from the profile and never change while the sandbox runs.
 */
import { effectiveCharacteristics as compute, type EffectiveAttribute } from '../schema/attributes';
import type { AttributeDefinition } from '../schema/types';

const memo = new WeakMap<AttributeDefinition, EffectiveAttribute>();

export function effectiveCharacteristics(def: AttributeDefinition): EffectiveAttribute {
  let e = memo.get(def);
  if (!e) memo.set(def, (e = compute(def)));
  return e;
}

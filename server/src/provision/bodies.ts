/**
 * What is sent: a resource's SCIM body without what the server manages, fitted to the schema the
 * server publishes for the type the body goes to.
 */
import type { ServerCapabilities } from '../scim';
import { attributesOf, findAttribute } from '../schema/attributes';
import { URN } from '../schema/types';
import type { BoundResource } from '../model/bind';

/** The core schema URN of each resource type the server holds. */
export const SERVER_URN: Record<string, string> = {
  Agent: URN.agent,
  AgenticApplication: URN.agenticApplication,
  User: URN.user,
  Group: URN.group,
};

/** Attributes never compared with the server's schema nor sent as data of their own. */
const COMMON = new Set(['schemas', 'id', 'externalid', 'meta']);

/**
 * The SCIM body of a resource: its normalized value without what the server manages (readOnly
 * attributes per the profile, and per the server's own /Schemas when it serves them). Attributes
 * the server's schema for the type the body goes to does not define are not sent: the server
 * would drop them on create and reject them in a PATCH, sinking the other changes with them.
 */
export function serverBody(resource: BoundResource): { body: Record<string, unknown>; warnings: string[] } {
  const body = structuredClone(resource.normalized) as Record<string, unknown>;
  const warnings: string[] = [];
  const profileDefs = resource.resourceType ? (attributesOf(resource.profile, resource.resourceType.schema) ?? []) : [];
  for (const name of Object.keys(body)) {
    const def = findAttribute(profileDefs, name)?.def;
    if (name === 'id' || name === 'meta' || def?.mutability === 'readOnly') delete body[name];
  }
  return { body, warnings };
}

/**
 * Drops from a body what the server's published schema for its type does not define or marks
 * read-only; says so in the item's warnings. No published schema: everything is sent.
 */
export function fitToServerSchema(body: Record<string, unknown>, serverType: string, capabilities: ServerCapabilities): string[] {
  const urn = SERVER_URN[serverType];
  const served = urn ? capabilities.schemas[urn] : undefined;
  if (!served) return [];
  const cannotTravel: string[] = [];
  const readOnly: string[] = [];
  for (const name of Object.keys(body)) {
    if (COMMON.has(name.toLowerCase()) || /^urn:/i.test(name)) continue;
    const def = findAttribute(served.attributes, name)?.def;
    if (!def) cannotTravel.push(name);
    else if (def.mutability === 'readOnly') readOnly.push(name);
    else continue;
    delete body[name];
  }
  const warnings: string[] = [];
  if (cannotTravel.length)
    warnings.push(
      `cannot travel: the server's ${serverType} schema does not define ${cannotTravel.join(', ')}, so ${cannotTravel.length === 1 ? 'it is' : 'they are'} not sent`,
    );
  if (readOnly.length) warnings.push(`the server's schema marks ${readOnly.join(', ')} read-only: not sent`);
  return warnings;
}

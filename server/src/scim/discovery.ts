/**
 * Discovery (RFC 7644 §4): ServiceProviderConfig, ResourceTypes and Schemas turned into one
 * ServerCapabilities value. A missing or broken endpoint (404, 401/403 on discovery only, a body
 * that is not JSON or not the right shape) yields "unknown", never a failure: jackson has no
 * discovery at all, and plenty of servers only half-implement it. Network errors do propagate:
 * an unreachable server is not a discovery problem.
 */
import type { AttributeDefinition, SchemaDefinition } from '../schema/types';
import { URN } from '../schema/types';
import type { ScimClient } from './client';
import { isScimError } from './errors';
import { asBoolean, asInteger, asString, getMember, isObject, type JsonObject } from './json';
import { parseListPage } from './types';

/** A feature the server may support: true/false when it said so, 'unknown' when it did not. */
export type Support = boolean | 'unknown';

/**
 * What happened to one discovery endpoint. `partial`: a listing that says it holds more than it
 * showed (a page cap): what it shows is used, what it does not show is not taken as absent.
 */
export type DiscoveryStatus = 'ok' | 'partial' | 'missing' | 'unauthorized' | 'invalid' | 'error';

export interface ResourceTypeInfo {
  name: string;
  endpoint: string;
  schema: string;
  schemaExtensions: { schema: string; required: boolean }[];
}

export interface ServerCapabilities {
  discovery: { serviceProviderConfig: DiscoveryStatus; resourceTypes: DiscoveryStatus; schemas: DiscoveryStatus };
  patch: Support;
  bulk: { supported: Support; maxOperations?: number; maxPayloadSize?: number };
  filter: { supported: Support; maxResults?: number };
  sort: Support;
  etag: Support;
  changePassword: Support;
  /** draft-abbey-scim-agent-extension §2.2; `advertised` is whether SPC carried the attribute at all. */
  agentExtension: { advertised: boolean; supported: Support; agentsSupported: Support; agenticApplicationsSupported: Support };
  /** Keyed by the base schema URN. Empty when /ResourceTypes was not usable. */
  resourceTypes: Record<string, ResourceTypeInfo>;
  /** Keyed by schema URN. Empty when /Schemas was not usable. */
  schemas: Record<string, SchemaDefinition>;
  /**
   * Base schema URNs whose conventional endpoint answered 404 when probed (only done when
   * /ResourceTypes could not say): the server has no such resource type.
   */
  absent: string[];
}

export async function discoverCapabilities(client: ScimClient): Promise<ServerCapabilities> {
  const settled = await Promise.allSettled([
    fetchDiscovery(client, '/ServiceProviderConfig'),
    fetchDiscovery(client, '/ResourceTypes'),
    fetchDiscovery(client, '/Schemas'),
  ]);
  // An endpoint that cannot be reached at all is a failure; one discovery request lost on the
  // network while the others answered only makes that part of discovery unknown.
  if (settled.every((s) => s.status === 'rejected')) throw (settled[0] as PromiseRejectedResult).reason;
  const [spc, types, schemas] = settled.map((s): Fetched => (s.status === 'fulfilled' ? s.value : { status: 'error' }));
  const capabilities = buildCapabilities(spc!, types!, schemas!);
  if (capabilities.discovery.resourceTypes !== 'ok') capabilities.absent = await probeConventionalEndpoints(client);
  return capabilities;
}

/**
 * Without /ResourceTypes, a 404 (or 501/405) on a conventional collection is the only evidence
 * that the server lacks the type. Asked once here, so that no later lookup mistakes "no such
 * endpoint" for a failure, and no plan aborts on it.
 */
async function probeConventionalEndpoints(client: ScimClient): Promise<string[]> {
  const answers = await Promise.all(
    Object.entries(CONVENTIONAL_ENDPOINTS).map(async ([urn, endpoint]) => {
      try {
        await client.request('GET', endpoint, { query: { startIndex: 1, count: 1 } });
        return undefined;
      } catch (error) {
        if (isScimError(error) && (error.status === 404 || error.status === 501 || error.status === 405)) return urn;
        return undefined; // anything else: still unknown; the lookups will report it
      }
    }),
  );
  return answers.filter((u): u is string => u !== undefined);
}

type Fetched = { status: DiscoveryStatus; body?: unknown };

async function fetchDiscovery(client: ScimClient, path: string): Promise<Fetched> {
  try {
    const response = await client.request('GET', path);
    return response.body === undefined ? { status: 'invalid' } : { status: 'ok', body: response.body };
  } catch (error) {
    if (!isScimError(error) || error.kind === 'network' || error.kind === 'timeout') throw error;
    if (error.status === 404 || error.status === 501 || error.status === 405) return { status: 'missing' };
    if (error.status === 401 || error.status === 403) return { status: 'unauthorized' };
    return { status: 'error' };
  }
}

/** Pure: exported for tests that feed recorded or malformed discovery bodies. */
export function buildCapabilities(spc: Fetched, types: Fetched, schemas: Fetched): ServerCapabilities {
  const config = isObject(spc.body) ? spc.body : undefined;
  const spcStatus: DiscoveryStatus = spc.status === 'ok' && !config ? 'invalid' : spc.status;
  const feature = (name: string): JsonObject | undefined => {
    const value = config ? getMember(config, name) : undefined;
    return isObject(value) ? value : undefined;
  };
  const supported = (name: string): Support => asBoolean(feature(name) && getMember(feature(name)!, 'supported')) ?? 'unknown';
  const bulk = feature('bulk');
  const filter = feature('filter');
  const agent = feature('agentExtension');
  const resourceTypes = parseResourceTypes(types.body);
  const schemaMap = parseSchemas(schemas.body);
  const agentFlag = (name: string): Support => (agent ? (asBoolean(getMember(agent, name)) ?? 'unknown') : 'unknown');
  return {
    discovery: {
      serviceProviderConfig: spcStatus,
      resourceTypes: listingStatus(types, resourceTypes),
      schemas: listingStatus(schemas, schemaMap),
    },
    patch: supported('patch'),
    bulk: {
      supported: supported('bulk'),
      maxOperations: bulk ? asInteger(getMember(bulk, 'maxOperations')) : undefined,
      maxPayloadSize: bulk ? asInteger(getMember(bulk, 'maxPayloadSize')) : undefined,
    },
    filter: { supported: supported('filter'), maxResults: filter ? asInteger(getMember(filter, 'maxResults')) : undefined },
    sort: supported('sort'),
    etag: supported('etag'),
    changePassword: supported('changePassword'),
    agentExtension: {
      advertised: agent !== undefined,
      supported: agentFlag('supported'),
      agentsSupported: agentFlag('agentsSupported'),
      agenticApplicationsSupported: agentFlag('agenticApplicationsSupported'),
    },
    resourceTypes: resourceTypes ?? {},
    schemas: schemaMap ?? {},
    absent: [],
  };
}

function listingStatus(fetched: Fetched, parsed: Record<string, unknown> | undefined): DiscoveryStatus {
  if (fetched.status !== 'ok') return fetched.status;
  if (!parsed) return 'invalid';
  const total = isObject(fetched.body) ? asInteger(getMember(fetched.body, 'totalResults')) : undefined;
  const shown = listEntries(fetched.body)?.length ?? 0;
  return total !== undefined && total > shown ? 'partial' : 'ok';
}

function listEntries(body: unknown): unknown[] | undefined {
  if (Array.isArray(body)) return body;
  if (!isObject(body)) return undefined;
  const raw = getMember(body, 'Resources');
  if (Array.isArray(raw)) return raw;
  // parseListPage drops entries without ids; schemas and types always have one, but be lenient.
  return parseListPage(body) ? [] : undefined;
}

function parseResourceTypes(body: unknown): Record<string, ResourceTypeInfo> | undefined {
  const entries = listEntries(body);
  if (!entries) return undefined;
  const out: Record<string, ResourceTypeInfo> = {};
  for (const entry of entries) {
    if (!isObject(entry)) continue;
    const schema = asString(getMember(entry, 'schema'));
    const endpoint = asString(getMember(entry, 'endpoint'));
    if (!schema || !endpoint) continue;
    const extensions = getMember(entry, 'schemaExtensions');
    out[schema] = {
      name: asString(getMember(entry, 'name')) ?? asString(getMember(entry, 'id')) ?? schema.split(':').pop()!,
      endpoint: `/${endpoint.replace(/^\/+/, '')}`,
      schema,
      schemaExtensions: (Array.isArray(extensions) ? extensions : []).filter(isObject).flatMap((e) => {
        const urn = asString(getMember(e, 'schema'));
        return urn ? [{ schema: urn, required: asBoolean(getMember(e, 'required')) ?? false }] : [];
      }),
    };
  }
  return out;
}

function parseSchemas(body: unknown): Record<string, SchemaDefinition> | undefined {
  const entries = listEntries(body);
  if (!entries) return undefined;
  const out: Record<string, SchemaDefinition> = {};
  for (const entry of entries) {
    if (!isObject(entry)) continue;
    const id = asString(getMember(entry, 'id'));
    const attributes = getMember(entry, 'attributes');
    if (!id || !Array.isArray(attributes)) continue;
    out[id] = {
      id,
      name: asString(getMember(entry, 'name')) ?? id.split(':').pop()!,
      description: asString(getMember(entry, 'description')),
      attributes: attributes.filter(isAttributeDefinition),
    };
  }
  return out;
}

function isAttributeDefinition(value: unknown): value is AttributeDefinition {
  return isObject(value) && typeof value.name === 'string' && typeof value.type === 'string';
}

/** Standard endpoints assumed when discovery says nothing (RFC 7644 §3.2). */
const CONVENTIONAL_ENDPOINTS: Record<string, string> = {
  [URN.user]: '/Users',
  [URN.group]: '/Groups',
  [URN.agent]: '/Agents',
  [URN.agenticApplication]: '/AgenticApplications',
};

/**
 * The endpoint for a resource type's schema URN: the discovered one, else the conventional one
 * if ResourceTypes was unusable, else undefined (the server positively lacks the type).
 */
export function endpointFor(capabilities: ServerCapabilities, schemaUrn: string): string | undefined {
  const discovered = capabilities.resourceTypes[schemaUrn];
  if (discovered) return discovered.endpoint;
  if (capabilities.discovery.resourceTypes === 'ok' || capabilities.absent?.includes(schemaUrn)) return undefined;
  return CONVENTIONAL_ENDPOINTS[schemaUrn];
}

/** Whether `/Agents` may be used: listed in ResourceTypes, or advertised by agentExtension. */
export function supportsAgents(capabilities: ServerCapabilities): Support {
  if (capabilities.resourceTypes[URN.agent]) return true;
  if (capabilities.absent?.includes(URN.agent)) return false;
  if (capabilities.agentExtension.agentsSupported !== 'unknown') return capabilities.agentExtension.agentsSupported;
  return capabilities.discovery.resourceTypes === 'ok' ? false : 'unknown';
}

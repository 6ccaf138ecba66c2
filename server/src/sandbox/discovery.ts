/**
 * Discovery endpoints (RFC 7644 §4): /ServiceProviderConfig with the agent draft's
 * `agentExtension`, /ResourceTypes and /Schemas, all served from the profile's definitions.
 */
import { URN } from '../schema/types';
import type { BulkLimits } from './bulk';
import { notFound } from './errors';
import type { SandboxModel } from './model';
import type { Json } from './validate';

export interface DiscoveryOptions {
  baseUrl: string;
  etag: boolean;
  bulk: BulkLimits;
  maxResults: number;
}

export function serviceProviderConfig(model: SandboxModel, o: DiscoveryOptions): Json {
  const hasSchema = (urn: string) => model.types.some((t) => t.rt.schema === urn);
  const agents = hasSchema(URN.agent);
  const applications = hasSchema(URN.agenticApplication);
  return {
    schemas: [URN.serviceProviderConfig],
    documentationUri: 'https://datatracker.ietf.org/doc/draft-abbey-scim-agent-extension/',
    patch: { supported: true },
    bulk: { supported: true, maxOperations: o.bulk.maxOperations, maxPayloadSize: o.bulk.maxPayloadSize },
    filter: { supported: true, maxResults: o.maxResults },
    changePassword: { supported: false },
    sort: { supported: true },
    etag: { supported: o.etag },
    authenticationSchemes: [
      {
        type: 'oauthbearertoken',
        name: 'OAuth Bearer Token',
        description: 'The sandbox token, sent as Authorization: Bearer <token>',
        specUri: 'https://www.rfc-editor.org/rfc/rfc6750',
        primary: true,
      },
    ],
    // draft-abbey-scim-agent-extension-00 section 4.1: a top-level member, no schema URN of its own.
    agentExtension: { supported: agents || applications, agentsSupported: agents, agenticApplicationsSupported: applications },
    meta: { resourceType: 'ServiceProviderConfig', location: `${o.baseUrl}/ServiceProviderConfig` },
  };
}

export function resourceTypes(model: SandboxModel, baseUrl: string): Json[] {
  return model.types.map((t) => {
    const { meta: _meta, schemas: _schemas, ...rt } = t.rt;
    return {
      schemas: [URN.resourceType],
      ...rt,
      meta: { resourceType: 'ResourceType', location: `${baseUrl}/ResourceTypes/${encodeURIComponent(t.name)}` },
    };
  });
}

export function resourceType(model: SandboxModel, baseUrl: string, name: string): Json {
  const found = resourceTypes(model, baseUrl).find((r) => r.name === name || r.id === name);
  if (!found) throw notFound(`No resource type '${name}'`);
  return found;
}

/** The schemas the served resource types use (not every schema the profile knows). */
export function schemas(model: SandboxModel, baseUrl: string): Json[] {
  const urns = new Set(model.types.flatMap((t) => [t.rt.schema, ...t.extensions.keys()]));
  return [...urns].map((urn) => {
    const def = model.profile.schemas.get(urn)!;
    const { meta: _meta, schemas: _schemas, ...rest } = withoutPrivateKeys(def) as Json;
    return {
      schemas: [URN.schema],
      ...rest,
      meta: { resourceType: 'Schema', location: `${baseUrl}/Schemas/${urn}` },
    };
  });
}

export function schema(model: SandboxModel, baseUrl: string, urn: string): Json {
  const found = schemas(model, baseUrl).find((s) => s.id === urn);
  if (!found) throw notFound(`No schema '${urn}'`);
  return found;
}

export function listResponse(resources: Json[], totalResults = resources.length, startIndex = 1): Json {
  return {
    schemas: [URN.listResponse],
    totalResults,
    startIndex,
    itemsPerPage: resources.length,
    Resources: resources,
  };
}

/** Drops our non-RFC annotations (`x-aliases`, `x-normalization`) from what clients see. */
function withoutPrivateKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(withoutPrivateKeys);
  if (v && typeof v === 'object') {
    return Object.fromEntries(
      Object.entries(v)
        .filter(([k]) => !k.startsWith('x-'))
        .map(([k, x]) => [k, withoutPrivateKeys(x)]),
    );
  }
  return v;
}

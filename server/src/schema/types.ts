/**
 * SCIM schema model (RFC 7643 §7). These types describe the files under schemas/,
 * which are the single source of truth: the JSON Schemas, the engine's attribute
 * metadata and the sandbox's /Schemas all derive from them.
 */

export type ScimAttributeType = 'string' | 'boolean' | 'decimal' | 'integer' | 'dateTime' | 'binary' | 'reference' | 'complex';

export type Mutability = 'readOnly' | 'readWrite' | 'immutable' | 'writeOnly';
export type Returned = 'always' | 'never' | 'default' | 'request';
export type Uniqueness = 'none' | 'server' | 'global';

export interface AttributeDefinition {
  name: string;
  type: ScimAttributeType;
  multiValued: boolean;
  description?: string;
  required: boolean;
  caseExact?: boolean;
  mutability?: Mutability;
  returned?: Returned;
  uniqueness?: Uniqueness;
  canonicalValues?: string[];
  referenceTypes?: string[];
  subAttributes?: AttributeDefinition[];
  /** Alternative spellings accepted on input and rewritten to `name` (e.g. abbey's `specifiationUrl`). Not part of RFC 7643. */
  'x-aliases'?: string[];
}

export interface SchemaDefinition {
  schemas?: string[];
  id: string;
  name: string;
  description?: string;
  attributes: AttributeDefinition[];
  meta?: { resourceType?: string; location?: string };
  /** How this file departs from the draft's literal schema JSON, one decision per entry. Not part of RFC 7643. */
  'x-normalization'?: string[];
}

export interface SchemaExtensionRef {
  schema: string;
  required: boolean;
}

export interface ResourceTypeDefinition {
  schemas?: string[];
  id: string;
  name: string;
  endpoint: string;
  description?: string;
  schema: string;
  schemaExtensions?: SchemaExtensionRef[];
  meta?: { resourceType?: string; location?: string };
}

/** Known manifest profiles: which draft's attribute set a resource is checked against. */
export type ProfileId = 'abbey-00' | 'wzdk-00';

export const PROFILE_IDS: readonly ProfileId[] = ['abbey-00', 'wzdk-00'];

/**
 * A profile's name: a bundled draft's, or `server`, the definitions the configured endpoint
 * serves (schema/served.ts), which exists only once they have been fetched.
 */
export type ProfileName = ProfileId | 'server';
export const SERVER_PROFILE = 'server';

export const URN = {
  agent: 'urn:ietf:params:scim:schemas:core:2.0:Agent',
  agenticApplication: 'urn:ietf:params:scim:schemas:core:2.0:AgenticApplication',
  user: 'urn:ietf:params:scim:schemas:core:2.0:User',
  group: 'urn:ietf:params:scim:schemas:core:2.0:Group',
  enterpriseUser: 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User',
  schema: 'urn:ietf:params:scim:schemas:core:2.0:Schema',
  resourceType: 'urn:ietf:params:scim:schemas:core:2.0:ResourceType',
  serviceProviderConfig: 'urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig',
  listResponse: 'urn:ietf:params:scim:api:messages:2.0:ListResponse',
  patchOp: 'urn:ietf:params:scim:api:messages:2.0:PatchOp',
  searchRequest: 'urn:ietf:params:scim:api:messages:2.0:SearchRequest',
  bulkRequest: 'urn:ietf:params:scim:api:messages:2.0:BulkRequest',
  bulkResponse: 'urn:ietf:params:scim:api:messages:2.0:BulkResponse',
  error: 'urn:ietf:params:scim:api:messages:2.0:Error',
} as const;

/**
 * A profile: the resource types and schemas of one draft, plus the core User and Group.
 * `attributesByLowerName` gives case-insensitive lookup (RFC 7643 §2.1), aliases included.
 */
export interface Profile {
  id: ProfileName;
  title: string;
  resourceTypes: ResourceTypeDefinition[];
  schemas: Map<string, SchemaDefinition>;
}

/** The SCIM 2.0 client: everything provisioning needs, from one import. */
export { ScimClient, collectionPath, resourcePath } from './client';
export type { CreateResult, IdempotentCreateResult, LookupKey, RequestOptions, ScimClientOptions, ScimResponse, VersionOptions } from './client';
export type { ScimAuth } from './auth';
export { ScimError, isScimError, parseErrorBody } from './errors';
export type { ScimErrorKind } from './errors';
export { discoverCapabilities, buildCapabilities, endpointFor, supportsAgents } from './discovery';
export type { DiscoveryStatus, ResourceTypeInfo, ServerCapabilities, Support } from './discovery';
export { diffToPatchOps } from './patch';
export { planBulkBatches, bulkRequestBody, referencedBulkIds, runBulk } from './bulk';
export type { BulkLimits, BulkOperation, BulkOperationResult, BulkRunResult } from './bulk';
export { anyOfFilter, eqFilter, resourceHasValue, valuesAtPath } from './filter';
export type { ListOptions, ListResult } from './paging';
export type { LookupOptions, ManyLookupOptions } from './lookup';
export { parseRetryAfter, backoffDelay, DEFAULT_RETRY_TUNING } from './retry';
export type { RetryTuning } from './retry';
export type { ScimLogEntry, ScimLogger } from './transport';
export { isScimResource, versionOf } from './types';
export type { ListPage, PatchOperation, PatchOpName, ScimMeta, ScimResource } from './types';

/**
 * Wire types of the SCIM protocol messages the client reads and writes (RFC 7644), with the
 * guards that turn an untrusted response body into them.
 */
import { URN } from '../schema/types';
import { asInteger, asString, getMember, isObject, type JsonObject } from './json';

export interface ScimMeta {
  resourceType?: string;
  created?: string;
  lastModified?: string;
  location?: string;
  version?: string;
}

/** A resource as a server returns it: only `id` is guaranteed (and checked) by the client. */
export interface ScimResource extends JsonObject {
  id: string;
  schemas?: string[];
  externalId?: string;
  meta?: ScimMeta;
}

export type PatchOpName = 'add' | 'remove' | 'replace';

export interface PatchOperation {
  op: PatchOpName;
  path?: string;
  value?: unknown;
}

export interface ListPage {
  totalResults: number | undefined;
  startIndex: number | undefined;
  itemsPerPage: number | undefined;
  resources: ScimResource[];
}

export function isScimResource(value: unknown): value is ScimResource {
  return isObject(value) && typeof value.id === 'string' && value.id !== '';
}

/**
 * Whether an id can stand as one path segment: never empty, `.` or `..` (URL normalisation turns
 * `/Agents/..` into `/`, so a DELETE would hit the collection or the base), and never with `/`,
 * `?`, `#`, `\\` or control characters, which a server has no business putting in an id.
 */
export function isAddressableId(id: unknown): id is string {
  return typeof id === 'string' && id.trim() !== '' && id !== '.' && id !== '..' && id.length <= 1024 && !/[/?#\\\u0000-\u001f\u007f]/.test(id);
}

/** The `meta.version` of a resource, when the server keeps one. */
export function versionOf(resource: JsonObject): string | undefined {
  const meta = getMember(resource, 'meta');
  return isObject(meta) ? asString(getMember(meta, 'version')) : undefined;
}

/**
 * Reads a ListResponse leniently: `Resources` in any case (Entra sends `resources`), numbers as
 * strings, a bare array. Entries without an `id` are dropped: the client cannot address them.
 */
export function parseListPage(body: unknown): ListPage | undefined {
  if (Array.isArray(body)) {
    return { totalResults: body.length, startIndex: 1, itemsPerPage: body.length, resources: body.filter(isScimResource) };
  }
  if (!isObject(body)) return undefined;
  const raw = getMember(body, 'Resources');
  const totalResults = asInteger(getMember(body, 'totalResults'));
  if (raw !== undefined && !Array.isArray(raw)) return undefined;
  if (raw === undefined && totalResults === undefined) return undefined;
  return {
    totalResults,
    startIndex: asInteger(getMember(body, 'startIndex')),
    itemsPerPage: asInteger(getMember(body, 'itemsPerPage')),
    resources: (raw ?? []).filter(isScimResource),
  };
}

export function patchRequest(operations: PatchOperation[]): JsonObject {
  return { schemas: [URN.patchOp], Operations: operations };
}

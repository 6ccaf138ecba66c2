/**
 * SCIM Bulk (RFC 7644 §3.7): batches of operations with `bulkId:` cross-references.
 *
 * Operations are ordered so that every operation comes after the ones whose bulkId it references,
 * then split into requests within maxOperations and maxPayloadSize. A reference that crosses a
 * request boundary is resolved by the client: once a batch returns, `bulkId:x` in later batches
 * is replaced by the id the server assigned. An operation whose referenced operation failed is
 * not sent at all and is reported as failed.
 */
import { URN } from '../schema/types';
import type { ScimClient } from './client';
import { asInteger, asString, getMember, isObject, type JsonObject } from './json';

export interface BulkOperation {
  method: 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** `/Agents` for POST, `/Agents/{id}` otherwise (may itself be `/Agents/bulkId:x`). */
  path: string;
  /** Required for POST; other operations may carry one too. Unique within the run. */
  bulkId?: string;
  /** meta.version, sent as the operation's `version` (If-Match). */
  version?: string;
  data?: unknown;
}

export interface BulkLimits {
  maxOperations?: number;
  maxPayloadSize?: number;
}

export interface BulkOperationResult {
  operation: BulkOperation;
  /** HTTP status of this operation; 0 when it was not sent (a dependency failed, or no answer for it). */
  status: number;
  /** Id of the created/updated resource, from `location` (or the response body). */
  id?: string;
  location?: string;
  version?: string;
  scimType?: string;
  detail?: string;
}

export interface BulkRunResult {
  /** In the order of the input operations. */
  results: BulkOperationResult[];
  /** bulkId → server id for every successful operation that had a bulkId. */
  ids: Map<string, string>;
  /** Number of /Bulk requests made. */
  requests: number;
}

const REFERENCE = /^bulkId:(.+)$/;

/** Every bulkId an operation references in its data or path. */
export function referencedBulkIds(operation: BulkOperation): Set<string> {
  const found = new Set<string>();
  const visit = (value: unknown): void => {
    if (typeof value === 'string') {
      const match = REFERENCE.exec(value);
      if (match) found.add(match[1]!);
    } else if (Array.isArray(value)) value.forEach(visit);
    else if (isObject(value)) Object.values(value).forEach(visit);
  };
  visit(operation.data);
  for (const segment of operation.path.split('/')) visit(segment);
  return found;
}

/**
 * Orders operations so that definitions precede references (stable otherwise) and splits them
 * into batches within the limits. Throws on a reference cycle or an operation that alone exceeds
 * maxPayloadSize.
 */
export function planBulkBatches(operations: readonly BulkOperation[], limits: BulkLimits = {}): BulkOperation[][] {
  const ordered = orderByReferences(operations);
  const maxOps = Math.max(1, limits.maxOperations ?? 1000);
  const maxBytes = limits.maxPayloadSize ?? Number.POSITIVE_INFINITY;
  // A batch's body is the envelope plus each operation's JSON, separated by commas: each
  // operation is serialised once, not once per candidate batch (which was quadratic).
  const envelope = payloadSize([]);
  const batches: BulkOperation[][] = [];
  let current: BulkOperation[] = [];
  let currentBytes = envelope;
  for (const operation of ordered) {
    const size = Buffer.byteLength(JSON.stringify(wireOperation(operation)));
    if (envelope + size > maxBytes) {
      throw new Error(`bulk operation ${operation.method} ${operation.path} alone exceeds maxPayloadSize (${maxBytes} bytes)`);
    }
    const grown = currentBytes + size + (current.length > 0 ? 1 : 0);
    if (current.length > 0 && (current.length + 1 > maxOps || grown > maxBytes)) {
      batches.push(current);
      current = [operation];
      currentBytes = envelope + size;
    } else {
      current.push(operation);
      currentBytes = grown;
    }
  }
  if (current.length) batches.push(current);
  return batches;
}

/** The request body for one batch. */
export function bulkRequestBody(operations: readonly BulkOperation[], failOnErrors?: number): JsonObject {
  const body: JsonObject = { schemas: [URN.bulkRequest], Operations: operations.map(wireOperation) };
  if (failOnErrors !== undefined) body.failOnErrors = failOnErrors;
  return body;
}

function payloadSize(operations: readonly BulkOperation[]): number {
  return Buffer.byteLength(JSON.stringify(bulkRequestBody(operations, 1)));
}

function wireOperation(operation: BulkOperation): JsonObject {
  const wire: JsonObject = { method: operation.method, path: operation.path };
  if (operation.bulkId !== undefined) wire.bulkId = operation.bulkId;
  if (operation.version !== undefined) wire.version = operation.version;
  if (operation.data !== undefined) wire.data = operation.data;
  return wire;
}

function orderByReferences(operations: readonly BulkOperation[]): BulkOperation[] {
  const byBulkId = new Map<string, BulkOperation>();
  for (const operation of operations) {
    if (operation.method === 'POST' && !operation.bulkId) throw new Error(`bulk POST ${operation.path} needs a bulkId`);
    if (operation.bulkId) {
      if (byBulkId.has(operation.bulkId)) throw new Error(`duplicate bulkId ${operation.bulkId}`);
      byBulkId.set(operation.bulkId, operation);
    }
  }
  const ordered: BulkOperation[] = [];
  const state = new Map<BulkOperation, 'visiting' | 'done'>();
  const visit = (operation: BulkOperation): void => {
    if (state.get(operation) === 'done') return;
    if (state.get(operation) === 'visiting') throw new Error(`bulkId reference cycle through ${operation.bulkId ?? operation.path}`);
    state.set(operation, 'visiting');
    for (const id of referencedBulkIds(operation)) {
      const target = byBulkId.get(id);
      if (target && target !== operation) visit(target);
    }
    state.set(operation, 'done');
    ordered.push(operation);
  };
  operations.forEach(visit);
  return ordered;
}

/** Replaces `bulkId:x` strings whose id is known. */
function substitute<T>(value: T, ids: Map<string, string>): T {
  if (typeof value === 'string') {
    const match = REFERENCE.exec(value);
    return (match && ids.has(match[1]!) ? ids.get(match[1]!) : value) as T;
  }
  if (Array.isArray(value)) return value.map((v) => substitute(v, ids)) as T;
  if (isObject(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, substitute(v, ids)])) as T;
  return value;
}

/**
 * Runs operations through /Bulk. Throws ScimError when a /Bulk request itself fails (e.g. 501 or
 * 404 from a server without Bulk: check ServerCapabilities.bulk.supported first); per-operation
 * failures are in the results.
 */
export async function runBulk(
  client: ScimClient,
  operations: readonly BulkOperation[],
  limits: BulkLimits = {},
  failOnErrors?: number,
): Promise<BulkRunResult> {
  const ids = new Map<string, string>();
  const failedBulkIds = new Set<string>();
  const resultByOperation = new Map<BulkOperation, BulkOperationResult>();
  let requests = 0;
  for (const batch of planBulkBatches(operations, limits)) {
    const sendable: BulkOperation[] = [];
    const originals: BulkOperation[] = [];
    for (const operation of batch) {
      const blocked = [...referencedBulkIds(operation)].find((id) => failedBulkIds.has(id));
      if (blocked) {
        resultByOperation.set(operation, { operation, status: 0, detail: `not sent: operation ${blocked} failed` });
        if (operation.bulkId) failedBulkIds.add(operation.bulkId);
        continue;
      }
      sendable.push({ ...operation, path: substitute(operation.path, ids), data: substitute(operation.data, ids) });
      originals.push(operation);
    }
    if (!sendable.length) continue;
    const response = await client.request('POST', '/Bulk', { body: bulkRequestBody(sendable, failOnErrors) });
    requests++;
    const answered = isObject(response.body) ? getMember(response.body, 'Operations') : undefined;
    const answers = (Array.isArray(answered) ? answered : []).filter(isObject);
    const answerByBulkId = new Map<unknown, JsonObject>();
    for (const a of answers) {
      const id = getMember(a, 'bulkId');
      if (id !== undefined && !answerByBulkId.has(id)) answerByBulkId.set(id, a);
    }
    originals.forEach((operation, index) => {
      const answer = (operation.bulkId !== undefined ? answerByBulkId.get(operation.bulkId) : undefined) ?? answers[index];
      const result = readAnswer(client, operation, answer);
      resultByOperation.set(operation, result);
      if (operation.bulkId) {
        if (result.status >= 200 && result.status < 300 && result.id) ids.set(operation.bulkId, result.id);
        else failedBulkIds.add(operation.bulkId);
      }
    });
  }
  return { results: operations.map((o) => resultByOperation.get(o)!), ids, requests };
}

function readAnswer(client: ScimClient, operation: BulkOperation, answer: JsonObject | undefined): BulkOperationResult {
  if (!answer) return { operation, status: 0, detail: 'no answer for this operation in the BulkResponse' };
  // "201" per the RFC; some servers send a number, early drafts an object {code}.
  const rawStatus = getMember(answer, 'status');
  const status = asInteger(isObject(rawStatus) ? getMember(rawStatus, 'code') : rawStatus) ?? 0;
  const location = client.resolveLocation(asString(getMember(answer, 'location')));
  const response = getMember(answer, 'response');
  const body = isObject(response) ? response : undefined;
  const id =
    (body && asString(getMember(body, 'id'))) ?? (location ? decodeURIComponent(new URL(location).pathname.split('/').pop() ?? '') || undefined : undefined);
  const result: BulkOperationResult = { operation, status, location, version: asString(getMember(answer, 'version')) };
  if (status >= 200 && status < 300) result.id = id;
  else if (body) {
    result.scimType = asString(getMember(body, 'scimType'));
    result.detail = asString(getMember(body, 'detail'));
  }
  return result;
}

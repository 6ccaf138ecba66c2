/**
 * Bulk (RFC 7644 §3.7). Operations run one by one through the same ResourceService as
 * single requests. `bulkId:x` references are resolved whatever the operation order: an
 * operation waits until every POST it references has run; a reference that can never
 * resolve (unknown, failed or circular) fails that operation with 409. The operations are
 * journaled together (one append and one fsync for the request, not one per operation) and
 * the response is sent only once all of them are durable.
 */
import { ScimError, errorBody, invalidSyntax, toScimError } from './errors';
import { decodePathSegment } from './http';
import type { ResourceModel } from './model';
import type { ResourceService, WriteResult } from './service';
import { isPlainObject, type Json } from './validate';
import { appendTo } from '../util/maps';
import { firstIndex } from '../util/search';

export interface BulkLimits {
  maxOperations: number;
  maxPayloadSize: number;
}

export interface BulkOperationResponse {
  method: string;
  bulkId?: string;
  version?: string;
  location?: string;
  status: string;
  response?: unknown;
}

interface PlannedOp {
  index: number;
  method: 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  bulkId?: string;
  path: string;
  version?: string;
  data: unknown;
  /** bulkIds this operation references. */
  needs: Set<string>;
}

const BULK_REF = /^bulkId:(.+)$/;

export async function runBulk(service: ResourceService, body: unknown, limits: BulkLimits): Promise<Json> {
  if (!isPlainObject(body)) throw invalidSyntax('The Bulk body must be a JSON object');
  const schemas = body.schemas;
  if (!Array.isArray(schemas) || !schemas.includes('urn:ietf:params:scim:api:messages:2.0:BulkRequest')) {
    throw invalidSyntax("A Bulk body must list 'urn:ietf:params:scim:api:messages:2.0:BulkRequest' in 'schemas'");
  }
  const operations = body.Operations;
  if (!Array.isArray(operations)) throw invalidSyntax("'Operations' must be an array");
  if (operations.length > limits.maxOperations) {
    throw new ScimError(413, undefined, `A Bulk request may carry at most ${limits.maxOperations} operations`);
  }
  const failOnErrors = body.failOnErrors;
  if (failOnErrors !== undefined && (!Number.isInteger(failOnErrors) || (failOnErrors as number) < 1)) {
    throw invalidSyntax("'failOnErrors' must be a positive integer");
  }

  const results: (BulkOperationResponse | undefined)[] = new Array(operations.length);
  const planned: PlannedOp[] = [];
  const posts = new Map<string, PlannedOp>();
  operations.forEach((raw, index) => {
    try {
      const op = plan(raw, index);
      if (op.bulkId !== undefined) {
        if (posts.has(op.bulkId)) throw invalidSyntax(`The bulkId '${op.bulkId}' is used twice`);
        if (op.method === 'POST') posts.set(op.bulkId, op);
      }
      planned.push(op);
    } catch (e) {
      results[index] = failure(raw, toScimError(e));
    }
  });

  let errors = results.filter(Boolean).length;
  const resolved = new Map<string, string>(); // bulkId → id
  const failed = new Set<string>();
  const limitReached = () => failOnErrors !== undefined && errors >= (failOnErrors as number);

  // An operation is ready once every POST it references has run. The lowest-index ready one
  // runs next, so operations keep their order unless a reference says otherwise. Kept as
  // counts and waiting lists: rescanning every remaining operation per step was quadratic.
  const unmet = new Map<PlannedOp, number>();
  const waiting = new Map<string, PlannedOp[]>(); // bulkId of a POST → operations that need it
  const ready: PlannedOp[] = []; // sorted by index
  const makeReady = (op: PlannedOp) => {
    ready.splice(
      firstIndex(0, ready.length, (i) => ready[i].index >= op.index),
      0,
      op,
    );
  };
  for (const op of planned) {
    let n = 0;
    for (const b of op.needs) {
      if (!posts.has(b)) continue;
      n++;
      appendTo(waiting, b, op);
    }
    unmet.set(op, n);
    if (n === 0) ready.push(op); // planned is in index order
  }

  // One write for the whole request: each operation sees the ones before it, nobody else sees
  // any of them until all are durable together, and the response goes out only then. If the
  // disk refuses them, the request fails as a whole (507/503) with nothing changed.
  await service.store.write(async () => {
    while (ready.length && !limitReached()) {
      const next = ready.shift()!;
      unmet.delete(next);
      const outcome = await execute(service, next, resolved, failed, posts);
      results[next.index] = outcome.response;
      if (!outcome.ok) {
        errors++;
        if (next.bulkId !== undefined) failed.add(next.bulkId);
      } else if (next.method === 'POST' && next.bulkId !== undefined && outcome.id) {
        resolved.set(next.bulkId, outcome.id);
      }
      if (next.method === 'POST' && next.bulkId !== undefined && posts.get(next.bulkId) === next) {
        for (const op of waiting.get(next.bulkId) ?? []) {
          const left = unmet.get(op);
          if (left === undefined) continue;
          unmet.set(op, left - 1);
          if (left === 1) makeReady(op);
        }
        waiting.delete(next.bulkId);
      }
    }
  });
  // Unless failOnErrors stopped the run, what never became ready waits on a cycle.
  const remaining = [...unmet.keys()].sort((a, b) => a.index - b.index);
  if (!limitReached()) {
    for (const op of remaining) {
      const err = new ScimError(409, undefined, `Circular bulkId references: ${[...op.needs].join(', ')}`);
      results[op.index] = { method: op.method, bulkId: op.bulkId, status: '409', response: errorBody(err) };
    }
  }
  return {
    schemas: ['urn:ietf:params:scim:api:messages:2.0:BulkResponse'],
    // Operations stopped by failOnErrors are left out, as RFC 7644 section 3.7.3 shows.
    Operations: results.filter((r): r is BulkOperationResponse => r !== undefined),
  };
}

function plan(raw: unknown, index: number): PlannedOp {
  if (!isPlainObject(raw)) throw invalidSyntax(`Operations[${index}] must be an object`);
  const method = typeof raw.method === 'string' ? raw.method.toUpperCase() : '';
  if (!['POST', 'PUT', 'PATCH', 'DELETE'].includes(method)) throw invalidSyntax(`Operations[${index}].method must be POST, PUT, PATCH or DELETE`);
  if (typeof raw.path !== 'string' || !raw.path.startsWith('/')) throw invalidSyntax(`Operations[${index}].path must be a path such as /Agents`);
  const bulkId = raw.bulkId;
  if (bulkId !== undefined && (typeof bulkId !== 'string' || !bulkId)) throw invalidSyntax(`Operations[${index}].bulkId must be a non-empty string`);
  if (method === 'POST' && bulkId === undefined) throw invalidSyntax(`Operations[${index}]: POST needs a bulkId`);
  if (raw.version !== undefined && typeof raw.version !== 'string') throw invalidSyntax(`Operations[${index}].version must be a string`);
  const needs = new Set<string>();
  collectRefs(raw.path, needs);
  collectRefs(raw.data, needs);
  if (bulkId !== undefined) needs.delete(bulkId as string);
  return {
    index,
    method: method as PlannedOp['method'],
    bulkId: bulkId as string | undefined,
    path: raw.path,
    version: raw.version as string | undefined,
    data: raw.data,
    needs,
  };
}

function collectRefs(v: unknown, into: Set<string>): void {
  if (typeof v === 'string') {
    for (const part of v.split('/')) {
      const m = BULK_REF.exec(part);
      if (m) into.add(m[1]);
    }
  } else if (Array.isArray(v)) v.forEach((x) => collectRefs(x, into));
  else if (isPlainObject(v)) Object.values(v).forEach((x) => collectRefs(x, into));
}

function substitute(v: unknown, resolved: Map<string, string>): unknown {
  if (typeof v === 'string') {
    return v
      .split('/')
      .map((part) => {
        const m = BULK_REF.exec(part);
        return m && resolved.has(m[1]) ? resolved.get(m[1])! : part;
      })
      .join('/');
  }
  if (Array.isArray(v)) return v.map((x) => substitute(x, resolved));
  if (isPlainObject(v)) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, substitute(x, resolved)]));
  return v;
}

async function execute(
  service: ResourceService,
  op: PlannedOp,
  resolved: Map<string, string>,
  failed: Set<string>,
  posts: Map<string, PlannedOp>,
): Promise<{ ok: boolean; id?: string; response: BulkOperationResponse }> {
  const base = { method: op.method, ...(op.bulkId !== undefined ? { bulkId: op.bulkId } : {}) };
  try {
    const unresolved = [...op.needs].filter((b) => !resolved.has(b));
    if (unresolved.length) {
      const why = unresolved.map((b) => (failed.has(b) ? `'${b}' failed` : posts.has(b) ? `'${b}' is circular` : `'${b}' is not defined`));
      throw new ScimError(409, undefined, `Unresolvable bulkId reference: ${why.join('; ')}`);
    }
    const path = substitute(op.path, resolved) as string;
    const data = substitute(op.data, resolved);
    const { model, id } = route(service, path);
    let result: WriteResult;
    if (op.method === 'POST') {
      if (id !== undefined) throw invalidSyntax('POST goes to a resource type endpoint, not to a resource');
      // A Bulk answer carries location and version, no representation: none is rendered.
      result = await service.create(model, data, false);
    } else {
      if (id === undefined) throw invalidSyntax(`${op.method} needs a path such as /${model.path}/{id}`);
      if (op.method === 'PUT') result = await service.replace(model, id, data, op.version, false);
      else if (op.method === 'PATCH') result = await service.patch(model, id, data, op.version, false);
      else result = await service.delete(model, id, op.version);
    }
    const response: BulkOperationResponse = { ...base, location: result.location, status: String(result.status) };
    if (op.method !== 'DELETE') response.version = result.version;
    return { ok: true, id: result.id, response };
  } catch (e) {
    const err = toScimError(e);
    return { ok: false, response: { ...base, status: String(err.status), response: errorBody(err) } };
  }
}

function route(service: ResourceService, path: string): { model: ResourceModel; id: string | undefined } {
  const parts = path.split('/').filter(Boolean);
  const model = parts.length ? service.model.byPath.get(parts[0].toLowerCase()) : undefined;
  if (!model || parts.length > 2) throw new ScimError(404, undefined, `No resource endpoint at '${path}'`);
  return { model, id: parts[1] === undefined ? undefined : decodePathSegment(parts[1]) };
}

function failure(raw: unknown, err: ScimError): BulkOperationResponse {
  const r = isPlainObject(raw) ? raw : {};
  return {
    method: typeof r.method === 'string' ? r.method.toUpperCase() : '',
    ...(typeof r.bulkId === 'string' ? { bulkId: r.bulkId } : {}),
    status: String(err.status),
    response: errorBody(err),
  };
}

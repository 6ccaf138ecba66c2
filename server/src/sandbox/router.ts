/**
 * Maps HTTP requests to discovery, resource operations, searches and Bulk.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { URN } from '../schema/types';
import { isAuthorized } from './auth';
import { runBulk, type BulkLimits } from './bulk';
import { listResponse, resourceType, resourceTypes, schema, schemas, serviceProviderConfig } from './discovery';
import { ScimError, invalidSyntax, notFound } from './errors';
import { checkJsonContentType, decodePathSegment, parseJson, readBody, sendEmpty, sendJson } from './http';
import type { ResourceModel } from './model';
import { readQueryParams } from './query';
import type { ResourceService, WriteResult } from './service';
import { isPlainObject, type Json } from './validate';

export const BASE_PATH = '/scim/v2';

export interface RouterOptions {
  token: string;
  bulk: BulkLimits;
  etag: boolean;
  maxResults: number;
}

export async function route(service: ResourceService, o: RouterOptions, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://sandbox.invalid');
  const path = url.pathname;
  if (path !== BASE_PATH && !path.startsWith(BASE_PATH + '/')) throw notFound(`Nothing at '${path}'; the SCIM base URL is ${service.baseUrl}`);
  if (!isAuthorized(req.headers.authorization, o.token)) throw new ScimError(401, undefined, 'A valid bearer token is required');

  const segments = path.slice(BASE_PATH.length).split('/').filter(Boolean).map(decodePathSegment);
  const method = (req.method ?? 'GET').toUpperCase();
  const allow = (...methods: string[]) => {
    if (!methods.includes(method)) {
      throw new ScimError(405, undefined, `${method} is not allowed on ${path}`, { Allow: methods.join(', ') });
    }
  };
  const body = async (): Promise<unknown> => {
    checkJsonContentType(req);
    return parseJson(await readBody(req, o.bulk.maxPayloadSize));
  };
  const [first, second, ...more] = segments;
  const baseUrl = service.baseUrl;

  if (first === undefined) throw notFound('Use a resource endpoint such as /Users, or /ServiceProviderConfig');
  switch (first) {
    case 'ServiceProviderConfig':
      if (second !== undefined) throw notFound(`Nothing at '${path}'`);
      allow('GET');
      // RFC 7644 §4: a filter on this endpoint SHOULD be refused with 403.
      if (url.searchParams.has('filter')) throw new ScimError(403, undefined, 'ServiceProviderConfig does not take a filter');
      return sendJson(res, 200, serviceProviderConfig(service.model, { baseUrl, etag: o.etag, bulk: o.bulk, maxResults: o.maxResults }));
    case 'ResourceTypes':
    case 'Schemas': {
      if (more.length) throw notFound(`Nothing at '${path}'`);
      allow('GET');
      const all = first === 'ResourceTypes' ? resourceTypes(service.model, baseUrl) : schemas(service.model, baseUrl);
      if (second === undefined) return sendJson(res, 200, listResponse(all));
      return sendJson(res, 200, first === 'ResourceTypes' ? resourceType(service.model, baseUrl, second) : schema(service.model, baseUrl, second));
    }
    case 'Bulk':
      if (second !== undefined) throw notFound(`Nothing at '${path}'`);
      allow('POST');
      return sendJson(res, 200, await runBulk(service, await body(), o.bulk));
    case '.search':
      if (second !== undefined) throw notFound(`Nothing at '${path}'`);
      allow('POST');
      return search(service, service.model.types, await body(), res, 'noMatch');
  }

  const model = service.model.byPath.get(first.toLowerCase());
  if (!model || more.length) throw notFound(`Nothing at '${path}'`);
  if (second === undefined) {
    allow('GET', 'POST');
    if (method === 'GET') {
      const q = readQueryParams((n) => url.searchParams.get(n) ?? undefined);
      return sendList(service, [model], q, res, 'error');
    }
    return sendWrite(res, await service.create(model, await body()));
  }
  if (second === '.search') {
    allow('POST');
    return search(service, [model], await body(), res, 'error');
  }
  allow('GET', 'PUT', 'PATCH', 'DELETE');
  const id = second;
  const ifMatch = header(req, 'if-match');
  switch (method) {
    case 'GET':
      return sendOne(service, model, id, url, req, res);
    case 'PUT':
      return sendWrite(res, await service.replace(model, id, await body(), ifMatch));
    case 'PATCH':
      return sendWrite(res, await service.patch(model, id, await body(), ifMatch));
    default: {
      const r = await service.delete(model, id, ifMatch);
      return sendEmpty(res, r.status);
    }
  }

  function etagHeader(version: string): Record<string, string> {
    return o.etag && version ? { ETag: version } : {};
  }

  function sendWrite(response: ServerResponse, r: WriteResult): void {
    const headers = etagHeader(r.version);
    if (r.status === 201) headers.Location = r.location;
    sendJson(response, r.status, r.resource, headers);
  }

  function sendOne(s: ResourceService, m: ResourceModel, rid: string, u: URL, request: IncomingMessage, response: ServerResponse): void {
    const stored = s.existing(m, rid);
    const version = s.versionOf(stored);
    const ifNoneMatch = header(request, 'if-none-match');
    if (o.etag && ifNoneMatch !== undefined) {
      const tags = ifNoneMatch.split(',').map((t) => t.trim().replace(/^W\//i, ''));
      if (tags.includes('*') || tags.includes(version.replace(/^W\//i, ''))) return sendEmpty(response, 304, etagHeader(version));
    }
    const q = readQueryParams((n) => u.searchParams.get(n) ?? undefined);
    sendJson(response, 200, s.view(m, stored, q.attributes, q.excludedAttributes), etagHeader(version));
  }
}

function header(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v.join(', ') : v;
}

function search(service: ResourceService, models: ResourceModel[], body: unknown, res: ServerResponse, unknown: 'error' | 'noMatch'): void {
  if (!isPlainObject(body)) throw invalidSyntax('A search body must be a JSON object');
  const schemasValue = body.schemas;
  if (!Array.isArray(schemasValue) || !schemasValue.includes(URN.searchRequest)) {
    throw invalidSyntax(`A search body must list '${URN.searchRequest}' in 'schemas'`);
  }
  // SearchRequest member names are matched case-insensitively, like attribute names.
  const lowered = new Map(Object.entries(body).map(([k, v]) => [k.toLowerCase(), v]));
  sendList(
    service,
    models,
    readQueryParams((n) => lowered.get(n.toLowerCase())),
    res,
    unknown,
  );
}

function sendList(
  service: ResourceService,
  models: ResourceModel[],
  q: ReturnType<typeof readQueryParams>,
  res: ServerResponse,
  unknown: 'error' | 'noMatch',
): void {
  const result = service.query(models, q, { unknownAttribute: unknown });
  sendJson(res, 200, listResponse(result.resources as Json[], result.totalResults, result.startIndex));
}

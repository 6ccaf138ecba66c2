/**
 * The SCIM operations on resources, independent of HTTP so the router, Bulk and the seeder
 * share them: create, read, replace, patch, delete, query.
 */
import { randomUUID } from 'node:crypto';
import { ScimError, notFound } from './errors';
import { compileFilter, parseFilter, type FilterOptions } from './filter';
import { candidates, filterNeedsRender, pathNeedsRender } from './lookup';
import { cascadeDelete, checkReferences, checkUniqueness } from './integrity';
import type { StoredResource } from './journal';
import type { ResourceModel, SandboxModel } from './model';
import { applyPatch } from './patch';
import { compareKeys, project, sortKey, type QueryParams } from './query';
import { locationOf, render, type RenderContext } from './render';
import type { Store } from './store';
import { enforceImmutable, normalizeResource, type Json } from './validate';

export interface WriteResult {
  status: number;
  /** The rendered resource (undefined for DELETE, and when the caller said it sends none). */
  resource?: Json;
  id: string;
  version: string;
  location: string;
}

export interface ListResult {
  totalResults: number;
  startIndex: number;
  resources: Json[];
}

export interface ServiceOptions {
  etag: boolean;
  /** The most resources one list response carries (ServiceProviderConfig filter.maxResults). */
  maxResults: number;
}

export class ResourceService {
  constructor(
    readonly store: Store,
    readonly model: SandboxModel,
    readonly options: ServiceOptions,
    private readonly ctx: RenderContext,
  ) {}

  get baseUrl(): string {
    return this.ctx.baseUrl;
  }

  private versionFor(seq: number): string {
    return `W/"${seq.toString(36)}"`;
  }

  private stamp(type: string, next: Json, previous: StoredResource | undefined, id: string): StoredResource {
    const now = new Date().toISOString();
    const prevMeta = (previous?.meta ?? {}) as Json;
    // Key order: schemas, id, attributes, meta: what readers expect to see first.
    const { schemas, ...attrs } = next;
    return {
      schemas,
      id,
      ...attrs,
      meta: {
        resourceType: type,
        created: (prevMeta.created as string | undefined) ?? now,
        lastModified: now,
        version: this.versionFor(this.store.nextSeq()),
      },
    } as StoredResource;
  }

  versionOf(r: StoredResource): string {
    return String((r.meta as Json | undefined)?.version ?? '');
  }

  /** If-Match (RFC 7644 section 3.14, RFC 7232 section 3.1): '*' or a list of ETags compared weakly. */
  checkIfMatch(r: StoredResource, ifMatch: string | undefined): void {
    if (!this.options.etag || ifMatch === undefined) return;
    const header = ifMatch.trim();
    if (header === '*') return;
    const current = weak(this.versionOf(r));
    const ok = header.split(',').some((t) => weak(t.trim()) === current);
    if (!ok) throw new ScimError(412, undefined, `The resource has changed: its version is ${this.versionOf(r)}`);
  }

  existing(model: ResourceModel, id: string): StoredResource {
    const r = this.store.get(model.name, id);
    if (!r) throw notFound(`${model.name} '${id}' not found`);
    return r;
  }

  view(model: ResourceModel, r: StoredResource, attributes?: string[], excluded?: string[]): Json {
    return project(model, render(this.ctx, model, r), attributes, excluded);
  }

  private result(status: number, model: ResourceModel, r: StoredResource, withView: boolean): WriteResult {
    return {
      status,
      ...(withView ? { resource: this.view(model, r) } : {}),
      id: r.id,
      version: this.versionOf(r),
      location: locationOf(this.ctx, model.name, r.id),
    };
  }

  /**
   * Each write runs inside Store.write: its checks see only what is durable (plus what the same
   * write, e.g. a Bulk request, staged before), and it resolves only once its change is durable.
   * `withView` false: the caller sends no representation (Bulk answers with location and
   * version), so none is rendered; rendering each created resource was a third of a Bulk.
   */
  create(model: ResourceModel, body: unknown, withView = true): Promise<WriteResult> {
    return this.store.write(async () => {
      const next = normalizeResource(model, body);
      checkReferences(this.store, model, next, undefined);
      checkUniqueness(this.store, model, next, undefined);
      const id = randomUUID();
      const stored = this.stamp(model.name, next, undefined, id);
      this.store.stage([{ type: model.name, id, resource: stored }]);
      return this.result(201, model, stored, withView);
    });
  }

  replace(model: ResourceModel, id: string, body: unknown, ifMatch?: string, withView = true): Promise<WriteResult> {
    return this.store.write(async () => {
      const previous = this.existing(model, id);
      this.checkIfMatch(previous, ifMatch);
      const next = normalizeResource(model, body);
      return this.commitUpdate(model, previous, next, withView);
    });
  }

  patch(model: ResourceModel, id: string, body: unknown, ifMatch?: string, withView = true): Promise<WriteResult> {
    return this.store.write(async () => {
      const previous = this.existing(model, id);
      this.checkIfMatch(previous, ifMatch);
      const patched = applyPatch(model, structuredClone(previous) as Json, body);
      const next = normalizeResource(model, patched);
      return this.commitUpdate(model, previous, next, withView);
    });
  }

  private commitUpdate(model: ResourceModel, previous: StoredResource, next: Json, withView: boolean): WriteResult {
    enforceImmutable(model.attributes, next, previous);
    for (const [urn, defs] of model.extensions) {
      const before = previous[urn];
      if (before && typeof before === 'object') {
        const after = (next[urn] ??= {}) as Json;
        enforceImmutable(defs, after, before as Json, urn + ':');
        if (!Object.keys(after).length) delete next[urn];
      }
    }
    checkReferences(this.store, model, next, previous.id);
    checkUniqueness(this.store, model, next, previous.id);
    const { id: _id, meta: _meta, ...before } = previous;
    if (JSON.stringify(sortKeys(before)) === JSON.stringify(sortKeys(next))) {
      // Nothing changed: keep the version so conditional requests stay valid.
      return this.result(200, model, previous, withView);
    }
    const stored = this.stamp(model.name, next, previous, previous.id);
    this.store.stage([{ type: model.name, id: previous.id, resource: stored }]);
    return this.result(200, model, stored, withView);
  }

  delete(model: ResourceModel, id: string, ifMatch?: string): Promise<WriteResult> {
    return this.store.write(async () => {
      const previous = this.existing(model, id);
      this.checkIfMatch(previous, ifMatch);
      const cascade = cascadeDelete(this.store, this.model, id, (type, r) => {
        const { id: rid, meta: _m, ...rest } = r;
        return this.stamp(type, rest, r, rid);
      });
      this.store.stage([{ type: model.name, id, resource: null }, ...cascade]);
      return { status: 204, id, version: this.versionOf(previous), location: locationOf(this.ctx, model.name, id) };
    });
  }

  /**
   * Filter, sort and page over one or more resource types (several for a search at the root).
   * Filters are answered from the indexes where they can be (lookup.ts); only the page returned
   * is rendered, unless the filter or the sort looks at rendered attributes.
   */
  query(models: ResourceModel[], q: QueryParams, filterOptions: FilterOptions): ListResult {
    const filter = q.filter !== undefined && q.filter.trim() !== '' ? parseFilter(q.filter) : undefined;
    let rows: Row[] = [];
    for (const model of models) {
      const view = (r: StoredResource) => render(this.ctx, model, r);
      if (!filter) {
        for (const r of this.store.all(model.name)) rows.push({ model, stored: r });
        continue;
      }
      const predicate = compileFilter(model, filter, filterOptions);
      const found = candidates(this.store, model, filter);
      const pool = found?.resources ?? this.store.all(model.name);
      if (found?.exact) {
        for (const r of pool) rows.push({ model, stored: r });
        continue;
      }
      const rendered = filterNeedsRender(model, filter);
      for (const r of pool) {
        const v = rendered ? view(r) : undefined;
        if (predicate(v ?? r)) rows.push({ model, stored: r, view: v });
      }
    }
    if (q.sortBy) {
      const keys = new Map(models.map((m) => [m, sortKey(m, q.sortBy!)]));
      const rendered = new Map(models.map((m) => [m, pathNeedsRender(m, q.sortBy!, true)]));
      const sign = q.sortOrder === 'descending' ? -1 : 1;
      const keyed = rows.map((row) => {
        if (rendered.get(row.model)) row.view ??= render(this.ctx, row.model, row.stored);
        return { row, key: keys.get(row.model)?.(row.view ?? row.stored) };
      });
      // Array.prototype.sort is stable, so equal keys keep creation order.
      keyed.sort((a, b) => sign * compareKeys(a.key, b.key));
      rows = keyed.map((k) => k.row);
    }
    const total = rows.length;
    const count = Math.min(q.count ?? this.options.maxResults, this.options.maxResults);
    const page = rows.slice(q.startIndex - 1, q.startIndex - 1 + count);
    return {
      totalResults: total,
      startIndex: q.startIndex,
      resources: page.map((row) => project(row.model, row.view ?? render(this.ctx, row.model, row.stored), q.attributes, q.excludedAttributes)),
    };
  }
}

interface Row {
  model: ResourceModel;
  stored: StoredResource;
  /** The rendered resource, once something needed it. */
  view?: Json;
}

function weak(tag: string): string {
  return tag.replace(/^W\//i, '');
}

function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (v && typeof v === 'object') {
    return Object.fromEntries(
      Object.keys(v as Json)
        .sort()
        .map((k) => [k, sortKeys((v as Json)[k])]),
    );
  }
  return v;
}

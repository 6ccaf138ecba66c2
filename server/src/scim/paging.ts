/**
 * Bounded listing with index-based paging (RFC 7644 §3.4.2.4). Servers get this wrong in ways
 * that make a naive "until an empty page" loop run forever: scimmy returns everything again for
 * a startIndex past the end and always echoes the requested count as itemsPerPage; others ignore
 * startIndex altogether. So the loop advances by what it actually received and stops on the
 * first of: all totalResults seen, startIndex past totalResults, an empty page, a page with no
 * new ids, or the hard caps.
 */
import type { ListPage, ScimResource } from './types';

export interface ListOptions {
  filter?: string;
  attributes?: string[];
  excludedAttributes?: string[];
  /** Requested page size; default 100. */
  pageSize?: number;
  /** Hard cap on requests; default 200. */
  maxPages?: number;
  /** Hard cap on collected resources; default 20,000. */
  maxResources?: number;
}

export interface ListResult {
  resources: ScimResource[];
  /** The server's totalResults from the last page, when it sent one. */
  totalResults: number | undefined;
  /** False when a cap or a misbehaving server stopped paging before totalResults were seen. */
  complete: boolean;
  /** Number of requests made. */
  requests: number;
}

/** One page of a query; `startIndex` is 1-based. */
export interface PageQuery {
  filter?: string;
  startIndex?: number;
  count?: number;
  attributes?: string[];
  excludedAttributes?: string[];
}

/**
 * What paging, lookups and filter trust ask of a SCIM client: one page, and every page of a
 * query. `ScimClient` is one; the helpers name this rather than the client that calls them.
 */
export interface ScimLister {
  listPage(endpoint: string, query: PageQuery): Promise<ListPage>;
  list(endpoint: string, options?: ListOptions): Promise<ListResult>;
}

export async function listAll(client: ScimLister, endpoint: string, options: ListOptions = {}): Promise<ListResult> {
  const pageSize = options.pageSize ?? 100;
  const maxPages = options.maxPages ?? 200;
  const maxResources = options.maxResources ?? 20_000;
  const seen = new Set<string>();
  const resources: ScimResource[] = [];
  let totalResults: number | undefined;
  let startIndex = 1;
  let requests = 0;
  let complete = false;
  while (requests < maxPages && resources.length < maxResources) {
    const page = await client.listPage(endpoint, {
      filter: options.filter,
      startIndex,
      count: pageSize,
      attributes: options.attributes,
      excludedAttributes: options.excludedAttributes,
    });
    requests++;
    totalResults = page.totalResults ?? totalResults;
    let fresh = 0;
    for (const resource of page.resources) {
      if (seen.has(resource.id)) continue;
      seen.add(resource.id);
      resources.push(resource);
      fresh++;
    }
    if (totalResults !== undefined && resources.length >= totalResults) {
      complete = true;
      break;
    }
    if (page.resources.length === 0) {
      complete = totalResults === undefined || resources.length >= totalResults;
      break;
    }
    if (fresh === 0) break; // the server repeats itself: startIndex ignored
    startIndex += page.resources.length;
    if (totalResults !== undefined && startIndex > totalResults) {
      complete = true;
      break;
    }
    if (totalResults === undefined && page.resources.length < pageSize) {
      complete = true;
      break;
    }
  }
  return { resources: resources.slice(0, maxResources), totalResults, complete, requests };
}

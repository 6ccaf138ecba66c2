/**
 * Seeding a new data directory, from the built-in default or a YAML/JSON seed file:
 * a mapping from resource type name (or endpoint) to a list of resources. Entries may carry
 * a `bulkId` and reference each other with "bulkId:<id>" values, in any order; `schemas`
 * may be left out. The seed runs through Bulk, so it is validated like any client request.
 */
import fs from 'node:fs/promises';
import { parse as parseYaml } from 'yaml';
import { runBulk } from './bulk';
import type { ResourceService } from './service';
import { isPlainObject, type Json } from './validate';

export type SeedDocument = Record<string, Json[]>;

export async function readSeedFile(file: string): Promise<SeedDocument> {
  const text = await fs.readFile(file, 'utf8');
  let doc: unknown;
  try {
    doc = parseYaml(text);
  } catch (e) {
    throw new Error(`Seed file ${file}: ${(e as Error).message}`);
  }
  if (!isPlainObject(doc) || Object.values(doc).some((v) => !Array.isArray(v) || v.some((x) => !isPlainObject(x)))) {
    throw new Error(`Seed file ${file}: expected a mapping from resource type (User, Group, Agent…) to a list of resources`);
  }
  return doc as SeedDocument;
}

export async function applySeed(service: ResourceService, seed: SeedDocument): Promise<number> {
  const operations: Json[] = [];
  let n = 0;
  for (const [key, items] of Object.entries(seed)) {
    const lower = key.toLowerCase();
    const model = service.model.types.find((t) => t.name.toLowerCase() === lower || t.path.toLowerCase() === lower);
    if (!model) throw new Error(`Seed: '${key}' is not a resource type of this profile (${service.model.types.map((t) => t.name).join(', ')})`);
    for (const item of items) {
      const { bulkId, ...data } = item;
      if (!Object.keys(data).some((k) => k.toLowerCase() === 'schemas')) data.schemas = [model.rt.schema];
      operations.push({ method: 'POST', path: '/' + model.path, bulkId: typeof bulkId === 'string' ? bulkId : `seed-${++n}`, data });
    }
  }
  const response = await runBulk(
    service,
    { schemas: ['urn:ietf:params:scim:api:messages:2.0:BulkRequest'], failOnErrors: 1, Operations: operations },
    { maxOperations: Number.MAX_SAFE_INTEGER, maxPayloadSize: Number.MAX_SAFE_INTEGER },
  );
  const results = response.Operations as { bulkId?: string; status: string; response?: { detail?: string } }[];
  const failed = results.find((r) => !r.status.startsWith('2'));
  if (failed) throw new Error(`Seed entry '${failed.bulkId}' was refused: ${failed.response?.detail ?? failed.status}`);
  if (results.length < operations.length) throw new Error('Seed: not every entry was created');
  return results.length;
}

// The SCIM schema definitions (schemas/) and everything derived from them: profiles,
// attribute lookup, generated JSON Schemas and the ajv validators.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import Ajv2020, { type ValidateFunction } from 'ajv/dist/2020';
import { configValidator } from 'scim-agents:validators';
import configSchema from '../../schemas/config.schema.json';
import {
  KNOWN_URNS,
  allProfiles,
  canonicalUrn,
  commonAttributes,
  getProfile,
  profileFromAttributes,
  profilesDefining,
  resourceTypeByName,
  resourceTypeForSchema,
  resourceTypeForSchemas,
} from '../../server/src/schema/profiles';
import { attributesOf, findAttribute, isServerManaged, resolveAttributePath, walkAttributes } from '../../server/src/schema/attributes';
import { toJsonSchema } from '../../server/src/schema/jsonSchema';
import { createAjv, getValidator } from '../../server/src/schema/validator';
import { generatedFiles, manifestSchema } from '../../server/src/schema/generate';
import { PRECOMPILED_PATH, precompiledValidators, withoutAnnotations } from '../../server/src/schema/precompile';
import { URN, type AttributeDefinition, type ProfileId } from '../../server/src/schema/types';

// Tests run from the repository root (npm scripts, CI).
const SCHEMAS_DIR = path.resolve('schemas');

// A self-signed P-256 certificate (CN=Clippy 2.0, O=Example) made with openssl for this test:
// base64 of its DER encoding, as x509Certificates[].value carries it.
const TEST_CERT =
  'MIIBozCCAUmgAwIBAgIUQ6RJUG64HKWXequLaKQnxRDuWyswCgYIKoZIzj0EAwIwJzETMBEGA1UEAwwKQ2xpcHB5IDIuMDEQMA4GA1UECgwHRXhhbXBsZTAeFw0yNjExMjkxMTEzMDBaFw0zNjExMjYxMTEzMDBaMCcxEzARBgNVBAMMCkNsaXBweSAyLjAxEDAOBgNVBAoMB0V4YW1wbGUwWTATBgcqhkjOPQIBBggqhkjOPQMBBwNCAARNTfYpDvVbDFk4opA/OhjRHcvasW16RCA01/17C5uxFk3waTdejMY+5voBQwmKTs6wDKnkTq65/NgpM/xWqC1ro1MwUTAdBgNVHQ4EFgQUFSX/OHvbWk+TNvS618HZ8jle5cEwHwYDVR0jBBgwFoAUFSX/OHvbWk+TNvS618HZ8jle5cEwDwYDVR0TAQH/BAUwAwEB/zAKBggqhkjOPQQDAgNIADBFAiAMUO6ZL3E2zLxSZma8m4UnzlYHzGex17HbGmVdRTG1zwIhAIsOSKR5APFh0tEY/LrNdx1NseqCdBHiMHJstieHxqJG';

type Doc = Record<string, unknown>;
const clone = <T>(v: T): T => structuredClone(v);

function listJsonFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return e.name === 'generated' ? [] : listJsonFiles(p);
    // *.schema.json are JSON Schemas of our own formats (plan, configuration), not SCIM definitions.
    return e.name.endsWith('.json') && !e.name.endsWith('.schema.json') ? [p] : [];
  });
}
const readJson = (file: string): unknown => JSON.parse(fs.readFileSync(file, 'utf8'));

/** ajv errors as "instancePath keyword detail" strings, easy to assert on. */
function errorsOf(validate: ValidateFunction, doc: unknown): string[] {
  if (validate(doc)) return [];
  return (validate.errors ?? []).map((e) => {
    const p = e.params as Record<string, unknown>;
    const detail = p.missingProperty ?? p.additionalProperty ?? p.type ?? p.pattern ?? '';
    return `${e.instancePath} ${e.keyword} ${String(detail)}`.trimEnd();
  });
}
function validator(profile: ProfileId, urn: string): ValidateFunction {
  const v = getValidator(profile, urn);
  assert.ok(v, `no validator for ${profile} ${urn}`);
  return v;
}

// ---------------------------------------------------------------------------------------------
// Example payloads from the drafts reference, corrected where the draft's JSON is invalid.

const AGENT_META = {
  resourceType: 'Agent',
  created: '2010-01-23T04:56:22Z',
  lastModified: '2011-05-13T04:42:34Z',
  version: 'W/"3694e05e9dff590"',
  location: 'https://example.com/v2/Agents/2819c223-7f76-453a-919d-413861904646',
};

const AGENT_MINIMAL: Doc = {
  schemas: [URN.agent],
  id: '2819c223-7f76-453a-919d-413861904646',
  name: 'Clippy 2.0',
  meta: AGENT_META,
};

// The draft's full example: `"type: "permission"` and `"protocols: [` quoted properly, the
// certificate replaced by a real one, and applications[].type removed (not in the schema;
// the literal version is tested below and must fail).
const AGENT_FULL: Doc = {
  schemas: [URN.agent],
  id: '2819c223-7f76-453a-919d-413861904646',
  externalId: 'clpy2001',
  name: 'Clippy 2.0',
  active: true,
  agentType: 'Assistant',
  groups: [
    {
      value: 'e9e30dba-f08f-4109-8486-d5c6a331660a',
      $ref: 'https://example.com/v2/Groups/e9e30dba-f08f-4109-8486-d5c6a331660a',
      display: 'The next generation',
    },
    {
      value: 'fc348aa8-3835-40eb-a20b-c726e15c55b5',
      $ref: 'https://example.com/v2/Groups/fc348aa8-3835-40eb-a20b-c726e15c55b5',
      display: 'Animated assistants',
    },
    { value: '71ddacd2-a8e7-49b8-a5db-ae50d0a5bfd7', $ref: 'https://example.com/v2/Groups/71ddacd2-a8e7-49b8-a5db-ae50d0a5bfd7', display: 'AI clippers' },
  ],
  x509Certificates: [{ value: TEST_CERT }],
  entitlements: [{ value: 'write', display: 'Write permission', type: 'permission', primary: true }],
  roles: [{ value: 'administrator', display: 'Administrator', type: 'permission', primary: true }],
  applications: [
    {
      value: 'e9e30dba-f08f-4109-8486-d5c6a331660a',
      $ref: 'https://example.com/v2/AgenticApplications/e9e30dba-f08f-4109-8486-d5c6a331660a',
      display: 'Clippy portal',
    },
  ],
  subject: 'clpy2001',
  protocols: [{ type: 'A2A', specificationUrl: 'https://example.com/v2/Agents/2819c223-7f76-453a-919d-413861904646/.well-known/agent-card.json' }],
  owners: [{ value: '71ddacd2-a8e7-49b8-a5db-ae50d0a5bfd7', $ref: '../Groups/71ddacd2-a8e7-49b8-a5db-ae50d0a5bfd7', display: 'US Employees' }],
  parent: { value: '71ddacd2-a8e7-49b8-a5db-ae50d0a5bfd7', $ref: 'https://example.com/v2/Agents/71ddacd2-a8e7-49b8-a5db-ae50d0a5bfd7', display: 'Clippy 1.0' },
  meta: AGENT_META,
};

const APPLICATION: Doc = {
  schemas: [URN.agenticApplication],
  id: 'b57f8a91-4bc7-4b43-9f9c-2885c4b6c1e0',
  externalId: 'app-123456',
  meta: { resourceType: 'AgenticApplication', created: '2024-05-01T12:34:56Z', lastModified: '2024-06-15T09:20:30Z' },
  name: 'AI Assistant Platform',
  displayName: 'AI Assistant Platform',
  description: 'Provides authenticated access to customer-facing AI assistants.',
  active: true,
  applicationUrls: [
    { type: 'homepage', primary: true, value: 'https://assistant.example.com', description: 'Main page' },
    { type: 'api', value: 'https://api.assistant.example.com/v1', description: 'API' },
  ],
  oAuthConfiguration: [
    {
      clientId: '0oa1qwerty',
      description: 'Production OAuth client',
      audienceUri: 'https://assistant.example.com/api',
      issuerUri: 'https://idp.example.com',
      redirectUri: ['https://assistant.example.com/oauth/callback'],
    },
  ],
  agents: [
    {
      value: '1d2c3b4a-0000-4000-8000-000000000001',
      $ref: 'https://scim.example.com/v2/Agents/1d2c3b4a-0000-4000-8000-000000000001',
      display: 'Customer Support Agent',
      type: 'owned',
    },
    { value: '9f8e7d6c-0000-4000-8000-000000000002', display: 'Knowledge Retrieval Agent', type: 'authorized' },
  ],
  externalIdentifiers: [{ type: 'ssoTenantId', value: '00abc123', system: 'https://idp.example.com' }],
  lastAccessed: '2024-06-20T17:45:00Z',
};

const WZDK_AGENT: Doc = {
  schemas: [URN.agent],
  id: 'ra-42',
  externalId: 'agent-42',
  agentUserName: 'support-agent',
  displayName: 'Support Agent',
  active: true,
};

// ---------------------------------------------------------------------------------------------

const TYPES = new Set(['string', 'boolean', 'decimal', 'integer', 'dateTime', 'binary', 'reference', 'complex']);
const MUTABILITY = new Set(['readOnly', 'readWrite', 'immutable', 'writeOnly']);
const RETURNED = new Set(['always', 'never', 'default', 'request']);
const UNIQUENESS = new Set(['none', 'server', 'global']);
const ATTRNAME = /^[A-Za-z][A-Za-z0-9_-]*$/;
const ATTRIBUTE_KEYS = new Set([
  'name',
  'type',
  'multiValued',
  'description',
  'required',
  'caseExact',
  'mutability',
  'returned',
  'uniqueness',
  'canonicalValues',
  'referenceTypes',
  'subAttributes',
  'x-aliases',
]);

/** Every problem with one attribute definition list, as readable strings (empty when well-formed). */
function definitionProblems(defs: unknown, where: string, nested = false): string[] {
  if (!Array.isArray(defs) || defs.length === 0) return [`${where}: attributes must be a non-empty array`];
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const d of defs as Record<string, unknown>[]) {
    const at = `${where}.${String(d.name)}`;
    const bad = (msg: string) => problems.push(`${at}: ${msg}`);
    if (typeof d.name !== 'string' || !(ATTRNAME.test(d.name) || d.name === '$ref')) bad('name breaks the ATTRNAME grammar');
    for (const n of [d.name, ...((d['x-aliases'] as unknown[]) ?? [])]) {
      const lower = String(n).toLowerCase();
      if (seen.has(lower)) bad(`name or alias ${String(n)} defined twice (case-insensitively)`);
      seen.add(lower);
    }
    for (const k of Object.keys(d)) if (!ATTRIBUTE_KEYS.has(k)) bad(`unknown member ${k}`);
    if (!TYPES.has(d.type as string)) bad(`type ${String(d.type)}`);
    for (const k of ['multiValued', 'required', 'caseExact']) if (typeof d[k] !== 'boolean') bad(`${k} must be a boolean`);
    if (typeof d.description !== 'string' || d.description.length === 0) bad('description missing');
    if (!MUTABILITY.has(d.mutability as string)) bad(`mutability ${String(d.mutability)}`);
    if (!RETURNED.has(d.returned as string)) bad(`returned ${String(d.returned)}`);
    if (!UNIQUENESS.has(d.uniqueness as string)) bad(`uniqueness ${String(d.uniqueness)}`);
    if (d.mutability === 'writeOnly' && d.returned !== 'never') bad('writeOnly must be returned never');
    if ('canonicalValues' in d) {
      const cv = d.canonicalValues;
      if (!Array.isArray(cv) || cv.length === 0 || cv.some((v) => typeof v !== 'string')) bad('canonicalValues must be non-empty strings');
    }
    const refs = d.referenceTypes;
    if (d.type === 'reference') {
      if (!Array.isArray(refs) || refs.length === 0 || refs.some((v) => typeof v !== 'string')) bad('a reference needs referenceTypes');
    } else if (refs !== undefined) bad('referenceTypes on a non-reference');
    if (d.type === 'complex') {
      if (nested) bad('a sub-attribute must not be complex (RFC 7643 §2.3.8)');
      else problems.push(...definitionProblems(d.subAttributes, at, true));
    } else if (d.subAttributes !== undefined) bad('subAttributes on a non-complex attribute');
  }
  return problems;
}

describe('schema definition files (RFC 7643 §7)', () => {
  const files = listJsonFiles(SCHEMAS_DIR);
  const schemaFiles = files.filter((f) => !f.endsWith('ResourceTypes.json') && !f.endsWith('common.json'));

  it('finds the definition files', () => {
    const names = files.map((f) => path.relative(SCHEMAS_DIR, f).split(path.sep).join('/')).sort();
    assert.deepEqual(names, [
      'abbey-00/Agent.json',
      'abbey-00/AgenticApplication.json',
      'abbey-00/ResourceTypes.json',
      'common.json',
      'core/EnterpriseUser.json',
      'core/Group.json',
      'core/User.json',
      'wzdk-00/Agent.json',
      'wzdk-00/ResourceTypes.json',
    ]);
  });

  for (const file of schemaFiles) {
    it(`${path.relative(SCHEMAS_DIR, file)} is a well-formed schema resource`, () => {
      const s = readJson(file) as Record<string, unknown>;
      assert.deepEqual(s.schemas, [URN.schema]);
      assert.match(String(s.id), /^urn:ietf:params:scim:schemas:(core|extension:enterprise):2\.0:[A-Za-z]+$/);
      assert.equal(typeof s.name, 'string');
      assert.ok(typeof s.description === 'string' && s.description.length > 0);
      assert.deepEqual(s.meta, { resourceType: 'Schema', location: `/v2/Schemas/${String(s.id)}` });
      assert.ok(KNOWN_URNS.has(String(s.id)));
      assert.deepEqual(definitionProblems(s.attributes, String(s.name)), []);
    });
  }

  it('common.json defines id, externalId and meta with the RFC 7643 §3.1 characteristics', () => {
    const c = readJson(path.join(SCHEMAS_DIR, 'common.json')) as { attributes: AttributeDefinition[] };
    assert.deepEqual(definitionProblems(c.attributes, 'common'), []);
    const [id, externalId, meta] = c.attributes;
    assert.deepEqual([id.name, id.caseExact, id.mutability, id.returned], ['id', true, 'readOnly', 'always']);
    assert.deepEqual([externalId.name, externalId.caseExact, externalId.mutability], ['externalId', true, 'readWrite']);
    assert.deepEqual([meta.name, meta.type, meta.mutability], ['meta', 'complex', 'readOnly']);
    assert.deepEqual(
      meta.subAttributes?.map((s) => s.name),
      ['resourceType', 'created', 'lastModified', 'location', 'version'],
    );
  });

  it('the definition checker itself catches defects', () => {
    const ok = {
      name: 'x',
      type: 'string',
      multiValued: false,
      description: 'd',
      required: false,
      caseExact: false,
      mutability: 'readWrite',
      returned: 'default',
      uniqueness: 'none',
    };
    assert.deepEqual(definitionProblems([ok], 's'), []);
    assert.equal(definitionProblems([{ ...ok, name: '1x' }], 's').length, 1);
    assert.equal(definitionProblems([{ ...ok, mutability: 'rw' }], 's').length, 1);
    assert.equal(definitionProblems([ok, { ...ok, name: 'X' }], 's').length, 1);
    const nestedComplex = { ...ok, type: 'complex', subAttributes: [{ ...ok, type: 'complex', subAttributes: [ok] }] };
    assert.match(definitionProblems([nestedComplex], 's').join(), /must not be complex/);
    assert.equal(definitionProblems([{ ...ok, type: 'reference' }], 's').length, 1);
  });

  for (const file of files.filter((f) => f.endsWith('ResourceTypes.json'))) {
    it(`${path.relative(SCHEMAS_DIR, file)} lists well-formed resource types`, () => {
      const list = readJson(file) as Record<string, unknown>[];
      assert.ok(Array.isArray(list) && list.length > 0);
      for (const rt of list) {
        assert.deepEqual(rt.schemas, [URN.resourceType]);
        assert.equal(rt.id, rt.name);
        assert.match(String(rt.endpoint), /^\/[A-Za-z]+$/);
        assert.ok(KNOWN_URNS.has(String(rt.schema)), String(rt.schema));
        for (const ext of (rt.schemaExtensions as { schema: string; required: unknown }[]) ?? []) {
          assert.ok(KNOWN_URNS.has(ext.schema));
          assert.equal(typeof ext.required, 'boolean');
        }
      }
    });
  }

  it('abbey-00 Agent carries the normalizations of drafts reference §2.9', () => {
    const agent = getProfile('abbey-00').schemas.get(URN.agent)!;
    const attr = (n: string) => agent.attributes.find((a) => a.name === n)!;
    for (const n of ['owners', 'subject', 'protocols', 'parent']) assert.equal(attr(n).mutability, 'readWrite', n);
    for (const n of ['groups', 'applications']) assert.equal(attr(n).mutability, 'readOnly', n);
    assert.ok(attr('displayName') && attr('description'));
    const protocols = attr('protocols').subAttributes!;
    assert.deepEqual(protocols.find((s) => s.name === 'type')!.canonicalValues, ['A2A', 'OpenAPI', 'MCP-Server']);
    assert.deepEqual(protocols.find((s) => s.name === 'specificationUrl')!['x-aliases'], ['specifiationUrl']);
    assert.deepEqual(attr('owners').subAttributes!.find((s) => s.name === '$ref')!.referenceTypes, ['User', 'Group']);
    assert.equal(attr('parent').multiValued, false);
    assert.ok((agent['x-normalization'] ?? []).length >= 3);
    const app = getProfile('abbey-00').schemas.get(URN.agenticApplication)!;
    const agents = app.attributes.find((a) => a.name === 'agents')!.subAttributes!;
    assert.equal(agents.find((s) => s.name === '$ref')!.mutability, 'readOnly');
    assert.equal(agents.find((s) => s.name === 'display')!.mutability, 'readOnly');
    assert.equal(app.attributes.find((a) => a.name === 'lastAccessed')!.mutability, 'readOnly');
  });
});

describe('profiles', () => {
  it('each profile has its resource types and the core schemas', () => {
    const abbey = getProfile('abbey-00');
    const wzdk = getProfile('wzdk-00');
    assert.deepEqual(
      abbey.resourceTypes.map((r) => r.endpoint),
      ['/Agents', '/AgenticApplications', '/Users', '/Groups'],
    );
    assert.deepEqual(
      wzdk.resourceTypes.map((r) => r.endpoint),
      ['/Agents', '/Users', '/Groups'],
    );
    for (const p of [abbey, wzdk]) {
      for (const urn of [URN.user, URN.group, URN.enterpriseUser, URN.agent]) assert.ok(p.schemas.has(urn), `${p.id} ${urn}`);
      const user = resourceTypeForSchema(p, URN.user)!;
      assert.deepEqual(user.schemaExtensions, [{ schema: URN.enterpriseUser, required: false }]);
    }
    assert.notEqual(abbey.schemas.get(URN.agent), wzdk.schemas.get(URN.agent));
    assert.equal(getProfile('abbey-00'), abbey, 'computed once');
  });

  it('profiles are immutable', () => {
    const p = getProfile('abbey-00');
    assert.throws(() => p.schemas.set('x', p.schemas.get(URN.user)!));
    assert.throws(() => p.schemas.delete(URN.user));
    assert.throws(() => (p.resourceTypes as unknown[]).push({}));
    assert.throws(() => {
      p.schemas.get(URN.agent)!.attributes[0].required = false;
    });
    assert.throws(() => (commonAttributes as unknown[]).pop());
  });

  it('knows every URN and which profiles define it', () => {
    assert.deepEqual([...KNOWN_URNS].sort(), [URN.agent, URN.agenticApplication, URN.group, URN.user, URN.enterpriseUser].sort());
    assert.deepEqual(profilesDefining(URN.agent), ['abbey-00', 'wzdk-00']);
    assert.deepEqual(profilesDefining(URN.agenticApplication), ['abbey-00']);
    assert.equal(canonicalUrn('URN:IETF:params:scim:schemas:core:2.0:agent'), URN.agent);
    assert.equal(canonicalUrn('urn:example:unknown'), undefined);
  });

  it('finds resource types by schema, schema list and name', () => {
    const p = getProfile('abbey-00');
    assert.equal(resourceTypeForSchemas(p, [URN.enterpriseUser, URN.user])?.name, 'User');
    assert.equal(resourceTypeForSchemas(p, [URN.enterpriseUser]), undefined);
    assert.equal(resourceTypeByName(p, 'agenticapplication')?.endpoint, '/AgenticApplications');
    assert.equal(resourceTypeForSchema(getProfile('wzdk-00'), URN.agenticApplication), undefined);
  });

  it('detects a profile from marker attributes in any case', () => {
    assert.equal(profileFromAttributes(['schemas', 'AgentUserName']), 'wzdk-00');
    assert.equal(profileFromAttributes(['schemas', 'name']), undefined);
  });
});

describe('attribute lookup', () => {
  const abbey = getProfile('abbey-00');
  const agentAttrs = attributesOf(abbey, URN.agent)!;

  it('is case-insensitive and reports the canonical name', () => {
    const m = findAttribute(agentAttrs, 'DISPLAYNAME');
    assert.equal(m?.canonicalName, 'displayName');
    assert.equal(m?.viaAlias, false);
    assert.equal(findAttribute(agentAttrs, 'externalid')?.canonicalName, 'externalId');
    assert.equal(findAttribute(agentAttrs, 'nickName'), undefined);
  });

  it('accepts the specifiationUrl alias, in any case', () => {
    const protocols = findAttribute(agentAttrs, 'protocols')!.def;
    const m = findAttribute(protocols.subAttributes!, 'SpecifiationURL');
    assert.equal(m?.canonicalName, 'specificationUrl');
    assert.equal(m?.viaAlias, true);
    assert.equal(findAttribute(protocols.subAttributes!, 'specificationurl')?.viaAlias, false);
  });

  it('adds common attributes to base schemas only', () => {
    assert.ok(findAttribute(agentAttrs, 'meta'));
    assert.equal(findAttribute(attributesOf(abbey, URN.enterpriseUser)!, 'id'), undefined);
    assert.equal(attributesOf(abbey, 'urn:example:nope'), undefined);
    assert.equal(attributesOf(abbey, URN.agent), agentAttrs, 'cached');
    assert.equal(findAttribute(attributesOf(getProfile('wzdk-00'), URN.agent)!, 'name'), undefined);
  });

  it('marks server-managed attributes', () => {
    assert.equal(isServerManaged(findAttribute(agentAttrs, 'id')!.def), true);
    assert.equal(isServerManaged(findAttribute(agentAttrs, 'applications')!.def), true);
    assert.equal(isServerManaged(findAttribute(agentAttrs, 'owners')!.def), false);
  });

  it('resolves attribute paths, qualified or not', () => {
    const user = resourceTypeForSchema(abbey, URN.user)!;
    const agent = resourceTypeForSchema(abbey, URN.agent)!;
    assert.equal(resolveAttributePath(abbey, user, 'NAME.givenname')?.canonicalPath, 'name.givenName');
    const mgr = resolveAttributePath(abbey, user, `${URN.enterpriseUser}:manager.value`);
    assert.equal(mgr?.schemaUrn, URN.enterpriseUser);
    assert.equal(mgr?.canonicalPath, `${URN.enterpriseUser}:manager.value`);
    assert.equal(resolveAttributePath(abbey, user, `${URN.user}:userName`)?.canonicalPath, `${URN.user}:userName`);
    const alias = resolveAttributePath(abbey, agent, 'protocols.specifiationUrl');
    assert.deepEqual([alias?.canonicalPath, alias?.viaAlias], ['protocols.specificationUrl', true]);
    assert.equal(resolveAttributePath(abbey, agent, 'owners.nope'), undefined);
    assert.equal(resolveAttributePath(abbey, agent, 'a.b.c'), undefined);
  });

  it('walks definitions depth-first with canonical paths', () => {
    const paths: string[] = [];
    walkAttributes(attributesOf(abbey, URN.agent)!, (_d, p) => paths.push(p.join('.')));
    assert.ok(paths.includes('owners.$ref') && paths.includes('meta.lastModified'));
    assert.equal(paths.indexOf('owners') + 1, paths.indexOf('owners.value'));
  });
});

describe('generated JSON Schemas accept the drafts examples', () => {
  it('abbey-00 Agent: minimal and full examples', () => {
    assert.deepEqual(errorsOf(validator('abbey-00', URN.agent), AGENT_MINIMAL), []);
    assert.deepEqual(errorsOf(validator('abbey-00', URN.agent), AGENT_FULL), []);
  });

  it('abbey-00 Agent: the literal example applications[].type is an unknown attribute', () => {
    const literal = clone(AGENT_FULL);
    (literal.applications as Doc[])[0].type = 'Web';
    assert.deepEqual(errorsOf(validator('abbey-00', URN.agent), literal), ['/applications/0 additionalProperties type']);
  });

  it('abbey-00 AgenticApplication example', () => {
    assert.deepEqual(errorsOf(validator('abbey-00', URN.agenticApplication), APPLICATION), []);
  });

  it('wzdk-00 Agent example', () => {
    assert.deepEqual(errorsOf(validator('wzdk-00', URN.agent), WZDK_AGENT), []);
    assert.deepEqual(errorsOf(validator('abbey-00', URN.agent), WZDK_AGENT).sort(), [' required name', ' additionalProperties agentUserName'].sort());
  });

  it('User with the enterprise extension, Group with an Agent member', () => {
    const user = {
      schemas: [URN.user, URN.enterpriseUser],
      userName: 'bjensen',
      name: { givenName: 'Barbara', familyName: 'Jensen' },
      emails: [{ value: 'bjensen@example.com', type: 'work', primary: true }],
      [URN.enterpriseUser]: { employeeNumber: '701984', manager: { value: '26118915', $ref: '../Users/26118915', displayName: 'John Smith' } },
    };
    assert.deepEqual(errorsOf(validator('abbey-00', URN.user), user), []);
    const group = { schemas: [URN.group], displayName: 'AI clippers', members: [{ value: 'x', $ref: '../Agents/x', type: 'Agent' }] };
    assert.deepEqual(errorsOf(validator('wzdk-00', URN.group), group), []);
  });

  it('accepts null as unassigned for optional attributes and values outside canonicalValues', () => {
    const doc = { ...clone(AGENT_MINIMAL), displayName: null, owners: null, parent: null, protocols: [{ type: 'gRPC', specificationUrl: 'https://x' }] };
    assert.deepEqual(errorsOf(validator('abbey-00', URN.agent), doc), []);
  });
});

describe('generated JSON Schemas catch defects', () => {
  const v = () => validator('abbey-00', URN.agent);
  const withChange = (change: (d: Doc) => void): Doc => {
    const d = clone(AGENT_FULL);
    change(d);
    return d;
  };
  const cases: [string, (d: Doc) => void, string[]][] = [
    ['missing name', (d) => delete d.name, [' required name']],
    ['name as a number', (d) => (d.name = 42), ['/name type string']],
    ['name null (required)', (d) => (d.name = null), ['/name type string']],
    ['name empty', (d) => (d.name = ''), ['/name minLength']],
    ['active as the string "true"', (d) => (d.active = 'true'), ['/active type boolean,null']],
    ['a dateTime with a space', (d) => ((d.meta as Doc).created = '2010-01-23 04:56:22Z'), [`/meta/created pattern`]],
    ['a dateTime with a month 13', (d) => ((d.meta as Doc).lastModified = '2010-13-23T04:56:22Z'), ['/meta/lastModified pattern']],
    ['non-base64 binary', (d) => (d.x509Certificates = [{ value: 'not base64!' }]), ['/x509Certificates/0/value pattern']],
    ['base64url binary', (d) => (d.x509Certificates = [{ value: 'ab-_' }]), ['/x509Certificates/0/value pattern']],
    [
      'base64 with a line break',
      (d) => (d.x509Certificates = [{ value: `${TEST_CERT.slice(0, 64)}\n${TEST_CERT.slice(64)}` }]),
      ['/x509Certificates/0/value pattern'],
    ],
    ['an unknown attribute', (d) => (d.nickName = 'clippy'), [' additionalProperties nickName']],
    ['an unknown sub-attribute', (d) => ((d.owners as Doc[])[0].type = 'Group'), ['/owners/0 additionalProperties type']],
    ['owners not an array', (d) => (d.owners = { value: 'x' }), ['/owners type array,null']],
    ['parent as an array', (d) => (d.parent = [{ value: 'x' }]), ['/parent type object,null']],
    ['schemas missing', (d) => delete d.schemas, [' required schemas']],
    ['schemas without the base URN', (d) => (d.schemas = [URN.user]), ['/schemas contains']],
    ['schemas with a duplicate', (d) => (d.schemas = [URN.agent, URN.agent]), ['/schemas uniqueItems']],
  ];
  for (const [what, change, expected] of cases) {
    it(what, () => {
      const got = errorsOf(v(), withChange(change));
      for (const e of expected)
        assert.ok(
          got.some((g) => g.startsWith(e)),
          `expected "${e}" in ${JSON.stringify(got)}`,
        );
      assert.ok(got.length <= expected.length + 1, `too many errors: ${JSON.stringify(got)}`);
    });
  }

  it('wzdk-00 Agent requires agentUserName, displayName and active', () => {
    const got = errorsOf(validator('wzdk-00', URN.agent), { schemas: [URN.agent] });
    assert.deepEqual(got.sort(), [' required active', ' required agentUserName', ' required displayName']);
  });

  it('has no validator for a schema the profile has no resource type for', () => {
    assert.equal(getValidator('wzdk-00', URN.agenticApplication), undefined);
    assert.equal(getValidator('abbey-00', URN.enterpriseUser), undefined);
    assert.equal(getValidator('abbey-00', URN.agent), getValidator('abbey-00', URN.agent), 'cached');
    assert.equal(getValidator('wzdk-00', URN.user), getValidator('abbey-00', URN.user), 'identical schemas compiled once');
    assert.notEqual(getValidator('wzdk-00', URN.agent), getValidator('abbey-00', URN.agent));
  });
});

describe('generated JSON Schema files', () => {
  it('are up to date on disk and deterministic', () => {
    const files = generatedFiles();
    assert.deepEqual([...files.keys()], [...generatedFiles().keys()]);
    for (const [rel, text] of files) {
      assert.ok(text.endsWith('}\n'), rel);
      assert.equal(text, generatedFiles().get(rel));
      const onDisk = path.join(SCHEMAS_DIR, 'generated', rel);
      assert.equal(fs.readFileSync(onDisk, 'utf8'), text, `${rel} is stale: run node esbuild.mjs`);
    }
    assert.ok(files.has('abbey-00/Agent.schema.json') && files.has('wzdk-00/Agent.schema.json') && files.has('manifest.schema.json'));
  });

  it('have unique $ids, titles and hover text, and never turn canonicalValues into enum', () => {
    const ids = new Set<string>();
    for (const profile of allProfiles()) {
      for (const rt of profile.resourceTypes) {
        const s = toJsonSchema(profile, rt);
        assert.match(String(s.$id), /^https:\/\/scim-agents\.dev\/schemas\/[a-z0-9-]+\/[A-Za-z]+\.schema\.json$/);
        assert.ok(!ids.has(String(s.$id)));
        ids.add(String(s.$id));
        assert.ok(typeof s.title === 'string');
        const text = JSON.stringify(s);
        assert.ok(!text.includes('"enum"'), `${String(s.$id)} has an enum`);
        for (const [name, prop] of Object.entries(s.properties as Record<string, Record<string, unknown>>)) {
          assert.equal(typeof prop.markdownDescription, 'string', `${rt.name}.${name}`);
        }
      }
    }
    const agent = toJsonSchema(getProfile('abbey-00'), resourceTypeForSchema(getProfile('abbey-00'), URN.agent)!);
    const protocols = (agent.properties as Record<string, { items: { properties: Record<string, Record<string, unknown>> } }>).protocols;
    assert.deepEqual(protocols.items.properties.type.examples, ['A2A', 'OpenAPI', 'MCP-Server']);
    assert.equal(protocols.items.properties.specifiationUrl.deprecated, true);
  });

  it('the manifest schema routes each resource to its schema by `schemas`', () => {
    const validate = createAjv().compile(manifestSchema());
    assert.deepEqual(errorsOf(validate, [AGENT_FULL, WZDK_AGENT, APPLICATION]), []);
    assert.deepEqual(errorsOf(validate, AGENT_MINIMAL), []);
    // One error per defect, naming only the schema that applies (no oneOf fan-out).
    const broken = [
      { ...WZDK_AGENT, displayName: 7 },
      { ...AGENT_MINIMAL, name: undefined, nick: 1 },
    ];
    const errors = errorsOf(validate, JSON.parse(JSON.stringify(broken)));
    assert.ok(errors.includes('/0/displayName type string'), JSON.stringify(errors));
    assert.ok(errors.includes('/1 required name'), JSON.stringify(errors));
    assert.ok(errors.includes('/1 additionalProperties nick'), JSON.stringify(errors));
    assert.ok(
      errors.every((e) => e.startsWith('/0/displayName') || e.startsWith('/1 ') || e.endsWith(' if')),
      JSON.stringify(errors),
    );
    assert.ok(errorsOf(validate, { schemas: ['urn:example:unknown'] }).includes('/schemas contains'));
    assert.ok(errorsOf(validate, { name: 'no schemas' }).includes(' required schemas'));
  });
});

describe('precompiled validators (schema/precompile.ts)', () => {
  // Each base document, and each of its attributes taken away or given a wrong kind of value:
  // what the build compiled must say exactly what a compile now says, error for error.
  const BASES = [AGENT_MINIMAL, AGENT_FULL, APPLICATION, WZDK_AGENT];
  const corpus: unknown[] = [{}, [], null, 'x'];
  for (const base of BASES) {
    corpus.push(base);
    for (const key of Object.keys(base)) {
      for (const value of [undefined, 42, null, 'x', [], {}, [{ value: 7, extra: true }], { value: '' }]) {
        const d = clone(base);
        if (value === undefined) delete d[key];
        else d[key] = value;
        corpus.push(d);
      }
    }
  }

  it('give the errors of a compile at run time, for every bundled resource type', () => {
    const ajv = createAjv({ forRuntime: true });
    let compared = 0;
    for (const profile of allProfiles()) {
      for (const rt of profile.resourceTypes) {
        const schema = toJsonSchema(profile, rt);
        delete schema.$id; // two profiles' User under one ajv
        const fresh = ajv.compile(schema);
        const built = validator(profile.id as ProfileId, rt.schema);
        assert.notEqual(built, fresh);
        for (const doc of corpus) {
          const want = fresh(doc) ? [] : structuredClone(fresh.errors ?? []);
          const got = built(doc) ? [] : structuredClone(built.errors ?? []);
          assert.deepEqual(got, want, `${profile.id} ${rt.name}: ${JSON.stringify(doc).slice(0, 200)}`);
          if (want.length > 0) compared++;
        }
      }
    }
    assert.ok(compared > 200, `only ${compared} documents with errors compared`);
  });

  it('and the configuration file validator those of config/parse.ts options', () => {
    const fresh = new Ajv2020({ allErrors: true, strict: true }).compile(configSchema);
    const configs: unknown[] = [
      {},
      { profile: 'abbey-00' },
      { profile: 'nope', rules: { 'owner-missing': 'loud' } },
      { overrides: [{ files: ['a/**'], rules: { x: 'off' } }, { files: 7 }] },
      { policies: { requireOwners: 'yes' }, extra: 1 },
      [],
      null,
    ];
    for (const c of configs) {
      const want = fresh(c) ? [] : structuredClone(fresh.errors);
      const got = configValidator(c) ? [] : structuredClone(configValidator.errors);
      assert.deepEqual(got, want, JSON.stringify(c));
    }
  });

  it('drop annotations only where they are keywords, not names of attributes nor data', () => {
    const schema = {
      title: 'T',
      description: 'd',
      properties: { title: { type: 'string', description: 'x' }, description: { markdownDescription: 'm', type: 'string' } },
      const: { description: 'kept', title: 'kept' },
      enum: [{ examples: 1 }],
      items: [{ examples: ['e'], type: 'number' }],
    };
    assert.deepEqual(withoutAnnotations(schema), {
      properties: { title: { type: 'string' }, description: { type: 'string' } },
      const: { description: 'kept', title: 'kept' },
      enum: [{ examples: 1 }],
      items: [{ type: 'number' }],
    });
  });

  it('are up to date on disk', () => {
    assert.equal(fs.readFileSync(path.join(SCHEMAS_DIR, 'generated', PRECOMPILED_PATH), 'utf8'), precompiledValidators(), 'stale: run node esbuild.mjs');
  });
});

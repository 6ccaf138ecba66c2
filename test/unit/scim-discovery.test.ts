import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { buildCapabilities, endpointFor, supportsAgents } from '../../server/src/scim/discovery';
import { URN } from '../../server/src/schema/types';

describe('buildCapabilities', () => {
  test('everything missing is unknown, not an error, and conventional endpoints are assumed', () => {
    const caps = buildCapabilities({ status: 'missing' }, { status: 'missing' }, { status: 'unauthorized' });
    assert.equal(caps.patch, 'unknown');
    assert.equal(caps.bulk.supported, 'unknown');
    assert.equal(caps.agentExtension.advertised, false);
    assert.equal(supportsAgents(caps), 'unknown');
    assert.equal(endpointFor(caps, URN.agent), '/Agents');
    assert.equal(caps.discovery.schemas, 'unauthorized');
  });

  test('lenient parsing: key case, string booleans and numbers, lowercase resources', () => {
    const spc = {
      status: 'ok' as const,
      body: {
        Patch: { Supported: 'true' },
        bulk: { supported: true, maxOperations: '10', maxPayloadSize: 1024 },
        FILTER: { supported: true, maxResults: 50 },
        etag: { supported: false },
      },
    };
    const types = {
      status: 'ok' as const,
      body: {
        totalResults: 1,
        resources: [{ name: 'Agent', endpoint: 'Agents', schema: URN.agent, schemaExtensions: [{ schema: 'urn:x', required: 'false' }] }],
      },
    };
    const caps = buildCapabilities(spc, types, { status: 'ok', body: [{ id: URN.agent, attributes: [{ name: 'name', type: 'string' }, { bogus: 1 }] }] });
    assert.equal(caps.patch, true);
    assert.deepEqual(caps.bulk, { supported: true, maxOperations: 10, maxPayloadSize: 1024 });
    assert.equal(caps.filter.maxResults, 50);
    assert.equal(caps.etag, false);
    assert.equal(caps.sort, 'unknown');
    assert.deepEqual(caps.resourceTypes[URN.agent], {
      name: 'Agent',
      endpoint: '/Agents',
      schema: URN.agent,
      schemaExtensions: [{ schema: 'urn:x', required: false }],
    });
    assert.equal(caps.schemas[URN.agent]!.attributes.length, 1);
    assert.equal(supportsAgents(caps), true);
    assert.equal(endpointFor(caps, URN.user), undefined, 'ResourceTypes was usable and has no User');
  });

  test('non-object bodies are marked invalid', () => {
    const caps = buildCapabilities({ status: 'ok', body: 'hello' }, { status: 'ok', body: 42 }, { status: 'ok', body: {} });
    assert.deepEqual(caps.discovery, { serviceProviderConfig: 'invalid', resourceTypes: 'invalid', schemas: 'invalid' });
  });

  test('agentExtension read from SPC', () => {
    const caps = buildCapabilities(
      { status: 'ok', body: { agentExtension: { supported: true, agentsSupported: true, agenticApplicationsSupported: false } } },
      { status: 'missing' },
      { status: 'missing' },
    );
    assert.deepEqual(caps.agentExtension, { advertised: true, supported: true, agentsSupported: true, agenticApplicationsSupported: false });
    assert.equal(supportsAgents(caps), true);
  });
});

/**
 * Governance over LSP, for VS Code's "Agent Identities" view and any other editor:
 *   `scimAgents/inventory`      {groupBy?, server?: {endpoint?, token?}} → {inventory, groups}
 *   `scimAgents/identifyToken`  {jwt, server?: {endpoint?, token?}}     → Correlation
 * With `server`, the endpoint (argument, else the scimAgents.endpoint.url setting) is asked:
 * a plan (read-only) for provisioning state and owners, a subject filter for tokens. Untrusted
 * workspaces never call an endpoint. The JWT is decoded in memory and dropped: never logged,
 * echoed in an error, stored or sent (only its `sub` goes to the endpoint, in a filter).
 */
import { ResponseError, type Connection } from 'vscode-languageserver';
import { buildInventory, correlateToken, decodeJwt, groupInventory, lookupSubjectOnServer, TokenError, type Correlation, type GroupBy, type ServerSubjectResult } from '../governance';
import { buildPlan, connect, type Connection as ScimConnection } from '../provision';
import { isScimError } from '../scim';
import { scrubSecrets } from '../scim/redact';
import { ProvisioningError, readEndpointSettings, resolveAuth, resolveEndpoint } from './provisioning/endpoint';
import type { ServerState } from './state';
import { IDENTIFY_TOKEN_REQUEST, INVENTORY_REQUEST, type IdentifyTokenParams, type InventoryParams, type InventoryResult, type ServerArgument } from './governanceProtocol';

const INVALID_PARAMS = -32602;
const REQUEST_FAILED = -32803;

export function installGovernance(connection: Connection, state: ServerState): void {
  connection.onRequest(INVENTORY_REQUEST, (params: InventoryParams | undefined) =>
    guard(connection, INVENTORY_REQUEST, [params?.server?.token], async () => {
      const groupBy: GroupBy = params?.groupBy === 'owner' ? 'owner' : 'application';
      const conn = params?.server ? await open(connection, state, params.server) : undefined;
      const plan = conn ? await buildPlan(state.index, conn) : undefined;
      const inventory = buildInventory(state.index, plan ? { plan } : {});
      return { inventory, groupBy, groups: groupInventory(inventory, groupBy) } satisfies InventoryResult;
    }),
  );
  connection.onRequest(IDENTIFY_TOKEN_REQUEST, (params: IdentifyTokenParams | undefined) =>
    guard(connection, IDENTIFY_TOKEN_REQUEST, [params?.server?.token, params?.jwt], async (): Promise<Correlation> => {
      if (typeof params?.jwt !== 'string') throw new ResponseError(INVALID_PARAMS, 'identifyToken needs {jwt: string}.');
      let decoded;
      try {
        decoded = decodeJwt(params.jwt);
      } catch (e) {
        if (e instanceof TokenError) throw new ResponseError(INVALID_PARAMS, e.message, { part: e.part });
        throw e;
      }
      const inventory = buildInventory(state.index);
      let server: ServerSubjectResult | undefined;
      if (params.server) server = await lookupSubjectOnServer(await open(connection, state, params.server), decoded.sub, inventory);
      return correlateToken(inventory, decoded, server);
    }),
  );
}

async function open(connection: Connection, state: ServerState, arg: ServerArgument): Promise<ScimConnection> {
  if (!state.workspaceTrusted) throw new ProvisioningError('This workspace is not trusted: SCIM Agents never calls an endpoint from it.');
  let settings = {};
  try {
    settings = readEndpointSettings(await connection.workspace.getConfiguration('scimAgents'));
  } catch {
    // A client without workspace/configuration: the argument or the default endpoint.
  }
  const baseUrl = resolveEndpoint(arg.endpoint, settings);
  const { auth } = resolveAuth(arg.token);
  return connect({ baseUrl, auth, maxRetries: 3, timeoutMs: 30_000 });
}

/** Expected failures become a clear ResponseError; nothing reaches the log with a secret in it. */
async function guard<R>(connection: Connection, name: string, secrets: unknown[], run: () => Promise<R>): Promise<R> {
  try {
    return await run();
  } catch (e) {
    if (e instanceof ResponseError) throw e;
    const message = scrubSecrets((e as Error).message ?? String(e), secrets.filter((x): x is string => typeof x === 'string'));
    if (e instanceof ProvisioningError || isScimError(e)) throw new ResponseError(REQUEST_FAILED, message);
    connection.console.error(`${name} failed: ${message}`);
    throw new ResponseError(REQUEST_FAILED, `${name} failed: ${message}`);
  }
}

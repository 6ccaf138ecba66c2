/**
 * Governance over LSP, for VS Code's "Agent Identities" view and any other editor:
 *   `scimAgents/inventory`      {groupBy?, server?: {endpoint?, token?}} → {inventory, groups}
 *   `scimAgents/identifyToken`  {jwt, server?: {endpoint?, token?}}     → Correlation
 * With `server`, the endpoint (argument, else the user's machine setting sent by the client, else
 * SCIM_AGENTS_ENDPOINT, else the local sandbox; never workspace/configuration) is asked:
 * a plan (read-only) for provisioning state and owners, a subject filter for tokens. Untrusted
 * workspaces never call an endpoint. The JWT is decoded in memory and dropped: never logged,
 * echoed in an error, stored or sent (only its `sub` goes to the endpoint, in a filter).
 */
import { ResponseError, type Connection } from 'vscode-languageserver';
import {
  buildInventory,
  correlateToken,
  decodeJwt,
  groupInventory,
  lookupSubjectOnServer,
  TokenError,
  type Correlation,
  type GroupBy,
  type ServerSubjectResult,
} from '../governance';
import { buildPlan, connect, type Connection as ScimConnection } from '../provision';
import { scrubSecrets } from '../scim/redact';
import { ProvisioningError, resolveAuth, resolveEndpoint, type TrustedEndpoint } from './provisioning/endpoint';
import { describeFailure } from './provisioning/failure';
import type { ServerState } from './state';
import {
  IDENTIFY_TOKEN_REQUEST,
  INVENTORY_REQUEST,
  type IdentifyTokenParams,
  type InventoryParams,
  type InventoryResult,
  type ServerArgument,
} from './protocol';

const INVALID_PARAMS = -32602;
const REQUEST_FAILED = -32803;

export function installGovernance(connection: Connection, state: ServerState, endpoint: TrustedEndpoint): void {
  connection.onRequest(INVENTORY_REQUEST, (params: InventoryParams | undefined) =>
    guard(connection, INVENTORY_REQUEST, [params?.server?.token], async () => {
      const groupBy: GroupBy = params?.groupBy === 'owner' ? 'owner' : 'application';
      const conn = params?.server ? await open(state, endpoint, params.server) : undefined;
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
      if (params.server) server = await lookupSubjectOnServer(await open(state, endpoint, params.server), decoded.sub, inventory);
      return correlateToken(inventory, decoded, server);
    }),
  );
}

async function open(state: ServerState, endpoint: TrustedEndpoint, arg: ServerArgument): Promise<ScimConnection> {
  if (!state.workspaceTrusted) throw new ProvisioningError('This workspace is not trusted: SCIM Agents never calls an endpoint from it.', 'untrusted');
  const baseUrl = resolveEndpoint(arg.endpoint, endpoint.current());
  const { auth } = resolveAuth(arg.token);
  return connect({ baseUrl, auth, maxRetries: 3, timeoutMs: 30_000 });
}

/** Expected failures become a clear ResponseError; nothing reaches the log with a secret in it. */
async function guard<R>(connection: Connection, name: string, secrets: unknown[], run: () => Promise<R>): Promise<R> {
  try {
    return await run();
  } catch (e) {
    if (e instanceof ResponseError) throw e;
    const described = describeFailure(e);
    const message = scrubSecrets(
      (described as Error).message ?? String(e),
      secrets.filter((x): x is string => typeof x === 'string'),
    );
    if (described instanceof ProvisioningError) throw new ResponseError(REQUEST_FAILED, message, { kind: described.kind });
    connection.console.error(`${name} failed: ${message}`);
    throw new ResponseError(REQUEST_FAILED, `${name} failed: ${message}`);
  }
}

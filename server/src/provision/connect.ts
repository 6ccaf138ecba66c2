/** Opens a SCIM endpoint for provisioning: the client plus what discovery says the server can do. */
import { discoverCapabilities, ScimClient, type ScimClientOptions, type ServerCapabilities } from '../scim';

export interface Connection {
  client: ScimClient;
  capabilities: ServerCapabilities;
}

/**
 * Creates the client and runs discovery (ServiceProviderConfig, ResourceTypes, Schemas). Missing
 * discovery is "unknown", not a failure; If-Match is used only when the server says it supports ETags.
 */
export async function connect(options: ScimClientOptions): Promise<Connection> {
  const client = new ScimClient(options);
  return withCapabilities(client, await discoverCapabilities(client));
}

/**
 * The connection for a plan made earlier (the editor applies a plan it showed): the capabilities
 * the plan was made with, not discovered again, so what is applied is what was shown.
 */
export function reconnect(options: ScimClientOptions, capabilities: ServerCapabilities): Connection {
  return withCapabilities(new ScimClient(options), capabilities);
}

function withCapabilities(client: ScimClient, capabilities: ServerCapabilities): Connection {
  client.useEtags = capabilities.etag === true;
  return { client, capabilities };
}

/** `host[:port]` of the endpoint, for plan headers and confirmations (never the path or credentials). */
export function endpointHostOf(baseUrl: string): string {
  try {
    return new URL(baseUrl).host;
  } catch {
    return baseUrl;
  }
}

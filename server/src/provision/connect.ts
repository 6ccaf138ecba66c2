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
  const capabilities = await discoverCapabilities(client);
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

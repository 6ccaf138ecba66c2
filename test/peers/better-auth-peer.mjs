// A strict, production-style SCIM 2.0 peer for interop tests: better-auth with its SCIM plugin,
// in-memory database. Users and Groups only; eq-only filters, no Bulk, no sort, no ETag.
//
// Env: PORT (0 = any free port), TOKEN (bearer, default "test-token").
// Prints "listening <port>" on stdout once it accepts connections; base path is /api/auth/scim/v2.
import http from "node:http";
import { betterAuth } from "better-auth";
import { memoryAdapter } from "better-auth/adapters/memory";
import { toNodeHandler } from "better-auth/node";
import { scim } from "@better-auth/scim";

const token = process.env.TOKEN || "test-token";
let handle = (_req, res) => res.writeHead(503).end();
const server = http.createServer((req, res) => handle(req, res));

// The port must be known before better-auth is configured (it builds absolute locations from baseURL).
server.listen(Number(process.env.PORT ?? 8881), "127.0.0.1", async () => {
  const port = server.address().port;
  // A plain object: the memory adapter structuredClone()s the database per transaction.
  const db = {};
  const auth = betterAuth({
    baseURL: `http://127.0.0.1:${port}`,
    secret: "interop-peer-secret-that-is-long-enough-0123456789",
    database: memoryAdapter(db),
    telemetry: { enabled: false },
    plugins: [scim({
      connections: [{ id: "interop", credentials: [{ type: "bearer", id: "interop-credential", token }] }],
      compatibility: { microsoftEntra: { acceptLegacyGroupSchema: true } },
    })],
  });
  const context = await auth.$context;
  for (const table of Object.values(context.tables)) db[table.modelName] ??= [];
  handle = toNodeHandler(auth);
  console.log(`listening ${port}`);
});

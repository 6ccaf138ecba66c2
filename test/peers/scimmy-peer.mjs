// A real SCIM 2.0 peer for interop tests: scimmy + scimmy-routers on Express 4, in-memory storage.
// The glue only stores data and declares the two draft-abbey resource types; protocol handling
// (filters, PATCH, Bulk, paging, errors) is scimmy's own, quirks included.
//
// Env: PORT (0 = any free port), TOKEN (bearer, default "test-token"),
//      NO_AGENTS=1 (Users/Groups only), NO_EXPRESS_ETAG=1 (drop Express's automatic weak ETag).
// Prints "listening <port>" on stdout once it accepts connections; base path is /scim/v2.
import express from "express";
import crypto from "node:crypto";
import SCIMMY from "scimmy";
import SCIMMYRouters from "scimmy-routers";

const { Attribute, SchemaDefinition, Schema, Resource } = SCIMMY.Types;
const SCIMError = SCIMMY.Types.Error;
const token = process.env.TOKEN || "test-token";
const withAgents = !process.env.NO_AGENTS;

const attr = (type, name, config = {}, subAttributes) => new Attribute(type, name, config, subAttributes);
/** A complex reference attribute shaped like RFC 7643's group/member references. */
const reference = (name, referenceTypes, multiValued = false, extra = []) =>
  attr("complex", name, { multiValued }, [
    attr("string", "value"), attr("reference", "$ref", { referenceTypes }), attr("string", "display"), ...extra,
  ]);

/** In-memory storage for one resource type; the store (not scimmy) enforces uniqueness and meta.version. */
function createStore(uniqueAttribute) {
  const records = new Map();
  const versionOf = (record) => {
    const digest = crypto.createHash("sha1").update(JSON.stringify({ ...record, meta: undefined })).digest("hex");
    return `W/"${digest.slice(0, 16)}"`;
  };
  const sameKey = (a, b) => String(a).toLowerCase() === String(b).toLowerCase();
  return {
    ingress: async (resource, instance) => {
      const data = JSON.parse(JSON.stringify(instance)); // plain object with extension keys kept
      delete data.schemas;
      delete data.meta;
      const clash = [...records.values()].find((r) => r.id !== resource.id && sameKey(r[uniqueAttribute], data[uniqueAttribute]));
      if (clash) throw new SCIMError(409, "uniqueness", `${uniqueAttribute} '${data[uniqueAttribute]}' already in use`);
      const now = new Date();
      let record;
      if (resource.id) {
        const previous = records.get(resource.id);
        if (!previous) throw new SCIMError(404, null, `Resource ${resource.id} not found`);
        record = { ...data, id: resource.id, meta: { created: previous.meta.created, lastModified: now } };
      } else {
        record = { ...data, id: crypto.randomUUID(), meta: { created: now, lastModified: now } };
      }
      record.meta.version = versionOf(record);
      records.set(record.id, record);
      return record;
    },
    egress: async (resource) => {
      if (resource.id) {
        const record = records.get(resource.id);
        if (!record) throw new SCIMError(404, null, `Resource ${resource.id} not found`);
        return record;
      }
      const all = [...records.values()];
      return resource.filter ? resource.filter.match(all) : all;
    },
    degress: async (resource) => {
      if (!records.delete(resource.id)) throw new SCIMError(404, null, `Resource ${resource.id} not found`);
    },
  };
}

/** Declares a custom scimmy resource type, built the way scimmy's own User resource is. */
function defineResourceType({ name, endpoint, urn, description, attributes }) {
  const definition = new SchemaDefinition(name, urn, description, attributes);
  class TypeSchema extends Schema {
    static get id() { return definition.id; }
    static get definition() { return definition; }
    constructor(resource, direction = "both", basepath, filters) {
      super(resource, direction);
      Object.assign(this, definition.coerce(resource, direction, basepath, filters));
    }
  }
  let basepath;
  const handlers = {};
  class TypeResource extends Resource {
    static get endpoint() { return endpoint; }
    static basepath(path) {
      if (path === undefined) return basepath;
      basepath = path.endsWith(endpoint) ? path : `${path}${endpoint}`;
      return TypeResource;
    }
    static get schema() { return TypeSchema; }
    static ingress(handler) { handlers.ingress = handler; return TypeResource; }
    static egress(handler) { handlers.egress = handler; return TypeResource; }
    static degress(handler) { handlers.degress = handler; return TypeResource; }
    static describe() { return { ...super.describe(), id: name, name }; }
    out(record) { return new TypeSchema(record, "out", TypeResource.basepath(), this.attributes); }
    async read(ctx) {
      const source = await handlers.egress(this, ctx);
      if (this.id) return this.out([source].flat()[0]);
      return new SCIMMY.Messages.ListResponse(source.map((r) => this.out(r)), this.constraints);
    }
    async write(instance, ctx) {
      if (Object(instance) !== instance || Array.isArray(instance))
        throw new SCIMError(400, "invalidSyntax", "Expected request body payload to be single complex value");
      try {
        return this.out(await handlers.ingress(this, new TypeSchema(instance, "in"), ctx));
      } catch (error) {
        if (error instanceof SCIMError) throw error;
        if (error instanceof TypeError) throw new SCIMError(400, "invalidValue", error.message);
        throw error;
      }
    }
    async patch(message, ctx) {
      if (!this.id) throw new SCIMError(404, null, "PATCH operation must target a specific resource");
      const patched = await new SCIMMY.Messages.PatchOp(message)
        .apply(await this.read(ctx), async (instance) => await this.write(instance, ctx));
      return patched ? this.out(patched) : undefined;
    }
    async dispose(ctx) {
      if (!this.id) throw new SCIMError(404, null, "DELETE operation must target a specific resource");
      await handlers.degress(this, ctx);
    }
  }
  Object.defineProperty(TypeResource, "name", { value: name });
  return TypeResource;
}

// draft-abbey-scim-agent-extension-00, normalized: owners, subject, protocols, parent client-writable.
const Agent = defineResourceType({
  name: "Agent", endpoint: "/Agents", urn: "urn:ietf:params:scim:schemas:core:2.0:Agent", description: "Agent identities",
  attributes: [
    attr("string", "name", { required: true, uniqueness: "server" }),
    attr("string", "displayName"), attr("boolean", "active"), attr("string", "description"), attr("string", "agentType"),
    attr("string", "subject"),
    attr("complex", "entitlements", { multiValued: true }, [attr("string", "value"), attr("string", "display"), attr("string", "type"), attr("boolean", "primary")]),
    attr("complex", "roles", { multiValued: true }, [attr("string", "value"), attr("string", "display"), attr("string", "type"), attr("boolean", "primary")]),
    attr("complex", "groups", { multiValued: true, mutable: false }, [attr("string", "value"), attr("reference", "$ref", { referenceTypes: ["Group"] }), attr("string", "display"), attr("string", "type")]),
    reference("applications", ["AgenticApplication"], true, [attr("string", "type")]),
    attr("complex", "x509Certificates", { multiValued: true }, [attr("binary", "value"), attr("string", "display"), attr("string", "type"), attr("boolean", "primary")]),
    attr("complex", "protocols", { multiValued: true }, [attr("string", "type", { canonicalValues: ["A2A", "OpenAPI", "MCP-Server"] }), attr("reference", "specificationUrl", { referenceTypes: ["external"] })]),
    reference("parent", ["Agent"]),
    reference("owners", ["User", "Group"], true),
  ],
});
const AgenticApplication = defineResourceType({
  name: "AgenticApplication", endpoint: "/AgenticApplications", urn: "urn:ietf:params:scim:schemas:core:2.0:AgenticApplication",
  description: "Applications that host or provide access to agents",
  attributes: [
    attr("string", "name", { required: true, uniqueness: "server" }),
    attr("string", "displayName"), attr("string", "description"), attr("boolean", "active"), attr("dateTime", "lastAccessed"),
    attr("complex", "applicationUrls", { multiValued: true }, [attr("string", "type"), attr("boolean", "primary"), attr("string", "value"), attr("string", "description")]),
    attr("complex", "oAuthConfiguration", { multiValued: true }, [attr("string", "clientId"), attr("string", "description"), attr("string", "audienceUri"), attr("string", "issuerUri"), attr("string", "redirectUri", { multiValued: true })]),
    reference("agents", ["Agent"], true, [attr("string", "type", { canonicalValues: ["owned", "authorized", "guest"] })]),
    attr("complex", "externalIdentifiers", { multiValued: true }, [attr("string", "type"), attr("string", "value"), attr("string", "system")]),
  ],
});

SCIMMY.Resources.declare(SCIMMY.Resources.User, createStore("userName"));
SCIMMY.Resources.declare(SCIMMY.Resources.Group, createStore("displayName"));
if (withAgents) {
  SCIMMY.Resources.declare(Agent, createStore("name"));
  SCIMMY.Resources.declare(AgenticApplication, createStore("name"));
}

const app = express();
// Express's default weak ETag is a body hash that does not match meta.version (a quirk clients must survive).
if (process.env.NO_EXPRESS_ETAG) app.set("etag", false);
// scimmy's Config.set rejects unknown keys, so agentExtension is added to the response on its way out.
if (withAgents) {
  app.use("/scim/v2/ServiceProviderConfig", (_req, res, next) => {
    const send = res.send.bind(res);
    res.send = (body) => send(body && typeof body === "object" && !Buffer.isBuffer(body)
      ? { ...JSON.parse(JSON.stringify(body)), agentExtension: { supported: true, agentsSupported: true, agenticApplicationsSupported: true } }
      : body);
    next();
  });
}
// The router registers endpoints when constructed, so it comes after every declare().
app.use("/scim/v2", new SCIMMYRouters({
  type: "bearer",
  handler: (req) => {
    if (req.header("Authorization") !== `Bearer ${token}`) throw new Error("Authorization failed");
    return "admin";
  },
}));

const server = app.listen(Number(process.env.PORT ?? 8880), "127.0.0.1", () => {
  console.log(`listening ${server.address().port}`);
});

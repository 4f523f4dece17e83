import { describe, expect, it } from "vitest";
import { buildOpenApiDocument } from "./openapi";

type Json = Record<string, unknown>;

function refsIn(value: unknown, found: string[] = []): string[] {
  if (Array.isArray(value)) value.forEach((item) => refsIn(item, found));
  else if (typeof value === "object" && value !== null) {
    for (const [key, item] of Object.entries(value)) {
      if (key === "$ref" && typeof item === "string") found.push(item);
      else refsIn(item, found);
    }
  }
  return found;
}

function resolve(document: Json, pointer: string): unknown {
  expect(pointer.startsWith("#/")).toBe(true);
  return pointer
    .slice(2)
    .split("/")
    .map((part) => part.replace(/~1/g, "/").replace(/~0/g, "~"))
    .reduce<unknown>((node, part) => (typeof node === "object" && node !== null ? (node as Json)[part] : undefined), document);
}

describe("the OpenAPI document", () => {
  const document = buildOpenApiDocument();
  const paths = document.paths as Record<string, Record<string, Json>>;

  it("is OpenAPI 3.1 with bearer authentication", () => {
    expect(document.openapi).toBe("3.1.0");
    expect((document.components as Json).securitySchemes).toEqual({ bearerAuth: expect.objectContaining({ type: "http", scheme: "bearer" }) });
    expect(document.security).toEqual([{ bearerAuth: [] }]);
  });

  it("lists every endpoint of docs/agent-api.md", () => {
    expect(Object.keys(paths).sort()).toEqual(
      ["/api/v1/approvals/{id}", "/api/v1/decide", "/api/v1/directives/stream", "/api/v1/events", "/api/v1/health", "/api/v1/heartbeat", "/api/v1/openapi.json", "/api/v1/otlp/v1/traces"].sort(),
    );
    expect(Object.keys(paths["/api/v1/events"] ?? {})).toEqual(["post"]);
    expect(Object.keys(paths["/api/v1/approvals/{id}"] ?? {})).toEqual(["get"]);
    const approval = paths["/api/v1/approvals/{id}"]?.get as { parameters: { name: string; in: string }[] };
    expect(approval.parameters.map(({ name, in: where }) => `${where}:${name}`)).toEqual(["path:id", "query:waitMs"]);
  });

  it("gives every operation a 200 and, except the document itself, the error responses", () => {
    for (const [path, operations] of Object.entries(paths)) {
      for (const [method, operation] of Object.entries(operations)) {
        const statuses = Object.keys(operation.responses as Json);
        expect(statuses, `${method} ${path}`).toContain("200");
        if (path !== "/api/v1/openapi.json" && path !== "/api/v1/health") expect(statuses, `${method} ${path}`).toEqual(expect.arrayContaining(["401", "429"]));
      }
    }
    const events = paths["/api/v1/events"]?.post?.responses as Json;
    expect(Object.keys(events).sort()).toEqual(["200", "207", "400", "401", "413", "429"]);
    expect(Object.keys(paths["/api/v1/otlp/v1/traces"]?.post?.responses as Json)).toContain("415");
  });

  it("says OTLP takes and answers protobuf as well as JSON", () => {
    const otlp = paths["/api/v1/otlp/v1/traces"]?.post as { requestBody: { content: Json }; responses: { "200": { content: Json } } };
    expect(Object.keys(otlp.requestBody.content).sort()).toEqual(["application/json", "application/x-protobuf"]);
    expect(Object.keys(otlp.responses["200"].content).sort()).toEqual(["application/json", "application/x-protobuf"]);
  });

  it("resolves every $ref", () => {
    const refs = refsIn(document);
    expect(refs.length).toBeGreaterThan(20);
    for (const pointer of refs) expect(resolve(document, pointer), pointer).toBeDefined();
  });

  it("documents the events and the error shape from the zod schemas", () => {
    const schemas = (document.components as { schemas: Record<string, Json> }).schemas;
    const event = schemas.Event as { properties: Record<string, Json>; required: string[] };
    expect(event.required.sort()).toEqual(["id", "timestamp", "type"]);
    expect(event.properties.type?.enum).toEqual(["llm_call", "tool_call", "task_start", "task_end", "decision", "error", "log"]);
    expect((schemas.EventsRequest as { properties: { events: Json } }).properties.events).toMatchObject({ maxItems: 1000, minItems: 1 });
    const error = schemas.Error as { properties: { error: { properties: Record<string, Json> } } };
    expect(error.properties.error.properties.code?.enum).toEqual(expect.arrayContaining(["invalid_request", "unauthorized", "forbidden", "not_found", "payload_too_large", "rate_limited"]));
    expect(schemas.DecideRequest).toBeDefined();
    expect(schemas.OtlpSpan).toBeDefined();
    // No generator leftovers: components are plain schemas.
    expect(JSON.stringify(document)).not.toContain("__shared");
    expect(JSON.stringify(document)).not.toContain('"$schema"');
  });
});

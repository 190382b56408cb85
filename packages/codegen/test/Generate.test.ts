/**
 * The generator itself: committed modules are up to date and generation is deterministic; every
 * construct it cannot express fails with the spec location instead of producing wrong code.
 */
import { readFileSync } from "node:fs"
import { describe, expect, it } from "@effect/vitest"
import { generate, generateSource, repositoryRoot, targets } from "../src/Generate.ts"
import { readModel, UnsupportedSpecError } from "../src/Model.ts"
import type { OpenApiDocument } from "../src/Spec.ts"

const target = { name: "Test", spec: "test.yaml" }

/** A minimal document with one operation; `patch` overrides parts of it. */
const documentWith = (
  operation: Record<string, unknown>,
  components: Record<string, unknown> = {}
): OpenApiDocument => ({
  openapi: "3.1.0",
  info: { title: "Test", version: "1" },
  servers: [{ url: "https://api.test" }],
  paths: {
    "/items/{id}": {
      post: {
        operationId: "createItem",
        parameters: [{ name: "id", in: "path", required: true, schema: { type: "string" } }],
        responses: { "200": { description: "ok" } },
        ...operation
      }
    }
  },
  components
})

const failure = (document: OpenApiDocument): string => {
  try {
    generateSource(target, document)
  } catch (error) {
    expect(error).toBeInstanceOf(UnsupportedSpecError)
    return (error as Error).message
  }
  throw new Error("generation succeeded")
}

describe("generator", () => {
  for (const each of targets) {
    it(`the committed ${each.output} is what the spec generates`, async () => {
      const committed = readFileSync(`${repositoryRoot}${each.output}`, "utf8")
      expect(await generate(each)).toBe(committed)
    })
  }

  it("is deterministic", () => {
    const document = documentWith({
      requestBody: {
        required: true,
        content: { "application/json": { schema: { type: "object", properties: { a: { type: "string" } } } } }
      }
    })
    expect(generateSource(target, document)).toBe(generateSource(target, structuredClone(document)))
  })

  it("names inline schemas after the operation and reuses referenced components", () => {
    const model = readModel(
      documentWith(
        {
          requestBody: {
            content: { "application/json": { schema: { type: "object", properties: { a: { type: "string" } } } } }
          },
          responses: {
            "200": {
              description: "ok",
              content: { "application/json": { schema: { $ref: "#/components/schemas/Item" } } }
            },
            "404": { description: "no", content: { "application/json": { schema: { type: "object" } } } }
          }
        },
        { schemas: { Item: { type: "object", properties: { id: { type: "string" } } } } }
      )
    )
    expect(model.schemas.map((schema) => schema.name)).toEqual([
      "Item",
      "CreateItemParams",
      "CreateItemRequest",
      "CreateItem404Error"
    ])
    const [operation] = model.operations
    expect(operation!.success).toEqual([
      { status: "200", kind: "json", mediaType: "application/json", schemaName: "Item" }
    ])
    expect(operation!.payload).toEqual({
      schemaName: "CreateItemRequest",
      required: false,
      encoding: "json",
      binaryFields: []
    })
  })

  it("refuses cookie parameters", () => {
    const message = failure(
      documentWith({
        parameters: [
          { name: "id", in: "path", required: true, schema: { type: "string" } },
          { name: "session", in: "cookie", schema: { type: "string" } }
        ]
      })
    )
    expect(message).toContain("createItem")
    expect(message).toContain("cookie")
  })

  it("refuses a path parameter the operation does not declare", () => {
    expect(failure(documentWith({ parameters: [] }))).toContain('path parameter "id" is not declared')
  })

  it("refuses request bodies that are neither JSON nor multipart form data", () => {
    const message = failure(
      documentWith({
        requestBody: { content: { "application/x-www-form-urlencoded": { schema: { type: "object" } } } }
      })
    )
    expect(message).toContain("application/json or multipart/form-data")
  })

  it("reads a multipart body: its binary fields become file parts, left out of the validated schema", () => {
    const schema = {
      type: "object",
      additionalProperties: false,
      required: ["file", "kind"],
      properties: { file: { type: "string", format: "binary" }, kind: { type: "string" } }
    }
    const model = readModel(documentWith({ requestBody: { content: { "multipart/form-data": { schema } } } }))
    const [operation] = model.operations
    expect(operation!.payload).toEqual({
      schemaName: "CreateItemRequest",
      required: false,
      encoding: "multipart",
      binaryFields: ["file"]
    })
    const validated = model.schemas.find((named) => named.name === "CreateItemRequest")!.schema
    expect(validated).toMatchObject({ properties: { kind: { type: "string" } }, required: ["kind"] })
    expect(Object.keys(validated.properties as object)).toEqual(["kind"])
  })

  it("refuses an optional file part (the client types every file part as required)", () => {
    const schema = { type: "object", properties: { file: { type: "string", format: "binary" } } }
    expect(failure(documentWith({ requestBody: { content: { "multipart/form-data": { schema } } } }))).toContain(
      'the file part "file" must be required'
    )
  })

  it("refuses names that clash with each other or with the generated module's own", () => {
    expect(failure(documentWith({}, { schemas: { Effect: { type: "string" } } }))).toContain('"Effect" is reserved')
    expect(failure(documentWith({}, { schemas: { TestClient: { type: "string" } } }))).toContain(
      '"TestClient" is reserved'
    )
    expect(failure(documentWith({}, { schemas: { item: { type: "string" } } }))).toContain("PascalCase")
    expect(failure(documentWith({}, { schemas: { Schema: { type: "string" } } }))).toContain('"Schema" is reserved')
    expect(failure(documentWith({}, { schemas: { CreateItemParams: { type: "string" } } }))).toContain(
      '"CreateItemParams" is already used'
    )
    expect(failure(documentWith({}, { schemas: { "Bad-Name": { type: "string" } } }))).toContain("PascalCase")
  })

  it("refuses recursive schemas", () => {
    const message = failure(
      documentWith(
        {},
        {
          schemas: {
            Node: {
              type: "object",
              properties: { children: { type: "array", items: { $ref: "#/components/schemas/Node" } } }
            }
          }
        }
      )
    )
    expect(message).toContain("recursive")
  })

  it("refuses unsupported security schemes", () => {
    const document = documentWith({}, { securitySchemes: { Basic: { type: "http", scheme: "basic" } } })
    expect(failure(document)).toContain("Basic")
  })
})

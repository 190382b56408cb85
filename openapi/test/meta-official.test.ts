/**
 * Our Meta spec against Meta's own OpenAPI document (a byte-for-byte copy kept as a fixture): every
 * operation we describe is one of Meta's, at the same method and path, with every parameter Meta
 * requires; and Meta's own request and answer examples for those operations validate against our
 * schemas. Where Meta's example is wrong, or outside what we describe, the exception is listed below
 * with its reason, and the test fails if a listed exception starts to pass (so the list stays true).
 */
import { createHash } from "node:crypto"
import { readFileSync } from "node:fs"
import { fileURLToPath } from "node:url"
import { loadSpec, type OpenApiDocument } from "@pombo/codegen/Spec"
import { deref, makeValidator, operationsOf } from "@pombo/codegen/SpecCheck"
import { beforeAll, describe, expect, it } from "vitest"
import { parse } from "yaml"

const fixture = fileURLToPath(new URL("./fixtures/meta/business-messaging-api_v23.0.yaml", import.meta.url))
const ours = fileURLToPath(new URL("../meta.yaml", import.meta.url))

/** Meta's paths carry the Graph version as a path parameter; ours carry it in the server URL. */
const metaPath = (path: string): string => `/{Version}${path}`

/** Parameters Meta declares that our document carries elsewhere: the version (server URL) and headers. */
const carriedElsewhere = new Set(["Version", "Authorization", "User-Agent", "Content-Type", "Accept"])

/**
 * Meta's examples that do not validate against our schemas, keyed `operationId request|response <media
 * type> <example name>`, each with the reason we do not follow it.
 */
const exceptions: Record<string, string> = {
  "sendMessage request application/json Send Text Message with Preview URL":
    "No `type`: Meta's API defaults a missing type to text, but our request schema requires `type` on every branch so that the body says what it is (Pombo always sends it).",
  "sendMessage request application/json Send Reply to List Message":
    "No `type: interactive` although the body is an interactive list: the same omission, which Meta's API would read as a text message without `text`.",
  "sendMessage request application/json Send Order Details Message":
    "`interactive.type: order_details` (payments) is outside Meta's own `InteractiveObject.type` enum (business-messaging-api_v23.0.yaml:2284-2300) and outside Pombo's scope.",
  "sendMessage request application/json Send Order Status Message":
    "`interactive.type: order_status` (payments) is outside Meta's own `InteractiveObject.type` enum (business-messaging-api_v23.0.yaml:2284-2300) and outside Pombo's scope.",
  "sendMessage request application/json Send Multi-Product Message":
    "`header.type` is the placeholder `<HEADER_TYPE>`, not one of the header types of Meta's own `HeaderObject` (business-messaging-api_v23.0.yaml:2310-2340).",
  "sendMessage request application/json Send Sample Issue Resolution Template":
    "Quick-reply button parameters `{type: text, text: true}` / `text: false`: YAML booleans where Meta's `ButtonTextParameter.text` is a string (business-messaging-api_v23.0.yaml:1908-1921), and a quick reply takes a `payload` parameter.",
  "sendMessage request application/json Send Catalog Template Message":
    "`sub_type: CATALOG` in capitals, where Meta's own enum says `catalog` (business-messaging-api_v23.0.yaml:1639-1645); whether Graph also takes capitals is not documented, and Pombo sends the enum's spelling.",
  "uploadMedia request application/json Upload Audio":
    "Meta's `application/json` variant of the upload holds curl's `-F file=@/local/path/file.ogg;type=ogg` notation as a string; the upload is multipart/form-data, the only body we describe.",
  "uploadMedia request application/json Upload Image":
    "Meta's `application/json` variant of the upload holds curl's `-F file=@…` notation as a string; the upload is multipart/form-data, the only body we describe.",
  "uploadMedia request application/json Upload Sticker":
    "Meta's `application/json` variant of the upload holds curl's `-F file=@…` notation as a string; the upload is multipart/form-data, the only body we describe."
}

interface MetaExample {
  readonly key: string
  readonly value: unknown
  readonly pointer: string | undefined
}

const escapePointer = (segment: string): string => segment.replaceAll("~", "~0").replaceAll("/", "~1")

describe("Meta spec against Meta's official document", () => {
  let official: OpenApiDocument
  let document: OpenApiDocument

  beforeAll(async () => {
    official = parse(readFileSync(fixture, "utf8"))
    document = await loadSpec(ours)
  })

  /** Meta's operation for one of ours, resolved through Meta's document. */
  const metaOperationOf = (path: string, method: string): Record<string, any> | undefined =>
    official.paths?.[metaPath(path)]?.[method]

  it("keeps the fixture a byte-for-byte copy of Meta's file (git blob c9dc214 of facebook/openapi @ ecba623)", () => {
    const bytes = readFileSync(fixture)
    const blob = createHash("sha1").update(`blob ${bytes.length}\0`).update(bytes).digest("hex")
    expect(blob).toBe("c9dc2144b04ee4fbf0e0fb6f96b435bc66881be1")
  })

  it("describes only operations of Meta's document, at the same method and path", () => {
    const operations = operationsOf(document).filter((op) => op.kind === "path")
    const missing = operations
      .filter((op) => metaOperationOf(op.key, op.method) === undefined)
      .map((op) => `${op.method.toUpperCase()} ${metaPath(op.key)} (${op.operationId})`)
    expect(missing).toEqual([])
    expect(operations.length).toBeGreaterThanOrEqual(11)
  })

  it("declares every parameter Meta requires", () => {
    const lacking: Array<string> = []
    for (const op of operationsOf(document).filter((o) => o.kind === "path")) {
      const metaItem = official.paths[metaPath(op.key)]
      const metaOp = metaOperationOf(op.key, op.method)!
      const metaParameters = [...(metaItem.parameters ?? []), ...(metaOp.parameters ?? [])].map((p) =>
        deref(official, p)
      )
      for (const parameter of metaParameters) {
        if (!parameter.required || carriedElsewhere.has(parameter.name)) continue
        if (
          !op.parameters.some(
            (ourParameter) => ourParameter.name === parameter.name && ourParameter.in === parameter.in
          )
        )
          lacking.push(`${op.operationId}: ${parameter.in} ${parameter.name}`)
      }
    }
    expect(lacking).toEqual([])
  })

  it("accepts Meta's own request and answer examples, except the documented ones", () => {
    const validate = makeValidator(document)
    const failing = new Map<string, string>()
    let checked = 0
    for (const op of operationsOf(document).filter((o) => o.kind === "path")) {
      const metaOp = metaOperationOf(op.key, op.method)!
      const examples: Array<MetaExample> = []
      const collect = (
        label: string,
        content: Record<string, any> | undefined,
        ourContent: Record<string, any> | undefined,
        ourPointer: string
      ) => {
        for (const [mediaType, media] of Object.entries<any>(content ?? {})) {
          const named = Object.entries<any>(media.examples ?? {}).map(([name, example]) => [
            name,
            deref(official, example)?.value
          ])
          if ("example" in media) named.push(["(example)", media.example])
          for (const [name, value] of named) {
            examples.push({
              key: `${op.operationId} ${label} ${mediaType} ${name}`,
              value,
              pointer: ourContent?.[mediaType] ? `${ourPointer}/content/${escapePointer(mediaType)}/schema` : undefined
            })
          }
        }
      }
      const ourBody = op.operation.requestBody
      collect(
        "request",
        deref(official, metaOp.requestBody)?.content,
        deref(document, ourBody)?.content,
        ourBody?.$ref ? ourBody.$ref.slice(1) : `${op.pointer.slice(1)}/requestBody`
      )
      for (const [status, metaResponse] of Object.entries<any>(metaOp.responses ?? {})) {
        const ourResponse = op.operation.responses?.[status]
        if (!status.startsWith("2") || ourResponse === undefined) continue
        collect(
          "response",
          deref(official, metaResponse)?.content,
          deref(document, ourResponse)?.content,
          ourResponse.$ref ? ourResponse.$ref.slice(1) : `${op.pointer.slice(1)}/responses/${escapePointer(status)}`
        )
      }
      for (const example of examples) {
        checked++
        const errors =
          example.pointer === undefined ? "media type not described" : validate(example.pointer, example.value)
        if (errors !== undefined) failing.set(example.key, errors)
      }
    }
    const unexpected = [...failing].filter(([key]) => !(key in exceptions)).map(([key, errors]) => `${key}: ${errors}`)
    expect(unexpected).toEqual([])
    const stale = Object.keys(exceptions).filter((key) => !failing.has(key))
    expect(stale).toEqual([])
    expect(checked).toBeGreaterThan(100)
  })
})

/**
 * Meta's webhook shapes are told apart without a discriminator: each kind's schema requires what only
 * that kind has (the change's `field`, and for messages the `type` and its content key). These tests
 * pin that every documented sample is recognised as its own kind and as no other, while the shared
 * envelope accepts them all.
 */
import { fileURLToPath } from "node:url"
import { loadSpec, type OpenApiDocument } from "@pombo/codegen/Spec"
import { deref, makeValidator, operationsOf } from "@pombo/codegen/SpecCheck"
import { beforeAll, describe, expect, it } from "vitest"

const ours = fileURLToPath(new URL("../meta.yaml", import.meta.url))

/** The envelope every notification shares; the other webhooks are kinds of it. */
const envelope = "notification"

describe("Meta webhook kinds", () => {
  let document: OpenApiDocument
  let kinds: Array<{ name: string; pointer: string; examples: Array<[string, unknown]> }>

  beforeAll(async () => {
    document = await loadSpec(ours)
    kinds = operationsOf(document)
      .filter((op) => op.kind === "webhook")
      .map((op) => {
        const content = deref(document, op.operation.requestBody).content["application/json"]
        return {
          name: op.key,
          pointer: `${op.pointer.slice(1)}/requestBody/content/application~1json/schema`,
          examples: Object.entries<any>(content.examples ?? {}).map(([name, example]) => [
            name,
            deref(document, example).value
          ])
        }
      })
  })

  it("recognises every sample as its own kind and as no other", () => {
    const validate = makeValidator(document)
    const confusions: Array<string> = []
    const specific = kinds.filter((kind) => kind.name !== envelope)
    for (const kind of specific) {
      for (const [name, value] of kind.examples) {
        const matching = specific.filter((other) => validate(other.pointer, value) === undefined).map((k) => k.name)
        if (matching.length !== 1 || matching[0] !== kind.name) confusions.push(`${kind.name}/${name} → ${matching}`)
      }
    }
    expect(confusions).toEqual([])
    expect(specific.length).toBeGreaterThanOrEqual(24)
  })

  it("accepts every sample with the shared envelope, and only samples of a known kind are listed there", () => {
    const all = kinds.find((kind) => kind.name === envelope)!
    const specificNames = kinds
      .filter((kind) => kind.name !== envelope)
      .flatMap((kind) => kind.examples.map(([n]) => n))
    expect(all.examples.map(([name]) => name).sort()).toEqual([...specificNames].sort())
    expect(specificNames.length).toBeGreaterThanOrEqual(51)
  })

  it("rejects a payload that is not a WhatsApp Business Account notification", () => {
    const validate = makeValidator(document)
    const all = kinds.find((kind) => kind.name === envelope)!
    expect(validate(all.pointer, { object: "page", entry: [] })).toBeDefined()
    expect(validate(all.pointer, { object: "whatsapp_business_account" })).toBeDefined()
  })
})

/**
 * Mega-API wiring for the tests: the provider over `@pombo/testing`'s recording fake `HttpClient`,
 * with test credentials, plus the spec's own response examples to answer with.
 */
import { readdirSync, readFileSync } from "node:fs"
import { fileURLToPath } from "node:url"
import { RetryPolicy, type WhatsApp } from "@pombo/core"
import { Layer, Redacted } from "effect"
import { HttpClient } from "effect/http"
import { parse } from "yaml"
import * as MegaApiClient from "../src/MegaApiClient.ts"
import * as MegaApiWhatsApp from "../src/MegaApiWhatsApp.ts"

/** The token every test configures; it must never show up in an error, log or span. */
export const token = "SECRET-TOKEN-123"
/** An instance key with a character that must be encoded in the path. */
export const instanceKey = "megaapi-MDa1 b2"
export const encodedKey = "megaapi-MDa1%20b2"
export const baseUrl = "https://mega.test"

/** Retries without waiting, so the tests need no clock. */
export const fastRetry: RetryPolicy.RetryPolicy = { ...RetryPolicy.defaults, baseDelay: 0, maxDelay: 0 }

/** The provider over a fake `HttpClient`. */
export const providerLayer = (
  client: HttpClient.HttpClient,
  options: Partial<MegaApiClient.Options> = {}
): Layer.Layer<WhatsApp.WhatsApp | MegaApiClient.MegaApiClient> =>
  Layer.provideMerge(
    MegaApiWhatsApp.layer,
    MegaApiClient.layer({ instanceKey, token: Redacted.make(token), baseUrl, retry: fastRetry, ...options })
  ).pipe(Layer.provide(Layer.succeed(HttpClient.HttpClient, client)))

const specDir = fileURLToPath(new URL("../../../openapi/megaapi/", import.meta.url))

interface OperationNode {
  readonly operationId?: string
  readonly responses?: Record<
    string,
    { readonly content?: Record<string, { readonly examples?: Record<string, { readonly value: unknown }> }> }
  >
}

interface SpecFile {
  readonly components?: { readonly pathItems?: Record<string, Record<string, OperationNode>> }
}

const successExamples = (() => {
  const byOperation = new Map<string, Array<unknown>>()
  for (const file of readdirSync(specDir).filter((name) => name.endsWith(".yaml"))) {
    const document = parse(readFileSync(specDir + file, "utf8")) as SpecFile
    for (const item of Object.values(document.components?.pathItems ?? {})) {
      for (const operation of Object.values(item)) {
        const examples = operation?.responses?.["200"]?.content?.["application/json"]?.examples
        if (operation?.operationId && examples) {
          byOperation.set(
            operation.operationId,
            Object.values(examples).map((example) => example.value)
          )
        }
      }
    }
  }
  return byOperation
})()

/** The `index`th 200 example the spec documents for `operationId`. */
export const example = (operationId: string, index = 0): unknown => {
  const value = successExamples.get(operationId)?.[index]
  if (value === undefined) throw new Error(`the spec has no 200 example #${index} for ${operationId}`)
  return structuredClone(value)
}

/**
 * `pombo/node`: what a Node.js program needs around Pombo — `NodeRuntime.runMain`, which runs the
 * program, interrupts it on SIGINT/SIGTERM and prints a failure (a missing environment variable
 * included) readably before exiting non-zero; and `layerConfig`, `Pombo.layerConfig` over undici.
 * Kept out of the main entry so it needs no Node types.
 */

import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import type { WhatsApp } from "@pombo/core"
import { type Config, Layer } from "effect"
import type { HttpClient } from "effect/http"
import * as Pombo from "./Pombo.ts"

/** Runs an Effect as the Node process's main program. */
export * as NodeRuntime from "@effect/platform-node-shared/NodeRuntime"

/**
 * The HTTP client Pombo sends with on Node: undici's `request` through effect's
 * `NodeHttpClient.layerUndici`, which costs about half the CPU per request of `fetch` (itself
 * undici, behind the WHATWG `Request`/`Response` layer). Its connections close when the layer is
 * released.
 */
export const httpClient: Layer.Layer<HttpClient.HttpClient> = NodeHttpClient.layerUndici

/**
 * `Pombo.layerConfig` on Node: the vendor named by `WHATSAPP_PROVIDER`, configured from that
 * vendor's variables, sending through `httpClient`.
 */
export const layerConfig: Layer.Layer<WhatsApp.WhatsApp, Config.ConfigError> = Pombo.layerConfigWithoutHttpClient.pipe(
  Layer.provide(httpClient)
)

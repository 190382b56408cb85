/**
 * Transport failures through the real HttpClient implementations: a request to a closed local
 * port provably never reached a server, and every implementation must say so (`notSent`).
 */
import { createServer } from "node:net"
import { NodeHttpClient } from "@effect/platform-node"
import { describe, expect, it } from "@effect/vitest"
import { Effect, type Layer, Redacted } from "effect"
import { FetchHttpClient, HttpClient } from "effect/http"
import * as Fixture from "./generated/Fixture.ts"

/** A localhost port nothing listens on: bound by the OS, then released. */
const closedPort = Effect.promise(
  () =>
    new Promise<number>((resolve, reject) => {
      const server = createServer()
      server.once("error", reject)
      server.listen(0, "127.0.0.1", () => {
        const address = server.address()
        server.close(() => (typeof address === "object" && address ? resolve(address.port) : reject(new Error())))
      })
    })
)

const implementations: ReadonlyArray<readonly [string, Layer.Layer<HttpClient.HttpClient>]> = [
  ["FetchHttpClient", FetchHttpClient.layer],
  ["NodeHttpClient.layerUndici", NodeHttpClient.layerUndici],
  ["NodeHttpClient.layerNodeHttp", NodeHttpClient.layerNodeHttp]
]

describe("generated client: transport", () => {
  for (const [name, layer] of implementations) {
    it.live(`${name}: a closed port gives TransportError with notSent, and nothing about the URL`, () =>
      Effect.gen(function* () {
        const port = yield* closedPort
        const client = Fixture.make(yield* HttpClient.HttpClient, {
          baseUrl: `http://127.0.0.1:${port}`,
          instanceId: "instance",
          token: Redacted.make("SECRET-TOKEN"),
          clientToken: Redacted.make("CLIENT-SECRET")
        })
        const error = yield* Effect.flip(client.sendText({ payload: { phone: "55", message: "hi" } }))
        expect(error).toMatchObject({
          _tag: "ClientTransportError",
          operationId: "sendText",
          reason: "TransportError (ECONNREFUSED)",
          notSent: true
        })
        for (const rendering of [String(error), JSON.stringify(error), error.stack ?? ""]) {
          expect(rendering).not.toContain("SECRET")
          expect(rendering).not.toContain(String(port))
        }
      }).pipe(Effect.provide(layer))
    )
  }
})

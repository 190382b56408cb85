/**
 * `@pombo/testing`: contract-test a Pombo integration offline, against Prism mock servers that
 * serve the same OpenAPI documents the providers are generated from.
 */

/** The conformance suite every provider must pass, runnable against your own. */
export * as Conformance from "./Conformance.ts"
/** Every vendor's mock at once, on fixed ports (`pombo mock`). */
export * as MockServers from "./MockServers.ts"
/** Real providers pointed at in-process mocks of their vendors. */
export * as MockWhatsApp from "./MockWhatsApp.ts"
/** Throwaway PostgreSQL clusters for tests that need a real database. */
export * as PostgresServer from "./PostgresServer.ts"
/** In-process Prism mock servers. */
export * as PrismServer from "./PrismServer.ts"
/** A recording fake `HttpClient`, shared by every provider's tests. */
export * as RecordingHttpClient from "./RecordingHttpClient.ts"

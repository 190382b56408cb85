/**
 * `@pombo/testing`: contract-test a Pombo integration offline, against Prism mock servers that
 * serve the same OpenAPI documents the providers are generated from.
 */

/** In-process Prism mock servers. */
export * as PrismServer from "./PrismServer.ts"

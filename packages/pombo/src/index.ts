/**
 * `pombo`: everything an application needs — the core API, both providers, and the layer that
 * picks the provider from the environment.
 */

/** The provider-agnostic API. */
export * from "@pombo/core"
/** The Mega-API provider. */
export * as MegaApi from "@pombo/megaapi"
/** The Z-API provider. */
export * as ZApi from "@pombo/zapi"
/** The config-driven provider choice. */
export * as Pombo from "./Pombo.ts"

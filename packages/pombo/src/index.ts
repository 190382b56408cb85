/**
 * `pombo`: everything an application needs — the core API, the three providers, and the layer that
 * picks the provider from the environment.
 */

/** The provider-agnostic API. */
export * from "@pombo/core"
/** The Mega-API provider. */
export * as MegaApi from "@pombo/megaapi"
/** The provider for Meta's official WhatsApp Cloud API. */
export * as Meta from "@pombo/meta"
/** The Z-API provider. */
export * as ZApi from "@pombo/zapi"
/** The config-driven provider choice. */
export * as Pombo from "./Pombo.ts"

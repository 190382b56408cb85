/**
 * `pombo`: everything an application needs — the core API and the layer that picks the provider
 * from the environment. The providers themselves are `pombo/megaapi`, `pombo/zapi` and `pombo/meta`, so that
 * importing `pombo` loads no vendor's generated client; `Pombo.layerConfig` loads the configured one.
 * The webhook receiver is `pombo/receiver`, so that a process that only sends never loads it.
 */

/** The provider-agnostic API. */
export * from "@pombo/core"
/** The config-driven provider choice. */
export * as Pombo from "./Pombo.ts"

/**
 * `pombo/meta`: the provider for Meta's official WhatsApp Cloud API — its `WhatsApp` layers,
 * webhook decoder and signature check, errors and generated client (`import * as Meta from
 * "pombo/meta"`). Kept out of the main entry so a process loads a vendor's generated client only
 * when it uses that vendor.
 */

/** The Meta Cloud API provider (`@pombo/meta`). */
export * from "@pombo/meta"

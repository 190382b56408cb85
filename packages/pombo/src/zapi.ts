/**
 * `pombo/zapi`: the Z-API provider — its `WhatsApp` layers, webhook decoder, errors and generated
 * client (`import * as ZApi from "pombo/zapi"`). Kept out of the main entry so a process loads a
 * vendor's generated client only when it uses that vendor.
 */

/** The Z-API provider (`@pombo/zapi`). */
export * from "@pombo/zapi"

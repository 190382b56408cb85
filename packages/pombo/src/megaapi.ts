/**
 * `pombo/megaapi`: the Mega-API provider — its `WhatsApp` layers, webhook decoder, errors and
 * generated client (`import * as MegaApi from "pombo/megaapi"`). Kept out of the main entry so a
 * process loads a vendor's generated client only when it uses that vendor.
 */

/** The Mega-API provider (`@pombo/megaapi`). */
export * from "@pombo/megaapi"

import { ChatId } from "@pombo/core"
import { inject } from "vitest"
import { MockWhatsApp } from "../src/index.ts"
import { conformance } from "./conformance.ts"

const urls = inject("mockUrls")
const group = new ChatId.Group({ id: "120363019502650977" })

conformance("megaapi over its Prism mock", MockWhatsApp.layer("megaapi", { baseUrl: urls.megaapi }), group)
conformance("zapi over its Prism mock", MockWhatsApp.layer("zapi", { baseUrl: urls.zapi }), group)

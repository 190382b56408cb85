import { webhookExamples } from "./adapters/spec.ts"
import { decodeBytes } from "./adapters/decode.ts"
const vendor = (process.argv[2] ?? "zapi") as any
const ex = (await webhookExamples(vendor)).map((e) => new Uint8Array(e.bytes))
const dec = decodeBytes(vendor)
const t = Date.now()
while (Date.now() - t < 8000) for (const b of ex) for (let i = 0; i < 50; i++) dec(b)

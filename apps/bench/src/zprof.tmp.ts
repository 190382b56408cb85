import { webhookExamples } from "./adapters/spec.ts"
import { decodeBytes } from "./adapters/decode.ts"
const vendor = (process.argv[2] ?? "zapi") as any
const ex = await webhookExamples(vendor)
const dec = decodeBytes(vendor)
const utf8 = new TextDecoder()
const rows: Array<[string, number, number]> = []
const cpu = () => { const u = process.cpuUsage(); return u.user + u.system }
for (const e of ex) {
  const b = new Uint8Array(e.bytes)
  for (let i = 0; i < 2000; i++) { dec(b); JSON.parse(utf8.decode(b)) }
  const rs: number[] = []; let dd = 0, pp = 0
  for (let r = 0; r < 7; r++) {
    const n = 3000
    let t = cpu(); for (let i = 0; i < n; i++) JSON.parse(utf8.decode(b)); const p = (cpu() - t) / n
    t = cpu(); for (let i = 0; i < n; i++) dec(b); const d = (cpu() - t) / n
    rs.push(d / p); dd += d; pp += p
  }
  rs.sort((a, b) => a - b)
  rows.push([e.name, rs[3]!, dd / 7])
}
rows.sort((a, b) => a[1] - b[1])
for (const r of rows) console.log(r[1].toFixed(2).padStart(7), (r[2]).toFixed(2).padStart(7) + "µs", r[0])
console.log("median", rows[Math.floor(rows.length / 2)]![1].toFixed(2))

/**
 * The cold-start floor: a script that sends the request Pombo's first send sent
 * (`BENCH_REQUEST`) with the platform's `fetch`, reads the answer, and prints its CPU time and
 * peak RSS. With `BENCH_PRELOAD` (module names, comma-separated) it imports those first: the
 * floor of any library built on them, e.g. `effect,effect/http`.
 */
for (const name of (process.env.BENCH_PRELOAD ?? "").split(",").filter((name) => name !== "")) await import(name)
const request = JSON.parse(process.env.BENCH_REQUEST ?? "{}") as {
  url: string
  method: string
  headers: Record<string, string>
  body: string
}
const response = await fetch(request.url, { method: request.method, headers: request.headers, body: request.body })
await response.json()
if (!response.ok) throw new Error(`the stand-in answered ${response.status}`)
const cpu = process.cpuUsage()
process.stdout.write(
  JSON.stringify({ cpuMs: (cpu.user + cpu.system) / 1000, maxRssKiB: process.resourceUsage().maxRSS })
)
process.exit(0)

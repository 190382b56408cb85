/**
 * `pombo outbox status|tail`, run as a user runs them, against an outbox this test process writes
 * to on each store (a SQLite file, a Postgres database): the status of one send, every change
 * another process makes as it happens, `--json` shapes, clear failures, and no store URL printed.
 */
import { type ChildProcess, execFile, spawn } from "node:child_process"
import { mkdtempSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { fileURLToPath } from "node:url"
import { ChatId } from "@pombo/core"
import { Outbox } from "@pombo/outbox"
import { Context, Effect, Layer } from "effect"
import { describe, expect, it, vi } from "vitest"
import { clientOf, type Location } from "../../testing/test/location.ts"
import { stores } from "../../testing/test/stores.ts"

vi.setConfig({ testTimeout: 120_000 })

const bin = fileURLToPath(new URL("../src/bin.ts", import.meta.url))

interface Run {
  readonly code: number
  readonly stdout: string
  readonly stderr: string
}

const pombo = (args: ReadonlyArray<string>, env: Record<string, string> = {}) =>
  new Promise<Run>((resolve) => {
    execFile(
      process.execPath,
      [bin, ...args],
      { cwd: mkdtempSync(join(tmpdir(), "pombo-cli-")), env: { PATH: process.env.PATH, ...env } },
      (error, stdout, stderr) => resolve({ code: error === null ? 0 : Number(error.code ?? 1), stdout, stderr })
    )
  })

const until = async (condition: () => boolean) => {
  for (let i = 0; i < 2_400 && !condition(); i++) await new Promise((resolve) => setTimeout(resolve, 25))
}

const order = (key: string) =>
  ({
    key,
    number: "zapi:3C01A7",
    operation: "sendText",
    input: { to: new ChatId.Contact({ phone: "5511987654321" }), text: "Seu pedido foi confirmado" }
  }) as const

const textOf = (location: Location) => ("sqlite" in location ? location.sqlite : location.postgres)

for (const store of stores) {
  describe.skipIf(store.unavailable !== undefined)(`pombo outbox on ${store.name}`, () => {
    it("status: one send's state, as a line or JSON; tail: each change another process makes", async () => {
      await Effect.runPromise(
        Effect.scoped(
          Effect.gen(function* () {
            const location = yield* store.location
            const context = yield* Layer.build(Layer.provide(Outbox.layer(), clientOf(location)))
            const outbox = Context.get(context, Outbox.Outbox)
            yield* outbox.send(order("order-1"))
            const env = { POMBO_OUTBOX_STORE: textOf(location) }

            const [json, human, missing] = yield* Effect.promise(() =>
              Promise.all([
                pombo(["outbox", "status", "order-1", "--json"], env),
                pombo(["outbox", "status", "order-1"], env),
                pombo(["outbox", "status", "nope"], env)
              ])
            )
            expect(json).toMatchObject({ code: 0, stderr: "" })
            expect(JSON.parse(json.stdout)).toEqual({
              key: "order-1",
              number: "zapi:3C01A7",
              recipient: "+5511987654321",
              operation: "sendText",
              state: "queued",
              attempts: 0,
              uncertainAttempts: 0,
              createdAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
              updatedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/)
            })
            expect(human.stdout).toMatch(
              /^\d\d:\d\d:\d\d · order-1 queued +zapi:3C01A7 → \+5511987654321 \(sendText\)\n$/
            )
            expect(missing).toMatchObject({ code: 1, stdout: "", stderr: '✗ no send with key "nope" in the outbox\n' })

            const tail = spawn(process.execPath, [bin, "outbox", "tail", "--json"], {
              cwd: mkdtempSync(join(tmpdir(), "pombo-cli-")),
              env: { PATH: process.env.PATH, ...env }
            })
            const output = { stdout: "", stderr: "" }
            tail.stdout.on("data", (chunk) => {
              output.stdout += String(chunk)
            })
            tail.stderr.on("data", (chunk) => {
              output.stderr += String(chunk)
            })
            yield* Effect.addFinalizer(() => Effect.sync(() => (tail as ChildProcess).kill("SIGINT")))
            yield* Effect.promise(() => until(() => output.stderr.includes("Following the outbox")))
            expect(yield* outbox.cancel("order-1")).toBe(true)
            yield* outbox.send(order("order-2"))
            yield* Effect.promise(() => until(() => output.stdout.split("\n").filter(Boolean).length >= 2))
            const changes = output.stdout
              .split("\n")
              .filter(Boolean)
              .map((line) => JSON.parse(line) as { key: string; state: string })
            expect(changes.map(({ key, state }) => ({ key, state }))).toEqual([
              { key: "order-1", state: "cancelled" },
              { key: "order-2", state: "queued" }
            ])
            expect(output.stderr).toBe("Following the outbox (Ctrl-C to stop)\n")
          })
        )
      )
    })
  })
}

describe("pombo outbox, misconfigured", () => {
  it("no store configured, a missing file, an unreachable Postgres: one line naming the problem, exit 1, no URL", async () => {
    // Port 9 (discard) refuses connections: the migration is the first to reach for the database.
    const url = "postgres://pombo:s3cret-password@127.0.0.1:9/outbox"
    const [unset, file, postgres] = await Promise.all([
      pombo(["outbox", "status", "order-1"]),
      pombo(["outbox", "status", "order-1", "--store", "/nonexistent/pombo.db"]),
      pombo(["outbox", "tail"], { POMBO_OUTBOX_STORE: url })
    ])
    expect(unset.code).toBe(1)
    expect(unset.stderr).toMatch(/^✗ .*POMBO_OUTBOX_STORE/)
    expect(file).toMatchObject({ code: 1, stderr: '✗ no outbox store at "/nonexistent/pombo.db" (a SQLite file)\n' })
    expect(postgres).toMatchObject({
      code: 1,
      stderr: "✗ outbox migrate failed: PgConnection: Failed to connect\n"
    })
    expect(`${postgres.stdout}${postgres.stderr}`).not.toContain("s3cret-password")
  })
})

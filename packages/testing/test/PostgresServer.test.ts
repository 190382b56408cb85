import { existsSync } from "node:fs"
import { connect } from "node:net"
import { describe, expect, it } from "vitest"
import { PostgresServer } from "../src/index.ts"

const accepts = (url: string) =>
  new Promise<boolean>((resolve) => {
    const { hostname, port } = new URL(url)
    const socket = connect(Number(port), hostname)
    socket.once("connect", () => resolve(socket.end() && true))
    socket.once("error", () => resolve(false))
  })

describe("PostgresServer", () => {
  it("refuses clearly when the PostgreSQL binaries are missing", async () => {
    await expect(PostgresServer.start({ binDir: "/nonexistent/bin" })).rejects.toThrow(
      /no PostgreSQL server binaries found \(install Debian's `postgresql` package/
    )
  })

  // Skips only off CI on a machine without PostgreSQL; in CI a missing server fails the test.
  it.skipIf(PostgresServer.findBinDir() === undefined && process.env.CI !== "true")(
    "starts a cluster on 127.0.0.1 as an unprivileged user and removes it on stop",
    async () => {
      const server = await PostgresServer.start()
      expect(server.url).toMatch(/^postgres:\/\/pombo@127\.0\.0\.1:\d+\/postgres$/)
      expect(server.version).toMatch(/^postgres \(PostgreSQL\) \d+/)
      expect(existsSync(`${server.directory}/data/PG_VERSION`)).toBe(true)
      expect(await accepts(server.url)).toBe(true)
      await server.stop()
      expect(await accepts(server.url)).toBe(false)
      expect(existsSync(server.directory)).toBe(false)
    },
    60_000
  )
})

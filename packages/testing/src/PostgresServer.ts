/**
 * A throwaway PostgreSQL cluster for tests: `initdb` in a temporary directory, `pg_ctl start` on
 * a free port bound to 127.0.0.1, removed again by `stop`. It uses the machine's own PostgreSQL
 * binaries (Debian's `postgresql` package puts them in `/usr/lib/postgresql/<version>/bin`), so
 * tests run against the real server the application will use, never a mock of it.
 *
 * PostgreSQL refuses to run as root; under root the cluster is owned by, and run as, the
 * `postgres` system user (created by the Debian package), through `runuser`.
 */
import { execFile } from "node:child_process"
import { chmodSync, chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs"
import { createServer } from "node:net"
import { tmpdir, userInfo } from "node:os"
import { join } from "node:path"
import { promisify } from "node:util"

const run = promisify(execFile)

/** A running cluster. */
export interface PostgresServer {
  /** Connection URL of the `postgres` database, e.g. `postgres://pombo@127.0.0.1:41234/postgres`. */
  readonly url: string
  /** The PostgreSQL version serving it, as `postgres --version` prints it. */
  readonly version: string
  /** The cluster's directory (data and `server.log`), deleted by `stop`. */
  readonly directory: string
  /** Stops the server immediately and deletes its directory. */
  readonly stop: () => Promise<void>
}

/** Options for `start`. */
export interface StartOptions {
  /** Directory holding `initdb`, `pg_ctl` and `postgres`; found automatically when omitted. */
  readonly binDir?: string | undefined
  /** Name of the superuser the URL connects as; default `pombo`. */
  readonly user?: string | undefined
}

/** Why PostgreSQL cannot be started on this machine; the message says what to install. */
export class PostgresUnavailable extends Error {
  override readonly name = "PostgresUnavailable"
}

/**
 * The directory of the newest PostgreSQL server binaries: `POMBO_PG_BIN` if set, else the
 * highest `/usr/lib/postgresql/<version>/bin` (Debian, Ubuntu), else `undefined`.
 */
export const findBinDir = (): string | undefined => {
  const configured = process.env.POMBO_PG_BIN
  if (configured) return configured
  const root = "/usr/lib/postgresql"
  if (!existsSync(root)) return undefined
  const versions = readdirSync(root)
    .filter((v) => existsSync(join(root, v, "bin", "initdb")))
    .sort((a, b) => Number(b) - Number(a))
  return versions[0] === undefined ? undefined : join(root, versions[0], "bin")
}

/** Initialises and starts a cluster; rejects with `PostgresUnavailable` when it cannot. */
export const start = async (options: StartOptions = {}): Promise<PostgresServer> => {
  const binDir = options.binDir ?? findBinDir()
  if (binDir === undefined || !existsSync(join(binDir, "initdb"))) {
    throw new PostgresUnavailable(
      "no PostgreSQL server binaries found (install Debian's `postgresql` package, or set POMBO_PG_BIN)"
    )
  }
  const user = options.user ?? "pombo"
  const owner = await unprivilegedOwner()
  const dir = mkdtempSync(join(tmpdir(), "pombo-pg-"))
  const data = join(dir, "data")
  if (owner) chownSync(dir, owner.uid, owner.gid)
  chmodSync(dir, 0o700)
  const as = (bin: string, args: ReadonlyArray<string>) =>
    owner
      ? run("runuser", ["-u", owner.name, "--", join(binDir, bin), ...args], { cwd: dir })
      : run(join(binDir, bin), [...args], { cwd: dir })
  const remove = () => rmSync(dir, { recursive: true, force: true })
  try {
    await as("initdb", ["-D", data, "-U", user, "-A", "trust", "-E", "UTF8", "--no-instructions", "--no-sync"])
    const port = await freePort()
    const settings = `-c listen_addresses=127.0.0.1 -p ${port} -k ${dir} -c max_connections=200`
    await as("pg_ctl", ["start", "-w", "-t", "60", "-D", data, "-l", join(dir, "server.log"), "-o", settings])
    const { stdout } = await as("postgres", ["--version"])
    const stop = async () => {
      await as("pg_ctl", ["stop", "-m", "immediate", "-w", "-D", data]).catch(() => undefined)
      remove()
    }
    return { url: `postgres://${user}@127.0.0.1:${port}/postgres`, version: stdout.trim(), directory: dir, stop }
  } catch (cause) {
    remove()
    throw new PostgresUnavailable(`PostgreSQL did not start: ${cause instanceof Error ? cause.message : cause}`, {
      cause
    })
  }
}

/** Under root: the `postgres` system user that will own and run the cluster. */
const unprivilegedOwner = async () => {
  if (process.getuid?.() !== 0) return undefined
  const name = "postgres"
  try {
    const [uid, gid] = await Promise.all([run("id", ["-u", name]), run("id", ["-g", name])])
    return { name, uid: Number(uid.stdout), gid: Number(gid.stdout) }
  } catch {
    throw new PostgresUnavailable(
      `running as ${userInfo().username}, and PostgreSQL refuses root: no \`${name}\` system user to run it as`
    )
  }
}

const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const server = createServer()
    server.once("error", reject)
    server.listen(0, "127.0.0.1", () => {
      const address = server.address()
      server.close(() => (typeof address === "object" && address ? resolve(address.port) : reject(address)))
    })
  })

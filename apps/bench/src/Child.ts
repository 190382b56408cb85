/**
 * Child processes the bench talks to over IPC: servers that must not share the bench's CPU
 * (their work would otherwise be counted in `process.cpuUsage` and compete with the load
 * generator). A child sends one `{ ready: … }` message once it listens, and answers requests
 * `{ id, … }` with `{ id, reply }`.
 */
import { type ChildProcess, fork } from "node:child_process"

/** A running child: what it said when ready, a way to ask it something, and `close`. */
export interface Child<Ready> {
  readonly ready: Ready
  readonly ask: (message: Record<string, unknown>) => Promise<unknown>
  readonly close: () => Promise<void>
}

/** Forks `script` with the bench's own Node and waits for its ready message. */
export const startChild = async <Ready>(
  script: string | URL,
  options: { readonly env?: Record<string, string> | undefined; readonly args?: ReadonlyArray<string> } = {}
): Promise<Child<Ready>> => {
  const child: ChildProcess = fork(script, [...(options.args ?? [])], {
    execPath: process.execPath,
    env: { ...process.env, ...options.env },
    stdio: ["ignore", "inherit", "inherit", "ipc"]
  })
  const ready = await new Promise<Ready>((resolve, reject) => {
    const onExit = (code: number | null) => reject(new Error(`${String(script)} exited (${code}) before it was ready`))
    child.once("exit", onExit)
    child.once("error", reject)
    child.once("message", (message: { ready?: Ready }) => {
      child.off("exit", onExit)
      if (message.ready === undefined) reject(new Error(`${String(script)} sent no ready message`))
      else resolve(message.ready)
    })
  })
  let next = 0
  const ask = (message: Record<string, unknown>) =>
    new Promise<unknown>((resolve, reject) => {
      const id = next++
      const onExit = (code: number | null) => {
        child.off("message", onMessage)
        reject(new Error(`${String(script)} exited (${code}) before it answered`))
      }
      const onMessage = (answer: { id?: number; reply?: unknown }) => {
        if (answer.id !== id) return
        child.off("message", onMessage)
        child.off("exit", onExit)
        resolve(answer.reply)
      }
      child.on("message", onMessage)
      child.once("exit", onExit)
      child.send({ ...message, id })
    })
  const close = () =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve()
      child.once("exit", () => resolve())
      child.kill("SIGTERM")
    })
  return { ready, ask, close }
}

/** What a child answers to `{ cpu: true }`: the CPU time it used so far (all threads), in microseconds. */
export const cpuMicros = (): number => {
  const { user, system } = process.cpuUsage()
  return user + system
}

/**
 * In a child: announces `ready` to the parent and answers its questions with `answer` (which may
 * take time); `{ cpu: true }` is answered with `cpuMicros()` whatever `answer` does.
 */
export const serveParent = (
  ready: unknown,
  answer: (message: Record<string, unknown>) => unknown | Promise<unknown> = () => null
) => {
  process.on("message", async (message: Record<string, unknown>) => {
    process.send?.({ id: message.id, reply: message.cpu === true ? cpuMicros() : await answer(message) })
  })
  process.on("disconnect", () => process.exit(0))
  process.send?.({ ready })
}

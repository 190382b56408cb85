/**
 * The `pombo` executable's program, started by `bin.ts` once Node's compile cache is on: the
 * command line of `Cli.ts` on Node's file system, terminal and signals (Ctrl-C interrupts the
 * command, closing what it opened).
 */
import * as NodeChildProcessSpawner from "@effect/platform-node-shared/NodeChildProcessSpawner"
import * as NodeFileSystem from "@effect/platform-node-shared/NodeFileSystem"
import * as NodePath from "@effect/platform-node-shared/NodePath"
import * as NodeRuntime from "@effect/platform-node-shared/NodeRuntime"
import * as NodeStdio from "@effect/platform-node-shared/NodeStdio"
import * as NodeTerminal from "@effect/platform-node-shared/NodeTerminal"
import { Effect, Layer, Runtime } from "effect"
import { run } from "../Cli.ts"

const services = Layer.provideMerge(
  NodeChildProcessSpawner.layer,
  Layer.mergeAll(NodeFileSystem.layer, NodePath.layer, NodeStdio.layer, NodeTerminal.layer)
)

/**
 * Exits as soon as the command is done, with the code it set: idle keep-alive connections to the
 * vendor would otherwise hold the process open for seconds. Output is flushed first.
 */
const teardown: Runtime.Teardown = (exit, onExit) =>
  Runtime.defaultTeardown(exit, (code) => {
    onExit(code)
    process.stdout.write("", () => process.exit(code === 0 ? Number(process.exitCode ?? 0) : code))
  })

run("0.2.0").pipe(Effect.provide(services), (program) => NodeRuntime.runMain(program, { teardown }))

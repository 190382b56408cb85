/**
 * `pombo/node`: what a Node.js program needs around Pombo — `NodeRuntime.runMain`, which runs the
 * program, interrupts it on SIGINT/SIGTERM and prints a failure (a missing environment variable
 * included) readably before exiting non-zero. Kept out of the main entry so it needs no Node types.
 */

/** Runs an Effect as the Node process's main program. */
export * as NodeRuntime from "@effect/platform-node-shared/NodeRuntime"

#!/usr/bin/env node
/**
 * The `pombo` executable. It turns on Node's on-disk compile cache before loading anything else
 * (`NODE_COMPILE_CACHE` names the directory, else the OS temp directory's `node-compile-cache`;
 * `NODE_DISABLE_COMPILE_CACHE=1` turns it off), so every start after the first reuses V8's compiled
 * code for the CLI, effect and the vendor clients. A process-wide switch: the CLI owns its process,
 * the library's entry points never flip it for an application.
 */
import { enableCompileCache } from "node:module"

enableCompileCache()
await import("./internal/main.ts")

/**
 * The suites `pnpm bench` runs, in this order. The extension point for new areas: the durable
 * inbox (issue 16) adds a contestant to `receiver` (same load, same floor) or a suite of its own;
 * `outbox` compares an outbox send with a direct `sendText` and counts dispatches/s per store. A suite
 * takes its bounds from `Budget` and its goals from `Goals`, and the smoke test lists its figures.
 */
import type { Suite } from "../Suite.ts"
import { coldStart } from "./coldStart.ts"
import { decode } from "./decode.ts"
import { group } from "./group.ts"
import { outbox } from "./outbox.ts"
import { receiver } from "./receiver.ts"
import { send } from "./send.ts"

/** Every suite, in running order. */
export const suites: ReadonlyArray<Suite> = [decode, group, send, outbox, receiver, coldStart]

/**
 * Group notifications at scale: the documented participant-added notification grown to 1, 10,
 * 100 and 1,000 participants, decoded against `JSON.parse` of the same bytes. A linear decoder
 * keeps the ratio flat as the group grows.
 */
import { decodeBytes, groupExample, groupNotification } from "../adapters/decode.ts"
import { webhookExamples } from "../adapters/spec.ts"
import { type Figure, micros } from "../Figure.ts"
import * as Goals from "../Goals.ts"
import type { Suite } from "../Suite.ts"
import { measurePayloads } from "./decode.ts"

/** The group sizes of the curve. */
export const groupSizes = [1, 10, 100, 1000] as const

/** The group scale curve. */
export const group: Suite = {
  area: "group",
  run: async ({ budget, progress }) => {
    const { vendor, name } = groupExample
    const example = (await webhookExamples(vendor)).find((candidate) => candidate.name === name)
    if (example === undefined) throw new Error(`${vendor} no longer documents ${name}`)
    progress(`group: ${vendor} notification with ${groupSizes.join(", ")} participants`)
    const payloads = groupSizes.map((size) => groupNotification(example, size))
    const results = await measurePayloads(payloads, decodeBytes(vendor), budget, { ms: budget.warmupMs })
    return groupSizes.map((size, i): Figure => {
      const measured = results[i]!
      const bytes = payloads[i]!
      return {
        id: `group.${vendor}.${size}`,
        area: "group",
        label: `${vendor}: group notification, ${size.toLocaleString("en-US")} participant(s), decode ÷ JSON.parse`,
        value: measured.ratio,
        range: measured.range,
        unit: "×",
        goal: size === 1000 ? Goals.groupOf1000 : undefined,
        detail: `${micros(measured.pomboNs)} per event (${micros(measured.pomboNs / size)} per participant); JSON.parse ${micros(measured.parseNs)}; ${bytes.byteLength.toLocaleString("en-US")} bytes`
      }
    })
  }
}

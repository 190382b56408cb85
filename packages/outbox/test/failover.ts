/**
 * The failover scenario shared by `OutboxCluster.failover.test.ts` and its runner processes
 * (`runner.ts`): the numbers, their campaigns, the pacing and the cluster's timing.
 */
import type { Pacing } from "../src/index.ts"

/** The sending numbers; each runs one campaign. */
export const numbers = [
  "zapi:n1",
  "zapi:n2",
  "zapi:n3",
  "zapi:n4",
  "megaapi:n5",
  "megaapi:n6",
  "megaapi:n7",
  "megaapi:n8"
] as const

/** The number whose runner is killed: the one sending its campaign's `hung` recipient. */
export const victim = numbers[0]

/** Recipients per campaign, `r0`… */
export const perCampaign = 12

export const campaignOf = (number: string) => `spring-${number}`

/** The recipient the vendor refuses in every campaign (`RecipientNotFound`): a `failed` send. */
export const gone = "r2"

/**
 * The victim's recipient whose request reaches the vendor and is never answered: the runner
 * sending it is killed while it waits, between the stored attempt and the stored receipt.
 */
export const hung = `${campaignOf(victim)}/r5`

/**
 * Every number's pacing: a gap with jitter, and caps over windows short enough to bind within
 * the test — 2 a "minute" (1 s), 4 an "hour" (3 s), 10 a "day" (20 s). The day window spans the
 * failover, so the survivor that takes the victim over must count the dead runner's sends.
 */
export const pacing: Pacing.Config = {
  minGap: "200 millis",
  jitter: "100 millis",
  perMinute: 2,
  perHour: 4,
  perDay: 10,
  recipientGap: 0,
  warmup: false,
  quietHours: false,
  typing: false,
  windows: { minute: "1 second", hour: "3 seconds", day: "20 seconds" }
}

/**
 * The cluster's timing, shortened so a dead runner's shards move within seconds (defaults: a
 * health check every minute, shard locks expiring after 35 s): the dead runner is found by the
 * health check's ping, and its heartbeat expires after `shardLockExpiration` at the latest.
 */
export const sharding = {
  shardsPerGroup: 30,
  refreshAssignmentsInterval: "500 millis",
  runnerHealthCheckInterval: "1 second",
  shardLockRefreshInterval: "2 seconds",
  shardLockExpiration: "6 seconds"
} as const

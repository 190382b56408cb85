/**
 * The inbox's Effect metrics. Export them with any effect metrics exporter (e.g.
 * `effect/observability` Prometheus or OTLP); `Metric.value` reads them in-process.
 */
import { Metric } from "effect"

/** Events stored for the first time. */
export const received = Metric.counter("pombo_inbox_received", {
  description: "Webhook events stored in the inbox for the first time",
  incremental: true
})

/** `put` of an event already stored: a vendor redelivery. */
export const duplicates = Metric.counter("pombo_inbox_duplicates", {
  description: "Webhook events already in the inbox when put again (vendor redeliveries)",
  incremental: true
})

/** Events the handler succeeded on. */
export const handled = Metric.counter("pombo_inbox_handled", {
  description: "Inbox events the handler succeeded on",
  incremental: true
})

/** Failed attempts that were scheduled for another try. */
export const retried = Metric.counter("pombo_inbox_retried", {
  description: "Failed handler attempts scheduled for a retry",
  incremental: true
})

/** Events moved to the dead letters. */
export const deadLettered = Metric.counter("pombo_inbox_dead_lettered", {
  description: "Inbox events moved to the dead letters after their last attempt",
  incremental: true
})

/** How long each handler attempt took, successful or not. */
export const handlerDuration = Metric.timer("pombo_inbox_handler_duration", {
  description: "Duration of each handler attempt"
})

/**
 * The outbox's Effect metrics. Export them with any effect metrics exporter (e.g.
 * `effect/observability` Prometheus or OTLP); `Metric.value` reads them in-process.
 */
import { Metric } from "effect"

/** Sends stored for the first time. */
export const queued = Metric.counter("pombo_outbox_queued", {
  description: "Sends stored in the outbox for the first time",
  incremental: true
})

/** `send` with a key already stored: nothing new is sent. */
export const duplicates = Metric.counter("pombo_outbox_duplicates", {
  description: "Sends whose idempotency key was already in the outbox",
  incremental: true
})

/** Requests handed to the dispatcher. */
export const dispatched = Metric.counter("pombo_outbox_dispatched", {
  description: "Requests handed to the dispatcher (attempts)",
  incremental: true
})

/** Sends the vendor accepted. */
export const accepted = Metric.counter("pombo_outbox_accepted", {
  description: "Sends the vendor accepted with a message id",
  incremental: true
})

/** Attempts the vendor certainly did not process, put back in line (rate limit, pause, stop, retry). */
export const requeued = Metric.counter("pombo_outbox_requeued", {
  description: "Attempts the vendor did not process, put back in line",
  incremental: true
})

/** Sends that failed for good. */
export const failed = Metric.counter("pombo_outbox_failed", {
  description: "Sends the vendor refused for good",
  incremental: true
})

/** Attempts that ended without a receipt or a certain refusal, including those found after a crash. */
export const uncertain = Metric.counter("pombo_outbox_uncertain", {
  description: "Attempts that may or may not have reached the vendor",
  incremental: true
})

/** How long each dispatch took, successful or not (typing time included). */
export const dispatchDuration = Metric.timer("pombo_outbox_dispatch_duration", {
  description: "Duration of each dispatch to the vendor"
})

/**
 * `pombo/inbox`: the durable inbox — `InboxReceiver.layer` (the webhook receiver storing events
 * before the 2xx), `Inbox` (dead letters, replay, counts), `InboxWorker`, `InboxMetrics`. A
 * subpath of its own, so an application that does not use it never loads a database driver.
 */
export * from "@pombo/inbox"

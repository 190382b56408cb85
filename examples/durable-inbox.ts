import { Effect, Layer } from "effect"
import { Inbox, InboxWorker, SqliteClient } from "pombo/inbox"

const Store = SqliteClient.layer({ filename: "./pombo-inbox.db" })
// or Postgres, for several processes: PgClient.layerConfig({ url: Config.Redacted("DATABASE_URL") })

const Worker = InboxWorker.layer({
  // Delivery is at least once: use `key` to make the handler idempotent.
  handler: (event, key) => Effect.log(`handling ${key}`, event._tag)
})

export const App = Worker.pipe(Layer.provideMerge(Inbox.layer()), Layer.provide(Store))
// In the webhook route: `yield* inbox.put(event)` and answer 2xx only once it succeeded.

import { Effect, Inspectable, Schema } from "effect"
import { HttpClient } from "effect/http"

class E extends Schema.TaggedError<E>()("ZApiStatusError", {
  operationId: Schema.String,
  status: Schema.Number,
  body: Schema.Unknown,
  retryAfterSeconds: Schema.optionalKey(Schema.Number)
}) {
  override get message() {
    return `${this.operationId} answered HTTP ${this.status}`
  }
}
const e = new E({ operationId: "x", status: 401, body: { a: 1 } })
console.log(String(e), "|", JSON.stringify(e), "|", Inspectable.toStringUnknown?.(e), "|", e.message)
console.log(e)
const p = Effect.gen(function* () {
  const v = yield* HttpClient.TracerPropagationEnabled
  return v
})
console.log(Effect.runSync(p))

import { type Array as Arr, Duration, Effect, Redacted } from "effect"
import { HttpRouter, HttpServerRequest, HttpServerResponse } from "effect/http"
import { type WhatsAppEvent } from "./WhatsAppEvent.ts"
/**
 * Turns one vendor payload into events. Written once per vendor (in its provider package) so the
 * receiver stays vendor-neutral. It must not throw and returns `Unknown` for what it does not
 * recognise; one payload may carry several events (a Z-API status callback lists several
 * message ids).
 */
export type WebhookDecoder = {
  readonly provider: string
  readonly decode: (
    payload: unknown,
    context: {
      receivedAt: Date
    }
  ) => ReadonlyArray<WhatsAppEvent>
}
/**
 * Remembers which events were already handled, so a vendor's redelivery is dropped. `claim`
 * answers `true` the first time it sees `id` within `ttl` (handle the event), `false` afterwards.
 *
 * The in-memory default (`memoryDedupeStore`) only knows its own process. With several
 * processes behind a load balancer, plug a shared store whose claim is atomic, e.g. Redis:
 * `claim: (id, ttl) => redis.set("pombo:webhook:" + id, "1", { NX: true, PX: Duration.toMillis(ttl) })
 * .then((r) => r === "OK")` wrapped in `Effect.promise`. If the store can fail, decide there:
 * recover to `true` (an event may be handled twice) or `false` (it may be lost).
 */
export interface DedupeStore {
  readonly claim: (id: string, ttl: Duration.Duration) => Effect.Effect<boolean>
}
/**
 * Where the vendor puts the shared secret: a path segment captured by the route (default
 * `{ pathParam: "secret" }`) or a request header, for vendors or proxies that can add one.
 */
export type SecretLocation =
  | {
      readonly pathParam: string
    }
  | {
      readonly header: string
    }
/** Everything the receiver needs; only `decoders`, `secret` and `onEvent` have no default. */
export interface Options<E = never, R = never> {
  /**
   * The providers' decoders. With one, every payload goes to it; with several, each is tried in
   * order and the first that recognises the payload (yields an event other than `Unknown`) wins.
   */
  readonly decoders: Arr.NonEmptyReadonlyArray<WebhookDecoder>
  /** The shared secret configured in the vendor's webhook URL or header. */
  readonly secret: Redacted.Redacted<string>
  /** Default `{ pathParam: "secret" }`. */
  readonly secretIn?: SecretLocation | undefined
  /**
   * The application's handler, run after the vendor got its answer; its failures are logged,
   * never returned to the vendor (which would only retry).
   */
  readonly onEvent: (event: WhatsAppEvent) => Effect.Effect<void, E, R>
  /** Largest body accepted, before and after gzip decompression. Default 1 MiB. */
  readonly maxBodyBytes?: number | undefined
  /** How long a seen event id is remembered. Default 10 minutes. */
  readonly dedupeWindow?: Duration.Input | undefined
  /** Default: a bounded in-memory store private to this receiver (`memoryDedupeStore()`). */
  readonly dedupeStore?: DedupeStore | undefined
}
/** `Options` plus where `layer` mounts its routes. */
export interface LayerOptions<E = never, R = never> extends Options<E, R> {
  /** Default `/webhooks`. */
  readonly basePath?: `/${string}` | undefined
}
/** The default body limit: 1 MiB, far above any real vendor payload (media come as URLs). */
export declare const defaultMaxBodyBytes: number
/** The default redelivery window: vendors retry within minutes, not hours. */
export declare const defaultDedupeWindow: Duration.Duration
/**
 * An in-process `DedupeStore`: enough for one process, bounded so a flood of distinct ids cannot
 * exhaust memory (the oldest ids are forgotten first), expiring with the `Clock` (so `TestClock`
 * drives it in tests).
 */
export declare const memoryDedupeStore: (options?: { readonly maxEntries?: number | undefined }) => DedupeStore
/**
 * Runs the decoders over one payload the way the receiver does: the first decoder whose result
 * holds an event other than `Unknown` wins; otherwise the first non-empty result (its
 * `Unknown`s), so nothing is silently dropped.
 */
export declare const decodeWith: (
  decoders: ReadonlyArray<WebhookDecoder>,
  payload: unknown,
  context: {
    receivedAt: Date
  }
) => ReadonlyArray<WhatsAppEvent>
/**
 * Builds the webhook handler for one mount point: mount it with
 * `router.add("POST", "/webhooks/zapi/:secret", handler)`. It needs a `Scope` that outlives the
 * requests (a layer's, or your app's): the application's handler runs in fibers forked into it,
 * interrupted when it closes.
 */
export declare const make: <E = never, R = never>(
  options: Options<E, R>
) => Effect.Effect<
  Effect.Effect<HttpServerResponse.HttpServerResponse, never, HttpServerRequest.HttpServerRequest>,
  never,
  R | import("effect/Scope").Scope
>
/**
 * Registers the receiver in the application's `HttpRouter`, one route per provider
 * (`POST {basePath}/{provider}/:secret`, or `POST {basePath}/{provider}` when the secret comes in a
 * header) and, with several decoders, one more at `{basePath}` that auto-detects the vendor.
 * All routes share one dedupe store. Serve it with `HttpRouter.serve(layer(options))`.
 */
export declare const layer: <E = never, R = never>(
  options: LayerOptions<E, R>
) => import("effect/Layer").Layer<never, never, HttpRouter.HttpRouter | Exclude<R, import("effect/Scope").Scope>>

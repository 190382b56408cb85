import { WebhookReceiver } from "./index.ts"
export declare const m: <E = never, R = never>(
  options: WebhookReceiver.Options<E, R>
) => import("effect/Effect").Effect<
  import("effect/Effect").Effect<
    import("effect/http/HttpServerResponse").HttpServerResponse,
    never,
    import("effect/http/HttpServerRequest").HttpServerRequest
  >,
  never,
  R | import("effect/Scope").Scope
>
export declare const l: typeof WebhookReceiver.layer

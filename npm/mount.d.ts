// order-widget/mount: the widget without its custom element.
//
// Keep in step with the widget: e2e/tests/npm_package.rs checks these declarations
// against src/config.rs, src/events.rs and the model's enums with tsc.

/** An order's normalized status. */
export type OrderStatus =
  | 'initiated'
  | 'pending'
  | 'authorized'
  | 'processing'
  | 'delivered'
  | 'partially_delivered'
  | 'needs_attention'
  | 'failed'
  | 'cancelled'
  | 'refunded'
  | 'unknown';

/** The format the proxy answers with; `auto` recognises each vendor's shape. */
export type OrderWidgetProvider = 'auto' | 'hsmail' | 'voucher-api' | 'shop' | 'bdvoucher' | 'order';

/** What a copied secret is. */
export type OrderWidgetCodeKind = 'code' | 'credential' | 'pickup_code' | 'return_code';

/** Why a check failed; `config` and `load` come from `<order-widget>` itself. */
export type OrderWidgetErrorType =
  | 'network'
  | 'timeout'
  | 'not_allowed'
  | 'not_found'
  | 'rate_limit'
  | 'server'
  | 'bad_response'
  | 'config'
  | 'load';

/**
 * The widget's configuration: `mount()`'s object, `<order-widget>`'s `config` property.
 * Unknown keys are refused. `null` and `undefined` mean the default.
 */
export interface OrderWidgetConfig {
  /** URL template of your order proxy with `{id}`, e.g. `/api/orders/{id}`. */
  proxy: string;
  /** The order to show. */
  orderId: string;
  /** The format the proxy answers with. Default `auto`. */
  provider?: OrderWidgetProvider | null;
  /** The signed order token, sent as the `X-Order-Token` header. Never a vendor API key. */
  token?: string | null;
  /** Extra request headers. */
  headers?: Record<string, string> | null;
  /** Whether cookies go with the request. Default `same-origin`. */
  credentials?: 'same-origin' | 'include' | null;
  /** ISO 4217 code for amounts whose vendor names none. */
  currency?: string | null;
  /** BCP 47 tag for labels, dates and amounts. Default `navigator.language`. */
  locale?: string | null;
  /** Overrides of any label key. */
  labels?: Record<string, string> | null;
  /** Timeout of each request, whole seconds, 1–120. Default 15. */
  timeout?: number | null;
  /** Revealed codes mask again after this many seconds, 1–3600. Default 60. */
  revealTimeout?: number | null;
  /** How long polling waits for the order to move: a preset or seconds. Default `standard`. */
  maxWait?: 'fast' | 'standard' | 'slow' | number | null;
  /** URL template with `{id}` of the order's Server-Sent-Events stream, e.g. `/api/orders/{id}/events`. */
  events?: string | null;
  /**
   * URL template with `{id}` of the reveal endpoints (`POST <codes>/{ref}`, `POST <codes>`),
   * which answer the codes a redacted order withholds. Default: `proxy`'s path + `/codes`.
   */
  codes?: string | null;
  /**
   * The name your shop sells a vendor item under, by the vendor's item or variant id;
   * used for items the vendor leaves unnamed.
   */
  itemLabels?: Record<string, string> | null;
  /** `true`: `itemLabels` replace the vendor's own item names too. Default `false`. */
  itemLabelsOverride?: boolean | null;
}

/** A mounted widget. */
export interface OrderWidgetHandle {
  /** Checks the order now (within the polling budget). */
  refresh(): void;
  /** Stops every timer and request and empties the element; nothing runs after it. */
  destroy(): void;
  /** Releases the handle's memory in the wasm; call it after `destroy()`. */
  free(): void;
}

/**
 * Mounts a widget into `element`; throws when the configuration is invalid (the
 * message names the key, never its value). Call it after `load()` has resolved.
 *
 * `firstResponse`: the widget's own first request (same URL, headers and credentials),
 * started by the page before the wasm was ready; the first check reads it instead.
 */
export function mount(
  element: Element,
  config: OrderWidgetConfig,
  firstResponse?: Promise<Response> | null,
): OrderWidgetHandle;

/** Downloads, compiles and instantiates the wasm, once per page. */
export function load(): Promise<void>;

/** `order-widget:ready`: the first order was rendered. */
export interface OrderWidgetReadyDetail {
  status: OrderStatus;
}

/** `order-widget:status`: the normalized status changed (once per change). */
export interface OrderWidgetStatusDetail {
  status: OrderStatus;
  /** `null` for the first status. */
  previous: OrderStatus | null;
}

/** `order-widget:delivered`: the order reached `delivered` (once). */
export interface OrderWidgetDeliveredDetail {
  /** How many codes were delivered (never the codes). */
  codes: number;
}

/** `order-widget:reveal`: the customer revealed codes. */
export interface OrderWidgetRevealDetail {
  count: number;
}

/** `order-widget:copy`: a copy was attempted. */
export interface OrderWidgetCopyDetail {
  kind: OrderWidgetCodeKind;
  count: number;
  /** Whether it reached the clipboard. */
  ok: boolean;
}

/** `order-widget:error`: a check failed, or the element could not start. */
export interface OrderWidgetErrorDetail {
  type: OrderWidgetErrorType;
}

/**
 * The widget's events: `CustomEvent`s on the element it renders in, bubbling and
 * composed. No detail ever carries a code, PIN or credential.
 */
export interface OrderWidgetEventMap {
  'order-widget:ready': CustomEvent<OrderWidgetReadyDetail>;
  'order-widget:status': CustomEvent<OrderWidgetStatusDetail>;
  'order-widget:delivered': CustomEvent<OrderWidgetDeliveredDetail>;
  'order-widget:reveal': CustomEvent<OrderWidgetRevealDetail>;
  'order-widget:copy': CustomEvent<OrderWidgetCopyDetail>;
  'order-widget:error': CustomEvent<OrderWidgetErrorDetail>;
}

declare global {
  // `element.addEventListener('order-widget:status', (event) => event.detail.status)`
  // on the element or any ancestor (the events bubble).
  interface HTMLElementEventMap extends OrderWidgetEventMap {}
}

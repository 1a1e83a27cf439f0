// order-widget: defines the <order-widget> custom element when imported.

import type { OrderWidgetConfig, OrderWidgetProvider } from './mount.js';

export type {
  OrderStatus,
  OrderWidgetCodeKind,
  OrderWidgetConfig,
  OrderWidgetCopyDetail,
  OrderWidgetDeliveredDetail,
  OrderWidgetErrorDetail,
  OrderWidgetErrorType,
  OrderWidgetEventMap,
  OrderWidgetHandle,
  OrderWidgetProvider,
  OrderWidgetReadyDetail,
  OrderWidgetRevealDetail,
  OrderWidgetStatusDetail,
} from './mount.js';
export { mount } from './mount.js';

/** The wasm, loading since this module was imported; `mount` works once it resolves. */
export const ready: Promise<unknown>;

/**
 * The attributes of `<order-widget>`: the config keys in kebab-case. `headers` and
 * `labels` have none: set them through the `config` property.
 */
export interface OrderWidgetAttributes {
  proxy?: string;
  'order-id'?: string;
  provider?: OrderWidgetProvider;
  token?: string;
  credentials?: 'same-origin' | 'include';
  currency?: string;
  locale?: string;
  /** Whole seconds, 1–120. */
  timeout?: number | `${number}`;
  /** Whole seconds, 1–3600. */
  'reveal-timeout'?: number | `${number}`;
  'max-wait'?: 'fast' | 'standard' | 'slow' | number | `${number}`;
  events?: string;
  codes?: string;
  /** A JSON object: the vendor's item or variant id → your name for it. */
  'item-labels'?: string;
  /** Present (or `"true"`): `item-labels` replace the vendor's item names too. */
  'item-labels-override'?: boolean | '' | 'true' | 'false';
}

/** `<order-widget>`: shows an order, its items and its codes, and keeps checking. */
export class OrderWidgetElement extends HTMLElement {
  static readonly observedAttributes: string[];
  /**
   * Options without an attribute (`headers`, `labels`) or any other key; attributes win.
   * Setting it remounts the widget.
   */
  get config(): Partial<OrderWidgetConfig>;
  set config(value: Partial<OrderWidgetConfig> | null | undefined);
  /** Checks the order now. */
  refresh(): void;
  connectedCallback(): void;
  disconnectedCallback(): void;
  attributeChangedCallback(name: string, before: string | null, after: string | null): void;
}

declare global {
  interface HTMLElementTagNameMap {
    'order-widget': OrderWidgetElement;
  }
}

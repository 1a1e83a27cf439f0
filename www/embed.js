// <order-widget>: the embeddable order widget as a custom element.
//
//   <script type="module" src="/order-widget/embed.js"></script>
//   <order-widget proxy="/api/orders/{id}" order-id="A1B2C3D4E5F6" token="…"></order-widget>
//
// Attributes: order-id, proxy, provider, token, locale, currency, credentials, timeout,
// reveal-timeout, max-wait. Options without an attribute (headers, labels) go through the
// `config` property: `element.config = { headers: {...}, labels: {...} }`.
// The widget renders in an open shadow root; its stylesheet is a file (CSP-safe).
// For a Bengali or Arabic locale it loads ./labels/<language>.json once per page (the
// wasm carries English only); labels set through `config` win over it.

import init, { mount } from './pkg/order_widget.js';

const ATTRIBUTES = {
  'order-id': 'orderId',
  proxy: 'proxy',
  provider: 'provider',
  token: 'token',
  locale: 'locale',
  currency: 'currency',
  credentials: 'credentials',
  timeout: 'timeout',
  'reveal-timeout': 'revealTimeout',
  'max-wait': 'maxWait',
};
const NUMBERS = new Set(['timeout', 'revealTimeout']);
const STYLESHEET = new URL('./order-widget.css', import.meta.url).href;
/** Languages with a label set in ./labels/. */
const TRANSLATED = new Set(['bn', 'ar']);

let loading = null;
/** Loads and instantiates the wasm once for every widget on the page. */
function load() {
  loading ??= init();
  return loading;
}

/** The string entries of a parsed JSON object (anything else is dropped). */
function onlyStrings(value) {
  const entries = value && typeof value === 'object' && !Array.isArray(value) ? Object.entries(value) : [];
  return Object.fromEntries(entries.filter(([, text]) => typeof text === 'string'));
}

const translations = new Map();
/** The shipped label set for `locale`'s language, fetched once per page; `{}` for
 *  English, other languages, or when it cannot be loaded (the widget then shows English). */
function translation(locale) {
  const language = String(locale).split(/[-_]/)[0].toLowerCase();
  if (!TRANSLATED.has(language)) return Promise.resolve({});
  if (!translations.has(language)) {
    const url = new URL(`./labels/${language}.json`, import.meta.url);
    const labels = fetch(url)
      .then((response) => (response.ok ? response.json() : {}))
      .then(onlyStrings)
      .catch(() => ({}));
    translations.set(language, labels);
  }
  return translations.get(language);
}

export class OrderWidgetElement extends HTMLElement {
  static observedAttributes = Object.keys(ATTRIBUTES);

  #config = {};
  #handle = null;
  #container = null;
  #generation = 0;

  constructor() {
    super();
    const root = this.attachShadow({ mode: 'open' });
    const link = document.createElement('link');
    link.rel = 'stylesheet';
    link.href = STYLESHEET;
    root.append(link);
  }

  /** Options without an attribute (`headers`, `labels`, …); attributes win. */
  get config() {
    return { ...this.#config };
  }

  set config(value) {
    this.#config = { ...(value ?? {}) };
    this.#remount();
  }

  /** Checks the order now. */
  refresh() {
    this.#handle?.refresh();
  }

  connectedCallback() {
    this.#remount();
  }

  disconnectedCallback() {
    this.#unmount();
  }

  attributeChangedCallback(_name, before, after) {
    if (before !== after && this.isConnected) this.#remount();
  }

  #unmount() {
    this.#generation += 1;
    if (this.#handle) {
      this.#handle.destroy();
      this.#handle.free();
      this.#handle = null;
    }
    this.#container?.remove();
    this.#container = null;
  }

  #options() {
    const options = { ...this.#config };
    for (const [attribute, key] of Object.entries(ATTRIBUTES)) {
      const value = this.getAttribute(attribute);
      if (value === null || value === '') continue;
      options[key] = NUMBERS.has(key) || (key === 'maxWait' && /^\d+$/.test(value)) ? Number(value) : value;
    }
    return options;
  }

  async #remount() {
    this.#unmount();
    const generation = this.#generation;
    const options = this.#options();
    if (!options.orderId || !options.proxy) return; // waiting for attributes
    let labels;
    try {
      [, labels] = await Promise.all([load(), translation(options.locale ?? navigator.language)]);
    } catch (error) {
      this.#fail('load', error);
      return;
    }
    // Several attribute changes in a row: only the last remount mounts.
    if (generation !== this.#generation || !this.isConnected) return;
    options.labels = { ...labels, ...(options.labels ?? {}) };
    const container = document.createElement('div');
    container.className = 'ow-root';
    this.shadowRoot.append(container);
    this.#container = container;
    try {
      this.#handle = mount(container, options);
    } catch (error) {
      this.#fail('config', error);
    }
  }

  #fail(type, error) {
    // Config messages name the key, never a value: safe to log.
    console.error('order-widget:', error instanceof Error ? error.message : String(error));
    this.dispatchEvent(
      new CustomEvent('order-widget:error', { bubbles: true, composed: true, detail: { type } }),
    );
  }
}

if (!customElements.get('order-widget')) {
  customElements.define('order-widget', OrderWidgetElement);
}

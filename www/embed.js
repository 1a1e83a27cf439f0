// <order-widget>: the embeddable order widget as a custom element.
//
//   <script type="module" src="/order-widget/embed.js"></script>
//   <order-widget proxy="/api/orders/{id}" order-id="A1B2C3D4E5F6" token="…"></order-widget>
//
// Attributes: order-id, proxy, provider, token, events, codes, locale, currency, credentials,
// timeout, reveal-timeout, max-wait, item-labels (a JSON object), item-labels-override.
// Options without an attribute (headers, labels) go through the `config` property:
// `element.config = { headers: {...}, labels: {...} }`.
// The widget renders in an open shadow root; its stylesheet is a file (CSP-safe).
// For a Bengali or Arabic locale it loads ./labels/<language>.json once per page (the
// wasm carries English only); labels set through `config` win over it.
//
// Nothing waits for anything it does not need: the wasm starts downloading and compiling
// when this module evaluates, each widget shows a skeleton of the order card at once, and
// the first order request starts before the wasm is ready and is handed to it.
// A server-rendered first paint (order-proxy's `/api/orders/{id}/view` inside the element, a
// declarative shadow root) is kept until the wasm's first render replaces it, in one task.
// Performance marks (for a shop's real-user monitoring and `cargo xtask bench`):
// order-widget:wasm-ready and order-widget:mount here; the widget itself sets
// order-widget:answer and order-widget:shown (first order or error on screen).
//
// This is the source: `cargo xtask dist` writes it to www/pkg/embed.js with the
// content-hashed names of the glue and the stylesheet in place of the two below.

import init, { mount } from './order_widget.js';

export { mount };

const ATTRIBUTES = {
  'order-id': 'orderId',
  proxy: 'proxy',
  provider: 'provider',
  token: 'token',
  events: 'events',
  codes: 'codes',
  locale: 'locale',
  currency: 'currency',
  credentials: 'credentials',
  timeout: 'timeout',
  'reveal-timeout': 'revealTimeout',
  'max-wait': 'maxWait',
  'item-labels': 'itemLabels',
  'item-labels-override': 'itemLabelsOverride',
};
const NUMBERS = new Set(['timeout', 'revealTimeout']);
const STYLESHEET = new URL('./order-widget.css', import.meta.url).href;
/** The label sets in ./labels/, by language: static URLs, which bundlers copy with the module. */
const TRANSLATIONS = {
  bn: new URL('./labels/bn.json', import.meta.url),
  ar: new URL('./labels/ar.json', import.meta.url),
};
const TOKEN_HEADER = 'X-Order-Token';
const DEFAULT_TIMEOUT_SECONDS = 15;
const LOADING = 'Loading your order…';
/** What the server-rendered first paint's card is wrapped in (`order_widget::server`). */
const FIRST_PAINT = '.ow-first-paint';
/** The controls focus can be on, in the same order in the server's card and the client's. */
const FOCUSABLE = 'a[href], button, textarea, [tabindex]';

/** The wasm, instantiated once for every widget on the page; streaming starts now. */
export const ready = init();
// A failure is reported by each widget that waits for it, not as an unhandled rejection.
ready.then(() => performance.mark('order-widget:wasm-ready'), () => {});

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
  if (!Object.hasOwn(TRANSLATIONS, language)) return Promise.resolve({});
  if (!translations.has(language)) {
    const labels = fetch(TRANSLATIONS[language])
      .then((response) => (response.ok ? response.json() : {}))
      .then(onlyStrings)
      .catch(() => ({}));
    translations.set(language, labels);
  }
  return translations.get(language);
}

/** The order id as one path segment, encoded as the widget encodes it: every byte
 *  but RFC 3986's unreserved characters; null for ids it refuses. */
function pathSegment(orderId) {
  if (orderId === '.' || orderId === '..') return null;
  return encodeURIComponent(orderId).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/**
 * Starts the request the widget would send first, so that it runs while the wasm
 * downloads; `mount` receives it and reads the answer through its normal path.
 * The same URL, headers and credentials as the widget's own request; undefined when
 * the options cannot make one (the widget then reports the configuration error).
 */
function firstRequest(options, signal) {
  const { proxy, orderId, token, headers, credentials, timeout } = options;
  try {
    // encodeURIComponent throws on a lone surrogate: the widget then reports the id.
    const segment = pathSegment(String(orderId));
    if (typeof proxy !== 'string' || !proxy.includes('{id}') || !segment) return undefined;
    const all = new Headers(headers ?? {});
    if (token) all.set(TOKEN_HEADER, token);
    const seconds = Number.isFinite(timeout) ? timeout : DEFAULT_TIMEOUT_SECONDS;
    return fetch(proxy.replaceAll('{id}', segment), {
      headers: all,
      credentials: credentials === 'include' ? 'include' : 'same-origin',
      cache: 'no-store',
      signal: AbortSignal.any([signal, AbortSignal.timeout(seconds * 1000)]),
    });
  } catch {
    return undefined;
  }
}

const warmLocales = new Set();
/**
 * Builds a date and a number formatter for `locale` in a task of its own, once per page
 * and locale: the page's first `Intl` constructor initialises the browser's locale data
 * (tens of milliseconds on a phone), which is better paid while the wasm downloads than
 * inside the widget's first render.
 */
function warmUpIntl(locale) {
  if (warmLocales.has(locale)) return;
  warmLocales.add(locale);
  setTimeout(() => {
    try {
      new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' }).format(0);
      new Intl.NumberFormat(locale, { style: 'currency', currency: 'USD' }).format(1);
    } catch {
      // A locale Intl refuses: the widget falls back to the default one itself.
    }
  }, 0);
}

/** `text` parsed as JSON, or `text` itself when it is not JSON. */
function parsedOr(text) {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** A grey outline of the order card, shown until the first answer is rendered. */
function skeleton() {
  const card = document.createElement('div');
  card.className = 'ow ow-skeleton';
  card.setAttribute('part', 'skeleton');
  const label = document.createElement('p');
  label.className = 'ow-visually-hidden';
  label.setAttribute('role', 'status');
  label.textContent = LOADING;
  card.append(label);
  for (const shape of ['title', 'badge', 'progress', 'item', 'item', 'notice']) {
    const bar = document.createElement('div');
    bar.className = `ow-skeleton-bar ow-skeleton-${shape}`;
    bar.setAttribute('aria-hidden', 'true');
    card.append(bar);
  }
  return card;
}

export class OrderWidgetElement extends HTMLElement {
  static observedAttributes = Object.keys(ATTRIBUTES);

  #config = {};
  #handle = null;
  #container = null;
  #skeleton = null;
  #request = null;
  #generation = 0;
  /** Set by connectedCallback: attributes read before it (an upgrade's) mount nothing. */
  #connected = false;
  /** The server's card until a mount takes its place (then the mount's placeholder). */
  #firstPaint = null;

  constructor() {
    super();
    // A declarative shadow root from the server: its card stays until the client's render
    // replaces it (a second root cannot be attached).
    if (this.shadowRoot) {
      this.#firstPaint = this.shadowRoot.querySelector(FIRST_PAINT);
      return;
    }
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
    this.#connected = true;
    this.#remount();
  }

  disconnectedCallback() {
    this.#connected = false;
    this.#unmount();
  }

  // An element in the page's HTML is upgraded with one call per attribute before
  // connectedCallback: those mount nothing, connectedCallback mounts once.
  attributeChangedCallback(_name, before, after) {
    if (before !== after && this.#connected) this.#remount();
  }

  #unmount() {
    this.#generation += 1;
    this.#request?.abort();
    this.#request = null;
    if (this.#handle) {
      this.#handle.destroy();
      this.#handle.free();
      this.#handle = null;
    }
    this.#container?.remove();
    this.#container = null;
    this.#skeleton?.remove();
    this.#skeleton = null;
  }

  #options() {
    const options = { ...this.#config };
    for (const [attribute, key] of Object.entries(ATTRIBUTES)) {
      const value = this.getAttribute(attribute);
      if (value === null || value === '') continue;
      options[key] = NUMBERS.has(key) || (key === 'maxWait' && /^\d+$/.test(value)) ? Number(value) : value;
    }
    // A JSON object; anything else goes to the widget as text, which refuses it by name.
    if (typeof options.itemLabels === 'string') options.itemLabels = parsedOr(options.itemLabels);
    // A boolean attribute: present (empty or "true") is true.
    if (this.getAttribute('item-labels-override') === '') options.itemLabelsOverride = true;
    return options;
  }

  async #remount() {
    this.#unmount();
    const generation = this.#generation;
    const options = this.#options();
    // The server's card holds the place of the skeleton, for the first mount only.
    this.#skeleton = this.#firstPaint ?? skeleton();
    this.#firstPaint = null;
    if (!this.#skeleton.isConnected) this.shadowRoot.append(this.#skeleton);
    if (!options.orderId || !options.proxy) return; // waiting for attributes
    this.#request = new AbortController();
    const response = firstRequest(options, this.#request.signal);
    const locale = options.locale ?? navigator.language;
    warmUpIntl(locale);
    const labels = translation(locale);
    labels.then((set) => this.#localizeSkeleton(set, locale, generation));
    try {
      await ready;
    } catch (error) {
      this.#fail('load', error);
      return;
    }
    // Several attribute changes in a row: only the last remount mounts.
    if (generation !== this.#generation || !this.isConnected) return;
    options.labels = { ...(await labels), ...(options.labels ?? {}) };
    if (generation !== this.#generation || !this.isConnected) return;
    this.#mount(options, response);
  }

  #mount(options, response) {
    const container = document.createElement('div');
    container.className = 'ow-root';
    // Rendered out of sight until it shows the order or an error: the skeleton holds
    // the place, and the widget's own "Loading" state never flashes in between.
    container.hidden = true;
    const reveal = () => {
      const focused = this.#focusedIndex();
      container.hidden = false;
      this.#skeleton?.remove();
      this.#skeleton = null;
      if (focused >= 0) container.querySelectorAll(FOCUSABLE)[focused]?.focus();
    };
    for (const name of ['order-widget:ready', 'order-widget:error']) {
      container.addEventListener(name, reveal, { once: true });
    }
    this.shadowRoot.append(container);
    this.#container = container;
    performance.mark('order-widget:mount');
    try {
      this.#handle = mount(container, options, response);
    } catch (error) {
      reveal();
      this.#fail('config', error);
    }
  }

  /** Which control of the server's card has focus (-1: none): the client's card gets the
   *  same one when it replaces it. */
  #focusedIndex() {
    const focused = this.shadowRoot.activeElement;
    if (!focused || !this.#skeleton?.contains(focused)) return -1;
    return [...this.#skeleton.querySelectorAll(FOCUSABLE)].indexOf(focused);
  }

  #localizeSkeleton(labels, locale, generation) {
    // The server's card is already in its language.
    const label = this.#skeleton?.matches('.ow-skeleton') ? this.#skeleton.querySelector('[role=status]') : null;
    if (generation !== this.#generation || !label || !labels.loading) return;
    label.textContent = labels.loading;
    label.lang = locale;
  }

  #fail(type, error) {
    // Config messages name the key, never a value: safe to log.
    console.error('order-widget:', error instanceof Error ? error.message : String(error));
    // The server's card still shows the order (inert) when the wasm cannot load.
    if (this.#skeleton?.matches('.ow-skeleton')) {
      this.#skeleton.remove();
      this.#skeleton = null;
    }
    this.dispatchEvent(
      new CustomEvent('order-widget:error', { bubbles: true, composed: true, detail: { type } }),
    );
  }
}

if (!customElements.get('order-widget')) {
  customElements.define('order-widget', OrderWidgetElement);
}

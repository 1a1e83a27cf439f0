// The widget without its custom element, for pages that mount it into an element of
// their own (the npm package's `order-widget/mount`):
//
//   import { load, mount } from 'order-widget/mount';
//   await load();
//   const handle = mount(element, { proxy: '/api/orders/{id}', orderId, token });
//
// Importing this module defines nothing and loads nothing. `load()` instantiates the
// wasm once per page: the glue keeps one instantiation, which embed.js shares.

import init, { mount } from './order_widget.js';

export { mount };

/** Downloads, compiles and instantiates the wasm, once; `mount` works after it. */
export function load() {
  return init().then(() => undefined);
}

import 'order-widget/order-widget.css';
import { useEffect, useRef, useState } from 'react';
import { load, mount } from 'order-widget/mount';
import type { OrderStatus, OrderWidgetHandle } from 'order-widget/mount';

interface Props {
  orderId: string;
  token: string;
}

/** The same page through `mount()`, without the custom element. */
export function MountedOrder({ orderId, token }: Props) {
  const slot = useRef<HTMLDivElement>(null);
  const [status, setStatus] = useState<OrderStatus | null>(null);

  useEffect(() => {
    const element = slot.current;
    if (!element) return;
    const listening = new AbortController();
    element.addEventListener('order-widget:ready', (event) => setStatus(event.detail.status), {
      signal: listening.signal,
    });
    let handle: OrderWidgetHandle | undefined;
    load().then(() => {
      if (!listening.signal.aborted) {
        handle = mount(element, { proxy: '/api/orders/{id}', orderId, token });
      }
    });
    return () => {
      listening.abort();
      handle?.destroy();
      handle?.free();
    };
  }, [orderId, token]);

  return (
    <main>
      <h1>Thank you for your order</h1>
      <div ref={slot} />
      <p id="shop-status">Order status: {status ?? 'checking'}</p>
    </main>
  );
}

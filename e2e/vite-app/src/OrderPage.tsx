import 'order-widget';
import { useEffect, useRef, useState } from 'react';
import type { OrderStatus, OrderWidgetElement } from 'order-widget';

interface Props {
  orderId: string;
  /** The order token the shop's backend rendered into the page. */
  token: string;
  locale?: string;
}

/** The order-confirmation page: the widget, and the shop's own line about the order. */
export function OrderPage({ orderId, token, locale }: Props) {
  const widget = useRef<OrderWidgetElement>(null);
  const [status, setStatus] = useState<OrderStatus | null>(null);

  useEffect(() => {
    const element = widget.current;
    if (!element) return;
    const listening = new AbortController();
    // `event` is CustomEvent<OrderWidgetStatusDetail>, from HTMLElementEventMap.
    element.addEventListener('order-widget:status', (event) => setStatus(event.detail.status), {
      signal: listening.signal,
    });
    return () => listening.abort();
  }, []);

  return (
    <main>
      <h1>Thank you for your order</h1>
      <order-widget ref={widget} proxy="/api/orders/{id}" order-id={orderId} token={token} locale={locale} />
      <p id="shop-status">Order status: {status ?? 'checking'}</p>
    </main>
  );
}

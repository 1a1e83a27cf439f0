// Must NOT type-check: `orderId` is the config key; the attribute is `order-id`.
// e2e/tests/npm_package.rs expects tsc to refuse exactly this attribute.
import 'order-widget';

export function WrongAttribute() {
  return <order-widget proxy="/api/orders/{id}" orderId="1001" />;
}

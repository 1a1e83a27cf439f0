// order-widget/react: `<order-widget>` in React's JSX (React 19 types), opted into with
//   /// <reference types="order-widget/react" />
// in any declaration file of your project (or "types": ["order-widget/react"] in tsconfig.json).
//
// TypeScript leaves JSX attribute names with a dash unchecked (as it does for data-*), so
// a misspelt `order-idd` passes; a misspelt name without one (`orderId`, `tokn`) fails.

import type { DetailedHTMLProps, HTMLAttributes } from 'react';
import type { OrderWidgetAttributes, OrderWidgetElement } from './order-widget.js';
import type { OrderWidgetConfig } from './mount.js';

/** The props of `<order-widget>`: its attributes, React's HTML props and `ref`. */
export type OrderWidgetProps = DetailedHTMLProps<HTMLAttributes<OrderWidgetElement>, OrderWidgetElement> &
  OrderWidgetAttributes & {
    /** Options without an attribute (`headers`, `labels`): React 19 sets it as the property. */
    config?: Partial<OrderWidgetConfig>;
  };

declare module 'react' {
  namespace JSX {
    interface IntrinsicElements {
      'order-widget': OrderWidgetProps;
    }
  }
}

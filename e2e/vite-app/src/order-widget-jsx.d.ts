/// <reference types="order-widget/react" />

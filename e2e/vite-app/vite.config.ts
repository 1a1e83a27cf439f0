// The order page as a shop serves it: `vite preview` sends the demo's
// Content-Security-Policy with every file and passes /api to order-proxy.
// The test sets both through the environment (e2e/tests/npm_package.rs).
import { defineConfig } from 'vite';

const contentSecurityPolicy = process.env.ORDER_WIDGET_CSP;
const orderProxy = process.env.ORDER_PROXY_URL;

export default defineConfig({
  preview: {
    headers: contentSecurityPolicy ? { 'Content-Security-Policy': contentSecurityPolicy } : {},
    proxy: orderProxy ? { '/api': orderProxy } : {},
  },
});

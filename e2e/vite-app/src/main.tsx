import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { MountedOrder } from './MountedOrder';
import { OrderPage } from './OrderPage';

// ?order=<id>&token=<token>[&locale=<tag>][&api=mount]: the token stands for the one a
// shop's backend renders into its order page.
const params = new URLSearchParams(location.search);
const order = { orderId: params.get('order') ?? '', token: params.get('token') ?? '' };
const locale = params.get('locale') ?? undefined;
const root = document.getElementById('root');
if (root) {
  createRoot(root).render(
    <StrictMode>{params.get('api') === 'mount' ? <MountedOrder {...order} /> : <OrderPage {...order} locale={locale} />}</StrictMode>,
  );
}

// The demo storefront: shows the widget for
// ?order=<id>[&token=][&provider=][&locale=][&reveal-timeout=<seconds>][&live=0],
// or the scenario picker. The widget hears each change on the order's event stream;
// live=0 leaves it polling only. A real shop's backend embeds the order token in its page;
// here the mock-only endpoint /demo/token/{id} plays that part. bdvoucher names its items
// only by variant id: the shop names them (`item-labels`). The page loads
// embed.js on its own, as a shop's page does, so the token request does not wait for
// the widget's files; <order-widget> elements made before it runs are upgraded then.
// The proxy renders the order page itself (mock mode): the widget's element is in the page
// with its token and its server-rendered first paint, and this script only listens to it;
// &first-paint=0 (or a ?token= of your own) gives the client-only page.

const params = new URLSearchParams(location.search);
const localeSelect = document.getElementById("locale");
localeSelect.value = params.get("locale") || "en";
localeSelect.addEventListener("change", () => {
  const next = new URLSearchParams(location.search);
  next.set("locale", localeSelect.value);
  location.search = next.toString();
});

const order = params.get("order");
/** What this shop sells bdvoucher's variants as (the ids of bdvoucher's order example);
 *  the proxy's demo page (`handlers/demo/first_paint.rs`) names them the same. */
const SHOP_ITEM_NAMES = {
  22402: "Free Fire 100 Diamonds (top-up)",
  22405: "Google Play gift card 500 BDT",
};
const live = params.get("live") !== "0";
// The customer's order first: the scenario list waits until the widget has shown
// something (or a few seconds), so it never competes with the order for the network.
const widgetShown = order
  ? showOrder(order).catch((error) => showProblem(`Could not start the demo: ${error.message}`))
  : Promise.resolve();
widgetShown
  .then(listScenarios)
  .catch(() => {
    document.getElementById("scenarios").textContent =
      "No scenarios: the proxy is not running in --mock mode.";
  });

/** Shows the widget for `id`; resolves once it has rendered an order or an error. */
async function showOrder(id) {
  const rendered = document.querySelector("#widget-slot > order-widget");
  if (rendered) return listen(rendered);
  const token = params.has("token") ? params.get("token") : await demoToken(id);
  const widget = document.createElement("order-widget");
  widget.setAttribute("order-id", id);
  widget.setAttribute("proxy", "/api/orders/{id}");
  if (live) widget.setAttribute("events", "/api/orders/{id}/events");
  widget.setAttribute("token", token);
  widget.setAttribute("locale", params.get("locale") || "en");
  widget.setAttribute("item-labels", JSON.stringify(SHOP_ITEM_NAMES));
  // ?provider= names the order's vendor, for its token; the widget recognises what the
  // proxy answers (the redacted canonical order, or with --codes inline the vendor's body).
  if (params.get("reveal-timeout")) widget.setAttribute("reveal-timeout", params.get("reveal-timeout"));
  const shown = listen(widget);
  document.getElementById("widget-slot").replaceChildren(widget);
  document.getElementById("thank-you").hidden = false;
  await shown;
}

/** Logs the widget's events; resolves once it has rendered an order or an error. */
function listen(widget) {
  for (const name of ["ready", "status", "delivered", "reveal", "copy", "error"]) {
    widget.addEventListener(`order-widget:${name}`, (event) => {
      console.info(`order-widget:${name}`, event.detail);
    });
  }
  return new Promise((resolve) => {
    for (const name of ["ready", "error"]) {
      widget.addEventListener(`order-widget:${name}`, resolve, { once: true });
    }
    setTimeout(resolve, 3000);
  });
}

async function demoToken(id) {
  // Tokens are bound to the order's vendor: the scenario's, or ?provider= when given.
  const query = params.get("provider") ? `?provider=${encodeURIComponent(params.get("provider"))}` : "";
  const response = await fetch(`/demo/token/${encodeURIComponent(id)}${query}`);
  if (!response.ok) return "";
  const body = await response.json();
  return body.token || "";
}

async function listScenarios() {
  const response = await fetch("/demo/scenarios");
  if (!response.ok) throw new Error(String(response.status));
  const scenarios = await response.json();
  const byProvider = new Map();
  for (const scenario of scenarios) {
    if (!byProvider.has(scenario.provider)) byProvider.set(scenario.provider, []);
    byProvider.get(scenario.provider).push(scenario);
  }
  const container = document.getElementById("scenarios");
  container.replaceChildren();
  for (const [provider, list] of byProvider) {
    const group = document.createElement("section");
    group.className = "scenario-group";
    const heading = document.createElement("h3");
    heading.textContent = provider;
    const items = document.createElement("ul");
    for (const scenario of list) {
      const item = document.createElement("li");
      const link = document.createElement("a");
      const query = new URLSearchParams({ order: scenario.id, provider: scenario.provider });
      if (params.get("locale")) query.set("locale", params.get("locale"));
      if (!live) query.set("live", "0");
      link.href = `/?${query}`;
      link.textContent = scenario.title;
      if (scenario.id === order) link.setAttribute("aria-current", "page");
      const description = document.createElement("span");
      description.className = "scenario-description";
      description.textContent = ` ${scenario.description || ""} (order ${scenario.id})`;
      item.append(link, description);
      items.append(item);
    }
    group.append(heading, items);
    container.append(group);
  }
}

function showProblem(text) {
  const slot = document.getElementById("widget-slot");
  slot.textContent = text;
  document.getElementById("thank-you").hidden = false;
}

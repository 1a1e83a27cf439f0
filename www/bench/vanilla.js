// The benchmark's baseline: what a shop could write by hand without the widget. Token,
// then the order through the same proxy (the redacted canonical order: codes withheld,
// fetched from the proxy's reveal endpoint on Reveal or Copy), then status, items and
// masked codes with Reveal and Copy: the same work the widget's first render does,
// measured the same way (`[part~=badge]`, `[part~=code]`).

const params = new URLSearchParams(location.search);
const orderId = params.get("order") || "20250001";
const container = document.getElementById("order");
const orderUrl = `/api/orders/${encodeURIComponent(orderId)}`;

const STATUS_WORDS = {
  initiated: "Awaiting payment", pending: "Order received", authorized: "Payment authorized",
  processing: "Processing", delivered: "Delivered", partially_delivered: "Partly delivered",
  needs_attention: "Needs attention", failed: "Failed", cancelled: "Cancelled", refunded: "Refunded",
};

async function main() {
  const { token } = await (await fetch(`/demo/token/${encodeURIComponent(orderId)}`)).json();
  const response = await fetch(orderUrl, {
    headers: { "X-Order-Token": token },
    cache: "no-store",
  });
  if (!response.ok) throw new Error(`HTTP ${response.status}`);
  render(await response.json(), token);
}

function element(tag, attributes = {}, text = "") {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
  node.textContent = text;
  return node;
}

/** Eight dots, then the last four characters the redacted order gives for a long code. */
function masked(code) {
  const tail = typeof code === "string" ? (code.length > 8 ? code.slice(-4) : "") : code?.last4 ?? "";
  return "•".repeat(8) + tail;
}

function money(price) {
  if (!price) return "";
  return price.currency
    ? new Intl.NumberFormat("en", { style: "currency", currency: price.currency }).format(price.amount)
    : price.amount;
}

/** The voucher's code: as the order carries it, or from the reveal endpoint when withheld. */
function fetchCode(voucher, token, purpose) {
  if (typeof voucher.code === "string") return Promise.resolve(voucher.code);
  const url = `${orderUrl}/codes/${encodeURIComponent(voucher.ref)}?purpose=${purpose}`;
  return fetch(url, { method: "POST", headers: { "X-Order-Token": token }, cache: "no-store" })
    .then((response) => (response.ok ? response.json() : Promise.reject(new Error(`HTTP ${response.status}`))))
    .then((revealed) => revealed.code);
}

function codeRow(voucher, token) {
  const row = element("li", { part: "code" });
  const text = element("span", { class: "code" }, masked(voucher.code));
  const reveal = element("button", { type: "button", "aria-pressed": "false" }, "Reveal");
  reveal.addEventListener("click", async () => {
    const shown = reveal.getAttribute("aria-pressed") !== "true";
    text.textContent = shown ? await fetchCode(voucher, token, "reveal") : masked(voucher.code);
    reveal.setAttribute("aria-pressed", String(shown));
    reveal.textContent = shown ? "Hide" : "Reveal";
  });
  const copy = element("button", { type: "button", part: "button copy-button" }, "Copy");
  copy.addEventListener("click", () => {
    // The clipboard takes the promise of the code within the click.
    const blob = fetchCode(voucher, token, "copy").then((code) => new Blob([code], { type: "text/plain" }));
    navigator.clipboard.write([new ClipboardItem({ "text/plain": blob })]);
  });
  row.append(text, reveal, copy);
  return row;
}

function render(order, token) {
  const status = STATUS_WORDS[order.status] ?? order.status;
  const header = element("h2", {}, `Order ${order.number}`);
  const badge = element("span", { class: "badge", part: "badge", "data-status": order.status }, status);
  const items = element("ul", { class: "items" });
  for (const item of order.items ?? []) {
    const name = item.name ?? `Item ${item.id ?? ""}`.trim();
    items.append(element("li", {}, `${name} × ${item.quantity ?? 1} — ${money(item.unit_price)} each`));
  }
  const codes = element("ul", { class: "codes" });
  for (const voucher of order.vouchers ?? []) codes.append(codeRow(voucher, token));
  container.replaceChildren(header, badge, items, codes);
}

main().catch((error) => {
  container.textContent = `Could not load the order: ${error.message}`;
});

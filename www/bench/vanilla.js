// The benchmark's baseline: what a shop could write by hand for one vendor
// (bdvoucher) without the widget. Token, then the order through the same proxy,
// then status, items and masked codes with Reveal and Copy: the same work the
// widget's first render does, measured the same way (`[part~=badge]`, `[part~=code]`).

const params = new URLSearchParams(location.search);
const orderId = params.get("order") || "20250001";
const container = document.getElementById("order");

const STATUS_WORDS = {
  SUCCEEDED: "Delivered", FULFILLING: "Processing", PAID: "Paid", INITIATED: "Placed",
  NEEDS_ATTENTION: "Needs attention", CANCELLED: "Cancelled", FAILED: "Failed",
};

async function main() {
  const { token } = await (await fetch(`/demo/token/${encodeURIComponent(orderId)}`)).json();
  const response = await fetch(`/api/orders/${encodeURIComponent(orderId)}`, {
    headers: { "X-Order-Token": token },
    cache: "no-store",
  });
  if (!response.ok) throw new Error(`HTTP ${response.status}`);
  const body = await response.json();
  render(body.data ?? body);
}

function element(tag, attributes = {}, text = "") {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
  node.textContent = text;
  return node;
}

function masked(code) {
  return code.length > 8 ? "•".repeat(8) + code.slice(-4) : "•".repeat(8);
}

function money(amount, currency) {
  return new Intl.NumberFormat("en", { style: "currency", currency }).format(amount);
}

function codeRow(code) {
  const row = element("li", { part: "code" });
  const text = element("span", { class: "code" }, masked(code));
  const reveal = element("button", { type: "button", "aria-pressed": "false" }, "Reveal");
  reveal.addEventListener("click", () => {
    const shown = reveal.getAttribute("aria-pressed") !== "true";
    reveal.setAttribute("aria-pressed", String(shown));
    reveal.textContent = shown ? "Hide" : "Reveal";
    text.textContent = shown ? code : masked(code);
  });
  const copy = element("button", { type: "button" }, "Copy");
  copy.addEventListener("click", () => navigator.clipboard.writeText(code));
  row.append(text, reveal, copy);
  return row;
}

function render(order) {
  const status = STATUS_WORDS[order.status] ?? order.status;
  const header = element("h2", {}, `Order ${order.order_number}`);
  const badge = element("span", { class: "badge", part: "badge", "data-status": status.toLowerCase() }, status);
  const items = element("ul", { class: "items" });
  for (const item of order.items ?? []) {
    items.append(element("li", {}, `Item × ${item.quantity} — ${money(item.unit_price, order.currency)} each`));
  }
  const codes = element("ul", { class: "codes" });
  for (const code of order.voucher_codes ?? []) codes.append(codeRow(code));
  container.replaceChildren(header, badge, items, codes);
}

main().catch((error) => {
  container.textContent = `Could not load the order: ${error.message}`;
});

// Products, stock and orders: ListProducts (filter, pages), CreateProduct, AdjustStock, ListOrders, CreateOrder
// and GetOrder.
import { inventory, orders } from "../client.js";
import { clearViolations, field, formatTime, h, replace, showViolations } from "../dom.js";
import { describe, fieldViolations, isCanceled } from "../errors.js";
import { Order_State, type Order } from "../gen/order/v1/order_pb.js";
import type { Product } from "../gen/inventory/v1/inventory_pb.js";
import type { PageContext } from "../main.js";
import { formatMoney, parseMoney } from "../money.js";
import { current } from "../session.js";

const stateNames: Record<Order_State, string> = {
  [Order_State.UNSPECIFIED]: "unknown",
  [Order_State.PENDING]: "pending",
  [Order_State.PENDING_PAYMENT]: "waiting for payment",
  [Order_State.CONFIRMED]: "confirmed",
  [Order_State.FAILED]: "failed",
  [Order_State.CANCELLED]: "cancelled",
};

function fail(status: HTMLElement, form: HTMLElement | null, error: unknown): void {
  if (isCanceled(error)) return;
  replace(status, h("span", { class: "error", role: "alert" }, describe(error)));
  if (form) showViolations(form, fieldViolations(error), status);
}

function submitting(form: HTMLFormElement, status: HTMLElement, action: () => Promise<string>): void {
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    clearViolations(form);
    const button = form.querySelector<HTMLButtonElement>("button[type=submit]");
    if (button) button.disabled = true;
    replace(status, "Working…");
    try {
      replace(status, await action());
    } catch (error) {
      fail(status, form, error);
    } finally {
      if (button) button.disabled = false;
    }
  });
}

export const page = {
  title: "Products and orders",
  mount(root: HTMLElement, { signal, mode }: PageContext): void {
    // --- products -------------------------------------------------------------------------------------------------
    const filter = field("Filter", "filter", { type: "search", placeholder: 'name:"*lamp*" AND available > 0' });
    const productStatus = h("p", { class: "status", role: "status" });
    const productForm = h("form", { role: "search", class: "row", "aria-label": "Search products" }, filter.wrapper, h("div", { class: "field actions" }, h("button", { type: "submit" }, "Search")));
    const productBody = h("tbody");
    const more = h("button", { type: "button", class: "secondary", hidden: true }, "More products");
    let productToken = "";

    function productRow(p: Product): HTMLTableRowElement {
      return h("tr", {}, h("th", { scope: "row" }, p.sku), h("td", {}, p.name), h("td", { class: "num" }, formatMoney(p.price)), h("td", { class: "num" }, String(p.available)), h("td", { class: "num" }, String(p.reserved)), h("td", {}, p.active ? "yes" : "no"));
    }

    async function listProducts(append: boolean): Promise<void> {
      try {
        const response = await inventory.listProducts({ filter: filter.input.value.trim(), pageSize: 25, pageToken: append ? productToken : "", orderBy: "sku" }, { signal });
        if (!append) productBody.textContent = "";
        productBody.append(...response.products.map(productRow));
        if (productBody.children.length === 0) productBody.append(h("tr", {}, h("td", { colspan: 6 }, "No products match.")));
        productToken = response.nextPageToken;
        more.hidden = productToken === "";
        replace(productStatus, `${response.totalSize} product(s).`);
      } catch (error) {
        fail(productStatus, productForm, error);
      }
    }
    productForm.addEventListener("submit", (event) => {
      event.preventDefault();
      clearViolations(productForm);
      void listProducts(false);
    });
    more.addEventListener("click", () => void listProducts(true));

    // --- new product ------------------------------------------------------------------------------------------------
    const sku = field("SKU", "sku", { required: true, autocomplete: "off" });
    const name = field("Name", "name", { required: true, autocomplete: "off" });
    const price = field("Price", "price", { inputmode: "decimal", required: true, placeholder: "19.99" });
    const currency = field("Currency", "currency_code", { value: "USD", maxlength: 3, autocomplete: "off" });
    const opening = field("Opening stock", "available", { type: "number", min: 0, value: 0 });
    const createStatus = h("p", { class: "status", role: "status" });
    const createForm = h("form", { class: "stack", "aria-labelledby": "new-product" }, sku.wrapper, name.wrapper, price.wrapper, currency.wrapper, opening.wrapper, h("button", { type: "submit" }, "Create product"), createStatus);
    submitting(createForm, createStatus, async () => {
      const code = currency.input.value.trim().toUpperCase();
      const amount = parseMoney(price.input.value, code);
      if (!amount) {
        showViolations(createForm, new Map([["price", `is not an amount in ${code || "the currency"}`]]), createStatus);
        return "The price needs fixing.";
      }
      const response = await inventory.createProduct({ product: { sku: sku.input.value.trim(), name: name.input.value.trim(), price: amount, available: BigInt(opening.input.value || "0"), active: true } }, { signal });
      createForm.reset();
      currency.input.value = "USD";
      void listProducts(false);
      return `Created ${response.product?.sku}.`;
    });

    // --- stock ------------------------------------------------------------------------------------------------------
    const stockSku = field("SKU", "sku", { required: true, autocomplete: "off" });
    const delta = field("Change (negative takes away)", "delta", { type: "number", required: true, step: 1 });
    const reason = field("Reason", "reason", { placeholder: "delivery", autocomplete: "off" });
    const stockStatus = h("p", { class: "status", role: "status" });
    const stockForm = h("form", { class: "stack", "aria-labelledby": "adjust-stock" }, stockSku.wrapper, delta.wrapper, reason.wrapper, h("button", { type: "submit" }, "Adjust stock"), stockStatus);
    submitting(stockForm, stockStatus, async () => {
      const response = await inventory.adjustStock({ sku: stockSku.input.value.trim(), delta: BigInt(delta.input.value || "0"), reason: reason.input.value.trim(), requestId: crypto.randomUUID() }, { signal });
      void listProducts(false);
      return `${response.product?.sku} now has ${response.product?.available} available.`;
    });

    // --- orders -----------------------------------------------------------------------------------------------------
    const orderBody = h("tbody");
    const orderStatus = h("p", { class: "status", role: "status" });
    const moreOrders = h("button", { type: "button", class: "secondary", hidden: true }, "More orders");
    let orderToken = "";

    function orderRow(o: Order): HTMLTableRowElement {
      return h(
        "tr",
        {},
        h("th", { scope: "row" }, h("button", { type: "button", class: "link", onclick: () => void showOrder(o.orderId) }, o.orderId)),
        h("td", {}, String(o.userId)),
        h("td", {}, stateNames[o.state] ?? String(o.state)),
        h("td", { class: "num" }, formatMoney(o.total)),
        h("td", {}, formatTime(o.createTime)),
      );
    }

    async function listOrders(append: boolean): Promise<void> {
      try {
        // Admins (and everyone under --auth none) see every user's orders; others see their own.
        const allUsers = mode === "none" || (current()?.roles.includes("admin") ?? false);
        const response = await orders.listOrders({ allUsers, pageSize: 25, pageToken: append ? orderToken : "" }, { signal });
        if (!append) orderBody.textContent = "";
        orderBody.append(...response.orders.map(orderRow));
        if (orderBody.children.length === 0) orderBody.append(h("tr", {}, h("td", { colspan: 5 }, "No orders yet.")));
        orderToken = response.nextPageToken;
        moreOrders.hidden = orderToken === "";
        replace(orderStatus);
      } catch (error) {
        fail(orderStatus, null, error);
      }
    }
    moreOrders.addEventListener("click", () => void listOrders(true));

    const detail = h("div", { class: "detail", "aria-live": "polite" });
    async function showOrder(id: string): Promise<void> {
      try {
        const { order } = await orders.getOrder({ orderId: id }, { signal });
        if (!order) return;
        replace(
          detail,
          h("h3", {}, `Order ${order.orderId}`),
          h(
            "dl",
            {},
            h("dt", {}, "State"),
            h("dd", {}, stateNames[order.state] ?? String(order.state), order.failureReason ? ` (${order.failureReason}: ${order.failureMessage})` : ""),
            h("dt", {}, "Buyer"),
            h("dd", {}, String(order.userId)),
            h("dt", {}, "Total"),
            h("dd", {}, formatMoney(order.total)),
            h("dt", {}, "Lines"),
            h("dd", {}, h("ul", {}, ...order.lines.map((l) => h("li", {}, `${l.quantity} × ${l.sku} at ${formatMoney(l.unitPrice)}`)))),
          ),
        );
      } catch (error) {
        fail(orderStatus, null, error);
      }
    }

    const orderSku = field("SKU", "sku", { required: true, autocomplete: "off" });
    const quantity = field("Quantity", "quantity", { type: "number", min: 1, value: 1, required: true });
    const payment = field("Payment token (empty: pay later)", "payment_method_token", { value: "tok_approve", autocomplete: "off" });
    const buyer = field("Buyer user id (0: you)", "user_id", { type: "number", min: 0, value: 0 });
    const placeStatus = h("p", { class: "status", role: "status" });
    const placeForm = h("form", { class: "stack", "aria-labelledby": "place-order" }, orderSku.wrapper, quantity.wrapper, buyer.wrapper, payment.wrapper, h("button", { type: "submit" }, "Place order"), placeStatus);
    submitting(placeForm, placeStatus, async () => {
      try {
        const { order } = await orders.createOrder(
          {
            requestId: crypto.randomUUID(),
            userId: BigInt(buyer.input.value || "0"),
            lines: [{ sku: orderSku.input.value.trim(), quantity: Number(quantity.input.value) }],
            paymentMethodToken: payment.input.value.trim(),
          },
          { signal },
        );
        return `Order ${order?.orderId} is ${order ? stateNames[order.state] : "placed"}.`;
      } finally {
        void listOrders(false);
        void listProducts(false);
      }
    });

    root.append(
      h("h1", { tabindex: -1 }, "Products and orders"),
      h(
        "section",
        { "aria-labelledby": "products" },
        h("h2", { id: "products" }, "Products"),
        productForm,
        productStatus,
        h("div", { class: "scroll" }, h("table", {}, h("thead", {}, h("tr", {}, ...["SKU", "Name", "Price", "Available", "Reserved", "Active"].map((c) => h("th", { scope: "col" }, c)))), productBody)),
        more,
      ),
      h(
        "div",
        { class: "columns three" },
        h("section", { "aria-labelledby": "new-product" }, h("h2", { id: "new-product" }, "New product"), createForm),
        h("section", { "aria-labelledby": "adjust-stock" }, h("h2", { id: "adjust-stock" }, "Stock"), stockForm),
        h("section", { "aria-labelledby": "place-order" }, h("h2", { id: "place-order" }, "Place an order"), placeForm),
      ),
      h(
        "section",
        { "aria-labelledby": "orders" },
        h("h2", { id: "orders" }, "Orders"),
        orderStatus,
        h("div", { class: "scroll" }, h("table", {}, h("thead", {}, h("tr", {}, ...["Order", "Buyer", "State", "Total", "Placed"].map((c) => h("th", { scope: "col" }, c)))), orderBody)),
        moreOrders,
        detail,
      ),
    );
    void listProducts(false);
    void listOrders(false);
  },
};

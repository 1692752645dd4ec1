// The console end to end in headless Chromium (Debian's /usr/bin/chromium, or CHROMIUM_PATH) driven by
// playwright-core, against a real server that serves the built console. Screenshots go to
// $TESSERA_TEST_ARTIFACTS/screenshots (default artifacts/test-results/screenshots). Without Chromium each test is
// skipped, saying how to get it (scripts/test turns those skips into failures under CI=true).
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { Code } from "@connectrpc/connect";
import { chromium } from "playwright-core";
import { clients, signedIn } from "./connect.mjs";
import { repoRoot, startServer } from "./server.mjs";

const executablePath = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const shots = join(process.env.TESSERA_TEST_ARTIFACTS ?? join(repoRoot, "artifacts/test-results"), "screenshots");
const timeout = 15_000;
const missing = existsSync(executablePath) ? false : `missing ${executablePath} (Debian: apt-get install chromium, or set CHROMIUM_PATH)`;
// Every test here needs Chromium: skipped with the reason when it is not installed.
const e2e = (name, fn) => test(name, { skip: missing }, fn);

let server;
let browser;
let api;

before(async () => {
  if (missing) return;
  await mkdir(shots, { recursive: true });
  server = await startServer();
  browser = await chromium.launch({ executablePath });
  api = await signedIn(server);
});
after(async () => {
  await browser?.close();
  await server?.stop();
});

/** A fresh browser context (its own sessionStorage) signed in through the console's form. */
async function signIn(username, password, viewport = { width: 1280, height: 900 }) {
  const context = await browser.newContext({ viewport });
  const page = await context.newPage();
  page.setDefaultTimeout(timeout);
  const errors = [];
  page.on("pageerror", (error) => errors.push(error));
  await page.goto(`${server.webUrl}/#/users`);
  await page.getByRole("heading", { name: "Sign in" }).waitFor();
  await page.getByLabel("Username or email").fill(username);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByText(`Signed in as ${username}`).waitFor();
  return { context, page, errors };
}

async function shot(page, name) {
  await page.screenshot({ path: join(shots, `${name}.png`), fullPage: true });
}

/** Creates users through gRPC-Web until `page`'s live log shows one: its watch is then surely following. */
async function untilWatching(page) {
  const deadline = Date.now() + timeout;
  for (let i = 0; Date.now() < deadline; i++) {
    const username = `probe-${Date.now()}-${i}`;
    await api.users.createUser({ username, email: `${username}@example.com` });
    try {
      await page.locator(".live-log li", { hasText: username }).waitFor({ timeout: 1_000 });
      return;
    } catch {
      // not following yet: try again
    }
  }
  throw new Error("the users page never showed a live change");
}

e2e("browser: sign in from the keyboard alone, and the users page lists the directory", async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  page.setDefaultTimeout(timeout);
  const errors = [];
  page.on("pageerror", (error) => errors.push(error));
  try {
    await page.goto(`${server.webUrl}/`);
    await page.getByRole("heading", { name: "Sign in" }).waitFor();
    // The page's heading has focus after navigation; Tab goes on to the first field, with a visible focus ring.
    await page.keyboard.press("Tab");
    const focused = () => page.evaluate(() => {
      const el = document.activeElement;
      return { label: el?.labels?.[0]?.textContent ?? el?.textContent ?? "", outline: el ? getComputedStyle(el).outlineStyle : "" };
    });
    assert.deepEqual(await focused(), { label: "Username or email", outline: "solid" });
    await page.keyboard.type("admin");
    await page.keyboard.press("Tab");
    assert.equal((await focused()).label, "Password");
    await page.keyboard.type(server.password);
    await page.keyboard.press("Enter");
    await page.getByText("Signed in as admin").waitFor();
    await page.getByRole("heading", { name: "Users", level: 1 }).waitFor();
    await page.locator("#users-table tbody th", { hasText: "admin" }).waitFor();
    await shot(page, "signed-in-users");
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

e2e("browser: a token about to expire is renewed with Refresh; a revoked sign-in goes back to the sign-in page", async () => {
  const { context, page, errors } = await signIn("admin", server.password);
  try {
    const stored = () => page.evaluate(() => JSON.parse(sessionStorage.getItem("tessera.session") ?? "null"));
    const first = await stored();
    assert.ok(first?.refresh, "the sign-in is kept in sessionStorage");
    // Make the access token look due: the next call refreshes first.
    await page.evaluate(() => {
      const tokens = JSON.parse(sessionStorage.getItem("tessera.session"));
      sessionStorage.setItem("tessera.session", JSON.stringify({ ...tokens, accessExpiresMs: Date.now() }));
    });
    await page.reload();
    await page.locator("#users-table tbody th", { hasText: "admin" }).waitFor();
    const second = await stored();
    assert.notEqual(second.refresh, first.refresh, "a new refresh token");
    assert.ok(second.accessExpiresMs > Date.now() + 30_000, "a fresh access token");

    // Presenting the spent refresh token again revokes the whole sign-in: when the access token is next due, the
    // console's refresh is refused and it asks for a new sign-in.
    await assert.rejects(api.auth.refresh({ refreshToken: first.refresh }), (e) => e.code === Code.Unauthenticated);
    await page.evaluate(() => {
      const tokens = JSON.parse(sessionStorage.getItem("tessera.session"));
      sessionStorage.setItem("tessera.session", JSON.stringify({ ...tokens, accessExpiresMs: Date.now() }));
    });
    await page.reload();
    await page.getByText("The server ended your sign-in").waitFor();
    await page.getByRole("heading", { name: "Sign in" }).waitFor();
    assert.equal(await stored(), null);
    await shot(page, "sign-in-ended");
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

e2e("browser: a user created in one page appears in a second page through the live watch", async () => {
  const first = await signIn("admin", server.password);
  const second = await signIn("admin", server.password);
  try {
    await second.page.locator("#users-table tbody th", { hasText: "admin" }).waitFor();
    await untilWatching(second.page);
    await first.page.getByLabel("Username", { exact: true }).fill("carol");
    await first.page.getByLabel("Email").fill("carol@example.com");
    await first.page.getByLabel("Full name").fill("Carol Live");
    await first.page.getByRole("button", { name: "Create user" }).click();
    await first.page.getByText(/Created carol \(#\d+\)/).waitFor();
    await second.page.locator("#users-table tbody th", { hasText: "carol" }).waitFor();
    await second.page.locator(".live-log li", { hasText: "created carol" }).waitFor();
    await shot(first.page, "live-created-first-page");
    await shot(second.page, "live-created-second-page");
    assert.deepEqual([...first.errors, ...second.errors], []);
  } finally {
    await first.context.close();
    await second.context.close();
  }
});

e2e("browser: the server's field violation is shown at its field", async () => {
  const { context, page, errors } = await signIn("admin", server.password);
  try {
    await page.getByLabel("Username", { exact: true }).fill("dave");
    await page.getByLabel("Email").fill("not-an-email");
    await page.getByRole("button", { name: "Create user" }).click();
    const email = page.locator('[data-field="email"]');
    await email.locator(".field-error:not([hidden])").waitFor();
    assert.ok((await email.locator(".field-error").textContent()).length > 0);
    assert.equal(await page.getByLabel("Email").getAttribute("aria-invalid"), "true");
    assert.match(await page.locator('[role="alert"]', { hasText: "INVALID_ARGUMENT" }).textContent(), /INVALID_ARGUMENT/);
    // The field that was fine carries no message.
    assert.equal(await page.locator('[data-field="username"] .field-error').isHidden(), true);
    await shot(page, "field-violation");
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

e2e("browser: an edit is guarded by the etag it was loaded with, and a delete asks first", async () => {
  const { user } = await api.users.createUser({ username: "frank", email: "frank@example.com", fullName: "Frank" });
  const { context, page, errors } = await signIn("admin", server.password);
  try {
    await page.getByRole("button", { name: "Edit frank" }).click();
    await page.getByRole("heading", { name: "Edit frank" }).waitFor();
    // Someone else changes frank meanwhile.
    await api.users.updateUser({ userId: user.id, user: { fullName: "Changed elsewhere" }, updateMask: { paths: ["full_name"] } });
    await page.getByLabel("Full name").fill("Mine");
    await page.getByRole("button", { name: "Save changes" }).click();
    await page.getByRole("alert").getByText(/Someone changed this user.*ABORTED/).waitFor();
    assert.equal((await api.users.getUser({ userId: user.id })).fullName, "Changed elsewhere");
    await shot(page, "edit-conflict");

    // Opened again, the edit carries the new etag and goes through.
    await page.getByRole("button", { name: "Edit frank" }).click();
    await page.waitForFunction(() => document.querySelector('input[name="full_name"]')?.value === "Changed elsewhere");
    await page.getByLabel("Full name").fill("Mine");
    await page.getByRole("button", { name: "Save changes" }).click();
    await page.getByText("Saved frank.").waitFor();
    assert.equal((await api.users.getUser({ userId: user.id })).fullName, "Mine");

    page.once("dialog", (dialog) => void dialog.accept());
    await page.getByRole("button", { name: "Delete frank" }).click();
    await page.getByText("Deleted frank.").waitFor();
    await page.locator("#users-table tbody th", { hasText: "frank" }).waitFor({ state: "detached" });
    await assert.rejects(api.users.getUser({ userId: user.id }), (e) => e.code === Code.NotFound);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

e2e("browser: chat between two pages", async () => {
  const password = "bob-password-123";
  await api.users.createUser({ username: "bob", email: "bob@example.com", password });
  const admin = await signIn("admin", server.password);
  const bob = await signIn("bob", password);
  try {
    const room = `e2e-${Date.now()}`;
    for (const [who, { page }] of [["admin", admin], ["bob", bob]]) {
      await page.goto(`${server.webUrl}/#/chat`);
      await page.getByRole("textbox", { name: "Room", exact: true }).fill(room);
      // Signed in, one chats under one's username: no name to choose.
      assert.equal(await page.getByLabel("Your name").isVisible(), false);
      await page.getByRole("button", { name: "Join room" }).click();
      // Its own join comes back through the stream: the subscription is in place.
      await page.locator("#chat-log li", { hasText: `${who} joined` }).waitFor();
    }
    await admin.page.locator("#chat-log li", { hasText: "bob joined" }).waitFor();
    await admin.page.getByRole("textbox", { name: "Message", exact: true }).fill("hello bob");
    await admin.page.getByRole("button", { name: "Send" }).click();
    await bob.page.locator("#chat-log li", { hasText: "admin: hello bob" }).waitFor();
    await bob.page.getByRole("textbox", { name: "Message", exact: true }).fill("hi admin");
    await bob.page.keyboard.press("Enter");
    await admin.page.locator("#chat-log li", { hasText: "bob: hi admin" }).waitFor();
    await shot(admin.page, "chat-admin");
    await shot(bob.page, "chat-bob");
    assert.deepEqual([...admin.errors, ...bob.errors], []);
  } finally {
    await admin.context.close();
    await bob.context.close();
  }
});

e2e("browser: the metrics page draws request rate and latency from StreamMetrics", async () => {
  const { context, page, errors } = await signIn("admin", server.password);
  try {
    await page.goto(`${server.webUrl}/#/metrics`);
    await page.getByRole("heading", { name: "Metrics" }).waitFor();
    // Traffic to chart, for up to 15 s, until the chart has a few points and a method shows a rate.
    const deadline = Date.now() + timeout;
    let points = 0;
    while (Date.now() < deadline) {
      await Promise.all(Array.from({ length: 20 }, () => api.users.searchUsers({ pageSize: 5 })));
      points = Number((await page.locator("#rate-chart").getAttribute("data-points")) ?? 0);
      if (points >= 3 && (await page.locator("tbody th", { hasText: "SearchUsers" }).count()) > 0) break;
      await new Promise((r) => setTimeout(r, 250));
    }
    assert.ok(points >= 3, `the chart has ${points} points`);
    await page.locator("tbody th", { hasText: "/user.v1.UserService/SearchUsers" }).waitFor();
    // The series line is drawn on the canvas: pixels in its colour (#0b57d0).
    const line = await page.locator("#rate-chart canvas").evaluate((canvas) => {
      const { data } = canvas.getContext("2d").getImageData(0, 0, canvas.width, canvas.height);
      let count = 0;
      for (let i = 0; i < data.length; i += 4) {
        if (Math.abs(data[i] - 11) < 40 && Math.abs(data[i + 1] - 87) < 40 && Math.abs(data[i + 2] - 208) < 40 && data[i + 3] > 200) count++;
      }
      return count;
    });
    assert.ok(line > 50, `${line} pixels of the rate line`);
    assert.equal(await page.locator("#latency-chart canvas").count(), 1);
    await shot(page, "metrics");
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

e2e("browser: at a 375 px phone width every page fits and every input has a label", async () => {
  const { context, page, errors } = await signIn("admin", server.password, { width: 375, height: 812 });
  try {
    for (const route of ["users", "shop", "chat", "metrics"]) {
      await page.goto(`${server.webUrl}/#/${route}`);
      await page.locator("main h1").waitFor();
      await page.waitForLoadState("networkidle").catch(() => undefined);
      const { overflow, unlabelled, lang } = await page.evaluate(() => ({
        overflow: document.documentElement.scrollWidth - window.innerWidth,
        unlabelled: [...document.querySelectorAll("input, select")].filter((i) => i.type !== "hidden" && i.labels.length === 0 && !i.getAttribute("aria-label")).map((i) => i.name || i.className),
        lang: document.documentElement.lang,
      }));
      assert.ok(overflow <= 0, `#/${route} is ${overflow} px wider than the screen`);
      assert.deepEqual(unlabelled, [], `#/${route} has inputs without a label`);
      assert.equal(lang, "en");
      await shot(page, `phone-${route}`);
    }
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

e2e("browser: products, stock and an order through the shop page", async () => {
  const { context, page, errors } = await signIn("admin", server.password);
  try {
    await page.goto(`${server.webUrl}/#/shop`);
    const product = page.getByRole("form", { name: "New product" });
    await product.getByLabel("SKU").fill("LAMP-1");
    await product.getByLabel("Name").fill("Desk lamp");
    await product.getByLabel("Price").fill("19.99");
    await product.getByLabel("Opening stock").fill("5");
    await product.getByRole("button", { name: "Create product" }).click();
    await product.getByText("Created LAMP-1.").waitFor();
    const row = page.locator("tr", { has: page.locator("th", { hasText: "LAMP-1" }) });
    await row.getByText("19.99 USD").waitFor();

    const stock = page.getByRole("form", { name: "Stock" });
    await stock.getByLabel("SKU").fill("LAMP-1");
    await stock.getByLabel("Change (negative takes away)").fill("3");
    await stock.getByRole("button", { name: "Adjust stock" }).click();
    await stock.getByText("LAMP-1 now has 8 available.").waitFor();

    const order = page.getByRole("form", { name: "Place an order" });
    await order.getByLabel("SKU").fill("LAMP-1");
    await order.getByLabel("Quantity").fill("2");
    await order.getByRole("button", { name: "Place order" }).click();
    await order.getByText(/Order \S+ is confirmed\./).waitFor();
    const orders = page.locator("section", { has: page.getByRole("heading", { name: "Orders" }) });
    await orders.getByText("39.98 USD").waitFor();
    await orders.getByRole("button").first().click();
    await page.getByText("2 × LAMP-1 at 19.99 USD").waitFor();
    await row.locator("td", { hasText: /^6$/ }).waitFor();

    // A refusal in plain words: too many lamps.
    await order.getByLabel("Quantity").fill("100");
    await order.getByRole("button", { name: "Place order" }).click();
    await order.getByRole("alert").getByText(/FAILED_PRECONDITION/).waitFor();
    await shot(page, "shop");
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

e2e("browser: a server started with --auth none needs no sign-in, and the console says so", async () => {
  const open = await startServer({ args: ["--auth", "none"] });
  const context = await browser.newContext();
  try {
    await clients(open.webUrl).users.createUser({ username: "erin", email: "erin@example.com" });
    const page = await context.newPage();
    page.setDefaultTimeout(timeout);
    await page.goto(`${open.webUrl}/#/users`);
    await page.getByText("No sign-in: this server runs with --auth none").waitFor();
    await page.locator("#users-table tbody th", { hasText: "erin" }).waitFor();
    assert.equal(await page.getByRole("button", { name: "Sign in" }).count(), 0);
    await shot(page, "auth-none");
  } finally {
    await context.close();
    await open.stop();
  }
});

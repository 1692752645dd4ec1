// The console's shell: which server mode it is in, who is signed in, and the hash routes (#/users, #/shop,
// #/chat, #/metrics, #/signin). Each page is loaded when first opened and gets an AbortSignal that ends its
// streams when the reader leaves it.
import "./style.css";
import { h, replace } from "./dom.js";
import { describe } from "./errors.js";
import { current, onChange, probeAuthMode, signOut, type AuthMode } from "./session.js";

export interface PageContext {
  mode: AuthMode;
  signal: AbortSignal;
  /** Where the sign-in page sends the reader afterwards. */
  next: string;
}

interface Page {
  title: string;
  mount(root: HTMLElement, context: PageContext): void;
}

const pages: Record<string, () => Promise<Page>> = {
  signin: () => import("./pages/signin.js").then((m) => m.page),
  users: () => import("./pages/users.js").then((m) => m.page),
  shop: () => import("./pages/shop.js").then((m) => m.page),
  chat: () => import("./pages/chat.js").then((m) => m.page),
  metrics: () => import("./pages/metrics.js").then((m) => m.page),
};

const main = document.getElementById("main") as HTMLElement;
const who = document.getElementById("who") as HTMLElement;
let mode: AuthMode | null = null;
let active: AbortController | null = null;

function route(): { name: string; next: string } {
  const [path, query] = location.hash.replace(/^#\/?/, "").split("?");
  const name = path && path in pages ? path : "users";
  const next = new URLSearchParams(query ?? "").get("next") ?? "users";
  return { name, next: next in pages && next !== "signin" ? next : "users" };
}

async function show(): Promise<void> {
  active?.abort();
  const controller = (active = new AbortController());
  if (mode === null) return;
  let { name, next } = route();
  if (mode === "tokens" && !current() && name !== "signin") {
    location.replace(`#/signin?next=${name}`);
    return;
  }
  for (const link of document.querySelectorAll<HTMLAnchorElement>("nav a")) {
    if (link.hash === `#/${name}`) link.setAttribute("aria-current", "page");
    else link.removeAttribute("aria-current");
  }
  try {
    const page = await pages[name]();
    if (controller.signal.aborted) return;
    document.title = `${page.title} · Tessera console`;
    main.textContent = "";
    page.mount(main, { mode, signal: controller.signal, next });
    main.querySelector<HTMLElement>("h1")?.focus();
  } catch (error) {
    replace(main, h("h1", { tabindex: -1 }, "This page could not be opened"), h("p", { role: "alert" }, describe(error)));
  }
}

function showWho(): void {
  if (mode === "none") {
    replace(who, h("span", {}, "No sign-in: this server runs with --auth none, every caller is an admin"));
    return;
  }
  const user = current();
  if (!user) {
    replace(who, h("span", {}, "Not signed in"));
    return;
  }
  replace(
    who,
    h("span", {}, `Signed in as ${user.username}${user.roles.length ? ` (${user.roles.join(", ")})` : ""}`),
    h("button", { type: "button", class: "secondary", onclick: () => void signOut() }, "Sign out"),
  );
}

async function start(): Promise<void> {
  try {
    mode = await probeAuthMode();
  } catch (error) {
    replace(
      main,
      h("h1", { tabindex: -1 }, "The server could not be reached"),
      h("p", { role: "alert" }, describe(error)),
      h("button", { type: "button", onclick: () => void start() }, "Try again"),
    );
    return;
  }
  showWho();
  await show();
}

onChange(() => {
  showWho();
  // Signed out (or the sign-in expired): back to the sign-in page, which says so.
  if (mode === "tokens" && !current() && route().name !== "signin") void show();
});
window.addEventListener("hashchange", () => void show());
void start();

import { append, field, h, replace } from "../dom.js";
import { describe } from "../errors.js";
import type { PageContext } from "../main.js";
import { current, signIn, takeEnded } from "../session.js";

export const page = {
  title: "Sign in",
  mount(root: HTMLElement, { mode, next }: PageContext): void {
    const heading = h("h1", { tabindex: -1 }, "Sign in");
    if (mode === "none") {
      root.append(
        heading,
        h("p", {}, "This server was started with --auth none: it needs no sign-in and treats every caller as an admin."),
        h("p", {}, h("a", { href: `#/${next}` }, "Go to the console")),
      );
      return;
    }
    const username = field("Username or email", "username", { autocomplete: "username", required: true });
    const password = field("Password", "password", { type: "password", autocomplete: "current-password", required: true });
    const status = h("p", { role: "status", class: "status" });
    const button = h("button", { type: "submit" }, "Sign in");
    const form = h("form", { class: "stack narrow", "aria-label": "Sign in" }, username.wrapper, password.wrapper, button, status);
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      button.disabled = true;
      replace(status, "Signing in…");
      try {
        await signIn(username.input.value.trim(), password.input.value);
        location.hash = `#/${next}`;
      } catch (error) {
        replace(status, h("span", { class: "error", role: "alert" }, describe(error)));
        password.input.select();
      } finally {
        button.disabled = false;
      }
    });
    const signedIn = current();
    append(
      root,
      heading,
      takeEnded() ? h("p", { role: "alert" }, "The server ended your sign-in (it expired or was revoked). Sign in again to go on.") : null,
      signedIn ? h("p", {}, `You are signed in as ${signedIn.username}; signing in again replaces that sign-in.`) : h("p", {}, "Sign in with your Tessera account."),
      form,
    );
  },
};

// Users: search and page through with the filter language (SearchUsers), a table kept live by WatchUserChanges,
// and a form to create or edit a user that shows the server's field violations next to the fields. Edits and
// deletes send the etag the user had when it was loaded, so someone else's change in between is refused.
import { Code, ConnectError } from "@connectrpc/connect";
import { users } from "../client.js";
import { clearViolations, field, h, replace, select, showViolations } from "../dom.js";
import { describe, fieldViolations, isCanceled } from "../errors.js";
import { UserEvent_EventType, type User } from "../gen/user/v1/user_pb.js";
import type { PageContext } from "../main.js";

const retryMs = 3_000;

export const page = {
  title: "Users",
  mount(root: HTMLElement, { signal }: PageContext): void {
    // --- search -------------------------------------------------------------------------------------------------
    const filter = field("Filter", "filter", { type: "search", placeholder: 'username:"ali*" AND is_active = true' });
    const orderBy = select("Order", "order_by", [
      ["", "By id"],
      ["username", "By username"],
      ["created_at desc", "Newest first"],
    ]);
    const pageSize = select("Per page", "page_size", [["10", "10"], ["25", "25"], ["50", "50"]]);
    const searchStatus = h("p", { class: "status", role: "status" });
    const searchForm = h(
      "form",
      { role: "search", class: "row", "aria-label": "Search users" },
      filter.wrapper,
      orderBy.wrapper,
      pageSize.wrapper,
      h("div", { class: "field actions" }, h("button", { type: "submit" }, "Search")),
    );

    const listHeading = h("h2", { id: "list-heading", tabindex: -1 }, "Directory");
    const body = h("tbody");
    // Columns marked wide are left out on a phone (the edit form shows them all).
    const columns: [string, boolean][] = [["ID", true], ["Username", false], ["Email", false], ["Full name", true], ["Roles", true], ["Active", true], ["Actions", false]];
    const caption = h("caption", {}, "Users");
    const table = h(
      "table",
      { id: "users-table" },
      caption,
      h("thead", {}, h("tr", {}, ...columns.map(([c, wide]) => h("th", { scope: "col", class: wide ? "wide" : null }, c)))),
      body,
    );
    const previous = h("button", { type: "button", class: "secondary", disabled: true }, "Previous page");
    const next = h("button", { type: "button", class: "secondary", disabled: true }, "Next page");
    const liveStatus = h("p", { class: "status", id: "live-status" });
    const liveLog = h("ol", { class: "live-log", "aria-live": "polite", "aria-label": "Live changes" });

    // The tokens of the pages before the current one, so "Previous page" can go back.
    let tokens: string[] = [];
    let pageToken = "";
    let rows = new Map<bigint, User>();
    // Only the latest search may fill the table (an older answer can arrive after a newer one).
    let searches = 0;

    function renderRows(): void {
      replace(body, ...[...rows.values()].map(row));
      if (rows.size === 0) body.append(h("tr", {}, h("td", { colspan: 7 }, "No users match.")));
    }

    function row(user: User): HTMLTableRowElement {
      return h(
        "tr",
        { "data-user-id": String(user.id) },
        h("td", { class: "wide" }, String(user.id)),
        h("th", { scope: "row" }, user.username),
        h("td", { class: "email" }, user.email),
        h("td", { class: "wide" }, user.fullName),
        h("td", { class: "wide" }, user.roles.join(", ")),
        h("td", { class: "wide" }, user.isActive ? "yes" : "no"),
        h(
          "td",
          { class: "actions" },
          h("button", { type: "button", class: "secondary", "aria-label": `Edit ${user.username}`, onclick: () => void edit(user.id) }, "Edit"),
          h("button", { type: "button", class: "danger", "aria-label": `Delete ${user.username}`, onclick: () => void remove(user) }, "Delete"),
        ),
      );
    }

    async function search(): Promise<void> {
      const mine = ++searches;
      replace(searchStatus, "Searching…");
      clearViolations(searchForm);
      try {
        const response = await users.searchUsers(
          { filter: filter.input.value.trim(), orderBy: orderBy.input.value, pageSize: Number(pageSize.input.value), pageToken },
          { signal },
        );
        if (mine !== searches) return;
        rows = new Map(response.users.map((u) => [u.id, u]));
        renderRows();
        // A new filter's watch starts at the revision the page was read at, so no change made meanwhile is missed.
        if (watchFromPage) {
          watchFromPage = false;
          lastRevision = response.revision;
          watch(true);
        }
        const first = tokens.length * Number(pageSize.input.value);
        caption.textContent = response.users.length
          ? `Users ${first + 1}–${first + response.users.length} of ${response.totalSize}`
          : `No users of ${response.totalSize} match`;
        previous.disabled = tokens.length === 0;
        next.disabled = response.nextPageToken === "";
        next.dataset.token = response.nextPageToken;
        replace(searchStatus);
      } catch (error) {
        if (isCanceled(error) || mine !== searches) return;
        replace(searchStatus, h("span", { class: "error", role: "alert" }, describe(error)));
        showViolations(searchForm, fieldViolations(error), searchStatus);
      }
    }

    searchForm.addEventListener("submit", (event) => {
      event.preventDefault();
      tokens = [];
      pageToken = "";
      watchFromPage = true;
      void search();
    });
    next.addEventListener("click", () => {
      tokens.push(pageToken);
      pageToken = next.dataset.token ?? "";
      void search();
    });
    previous.addEventListener("click", () => {
      pageToken = tokens.pop() ?? "";
      void search();
    });

    // --- live changes ---------------------------------------------------------------------------------------------
    let watcher: AbortController | null = null;
    let lastRevision = 0n;
    let watchFromPage = true;

    function apply(type: UserEvent_EventType, user: User): void {
      const names = { [UserEvent_EventType.CREATED]: "created", [UserEvent_EventType.UPDATED]: "updated", [UserEvent_EventType.DELETED]: "deleted" };
      liveLog.prepend(h("li", {}, `${names[type]} ${user.username} (#${user.id})`));
      while (liveLog.children.length > 10) liveLog.lastElementChild?.remove();
      // Only the row that changed is touched, so keyboard focus elsewhere in the table stays where it is.
      const shown = body.querySelector<HTMLTableRowElement>(`tr[data-user-id="${user.id}"]`);
      if (type === UserEvent_EventType.DELETED) {
        rows.delete(user.id);
        shown?.remove();
        if (rows.size === 0) renderRows();
      } else if (rows.has(user.id)) {
        rows.set(user.id, user);
        shown?.replaceWith(row(user));
      } else if (type === UserEvent_EventType.CREATED && tokens.length === 0) {
        // A new user goes on top of the first page, whatever the order, so that it is seen.
        if (rows.size === 0) body.textContent = "";
        rows = new Map([[user.id, user], ...rows]);
        body.prepend(row(user));
      }
    }

    /** Follows the changes that match the filter; after a break, resumes from the last revision seen. */
    function watch(resume: boolean): void {
      watcher?.abort();
      const controller = (watcher = new AbortController());
      const stop = () => controller.abort();
      signal.addEventListener("abort", stop, { once: true });
      const request = resume ? { startRevision: lastRevision, filter: filter.input.value.trim() } : { liveOnly: true, filter: filter.input.value.trim() };
      replace(liveStatus, "Following changes live.");
      void (async () => {
        try {
          for await (const event of users.watchUserChanges(request, { signal: controller.signal })) {
            lastRevision = event.revision;
            if (event.user) apply(event.type, event.user);
          }
          replace(liveStatus, "The server ended the live updates. Reconnecting…");
        } catch (error) {
          if (controller.signal.aborted) return;
          if (error instanceof ConnectError && error.code === Code.InvalidArgument) {
            replace(liveStatus, h("span", { class: "error" }, `Live updates stopped: ${describe(error)}`));
            return;
          }
          replace(liveStatus, h("span", { class: "error" }, `Live updates interrupted (${describe(error)}); reconnecting in ${retryMs / 1000} s.`));
        } finally {
          signal.removeEventListener("abort", stop);
        }
        await new Promise((resolve) => setTimeout(resolve, retryMs));
        // Not when the reader has left the page or started another watch meanwhile.
        if (!signal.aborted && !controller.signal.aborted && watcher === controller) watch(lastRevision > 0n);
      })();
    }

    // --- create and edit ------------------------------------------------------------------------------------------
    const heading = h("h2", { id: "editor-heading", tabindex: -1 }, "Create a user");
    const username = field("Username", "username", { autocomplete: "off", required: true });
    const email = field("Email", "email", { type: "email", autocomplete: "off", required: true });
    const fullName = field("Full name", "full_name", { autocomplete: "off" });
    const password = field("Password (8 or more characters, optional)", "password", { type: "password", autocomplete: "new-password" });
    const roles = field("Roles (comma-separated)", "roles", { autocomplete: "off" });
    const active = field("Active", "is_active", { type: "checkbox" });
    active.wrapper.classList.add("checkbox");
    const save = h("button", { type: "submit" }, "Create user");
    const cancel = h("button", { type: "button", class: "secondary", hidden: true }, "Cancel edit");
    const editStatus = h("p", { class: "status", role: "status" });
    const editor = h(
      "form",
      { class: "stack", "aria-labelledby": "editor-heading", novalidate: true },
      username.wrapper,
      email.wrapper,
      fullName.wrapper,
      password.wrapper,
      roles.wrapper,
      active.wrapper,
      h("div", { class: "row" }, save, cancel),
      editStatus,
    );
    // The user being edited, with the etag it had when loaded; null when creating.
    let editing: User | null = null;

    function reset(): void {
      editing = null;
      editor.reset();
      clearViolations(editor);
      heading.textContent = "Create a user";
      save.textContent = "Create user";
      cancel.hidden = true;
      password.wrapper.hidden = false;
      active.wrapper.hidden = true;
    }

    async function edit(id: bigint): Promise<void> {
      try {
        const user = await users.getUser({ userId: id }, { signal });
        reset();
        editing = user;
        heading.textContent = `Edit ${user.username}`;
        save.textContent = "Save changes";
        cancel.hidden = false;
        password.wrapper.hidden = true;
        active.wrapper.hidden = false;
        username.input.value = user.username;
        email.input.value = user.email;
        fullName.input.value = user.fullName;
        roles.input.value = user.roles.join(", ");
        active.input.checked = user.isActive;
        replace(editStatus);
        heading.focus();
      } catch (error) {
        if (!isCanceled(error)) replace(editStatus, h("span", { class: "error", role: "alert" }, describe(error)));
      }
    }

    async function remove(user: User): Promise<void> {
      if (!confirm(`Delete ${user.username}? This cannot be undone.`)) return;
      try {
        await users.deleteUser({ userId: user.id, etag: user.etag }, { signal });
        rows.delete(user.id);
        body.querySelector(`tr[data-user-id="${user.id}"]`)?.remove();
        if (rows.size === 0) renderRows();
        replace(editStatus, `Deleted ${user.username}.`);
        // The button that had focus is gone with its row.
        listHeading.focus();
      } catch (error) {
        const stale = error instanceof ConnectError && error.code === Code.Aborted;
        replace(editStatus, h("span", { class: "error", role: "alert" }, stale ? `${user.username} changed since it was listed; search again before deleting. (${describe(error)})` : describe(error)));
      }
    }

    editor.addEventListener("submit", async (event) => {
      event.preventDefault();
      clearViolations(editor);
      save.disabled = true;
      replace(editStatus, editing ? "Saving…" : "Creating…");
      const roleList = roles.input.value.split(",").map((r) => r.trim()).filter((r) => r);
      try {
        if (editing) {
          const saved = await users.updateUser(
            {
              userId: editing.id,
              user: {
                id: editing.id,
                username: username.input.value.trim(),
                email: email.input.value.trim(),
                fullName: fullName.input.value.trim(),
                roles: roleList,
                isActive: active.input.checked,
                etag: editing.etag,
              },
              updateMask: { paths: ["username", "email", "full_name", "roles", "is_active"] },
            },
            { signal },
          );
          // The row gets the new etag now, whether or not the watch has delivered the change yet.
          if (rows.has(saved.id)) {
            rows.set(saved.id, saved);
            body.querySelector(`tr[data-user-id="${saved.id}"]`)?.replaceWith(row(saved));
          }
          reset();
          replace(editStatus, `Saved ${saved.username}.`);
        } else {
          const created = await users.createUser(
            {
              username: username.input.value.trim(),
              email: email.input.value.trim(),
              fullName: fullName.input.value.trim(),
              password: password.input.value,
              roles: roleList,
              requestId: crypto.randomUUID(),
            },
            { signal },
          );
          reset();
          replace(editStatus, `Created ${created.user?.username} (#${created.user?.id}).`);
        }
      } catch (error) {
        if (isCanceled(error)) return;
        const stale = error instanceof ConnectError && error.code === Code.Aborted;
        replace(
          editStatus,
          h("span", { class: "error", role: "alert" }, stale ? `Someone changed this user after you opened it; open it again to see their change. (${describe(error)})` : describe(error)),
        );
        showViolations(editor, fieldViolations(error), editStatus);
      } finally {
        save.disabled = false;
      }
    });
    cancel.addEventListener("click", () => {
      reset();
      replace(editStatus);
    });
    reset();

    root.append(
      h("h1", { tabindex: -1 }, "Users"),
      h(
        "div",
        { class: "columns" },
        h(
          "section",
          { "aria-labelledby": "list-heading" },
          listHeading,
          searchForm,
          searchStatus,
          h("div", { class: "scroll" }, table),
          h("div", { class: "row" }, previous, next),
          liveStatus,
          h("h3", {}, "Latest changes"),
          liveLog,
        ),
        h("section", { "aria-labelledby": "editor-heading" }, heading, editor),
      ),
    );
    void search();
  },
};

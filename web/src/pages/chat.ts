// A chat room for browsers: SubscribeChatRoom streams what is said in the room (the reader's own messages
// included), PostChatMessage says something. The same rooms as the CLI's `tessera chat`.
import { users } from "../client.js";
import { field, formatTime, h, replace, showViolations, clearViolations } from "../dom.js";
import { describe, fieldViolations, isCanceled } from "../errors.js";
import { ChatMessage_Kind, type ChatMessage } from "../gen/user/v1/user_pb.js";
import type { PageContext } from "../main.js";

export const page = {
  title: "Chat",
  mount(root: HTMLElement, { signal, mode }: PageContext): void {
    const room = field("Room", "room", { value: "lobby", required: true, autocomplete: "off" });
    // Signed-in callers chat under their username; without sign-in the server takes the name given here.
    const sender = field("Your name", "sender", { autocomplete: "nickname", value: "guest" });
    sender.wrapper.hidden = mode !== "none";
    const join = h("button", { type: "submit" }, "Join room");
    const joinStatus = h("p", { class: "status", role: "status", id: "chat-status" });
    const joinForm = h("form", { class: "row", "aria-label": "Choose a room" }, room.wrapper, sender.wrapper, h("div", { class: "field actions" }, join));

    const log = h("ol", { class: "chat-log", id: "chat-log", "aria-live": "polite", "aria-label": "Messages" });
    const text = field("Message", "text", { autocomplete: "off", required: true, maxlength: 4096 });
    const send = h("button", { type: "submit", disabled: true }, "Send");
    const postStatus = h("p", { class: "status", role: "status" });
    const postForm = h("form", { class: "row", "aria-label": "Send a message" }, text.wrapper, h("div", { class: "field actions" }, send));

    let subscription: AbortController | null = null;
    let joined = "";

    function line(m: ChatMessage): HTMLLIElement {
      const time = h("time", {}, formatTime(m.sentAt).slice(11));
      switch (m.kind) {
        case ChatMessage_Kind.JOIN:
          return h("li", { class: "event" }, time, ` ${m.sender} joined`);
        case ChatMessage_Kind.LEAVE:
          return h("li", { class: "event" }, time, ` ${m.sender} left`);
        default:
          return h("li", {}, time, " ", h("strong", {}, m.sender), `: ${m.text}`);
      }
    }

    function subscribe(): void {
      subscription?.abort();
      const controller = (subscription = new AbortController());
      const stop = () => controller.abort();
      signal.addEventListener("abort", stop, { once: true });
      joined = room.input.value.trim();
      log.textContent = "";
      replace(joinStatus, `In room ${joined}.`);
      send.disabled = false;
      void (async () => {
        try {
          for await (const message of users.subscribeChatRoom({ room: joined, sender: sender.input.value.trim() }, { signal: controller.signal })) {
            log.append(line(message));
            while (log.children.length > 200) log.firstElementChild?.remove();
            log.lastElementChild?.scrollIntoView({ block: "nearest" });
          }
          if (subscription === controller) replace(joinStatus, `The server closed room ${joined}; join again to continue.`);
        } catch (error) {
          if (controller.signal.aborted || isCanceled(error)) return;
          replace(joinStatus, h("span", { class: "error", role: "alert" }, `Left room ${joined}: ${describe(error)}`));
          showViolations(joinForm, fieldViolations(error), joinStatus);
        } finally {
          signal.removeEventListener("abort", stop);
          if (subscription === controller) send.disabled = true;
        }
      })();
    }

    joinForm.addEventListener("submit", (event) => {
      event.preventDefault();
      clearViolations(joinForm);
      subscribe();
    });
    postForm.addEventListener("submit", async (event) => {
      event.preventDefault();
      clearViolations(postForm);
      try {
        await users.postChatMessage({ room: joined, text: text.input.value, sender: sender.input.value.trim() }, { signal });
        text.input.value = "";
        replace(postStatus);
        text.input.focus();
      } catch (error) {
        if (isCanceled(error)) return;
        replace(postStatus, h("span", { class: "error", role: "alert" }, describe(error)));
        showViolations(postForm, fieldViolations(error), postStatus);
      }
    });

    root.append(
      h("h1", { tabindex: -1 }, "Chat"),
      joinForm,
      joinStatus,
      h("section", { "aria-label": "Room messages" }, log),
      postForm,
      postStatus,
    );
    subscribe();
  },
};

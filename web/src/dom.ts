// A few lines of DOM building, so the pages read as markup without a framework runtime.

type Child = Node | string | number | null | undefined | false;
type Attr = string | number | boolean | null | undefined | ((event: Event) => void);

/** Makes an element: `on…` attributes become listeners, `true` a bare attribute, `false`/null/undefined nothing. */
export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Record<string, Attr> = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (typeof value === "function") el.addEventListener(name.slice(2), value);
    else if (value === true) el.setAttribute(name, "");
    else if (value !== false && value !== null && value !== undefined) el.setAttribute(name, String(value));
  }
  append(el, ...children);
  return el;
}

export function append(parent: Node, ...children: Child[]): void {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    parent.appendChild(typeof child === "object" ? child : document.createTextNode(String(child)));
  }
}

/** Replaces every child of `parent`. */
export function replace(parent: Node, ...children: Child[]): void {
  parent.textContent = "";
  append(parent, ...children);
}

let ids = 0;

/**
 * A labelled input with a place for the server's message about it. `name` is the field name the server uses in
 * its BadRequest violations (see showViolations).
 */
export function field(
  label: string,
  name: string,
  attrs: Record<string, Attr> = {},
): { wrapper: HTMLDivElement; input: HTMLInputElement } {
  const id = `f${++ids}-${name}`;
  const error = h("p", { id: `${id}-error`, class: "field-error", hidden: true });
  const input = h("input", { id, name, "aria-describedby": `${id}-error`, ...attrs });
  const wrapper = h("div", { class: "field", "data-field": name }, h("label", { for: id }, label), input, error);
  return { wrapper, input };
}

/** A labelled select; options are [value, text] pairs. */
export function select(label: string, name: string, options: [string, string][]): { wrapper: HTMLDivElement; input: HTMLSelectElement } {
  const id = `f${++ids}-${name}`;
  const input = h("select", { id, name }, ...options.map(([value, text]) => h("option", { value }, text)));
  const wrapper = h("div", { class: "field", "data-field": name }, h("label", { for: id }, label), input);
  return { wrapper, input };
}

/** Shows each violation under its field in `form`; ones without a field there are listed in `fallback`. */
export function showViolations(form: HTMLElement, violations: Map<string, string>, fallback: HTMLElement): void {
  clearViolations(form);
  const unplaced: string[] = [];
  let first: HTMLInputElement | null = null;
  for (const [name, description] of violations) {
    const wrapper = form.querySelector<HTMLElement>(`[data-field="${CSS.escape(name)}"]`);
    const error = wrapper?.querySelector<HTMLElement>(".field-error");
    const input = wrapper?.querySelector<HTMLInputElement>("input, select");
    if (!error || !input) {
      unplaced.push(`${name}: ${description}`);
      continue;
    }
    error.textContent = description;
    error.hidden = false;
    input.setAttribute("aria-invalid", "true");
    first ??= input;
  }
  first?.focus();
  if (unplaced.length > 0) append(fallback, h("ul", { class: "error" }, ...unplaced.map((text) => h("li", {}, text))));
}

export function clearViolations(form: HTMLElement): void {
  for (const error of form.querySelectorAll<HTMLElement>(".field-error")) {
    error.textContent = "";
    error.hidden = true;
  }
  for (const input of form.querySelectorAll("[aria-invalid]")) input.removeAttribute("aria-invalid");
}

export function formatTime(t: { seconds: bigint; nanos: number } | undefined): string {
  if (!t) return "";
  return new Date(Number(t.seconds) * 1000 + Math.floor(t.nanos / 1e6)).toISOString().replace("T", " ").slice(0, 19);
}

// Small DOM helpers shared by the screens.

import type { CommandError } from "./api";
import type { Problems } from "./forms";
import type { Translator } from "./i18n";
import { errorMessage } from "./view";

export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Record<string, string | undefined> = {},
  ...children: (Node | string)[]
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) if (v !== undefined) node.setAttribute(k, v);
  node.append(...children);
  return node;
}

export interface FieldOptions {
  name: string;
  label: string;
  hint?: string;
  optional?: string;
  control: HTMLElement;
}

/** A labelled control with its hint and a slot for its error message. */
export function field(o: FieldOptions): HTMLElement {
  const id = `f-${o.name}`;
  o.control.id = id;
  o.control.setAttribute("name", o.name);
  o.control.setAttribute("data-testid", `${o.name}-input`);
  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;
  o.control.setAttribute("aria-describedby", o.hint ? `${hintId} ${errorId}` : errorId);
  const label = el("label", { for: id }, o.label);
  if (o.optional) label.append(" ", el("span", { class: "optional" }, `(${o.optional})`));
  const wrapper = el("div", { class: "field", "data-field": o.name }, label, o.control);
  if (o.hint) wrapper.append(el("p", { class: "hint", id: hintId }, o.hint));
  const error = el("p", { class: "field-error", id: errorId, "data-testid": `${o.name}-error`, role: "alert", hidden: "" });
  wrapper.append(error);
  // A message about the old value must not stay next to the new one.
  o.control.addEventListener("input", () => {
    error.hidden = true;
    error.textContent = "";
    wrapper.classList.remove("invalid");
    o.control.removeAttribute("aria-invalid");
  });
  return wrapper;
}

export function input(type: string, attrs: Record<string, string | undefined> = {}): HTMLInputElement {
  return el("input", { type, ...attrs });
}

/** Shows `problems` next to their fields and clears the others. */
export function showProblems(form: HTMLElement, problems: Problems, tr: Translator): void {
  for (const wrapper of form.querySelectorAll<HTMLElement>(".field[data-field]")) {
    const name = wrapper.dataset.field!;
    const slot = wrapper.querySelector<HTMLElement>(".field-error")!;
    const problem = problems[name];
    slot.textContent = problem ? tr.t(problem.key, problem.args) : "";
    slot.hidden = !problem;
    wrapper.classList.toggle("invalid", !!problem);
    wrapper.querySelector("input, select")?.setAttribute("aria-invalid", String(!!problem));
  }
}

/** A command's error: next to its field when it has one, else under the form. */
export function showCommandError(form: HTMLElement, error: CommandError | undefined, field: string | undefined, tr: Translator): void {
  const text = error ? errorMessage(error, tr) : "";
  const slot = form.querySelector<HTMLElement>(".form-error")!;
  if (error && field) {
    const wrapper = form.querySelector<HTMLElement>(`.field[data-field="${field}"]`);
    const fieldSlot = wrapper?.querySelector<HTMLElement>(".field-error");
    if (wrapper && fieldSlot) {
      fieldSlot.textContent = text;
      fieldSlot.hidden = false;
      fieldSlot.dataset.errorCode = error.code;
      wrapper.classList.add("invalid");
      slot.hidden = true;
      return;
    }
  }
  slot.textContent = text;
  slot.hidden = !error;
  if (error) slot.dataset.errorCode = error.code;
  else delete slot.dataset.errorCode;
}

export function formError(testid: string): HTMLElement {
  return el("p", { class: "form-error", role: "alert", "data-testid": testid, hidden: "" });
}

export function value(form: HTMLElement, name: string): string {
  const c = form.querySelector<HTMLInputElement | HTMLSelectElement>(`[name="${name}"]`);
  return c ? c.value : "";
}

export function formatDate(iso: string, locale: string): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toLocaleString(locale, { dateStyle: "medium", timeStyle: "short" });
}

/** A card section with a small heading. */
export function card(heading: string, testid: string, ...children: (Node | string)[]): HTMLElement {
  return el("section", { class: "card", "data-testid": testid }, el("h2", { class: "card-heading" }, heading), ...children);
}

/** The async clipboard when the web view grants it, else a selection copy. */
export async function copyText(text: string): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    const area = el("textarea", { class: "offscreen", readonly: "" });
    area.value = text;
    document.body.append(area);
    area.select();
    const ok = document.execCommand("copy");
    area.remove();
    return ok;
  }
}

// Logging a hand-over of a case's evidence: an ENTREGA (it left our hands)
// or a RECEPCION (it reached them), with the other person, institution,
// purpose, medium and seal — the continuity rows of the paper custody form.
// A bundle that went with it is verified first and must be of this case;
// the line then names its SHA-256.

import { api, type CaseView, type HandOverLogged } from "../api";
import { groupHash } from "../capture";
import { el, field, formError, input, showCommandError, showProblems, value } from "../dom";
import {
  ageKeyArgs,
  checkHandOverForm,
  cleanTypedPath,
  HANDOVER_KINDS,
  handoverFieldOfError,
  isHandOverKind,
  mayHandOver,
  MEDIUM_SUGGESTIONS,
  type HandOverKind,
} from "../evidence";
import type { MessageKey, Translator } from "../i18n";
import type { Ctx } from "./context";
import { ageKeyBlock, clearSecrets, errorBox, loading } from "./shared";

const KIND_LABEL: Record<HandOverKind, MessageKey> = { delivery: "handover.kind_delivery", receipt: "handover.kind_receipt" };
const KIND_HINT: Record<HandOverKind, MessageKey> = { delivery: "handover.kind_delivery_hint", receipt: "handover.kind_receipt_hint" };
const COUNTERPART_LABEL: Record<HandOverKind, MessageKey> = { delivery: "handover.counterpart_delivery", receipt: "handover.counterpart_receipt" };
const DONE_HEADING: Record<HandOverKind, MessageKey> = { delivery: "handover.done_delivery", receipt: "handover.done_receipt" };
const DONE_COUNTERPART: Record<HandOverKind, MessageKey> = { delivery: "handover.counterpart_done_delivery", receipt: "handover.counterpart_done_receipt" };

export function handoverScreen(ctx: Ctx, caseId: string): HTMLElement {
  const { tr } = ctx;
  const screen = el("div", { class: "stack", "data-testid": "handover-screen" }, loading(tr));
  void (async () => {
    const c = await api.getCase(caseId);
    if (!c.ok) return screen.replaceChildren(errorBox(tr, c.error));
    const back = el("a", { href: `#/cases/${encodeURIComponent(caseId)}`, class: "back", "data-testid": "back-to-case" }, tr.t("handover.back", { reference: c.value.reference }));
    const probe = ctx.status.probe;
    if (probe.state === "unlocked" && !mayHandOver(probe.me.role)) {
      return screen.replaceChildren(back, el("p", { class: "notice", "data-testid": "handover-not-permitted" }, tr.t("handover.not_permitted")));
    }
    const result = el("div", { "data-testid": "handover-result-slot" });
    const formCard = handoverCard(ctx, c.value, (kind, done) => {
      formCard.hidden = true;
      result.replaceChildren(
        doneCard(ctx, c.value, kind, done, () => {
          result.replaceChildren();
          formCard.hidden = false;
        }),
      );
      result.querySelector<HTMLElement>("h2")?.focus();
    });
    screen.replaceChildren(back, formCard, result);
  })();
  return screen;
}

/** Free text with suggestions: the medium is whatever it was. */
export function mediumField(tr: Translator, listId: string): HTMLElement {
  const control = input("text", { list: listId, autocomplete: "off" });
  const list = el("datalist", { id: listId }, ...MEDIUM_SUGGESTIONS.map((key) => el("option", { value: tr.t(key) })));
  const wrapper = field({ name: "medium", label: tr.t("handover.medium"), hint: tr.t("handover.medium_hint"), optional: tr.t("common.optional"), control });
  wrapper.append(list);
  return wrapper;
}

/** Institution, purpose, medium and seal: the rest of a hand-over, as both forms ask it. */
export function handOverDetailFields(tr: Translator, listId: string): HTMLElement[] {
  return [
    field({ name: "institution", label: tr.t("handover.institution"), hint: tr.t("handover.institution_hint"), optional: tr.t("common.optional"), control: input("text") }),
    field({ name: "purpose", label: tr.t("handover.purpose"), hint: tr.t("handover.purpose_hint"), optional: tr.t("common.optional"), control: input("text") }),
    mediumField(tr, listId),
    field({ name: "seal", label: tr.t("handover.seal"), optional: tr.t("common.optional"), control: input("text", { autocomplete: "off", spellcheck: "false" }) }),
  ];
}

/** The detail fields' values, blank ones as null. */
export function handOverDetails(form: HTMLElement): { institution: string | null; purpose: string | null; medium: string | null; seal: string | null } {
  const v = (name: string) => value(form, name).trim() || null;
  return { institution: v("institution"), purpose: v("purpose"), medium: v("medium"), seal: v("seal") };
}

function handoverCard(ctx: Ctx, c: CaseView, onDone: (kind: HandOverKind, v: HandOverLogged) => void): HTMLElement {
  const { tr } = ctx;
  const form = el("form", { class: "form", "data-testid": "handover-form", novalidate: "" });

  const choices = el("div", { class: "choices", role: "radiogroup", "aria-labelledby": "handover-kind-label" });
  for (const kind of HANDOVER_KINDS) {
    const id = `handover-kind-${kind}`;
    const radio = el("input", { type: "radio", id, name: "kind", value: kind, "data-testid": id, "aria-describedby": `${id}-hint` });
    radio.checked = kind === "delivery";
    choices.append(
      el("div", { class: "choice" }, radio, el("div", {}, el("label", { for: id }, tr.t(KIND_LABEL[kind])), el("p", { class: "hint", id: `${id}-hint` }, tr.t(KIND_HINT[kind])))),
    );
  }
  const kindField = el(
    "div",
    { class: "field", "data-field": "kind" },
    el("span", { class: "label", id: "handover-kind-label" }, tr.t("handover.kind")),
    choices,
    el("p", { class: "field-error", "data-testid": "kind-error", role: "alert", hidden: "" }),
  );
  const kind = (): HandOverKind => {
    const v = form.querySelector<HTMLInputElement>('input[name="kind"]:checked')?.value ?? "delivery";
    return isHandOverKind(v) ? v : "delivery";
  };

  const counterpartField = field({ name: "counterpart", label: tr.t(COUNTERPART_LABEL.delivery), hint: tr.t("handover.counterpart_hint"), control: input("text", { autocomplete: "off" }) });
  const counterpartLabel = counterpartField.querySelector("label")!;
  const showKind = () => {
    counterpartLabel.textContent = tr.t(COUNTERPART_LABEL[kind()]);
  };
  choices.addEventListener("change", showKind);

  const pathInput = input("text", { autocomplete: "off", spellcheck: "false", placeholder: tr.t("verify.path_placeholder") });
  pathInput.classList.add("wide");
  const bundleBlock = el(
    "fieldset",
    { class: "subtle-fieldset", "data-testid": "handover-bundle" },
    el("legend", {}, tr.t("handover.bundle"), " ", el("span", { class: "optional" }, `(${tr.t("common.optional")})`)),
    el("p", { class: "hint" }, tr.t("handover.bundle_hint")),
    field({ name: "bundle_path", label: tr.t("handover.bundle_path"), hint: tr.t("verify.path_hint"), control: pathInput }),
    ageKeyBlock(tr, pathInput, "handover-encrypted"),
  );

  const submit = el("button", { type: "submit", class: "primary", "data-testid": "handover-submit" }, tr.t("handover.submit"));
  const working = el("p", { class: "working", role: "status", "data-testid": "handover-working", hidden: "" });
  const fields = el("fieldset", { class: "plain-fieldset" }, kindField, counterpartField, ...handOverDetailFields(tr, "handover-media"), bundleBlock);
  form.append(fields, formError("handover-error"), working, el("div", { class: "actions" }, submit));
  showKind();

  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    const path = cleanTypedPath(value(form, "bundle_path"));
    const identity = cleanTypedPath(value(form, "age_identity"));
    const passphrase = value(form, "age_passphrase");
    const problems = checkHandOverForm({ counterpart: value(form, "counterpart"), bundlePath: path, ageIdentity: identity, agePassphrase: passphrase });
    showProblems(form, problems, tr);
    showCommandError(form, undefined, undefined, tr);
    if (Object.keys(problems).length > 0) return;

    const k = kind();
    const key = ageKeyArgs(identity, passphrase);
    fields.disabled = true;
    submit.disabled = true;
    working.textContent = tr.t(path ? "handover.working_bundle" : "handover.working");
    working.hidden = false;
    form.setAttribute("aria-busy", "true");
    const r = await api.logHandover(
      c.id,
      k,
      value(form, "counterpart").trim(),
      handOverDetails(form),
      path ? { path, age_identity_path: key.identity, age_passphrase: key.passphrase } : null,
    );
    fields.disabled = false;
    submit.disabled = false;
    working.hidden = true;
    form.removeAttribute("aria-busy");
    if (r.ok) {
      clearSecrets(form, ["age_passphrase"]);
      onDone(k, r.value);
      return;
    }
    const fieldName = handoverFieldOfError(r.error, !identity && !!passphrase);
    if (fieldName === "age_identity" || fieldName === "age_passphrase") form.querySelector<HTMLDetailsElement>('[data-testid="handover-encrypted"]')!.open = true;
    showCommandError(form, r.error, fieldName, tr);
  });

  return el(
    "section",
    { class: "card" },
    el("h2", { class: "page-title", "data-testid": "handover-title" }, tr.t("handover.heading")),
    el("p", { class: "lead" }, tr.t("handover.case", { reference: c.reference })),
    el("p", { class: "hint intro" }, tr.t("handover.intro")),
    form,
  );
}

function doneCard(ctx: Ctx, c: CaseView, kind: HandOverKind, v: HandOverLogged, again: () => void): HTMLElement {
  const { tr } = ctx;
  const facts = el("dl", { class: "facts" });
  const add = (label: string, text: string, testid: string, mono = false) =>
    facts.append(el("dt", {}, label), el("dd", { "data-testid": testid, class: mono ? "" : "text" }, text));
  add(tr.t("handover.event"), v.event, "handover-event", true);
  add(tr.t(DONE_COUNTERPART[kind]), v.counterpart, "handover-counterpart");
  const hash = (label: MessageKey, sha256: string, testid: string) =>
    facts.append(el("dt", {}, tr.t(label)), el("dd", { "data-testid": testid, "data-sha256": sha256, translate: "no" }, groupHash(sha256)));
  if (v.bundle_sha256) hash("handover.manifest_sha256", v.bundle_sha256, "handover-manifest-hash");
  if (v.file_sha256) hash("handover.file_sha256", v.file_sha256, "handover-file-hash");

  const another = el("button", { type: "button", "data-testid": "handover-again" }, tr.t("handover.again"));
  another.addEventListener("click", again);
  const toCase = el("a", { href: `#/cases/${encodeURIComponent(c.id)}`, class: "button", "data-testid": "handover-to-case" }, tr.t("handover.to_case"));
  return el(
    "section",
    { class: "card export-done", "data-testid": "handover-result", role: "status" },
    el("h2", { class: "page-title", tabindex: "-1", "data-testid": "handover-done-title" }, tr.t(DONE_HEADING[kind])),
    el("p", {}, tr.t("handover.done_detail", { reference: c.reference })),
    facts,
    v.bundle_sha256 ? "" : el("p", { class: "hint", "data-testid": "handover-no-bundle" }, tr.t("handover.no_bundle")),
    el("div", { class: "actions" }, another, toCase),
  );
}

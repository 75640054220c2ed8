// Receiving another vault's evidence bundle: verified in full, its originals
// imported byte for byte into a new case (or one chosen here), its
// transcripts and annotations taken, the rest kept sealed, one RECEPCION
// logged. Like an export it owns the vault while it runs, so a lock asked
// for meanwhile waits until it ends (see main.ts) and the window refuses to
// close.

import { api, type CaseView, type ReceivedView } from "../api";
import { groupHash } from "../capture";
import { el, field, formError, input, showCommandError, showProblems, value } from "../dom";
import { ageKeyArgs, checkReceiveForm, cleanTypedPath, handoverFieldOfError, mayReceive } from "../evidence";
import { routeHash } from "../routes";
import type { Ctx } from "./context";
import { bundleWork } from "../bundle-work";
import { handOverDetailFields, handOverDetails } from "./handover";
import { ageKeyBlock, clearSecrets, errorBox, loading } from "./shared";

/** The reception that may be running; see `bundle-work.ts`. */
export const receiveWork = bundleWork();

export function receiveScreen(ctx: Ctx): HTMLElement {
  const { tr } = ctx;
  const screen = el("div", { class: "stack", "data-testid": "receive-screen" }, loading(tr));
  const probe = ctx.status.probe;
  if (probe.state === "unlocked" && !mayReceive(probe.me.role)) {
    screen.replaceChildren(el("p", { class: "notice", "data-testid": "receive-not-permitted" }, tr.t("receive.not_permitted")));
    return screen;
  }
  void (async () => {
    const cases = await api.listCases();
    if (!cases.ok) return screen.replaceChildren(errorBox(tr, cases.error));
    const result = el("div", { "data-testid": "receive-result-slot" });
    const formCard = receiveCard(ctx, cases.value.cases, (done) => {
      formCard.hidden = true;
      result.replaceChildren(
        doneCard(ctx, done, () => {
          // Back to an empty form: the case list may have grown.
          ctx.navigate({ name: "receive" });
        }),
      );
      result.querySelector<HTMLElement>("h2")?.focus();
    });
    screen.replaceChildren(formCard, result);
  })();
  return screen;
}

function receiveCard(ctx: Ctx, cases: CaseView[], onDone: (v: ReceivedView) => void): HTMLElement {
  const { tr } = ctx;
  const form = el("form", { class: "form", "data-testid": "receive-form", novalidate: "" });
  const pathInput = input("text", { autocomplete: "off", spellcheck: "false", placeholder: tr.t("verify.path_placeholder") });
  pathInput.classList.add("wide");

  const intoCase = el("select", {}, el("option", { value: "" }, tr.t("receive.new_case")));
  for (const c of [...cases].sort((a, b) => a.reference.localeCompare(b.reference, tr.locale))) {
    intoCase.append(el("option", { value: c.id }, c.reference));
  }

  const submit = el("button", { type: "submit", class: "primary", "data-testid": "receive-submit" }, tr.t("receive.submit"));
  const working = el("p", { class: "working", role: "status", "data-testid": "receive-working", hidden: "" });
  const encrypted = ageKeyBlock(tr, pathInput, "receive-encrypted");
  const fields = el(
    "fieldset",
    { class: "plain-fieldset" },
    field({ name: "bundle_path", label: tr.t("verify.path"), hint: tr.t("receive.path_hint"), control: pathInput }),
    encrypted,
    field({ name: "counterpart", label: tr.t("receive.counterpart"), hint: tr.t("handover.counterpart_hint"), control: input("text", { autocomplete: "off" }) }),
    ...handOverDetailFields(tr, "receive-media"),
    field({ name: "into_case", label: tr.t("receive.into_case"), hint: tr.t("receive.into_case_hint"), control: intoCase }),
  );
  form.append(fields, formError("receive-error"), working, el("div", { class: "actions" }, submit));

  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    if (receiveWork.isRunning()) return;
    const path = cleanTypedPath(value(form, "bundle_path"));
    const identity = cleanTypedPath(value(form, "age_identity"));
    const passphrase = value(form, "age_passphrase");
    const counterpart = value(form, "counterpart").trim();
    const problems = checkReceiveForm({ bundlePath: path, counterpart });
    showProblems(form, problems, tr);
    showCommandError(form, undefined, undefined, tr);
    if (Object.keys(problems).length > 0) return;

    const showWorking = (extra = receiveWork.hasWaiter() ? tr.t("receive.lock_after") : "") => {
      working.textContent = `${tr.t("receive.working")} ${extra}`.trim();
    };
    fields.disabled = true;
    submit.disabled = true;
    working.hidden = false;
    form.setAttribute("aria-busy", "true");
    const key = ageKeyArgs(identity, passphrase);
    let r;
    try {
      r = await receiveWork.run(
        () => {
          showWorking();
          return api.receiveBundle({ path, age_identity_path: key.identity, age_passphrase: key.passphrase }, counterpart, intoCase.value || null, handOverDetails(form));
        },
        { waiting: () => showWorking(), closeRefused: () => showWorking(tr.t("receive.close_refused")) },
      );
    } finally {
      fields.disabled = false;
      submit.disabled = false;
      working.hidden = true;
      form.removeAttribute("aria-busy");
    }
    if (r.ok) {
      clearSecrets(form, ["age_passphrase"]);
      onDone(r.value);
    } else {
      const fieldName = handoverFieldOfError(r.error, !identity && !!passphrase);
      if (fieldName === "age_identity" || fieldName === "age_passphrase") encrypted.open = true;
      showCommandError(form, r.error, fieldName, tr);
    }
  });

  return el(
    "section",
    { class: "card" },
    el("h2", { class: "page-title", "data-testid": "receive-title" }, tr.t("receive.heading")),
    el("p", { class: "hint intro" }, tr.t("receive.intro")),
    form,
  );
}

function doneCard(ctx: Ctx, v: ReceivedView, again: () => void): HTMLElement {
  const { tr } = ctx;
  const caseHref = routeHash({ name: "case", id: v.case_id });
  const facts = el("dl", { class: "facts" });
  const hash = (label: string, sha256: string, testid: string) =>
    facts.append(el("dt", {}, label), el("dd", { "data-testid": testid, "data-sha256": sha256, translate: "no" }, groupHash(sha256)));
  hash(tr.t("handover.manifest_sha256"), v.manifest_sha256, "receive-manifest-hash");
  if (v.file_sha256) hash(tr.t("handover.file_sha256"), v.file_sha256, "receive-file-hash");

  const sessions = el(
    "ul",
    { class: "rows", "data-testid": "receive-sessions" },
    ...v.sessions.map((s) =>
      el(
        "li",
        { "data-session-id": s.session_id },
        el(
          "a",
          { href: routeHash({ name: "session", id: s.session_id }), class: "row-link", "data-testid": "receive-session-link" },
          el("span", { class: "row-title", "data-testid": "receive-session-code" }, s.child_code),
          el("span", { class: "row-meta" }, tr.t("receive.session_label", { label: s.label })),
        ),
      ),
    ),
  );
  const originals = el(
    "table",
    { class: "hashes", "data-testid": "receive-originals" },
    el("thead", {}, el("tr", {}, el("th", { scope: "col" }, tr.t("export.item")), el("th", { scope: "col" }, "SHA-256"))),
    el(
      "tbody",
      {},
      ...v.originals.map((o) =>
        el(
          "tr",
          { "data-testid": "receive-original", "data-item": o.item },
          el("td", {}, o.item),
          el("td", {}, el("code", { class: "hash-cell", "data-testid": "receive-original-sha256", translate: "no" }, o.sha256)),
        ),
      ),
    ),
  );

  const another = el("button", { type: "button", "data-testid": "receive-again" }, tr.t("receive.again"));
  another.addEventListener("click", again);
  const openCase = el("a", { href: caseHref, class: "button primary", "data-testid": "receive-open-case" }, tr.t("receive.open_case", { reference: v.case_reference }));
  return el(
    "section",
    { class: "card export-done", "data-testid": "receive-result", role: "status" },
    el("h2", { class: "page-title", tabindex: "-1" }, tr.t("receive.done")),
    el(
      "p",
      { "data-testid": "receive-case" },
      tr.t(v.new_case ? "receive.into_new" : "receive.into_existing", { reference: v.case_reference }),
    ),
    facts,
    el("h3", { class: "sub" }, tr.t("receive.sessions")),
    sessions,
    el("h3", { class: "sub" }, tr.t("receive.originals")),
    el("p", { class: "hint" }, tr.t("receive.originals_hint")),
    originals,
    el("p", { "data-testid": "receive-taken" }, tr.t("receive.taken", { transcripts: v.transcripts, annotations: v.annotations })),
    v.annotations_not_taken > 0 ? el("p", { class: "notice warn", "data-testid": "receive-not-taken" }, tr.t("receive.not_taken", { count: v.annotations_not_taken })) : "",
    el("p", { class: "hint" }, tr.t("receive.logged")),
    el("div", { class: "actions" }, another, openCase),
  );
}

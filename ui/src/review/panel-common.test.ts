import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { CodeView, TranscriptDoc } from "../api";
import { translator, UI_CATALOGS } from "../i18n";
import { codeDefinition, codeLabel, debounce, excerpt, latestOnly, PROMPT_CODES, segmentAt, segmentsByIds, segmentSpeaker, spanText, TIERS } from "./panel-common";
import { ruleText } from "./suggestions";

const vocab: CodeView[] = [
  { tier: "indicators", code: "places", label_es: "Lugares", label_en: "Places", definition_es: "Describe un lugar.", definition_en: "Describes a place.", added: false },
  { tier: "prompt-type", code: "invitation", label_es: "Invitación", label_en: "Invitation", definition_es: "Abierta.", definition_en: "Open.", added: false },
];

describe("vocabulary look-ups", () => {
  it("label and definition in the UI language", () => {
    expect(codeLabel(vocab, "indicators", "places", "es-MX")).toBe("Lugares");
    expect(codeLabel(vocab, "indicators", "places", "en")).toBe("Places");
    expect(codeDefinition(vocab, "prompt-type", "invitation", "en")).toBe("Open.");
  });
  it("a code of another tier, or unknown, shows raw with no definition", () => {
    expect(codeLabel(vocab, "prompt-type", "places", "es-MX")).toBe("places");
    expect(codeDefinition(vocab, "indicators", "nope", "es-MX")).toBe("");
  });
});

describe("segment look-ups", () => {
  const doc: TranscriptDoc = {
    segments: [
      { id: "a", start_ms: 0, end_ms: 5_000, speaker: "child", overlaps: false, text: "uno" },
      { id: "b", start_ms: 4_000, end_ms: 6_000, speaker: "interviewer", overlaps: true, text: "dos" },
      { id: "c", start_ms: 6_000, end_ms: 7_000, speaker: "child", overlaps: false, text: "tres" },
    ],
  };
  it("finds the segment under a time, by speaker, bounds included, latest start first", () => {
    expect(segmentAt(doc, 4_500)?.id).toBe("b");
    expect(segmentAt(doc, 4_500, "child")?.id).toBe("a");
    expect(segmentAt(doc, 6_000, "child")?.id).toBe("c");
    expect(segmentAt(doc, 8_000)).toBeUndefined();
  });
  it("resolves ids in the order given, skipping missing ones", () => {
    expect(segmentsByIds(doc, ["c", "x", "a"]).map((s) => s.id)).toEqual(["c", "a"]);
  });
});

describe("excerpt", () => {
  it("keeps short text, flattens spaces, cuts long text at a word", () => {
    expect(excerpt("  hola\n  mundo ")).toBe("hola mundo");
    expect(excerpt("una frase bastante larga para cortar", 20)).toBe("una frase bastante…");
  });
});

describe("debounce", () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());
  it("runs once after the calls pause; flush runs now; cancel drops it", () => {
    const fn = vi.fn();
    const d = debounce(fn, 100);
    d();
    vi.advanceTimersByTime(60);
    d();
    vi.advanceTimersByTime(60);
    expect(fn).not.toHaveBeenCalled();
    vi.advanceTimersByTime(50);
    expect(fn).toHaveBeenCalledTimes(1);
    d();
    d.flush();
    expect(fn).toHaveBeenCalledTimes(2);
    d.flush();
    expect(fn).toHaveBeenCalledTimes(2);
    d();
    d.cancel();
    vi.advanceTimersByTime(500);
    expect(fn).toHaveBeenCalledTimes(2);
  });
});

describe("latestOnly", () => {
  it("only the last ticket is current", () => {
    const l = latestOnly();
    const a = l.next();
    const b = l.next();
    expect(l.isCurrent(a)).toBe(false);
    expect(l.isCurrent(b)).toBe(true);
  });
});

describe("panel texts", () => {
  // The suggester's rule names (crates/relato-review/src/prompt_type.rs).
  const RULES = [
    "backchannel", "echo", "tag_question", "negative_question", "leading_frame", "third_party_report", "either_or", "tell_me_if",
    "yes_no", "declarative_question", "wh_question", "indirect_wh_question", "invitation_request", "invitation_about_detail",
    "what_happened", "what_happened_about_detail", "and_then", "invitation_citing_child",
  ];
  it("every rule, tier and speaker has a text in every locale", () => {
    for (const catalog of Object.values(UI_CATALOGS)) {
      for (const r of RULES) expect(catalog[`suggestions.rule.${r}`], r).toBeTruthy();
      for (const t of TIERS) expect(catalog[`annotations.tier.${t}`], t).toBeTruthy();
      for (const s of ["child", "interviewer", "other"]) expect(catalog[`annotations.speaker.${s}`], s).toBeTruthy();
      for (const f of ["all", "pending", "unclassified", "differs"]) expect(catalog[`suggestions.filter.${f}`], f).toBeTruthy();
    }
    expect(PROMPT_CODES).toHaveLength(6);
  });
  it("an unknown rule is shown by its name", () => {
    const t = (k: string) => (k === "suggestions.rule.echo" ? "repite" : k);
    expect(ruleText("echo", t)).toBe("repite");
    expect(ruleText("new_rule", t)).toBe("new_rule");
  });
});

describe("spanText", () => {
  it("shows a point once, a span as start–end, to the millisecond within one second", () => {
    expect(spanText(61_000, 61_000)).toBe("00:01:01");
    expect(spanText(61_000, 3_725_000)).toBe("00:01:01–01:02:05");
    expect(spanText(61_100, 61_900)).toBe("00:01:01.100–00:01:01.900");
  });
});

describe("segmentSpeaker", () => {
  const tr = translator("es-MX");
  it("prefers the segment's own label, else names the role", () => {
    expect(segmentSpeaker({ speaker: "other", label: " Mamá " }, tr)).toBe("Mamá");
    expect(segmentSpeaker({ speaker: "other", label: "  " }, tr)).toBe("Otra persona");
    expect(segmentSpeaker({ speaker: "interviewer" }, translator("en"))).toBe("Interviewer");
  });
});

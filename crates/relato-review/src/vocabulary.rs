//! The controlled vocabularies of the annotation tiers, seeded as in the
//! design brief (§7): detail indicators, and the NICHD prompt types. Each
//! code has a label and a definition in Spanish and English — the tooltip a
//! reviewer reads before applying it. Codes are stable identifiers: what is
//! stored and exported is the code, never the label.
//!
//! Administrators may add indicator codes ([`check_addition`] has the
//! rules; the vault keeps them as revisions). A [`Vocabulary`] is the seed
//! plus a vault's added codes, what annotations are checked against.

use serde::{Deserialize, Serialize};

use crate::annotation::Tier;
use crate::error::ReviewError;

/// One code of a tier's vocabulary.
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Code {
    pub tier: Tier,
    pub code: &'static str,
    pub label_es: &'static str,
    pub label_en: &'static str,
    pub definition_es: &'static str,
    pub definition_en: &'static str,
}

const fn indicator(code: &'static str, label_es: &'static str, label_en: &'static str, definition_es: &'static str, definition_en: &'static str) -> Code {
    Code { tier: Tier::Indicators, code, label_es, label_en, definition_es, definition_en }
}

const fn prompt(code: &'static str, label_es: &'static str, label_en: &'static str, definition_es: &'static str, definition_en: &'static str) -> Code {
    Code { tier: Tier::PromptType, code, label_es, label_en, definition_es, definition_en }
}

/// The seeded detail indicators.
pub const INDICATORS: &[Code] = &[
    indicator("camera_or_recording_device", "Cámara o dispositivo de grabación", "Camera or recording device",
        "La NNA menciona una cámara, teléfono u otro aparato que graba o toma imágenes.",
        "The child mentions a camera, phone or other device that records or takes pictures."),
    indicator("photos_or_filming", "Fotos o filmación", "Photos or filming",
        "La NNA describe que le tomaron fotos o le filmaron, o que vio fotos o videos.",
        "The child describes being photographed or filmed, or seeing photos or videos."),
    indicator("screens_or_live_transmission", "Pantallas o transmisión en vivo", "Screens or live transmission",
        "Menciona pantallas, videollamadas o que alguien miraba en vivo desde otro lugar.",
        "Mentions screens, video calls, or someone watching live from elsewhere."),
    indicator("several_adults", "Varias personas adultas", "Several adults",
        "Describe a más de una persona adulta presente o participando.",
        "Describes more than one adult present or taking part."),
    indicator("unknown_adults", "Personas adultas desconocidas", "Unknown adults",
        "Describe a personas adultas que no conocía o cuyo nombre no sabe.",
        "Describes adults the child did not know or cannot name."),
    indicator("other_children_present", "Otras niñas o niños presentes", "Other children present",
        "Menciona a otras niñas, niños o adolescentes presentes.",
        "Mentions other children or adolescents being present."),
    indicator("unusual_objects", "Objetos inusuales", "Unusual objects",
        "Objetos fuera de lugar o poco comunes en el relato (por ejemplo, papel en el suelo).",
        "Objects out of place or unusual in the account (for example, paper on the floor)."),
    indicator("costumes_masks_disguises", "Disfraces, máscaras u ocultamiento", "Costumes, masks, disguises",
        "Alguien llevaba disfraz, máscara o algo que ocultaba quién era.",
        "Someone wore a costume, a mask or something hiding who they were."),
    indicator("fantasy_or_impossible_elements", "Elementos fantásticos o imposibles", "Fantasy or impossible elements",
        "Elementos que no pueden haber ocurrido tal cual; se registran sin juzgar el resto del relato.",
        "Elements that cannot have happened as told; recorded without judging the rest of the account."),
    indicator("parents_present_or_invisible", "Madre o padre presentes o invisibles", "Parents present or invisible",
        "Afirma que su madre o padre estaban presentes, o presentes pero sin ser vistos.",
        "Says a parent was present, or present without being seen."),
    indicator("threats_or_secrets", "Amenazas o secretos", "Threats or secrets",
        "Le pidieron guardar un secreto o le amenazaron a ella, él o a otras personas.",
        "The child was told to keep a secret, or the child or others were threatened."),
    indicator("gifts_or_rewards", "Regalos o recompensas", "Gifts or rewards",
        "Recibió regalos, dinero, dulces u otros premios relacionados con los hechos.",
        "Received gifts, money, sweets or other rewards connected with the events."),
    indicator("places", "Lugares", "Places",
        "Describe un lugar: casa, escuela, vehículo, cuarto; sus detalles.",
        "Describes a place: a home, school, vehicle, room; its details."),
    indicator("bodily_sensations", "Sensaciones corporales", "Bodily sensations",
        "Describe dolor, frío, calor, cosquillas u otras sensaciones en el cuerpo.",
        "Describes pain, cold, heat, tickling or other sensations in the body."),
    indicator("emotions", "Emociones", "Emotions",
        "Nombra o describe lo que sintió entonces o siente ahora.",
        "Names or describes what the child felt then or feels now."),
];

/// The NICHD prompt types, for interviewer turns.
pub const PROMPT_TYPES: &[Code] = &[
    prompt("invitation", "Invitación", "Invitation",
        "Pregunta abierta que pide un relato libre: «Cuéntame todo lo que pasó».",
        "An open prompt asking for free recall: “Tell me everything that happened.”"),
    prompt("cued_invitation", "Invitación con clave", "Cued invitation",
        "Invitación abierta que retoma algo que la NNA ya dijo: «Dijiste que había una cámara; cuéntame más de eso».",
        "An open prompt that cues something the child already said: “You said there was a camera; tell me more about that.”"),
    prompt("facilitator", "Facilitador", "Facilitator",
        "Anima a seguir sin pedir nada nuevo: «ajá», «ok», repetir lo último dicho.",
        "Encourages the child to go on without asking for anything new: “mm-hm”, “okay”, repeating the last words."),
    prompt("directive", "Directiva", "Directive",
        "Pregunta qué/quién/dónde/cuándo/cómo sobre algo que la NNA ya mencionó.",
        "A wh-question (what/who/where/when/how) about something the child already mentioned."),
    prompt("option_posing", "De opciones", "Option-posing",
        "Ofrece opciones o pide sí o no sobre algo que la NNA no ha mencionado.",
        "Offers options or asks yes/no about something the child has not mentioned."),
    prompt("suggestive", "Sugestiva", "Suggestive",
        "Da por hecho algo no dicho o insinúa la respuesta esperada: «Te tocó, ¿verdad?».",
        "Assumes something not said or implies the expected answer: “He touched you, didn't he?”"),
];

/// The notes tier has one code; its words are the note itself.
pub const NOTE: Code = Code {
    tier: Tier::Notes,
    code: "note",
    label_es: "Nota",
    label_en: "Note",
    definition_es: "Texto libre de quien revisa, sobre un tramo o sobre otra anotación.",
    definition_en: "The reviewer's free text, about a span or about another annotation.",
};

/// Every code of every tier.
pub fn all() -> impl Iterator<Item = &'static Code> {
    INDICATORS.iter().chain(PROMPT_TYPES).chain(std::iter::once(&NOTE))
}

/// The code `code` of tier `tier`, if the vocabulary has it.
pub fn find(tier: Tier, code: &str) -> Option<&'static Code> {
    all().find(|c| c.tier == tier && c.code == code)
}

/// The texts an administrator gives a code added to a tier.
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AddedCode {
    pub label_es: String,
    pub label_en: String,
    pub definition_es: String,
    pub definition_en: String,
}

impl AddedCode {
    /// The same texts, trimmed.
    pub fn trimmed(&self) -> AddedCode {
        let t = |s: &str| s.trim().to_owned();
        AddedCode {
            label_es: t(&self.label_es),
            label_en: t(&self.label_en),
            definition_es: t(&self.definition_es),
            definition_en: t(&self.definition_en),
        }
    }
}

/// A code as listed: seeded or added, with its texts.
#[cfg_attr(feature = "specta", derive(specta::Type), specta(rename = "VocabularyEntry"))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entry {
    pub tier: Tier,
    pub code: String,
    pub label_es: String,
    pub label_en: String,
    pub definition_es: String,
    pub definition_en: String,
    /// Added by an administrator (in the vault), not seeded.
    pub added: bool,
}

impl From<&Code> for Entry {
    fn from(c: &Code) -> Entry {
        Entry {
            tier: c.tier,
            code: c.code.to_owned(),
            label_es: c.label_es.to_owned(),
            label_en: c.label_en.to_owned(),
            definition_es: c.definition_es.to_owned(),
            definition_en: c.definition_en.to_owned(),
            added: false,
        }
    }
}

/// The seeded codes and those added to a vault.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Vocabulary {
    added: Vec<Entry>,
}

impl Vocabulary {
    /// The seed plus `added` (tier, code and texts of each added code).
    pub fn with_added(added: impl IntoIterator<Item = (Tier, String, AddedCode)>) -> Vocabulary {
        let added = added
            .into_iter()
            .map(|(tier, code, t)| Entry {
                tier,
                code,
                label_es: t.label_es,
                label_en: t.label_en,
                definition_es: t.definition_es,
                definition_en: t.definition_en,
                added: true,
            })
            .collect();
        Vocabulary { added }
    }

    /// Whether `tier` has `code`.
    pub fn has(&self, tier: Tier, code: &str) -> bool {
        find(tier, code).is_some() || self.added.iter().any(|e| e.tier == tier && e.code == code)
    }

    /// Every code, seeded first, each tier's added codes after its seed.
    pub fn entries(&self) -> Vec<Entry> {
        let mut out: Vec<Entry> = Vec::new();
        for tier in [Tier::Indicators, Tier::Notes, Tier::PromptType] {
            out.extend(all().filter(|c| c.tier == tier).map(Entry::from));
            out.extend(self.added.iter().filter(|e| e.tier == tier).cloned());
        }
        out
    }
}

/// Only the indicators grow; prompt types are NICHD's and notes have one code.
pub const EXTENSIBLE_TIERS: &[Tier] = &[Tier::Indicators];

/// Checks an administrator's new code, or a new revision of an added one.
///
/// * Only [`EXTENSIBLE_TIERS`] take codes; seeded codes never change.
/// * A code is 2–48 characters of `a`–`z`, `0`–`9` and `_`, starting with
///   a letter (stable in exports and on the command line).
/// * All four texts are required.
/// * **Once an annotation uses a code, its meaning is fixed**: a revision
///   may not change its labels or definitions (`used` says whether any
///   annotation uses it). A different meaning is a new code, so coded
///   material never silently changes what it says.
pub fn check_addition(tier: Tier, code: &str, texts: &AddedCode, current: Option<&AddedCode>, used: bool) -> Result<(), ReviewError> {
    if !EXTENSIBLE_TIERS.contains(&tier) {
        return Err(ReviewError::VocabularyTierFixed { tier: tier.id().to_owned() });
    }
    let well_formed = (2..=48).contains(&code.len())
        && code.starts_with(|c: char| c.is_ascii_lowercase())
        && code.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
    if !well_formed {
        return Err(ReviewError::VocabularyBadCode { code: code.to_owned() });
    }
    if find(tier, code).is_some() {
        return Err(ReviewError::VocabularyCodeSeeded { code: code.to_owned() });
    }
    let t = texts.trimmed();
    for (field, text) in [("label_es", &t.label_es), ("label_en", &t.label_en), ("definition_es", &t.definition_es), ("definition_en", &t.definition_en)] {
        if text.is_empty() {
            return Err(ReviewError::VocabularyTextRequired { field: field.to_owned() });
        }
    }
    if used && current.is_some_and(|c| c.trimmed() != t) {
        return Err(ReviewError::VocabularyCodeInUse { code: code.to_owned() });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(definition_es: &str) -> AddedCode {
        AddedCode {
            label_es: "Vehículo".into(),
            label_en: "Vehicle".into(),
            definition_es: definition_es.into(),
            definition_en: "A car or van.".into(),
        }
    }

    #[test]
    fn additions_follow_the_rules_and_a_used_code_keeps_its_meaning() {
        let t = texts("Un coche o camioneta.");
        assert_eq!(check_addition(Tier::Indicators, "vehicle", &t, None, false), Ok(()));
        let code = |r: Result<(), ReviewError>| r.map_err(|e| e.code());
        assert_eq!(code(check_addition(Tier::PromptType, "leading", &t, None, false)), Err("review.vocabulary_tier_fixed"));
        assert_eq!(code(check_addition(Tier::Notes, "memo", &t, None, false)), Err("review.vocabulary_tier_fixed"));
        for bad in ["Vehicle", "v", "1car", "car-park", "coche ", "ñandú"] {
            assert_eq!(code(check_addition(Tier::Indicators, bad, &t, None, false)), Err("review.vocabulary_bad_code"), "{bad}");
        }
        assert_eq!(code(check_addition(Tier::Indicators, "places", &t, None, false)), Err("review.vocabulary_code_seeded"));
        assert_eq!(code(check_addition(Tier::Indicators, "vehicle", &texts("  "), None, false)), Err("review.vocabulary_text_required"));
        // Unused: its texts may be revised. Used: only trimmed-equal texts.
        let changed = texts("Un coche, camioneta o autobús.");
        assert_eq!(check_addition(Tier::Indicators, "vehicle", &changed, Some(&t), false), Ok(()));
        assert_eq!(code(check_addition(Tier::Indicators, "vehicle", &changed, Some(&t), true)), Err("review.vocabulary_code_in_use"));
        let padded = AddedCode { label_es: " Vehículo ".into(), ..t.clone() };
        assert_eq!(check_addition(Tier::Indicators, "vehicle", &padded, Some(&t), true), Ok(()));
    }

    #[test]
    fn a_vocabulary_lists_the_seed_then_added_codes_per_tier() {
        let v = Vocabulary::with_added([(Tier::Indicators, "vehicle".to_owned(), texts("Un coche."))]);
        assert!(v.has(Tier::Indicators, "vehicle") && v.has(Tier::Indicators, "places"));
        assert!(!v.has(Tier::PromptType, "vehicle"), "added to its tier only");
        let entries = v.entries();
        assert_eq!(entries.len(), all().count() + 1);
        let at = entries.iter().position(|e| e.code == "vehicle").unwrap();
        assert_eq!(at, INDICATORS.len(), "after the seeded indicators");
        assert!(entries[at].added && !entries[0].added);
        assert!(!Vocabulary::default().has(Tier::Indicators, "vehicle"));
    }

    #[test]
    fn the_seed_has_every_indicator_of_the_brief_once() {
        assert_eq!(INDICATORS.len(), 15);
        let mut codes: Vec<_> = all().map(|c| (c.tier.id(), c.code)).collect();
        codes.sort();
        let before = codes.len();
        codes.dedup();
        assert_eq!(codes.len(), before, "codes are unique within a tier");
        for c in all() {
            assert!(c.code.chars().all(|ch| ch.is_ascii_lowercase() || ch == '_'), "{}", c.code);
            for text in [c.label_es, c.label_en, c.definition_es, c.definition_en] {
                assert!(!text.trim().is_empty(), "{} has an empty text", c.code);
            }
        }
    }

    #[test]
    fn prompt_types_match_the_suggester() {
        let codes: Vec<_> = PROMPT_TYPES.iter().map(|c| c.code).collect();
        let suggester: Vec<_> = crate::PromptType::ALL.iter().map(|p| p.code()).collect();
        assert_eq!(codes, suggester, "the same codes, in the panel's order");
        assert_eq!(find(Tier::Indicators, "camera_or_recording_device").unwrap().label_es, "Cámara o dispositivo de grabación");
        assert!(find(Tier::Indicators, "invitation").is_none(), "codes belong to their tier");
        assert!(find(Tier::Notes, "note").is_some());
    }
}

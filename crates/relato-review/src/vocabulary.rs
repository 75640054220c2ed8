//! The controlled vocabularies of the annotation tiers, seeded as in the
//! design brief (§7): detail indicators, and the NICHD prompt types. Each
//! code has a label and a definition in Spanish and English — the tooltip a
//! reviewer reads before applying it. Codes are stable identifiers: what is
//! stored and exported is the code, never the label.

use serde::Serialize;

use crate::annotation::Tier;

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

#[cfg(test)]
mod tests {
    use super::*;

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

//! Annotations: coded spans of a session, in tiers.
//!
//! An annotation covers `start_ms..end_ms` of the recording and may be tied
//! to one transcript segment (`segment_id`); prompt-type annotations are,
//! since a prompt is an interviewer segment. `code` is an indicator from
//! the controlled vocabulary, a [`PromptType`](crate::PromptType) code, or
//! for a note a free code (e.g. `note`); the note's words are in `note`.
//!
//! Tier identifiers are the CLI's (`indicators`, `notes`, `prompt-type`),
//! in JSON too, so `relato annotate --tier prompt-type` and
//! `relato annotations list --json` agree; `prompt_type` is read as well.

use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::error::ReviewError;
use crate::transcript::{Speaker, Transcript};
use crate::vocabulary::Vocabulary;

/// The tier an annotation belongs to.
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Tier {
    Indicators,
    Notes,
    #[serde(alias = "prompt_type")]
    PromptType,
}

impl Tier {
    /// The identifier used on the command line and in JSON.
    pub fn id(self) -> &'static str {
        match self {
            Self::Indicators => "indicators",
            Self::Notes => "notes",
            Self::PromptType => "prompt-type",
        }
    }
}

impl FromStr for Tier {
    type Err = ();

    fn from_str(s: &str) -> Result<Self, ()> {
        match s {
            "indicators" => Ok(Self::Indicators),
            "notes" => Ok(Self::Notes),
            "prompt-type" | "prompt_type" => Ok(Self::PromptType),
            _ => Err(()),
        }
    }
}

/// One coded span.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Annotation {
    pub id: String,
    pub tier: Tier,
    pub start_ms: u64,
    pub end_ms: u64,
    pub code: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub segment_id: Option<String>,
    /// Free text (a note, or a remark on a coded span).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// The annotation a note comments on, when it is about another
    /// annotation rather than only a span.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target_id: Option<String>,
}

impl Annotation {
    /// Checks what can be checked without storage: the span, the code
    /// against its tier in `vocabulary`, a note's words, and a prompt type's
    /// interviewer segment in `transcript` (the latest saved one). Whether
    /// `target_id` names an annotation of the same session is the store's
    /// to check.
    pub fn check(&self, vocabulary: &Vocabulary, transcript: Option<&Transcript>) -> Result<(), ReviewError> {
        if self.end_ms < self.start_ms {
            return Err(ReviewError::AnnotationSpanReversed);
        }
        if !vocabulary.has(self.tier, &self.code) {
            return Err(ReviewError::AnnotationUnknownCode { tier: self.tier.id().to_owned(), code: self.code.clone() });
        }
        if self.tier == Tier::Notes && self.note.as_deref().is_none_or(|n| n.trim().is_empty()) {
            return Err(ReviewError::AnnotationNoteRequired);
        }
        let segment = match &self.segment_id {
            None if self.tier == Tier::PromptType => return Err(ReviewError::AnnotationSegmentRequired),
            None => return Ok(()),
            Some(id) => transcript
                .and_then(|t| t.segments.iter().find(|s| &s.id == id))
                .ok_or_else(|| ReviewError::AnnotationUnknownSegment { segment: id.clone() })?,
        };
        if self.tier == Tier::PromptType && segment.speaker != Speaker::Interviewer {
            return Err(ReviewError::AnnotationNotInterviewer { segment: segment.id.clone() });
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::transcript::Segment;

    #[test]
    fn tier_ids_match_the_cli() {
        for tier in [Tier::Indicators, Tier::Notes, Tier::PromptType] {
            assert_eq!(tier.id().parse::<Tier>(), Ok(tier));
            assert_eq!(serde_json::to_value(tier).unwrap(), tier.id());
        }
        assert_eq!(serde_json::from_str::<Tier>("\"prompt_type\"").unwrap(), Tier::PromptType);
        assert_eq!("prompt type".parse::<Tier>(), Err(()));
    }

    fn transcript() -> Transcript {
        Transcript {
            segments: vec![
                Segment::new("s1", 0, 2_000, Speaker::Interviewer, "Cuéntame todo lo que pasó."),
                Segment::new("s2", 2_000, 9_000, Speaker::Child, "Había una cámara en la repisa."),
            ],
        }
    }

    fn annotation(tier: Tier, code: &str, segment: Option<&str>, note: Option<&str>) -> Annotation {
        Annotation {
            id: String::new(),
            tier,
            start_ms: 2_000,
            end_ms: 9_000,
            code: code.into(),
            segment_id: segment.map(Into::into),
            note: note.map(Into::into),
            target_id: None,
        }
    }

    #[test]
    fn check_accepts_well_formed_annotations_and_names_what_is_wrong() {
        let t = transcript();
        let ok = [
            annotation(Tier::Indicators, "camera_or_recording_device", None, Some("en la repisa")),
            annotation(Tier::Indicators, "camera_or_recording_device", Some("s2"), None),
            annotation(Tier::Notes, "note", None, Some("Revisar con la fiscalía")),
            annotation(Tier::PromptType, "invitation", Some("s1"), None),
        ];
        for a in &ok {
            assert_eq!(a.check(&Vocabulary::default(), Some(&t)), Ok(()), "{a:?}");
        }
        let cases: [(Annotation, Option<&Transcript>, &str); 8] = [
            (annotation(Tier::Indicators, "invitation", None, None), Some(&t), "review.annotation_unknown_code"),
            (annotation(Tier::PromptType, "camera_or_recording_device", Some("s1"), None), Some(&t), "review.annotation_unknown_code"),
            (Annotation { end_ms: 1_000, ..ok[0].clone() }, Some(&t), "review.annotation_span_reversed"),
            (annotation(Tier::Notes, "note", None, Some("  ")), Some(&t), "review.annotation_note_required"),
            (annotation(Tier::PromptType, "directive", None, None), Some(&t), "review.annotation_segment_required"),
            (annotation(Tier::PromptType, "directive", Some("s9"), None), Some(&t), "review.annotation_unknown_segment"),
            (annotation(Tier::PromptType, "directive", Some("s1"), None), None, "review.annotation_unknown_segment"),
            (annotation(Tier::PromptType, "directive", Some("s2"), None), Some(&t), "review.annotation_not_interviewer"),
        ];
        for (a, t, code) in cases {
            assert_eq!(a.check(&Vocabulary::default(), t).map_err(|e| e.code()), Err(code), "{a:?}");
        }
        // An added code is known to its tier once the vocabulary has it.
        let vehicle = annotation(Tier::Indicators, "vehicle", None, None);
        assert_eq!(vehicle.check(&Vocabulary::default(), Some(&t)).map_err(|e| e.code()), Err("review.annotation_unknown_code"));
        let texts = crate::vocabulary::AddedCode {
            label_es: "Vehículo".into(),
            label_en: "Vehicle".into(),
            definition_es: "Un coche.".into(),
            definition_en: "A car.".into(),
        };
        let grown = Vocabulary::with_added([(Tier::Indicators, "vehicle".to_owned(), texts)]);
        assert_eq!(vehicle.check(&grown, Some(&t)), Ok(()));
    }

    #[test]
    fn optional_fields_may_be_absent() {
        let a: Annotation = serde_json::from_str(
            r#"{"id":"a1","tier":"indicators","start_ms":5,"end_ms":9,"code":"camera_device"}"#,
        )
        .unwrap();
        assert_eq!((a.segment_id, a.note, a.target_id), (None, None, None));
    }
}

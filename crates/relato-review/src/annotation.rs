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

/// The tier an annotation belongs to.
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
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tier_ids_match_the_cli() {
        for tier in [Tier::Indicators, Tier::Notes, Tier::PromptType] {
            assert_eq!(tier.id().parse::<Tier>(), Ok(tier));
            assert_eq!(serde_json::to_value(tier).unwrap(), tier.id());
        }
        assert_eq!(serde_json::from_str::<Tier>("\"prompt_type\"").unwrap(), Tier::PromptType);
        assert_eq!("prompt type".parse::<Tier>(), Err(()));
    }

    #[test]
    fn optional_fields_may_be_absent() {
        let a: Annotation = serde_json::from_str(
            r#"{"id":"a1","tier":"indicators","start_ms":5,"end_ms":9,"code":"camera_device"}"#,
        )
        .unwrap();
        assert_eq!((a.segment_id, a.note), (None, None));
    }
}

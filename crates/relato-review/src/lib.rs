//! Relato's review logic, without I/O: what the review workspace, the CLI
//! and the evidence bundle compute from a transcript and its annotations.
//!
//! * [`transcript`] — segments, speakers, the validation rules (explicit
//!   overlapping speech) and the canonical text a revision's hash covers;
//! * [`vtt`] — reading WebVTT files with `<v Speaker>` voices;
//! * [`annotation`] — annotations in tiers (indicators, notes, prompt type);
//! * [`prompt_type`] — the NICHD prompt types and a rule-based suggester
//!   (Spanish and English) that proposes, never applies;
//! * [`quality`] — the interview-quality panel's figures, each with the
//!   segments it counts;
//! * [`redact`] — redacted copies of a transcript: spans, whole-word
//!   phrases and speaker labels replaced, with a record of where and why
//!   (never what);
//! * [`search`] — accent- and case-insensitive search returning ranges of
//!   the original text;
//! * [`vocabulary`] — the tiers' controlled vocabularies (indicators seeded
//!   as in the brief, NICHD prompt types), with es/en labels and definitions;
//! * [`error`] — [`ReviewError`] with stable codes;
//! * `stored` (feature `vault`) — these records as the vault keeps them:
//!   read back, checked and saved, for the app and the CLI alike.
//!
//! Everything but `stored` is a pure function of its inputs: storage,
//! revisions and custody stay in `relato-vault`, so without the `vault`
//! feature this crate builds and tests alone.

#![forbid(unsafe_code)]

pub mod annotation;
pub mod error;
mod fold;
pub mod prompt_type;
pub mod quality;
pub mod redact;
pub mod search;
#[cfg(feature = "vault")]
pub mod stored;
pub mod transcript;
pub mod vocabulary;
pub mod vtt;

pub use annotation::{Annotation, Tier};
pub use error::{ReviewError, ERROR_CODES};
pub use prompt_type::{suggest, suggest_after, suggest_transcript, Lang, PromptType, SegmentSuggestion, Suggestion};
pub use quality::{report, Phase, QualityReport};
pub use redact::{redact, AppliedTextRedaction, RedactedField, Redacted, TextRedaction};
pub use search::{search, Match, MatchTarget};
pub use transcript::{Segment, Speaker, Transcript};
pub use vtt::parse_vtt;

//! A transcript: timed segments of speech, each by one speaker.
//!
//! # Rules ([`Transcript::validate`])
//!
//! * Every segment has a non-empty id, unique in the transcript (the UI,
//!   annotations and quality figures refer to segments by id).
//! * `start_ms <= end_ms` (a zero-length segment is a point, e.g. a
//!   non-verbal event).
//! * Segments are listed by start time (ties allowed).
//! * **Overlapping speech is allowed but explicit.** A segment that starts
//!   before an earlier segment has ended must say so with `overlaps: true`,
//!   and a segment with `overlaps: true` must really overlap one: a flag
//!   that no longer matches the times (after an edit) is refused rather than
//!   trusted, so the data never claims an overlap that is not there or hides
//!   one that is. Touching ends (`start == previous end`) are no overlap.
//!   A speaker never overlaps their own speech (that is a typing error in
//!   the times); "speaker" here is the role plus its label, so two
//!   differently labelled "other" people may overlap.
//!
//! Validation is linear in the number of segments.
//!
//! # Canonical text
//!
//! [`Transcript::canonical_text`] is the one byte form that is hashed when a
//! revision is saved (the caller computes the SHA-256; this crate does no
//! hashing). It does not depend on a JSON library's choices, and escapes
//! tabs, line breaks and backslashes so that different transcripts never
//! produce the same text. Text is hashed exactly as stored, without Unicode
//! normalisation: the hash must change whenever the stored bytes do.

use std::collections::{HashMap, HashSet};
use std::fmt::Write as _;

use serde::{Deserialize, Serialize};

use crate::error::ReviewError;

/// Who speaks a segment.
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Speaker {
    Child,
    Interviewer,
    Other,
}

impl Speaker {
    /// The identifier used in serialised forms (`child`, `interviewer`, `other`).
    pub fn id(self) -> &'static str {
        match self {
            Self::Child => "child",
            Self::Interviewer => "interviewer",
            Self::Other => "other",
        }
    }
}

/// One timed stretch of one speaker's speech.
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Segment {
    pub id: String,
    pub start_ms: u64,
    pub end_ms: u64,
    pub speaker: Speaker,
    /// The name shown for the speaker when the role alone does not say who
    /// it is (an "other" voice such as "Mamá"); renaming a speaker changes
    /// this, never the role.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
    /// Set deliberately when this segment starts before an earlier one ends.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub overlaps: bool,
    pub text: String,
}

impl Segment {
    /// A segment with no label that overlaps nothing.
    pub fn new(id: impl Into<String>, start_ms: u64, end_ms: u64, speaker: Speaker, text: impl Into<String>) -> Self {
        Self { id: id.into(), start_ms, end_ms, speaker, label: None, overlaps: false, text: text.into() }
    }

    /// Length in milliseconds (0 if the times are inverted).
    pub fn duration_ms(&self) -> u64 {
        self.end_ms.saturating_sub(self.start_ms)
    }
}

/// A session's transcript: its segments in time order.
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Transcript {
    pub segments: Vec<Segment>,
}

/// The first line of [`Transcript::canonical_text`]; bumped if the form changes.
pub const CANONICAL_HEADER: &str = "relato-transcript 1";

impl Transcript {
    /// Checks the rules in the module docs; the first broken rule is returned.
    pub fn validate(&self) -> Result<(), ReviewError> {
        let mut ids: HashSet<&str> = HashSet::with_capacity(self.segments.len());
        // Latest end so far, overall and per speaker, with the segment that holds it.
        let mut latest: Option<(u64, &str)> = None;
        let mut latest_by_speaker: HashMap<(Speaker, Option<&str>), (u64, &str)> = HashMap::new();
        let mut previous_start = 0;
        for (index, s) in self.segments.iter().enumerate() {
            if s.id.is_empty() {
                return Err(ReviewError::SegmentEmptyId { index, line: None });
            }
            if !ids.insert(&s.id) {
                return Err(ReviewError::SegmentDuplicateId { id: s.id.clone(), line: None });
            }
            if s.end_ms < s.start_ms {
                return Err(ReviewError::SegmentEndBeforeStart { id: s.id.clone(), line: None });
            }
            if s.start_ms < previous_start {
                return Err(ReviewError::SegmentOutOfOrder { id: s.id.clone(), line: None });
            }
            previous_start = s.start_ms;
            let who = (s.speaker, s.label.as_deref());
            if let Some(&(end, other)) = latest_by_speaker.get(&who) {
                if s.start_ms < end {
                    return Err(ReviewError::SegmentOverlapSameSpeaker {
                        id: s.id.clone(),
                        other: other.to_owned(),
                        line: None,
                    });
                }
            }
            match latest {
                Some((end, other)) if s.start_ms < end && !s.overlaps => {
                    return Err(ReviewError::SegmentOverlapUnmarked {
                        id: s.id.clone(),
                        other: other.to_owned(),
                        line: None,
                    });
                }
                Some((end, _)) if s.start_ms < end => {}
                _ if s.overlaps => {
                    return Err(ReviewError::SegmentOverlapFlagStale { id: s.id.clone(), line: None });
                }
                _ => {}
            }
            if latest.is_none_or(|(end, _)| s.end_ms > end) {
                latest = Some((s.end_ms, &s.id));
            }
            latest_by_speaker.insert(who, (s.end_ms, &s.id));
        }
        Ok(())
    }

    /// Sets every segment's `overlaps` flag from the times. For importers
    /// whose source states the times explicitly (a WebVTT file); an editor
    /// sets the flag by hand instead.
    pub fn mark_overlaps(&mut self) {
        let mut latest_end: Option<u64> = None;
        for s in &mut self.segments {
            s.overlaps = latest_end.is_some_and(|end| s.start_ms < end);
            latest_end = Some(latest_end.map_or(s.end_ms, |end| end.max(s.end_ms)));
        }
    }

    /// The canonical byte form hashed for a revision:
    ///
    /// ```text
    /// relato-transcript 1
    /// <id>\t<start_ms>\t<end_ms>\t<speaker>\t<label>\t<overlaps 0|1>\t<text>
    /// ```
    ///
    /// one line per segment in order, each line ended by `\n`; in every
    /// field `\` is written `\\`, a tab `\t`, a line feed `\n`, a carriage
    /// return `\r`; an absent label is empty (a present empty label is `\0`
    /// so the two differ).
    pub fn canonical_text(&self) -> String {
        let mut out = String::with_capacity(32 + self.segments.iter().map(|s| s.text.len() + s.id.len() + 40).sum::<usize>());
        out.push_str(CANONICAL_HEADER);
        out.push('\n');
        for s in &self.segments {
            escape_into(&mut out, &s.id);
            // Writing to a String cannot fail.
            let _ = write!(out, "\t{}\t{}\t{}\t", s.start_ms, s.end_ms, s.speaker.id());
            match s.label.as_deref() {
                None => {}
                Some("") => out.push_str("\\0"),
                Some(label) => escape_into(&mut out, label),
            }
            out.push_str(if s.overlaps { "\t1\t" } else { "\t0\t" });
            escape_into(&mut out, &s.text);
            out.push('\n');
        }
        out
    }
}

fn escape_into(out: &mut String, field: &str) {
    for c in field.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\t' => out.push_str("\\t"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            _ => out.push(c),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn seg(id: &str, start: u64, end: u64, speaker: Speaker) -> Segment {
        Segment::new(id, start, end, speaker, "x")
    }

    #[test]
    fn a_plain_turn_taking_transcript_is_valid() {
        let t = Transcript {
            segments: vec![
                seg("a", 0, 1000, Speaker::Interviewer),
                seg("b", 1000, 5000, Speaker::Child),
                seg("c", 5200, 5200, Speaker::Other),
            ],
        };
        assert_eq!(t.validate(), Ok(()));
        assert_eq!(Transcript::default().validate(), Ok(()));
    }

    #[test]
    fn ids_times_and_order_are_checked() {
        let mut t = Transcript { segments: vec![seg("", 0, 1, Speaker::Child)] };
        assert_eq!(t.validate().unwrap_err().code(), "review.segment_empty_id");
        t.segments = vec![seg("a", 0, 1, Speaker::Child), seg("a", 2, 3, Speaker::Child)];
        assert_eq!(t.validate().unwrap_err().code(), "review.segment_duplicate_id");
        t.segments = vec![seg("a", 5, 4, Speaker::Child)];
        assert_eq!(t.validate().unwrap_err().code(), "review.segment_end_before_start");
        t.segments = vec![seg("a", 10, 20, Speaker::Child), seg("b", 5, 6, Speaker::Interviewer)];
        let err = t.validate().unwrap_err();
        assert_eq!(err.code(), "review.segment_out_of_order");
        assert_eq!(err.segment_id(), Some("b"));
    }

    #[test]
    fn overlaps_must_be_marked_and_true() {
        let mut t = Transcript {
            segments: vec![seg("a", 0, 4000, Speaker::Child), seg("b", 3000, 3500, Speaker::Interviewer)],
        };
        let err = t.validate().unwrap_err();
        assert_eq!(err.code(), "review.segment_overlap_unmarked");
        assert_eq!(err, ReviewError::SegmentOverlapUnmarked { id: "b".into(), other: "a".into(), line: None });
        t.segments[1].overlaps = true;
        assert_eq!(t.validate(), Ok(()));
        // The flag goes stale when the times are edited apart.
        (t.segments[1].start_ms, t.segments[1].end_ms) = (4000, 4500);
        assert_eq!(t.validate().unwrap_err().code(), "review.segment_overlap_flag_stale");
        // An overlap with a long earlier segment, not just the previous one.
        t.segments = vec![
            seg("a", 0, 10_000, Speaker::Child),
            seg("b", 1000, 2000, Speaker::Interviewer).overlapping(),
            seg("c", 3000, 4000, Speaker::Other),
        ];
        assert_eq!(t.validate().unwrap_err().code(), "review.segment_overlap_unmarked");
    }

    #[test]
    fn nobody_overlaps_themselves_but_labelled_others_may_overlap() {
        let mut t = Transcript {
            segments: vec![seg("a", 0, 4000, Speaker::Child), seg("b", 3000, 5000, Speaker::Child).overlapping()],
        };
        assert_eq!(t.validate().unwrap_err().code(), "review.segment_overlap_same_speaker");
        let mut mum = seg("a", 0, 4000, Speaker::Other);
        mum.label = Some("Mamá".into());
        let mut dad = seg("b", 3000, 5000, Speaker::Other).overlapping();
        dad.label = Some("Papá".into());
        t.segments = vec![mum, dad];
        assert_eq!(t.validate(), Ok(()));
    }

    #[test]
    fn mark_overlaps_follows_the_times() {
        let mut t = Transcript {
            segments: vec![
                seg("a", 0, 4000, Speaker::Child),
                seg("b", 3000, 3500, Speaker::Interviewer),
                seg("c", 4000, 5000, Speaker::Interviewer).overlapping(),
            ],
        };
        t.mark_overlaps();
        let flags: Vec<_> = t.segments.iter().map(|s| s.overlaps).collect();
        assert_eq!(flags, [false, true, false]);
        assert_eq!(t.validate(), Ok(()));
    }

    #[test]
    fn canonical_text_is_exact_and_unambiguous() {
        let mut a = Segment::new("s1", 0, 1500, Speaker::Interviewer, "Cuéntame\ttodo\\\n");
        a.label = Some("Entrevistadora".into());
        let t = Transcript { segments: vec![a, seg("s2", 1500, 2000, Speaker::Child)] };
        assert_eq!(
            t.canonical_text(),
            "relato-transcript 1\n\
             s1\t0\t1500\tinterviewer\tEntrevistadora\t0\tCuéntame\\ttodo\\\\\\n\n\
             s2\t1500\t2000\tchild\t\t0\tx\n"
        );
        // Text that looks like a field separator stays distinguishable.
        let tricky = Transcript { segments: vec![Segment::new("s1", 0, 1, Speaker::Child, "a\tb")] };
        let plain = Transcript { segments: vec![Segment::new("s1", 0, 1, Speaker::Child, "a\\tb")] };
        assert_ne!(tricky.canonical_text(), plain.canonical_text());
        let mut empty_label = seg("s2", 1500, 2000, Speaker::Child);
        empty_label.label = Some(String::new());
        assert_ne!(
            Transcript { segments: vec![empty_label] }.canonical_text(),
            Transcript { segments: vec![seg("s2", 1500, 2000, Speaker::Child)] }.canonical_text()
        );
    }

    #[test]
    fn serde_form_is_snake_case_and_lean() {
        let s = seg("s1", 0, 10, Speaker::Interviewer);
        let json = serde_json::to_string(&s).unwrap();
        assert_eq!(json, r#"{"id":"s1","start_ms":0,"end_ms":10,"speaker":"interviewer","text":"x"}"#);
        let back: Segment = serde_json::from_str(&json).unwrap();
        assert_eq!(back, s);
    }

    impl Segment {
        fn overlapping(mut self) -> Self {
            self.overlaps = true;
            self
        }
    }
}

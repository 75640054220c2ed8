//! The review crate's error type.
//!
//! Like the vault's errors, every variant has a stable [`ReviewError::code`]
//! (`review.vtt_bad_timestamp`, …) that front ends translate, and the
//! `Display` text is the English fallback. Errors found while reading a
//! WebVTT file carry the 1-based line number ([`ReviewError::line`]); errors
//! found in a transcript being edited carry the segment id instead.

/// Every code [`ReviewError::code`] can return, for catalogs and their tests.
pub const ERROR_CODES: &[&str] = &[
    "review.vtt_missing_header",
    "review.vtt_bad_timestamp",
    "review.vtt_missing_timing",
    "review.vtt_several_voices",
    "review.segment_empty_id",
    "review.segment_duplicate_id",
    "review.segment_end_before_start",
    "review.segment_out_of_order",
    "review.segment_overlap_unmarked",
    "review.segment_overlap_same_speaker",
    "review.segment_overlap_flag_stale",
    "review.annotation_unknown_code",
    "review.annotation_span_reversed",
    "review.annotation_note_required",
    "review.annotation_segment_required",
    "review.annotation_unknown_segment",
    "review.annotation_not_interviewer",
    "review.vocabulary_tier_fixed",
    "review.vocabulary_bad_code",
    "review.vocabulary_code_seeded",
    "review.vocabulary_text_required",
    "review.vocabulary_code_in_use",
    "review.annotation_unknown_target",
    "review.annotation_segment_classified",
    "review.redaction_unknown_segment",
    "review.redaction_bad_span",
    "review.redaction_empty_find",
];

/// Something wrong with a transcript or with a WebVTT file.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ReviewError {
    /// The file does not start with `WEBVTT`.
    #[error("line {line}: not a WebVTT file (the first line must be \"WEBVTT\")")]
    VttMissingHeader { line: usize },
    /// A cue time is not `hh:mm:ss.mmm` or `mm:ss.mmm`.
    #[error("line {line}: bad cue time {found:?} (expected hh:mm:ss.mmm or mm:ss.mmm)")]
    VttBadTimestamp { line: usize, found: String },
    /// A cue identifier is not followed by a timing line.
    #[error("line {line}: a cue identifier must be followed by \"start --> end\"")]
    VttMissingTiming { line: usize },
    /// One cue holds the words of two different voices.
    #[error("line {line}: one cue has two voices; split it into one cue per speaker")]
    VttSeveralVoices { line: usize },
    /// A segment has an empty id.
    #[error("segment {index} has no id")]
    SegmentEmptyId { index: usize, line: Option<usize> },
    /// Two segments share an id.
    #[error("two segments have the id {id:?}")]
    SegmentDuplicateId { id: String, line: Option<usize> },
    /// A segment ends before it starts.
    #[error("segment {id:?} ends before it starts")]
    SegmentEndBeforeStart { id: String, line: Option<usize> },
    /// A segment starts before the one listed before it.
    #[error("segment {id:?} starts before the segment listed before it")]
    SegmentOutOfOrder { id: String, line: Option<usize> },
    /// A segment overlaps an earlier one without being marked as overlapping.
    #[error("segment {id:?} overlaps segment {other:?} but is not marked as overlapping speech")]
    SegmentOverlapUnmarked { id: String, other: String, line: Option<usize> },
    /// A speaker overlaps their own earlier segment.
    #[error("segment {id:?} overlaps {other:?} of the same speaker")]
    SegmentOverlapSameSpeaker { id: String, other: String, line: Option<usize> },
    /// A segment is marked as overlapping but overlaps nothing.
    #[error("segment {id:?} is marked as overlapping speech but overlaps no earlier segment")]
    SegmentOverlapFlagStale { id: String, line: Option<usize> },
    /// An annotation's code is not in its tier's vocabulary.
    #[error("{code:?} is not a code of the {tier} tier")]
    AnnotationUnknownCode { tier: String, code: String },
    /// An annotation ends before it starts.
    #[error("the annotation ends before it starts")]
    AnnotationSpanReversed,
    /// A note without words.
    #[error("a note needs its text")]
    AnnotationNoteRequired,
    /// A prompt-type annotation not tied to a segment.
    #[error("a prompt type is given to one interviewer segment; none was named")]
    AnnotationSegmentRequired,
    /// The segment named is not in the transcript.
    #[error("segment {segment:?} is not in the transcript")]
    AnnotationUnknownSegment { segment: String },
    /// A prompt type given to a segment someone else speaks.
    #[error("segment {segment:?} is not the interviewer's; only interviewer prompts have a type")]
    AnnotationNotInterviewer { segment: String },
    /// Codes can be added to the indicators only.
    #[error("the {tier} tier's codes are fixed")]
    VocabularyTierFixed { tier: String },
    /// A code identifier that is not 2–48 of a–z, 0–9 and _.
    #[error("{code:?} is not a valid code (2 to 48 of a-z, 0-9 and _, starting with a letter)")]
    VocabularyBadCode { code: String },
    /// A seeded code cannot be redefined.
    #[error("{code:?} is a seeded code; it cannot be changed")]
    VocabularyCodeSeeded { code: String },
    /// A label or definition left empty.
    #[error("the code's {field} is required")]
    VocabularyTextRequired { field: String },
    /// Annotations use the code: its meaning is fixed.
    #[error("annotations use {code:?}: its labels and definitions are fixed; add a new code instead")]
    VocabularyCodeInUse { code: String },
    /// A note comments on an annotation that is not in the session.
    #[error("annotation {annotation:?} is not in this session")]
    AnnotationUnknownTarget { annotation: String },
    /// The segment already has a prompt type (in another annotation).
    #[error("segment {segment:?} already has a prompt type (annotation {annotation:?}); change that one instead")]
    AnnotationSegmentClassified { segment: String, annotation: String },
    /// A redaction names a segment that is not in the transcript
    /// (`request` is the request's 0-based index).
    #[error("redaction {}: segment {segment:?} is not in the transcript", request + 1)]
    RedactionUnknownSegment { request: usize, segment: String },
    /// A redaction's character range is empty, reversed or past the end of
    /// the segment's text (`length` characters).
    #[error("redaction {}: characters {start}..{end} are not a non-empty range of segment {segment:?}'s text ({length} characters)", request + 1)]
    RedactionBadSpan { request: usize, segment: String, start: usize, end: usize, length: usize },
    /// A phrase or label redaction with nothing to find.
    #[error("redaction {}: the text to find is empty", request + 1)]
    RedactionEmptyFind { request: usize },
}

impl ReviewError {
    /// The stable identifier, one of [`ERROR_CODES`].
    pub fn code(&self) -> &'static str {
        match self {
            Self::VttMissingHeader { .. } => "review.vtt_missing_header",
            Self::VttBadTimestamp { .. } => "review.vtt_bad_timestamp",
            Self::VttMissingTiming { .. } => "review.vtt_missing_timing",
            Self::VttSeveralVoices { .. } => "review.vtt_several_voices",
            Self::SegmentEmptyId { .. } => "review.segment_empty_id",
            Self::SegmentDuplicateId { .. } => "review.segment_duplicate_id",
            Self::SegmentEndBeforeStart { .. } => "review.segment_end_before_start",
            Self::SegmentOutOfOrder { .. } => "review.segment_out_of_order",
            Self::SegmentOverlapUnmarked { .. } => "review.segment_overlap_unmarked",
            Self::SegmentOverlapSameSpeaker { .. } => "review.segment_overlap_same_speaker",
            Self::SegmentOverlapFlagStale { .. } => "review.segment_overlap_flag_stale",
            Self::AnnotationUnknownCode { .. } => "review.annotation_unknown_code",
            Self::AnnotationSpanReversed => "review.annotation_span_reversed",
            Self::AnnotationNoteRequired => "review.annotation_note_required",
            Self::AnnotationSegmentRequired => "review.annotation_segment_required",
            Self::AnnotationUnknownSegment { .. } => "review.annotation_unknown_segment",
            Self::AnnotationNotInterviewer { .. } => "review.annotation_not_interviewer",
            Self::VocabularyTierFixed { .. } => "review.vocabulary_tier_fixed",
            Self::VocabularyBadCode { .. } => "review.vocabulary_bad_code",
            Self::VocabularyCodeSeeded { .. } => "review.vocabulary_code_seeded",
            Self::VocabularyTextRequired { .. } => "review.vocabulary_text_required",
            Self::VocabularyCodeInUse { .. } => "review.vocabulary_code_in_use",
            Self::AnnotationUnknownTarget { .. } => "review.annotation_unknown_target",
            Self::AnnotationSegmentClassified { .. } => "review.annotation_segment_classified",
            Self::RedactionUnknownSegment { .. } => "review.redaction_unknown_segment",
            Self::RedactionBadSpan { .. } => "review.redaction_bad_span",
            Self::RedactionEmptyFind { .. } => "review.redaction_empty_find",
        }
    }

    /// The 1-based line of the WebVTT file the error is about, if it came
    /// from a file.
    pub fn line(&self) -> Option<usize> {
        match self {
            Self::VttMissingHeader { line }
            | Self::VttBadTimestamp { line, .. }
            | Self::VttMissingTiming { line }
            | Self::VttSeveralVoices { line } => Some(*line),
            Self::SegmentEmptyId { line, .. }
            | Self::SegmentDuplicateId { line, .. }
            | Self::SegmentEndBeforeStart { line, .. }
            | Self::SegmentOutOfOrder { line, .. }
            | Self::SegmentOverlapUnmarked { line, .. }
            | Self::SegmentOverlapSameSpeaker { line, .. }
            | Self::SegmentOverlapFlagStale { line, .. } => *line,
            _ => None,
        }
    }

    /// The id of the segment the error is about, when there is one.
    pub fn segment_id(&self) -> Option<&str> {
        match self {
            Self::SegmentDuplicateId { id, .. }
            | Self::SegmentEndBeforeStart { id, .. }
            | Self::SegmentOutOfOrder { id, .. }
            | Self::SegmentOverlapUnmarked { id, .. }
            | Self::SegmentOverlapSameSpeaker { id, .. }
            | Self::SegmentOverlapFlagStale { id, .. } => Some(id),
            Self::AnnotationUnknownSegment { segment }
            | Self::AnnotationNotInterviewer { segment }
            | Self::AnnotationSegmentClassified { segment, .. }
            | Self::RedactionUnknownSegment { segment, .. }
            | Self::RedactionBadSpan { segment, .. } => Some(segment),
            _ => None,
        }
    }

    /// Named values for the translated message: `line` and `segment` when
    /// known, the tier and code of an unknown code, and for a redaction its
    /// 1-based number in the list (`request`) and the range it gave.
    pub fn args(&self) -> Vec<(&'static str, String)> {
        let mut args = Vec::new();
        if let Some(line) = self.line() {
            args.push(("line", line.to_string()));
        }
        if let Some(segment) = self.segment_id() {
            args.push(("segment", segment.to_owned()));
        }
        match self {
            Self::AnnotationUnknownCode { tier, code } => {
                args.push(("tier", tier.clone()));
                args.push(("code", code.clone()));
            }
            Self::VocabularyTierFixed { tier } => args.push(("tier", tier.clone())),
            Self::VocabularyBadCode { code } | Self::VocabularyCodeSeeded { code } | Self::VocabularyCodeInUse { code } => {
                args.push(("code", code.clone()))
            }
            Self::VocabularyTextRequired { field } => args.push(("field", field.clone())),
            Self::AnnotationUnknownTarget { annotation } | Self::AnnotationSegmentClassified { annotation, .. } => {
                args.push(("annotation", annotation.clone()))
            }
            Self::RedactionUnknownSegment { request, .. } | Self::RedactionEmptyFind { request } => {
                args.push(("request", (request + 1).to_string()))
            }
            Self::RedactionBadSpan { request, start, end, length, .. } => {
                args.push(("request", (request + 1).to_string()));
                args.push(("start", start.to_string()));
                args.push(("end", end.to_string()));
                args.push(("length", length.to_string()));
            }
            _ => {}
        }
        args
    }

    /// The same error, located at line `line` of a WebVTT file.
    pub(crate) fn at_line(mut self, at: usize) -> Self {
        match &mut self {
            Self::SegmentEmptyId { line, .. }
            | Self::SegmentDuplicateId { line, .. }
            | Self::SegmentEndBeforeStart { line, .. }
            | Self::SegmentOutOfOrder { line, .. }
            | Self::SegmentOverlapUnmarked { line, .. }
            | Self::SegmentOverlapSameSpeaker { line, .. }
            | Self::SegmentOverlapFlagStale { line, .. } => *line = Some(at),
            _ => {}
        }
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_listed_and_lines_reported() {
        let samples = [
            ReviewError::VttMissingHeader { line: 1 },
            ReviewError::VttBadTimestamp { line: 4, found: "1:2".into() },
            ReviewError::VttMissingTiming { line: 3 },
            ReviewError::VttSeveralVoices { line: 9 },
            ReviewError::SegmentEmptyId { index: 0, line: None },
            ReviewError::SegmentDuplicateId { id: "a".into(), line: None },
            ReviewError::SegmentEndBeforeStart { id: "a".into(), line: None },
            ReviewError::SegmentOutOfOrder { id: "a".into(), line: None },
            ReviewError::SegmentOverlapUnmarked { id: "a".into(), other: "b".into(), line: None },
            ReviewError::SegmentOverlapSameSpeaker { id: "a".into(), other: "b".into(), line: None },
            ReviewError::SegmentOverlapFlagStale { id: "a".into(), line: None },
            ReviewError::AnnotationUnknownCode { tier: "indicators".into(), code: "x".into() },
            ReviewError::AnnotationSpanReversed,
            ReviewError::AnnotationNoteRequired,
            ReviewError::AnnotationSegmentRequired,
            ReviewError::AnnotationUnknownSegment { segment: "s9".into() },
            ReviewError::AnnotationNotInterviewer { segment: "s1".into() },
            ReviewError::VocabularyTierFixed { tier: "notes".into() },
            ReviewError::VocabularyBadCode { code: "X".into() },
            ReviewError::VocabularyCodeSeeded { code: "places".into() },
            ReviewError::VocabularyTextRequired { field: "label_es".into() },
            ReviewError::VocabularyCodeInUse { code: "vehicle".into() },
            ReviewError::AnnotationUnknownTarget { annotation: "ann-x".into() },
            ReviewError::AnnotationSegmentClassified { segment: "s3".into(), annotation: "ann-y".into() },
            ReviewError::RedactionUnknownSegment { request: 0, segment: "s9".into() },
            ReviewError::RedactionBadSpan { request: 2, segment: "s1".into(), start: 4, end: 9, length: 7 },
            ReviewError::RedactionEmptyFind { request: 1 },
        ];
        let codes: Vec<_> = samples.iter().map(ReviewError::code).collect();
        assert_eq!(codes, ERROR_CODES);
        assert_eq!(samples[1].line(), Some(4));
        assert_eq!(samples[5].line(), None);
        assert_eq!(samples[5].clone().at_line(12).line(), Some(12));
        assert_eq!(samples[5].segment_id(), Some("a"));
        assert!(samples[1].to_string().contains("line 4"));
        assert_eq!(samples[5].args(), [("segment", "a".to_owned())]);
        assert_eq!(samples[5].clone().at_line(3).args(), [("line", "3".to_owned()), ("segment", "a".to_owned())]);
        assert_eq!(samples[11].args(), [("tier", "indicators".to_owned()), ("code", "x".to_owned())]);
        assert_eq!(
            samples[25].args(),
            [
                ("segment", "s1".to_owned()),
                ("request", "3".to_owned()),
                ("start", "4".to_owned()),
                ("end", "9".to_owned()),
                ("length", "7".to_owned())
            ]
        );
        assert_eq!(samples[26].to_string(), "redaction 2: the text to find is empty");
    }
}

//! Redacted derivatives of a transcript: a copy with chosen stretches of
//! text (and speaker labels) replaced, plus a record of what was replaced
//! *where* — never *what*.
//!
//! # Requests
//!
//! A redaction is asked for with a list of [`TextRedaction`]s:
//!
//! * [`TextRedaction::Span`] — characters `start..end` of one segment's
//!   text. Offsets count Unicode scalar values (Rust `char`s), not bytes
//!   nor UTF-16 units.
//! * [`TextRedaction::Phrase`] — every whole-word occurrence of a phrase in
//!   every segment's text, found with the crate's search folding (case,
//!   accents and runs of white space ignored: "jose" finds "José" and
//!   "JOSÉ", "ana maria" finds "Ana  María"). *Whole word* means a match
//!   that begins (ends) with a letter or digit may not have a letter or
//!   digit just before (after) it, so "Ana" is not redacted inside
//!   "Mariana"; punctuation and spaces are boundaries ("Ana's", "José-Luis").
//!   Phrases redact segment text only, never labels.
//! * [`TextRedaction::Label`] — the whole speaker label of every segment
//!   whose label equals `find` after the same folding ("Mamá de Ana" →
//!   "[FAMILIAR]").
//!
//! # Overlaps merge
//!
//! Requested ranges of one text that share at least one character are
//! merged into one range, replaced once. Over-redacting is safe and
//! refusing would make a user untangle every phrase that happens to overlap
//! another in some segment ("José Pérez" and "Pérez"). The merged range
//! takes the replacement of the request listed first among those merged
//! (the list order is the user's priority) and the reasons of all of them,
//! distinct, in list order, joined by "; ". Ranges that only touch
//! (one ends where the next starts) stay separate: each is replaced.
//!
//! # The record
//!
//! Every replaced range is reported as an [`AppliedTextRedaction`]: the
//! segment, the field, the range as char offsets **in the original** text,
//! the replacement, the reason and the requests behind it. The removed text
//! itself is never recorded: the record travels with the redacted copy, and
//! listing what was removed would undo the redaction.
//!
//! A phrase or label request that matches nothing is not an error (names
//! are listed in advance, and a name may simply not occur); its index is
//! reported in [`Redacted::unmatched`] so a UI can warn. A span outside its
//! text, a span naming an unknown segment and an empty `find` are errors
//! naming the request; nothing is redacted then.
//!
//! Ids, times, speakers and overlap flags are copied unchanged. Note that
//! giving two differently labelled speakers the same replacement label can
//! make their overlapping segments one speaker overlapping themselves, which
//! [`Transcript::validate`] refuses; the derivative is not re-validated here.
//!
//! The function is pure. Each text is folded once, and mapped back to the
//! original once per phrase that occurs in it.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use crate::error::ReviewError;
use crate::fold::{fold, fold_mapped};
use crate::transcript::Transcript;

/// One requested redaction.
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum TextRedaction {
    /// Characters `start..end` of one segment's text.
    Span { segment: String, start: usize, end: usize, replacement: String, reason: String },
    /// Every whole-word occurrence of `find` in every segment's text.
    Phrase { find: String, replacement: String, reason: String },
    /// The label of every segment whose label equals `find`.
    Label { find: String, replacement: String, reason: String },
}

impl TextRedaction {
    fn replacement(&self) -> &str {
        match self {
            Self::Span { replacement, .. } | Self::Phrase { replacement, .. } | Self::Label { replacement, .. } => replacement,
        }
    }

    fn reason(&self) -> &str {
        match self {
            Self::Span { reason, .. } | Self::Phrase { reason, .. } | Self::Label { reason, .. } => reason,
        }
    }
}

/// The part of a segment a redaction replaced.
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RedactedField {
    Text,
    Label,
}

/// One replaced range, as recorded with the redacted copy. It says where
/// and why, never what was there.
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AppliedTextRedaction {
    pub segment: String,
    pub field: RedactedField,
    /// Char range in the **original** field (a label is always replaced whole).
    pub start: usize,
    pub end: usize,
    pub replacement: String,
    /// The merged requests' distinct reasons, in list order, joined by "; ".
    pub reason: String,
    /// 0-based indexes of the requests merged into this range, ascending.
    pub requests: Vec<usize>,
}

/// A redacted copy of a transcript and what was done to it.
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Redacted {
    pub transcript: Transcript,
    /// In segment order; within a segment the label first, then the text
    /// ranges by position.
    pub applied: Vec<AppliedTextRedaction>,
    /// Indexes of phrase and label requests that matched nothing, ascending.
    pub unmatched: Vec<usize>,
}

/// A requested range of one field, before merging (char offsets).
#[derive(Debug, Clone, Copy)]
struct Hit {
    start: usize,
    end: usize,
    request: usize,
}

/// Applies `requests` to a copy of `transcript` (see the module docs).
pub fn redact(transcript: &Transcript, requests: &[TextRedaction]) -> Result<Redacted, ReviewError> {
    // With duplicate ids (an invalid transcript) a span goes to the first.
    let mut by_id: HashMap<&str, usize> = HashMap::with_capacity(transcript.segments.len());
    for (index, s) in transcript.segments.iter().enumerate() {
        by_id.entry(s.id.as_str()).or_insert(index);
    }
    let segments = &transcript.segments;
    let mut text_hits: Vec<Vec<Hit>> = vec![Vec::new(); segments.len()];
    let mut label_hits: Vec<Vec<Hit>> = vec![Vec::new(); segments.len()];
    let mut phrases: Vec<(usize, String)> = Vec::new();
    let mut labels: Vec<(usize, String)> = Vec::new();

    // Every request is checked before anything is matched: one bad request
    // fails the whole redaction, never half of it.
    for (request, r) in requests.iter().enumerate() {
        match r {
            TextRedaction::Span { segment, start, end, .. } => {
                let &index = by_id
                    .get(segment.as_str())
                    .ok_or_else(|| ReviewError::RedactionUnknownSegment { request, segment: segment.clone() })?;
                let length = segments[index].text.chars().count();
                if start >= end || *end > length {
                    return Err(ReviewError::RedactionBadSpan {
                        request,
                        segment: segment.clone(),
                        start: *start,
                        end: *end,
                        length,
                    });
                }
                text_hits[index].push(Hit { start: *start, end: *end, request });
            }
            TextRedaction::Phrase { find, .. } | TextRedaction::Label { find, .. } => {
                let needle = fold(find);
                if needle.is_empty() {
                    return Err(ReviewError::RedactionEmptyFind { request });
                }
                let list = if matches!(r, TextRedaction::Phrase { .. }) { &mut phrases } else { &mut labels };
                list.push((request, needle));
            }
        }
    }

    let mut matched = vec![false; requests.len()];
    for (index, s) in segments.iter().enumerate() {
        if !phrases.is_empty() {
            let folded_text = fold(&s.text);
            for (request, needle) in &phrases {
                // Cheap rejection before mapping: most segments do not match.
                if !folded_text.contains(needle.as_str()) {
                    continue;
                }
                for (start, end) in whole_word_matches(needle, &s.text) {
                    text_hits[index].push(Hit { start, end, request: *request });
                    matched[*request] = true;
                }
            }
        }
        if let Some(label) = s.label.as_deref() {
            let folded_label = fold(label);
            let length = label.chars().count();
            for (request, needle) in &labels {
                if *needle == folded_label {
                    label_hits[index].push(Hit { start: 0, end: length, request: *request });
                    matched[*request] = true;
                }
            }
        }
    }

    let mut out = transcript.clone();
    let mut applied = Vec::new();
    for (index, s) in out.segments.iter_mut().enumerate() {
        let mut field = |value: &mut String, hits: &mut Vec<Hit>, kind: RedactedField| {
            if hits.is_empty() {
                return;
            }
            let merged = merge(hits, requests);
            *value = replace(value, &merged, requests);
            for m in merged {
                applied.push(AppliedTextRedaction {
                    segment: s.id.clone(),
                    field: kind,
                    start: m.start,
                    end: m.end,
                    replacement: requests[m.requests[0]].replacement().to_owned(),
                    reason: m.reason,
                    requests: m.requests,
                });
            }
        };
        if let Some(label) = s.label.as_mut() {
            field(label, &mut label_hits[index], RedactedField::Label);
        }
        field(&mut s.text, &mut text_hits[index], RedactedField::Text);
    }

    let unmatched = requests
        .iter()
        .enumerate()
        .filter(|(i, r)| !matches!(r, TextRedaction::Span { .. }) && !matched[*i])
        .map(|(i, _)| i)
        .collect();
    Ok(Redacted { transcript: out, applied, unmatched })
}

/// A merged range: its requests ascending (the first gives the replacement).
struct Merged {
    start: usize,
    end: usize,
    requests: Vec<usize>,
    reason: String,
}

/// Merges hits that share a character; touching hits stay apart.
fn merge(hits: &mut [Hit], requests: &[TextRedaction]) -> Vec<Merged> {
    hits.sort_unstable_by_key(|h| (h.start, h.end, h.request));
    let mut groups: Vec<(usize, usize, Vec<usize>)> = Vec::new();
    for h in hits.iter() {
        match groups.last_mut() {
            Some((_, end, reqs)) if h.start < *end => {
                *end = (*end).max(h.end);
                reqs.push(h.request);
            }
            _ => groups.push((h.start, h.end, vec![h.request])),
        }
    }
    groups
        .into_iter()
        .map(|(start, end, mut reqs)| {
            reqs.sort_unstable();
            reqs.dedup();
            let mut reasons: Vec<&str> = Vec::new();
            for &r in &reqs {
                let reason = requests[r].reason();
                if !reasons.contains(&reason) {
                    reasons.push(reason);
                }
            }
            Merged { start, end, reason: reasons.join("; "), requests: reqs }
        })
        .collect()
}

/// `text` with each merged char range (sorted, disjoint) replaced.
fn replace(text: &str, merged: &[Merged], requests: &[TextRedaction]) -> String {
    let bounds = char_bounds(text);
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for m in merged {
        out.push_str(&text[at..bounds[m.start]]);
        out.push_str(requests[m.requests[0]].replacement());
        at = bounds[m.end];
    }
    out.push_str(&text[at..]);
    out
}

/// Byte offset of every char of `text`, then `text.len()`: char `i` starts
/// at `bounds[i]`, and a byte offset on a boundary is found by search.
fn char_bounds(text: &str) -> Vec<usize> {
    text.char_indices().map(|(b, _)| b).chain(std::iter::once(text.len())).collect()
}

fn is_word(c: char) -> bool {
    c.is_alphanumeric()
}

/// The whole-word matches of the folded `needle` in `text`, as char ranges
/// of the original, in order and disjoint.
fn whole_word_matches(needle: &str, text: &str) -> Vec<(usize, usize)> {
    let folded = fold_mapped(text);
    let bounds = char_bounds(text);
    let to_char = |byte: usize| bounds.partition_point(|&b| b < byte);
    let mut found = Vec::new();
    let mut previous_end = 0;
    let mut from = 0;
    while let Some(i) = folded.text.get(from..).and_then(|rest| rest.find(needle)) {
        let at = from + i;
        let last = at + needle.len() - 1;
        let (start, end) = (folded.origin[at].0, folded.origin[last].1);
        // The match must take whole characters of the original: not half
        // of a letter that folds to two ("ß" → "ss").
        let whole_start = at == 0 || folded.origin[at - 1] != folded.origin[at];
        let whole_end = last + 1 == folded.text.len() || folded.origin[last + 1] != folded.origin[last];
        let starts_word = text[start..].chars().next().is_some_and(is_word);
        let ends_word = text[..end].chars().next_back().is_some_and(is_word);
        let glued_before = starts_word && text[..start].chars().next_back().is_some_and(is_word);
        let glued_after = ends_word && text[end..].chars().next().is_some_and(is_word);
        if whole_start && whole_end && start >= previous_end && !glued_before && !glued_after {
            found.push((to_char(start), to_char(end)));
            previous_end = end;
            from = at + needle.len();
        } else {
            // A rejected match may hide an acceptable one that overlaps it
            // ("a a" in "ba a a"): look again one folded char further on.
            from = at + folded.text[at..].chars().next().map_or(1, char::len_utf8);
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::transcript::{Segment, Speaker};
    use proptest::prelude::*;

    fn seg(id: &str, text: &str) -> Segment {
        Segment::new(id, 0, 1, Speaker::Child, text)
    }

    fn transcript(texts: &[(&str, &str)]) -> Transcript {
        Transcript { segments: texts.iter().map(|(id, text)| seg(id, text)).collect() }
    }

    fn span(segment: &str, start: usize, end: usize, replacement: &str) -> TextRedaction {
        TextRedaction::Span {
            segment: segment.into(),
            start,
            end,
            replacement: replacement.into(),
            reason: "dato".into(),
        }
    }

    fn phrase(find: &str, replacement: &str) -> TextRedaction {
        TextRedaction::Phrase { find: find.into(), replacement: replacement.into(), reason: "nombre".into() }
    }

    fn texts(r: &Redacted) -> Vec<&str> {
        r.transcript.segments.iter().map(|s| s.text.as_str()).collect()
    }

    fn ranges(r: &Redacted) -> Vec<(&str, usize, usize)> {
        r.applied.iter().map(|a| (a.segment.as_str(), a.start, a.end)).collect()
    }

    #[test]
    fn spans_count_chars_not_bytes() {
        let t = transcript(&[("s1", "Vivo en Cañón 12, ¿sabes?"), ("s2", "sí")]);
        // "Cañón 12" is chars 8..16 (bytes 8..18).
        let r = redact(&t, &[span("s1", 8, 16, "[DOMICILIO]")]).unwrap();
        assert_eq!(texts(&r), ["Vivo en [DOMICILIO], ¿sabes?", "sí"]);
        assert_eq!(
            r.applied,
            [AppliedTextRedaction {
                segment: "s1".into(),
                field: RedactedField::Text,
                start: 8,
                end: 16,
                replacement: "[DOMICILIO]".into(),
                reason: "dato".into(),
                requests: vec![0],
            }]
        );
        assert!(r.unmatched.is_empty());
        // Everything else is copied unchanged.
        assert_eq!(r.transcript.segments[1], t.segments[1]);
        // A span to the very end, and one over an emoji (one char).
        let t = transcript(&[("s", "a😀b")]);
        let r = redact(&t, &[span("s", 1, 2, "#"), span("s", 2, 3, "")]).unwrap();
        assert_eq!(texts(&r), ["a#"]);
        assert_eq!(ranges(&r), [("s", 1, 2), ("s", 2, 3)]);
    }

    #[test]
    fn phrases_ignore_case_and_accents_and_report_original_offsets() {
        let t = transcript(&[("s1", "José dijo que JOSÉ y jose vinieron."), ("s2", "Con Josefina no.")]);
        let r = redact(&t, &[phrase("jose", "[N1]")]).unwrap();
        assert_eq!(texts(&r), ["[N1] dijo que [N1] y [N1] vinieron.", "Con Josefina no."]);
        assert_eq!(ranges(&r), [("s1", 0, 4), ("s1", 14, 18), ("s1", 21, 25)]);
        // The query's own accents and case do not matter either.
        let r2 = redact(&t, &[phrase("  JOSÉ ", "[N1]")]).unwrap();
        assert_eq!(texts(&r2), texts(&r));
    }

    #[test]
    fn later_occurrences_land_right_after_longer_and_shorter_replacements() {
        let t = transcript(&[("s", "Ana, Ana y ana")]);
        let r = redact(&t, &[phrase("ana", "[NOMBRE DE LA NIÑA]")]).unwrap();
        assert_eq!(texts(&r), ["[NOMBRE DE LA NIÑA], [NOMBRE DE LA NIÑA] y [NOMBRE DE LA NIÑA]"]);
        let r = redact(&t, &[phrase("ana", "")]).unwrap();
        assert_eq!(texts(&r), [",  y "]);
        assert_eq!(ranges(&r), [("s", 0, 3), ("s", 5, 8), ("s", 11, 14)]);
    }

    #[test]
    fn only_whole_words_are_redacted() {
        let t = transcript(&[("s", "Mariana y Ana; Anabel, ana's, José-Ana. Ana2 y _Ana_")]);
        let r = redact(&t, &[phrase("Ana", "X")]).unwrap();
        // "_" is not a letter or digit, so it is a boundary.
        assert_eq!(texts(&r), ["Mariana y X; Anabel, X's, José-X. Ana2 y _X_"]);
        // Punctuation at the phrase's own edge needs no boundary.
        let t = transcript(&[("s", "la Dra.Ana vino")]);
        let r = redact(&t, &[phrase("dra.", "[TITULO]")]).unwrap();
        assert_eq!(texts(&r), ["la [TITULO]Ana vino"]);
        // A rejected match does not hide an overlapping good one.
        let t = transcript(&[("s", "ba a a")]);
        let r = redact(&t, &[phrase("a a", "#")]).unwrap();
        assert_eq!(texts(&r), ["ba #"]);
        // Half of a letter that folds to two is not a match.
        let t = transcript(&[("s", "ß s")]);
        let r = redact(&t, &[phrase("s", "#")]).unwrap();
        assert_eq!(texts(&r), ["ß #"]);
    }

    #[test]
    fn phrases_span_white_space_runs_and_decomposed_accents() {
        let t = transcript(&[("s", "vino Ana\t María y ana mari\u{0301}a")]);
        let r = redact(&t, &[phrase("ana maría", "[N]")]).unwrap();
        assert_eq!(texts(&r), ["vino [N] y [N]"]);
        // The combining accent is one char of the original range.
        assert_eq!(ranges(&r), [("s", 5, 15), ("s", 18, 28)]);
    }

    #[test]
    fn overlapping_requests_merge_and_touching_ones_do_not() {
        let t = transcript(&[("s", "Dijo José Pérez López."), ("t", "Pérez")]);
        let requests = [
            TextRedaction::Phrase { find: "Pérez".into(), replacement: "[APELLIDO]".into(), reason: "apellido".into() },
            TextRedaction::Phrase { find: "José Pérez".into(), replacement: "[NOMBRE]".into(), reason: "nombre".into() },
            span("s", 15, 21, "[APELLIDO 2]"),
            TextRedaction::Phrase { find: "pérez".into(), replacement: "?".into(), reason: "apellido".into() },
        ];
        let r = redact(&t, &requests).unwrap();
        // 0, 1 and 3 overlap: request 0's replacement, reasons deduplicated.
        // The span (15..21, " López") touches the merged range and stays apart.
        assert_eq!(texts(&r), ["Dijo [APELLIDO][APELLIDO 2].", "[APELLIDO]"]);
        assert_eq!(r.applied.len(), 3);
        assert_eq!((r.applied[0].start, r.applied[0].end), (5, 15));
        assert_eq!(r.applied[0].requests, [0, 1, 3]);
        assert_eq!(r.applied[0].reason, "apellido; nombre");
        assert_eq!(r.applied[0].replacement, "[APELLIDO]");
        assert_eq!((r.applied[1].start, r.applied[1].end, r.applied[1].requests.as_slice()), (15, 21, &[2][..]));
        assert_eq!((r.applied[2].segment.as_str(), r.applied[2].requests.as_slice()), ("t", &[0, 3][..]));
        // Two spans over the same characters merge into one.
        let r = redact(&t, &[span("t", 0, 3, "A"), span("t", 2, 5, "B")]).unwrap();
        assert_eq!(texts(&r)[1], "A");
        assert_eq!(ranges(&r), [("t", 0, 5)]);
    }

    #[test]
    fn labels_are_replaced_whole_after_folding() {
        let mut mum = Segment::new("s1", 0, 10, Speaker::Other, "Hola");
        mum.label = Some("Mamá de Ana".into());
        let mut other = Segment::new("s2", 10, 20, Speaker::Other, "Ana");
        other.label = Some("Mamá de Ana y Luis".into());
        let mut again = Segment::new("s3", 20, 30, Speaker::Other, "ya");
        again.label = Some("MAMA  DE ana".into());
        let t = Transcript { segments: vec![mum, other, again, seg("s4", "x")] };
        let requests = [
            TextRedaction::Label { find: "mama de ana".into(), replacement: "[FAMILIAR]".into(), reason: "parentesco".into() },
            phrase("Ana", "[N]"),
            TextRedaction::Label { find: "Papá".into(), replacement: "[FAMILIAR]".into(), reason: "parentesco".into() },
        ];
        let r = redact(&t, &requests).unwrap();
        let labels: Vec<_> = r.transcript.segments.iter().map(|s| s.label.as_deref()).collect();
        assert_eq!(labels, [Some("[FAMILIAR]"), Some("Mamá de Ana y Luis"), Some("[FAMILIAR]"), None]);
        // Phrases apply to the text, not to labels.
        assert_eq!(texts(&r), ["Hola", "[N]", "ya", "x"]);
        let fields: Vec<_> = r.applied.iter().map(|a| (a.segment.as_str(), a.field, a.start, a.end)).collect();
        assert_eq!(
            fields,
            [("s1", RedactedField::Label, 0, 11), ("s2", RedactedField::Text, 0, 3), ("s3", RedactedField::Label, 0, 12)]
        );
        assert_eq!(r.unmatched, [2]);
    }

    #[test]
    fn unmatched_phrases_are_reported_not_refused() {
        let t = transcript(&[("s", "Mariana")]);
        let r = redact(&t, &[phrase("Ana", "X"), span("s", 0, 1, "m"), phrase("Pedro", "Y")]).unwrap();
        assert_eq!(texts(&r), ["mariana"]);
        assert_eq!(r.unmatched, [0, 2]);
        let r = redact(&t, &[]).unwrap();
        assert_eq!(r.transcript, t);
        assert!(r.applied.is_empty() && r.unmatched.is_empty());
    }

    #[test]
    fn bad_requests_are_refused_naming_them() {
        let t = transcript(&[("s1", "año")]);
        let err = redact(&t, &[phrase("x", "y"), span("s9", 0, 1, "")]).unwrap_err();
        assert_eq!(err, ReviewError::RedactionUnknownSegment { request: 1, segment: "s9".into() });
        assert_eq!(err.code(), "review.redaction_unknown_segment");
        // "año" is three chars though four bytes.
        let err = redact(&t, &[span("s1", 1, 4, "")]).unwrap_err();
        assert_eq!(
            err,
            ReviewError::RedactionBadSpan { request: 0, segment: "s1".into(), start: 1, end: 4, length: 3 }
        );
        for (start, end) in [(2, 2), (3, 1), (usize::MAX, usize::MAX)] {
            assert_eq!(redact(&t, &[span("s1", start, end, "")]).unwrap_err().code(), "review.redaction_bad_span");
        }
        assert_eq!(redact(&t, &[span("s1", 0, 3, "")]).map(|r| r.transcript.segments[0].text.clone()), Ok(String::new()));
        for find in ["", " \t ", "\u{0301}"] {
            let err = redact(&t, &[span("s1", 0, 1, ""), phrase(find, "y")]).unwrap_err();
            assert_eq!(err, ReviewError::RedactionEmptyFind { request: 1 });
        }
    }

    #[test]
    fn the_record_never_holds_the_removed_text() {
        let t = transcript(&[("s", "Se llama Xóchitl Quetzalli")]);
        let requests = [phrase("xochitl", "[N]"), span("s", 17, 26, "[A]")];
        let r = redact(&t, &requests).unwrap();
        assert_eq!(texts(&r), ["Se llama [N] [A]"]);
        let json = serde_json::to_string(&(&r.applied, &r.unmatched)).unwrap();
        assert_eq!(
            json,
            r#"[[{"segment":"s","field":"text","start":9,"end":16,"replacement":"[N]","reason":"nombre","requests":[0]},{"segment":"s","field":"text","start":17,"end":26,"replacement":"[A]","reason":"dato","requests":[1]}],[]]"#
        );
        assert!(!json.contains("chitl") && !json.contains("Quetzalli"));
    }

    #[test]
    fn requests_are_tagged_by_kind() {
        let json = r#"[{"kind":"span","segment":"s","start":0,"end":2,"replacement":"X","reason":"r"},
            {"kind":"phrase","find":"a","replacement":"B","reason":"r"},
            {"kind":"label","find":"Mamá","replacement":"[F]","reason":"r"}]"#;
        let requests: Vec<TextRedaction> = serde_json::from_str(json).unwrap();
        assert_eq!(requests[0], span("s", 0, 2, "X").with_reason("r"));
        assert!(matches!(&requests[2], TextRedaction::Label { find, .. } if find == "Mamá"));
        assert_eq!(
            serde_json::to_string(&requests[1]).unwrap(),
            r#"{"kind":"phrase","find":"a","replacement":"B","reason":"r"}"#
        );
    }

    impl TextRedaction {
        fn with_reason(mut self, new: &str) -> Self {
            match &mut self {
                Self::Span { reason, .. } | Self::Phrase { reason, .. } | Self::Label { reason, .. } => *reason = new.into(),
            }
            self
        }
    }

    /// Texts and finds from a small alphabet, so that finds do match:
    /// accents, a letter that folds to two, a combining mark, spaces.
    const ALPHABET: &str = "(.|[aAáÁßsñn\u{0301}.  ]){0,30}";
    const FIND: &str = "(.|[aAáÁßsñn\u{0301}.  ]){0,6}";

    fn any_request() -> impl Strategy<Value = TextRedaction> {
        prop_oneof![
            ("s[0-3]", 0usize..40, 0usize..40, ".{0,4}").prop_map(|(segment, start, end, replacement)| TextRedaction::Span {
                segment,
                start,
                end,
                replacement,
                reason: "r".into()
            }),
            (FIND, ".{0,4}").prop_map(|(find, replacement)| TextRedaction::Phrase { find, replacement, reason: "r".into() }),
            (FIND, ".{0,4}").prop_map(|(find, replacement)| TextRedaction::Label { find, replacement, reason: "r".into() }),
        ]
    }

    fn any_transcript(alphabet: &'static str) -> impl Strategy<Value = Transcript> {
        proptest::collection::vec((alphabet, proptest::option::of(alphabet)), 0..4).prop_map(|texts| Transcript {
            segments: texts
                .into_iter()
                .enumerate()
                .map(|(i, (text, label))| {
                    let mut s = Segment::new(format!("s{i}"), 0, 1, Speaker::Other, text);
                    s.label = label;
                    s
                })
                .collect(),
        })
    }

    proptest! {
        #[test]
        fn arbitrary_requests_never_panic_and_ranges_are_sound(
            t in any_transcript(ALPHABET),
            requests in proptest::collection::vec(any_request(), 0..6),
        ) {
            if let Ok(r) = redact(&t, &requests) {
                prop_assert_eq!(r.transcript.segments.len(), t.segments.len());
                let mut last: Option<(&str, RedactedField, usize)> = None;
                for a in &r.applied {
                    let original = t.segments.iter().find(|s| s.id == a.segment).unwrap();
                    let field = match a.field {
                        RedactedField::Text => original.text.as_str(),
                        RedactedField::Label => original.label.as_deref().unwrap(),
                    };
                    prop_assert!(a.start < a.end || field.is_empty());
                    prop_assert!(a.end <= field.chars().count());
                    if let Some((segment, kind, end)) = last {
                        if segment == a.segment && kind == a.field {
                            prop_assert!(end <= a.start, "ranges overlap or are out of order");
                        }
                    }
                    last = Some((&a.segment, a.field, a.end));
                    prop_assert!(!a.requests.is_empty());
                }
                for &i in &r.unmatched {
                    let is_span = matches!(requests[i], TextRedaction::Span { .. });
                    prop_assert!(!is_span, "span {} reported unmatched", i);
                }
            }
        }

        #[test]
        fn a_redacted_phrase_is_not_found_again(
            t in any_transcript("[aAáb ]{0,20}"),
            find in "[aáb]{1,3}( [ab]{1,2})?",
        ) {
            let r = redact(&t, &[phrase(&find, "#")]).unwrap();
            let again = redact(&r.transcript, &[phrase(&find, "#")]).unwrap();
            prop_assert!(again.applied.is_empty(), "{:?} still in {:?}", find, texts(&r));
            // Removing instead of replacing removes exactly the applied chars.
            let removed = redact(&t, &[phrase(&find, "")]).unwrap();
            for (before, after) in t.segments.iter().zip(&removed.transcript.segments) {
                let cut: usize = removed.applied.iter().filter(|a| a.segment == before.id).map(|a| a.end - a.start).sum();
                prop_assert_eq!(after.text.chars().count(), before.text.chars().count() - cut);
            }
        }
    }
}

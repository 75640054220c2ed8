//! Search in a session's transcript and annotation notes, ignoring case,
//! accents and the amount of white space ("num" finds "Núm", "en la"
//! finds "en  la") — the same folding as the window's case search.
//!
//! A match is reported as a range of the **original** text, in bytes (to
//! slice the Rust string) and in UTF-16 code units (for the window's
//! JavaScript strings). Ranges always fall on character boundaries and
//! take a letter's combining accents with it; when a letter folds to two
//! ("ß" → "ss") a match inside it covers the whole letter. Matches in one
//! text do not overlap and come in order; segments come before notes.
//!
//! Each text is folded once (linear in its length) and searched with the
//! standard library's substring search.

use serde::{Deserialize, Serialize};

use crate::annotation::Annotation;
use crate::fold::{fold, fold_mapped};
use crate::transcript::Segment;

/// Where a match was found.
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum MatchTarget {
    /// A segment's text.
    Segment { segment_id: String },
    /// An annotation's note (with the segment it is tied to, if any).
    AnnotationNote { annotation_id: String, segment_id: Option<String> },
}

/// One occurrence of the query.
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Match {
    pub target: MatchTarget,
    /// Byte range in the original text.
    pub start: usize,
    pub end: usize,
    /// The same range in UTF-16 code units.
    pub start_utf16: usize,
    pub end_utf16: usize,
}

/// Finds `query` in the segments' text and the annotations' notes. An
/// empty (or all-space) query finds nothing.
pub fn search(query: &str, segments: &[Segment], annotations: &[Annotation]) -> Vec<Match> {
    let needle = fold(query);
    let mut found = Vec::new();
    if needle.is_empty() {
        return found;
    }
    for s in segments {
        for_each_range(&needle, &s.text, |start, end, start_utf16, end_utf16| {
            found.push(Match {
                target: MatchTarget::Segment { segment_id: s.id.clone() },
                start,
                end,
                start_utf16,
                end_utf16,
            });
        });
    }
    for a in annotations {
        let Some(note) = a.note.as_deref() else { continue };
        for_each_range(&needle, note, |start, end, start_utf16, end_utf16| {
            found.push(Match {
                target: MatchTarget::AnnotationNote { annotation_id: a.id.clone(), segment_id: a.segment_id.clone() },
                start,
                end,
                start_utf16,
                end_utf16,
            });
        });
    }
    found
}

/// Calls `emit(start, end, start_utf16, end_utf16)` for each match of the
/// folded `needle` in `text`.
fn for_each_range(needle: &str, text: &str, mut emit: impl FnMut(usize, usize, usize, usize)) {
    // Cheap rejection before building the map: most texts do not match.
    let folded_plain = fold(text);
    if !folded_plain.contains(needle) {
        return;
    }
    let folded = fold_mapped(text);
    let mut previous_end = 0;
    // UTF-16 position, advanced through the text as matches go forward.
    let (mut byte_at, mut utf16_at) = (0, 0);
    let mut utf16_of = |byte: usize| {
        utf16_at += text[byte_at..byte].encode_utf16().count();
        byte_at = byte;
        utf16_at
    };
    for (at, _) in folded.text.match_indices(needle) {
        let start = folded.origin[at].0;
        let end = folded.origin[at + needle.len() - 1].1;
        if start < previous_end {
            // Inside a letter that folds to two ("ß"): already reported.
            continue;
        }
        previous_end = end;
        let start_utf16 = utf16_of(start);
        let end_utf16 = utf16_of(end);
        emit(start, end, start_utf16, end_utf16);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::annotation::Tier;
    use crate::transcript::Speaker;

    fn seg(id: &str, text: &str) -> Segment {
        Segment::new(id, 0, 1, Speaker::Child, text)
    }

    fn slices<'a>(text: &'a str, found: &[Match]) -> Vec<&'a str> {
        found.iter().map(|m| &text[m.start..m.end]).collect()
    }

    #[test]
    fn accents_and_case_are_ignored_and_ranges_slice_the_original() {
        let text = "El Número era NUM y núm.";
        let found = search("num", &[seg("s1", text)], &[]);
        assert_eq!(slices(text, &found), ["Núm", "NUM", "núm"]);
        assert_eq!(found[0].target, MatchTarget::Segment { segment_id: "s1".into() });
        let found = search("NÚM", &[seg("s1", text)], &[]);
        assert_eq!(found.len(), 3);
    }

    #[test]
    fn decomposed_accents_stay_with_their_letter() {
        // "niño" and "cámara" written with combining marks.
        let text = "el nin\u{0303}o y la ca\u{0301}mara";
        let found = search("nin", &[seg("s", text)], &[]);
        assert_eq!(slices(text, &found), ["nin\u{0303}"]);
        let found = search("niño", &[seg("s", text)], &[]);
        assert_eq!(slices(text, &found), ["nin\u{0303}o"]);
        let found = search("CAMARA", &[seg("s", text)], &[]);
        assert_eq!(slices(text, &found), ["ca\u{0301}mara"]);
    }

    #[test]
    fn utf16_offsets_count_surrogate_pairs() {
        let text = "😀 ¿Dónde? 😀 dónde";
        let found = search("donde", &[seg("s", text)], &[]);
        assert_eq!(found.len(), 2);
        let utf16: Vec<u16> = text.encode_utf16().collect();
        for m in &found {
            let js = String::from_utf16(&utf16[m.start_utf16..m.end_utf16]).unwrap();
            assert_eq!(js, &text[m.start..m.end]);
        }
        // 😀 is two UTF-16 units, a space, "¿": "D" is at unit 4.
        assert_eq!((found[0].start_utf16, found[0].end_utf16), (4, 9));
    }

    #[test]
    fn white_space_runs_and_expanding_letters() {
        let text = "en  la\tcasa, Straße";
        let found = search(" en la ", &[seg("s", text)], &[]);
        assert_eq!(slices(text, &found), ["en  la"]);
        let found = search("s", &[seg("s", "ßs")], &[]);
        assert_eq!(slices("ßs", &found), ["ß", "s"]);
        let found = search("strasse", &[seg("s", text)], &[]);
        assert_eq!(slices(text, &found), ["Straße"]);
    }

    #[test]
    fn notes_are_searched_after_segments() {
        let a = Annotation {
            id: "a1".into(),
            tier: Tier::Notes,
            start_ms: 0,
            end_ms: 10,
            code: "note".into(),
            segment_id: Some("s2".into()),
            note: Some("Menciona una CÁMARA roja".into()),
            target_id: None,
        };
        let no_note = Annotation { id: "a2".into(), note: None, ..a.clone() };
        let found = search("camara", &[seg("s1", "había una cámara"), seg("s2", "nada")], &[a, no_note]);
        assert_eq!(found.len(), 2);
        assert_eq!(found[0].target, MatchTarget::Segment { segment_id: "s1".into() });
        assert_eq!(
            found[1].target,
            MatchTarget::AnnotationNote { annotation_id: "a1".into(), segment_id: Some("s2".into()) }
        );
        assert_eq!((found[1].start, found[1].end), (13, 20));
    }

    #[test]
    fn empty_or_absent_queries_find_nothing() {
        let segments = [seg("s", "algo")];
        assert!(search("", &segments, &[]).is_empty());
        assert!(search("   ", &segments, &[]).is_empty());
        assert!(search("nada", &segments, &[]).is_empty());
        assert!(search("algo más", &segments, &[]).is_empty());
    }

    #[test]
    fn matches_do_not_overlap() {
        let text = "aaaa";
        let found = search("aa", &[seg("s", text)], &[]);
        assert_eq!(found.iter().map(|m| (m.start, m.end)).collect::<Vec<_>>(), [(0, 2), (2, 4)]);
    }
}

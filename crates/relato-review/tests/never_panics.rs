//! Property tests: the parsers and the suggester take any text without
//! panicking, and search ranges always slice the original text.

use proptest::prelude::*;
use relato_review::{parse_vtt, search, suggest, Lang, Segment, Speaker};

/// Text made of WebVTT-ish pieces, to get past the header more often than
/// random strings do.
fn vtt_like() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        Just("WEBVTT".to_owned()),
        Just("\n".to_owned()),
        Just("\r\n".to_owned()),
        Just("\r".to_owned()),
        Just(" --> ".to_owned()),
        Just("00:01.000".to_owned()),
        Just("01:02:03.004".to_owned()),
        Just("99999999999999999999:00:00.000".to_owned()),
        Just("<v Niña>".to_owned()),
        Just("<v Entrevistadora>".to_owned()),
        Just("<v".to_owned()),
        Just("</v>".to_owned()),
        Just("NOTE".to_owned()),
        Just("&amp;".to_owned()),
        Just("&#x1F600;".to_owned()),
        Just("&#xD800;".to_owned()),
        Just("&".to_owned()),
        "\\PC{0,8}",
    ];
    prop::collection::vec(piece, 0..40).prop_map(|pieces| pieces.concat())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn vtt_parser_never_panics_on_any_text(input in "\\PC*|.*") {
        let _ = parse_vtt(&input);
    }

    #[test]
    fn vtt_parser_never_panics_on_vtt_like_text(input in vtt_like()) {
        if let Ok(t) = parse_vtt(&input) {
            // Whatever it accepts is a valid transcript.
            prop_assert_eq!(t.validate(), Ok(()));
        }
    }

    #[test]
    fn suggester_never_panics(text in "\\PC{0,120}") {
        let _ = suggest(&text, Lang::Es);
        let _ = suggest(&text, Lang::En);
    }

    #[test]
    fn search_ranges_slice_the_original(text in "[aáÁnñÑ\u{0303}\u{0301}ß 😀\t]{0,30}", query in "[aánñ ]{1,4}") {
        let segments = [Segment::new("s", 0, 1, Speaker::Child, text.clone())];
        for m in search(&query, &segments, &[]) {
            prop_assert!(text.is_char_boundary(m.start) && text.is_char_boundary(m.end));
            prop_assert!(m.start < m.end);
            let utf16: Vec<u16> = text.encode_utf16().collect();
            prop_assert_eq!(String::from_utf16(&utf16[m.start_utf16..m.end_utf16]).unwrap(), &text[m.start..m.end]);
        }
    }
}

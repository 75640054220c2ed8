//! Reading a WebVTT file into a [`Transcript`] (`relato transcript import`).
//!
//! What is read:
//!
//! * the `WEBVTT` signature (a byte-order mark before it is allowed) and
//!   header lines up to the first blank line;
//! * blocks separated by blank lines. `NOTE`, `STYLE` and `REGION` blocks are
//!   skipped. A cue is an optional identifier line, a timing line
//!   `start --> end [settings]` (settings are ignored) and payload lines;
//! * times as `hh:mm:ss.mmm` (one or more hour digits) or `mm:ss.mmm`, with
//!   minutes and seconds below 60 and exactly three millisecond digits;
//! * `<v Name>` voice spans give the speaker; a name that folds (case and
//!   accents ignored) to `child`, `nina`, `nino` or `nna` is the child, to
//!   `interviewer`, `entrevistador` or `entrevistadora` the interviewer, and
//!   anything else is [`Speaker::Other`] with the name kept as its label. A
//!   cue without a voice is "other" without a label; a cue with two
//!   different voices is refused (one segment has one speaker);
//! * other tags (`<i>`, `<c.x>`, `<00:01.000>`, `</v>`) are dropped, the
//!   character references `&amp; &lt; &gt; &quot; &apos; &nbsp; &lrm; &rlm;`
//!   and numeric ones are decoded, payload lines are trimmed and joined
//!   with `\n`.
//!
//! Segment ids are the cue identifiers; a cue without one gets `cue-N` (its
//! 1-based position, with a suffix if a file already uses that name).
//! Overlapping cues are marked as overlapping speech (the file states the
//! times explicitly) and the result is validated; a rule broken by a cue is
//! reported at the line of its timing.
//!
//! Parsing never panics and is linear in the input's length.

use std::collections::HashSet;

use crate::error::ReviewError;
use crate::fold::fold;
use crate::transcript::{Segment, Speaker, Transcript};

/// Parses a WebVTT document (see the module docs).
pub fn parse_vtt(input: &str) -> Result<Transcript, ReviewError> {
    let input = input.strip_prefix('\u{FEFF}').unwrap_or(input);
    let lines = split_lines(input);
    let first = lines.first().copied().unwrap_or("");
    let signature_ok = first
        .strip_prefix("WEBVTT")
        .is_some_and(|rest| rest.is_empty() || rest.starts_with([' ', '\t']));
    if !signature_ok {
        return Err(ReviewError::VttMissingHeader { line: 1 });
    }

    // Skip the header block; a file that puts its first cue right under
    // the signature is read anyway.
    let mut i = 1;
    while i < lines.len() && !lines[i].trim().is_empty() && !lines[i].contains("-->") {
        i += 1;
    }

    let mut cues: Vec<Cue> = Vec::new();
    while i < lines.len() {
        if lines[i].trim().is_empty() {
            i += 1;
            continue;
        }
        let block_start = i;
        while i < lines.len() && !lines[i].trim().is_empty() {
            i += 1;
        }
        let block = &lines[block_start..i];
        if is_skipped_block(block[0]) {
            continue;
        }
        let (identifier, timing_at) = if block[0].contains("-->") {
            (None, 0)
        } else if block.len() > 1 && block[1].contains("-->") {
            (Some(block[0].trim().to_owned()), 1)
        } else {
            return Err(ReviewError::VttMissingTiming { line: block_start + 1 });
        };
        let timing_line = block_start + timing_at + 1;
        let (start_ms, end_ms) = parse_timing(block[timing_at], timing_line)?;
        let payload = parse_payload(&block[timing_at + 1..], timing_line + 1)?;
        cues.push(Cue { identifier, timing_line, start_ms, end_ms, payload });
    }

    let explicit: HashSet<&str> = cues.iter().filter_map(|c| c.identifier.as_deref()).collect();
    let mut taken: HashSet<String> = HashSet::new();
    let mut segments = Vec::with_capacity(cues.len());
    for (n, cue) in cues.iter().enumerate() {
        let id = match &cue.identifier {
            Some(id) => id.clone(),
            None => {
                let base = format!("cue-{}", n + 1);
                let mut id = base.clone();
                let mut k = 2;
                while explicit.contains(id.as_str()) || taken.contains(&id) {
                    id = format!("{base}-{k}");
                    k += 1;
                }
                id
            }
        };
        taken.insert(id.clone());
        let (speaker, label) = match &cue.payload.voice {
            Some(name) => speaker_for_voice(name),
            None => (Speaker::Other, None),
        };
        segments.push(Segment {
            id,
            start_ms: cue.start_ms,
            end_ms: cue.end_ms,
            speaker,
            label,
            overlaps: false,
            text: cue.payload.text.clone(),
        });
    }

    let mut transcript = Transcript { segments };
    transcript.mark_overlaps();
    transcript.validate().map_err(|e| {
        // Locate the error at the cue it names (ids may repeat: the last
        // cue with that id is the one that broke the rule).
        let at = e
            .segment_id()
            .and_then(|id| transcript.segments.iter().rposition(|s| s.id == id))
            .map(|k| cues[k].timing_line);
        match at {
            Some(line) => e.at_line(line),
            None => e,
        }
    })?;
    Ok(transcript)
}

/// Maps a voice name to a role (see the module docs).
pub fn speaker_for_voice(name: &str) -> (Speaker, Option<String>) {
    let name = name.trim();
    match fold(name).as_str() {
        "child" | "nina" | "nino" | "nna" => (Speaker::Child, None),
        "interviewer" | "entrevistador" | "entrevistadora" => (Speaker::Interviewer, None),
        _ if name.is_empty() => (Speaker::Other, None),
        _ => (Speaker::Other, Some(name.to_owned())),
    }
}

struct Cue {
    identifier: Option<String>,
    timing_line: usize,
    start_ms: u64,
    end_ms: u64,
    payload: Payload,
}

struct Payload {
    voice: Option<String>,
    text: String,
}

/// Lines split at `\r\n`, `\n` or `\r`, as WebVTT does.
fn split_lines(input: &str) -> Vec<&str> {
    let mut lines = Vec::new();
    let bytes = input.as_bytes();
    let mut start = 0;
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'\n' => {
                lines.push(&input[start..i]);
                start = i + 1;
            }
            b'\r' => {
                lines.push(&input[start..i]);
                if bytes.get(i + 1) == Some(&b'\n') {
                    i += 1;
                }
                start = i + 1;
            }
            _ => {}
        }
        i += 1;
    }
    if start < input.len() {
        lines.push(&input[start..]);
    }
    lines
}

fn is_skipped_block(first: &str) -> bool {
    ["NOTE", "STYLE", "REGION"].iter().any(|kw| {
        first
            .strip_prefix(kw)
            .is_some_and(|rest| rest.is_empty() || rest.starts_with([' ', '\t']))
    })
}

fn parse_timing(line: &str, line_no: usize) -> Result<(u64, u64), ReviewError> {
    let (left, right) = line.split_once("-->").unwrap_or((line, ""));
    let start_text = left.trim();
    let end_text = right.split_whitespace().next().unwrap_or("");
    let bad = |found: &str| ReviewError::VttBadTimestamp { line: line_no, found: found.to_owned() };
    let start = parse_timestamp(start_text).ok_or_else(|| bad(start_text))?;
    let end = parse_timestamp(end_text).ok_or_else(|| bad(end_text))?;
    Ok((start, end))
}

/// `hh:mm:ss.mmm` or `mm:ss.mmm` in milliseconds; `None` if malformed or
/// too large for a `u64`.
fn parse_timestamp(text: &str) -> Option<u64> {
    let (clock, millis) = text.split_once('.')?;
    if millis.len() != 3 || !millis.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let parts: Vec<&str> = clock.split(':').collect();
    let (hours, minutes, seconds) = match parts.as_slice() {
        [m, s] => ("0", *m, *s),
        [h, m, s] if !h.is_empty() => (*h, *m, *s),
        _ => return None,
    };
    let two_digits = |t: &str| (t.len() == 2 && t.bytes().all(|b| b.is_ascii_digit())).then(|| t.parse::<u64>().ok()).flatten();
    let minutes = two_digits(minutes).filter(|m| *m < 60)?;
    let seconds = two_digits(seconds).filter(|s| *s < 60)?;
    if !hours.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let hours: u64 = hours.parse().ok()?;
    let millis: u64 = millis.parse().ok()?;
    hours
        .checked_mul(3_600_000)?
        .checked_add(minutes * 60_000 + seconds * 1000 + millis)
}

fn parse_payload(lines: &[&str], first_line_no: usize) -> Result<Payload, ReviewError> {
    let mut voice: Option<String> = None;
    let mut text_lines = Vec::with_capacity(lines.len());
    for (k, line) in lines.iter().enumerate() {
        let mut text = String::with_capacity(line.len());
        let mut rest = *line;
        while let Some(open) = rest.find('<') {
            text.push_str(&rest[..open]);
            let after = &rest[open + 1..];
            let Some(close) = after.find('>') else {
                // An unclosed tag runs to the end of the line.
                rest = "";
                break;
            };
            let tag = &after[..close];
            if let Some(name) = voice_name(tag) {
                match &voice {
                    Some(v) if fold(v) != fold(name) => {
                        return Err(ReviewError::VttSeveralVoices { line: first_line_no + k });
                    }
                    Some(_) => {}
                    None => voice = Some(name.to_owned()),
                }
            }
            rest = &after[close + 1..];
        }
        text.push_str(rest);
        text_lines.push(decode_references(text.trim()));
    }
    Ok(Payload { voice, text: text_lines.join("\n") })
}

/// The annotation of a `<v Name>` or `<v.class Name>` start tag.
fn voice_name(tag: &str) -> Option<&str> {
    let rest = tag.strip_prefix('v')?;
    let (classes_end, _) = rest
        .char_indices()
        .find(|(_, c)| c.is_whitespace())
        .unwrap_or((rest.len(), ' '));
    let classes = &rest[..classes_end];
    if !(classes.is_empty() || classes.starts_with('.')) {
        return None;
    }
    Some(rest[classes_end..].trim())
}

fn decode_references(text: &str) -> String {
    if !text.contains('&') {
        return text.to_owned();
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        let after = &rest[amp + 1..];
        let decoded = after.find(';').filter(|&semi| semi <= 10).and_then(|semi| {
            let name = &after[..semi];
            let c = match name {
                "amp" => Some('&'),
                "lt" => Some('<'),
                "gt" => Some('>'),
                "quot" => Some('"'),
                "apos" => Some('\''),
                "nbsp" => Some('\u{A0}'),
                "lrm" | "rlm" => None,
                _ => {
                    let code = if let Some(hex) = name.strip_prefix("#x").or_else(|| name.strip_prefix("#X")) {
                        u32::from_str_radix(hex, 16).ok()
                    } else {
                        name.strip_prefix('#').and_then(|d| d.parse::<u32>().ok())
                    };
                    match code.and_then(char::from_u32) {
                        Some(c) => Some(c),
                        None => return None,
                    }
                }
            };
            Some((c, semi))
        });
        match decoded {
            Some((c, semi)) => {
                if let Some(c) = c {
                    out.push(c);
                }
                rest = &after[semi + 1..];
            }
            None => {
                out.push('&');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLE: &str = "\u{FEFF}WEBVTT - entrevista caso 12\r\n\
Kind: captions\r\n\
\r\n\
NOTE transcrito por A. R.\r\n\
revisado dos veces\r\n\
\r\n\
1\r\n\
00:00:01.000 --> 00:00:04.500 align:start\r\n\
<v Entrevistadora>Cuéntame todo lo que pasó.</v>\r\n\
\r\n\
00:04.600 --> 00:12.250\r\n\
<v Niña>Fuimos a la casa de mi tío\r\n\
y había una cámara &amp; luces\r\n\
\r\n\
00:00:11.000 --> 00:00:13.000\r\n\
<v.quiet Mamá>[tose]\r\n\
\r\n\
99:00:00.000 --> 99:00:01.000\r\n\
<v NNA><i>Ya</i> no me acuerdo&#x21;\r\n";

    #[test]
    fn reads_a_typical_file() {
        let t = parse_vtt(SAMPLE).unwrap();
        let s = &t.segments;
        assert_eq!(s.len(), 4);
        assert_eq!((s[0].id.as_str(), s[0].start_ms, s[0].end_ms), ("1", 1000, 4500));
        assert_eq!(s[0].speaker, Speaker::Interviewer);
        assert_eq!(s[0].text, "Cuéntame todo lo que pasó.");
        assert_eq!((s[1].id.as_str(), s[1].start_ms, s[1].end_ms), ("cue-2", 4600, 12_250));
        assert_eq!(s[1].speaker, Speaker::Child);
        assert_eq!(s[1].text, "Fuimos a la casa de mi tío\ny había una cámara & luces");
        assert_eq!(s[2].speaker, Speaker::Other);
        assert_eq!(s[2].label.as_deref(), Some("Mamá"));
        assert!(s[2].overlaps, "11.000 starts before 12.250");
        assert!(!s[1].overlaps);
        assert_eq!(s[3].start_ms, 99 * 3_600_000);
        assert_eq!(s[3].speaker, Speaker::Child);
        assert_eq!(s[3].text, "Ya no me acuerdo!");
    }

    #[test]
    fn voices_map_case_and_accent_insensitively() {
        for name in ["Niño", "NIÑA", "nina", "Child", " nna "] {
            assert_eq!(speaker_for_voice(name), (Speaker::Child, None), "{name}");
        }
        for name in ["Entrevistadora", "entrevistador", "INTERVIEWER"] {
            assert_eq!(speaker_for_voice(name), (Speaker::Interviewer, None), "{name}");
        }
        assert_eq!(speaker_for_voice("Abuela Rosa"), (Speaker::Other, Some("Abuela Rosa".into())));
    }

    #[test]
    fn bad_files_report_code_and_line() {
        let cases: &[(&str, &str, usize)] = &[
            ("", "review.vtt_missing_header", 1),
            ("WEBVTTX\n", "review.vtt_missing_header", 1),
            ("webvtt\n", "review.vtt_missing_header", 1),
            ("WEBVTT\n\n00:01.000 --> 00:02.00\nhola\n", "review.vtt_bad_timestamp", 3),
            ("WEBVTT\n\n0:01.000 --> 00:02.000\nhola\n", "review.vtt_bad_timestamp", 3),
            ("WEBVTT\n\n00:61.000 --> 00:62.000\nhola\n", "review.vtt_bad_timestamp", 3),
            ("WEBVTT\n\n00:01,000 --> 00:02,000\nhola\n", "review.vtt_bad_timestamp", 3),
            ("WEBVTT\n\n00:01.000 -->\nhola\n", "review.vtt_bad_timestamp", 3),
            ("WEBVTT\n\n99999999999999999:00:00.000 --> 00:01.000\n", "review.vtt_bad_timestamp", 3),
            ("WEBVTT\n\nuno\nhola\n", "review.vtt_missing_timing", 3),
            ("WEBVTT\n\n\n\nuno\n", "review.vtt_missing_timing", 5),
            (
                "WEBVTT\n\n00:01.000 --> 00:05.000\n<v Niña>sí\n<v Entrevistadora>ajá\n",
                "review.vtt_several_voices",
                5,
            ),
            ("WEBVTT\n\n00:05.000 --> 00:04.000\nhola\n", "review.segment_end_before_start", 3),
            (
                "WEBVTT\n\n00:05.000 --> 00:06.000\na\n\n00:01.000 --> 00:02.000\nb\n",
                "review.segment_out_of_order",
                6,
            ),
            (
                "WEBVTT\n\nx\n00:01.000 --> 00:02.000\na\n\nx\n00:03.000 --> 00:04.000\nb\n",
                "review.segment_duplicate_id",
                8,
            ),
            (
                "WEBVTT\n\n00:01.000 --> 00:05.000\n<v niño>a\n\n00:03.000 --> 00:06.000\n<v Niño>b\n",
                "review.segment_overlap_same_speaker",
                6,
            ),
        ];
        for (input, code, line) in cases {
            let err = parse_vtt(input).expect_err(input);
            assert_eq!((err.code(), err.line()), (*code, Some(*line)), "{input:?}: {err}");
        }
    }

    #[test]
    fn lenient_where_harmless() {
        // A cue right under the signature, no trailing newline, empty payload,
        // the same voice twice, and generated ids that avoid explicit ones.
        let t = parse_vtt("WEBVTT\n00:01.000 --> 00:02.000\n\ncue-2\n00:03.000 --> 00:04.000\n<v Niño>uno\n<v niño>dos\n\n00:05.000 --> 00:06.000").unwrap();
        let ids: Vec<_> = t.segments.iter().map(|s| s.id.as_str()).collect();
        assert_eq!(ids, ["cue-1", "cue-2", "cue-3"]);
        assert_eq!(t.segments[0].text, "");
        assert_eq!(t.segments[1].text, "uno\ndos");
        assert_eq!(t.segments[2].speaker, Speaker::Other);
        assert_eq!(t.segments[2].label, None);
        let t = parse_vtt("WEBVTT\n\ncue-2\n00:01.000 --> 00:02.000\na\n\n00:03.000 --> 00:04.000\nb\n").unwrap();
        assert_eq!(t.segments[1].id, "cue-2-2");
    }

    #[test]
    fn references_and_tags() {
        assert_eq!(decode_references("a &lt;b&gt; &unknown; &#241; &#xF1; &#xZZ; &lrm;c &"), "a <b> &unknown; ñ ñ &#xZZ; c &");
        assert_eq!(voice_name("v.loud.fast Ana María"), Some("Ana María"));
        assert_eq!(voice_name("vx Ana"), None);
        assert_eq!(voice_name("i"), None);
        assert_eq!(parse_timestamp("01:02:03.004"), Some(3_723_004));
        assert_eq!(parse_timestamp("02:03.004"), Some(123_004));
        assert_eq!(parse_timestamp(":02:03.004"), None);
        assert_eq!(parse_timestamp("+1:02:03.004"), None);
    }
}

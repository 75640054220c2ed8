//! The derivative file formats of a session's transcript and annotations,
//! written into an evidence bundle (design brief §8: `derivatives/` and
//! `annotations/`) so that people without Relato can read and reuse them:
//!
//! * [`transcript_txt`] — plain text to read or print;
//! * [`transcript_vtt`] — WebVTT with `<v Speaker>` voices, which players
//!   show as captions and which `relato transcript import` reads back to
//!   the same segments;
//! * [`annotations_eaf`] — an ELAN (EAF 3.0) document: the transcript and
//!   the annotation tiers, with the controlled vocabularies;
//! * [`annotations_labels`] — an Audacity label track;
//! * [`annotations_vtt`] — the annotations as WebVTT cues.
//!
//! Every function is pure: no clock, no I/O, no hash map order. The same
//! input always gives the same bytes, so a bundle's hashes are reproducible
//! and anyone can regenerate a derivative from the JSON in the bundle and
//! compare. Times are never altered, with one documented exception: ELAN
//! cannot hold a zero-length annotation (see [`annotations_eaf`]).
//!
//! Codes, not labels, are the stable identifiers (see
//! `relato_review::vocabulary`): every format that shows a label also shows
//! its code.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

use relato_review::vocabulary::{Entry, Vocabulary};
use relato_review::vtt::speaker_for_voice;
use relato_review::{Annotation, Lang, Segment, Speaker, Tier, Transcript};

/// The indent of a segment's second and later lines in [`transcript_txt`].
pub const TXT_INDENT: &str = "    ";

/// Where an EAF finds the recording, relative to itself: the export writes
/// it at `annotations/<session>/annotations.eaf` and the audio at
/// `evidence/<file>`. ELAN resolves `RELATIVE_MEDIA_URL` against the EAF's
/// own folder, so the path climbs two levels.
pub const EAF_MEDIA_DIR: &str = "../../evidence/";

// ---------------------------------------------------------------------------
// Plain text
// ---------------------------------------------------------------------------

/// The transcript as plain text, for reading and printing (an annex, a
/// court file): one entry per segment,
///
/// ```text
/// [00:00:01.000 – 00:00:04.500] Persona entrevistadora: Cuéntame todo lo que pasó.
/// [00:00:04.600 – 00:00:12.250] Niña o niño: Fuimos a la casa de mi tío
///     y había una cámara
/// [00:00:11.000 – 00:00:13.000] Otra persona (Mamá): [tose]
/// ```
///
/// * Times are `hh:mm:ss.mmm` (hours grow past two digits if needed), an en
///   dash between start and end, both always shown so that overlapping
///   speech can be seen from the times.
/// * Speakers are named by role in `lang` — es: "Niña o niño", "Persona
///   entrevistadora", "Otra persona"; en: "Child", "Interviewer", "Other" —
///   with the segment's label, if it has one that is not blank, in
///   parentheses ("Otra persona (Mamá)"): the role is what the transcript
///   asserts, the label only says who.
/// * A text's line breaks (`\n`, `\r\n` or `\r`) start new lines indented
///   by [`TXT_INDENT`], so every segment still starts with its time; an
///   empty line stays empty (no trailing spaces). The text is otherwise as
///   stored: nothing is escaped, since nothing parses this file.
/// * Every line ends with `\n`; an empty transcript gives an empty file.
pub fn transcript_txt(t: &Transcript, lang: Lang) -> String {
    let mut out = String::with_capacity(t.segments.iter().map(|s| s.text.len() + 64).sum());
    for s in &t.segments {
        let _ = write!(out, "[{} – {}] {}:", clock(s.start_ms), clock(s.end_ms), speaker_display(s, lang));
        for (k, line) in text_lines(&s.text).iter().enumerate() {
            if k == 0 {
                if !line.is_empty() {
                    out.push(' ');
                    out.push_str(line);
                }
            } else {
                out.push('\n');
                if !line.is_empty() {
                    out.push_str(TXT_INDENT);
                    out.push_str(line);
                }
            }
        }
        out.push('\n');
    }
    out
}

/// The role's name in `lang`, with a non-blank label in parentheses.
fn speaker_display(s: &Segment, lang: Lang) -> String {
    let role = match (s.speaker, lang) {
        (Speaker::Child, Lang::Es) => "Niña o niño",
        (Speaker::Interviewer, Lang::Es) => "Persona entrevistadora",
        (Speaker::Other, Lang::Es) => "Otra persona",
        (Speaker::Child, Lang::En) => "Child",
        (Speaker::Interviewer, Lang::En) => "Interviewer",
        (Speaker::Other, Lang::En) => "Other",
    };
    match clean_label(s.label.as_deref()) {
        Some(label) => format!("{role} ({label})"),
        None => role.to_owned(),
    }
}

/// A label on one line, trimmed; `None` if absent or blank (as the review
/// screen treats a blank label).
fn clean_label(label: Option<&str>) -> Option<String> {
    let label = label?.replace(['\r', '\n', '\t'], " ");
    let label = label.trim();
    (!label.is_empty()).then(|| label.to_owned())
}

/// `text` split at `\r\n`, `\n` or `\r`; `""` gives one empty line.
fn text_lines(text: &str) -> Vec<&str> {
    let mut lines = Vec::new();
    let mut rest = text;
    while let Some(at) = rest.find(['\r', '\n']) {
        lines.push(&rest[..at]);
        let skip = if rest[at..].starts_with("\r\n") { 2 } else { 1 };
        rest = &rest[at + skip..];
    }
    lines.push(rest);
    lines
}

/// `hh:mm:ss.mmm`, the form WebVTT requires and the one used everywhere here.
fn clock(ms: u64) -> String {
    format!("{:02}:{:02}:{:02}.{:03}", ms / 3_600_000, ms / 60_000 % 60, ms / 1000 % 60, ms % 1000)
}

// ---------------------------------------------------------------------------
// WebVTT
// ---------------------------------------------------------------------------

/// The voice name of the child in [`transcript_vtt`].
pub const VTT_CHILD: &str = "Child";
/// The voice name of the interviewer in [`transcript_vtt`].
pub const VTT_INTERVIEWER: &str = "Interviewer";

/// The transcript as WebVTT, to play as captions with the recording and to
/// read back with `relato_review::parse_vtt` (`relato transcript import`):
///
/// ```text
/// WEBVTT
///
/// s1
/// 00:00:01.000 --> 00:00:04.500
/// <v Interviewer>Cuéntame todo lo que pasó.
///
/// s2
/// 00:00:04.600 --> 00:00:12.250
/// <v Child>Fuimos a la casa de mi tío
/// y había una cámara &amp; luces
/// ```
///
/// **Round trip.** For a valid transcript whose labels are on "other"
/// speakers only, `parse_vtt(&transcript_vtt(t)) == Ok(t.clone())`: same
/// ids, times, speakers, labels, overlap flags and text, byte for byte.
/// That is why:
///
/// * cue ids are the segment ids (line breaks become spaces and `-->`
///   becomes `->`, which no id the app or the importer makes contains; an
///   id spelled like a `NOTE`, `STYLE` or `REGION` block would be skipped
///   by readers, and none is made either);
/// * times are exact, even for a zero-length segment (a point such as a
///   non-verbal event), which players simply do not display;
/// * voices are [`VTT_CHILD`] and [`VTT_INTERVIEWER`] — the only names the
///   importer maps back to those roles without a gendered Spanish form —
///   and, for another person, the label itself (`<v Mamá>`). A label the
///   importer would read as another role ("Niña") is written
///   `Other (Niña)`, keeping the role right; an "other" segment without a
///   label has no voice tag, which the importer reads as "other" without a
///   label. A label on a child's or interviewer's segment is not written
///   (the importer could only read it back as a different role): the text
///   transcript and the EAF keep it;
/// * text is escaped: `&`, `<`, `>` as `&amp;`, `&lt;`, `&gt;` (so no
///   `-->` and no tag can appear), a carriage return as `&#13;` (it would
///   end the line), whitespace at either end of a line as a numeric
///   reference (readers trim lines), and an empty line inside the text as
///   the empty span `<c></c>` (a blank line would end the cue).
pub fn transcript_vtt(t: &Transcript) -> String {
    let mut out = String::with_capacity(16 + t.segments.iter().map(|s| s.text.len() + s.id.len() + 48).sum::<usize>());
    out.push_str("WEBVTT\n");
    for s in &t.segments {
        out.push('\n');
        push_cue_timing(&mut out, &s.id, s.start_ms, s.end_ms);
        let voice = vtt_voice(s).map(|v| format!("<v {v}>")).unwrap_or_default();
        push_cue_text(&mut out, &voice, &s.text);
    }
    out
}

/// The voice a segment is written with (see [`transcript_vtt`]).
fn vtt_voice(s: &Segment) -> Option<String> {
    match s.speaker {
        Speaker::Child => Some(VTT_CHILD.to_owned()),
        Speaker::Interviewer => Some(VTT_INTERVIEWER.to_owned()),
        Speaker::Other => {
            // `>` would end the tag; as a reference it is read right by
            // standard readers (the importer keeps it literally).
            let name = clean_label(s.label.as_deref())?.replace('>', "&gt;");
            if speaker_for_voice(&name) == (Speaker::Other, Some(name.clone())) {
                Some(name)
            } else {
                Some(format!("Other ({name})"))
            }
        }
    }
}

/// The optional identifier line and the timing line of a cue.
fn push_cue_timing(out: &mut String, id: &str, start_ms: u64, end_ms: u64) {
    let mut id = id.replace(['\r', '\n'], " ");
    while id.contains("-->") {
        id = id.replace("-->", "->");
    }
    let id = id.trim();
    if !id.is_empty() {
        out.push_str(id);
        out.push('\n');
    }
    let _ = writeln!(out, "{} --> {}", clock(start_ms), clock(end_ms));
}

/// A cue's text lines, the first one after `prefix` (a voice tag or
/// nothing), escaped as described in [`transcript_vtt`]. Empty text
/// without a prefix writes no line at all, which reads back as empty text.
fn push_cue_text(out: &mut String, prefix: &str, text: &str) {
    if text.is_empty() {
        if !prefix.is_empty() {
            out.push_str(prefix);
            out.push('\n');
        }
        return;
    }
    for (k, line) in text.split('\n').enumerate() {
        let escaped = vtt_escape_line(line);
        if k == 0 && !prefix.is_empty() {
            out.push_str(prefix);
            out.push_str(&escaped);
        } else if escaped.is_empty() {
            out.push_str("<c></c>");
        } else {
            out.push_str(&escaped);
        }
        out.push('\n');
    }
}

/// One line of cue text (no `\n` in it), escaped.
fn vtt_escape_line(line: &str) -> String {
    let chars: Vec<char> = line.chars().collect();
    let lead = chars.iter().take_while(|c| c.is_whitespace()).count();
    let trail = if lead == chars.len() { 0 } else { chars.iter().rev().take_while(|c| c.is_whitespace()).count() };
    let mut out = String::with_capacity(line.len() + 8);
    for (i, &c) in chars.iter().enumerate() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            _ if c == '\r' || i < lead || i >= chars.len() - trail => {
                let _ = write!(out, "&#{};", u32::from(c));
            }
            _ => out.push(c),
        }
    }
    out
}

/// The annotations as WebVTT cues, to see them as captions over the
/// recording in any player:
///
/// ```text
/// WEBVTT
///
/// an1
/// 00:00:04.600 --> 00:00:12.250
/// Indicadores: Cámara o dispositivo de grabación (camera_or_recording_device)
/// en la repisa
/// ```
///
/// * cue id = annotation id; cues in start order (then end, then input
///   order), as WebVTT requires;
/// * the first line is `Tier: Label (code)` in `lang` (the code alone when
///   the vocabulary lacks it), line breaks in it made spaces; the note, if
///   any and not blank, follows on the next lines as written;
/// * times are exact: a point annotation is a zero-length cue, which
///   players do not display, rather than a span the reviewer never marked;
/// * text is escaped as in [`transcript_vtt`].
pub fn annotations_vtt(annotations: &[Annotation], vocabulary: &Vocabulary, lang: Lang) -> String {
    let entries = vocabulary.entries();
    let mut out = String::from("WEBVTT\n");
    for a in by_time(annotations) {
        out.push('\n');
        push_cue_timing(&mut out, &a.id, a.start_ms, a.end_ms);
        let mut text = heading(a, &entries, lang).replace(['\r', '\n'], " ");
        if let Some(note) = note_of(a) {
            text.push('\n');
            text.push_str(note);
        }
        push_cue_text(&mut out, "", &text);
    }
    out
}

// ---------------------------------------------------------------------------
// Audacity labels
// ---------------------------------------------------------------------------

/// The annotations as an Audacity label track (File › Import › Labels), so
/// that an expert can listen to exactly the coded spans:
///
/// ```text
/// 4.600000\t12.250000\tIndicadores: Cámara o dispositivo de grabación (camera_or_recording_device) — en la repisa
/// ```
///
/// * `start`, `end` in seconds with six decimals (Audacity's own form,
///   exact for milliseconds), a tab between fields, `\n` after each line;
/// * the label is `Tier: Label (code)` in `lang` (the code alone when the
///   vocabulary lacks it), then ` — note` when there is a note that is not
///   blank; tabs and line breaks become spaces, since a label is one field
///   of one line;
/// * lines in start order (then end, then input order); a point annotation
///   is a point label (start = end).
pub fn annotations_labels(annotations: &[Annotation], vocabulary: &Vocabulary, lang: Lang) -> String {
    let entries = vocabulary.entries();
    let mut out = String::new();
    for a in by_time(annotations) {
        let mut label = heading(a, &entries, lang);
        if let Some(note) = note_of(a) {
            label.push_str(" — ");
            label.push_str(note);
        }
        let label = label.replace(['\t', '\r', '\n'], " ");
        let _ = writeln!(out, "{}\t{}\t{}", seconds(a.start_ms), seconds(a.end_ms), label);
    }
    out
}

/// Milliseconds as seconds with six decimals, without floating point.
fn seconds(ms: u64) -> String {
    format!("{}.{:03}000", ms / 1000, ms % 1000)
}

/// Annotations sorted by start, then end; ties keep their input order.
fn by_time(annotations: &[Annotation]) -> Vec<&Annotation> {
    let mut sorted: Vec<&Annotation> = annotations.iter().collect();
    sorted.sort_by_key(|a| (a.start_ms, a.end_ms));
    sorted
}

/// `Tier: Label (code)`, or `Tier: code` for a code the vocabulary lacks.
fn heading(a: &Annotation, entries: &[Entry], lang: Lang) -> String {
    let tier = match (a.tier, lang) {
        (Tier::Indicators, Lang::Es) => "Indicadores",
        (Tier::Notes, Lang::Es) => "Notas",
        (Tier::PromptType, Lang::Es) => "Tipo de pregunta",
        (Tier::Indicators, Lang::En) => "Indicators",
        (Tier::Notes, Lang::En) => "Notes",
        (Tier::PromptType, Lang::En) => "Prompt type",
    };
    match entry(entries, a.tier, &a.code) {
        Some(e) => {
            let label = match lang {
                Lang::Es => &e.label_es,
                Lang::En => &e.label_en,
            };
            format!("{tier}: {label} ({})", a.code)
        }
        None => format!("{tier}: {}", a.code),
    }
}

fn entry<'a>(entries: &'a [Entry], tier: Tier, code: &str) -> Option<&'a Entry> {
    entries.iter().find(|e| e.tier == tier && e.code == code)
}

/// The annotation's note, unless absent or blank.
fn note_of(a: &Annotation) -> Option<&str> {
    a.note.as_deref().filter(|n| !n.trim().is_empty())
}

// ---------------------------------------------------------------------------
// ELAN
// ---------------------------------------------------------------------------

/// The transcript and annotations as an ELAN Annotation Format 3.0
/// document, the format of the tool linguists and forensic interview
/// researchers use to study recordings. See [`annotations_eaf_dated`]; this
/// form writes no `DATE` (there is no clock here, and a made-up date would
/// claim something false; ELAN sets one when it saves).
pub fn annotations_eaf(t: &Transcript, annotations: &[Annotation], vocabulary: &Vocabulary, media_file: &str, media_sha256: &str) -> String {
    eaf(t, annotations, vocabulary, media_file, media_sha256, None)
}

/// [`annotations_eaf`] with the document's `DATE` (an `xsd:dateTime` such
/// as `2025-03-01T10:00:00Z`, e.g. the export's time): the EAF 3.0 schema
/// declares `DATE` required, so a validating reader wants this form.
///
/// The document, in the order the schema's sequence requires (`HEADER`,
/// `TIME_ORDER`, `TIER`*, `LINGUISTIC_TYPE`*, `LANGUAGE`*,
/// `CONTROLLED_VOCABULARY`*), indented by four spaces as ELAN writes it,
/// attributes in alphabetical order:
///
/// * `ANNOTATION_DOCUMENT AUTHOR="" FORMAT="3.0" VERSION="3.0"` with the
///   schema location;
/// * `HEADER MEDIA_FILE="" TIME_UNITS="milliseconds"` with a
///   `MEDIA_DESCRIPTOR` for `media_file` (`RELATIVE_MEDIA_URL` =
///   [`EAF_MEDIA_DIR`]`<media_file>`, `MEDIA_URL` = `file:` + the same,
///   percent-encoded; the MIME type from the extension, see
///   [`media_mime_type`]) and `PROPERTY NAME="relato:media_sha256"` — both
///   left out when empty (a session without a recording) — and
///   `PROPERTY NAME="lastUsedAnnotationId"`, which ELAN reads to number
///   new annotations;
/// * `TIME_ORDER`: one `TIME_SLOT` per distinct time, ascending, `ts1`…;
/// * transcript tiers, linguistic type `transcription`: `child`,
///   `interviewer`, `other` (always, even empty, so every export has the
///   same skeleton), then one tier per labelled speaker, `other (Mamá)`
///   with `PARTICIPANT="Mamá"`, by role then first appearance — labelled
///   people may talk over each other, and one tier per person is how ELAN
///   says who spoke;
/// * annotation tiers `indicators`, `notes`, `prompt-type` (linguistic
///   types of the same names; `indicators` and `prompt-type` refer to the
///   controlled vocabularies of the same names). Values are the code
///   (`code — note` when a coded span has a note that is not blank, with
///   `CVE_REF` = the code when the vocabulary has it); a note's value is
///   its text;
/// * **ELAN allows no overlapping annotations within a tier**, and
///   indicators often overlap (two indicators on one sentence). A tier
///   whose annotations overlap is split into lanes: the first keeps the
///   name, the others are `indicators-2`, `indicators-3`… (first fit in
///   time order; touching spans share a lane);
/// * **ELAN needs end > start**: a point annotation or segment (start =
///   end) is written ending 1 ms after its start. This is the only time
///   changed in any format; the JSON and the other formats keep the point;
/// * `ANNOTATION_ID`s are `a1`… in document order (they are `xsd:ID`s and
///   Relato's ids need not be valid ones);
/// * `LANGUAGE` `spa` and `eng`; each `CONTROLLED_VOCABULARY` has a
///   `DESCRIPTION` per language and one `CV_ENTRY_ML CVE_ID="code"` per
///   code of its tier (seeded and added, as [`Vocabulary::entries`] lists
///   them) with `CVE_VALUE`s = the label, `DESCRIPTION` = the definition,
///   in `spa` then `eng`;
/// * text is XML-escaped (`&`, `<`, `>`, `"`, `'`; a carriage return as
///   `&#13;`, and in attributes tabs and line feeds too, which parsers
///   would otherwise normalise away); a character XML 1.0 cannot carry
///   (a control character other than tab, line feed and carriage return)
///   becomes U+FFFD, so the document is always well-formed.
pub fn annotations_eaf_dated(
    t: &Transcript,
    annotations: &[Annotation],
    vocabulary: &Vocabulary,
    media_file: &str,
    media_sha256: &str,
    date: &str,
) -> String {
    eaf(t, annotations, vocabulary, media_file, media_sha256, Some(date))
}

/// The MIME type ELAN expects for a media file, from its extension
/// (case-insensitive); `application/octet-stream` when unknown.
pub fn media_mime_type(file: &str) -> &'static str {
    let extension = file.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase()).unwrap_or_default();
    match extension.as_str() {
        "wav" | "wave" => "audio/x-wav",
        "mp3" => "audio/mpeg",
        "m4a" => "audio/mp4",
        "aac" => "audio/aac",
        "flac" => "audio/flac",
        "ogg" | "oga" | "opus" => "audio/ogg",
        "aif" | "aiff" => "audio/x-aiff",
        "mp4" | "m4v" => "video/mp4",
        "mpg" | "mpeg" => "video/mpeg",
        "mov" => "video/quicktime",
        "webm" => "video/webm",
        _ => "application/octet-stream",
    }
}

/// One annotation of an EAF tier, its times already made ELAN-valid.
struct EafItem {
    start: u64,
    end: u64,
    value: String,
    cve_ref: Option<String>,
}

struct EafTier {
    id: String,
    linguistic_type: &'static str,
    participant: Option<String>,
    items: Vec<EafItem>,
}

/// The end ELAN gets: a point (or, in data that failed validation, a
/// reversed span) ends 1 ms after its start, since ELAN needs end > start.
fn eaf_end(start: u64, end: u64) -> u64 {
    if end > start {
        end
    } else {
        start.saturating_add(1)
    }
}

fn role_rank(speaker: Speaker) -> u8 {
    match speaker {
        Speaker::Child => 0,
        Speaker::Interviewer => 1,
        Speaker::Other => 2,
    }
}

/// Splits a tier's items into lanes without overlaps: sorted by start
/// (then end, then input order), each goes to the first lane whose last
/// item has ended by its start. Always at least one lane.
fn lanes(mut items: Vec<EafItem>) -> Vec<Vec<EafItem>> {
    items.sort_by_key(|i| (i.start, i.end));
    let mut lanes: Vec<Vec<EafItem>> = vec![Vec::new()];
    for item in items {
        match lanes.iter_mut().find(|lane| lane.last().is_none_or(|last| last.end <= item.start)) {
            Some(lane) => lane.push(item),
            None => lanes.push(vec![item]),
        }
    }
    lanes
}

fn push_lanes(tiers: &mut Vec<EafTier>, base: &str, linguistic_type: &'static str, participant: Option<String>, items: Vec<EafItem>) {
    for (n, items) in lanes(items).into_iter().enumerate() {
        let id = if n == 0 { base.to_owned() } else { format!("{base}-{}", n + 1) };
        tiers.push(EafTier { id, linguistic_type, participant: participant.clone(), items });
    }
}

/// The controlled vocabularies written, with their descriptions (es, en).
const EAF_CVS: [(Tier, &str, &str, &str); 2] = [
    (Tier::Indicators, "indicators", "Indicadores de detalle", "Detail indicators"),
    (Tier::PromptType, "prompt-type", "Tipos de pregunta (NICHD)", "Prompt types (NICHD)"),
];

fn eaf(t: &Transcript, annotations: &[Annotation], vocabulary: &Vocabulary, media_file: &str, media_sha256: &str, date: Option<&str>) -> String {
    let entries = vocabulary.entries();
    let mut tiers: Vec<EafTier> = Vec::new();

    // Transcript tiers: one per speaker (role and label).
    let mut speakers: Vec<(Speaker, Option<String>)> =
        vec![(Speaker::Child, None), (Speaker::Interviewer, None), (Speaker::Other, None)];
    let mut groups: Vec<Vec<EafItem>> = vec![Vec::new(), Vec::new(), Vec::new()];
    for s in &t.segments {
        let key = (s.speaker, clean_label(s.label.as_deref()));
        let k = match speakers.iter().position(|k| *k == key) {
            Some(k) => k,
            None => {
                speakers.push(key);
                groups.push(Vec::new());
                speakers.len() - 1
            }
        };
        groups[k].push(EafItem { start: s.start_ms, end: eaf_end(s.start_ms, s.end_ms), value: s.text.clone(), cve_ref: None });
    }
    let mut order: Vec<usize> = (0..speakers.len()).collect();
    order.sort_by_key(|&k| (role_rank(speakers[k].0), speakers[k].1.is_some()));
    for k in order {
        let (speaker, label) = &speakers[k];
        let base = match label {
            Some(label) => format!("{} ({label})", speaker.id()),
            None => speaker.id().to_owned(),
        };
        push_lanes(&mut tiers, &base, "transcription", label.clone(), std::mem::take(&mut groups[k]));
    }

    // Annotation tiers.
    for tier in [Tier::Indicators, Tier::Notes, Tier::PromptType] {
        let items = annotations
            .iter()
            .filter(|a| a.tier == tier)
            .map(|a| {
                let (value, cve_ref) = match (tier, note_of(a)) {
                    (Tier::Notes, Some(note)) => (note.to_owned(), None),
                    (Tier::Notes, None) => (a.code.clone(), None),
                    (_, note) => {
                        let value = match note {
                            Some(note) => format!("{} — {note}", a.code),
                            None => a.code.clone(),
                        };
                        (value, entry(&entries, tier, &a.code).map(|_| a.code.clone()))
                    }
                };
                EafItem { start: a.start_ms, end: eaf_end(a.start_ms, a.end_ms), value, cve_ref }
            })
            .collect();
        push_lanes(&mut tiers, tier.id(), tier.id(), None, items);
    }

    // Time slots: every distinct time, ascending.
    let times: BTreeSet<u64> = tiers.iter().flat_map(|t| &t.items).flat_map(|i| [i.start, i.end]).collect();
    let slot: BTreeMap<u64, usize> = times.iter().enumerate().map(|(k, &ms)| (ms, k + 1)).collect();
    let annotation_count: usize = tiers.iter().map(|t| t.items.len()).sum();

    let mut x = String::with_capacity(4096 + annotation_count * 200);
    x.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    x.push_str("<ANNOTATION_DOCUMENT AUTHOR=\"\"");
    if let Some(date) = date {
        let _ = write!(x, " DATE=\"{}\"", xml(date, true));
    }
    x.push_str(
        " FORMAT=\"3.0\" VERSION=\"3.0\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" \
         xsi:noNamespaceSchemaLocation=\"http://www.mpi.nl/tools/elan/EAFv3.0.xsd\">\n",
    );

    x.push_str("    <HEADER MEDIA_FILE=\"\" TIME_UNITS=\"milliseconds\">\n");
    if !media_file.is_empty() {
        let relative = format!("{EAF_MEDIA_DIR}{}", url_path(media_file));
        let _ = writeln!(
            x,
            "        <MEDIA_DESCRIPTOR MEDIA_URL=\"file:{0}\" MIME_TYPE=\"{1}\" RELATIVE_MEDIA_URL=\"{0}\"/>",
            xml(&relative, true),
            media_mime_type(media_file)
        );
    }
    if !media_sha256.is_empty() {
        let _ = writeln!(x, "        <PROPERTY NAME=\"relato:media_sha256\">{}</PROPERTY>", xml(media_sha256, false));
    }
    let _ = writeln!(x, "        <PROPERTY NAME=\"lastUsedAnnotationId\">{annotation_count}</PROPERTY>");
    x.push_str("    </HEADER>\n");

    if times.is_empty() {
        x.push_str("    <TIME_ORDER/>\n");
    } else {
        x.push_str("    <TIME_ORDER>\n");
        for (&ms, k) in &slot {
            let _ = writeln!(x, "        <TIME_SLOT TIME_SLOT_ID=\"ts{k}\" TIME_VALUE=\"{ms}\"/>");
        }
        x.push_str("    </TIME_ORDER>\n");
    }

    let mut next_id = 0;
    for tier in &tiers {
        let _ = write!(x, "    <TIER LINGUISTIC_TYPE_REF=\"{}\"", tier.linguistic_type);
        if let Some(p) = &tier.participant {
            let _ = write!(x, " PARTICIPANT=\"{}\"", xml(p, true));
        }
        let _ = write!(x, " TIER_ID=\"{}\"", xml(&tier.id, true));
        if tier.items.is_empty() {
            x.push_str("/>\n");
            continue;
        }
        x.push_str(">\n");
        for item in &tier.items {
            next_id += 1;
            x.push_str("        <ANNOTATION>\n");
            let _ = write!(x, "            <ALIGNABLE_ANNOTATION ANNOTATION_ID=\"a{next_id}\"");
            if let Some(cve) = &item.cve_ref {
                let _ = write!(x, " CVE_REF=\"{}\"", xml(cve, true));
            }
            let _ = writeln!(x, " TIME_SLOT_REF1=\"ts{}\" TIME_SLOT_REF2=\"ts{}\">", slot[&item.start], slot[&item.end]);
            let _ = writeln!(x, "                <ANNOTATION_VALUE>{}</ANNOTATION_VALUE>", xml(&item.value, false));
            x.push_str("            </ALIGNABLE_ANNOTATION>\n");
            x.push_str("        </ANNOTATION>\n");
        }
        x.push_str("    </TIER>\n");
    }

    x.push_str("    <LINGUISTIC_TYPE GRAPHIC_REFERENCES=\"false\" LINGUISTIC_TYPE_ID=\"transcription\" TIME_ALIGNABLE=\"true\"/>\n");
    for tier in [Tier::Indicators, Tier::Notes, Tier::PromptType] {
        x.push_str("    <LINGUISTIC_TYPE");
        if EAF_CVS.iter().any(|(t, ..)| *t == tier) {
            let _ = write!(x, " CONTROLLED_VOCABULARY_REF=\"{}\"", tier.id());
        }
        let _ = writeln!(x, " GRAPHIC_REFERENCES=\"false\" LINGUISTIC_TYPE_ID=\"{}\" TIME_ALIGNABLE=\"true\"/>", tier.id());
    }

    x.push_str("    <LANGUAGE LANG_ID=\"spa\" LANG_LABEL=\"Spanish (spa)\"/>\n");
    x.push_str("    <LANGUAGE LANG_ID=\"eng\" LANG_LABEL=\"English (eng)\"/>\n");

    for (tier, cv_id, description_es, description_en) in EAF_CVS {
        let _ = writeln!(x, "    <CONTROLLED_VOCABULARY CV_ID=\"{cv_id}\">");
        let _ = writeln!(x, "        <DESCRIPTION LANG_REF=\"spa\">{}</DESCRIPTION>", xml(description_es, false));
        let _ = writeln!(x, "        <DESCRIPTION LANG_REF=\"eng\">{}</DESCRIPTION>", xml(description_en, false));
        for e in entries.iter().filter(|e| e.tier == tier) {
            let _ = writeln!(x, "        <CV_ENTRY_ML CVE_ID=\"{}\">", xml(&e.code, true));
            for (lang, label, definition) in [("spa", &e.label_es, &e.definition_es), ("eng", &e.label_en, &e.definition_en)] {
                let _ = writeln!(
                    x,
                    "            <CVE_VALUE DESCRIPTION=\"{}\" LANG_REF=\"{lang}\">{}</CVE_VALUE>",
                    xml(definition, true),
                    xml(label, false)
                );
            }
            x.push_str("        </CV_ENTRY_ML>\n");
        }
        x.push_str("    </CONTROLLED_VOCABULARY>\n");
    }

    x.push_str("</ANNOTATION_DOCUMENT>\n");
    x
}

/// `text` escaped for XML content (`attribute == false`) or a
/// double-quoted attribute value (see [`annotations_eaf_dated`]).
fn xml(text: &str, attribute: bool) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\r' => out.push_str("&#13;"),
            '\n' if attribute => out.push_str("&#10;"),
            '\t' if attribute => out.push_str("&#9;"),
            '\t' | '\n' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..='\u{10FFFF}' => out.push(c),
            _ => out.push('\u{FFFD}'),
        }
    }
    out
}

/// A relative path as a URL path: bytes other than unreserved characters
/// and `/` percent-encoded.
fn url_path(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for b in path.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/".contains(&b) {
            out.push(char::from(b));
        } else {
            let _ = write!(out, "%{b:02X}");
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use relato_review::parse_vtt;
    use relato_review::vocabulary::{AddedCode, INDICATORS, PROMPT_TYPES};

    fn seg(id: &str, start: u64, end: u64, speaker: Speaker, label: Option<&str>, overlaps: bool, text: &str) -> Segment {
        Segment { id: id.into(), start_ms: start, end_ms: end, speaker, label: label.map(Into::into), overlaps, text: text.into() }
    }

    /// An interviewer prompt, a two-line child answer with characters to
    /// escape, mum coughing over it, and a point past the first hour.
    fn transcript() -> Transcript {
        let t = Transcript {
            segments: vec![
                seg("s1", 1_000, 4_500, Speaker::Interviewer, None, false, "Cuéntame todo lo que pasó."),
                seg("s2", 4_600, 12_250, Speaker::Child, None, false, "Fuimos a la casa de mi tío\ny había una cámara & luces <grandes>"),
                seg("s3", 11_000, 13_000, Speaker::Other, Some("Mamá"), true, "[tose]"),
                seg("s4", 3_723_004, 3_723_004, Speaker::Other, None, false, ""),
            ],
        };
        assert_eq!(t.validate(), Ok(()));
        t
    }

    fn annotation(id: &str, tier: Tier, start: u64, end: u64, code: &str, segment: Option<&str>, note: Option<&str>) -> Annotation {
        Annotation {
            id: id.into(),
            tier,
            start_ms: start,
            end_ms: end,
            code: code.into(),
            segment_id: segment.map(Into::into),
            note: note.map(Into::into),
            target_id: None,
        }
    }

    /// Two overlapping indicators (and a third touching the second), a
    /// prompt type, a point note with a tab and a line break, and an
    /// added code. Not in time order, to check the sorting.
    fn annotations() -> Vec<Annotation> {
        vec![
            annotation("an1", Tier::Indicators, 4_600, 12_250, "camera_or_recording_device", Some("s2"), Some("en la repisa")),
            annotation("an2", Tier::PromptType, 1_000, 4_500, "invitation", Some("s1"), None),
            annotation("an3", Tier::Notes, 11_000, 11_000, "note", None, Some("Revisar\tcon la\nfiscalía")),
            annotation("an4", Tier::Indicators, 5_000, 9_000, "places", None, Some("  ")),
            annotation("an5", Tier::Indicators, 9_000, 10_000, "vehicle", None, None),
        ]
    }

    fn vocabulary() -> Vocabulary {
        let texts = AddedCode {
            label_es: "Vehículo".into(),
            label_en: "Vehicle".into(),
            definition_es: "Un coche, \"camioneta\" o <autobús> & más.".into(),
            definition_en: "A car or van.".into(),
        };
        Vocabulary::with_added([(Tier::Indicators, "vehicle".to_owned(), texts)])
    }

    const SHA: &str = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    #[test]
    fn transcript_txt_golden() {
        assert_eq!(
            transcript_txt(&transcript(), Lang::Es),
            "[00:00:01.000 – 00:00:04.500] Persona entrevistadora: Cuéntame todo lo que pasó.\n\
             [00:00:04.600 – 00:00:12.250] Niña o niño: Fuimos a la casa de mi tío\n\
             \x20   y había una cámara & luces <grandes>\n\
             [00:00:11.000 – 00:00:13.000] Otra persona (Mamá): [tose]\n\
             [01:02:03.004 – 01:02:03.004] Otra persona:\n"
        );
        assert_eq!(
            transcript_txt(&transcript(), Lang::En),
            "[00:00:01.000 – 00:00:04.500] Interviewer: Cuéntame todo lo que pasó.\n\
             [00:00:04.600 – 00:00:12.250] Child: Fuimos a la casa de mi tío\n\
             \x20   y había una cámara & luces <grandes>\n\
             [00:00:11.000 – 00:00:13.000] Other (Mamá): [tose]\n\
             [01:02:03.004 – 01:02:03.004] Other:\n"
        );
        // Every kind of line break, an empty line, a blank label, a labelled interviewer.
        let t = Transcript {
            segments: vec![
                seg("a", 0, 1, Speaker::Other, Some(" \t"), false, "uno\r\ndos\rtres\n\ncuatro"),
                seg("b", 1, 2, Speaker::Interviewer, Some("Entrevistadora\n"), false, "\nsí"),
            ],
        };
        assert_eq!(
            transcript_txt(&t, Lang::Es),
            "[00:00:00.000 – 00:00:00.001] Otra persona: uno\n    dos\n    tres\n\n    cuatro\n\
             [00:00:00.001 – 00:00:00.002] Persona entrevistadora (Entrevistadora):\n    sí\n"
        );
        assert_eq!(transcript_txt(&Transcript::default(), Lang::En), "");
    }

    #[test]
    fn transcript_vtt_golden() {
        assert_eq!(
            transcript_vtt(&transcript()),
            "WEBVTT\n\
             \n\
             s1\n\
             00:00:01.000 --> 00:00:04.500\n\
             <v Interviewer>Cuéntame todo lo que pasó.\n\
             \n\
             s2\n\
             00:00:04.600 --> 00:00:12.250\n\
             <v Child>Fuimos a la casa de mi tío\n\
             y había una cámara &amp; luces &lt;grandes&gt;\n\
             \n\
             s3\n\
             00:00:11.000 --> 00:00:13.000\n\
             <v Mamá>[tose]\n\
             \n\
             s4\n\
             01:02:03.004 --> 01:02:03.004\n"
        );
        assert_eq!(transcript_vtt(&Transcript::default()), "WEBVTT\n");
        assert_eq!(parse_vtt("WEBVTT\n"), Ok(Transcript::default()));
    }

    #[test]
    fn transcript_vtt_escapes_what_would_break_a_cue() {
        let t = Transcript {
            segments: vec![seg(
                "x-->y\n",
                0,
                1_000,
                Speaker::Child,
                None,
                false,
                "  dos espacios\t \n\n--> <v Interviewer> &lrm;\r\n\u{a0}",
            )],
        };
        assert_eq!(
            transcript_vtt(&t),
            "WEBVTT\n\
             \n\
             x->y\n\
             00:00:00.000 --> 00:00:01.000\n\
             <v Child>&#32;&#32;dos espacios&#9;&#32;\n\
             <c></c>\n\
             --&gt; &lt;v Interviewer&gt; &amp;lrm;&#13;\n\
             &#160;\n"
        );
    }

    #[test]
    fn transcript_vtt_round_trips_through_the_importer() {
        let tricky = Transcript {
            segments: vec![
                seg("seg-1", 0, 1_000, Speaker::Child, None, false, "  al principio y al final\t\n\nmedio --> flecha\r\nfin &amp; <i>no es etiqueta</i>"),
                seg("seg-2", 500, 1_500, Speaker::Other, Some("Abuela Rosa"), true, "\n"),
                seg("seg-3", 1_200, 1_300, Speaker::Interviewer, None, true, "   "),
                seg("seg-4", 2_000, 2_000, Speaker::Other, None, false, ""),
                seg("seg-5", 2_000, 2_500, Speaker::Other, Some("Tía & tío"), false, "¿Y después?\u{a0}"),
                seg("seg-6", 2_400, 3_000, Speaker::Other, None, true, "NOTE esto no es una nota\nWEBVTT\n00:01.000 --> 00:02.000"),
                seg("1", 36_000_000, 36_000_001, Speaker::Child, None, false, "sí"),
            ],
        };
        for t in [transcript(), tricky] {
            assert_eq!(t.validate(), Ok(()));
            let vtt = transcript_vtt(&t);
            assert_eq!(parse_vtt(&vtt), Ok(t.clone()), "{vtt}");
        }
    }

    #[test]
    fn transcript_vtt_keeps_roles_where_labels_cannot_follow() {
        let t = Transcript {
            segments: vec![
                seg("a", 0, 1_000, Speaker::Interviewer, Some("Entrevistadora"), false, "¿Qué pasó?"),
                seg("b", 1_000, 2_000, Speaker::Other, Some("Niña"), false, "yo vi"),
                seg("c", 2_000, 3_000, Speaker::Child, Some("Ana"), false, "sí"),
                seg("d", 3_000, 4_000, Speaker::Other, Some("  "), false, "ajá"),
            ],
        };
        let vtt = transcript_vtt(&t);
        assert!(vtt.contains("<v Interviewer>¿Qué pasó?\n") && vtt.contains("<v Other (Niña)>yo vi\n"), "{vtt}");
        let back = parse_vtt(&vtt).unwrap();
        let who: Vec<_> = back.segments.iter().map(|s| (s.speaker, s.label.as_deref())).collect();
        assert_eq!(
            who,
            [
                (Speaker::Interviewer, None),
                (Speaker::Other, Some("Other (Niña)")),
                (Speaker::Child, None),
                (Speaker::Other, None),
            ]
        );
    }

    #[test]
    fn annotations_labels_golden() {
        assert_eq!(
            annotations_labels(&annotations(), &vocabulary(), Lang::Es),
            "1.000000\t4.500000\tTipo de pregunta: Invitación (invitation)\n\
             4.600000\t12.250000\tIndicadores: Cámara o dispositivo de grabación (camera_or_recording_device) — en la repisa\n\
             5.000000\t9.000000\tIndicadores: Lugares (places)\n\
             9.000000\t10.000000\tIndicadores: Vehículo (vehicle)\n\
             11.000000\t11.000000\tNotas: Nota (note) — Revisar con la fiscalía\n"
        );
        assert_eq!(
            annotations_labels(&annotations(), &vocabulary(), Lang::En),
            "1.000000\t4.500000\tPrompt type: Invitation (invitation)\n\
             4.600000\t12.250000\tIndicators: Camera or recording device (camera_or_recording_device) — en la repisa\n\
             5.000000\t9.000000\tIndicators: Places (places)\n\
             9.000000\t10.000000\tIndicators: Vehicle (vehicle)\n\
             11.000000\t11.000000\tNotes: Note (note) — Revisar con la fiscalía\n"
        );
        // A code the vocabulary lacks is shown alone; large times stay exact.
        let unknown = [annotation("x", Tier::Indicators, 86_399_999, 90_000_000, "vehicle", None, None)];
        assert_eq!(
            annotations_labels(&unknown, &Vocabulary::default(), Lang::Es),
            "86399.999000\t90000.000000\tIndicadores: vehicle\n"
        );
        assert_eq!(annotations_labels(&[], &Vocabulary::default(), Lang::Es), "");
    }

    #[test]
    fn annotations_vtt_golden() {
        assert_eq!(
            annotations_vtt(&annotations(), &vocabulary(), Lang::Es),
            "WEBVTT\n\
             \n\
             an2\n\
             00:00:01.000 --> 00:00:04.500\n\
             Tipo de pregunta: Invitación (invitation)\n\
             \n\
             an1\n\
             00:00:04.600 --> 00:00:12.250\n\
             Indicadores: Cámara o dispositivo de grabación (camera_or_recording_device)\n\
             en la repisa\n\
             \n\
             an4\n\
             00:00:05.000 --> 00:00:09.000\n\
             Indicadores: Lugares (places)\n\
             \n\
             an5\n\
             00:00:09.000 --> 00:00:10.000\n\
             Indicadores: Vehículo (vehicle)\n\
             \n\
             an3\n\
             00:00:11.000 --> 00:00:11.000\n\
             Notas: Nota (note)\n\
             Revisar\tcon la\n\
             fiscalía\n"
        );
        let en = annotations_vtt(&annotations()[1..2], &vocabulary(), Lang::En);
        assert_eq!(en, "WEBVTT\n\nan2\n00:00:01.000 --> 00:00:04.500\nPrompt type: Invitation (invitation)\n");
        // A note with characters to escape and a blank line stays one cue.
        let odd = [annotation("n", Tier::Notes, 0, 5, "note", None, Some("a <b> & c\n\n--> d"))];
        assert_eq!(
            annotations_vtt(&odd, &vocabulary(), Lang::En),
            "WEBVTT\n\nn\n00:00:00.000 --> 00:00:00.005\nNotes: Note (note)\na &lt;b&gt; &amp; c\n<c></c>\n--&gt; d\n"
        );
        // Whatever the importer makes of it, the cue ids and times read back.
        let back = parse_vtt(&annotations_vtt(&annotations()[1..3], &vocabulary(), Lang::Es)).unwrap();
        let cues: Vec<_> = back.segments.iter().map(|s| (s.id.as_str(), s.start_ms, s.end_ms)).collect();
        assert_eq!(cues, [("an2", 1_000, 4_500), ("an3", 11_000, 11_000)]);
        assert_eq!(back.segments[1].text, "Notas: Nota (note)\nRevisar\tcon la\nfiscalía");
    }

    /// Everything before the controlled vocabularies, by hand.
    const EAF_HEAD: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<ANNOTATION_DOCUMENT AUTHOR="" FORMAT="3.0" VERSION="3.0" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:noNamespaceSchemaLocation="http://www.mpi.nl/tools/elan/EAFv3.0.xsd">
    <HEADER MEDIA_FILE="" TIME_UNITS="milliseconds">
        <MEDIA_DESCRIPTOR MEDIA_URL="file:../../evidence/EV-001.wav" MIME_TYPE="audio/x-wav" RELATIVE_MEDIA_URL="../../evidence/EV-001.wav"/>
        <PROPERTY NAME="relato:media_sha256">0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef</PROPERTY>
        <PROPERTY NAME="lastUsedAnnotationId">9</PROPERTY>
    </HEADER>
    <TIME_ORDER>
        <TIME_SLOT TIME_SLOT_ID="ts1" TIME_VALUE="1000"/>
        <TIME_SLOT TIME_SLOT_ID="ts2" TIME_VALUE="4500"/>
        <TIME_SLOT TIME_SLOT_ID="ts3" TIME_VALUE="4600"/>
        <TIME_SLOT TIME_SLOT_ID="ts4" TIME_VALUE="5000"/>
        <TIME_SLOT TIME_SLOT_ID="ts5" TIME_VALUE="9000"/>
        <TIME_SLOT TIME_SLOT_ID="ts6" TIME_VALUE="10000"/>
        <TIME_SLOT TIME_SLOT_ID="ts7" TIME_VALUE="11000"/>
        <TIME_SLOT TIME_SLOT_ID="ts8" TIME_VALUE="11001"/>
        <TIME_SLOT TIME_SLOT_ID="ts9" TIME_VALUE="12250"/>
        <TIME_SLOT TIME_SLOT_ID="ts10" TIME_VALUE="13000"/>
        <TIME_SLOT TIME_SLOT_ID="ts11" TIME_VALUE="3723004"/>
        <TIME_SLOT TIME_SLOT_ID="ts12" TIME_VALUE="3723005"/>
    </TIME_ORDER>
    <TIER LINGUISTIC_TYPE_REF="transcription" TIER_ID="child">
        <ANNOTATION>
            <ALIGNABLE_ANNOTATION ANNOTATION_ID="a1" TIME_SLOT_REF1="ts3" TIME_SLOT_REF2="ts9">
                <ANNOTATION_VALUE>Fuimos a la casa de mi tío
y había una cámara &amp; luces &lt;grandes&gt;</ANNOTATION_VALUE>
            </ALIGNABLE_ANNOTATION>
        </ANNOTATION>
    </TIER>
    <TIER LINGUISTIC_TYPE_REF="transcription" TIER_ID="interviewer">
        <ANNOTATION>
            <ALIGNABLE_ANNOTATION ANNOTATION_ID="a2" TIME_SLOT_REF1="ts1" TIME_SLOT_REF2="ts2">
                <ANNOTATION_VALUE>Cuéntame todo lo que pasó.</ANNOTATION_VALUE>
            </ALIGNABLE_ANNOTATION>
        </ANNOTATION>
    </TIER>
    <TIER LINGUISTIC_TYPE_REF="transcription" TIER_ID="other">
        <ANNOTATION>
            <ALIGNABLE_ANNOTATION ANNOTATION_ID="a3" TIME_SLOT_REF1="ts11" TIME_SLOT_REF2="ts12">
                <ANNOTATION_VALUE></ANNOTATION_VALUE>
            </ALIGNABLE_ANNOTATION>
        </ANNOTATION>
    </TIER>
    <TIER LINGUISTIC_TYPE_REF="transcription" PARTICIPANT="Mamá" TIER_ID="other (Mamá)">
        <ANNOTATION>
            <ALIGNABLE_ANNOTATION ANNOTATION_ID="a4" TIME_SLOT_REF1="ts7" TIME_SLOT_REF2="ts10">
                <ANNOTATION_VALUE>[tose]</ANNOTATION_VALUE>
            </ALIGNABLE_ANNOTATION>
        </ANNOTATION>
    </TIER>
    <TIER LINGUISTIC_TYPE_REF="indicators" TIER_ID="indicators">
        <ANNOTATION>
            <ALIGNABLE_ANNOTATION ANNOTATION_ID="a5" CVE_REF="camera_or_recording_device" TIME_SLOT_REF1="ts3" TIME_SLOT_REF2="ts9">
                <ANNOTATION_VALUE>camera_or_recording_device — en la repisa</ANNOTATION_VALUE>
            </ALIGNABLE_ANNOTATION>
        </ANNOTATION>
    </TIER>
    <TIER LINGUISTIC_TYPE_REF="indicators" TIER_ID="indicators-2">
        <ANNOTATION>
            <ALIGNABLE_ANNOTATION ANNOTATION_ID="a6" CVE_REF="places" TIME_SLOT_REF1="ts4" TIME_SLOT_REF2="ts5">
                <ANNOTATION_VALUE>places</ANNOTATION_VALUE>
            </ALIGNABLE_ANNOTATION>
        </ANNOTATION>
        <ANNOTATION>
            <ALIGNABLE_ANNOTATION ANNOTATION_ID="a7" CVE_REF="vehicle" TIME_SLOT_REF1="ts5" TIME_SLOT_REF2="ts6">
                <ANNOTATION_VALUE>vehicle</ANNOTATION_VALUE>
            </ALIGNABLE_ANNOTATION>
        </ANNOTATION>
    </TIER>
    <TIER LINGUISTIC_TYPE_REF="notes" TIER_ID="notes">
        <ANNOTATION>
            <ALIGNABLE_ANNOTATION ANNOTATION_ID="a8" TIME_SLOT_REF1="ts7" TIME_SLOT_REF2="ts8">
                <ANNOTATION_VALUE>Revisar	con la
fiscalía</ANNOTATION_VALUE>
            </ALIGNABLE_ANNOTATION>
        </ANNOTATION>
    </TIER>
    <TIER LINGUISTIC_TYPE_REF="prompt-type" TIER_ID="prompt-type">
        <ANNOTATION>
            <ALIGNABLE_ANNOTATION ANNOTATION_ID="a9" CVE_REF="invitation" TIME_SLOT_REF1="ts1" TIME_SLOT_REF2="ts2">
                <ANNOTATION_VALUE>invitation</ANNOTATION_VALUE>
            </ALIGNABLE_ANNOTATION>
        </ANNOTATION>
    </TIER>
    <LINGUISTIC_TYPE GRAPHIC_REFERENCES="false" LINGUISTIC_TYPE_ID="transcription" TIME_ALIGNABLE="true"/>
    <LINGUISTIC_TYPE CONTROLLED_VOCABULARY_REF="indicators" GRAPHIC_REFERENCES="false" LINGUISTIC_TYPE_ID="indicators" TIME_ALIGNABLE="true"/>
    <LINGUISTIC_TYPE GRAPHIC_REFERENCES="false" LINGUISTIC_TYPE_ID="notes" TIME_ALIGNABLE="true"/>
    <LINGUISTIC_TYPE CONTROLLED_VOCABULARY_REF="prompt-type" GRAPHIC_REFERENCES="false" LINGUISTIC_TYPE_ID="prompt-type" TIME_ALIGNABLE="true"/>
    <LANGUAGE LANG_ID="spa" LANG_LABEL="Spanish (spa)"/>
    <LANGUAGE LANG_ID="eng" LANG_LABEL="English (eng)"/>
"#;

    #[test]
    fn annotations_eaf_golden() {
        let eaf = annotations_eaf(&transcript(), &annotations(), &vocabulary(), "EV-001.wav", SHA);
        let cv_at = eaf.find("    <CONTROLLED_VOCABULARY ").expect("has vocabularies");
        assert_eq!(&eaf[..cv_at], EAF_HEAD);
        // The vocabularies: a seeded entry, an added one (escaped), the tails.
        assert!(eaf[cv_at..].starts_with(
            "    <CONTROLLED_VOCABULARY CV_ID=\"indicators\">\n\
             \x20       <DESCRIPTION LANG_REF=\"spa\">Indicadores de detalle</DESCRIPTION>\n\
             \x20       <DESCRIPTION LANG_REF=\"eng\">Detail indicators</DESCRIPTION>\n\
             \x20       <CV_ENTRY_ML CVE_ID=\"camera_or_recording_device\">\n\
             \x20           <CVE_VALUE DESCRIPTION=\"La NNA menciona una cámara, teléfono u otro aparato que graba o toma imágenes.\" LANG_REF=\"spa\">Cámara o dispositivo de grabación</CVE_VALUE>\n\
             \x20           <CVE_VALUE DESCRIPTION=\"The child mentions a camera, phone or other device that records or takes pictures.\" LANG_REF=\"eng\">Camera or recording device</CVE_VALUE>\n\
             \x20       </CV_ENTRY_ML>\n"
        ));
        assert!(eaf.contains(
            "        <CV_ENTRY_ML CVE_ID=\"vehicle\">\n\
             \x20           <CVE_VALUE DESCRIPTION=\"Un coche, &quot;camioneta&quot; o &lt;autobús&gt; &amp; más.\" LANG_REF=\"spa\">Vehículo</CVE_VALUE>\n\
             \x20           <CVE_VALUE DESCRIPTION=\"A car or van.\" LANG_REF=\"eng\">Vehicle</CVE_VALUE>\n\
             \x20       </CV_ENTRY_ML>\n\
             \x20   </CONTROLLED_VOCABULARY>\n\
             \x20   <CONTROLLED_VOCABULARY CV_ID=\"prompt-type\">\n\
             \x20       <DESCRIPTION LANG_REF=\"spa\">Tipos de pregunta (NICHD)</DESCRIPTION>\n\
             \x20       <DESCRIPTION LANG_REF=\"eng\">Prompt types (NICHD)</DESCRIPTION>\n\
             \x20       <CV_ENTRY_ML CVE_ID=\"invitation\">\n"
        ));
        assert!(eaf.ends_with("        </CV_ENTRY_ML>\n    </CONTROLLED_VOCABULARY>\n</ANNOTATION_DOCUMENT>\n"));
        // Deterministic, and the dated form differs only by its DATE.
        assert_eq!(eaf, annotations_eaf(&transcript(), &annotations(), &vocabulary(), "EV-001.wav", SHA));
        let dated = annotations_eaf_dated(&transcript(), &annotations(), &vocabulary(), "EV-001.wav", SHA, "2025-03-01T10:00:00Z");
        assert_eq!(dated.replacen(" DATE=\"2025-03-01T10:00:00Z\"", "", 1), eaf);
        assert!(dated.contains("<ANNOTATION_DOCUMENT AUTHOR=\"\" DATE=\"2025-03-01T10:00:00Z\" FORMAT=\"3.0\""));
    }

    /// The checks that hold for any EAF written here, through an
    /// independent XML parser; returns the tiers' (id, values) in order.
    fn check_eaf(eaf: &str, vocabulary: &Vocabulary) -> Vec<(String, Vec<String>)> {
        let doc = roxmltree::Document::parse(eaf).unwrap_or_else(|e| panic!("not well-formed: {e}\n{eaf}"));
        let root = doc.root_element();
        assert_eq!(root.tag_name().name(), "ANNOTATION_DOCUMENT");
        assert_eq!((root.attribute("FORMAT"), root.attribute("VERSION"), root.attribute("AUTHOR")), (Some("3.0"), Some("3.0"), Some("")));
        assert_eq!(
            root.attribute(("http://www.w3.org/2001/XMLSchema-instance", "noNamespaceSchemaLocation")),
            Some("http://www.mpi.nl/tools/elan/EAFv3.0.xsd")
        );

        // The schema's sequence.
        let sequence = ["HEADER", "TIME_ORDER", "TIER", "LINGUISTIC_TYPE", "LOCALE", "LANGUAGE", "CONSTRAINT", "CONTROLLED_VOCABULARY"];
        let children: Vec<_> = root.children().filter(|n| n.is_element()).collect();
        let ranks: Vec<usize> = children
            .iter()
            .map(|n| sequence.iter().position(|s| *s == n.tag_name().name()).unwrap_or_else(|| panic!("unexpected {:?}", n.tag_name())))
            .collect();
        assert!(ranks.windows(2).all(|w| w[0] <= w[1]), "out of schema order: {ranks:?}");
        assert_eq!(children.iter().filter(|n| n.has_tag_name("HEADER")).count(), 1);
        assert_eq!(children.iter().filter(|n| n.has_tag_name("TIME_ORDER")).count(), 1);
        let header = children[0];
        assert_eq!((header.attribute("MEDIA_FILE"), header.attribute("TIME_UNITS")), (Some(""), Some("milliseconds")));

        // Time slots: unique ids, ascending distinct values; every reference resolves.
        let slots: BTreeMap<String, u64> = doc
            .descendants()
            .filter(|n| n.has_tag_name("TIME_SLOT"))
            .map(|n| (n.attribute("TIME_SLOT_ID").unwrap().to_owned(), n.attribute("TIME_VALUE").unwrap().parse().unwrap()))
            .collect();
        let values: Vec<u64> = doc.descendants().filter(|n| n.has_tag_name("TIME_SLOT")).map(|n| slots[n.attribute("TIME_SLOT_ID").unwrap()]).collect();
        assert_eq!(slots.len(), values.len(), "duplicate TIME_SLOT_ID");
        assert!(values.windows(2).all(|w| w[0] < w[1]), "slots not ascending and distinct: {values:?}");

        // Tiers: types exist; annotations have end > start, no overlaps, unique ids.
        let types: BTreeMap<&str, Option<&str>> = children
            .iter()
            .filter(|n| n.has_tag_name("LINGUISTIC_TYPE"))
            .map(|n| (n.attribute("LINGUISTIC_TYPE_ID").unwrap(), n.attribute("CONTROLLED_VOCABULARY_REF")))
            .collect();
        let cvs: BTreeMap<&str, roxmltree::Node> =
            children.iter().filter(|n| n.has_tag_name("CONTROLLED_VOCABULARY")).map(|n| (n.attribute("CV_ID").unwrap(), *n)).collect();
        let mut annotation_ids = BTreeSet::new();
        let mut tier_ids = BTreeSet::new();
        let mut tiers = Vec::new();
        let mut used_slots = BTreeSet::new();
        for tier in children.iter().filter(|n| n.has_tag_name("TIER")) {
            let id = tier.attribute("TIER_ID").unwrap();
            assert!(tier_ids.insert(id), "duplicate tier {id}");
            let ty = tier.attribute("LINGUISTIC_TYPE_REF").unwrap();
            assert!(types.contains_key(ty), "tier {id} has unknown type {ty}");
            let mut last_end = 0;
            let mut values = Vec::new();
            for a in tier.children().filter(|n| n.is_element()) {
                assert!(a.has_tag_name("ANNOTATION"));
                let aa = a.first_element_child().unwrap();
                assert!(aa.has_tag_name("ALIGNABLE_ANNOTATION"));
                assert!(annotation_ids.insert(aa.attribute("ANNOTATION_ID").unwrap().to_owned()));
                let (r1, r2) = (aa.attribute("TIME_SLOT_REF1").unwrap(), aa.attribute("TIME_SLOT_REF2").unwrap());
                let (start, end) = (
                    *slots.get(r1).unwrap_or_else(|| panic!("{r1} is not a time slot")),
                    *slots.get(r2).unwrap_or_else(|| panic!("{r2} is not a time slot")),
                );
                used_slots.extend([r1.to_owned(), r2.to_owned()]);
                assert!(end > start, "tier {id}: {start}..{end}");
                assert!(start >= last_end, "tier {id}: overlap at {start}");
                last_end = end;
                if let Some(cve) = aa.attribute("CVE_REF") {
                    let cv = cvs[types[ty].expect("a CVE_REF on a tier without a vocabulary")];
                    assert!(cv.children().any(|e| e.attribute("CVE_ID") == Some(cve)), "{cve} not in its vocabulary");
                }
                let value = aa.first_element_child().unwrap();
                assert!(value.has_tag_name("ANNOTATION_VALUE"));
                values.push(value.text().unwrap_or("").to_owned());
            }
            tiers.push((id.to_owned(), values));
        }
        assert_eq!(used_slots.len(), slots.len(), "unused time slots");
        assert_eq!(
            root.descendants().find(|n| n.attribute("NAME") == Some("lastUsedAnnotationId")).and_then(|n| n.text()),
            Some(annotation_ids.len().to_string().as_str())
        );

        // Languages and vocabularies: every entry of the tier, es and en.
        let languages: Vec<_> = children.iter().filter(|n| n.has_tag_name("LANGUAGE")).map(|n| n.attribute("LANG_ID").unwrap()).collect();
        assert_eq!(languages, ["spa", "eng"]);
        assert_eq!(types.get("indicators"), Some(&Some("indicators")));
        assert_eq!(types.get("prompt-type"), Some(&Some("prompt-type")));
        assert_eq!(types.get("notes"), Some(&None));
        let entries = vocabulary.entries();
        for (tier, cv_id) in [(Tier::Indicators, "indicators"), (Tier::PromptType, "prompt-type")] {
            let cv = cvs[cv_id];
            let listed: Vec<_> = cv.children().filter(|n| n.has_tag_name("CV_ENTRY_ML")).collect();
            let expected: Vec<_> = entries.iter().filter(|e| e.tier == tier).collect();
            assert_eq!(listed.len(), expected.len(), "{cv_id}");
            for (node, e) in listed.iter().zip(expected) {
                assert_eq!(node.attribute("CVE_ID"), Some(e.code.as_str()));
                let values: Vec<_> = node
                    .children()
                    .filter(|n| n.is_element())
                    .map(|n| (n.attribute("LANG_REF").unwrap(), n.text().unwrap(), n.attribute("DESCRIPTION").unwrap()))
                    .collect();
                assert_eq!(
                    values,
                    [("spa", e.label_es.as_str(), e.definition_es.as_str()), ("eng", e.label_en.as_str(), e.definition_en.as_str())]
                );
            }
        }
        tiers
    }

    #[test]
    fn annotations_eaf_is_well_formed_and_complete() {
        let v = vocabulary();
        let eaf = annotations_eaf(&transcript(), &annotations(), &v, "EV-001.wav", SHA);
        let tiers = check_eaf(&eaf, &v);
        let counts: Vec<(&str, usize)> = tiers.iter().map(|(id, values)| (id.as_str(), values.len())).collect();
        assert_eq!(
            counts,
            [("child", 1), ("interviewer", 1), ("other", 1), ("other (Mamá)", 1), ("indicators", 1), ("indicators-2", 2), ("notes", 1), ("prompt-type", 1)]
        );
        // Values read back exactly (escaping undone by the parser).
        assert_eq!(tiers[0].1, ["Fuimos a la casa de mi tío\ny había una cámara & luces <grandes>"]);
        assert_eq!(tiers[6].1, ["Revisar\tcon la\nfiscalía"]);
        assert_eq!(INDICATORS.len() + 1 + PROMPT_TYPES.len(), eaf.matches("<CV_ENTRY_ML ").count());
    }

    #[test]
    fn annotations_eaf_survives_hostile_text_and_empty_input() {
        let v = Vocabulary::default();
        // Nothing at all, and no recording: still a valid skeleton.
        let empty = annotations_eaf(&Transcript::default(), &[], &v, "", "");
        assert!(!empty.contains("MEDIA_DESCRIPTOR") && !empty.contains("relato:media_sha256"));
        assert!(empty.contains("    <TIME_ORDER/>\n"));
        let tiers = check_eaf(&empty, &v);
        let ids: Vec<_> = tiers.iter().map(|(id, values)| (id.as_str(), values.len())).collect();
        assert_eq!(ids, [("child", 0), ("interviewer", 0), ("other", 0), ("indicators", 0), ("notes", 0), ("prompt-type", 0)]);

        // Quotes, markup, carriage returns, control characters; a point
        // segment touching the next segment; labels that need escaping;
        // two differently written labels that overlap.
        let t = Transcript {
            segments: vec![
                seg("p", 1_000, 1_000, Speaker::Child, None, false, "\u{1}ruido\u{b}"),
                seg("q", 1_000, 2_000, Speaker::Child, None, false, "«dijo \"no\" y 'ya'»\r\n<fin> & ]]>"),
                seg("r", 1_500, 2_500, Speaker::Other, Some("Tía \"Rosa\" <T&R>"), true, "x"),
                seg("s", 1_600, 2_600, Speaker::Other, Some(" Tía \"Rosa\" <T&R>"), true, "y"),
            ],
        };
        assert_eq!(t.validate(), Ok(()));
        let a = [
            annotation("z", Tier::Notes, 7, 7, "note", None, None),
            annotation("y", Tier::Indicators, 7, 7, "no_such_code", None, Some("\"quoted\"")),
            annotation("w", Tier::Indicators, 7, 8, "emotions", None, None),
        ];
        let eaf = annotations_eaf(&t, &a, &v, "grabación 1.WAV", "\"sha\"");
        assert!(eaf.contains("RELATIVE_MEDIA_URL=\"../../evidence/grabaci%C3%B3n%201.WAV\""), "{eaf}");
        assert!(eaf.contains("MIME_TYPE=\"audio/x-wav\""));
        assert!(eaf.contains("<PROPERTY NAME=\"relato:media_sha256\">&quot;sha&quot;</PROPERTY>"));
        assert!(eaf.contains("PARTICIPANT=\"Tía &quot;Rosa&quot; &lt;T&amp;R&gt;\" TIER_ID=\"other (Tía &quot;Rosa&quot; &lt;T&amp;R&gt;)\""));
        let tiers = check_eaf(&eaf, &v);
        let by_id = |id: &str| tiers.iter().find(|(t, _)| t == id).map(|(_, v)| v.clone()).unwrap_or_else(|| panic!("no tier {id}"));
        // The point ([1000, 1001]) and the next segment overlap once the
        // point has its millisecond: two lanes.
        assert_eq!(by_id("child"), ["\u{fffd}ruido\u{fffd}"]);
        assert_eq!(by_id("child-2"), ["«dijo \"no\" y 'ya'»\r\n<fin> & ]]>"]);
        assert_eq!(by_id("other (Tía \"Rosa\" <T&R>)"), ["x"]);
        assert_eq!(by_id("other (Tía \"Rosa\" <T&R>)-2"), ["y"]);
        assert_eq!(by_id("notes"), ["note"]);
        // An unknown code has no CVE_REF; a point [7, 8] and a span [7, 8] overlap.
        assert_eq!(by_id("indicators"), ["no_such_code — \"quoted\""]);
        assert_eq!(by_id("indicators-2"), ["emotions"]);
        assert!(!eaf.contains("CVE_REF=\"no_such_code\"") && eaf.contains("CVE_REF=\"emotions\""));
    }

    #[test]
    fn helpers() {
        assert_eq!(clock(0), "00:00:00.000");
        assert_eq!(clock(360_000_000 + 59 * 60_000 + 59_999), "100:59:59.999");
        assert_eq!(seconds(0), "0.000000");
        assert_eq!(seconds(61_005), "61.005000");
        assert_eq!(media_mime_type("EV-001.wav"), "audio/x-wav");
        assert_eq!(media_mime_type("x.MP4"), "video/mp4");
        assert_eq!(media_mime_type("x.m4a"), "audio/mp4");
        assert_eq!(media_mime_type("noextension"), "application/octet-stream");
        assert_eq!(text_lines(""), [""]);
        assert_eq!(text_lines("a\r\n\rb\n"), ["a", "", "b", ""]);
        assert_eq!(vtt_escape_line(" "), "&#32;");
        assert_eq!(vtt_escape_line("a b"), "a b");
        assert_eq!(xml("a\tb\nc\rd\u{0}", true), "a&#9;b&#10;c&#13;d\u{fffd}");
        assert_eq!(xml("a\tb\nc", false), "a\tb\nc");
        assert_eq!(url_path("EV-001.wav"), "EV-001.wav");
    }
}

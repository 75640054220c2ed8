//! The review workspace's reads and writes, between the commands and the
//! vault and `relato-review`. Like the other services it knows nothing of
//! Tauri and is tested as library code.
//!
//! Transcripts and annotations are stored as sealed, append-only revisions
//! by the vault; this module checks them with `relato-review` before
//! anything is written (a refused save stores nothing) and shapes them for
//! the window. Quality figures, suggestions and search run on the editor's
//! current transcript, saved or not, so the panel follows the typing.

use relato_review::stored;
use relato_review::vocabulary::{self, AddedCode, Vocabulary};
use relato_review::{Annotation, Lang, Phase, QualityReport, Tier, Transcript};
use relato_vault::{AnnotationRevision, Origin, RecordingEventKind, TranscriptRevision, Vault, VaultError};
use serde::{Deserialize, Serialize};
use specta::Type;

use crate::dto::SessionView;
use crate::error::CommandError;

/// Everything the review screen shows when it opens.
#[derive(Debug, Clone, Serialize, Type)]
pub struct ReviewData {
    pub session: SessionView,
    pub recordings: Vec<RecordingView>,
    /// The recording reviewed: the session's latest sealed one.
    pub recording_id: Option<String>,
    pub peaks: Option<PeaksView>,
    pub markers: Vec<MarkView>,
    pub phases: Vec<PhaseView>,
    pub transcript: Option<TranscriptView>,
    pub annotations: Vec<AnnotationView>,
    /// Annotations whose stored revision could not be opened.
    pub damaged_annotations: u32,
    /// Seeded codes and those added to this vault.
    pub vocabulary: Vec<vocabulary::Entry>,
    /// Whether the role may save transcripts and annotations.
    pub may_edit: bool,
    /// Whether the role may add codes to the indicators (administrators).
    pub may_add_codes: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Type)]
pub struct RecordingView {
    pub id: String,
    /// `captured` or `imported`.
    pub origin: String,
    pub started_at: String,
    pub duration_ms: u64,
    pub sealed: bool,
    /// SHA-256 of the original's exported form, once sealed.
    pub sha256: Option<String>,
    pub file_name: Option<String>,
}

/// Waveform peaks as stored: (min, max) signed bytes per `frames_per_peak`.
#[derive(Debug, Clone, PartialEq, Serialize, Type)]
pub struct PeaksView {
    pub sample_rate: u32,
    pub frames_per_peak: u32,
    pub data_base64: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Type)]
pub struct MarkView {
    pub at_ms: u64,
    pub label: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Type)]
pub struct PhaseView {
    pub at_ms: u64,
    pub phase: Phase,
}

#[derive(Debug, Clone, PartialEq, Serialize, Type)]
pub struct TranscriptView {
    pub rev: u32,
    pub saved_at: String,
    pub author: String,
    pub sha256: String,
    pub source: Option<String>,
    pub document: Transcript,
}

#[derive(Debug, Clone, PartialEq, Serialize, Type)]
pub struct RevisionSummary {
    pub rev: u32,
    pub saved_at: String,
    pub author: String,
    pub sha256: String,
    pub source: Option<String>,
    pub segments: u32,
}

/// An annotation as the window sends it.
#[derive(Debug, Clone, Deserialize, Type)]
pub struct AnnotationInput {
    pub tier: Tier,
    pub start_ms: u64,
    pub end_ms: u64,
    pub code: String,
    pub segment_id: Option<String>,
    pub note: Option<String>,
    pub target_id: Option<String>,
}

/// One revision of an annotation, with who saved it.
#[derive(Debug, Clone, PartialEq, Serialize, Type)]
pub struct AnnotationView {
    pub id: String,
    pub rev: u32,
    pub saved_at: String,
    pub author: String,
    pub sha256: String,
    pub deleted: bool,
    pub tier: Tier,
    pub start_ms: u64,
    pub end_ms: u64,
    pub code: String,
    pub segment_id: Option<String>,
    pub note: Option<String>,
    pub target_id: Option<String>,
}

/// The review screen's data for `session`.
pub fn review_data(v: &Vault, session: SessionView) -> Result<ReviewData, CommandError> {
    let recordings: Vec<_> = v.recordings(&session.id)?.into_iter().filter_map(Result::ok).collect();
    let views = recordings.iter().map(recording_view).collect();
    let reviewed = recordings.iter().rev().find(|r| r.end.is_some());
    let (mut peaks, mut markers, mut phases) = (None, Vec::new(), Vec::new());
    if let Some(rec) = reviewed {
        if let Some(rate) = sample_rate(&rec.origin) {
            let ms = |frame: u64| frame * 1000 / rate as u64;
            for event in v.recording_events(&rec.id)? {
                match event.kind {
                    RecordingEventKind::Marker { label } => markers.push(MarkView { at_ms: ms(event.at_frame), label }),
                    RecordingEventKind::Phase { phase } => {
                        if let Some(phase) = review_phase(phase) {
                            phases.push(PhaseView { at_ms: ms(event.at_frame), phase });
                        }
                    }
                    _ => {}
                }
            }
            if let Some(stream) = &rec.peaks_stream_id {
                use base64::Engine;
                let bytes = zeroize::Zeroizing::new(v.read_stream(stream)?);
                peaks = Some(PeaksView {
                    sample_rate: rate,
                    frames_per_peak: relato_capture::level::PEAK_FRAMES as u32,
                    data_base64: base64::engine::general_purpose::STANDARD.encode(&*bytes),
                });
            }
        }
    }
    let names = v.user_names();
    let transcript = v.transcript(&session.id)?.map(|t| transcript_view(&t, &names)).transpose()?;
    let (current, damaged) = stored::current_annotations(v, &session.id)?;
    let annotations = current.iter().map(|(a, _)| annotation_view(a, &names)).collect::<Result<Vec<_>, _>>()?;
    Ok(ReviewData {
        recording_id: reviewed.map(|r| r.id.clone()),
        session,
        recordings: views,
        peaks,
        markers,
        phases,
        transcript,
        annotations,
        damaged_annotations: damaged as u32,
        vocabulary: stored::vocabulary(v)?.entries(),
        may_edit: v.me().role.may_review(),
        may_add_codes: v.me().role == relato_vault::Role::Administrator,
    })
}

fn sample_rate(origin: &Origin) -> Option<u32> {
    match origin {
        Origin::Captured { format, .. } => Some(format.sample_rate),
        Origin::Imported { format, .. } => format.map(|f| f.sample_rate),
    }
    .filter(|&r| r > 0)
}

/// The vault's phase as the review crate names it (the same four).
fn review_phase(phase: relato_vault::Phase) -> Option<Phase> {
    serde_json::to_value(phase).ok().and_then(|v| serde_json::from_value(v).ok())
}

fn recording_view(r: &relato_vault::Recording) -> RecordingView {
    let (origin, file_name) = match &r.origin {
        Origin::Captured { .. } => ("captured", None),
        Origin::Imported { file_name, .. } => ("imported", Some(file_name.clone())),
    };
    RecordingView {
        id: r.id.clone(),
        origin: origin.into(),
        started_at: r.started_at.clone(),
        duration_ms: r.end.as_ref().map_or(0, |e| e.duration_ms),
        sealed: r.end.is_some(),
        sha256: r.end.as_ref().map(|e| e.sha256_original.clone()),
        file_name,
    }
}

fn transcript_view(t: &TranscriptRevision, names: &dyn Fn(&str) -> String) -> Result<TranscriptView, CommandError> {
    Ok(TranscriptView {
        rev: t.rev,
        saved_at: t.saved_at.clone(),
        author: names(&t.author),
        sha256: t.sha256.clone(),
        source: t.source.clone(),
        document: stored::transcript_of(t)?,
    })
}

fn annotation_view(a: &AnnotationRevision, names: &dyn Fn(&str) -> String) -> Result<AnnotationView, CommandError> {
    let x = stored::annotation_of(a)?;
    Ok(AnnotationView {
        id: a.annotation_id.clone(),
        rev: a.rev,
        saved_at: a.saved_at.clone(),
        author: names(&a.author),
        sha256: a.sha256.clone(),
        deleted: a.deleted,
        tier: x.tier,
        start_ms: x.start_ms,
        end_ms: x.end_ms,
        code: x.code,
        segment_id: x.segment_id,
        note: x.note,
        target_id: x.target_id,
    })
}

/// The latest saved transcript, or an empty one.
fn latest_transcript(v: &Vault, session_id: &str) -> Result<Transcript, CommandError> {
    Ok(stored::latest_transcript(v, session_id)?.map(|(_, t)| t).unwrap_or_default())
}

/// The session's current annotations (damaged ones left out).
fn current_annotations(v: &Vault, session_id: &str) -> Result<Vec<Annotation>, CommandError> {
    Ok(stored::current_annotations(v, session_id)?.0.into_iter().map(|(_, a)| a).collect())
}

/// Saves `document` as the next revision after checking it.
pub fn save_transcript(v: &Vault, session_id: &str, document: Transcript) -> Result<TranscriptView, CommandError> {
    let saved = stored::save_transcript(v, session_id, document, None)?;
    transcript_view(&saved, &v.user_names())
}

pub fn transcript_revisions(v: &Vault, session_id: &str) -> Result<Vec<RevisionSummary>, CommandError> {
    let session = v.session(session_id)?;
    let names = v.user_names();
    let mut out = Vec::new();
    for t in v.transcript_revisions(&session.id)? {
        let t = t?;
        let segments = t.document.get("segments").and_then(|s| s.as_array()).map_or(0, |s| s.len() as u32);
        out.push(RevisionSummary { rev: t.rev, saved_at: t.saved_at, author: names(&t.author), sha256: t.sha256, source: t.source, segments });
    }
    Ok(out)
}

pub fn transcript_revision(v: &Vault, session_id: &str, rev: u32) -> Result<TranscriptView, CommandError> {
    let session = v.session(session_id)?;
    let t = v
        .transcript_at(&session.id, rev)?
        .ok_or_else(|| VaultError::RecordNotFound { kind: "transcript revision", id: format!("{}/{rev}", session.id) })?;
    transcript_view(&t, &v.user_names())
}

/// Saves a new annotation (`id` = `None`) or the next revision of one,
/// after checking it against the vocabulary and the saved transcript.
pub fn save_annotation(v: &Vault, session_id: &str, id: Option<&str>, input: AnnotationInput) -> Result<AnnotationView, CommandError> {
    let annotation = Annotation {
        id: String::new(),
        tier: input.tier,
        start_ms: input.start_ms,
        end_ms: input.end_ms,
        code: input.code,
        segment_id: input.segment_id,
        note: input.note,
        target_id: input.target_id,
    };
    let saved = stored::save_annotation(v, session_id, id, annotation)?;
    annotation_view(&saved, &v.user_names())
}

pub fn delete_annotation(v: &Vault, session_id: &str, id: &str) -> Result<(), CommandError> {
    let session = v.session(session_id)?;
    v.delete_annotation(&session.id, id)?;
    Ok(())
}

pub fn annotation_history(v: &Vault, session_id: &str, id: &str) -> Result<Vec<AnnotationView>, CommandError> {
    let session = v.session(session_id)?;
    let names = v.user_names();
    v.annotation_history(&session.id, id)?.into_iter().map(|a| annotation_view(&a?, &names)).collect()
}

/// Adds a code to a tier's vocabulary, or revises an added one whose
/// meaning no annotation relies on yet.
pub fn save_vocabulary_code(v: &Vault, tier: Tier, code: &str, texts: AddedCode) -> Result<vocabulary::Entry, CommandError> {
    let saved = stored::save_vocabulary_code(v, tier, code, &texts)?;
    let entry = Vocabulary::with_added([(tier, saved.code, texts.trimmed())]).entries().into_iter().find(|e| e.added);
    Ok(entry.expect("the added code is listed"))
}

/// The panel's figures for `document` (the latest saved one when `None`).
pub fn quality_report(v: &Vault, session_id: &str, document: Option<Transcript>) -> Result<QualityReport, CommandError> {
    let session = v.session(session_id)?;
    let transcript = match document {
        Some(t) => t,
        None => latest_transcript(v, &session.id)?,
    };
    Ok(relato_review::report(&transcript, &current_annotations(v, &session.id)?, &stored::phases(v, &session.id)?))
}

pub fn search_session(v: &Vault, session_id: &str, query: &str, document: Option<Transcript>) -> Result<Vec<relato_review::Match>, CommandError> {
    let session = v.session(session_id)?;
    let transcript = match document {
        Some(t) => t,
        None => latest_transcript(v, &session.id)?,
    };
    Ok(relato_review::search(query, &transcript.segments, &current_annotations(v, &session.id)?))
}

/// Suggestions for the interviewer's segments of `document`.
pub fn prompt_suggestions(document: &Transcript, language: &str) -> Vec<relato_review::SegmentSuggestion> {
    let lang = if language == "en" { Lang::En } else { Lang::Es };
    relato_review::suggest_transcript(document, lang)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::custody::session_custody;
    use crate::listening::ListeningService;
    use crate::service::VaultService;
    use relato_capture::{CapturedOutput, FakeSource, Pace, Recorder, RecorderOptions};
    use relato_review::{Segment, Speaker};
    use relato_vault::{AudioFormat, SampleFormat};
    use std::time::{Duration, Instant};

    /// A vault with one session holding a 4-second capture (16 kHz mono)
    /// with a marker at 1 s and the free narrative from 2 s.
    fn recorded_session(dir: &tempfile::TempDir) -> (VaultService, String) {
        let (vaults, session) = crate::recording::tests::vault_with_session(dir);
        let format = AudioFormat { sample_rate: 16_000, channels: 1, sample_format: SampleFormat::I16 };
        let source = FakeSource { format, pace: Pace::RealTime, total_frames: Some(64_000) };
        let vault = vaults.take_vault().unwrap();
        let rec = Recorder::start(vault, &session, Box::new(source), RecorderOptions::default()).map_err(|(_, e)| e).unwrap();
        wait_frames(&rec, 16_000);
        rec.marker(None).unwrap();
        wait_frames(&rec, 32_000);
        rec.phase(relato_vault::Phase::FreeNarrative).unwrap();
        wait_frames(&rec, 64_000);
        let (vault, result) = rec.stop();
        result.unwrap();
        vaults.give_back(vault);
        (vaults, session)
    }

    fn rec_frames(rec: &Recorder) -> u64 {
        rec.shared().captured_frames.load(std::sync::atomic::Ordering::Acquire)
    }

    fn wait_frames(rec: &Recorder, n: u64) {
        while rec_frames(rec) < n {
            std::thread::sleep(Duration::from_millis(2));
        }
    }

    fn segment(id: &str, start: u64, end: u64, speaker: Speaker, text: &str) -> Segment {
        Segment::new(id, start, end, speaker, text)
    }

    fn transcript() -> Transcript {
        Transcript {
            segments: vec![
                segment("s1", 0, 1_500, Speaker::Interviewer, "Cuéntame todo lo que pasó."),
                segment("s2", 1_500, 3_000, Speaker::Child, "Había una cámara en la repisa."),
                segment("s3", 3_000, 4_000, Speaker::Interviewer, "¿Era de día o de noche?"),
            ],
        }
    }

    fn input(tier: Tier, code: &str, segment: Option<&str>, note: Option<&str>) -> AnnotationInput {
        AnnotationInput {
            tier,
            start_ms: 1_500,
            end_ms: 3_000,
            code: code.into(),
            segment_id: segment.map(Into::into),
            note: note.map(Into::into),
            target_id: None,
        }
    }

    fn events(vaults: &VaultService, session: &str) -> Vec<String> {
        vaults.with_vault(|v| session_custody(v, session)).unwrap().into_iter().map(|e| e.event).collect()
    }

    #[test]
    fn the_review_data_carry_the_recordings_peaks_markers_and_phases() {
        let dir = tempfile::tempdir().unwrap();
        let (vaults, session) = recorded_session(&dir);
        let view = vaults.session(&session).unwrap();
        let data = vaults.with_vault(|v| review_data(v, view)).unwrap();
        assert_eq!(data.recordings.len(), 1);
        assert_eq!(data.recordings[0].duration_ms, 4_000);
        assert_eq!(data.recording_id.as_deref(), Some(data.recordings[0].id.as_str()));
        let peaks = data.peaks.expect("a capture has peaks");
        use base64::Engine;
        let bytes = base64::engine::general_purpose::STANDARD.decode(peaks.data_base64).unwrap();
        assert_eq!((peaks.sample_rate, peaks.frames_per_peak), (16_000, 480));
        assert_eq!(bytes.len(), 2 * 64_000usize.div_ceil(480), "one (min, max) pair per 480 frames");
        assert_eq!(data.markers.len(), 1);
        assert!((1_000..1_100).contains(&data.markers[0].at_ms), "{:?}", data.markers);
        assert_eq!(data.phases.len(), 1);
        assert_eq!(data.phases[0].phase, Phase::FreeNarrative);
        assert!(data.transcript.is_none() && data.annotations.is_empty());
        assert!(data.may_edit);
        assert!(data.vocabulary.iter().any(|c| c.code == "camera_or_recording_device"));
    }

    #[test]
    fn transcripts_are_checked_before_saving_and_every_save_is_a_revision() {
        let dir = tempfile::tempdir().unwrap();
        let (vaults, session) = recorded_session(&dir);
        let mut bad = transcript();
        bad.segments[2].start_ms = 2_500; // overlaps the child, unmarked
        let err = vaults.with_vault(|v| save_transcript(v, &session, bad)).unwrap_err();
        assert_eq!(err.code, "review.segment_overlap_unmarked");
        assert_eq!(err.args.get("segment"), Some(&serde_json::json!("s3")));
        assert!(vaults.with_vault(|v| transcript_revisions(v, &session)).unwrap().is_empty(), "a refused save stores nothing");

        let first = vaults.with_vault(|v| save_transcript(v, &session, transcript())).unwrap();
        assert_eq!((first.rev, first.author.as_str()), (1, "Ana"), "authors are shown by login name");
        let mut edited = transcript();
        edited.segments[1].text = "Había una cámara roja en la repisa.".into();
        edited.segments[1].label = Some("  ".into());
        let second = vaults.with_vault(|v| save_transcript(v, &session, edited.clone())).unwrap();
        assert_eq!(second.rev, 2);
        assert_ne!(first.sha256, second.sha256);
        assert_eq!(second.document, edited_without_blank_label(edited));
        let revisions = vaults.with_vault(|v| transcript_revisions(v, &session)).unwrap();
        assert_eq!(revisions.iter().map(|r| (r.rev, r.segments)).collect::<Vec<_>>(), [(1, 3), (2, 3)]);
        assert_eq!(vaults.with_vault(|v| transcript_revision(v, &session, 1)).unwrap(), first, "earlier revisions stay readable");
        assert_eq!(vaults.with_vault(|v| transcript_revision(v, &session, 9)).unwrap_err().code, "record.not_found");
        assert_eq!(events(&vaults, &session).iter().filter(|e| *e == "TRANSCRIPT_SAVED").count(), 2);
    }

    fn edited_without_blank_label(mut t: Transcript) -> Transcript {
        t.segments[1].label = None;
        t
    }

    #[test]
    fn annotations_are_checked_versioned_deleted_with_history_and_logged() {
        let dir = tempfile::tempdir().unwrap();
        let (vaults, session) = recorded_session(&dir);
        let save = |id: Option<&str>, i: AnnotationInput| vaults.with_vault(|v| save_annotation(v, &session, id, i));
        assert_eq!(
            save(None, input(Tier::PromptType, "invitation", Some("s1"), None)).unwrap_err().code,
            "review.annotation_unknown_segment",
            "no transcript saved yet"
        );
        vaults.with_vault(|v| save_transcript(v, &session, transcript())).unwrap();
        assert_eq!(save(None, input(Tier::PromptType, "invitation", Some("s2"), None)).unwrap_err().code, "review.annotation_not_interviewer");
        assert_eq!(save(None, input(Tier::Indicators, "invitation", None, None)).unwrap_err().code, "review.annotation_unknown_code");
        assert_eq!(save(None, input(Tier::Notes, "note", None, Some(" "))).unwrap_err().code, "review.annotation_note_required");

        let prompt = save(None, input(Tier::PromptType, "option_posing", Some("s3"), None)).unwrap();
        let camera = save(None, input(Tier::Indicators, "camera_or_recording_device", Some("s2"), Some("en la repisa"))).unwrap();
        assert_eq!((camera.rev, camera.note.as_deref()), (1, Some("en la repisa")));
        let comment = AnnotationInput { target_id: Some(camera.id.clone()), ..input(Tier::Notes, "note", None, Some("Preguntar el color")) };
        let note = save(None, comment.clone()).unwrap();
        assert_eq!(note.target_id.as_deref(), Some(camera.id.as_str()));
        let stray = AnnotationInput { target_id: Some("nada".into()), ..comment };
        let err = save(None, stray).unwrap_err();
        assert_eq!((err.code.as_str(), err.args.get("annotation")), ("review.annotation_unknown_target", Some(&serde_json::json!("nada"))));

        // One type per prompt: a second classification is refused, a revision is not.
        let err = save(None, input(Tier::PromptType, "suggestive", Some("s3"), None)).unwrap_err();
        assert_eq!((err.code.as_str(), err.args.get("annotation")), ("review.annotation_segment_classified", Some(&serde_json::json!(prompt.id))));
        let reclassified = save(Some(&prompt.id), input(Tier::PromptType, "directive", Some("s3"), None)).unwrap();
        assert_eq!((reclassified.id.as_str(), reclassified.rev, reclassified.code.as_str()), (prompt.id.as_str(), 2, "directive"));
        vaults.with_vault(|v| delete_annotation(v, &session, &note.id)).unwrap();

        let view = vaults.session(&session).unwrap();
        let data = vaults.with_vault(|v| review_data(v, view)).unwrap();
        let mut listed: Vec<_> = data.annotations.iter().map(|a| (a.code.as_str(), a.rev)).collect();
        listed.sort();
        assert_eq!(listed, [("camera_or_recording_device", 1), ("directive", 2)]);
        let history = vaults.with_vault(|v| annotation_history(v, &session, &note.id)).unwrap();
        assert_eq!(history.iter().map(|a| (a.rev, a.deleted)).collect::<Vec<_>>(), [(1, false), (2, true)]);
        let logged = events(&vaults, &session);
        assert_eq!(logged.iter().filter(|e| *e == "ANNOTATION_SAVED").count(), 4);
        assert_eq!(logged.iter().filter(|e| *e == "ANNOTATION_DELETED").count(), 1);
    }

    #[test]
    fn the_figures_follow_the_editors_transcript_and_the_annotations() {
        let dir = tempfile::tempdir().unwrap();
        let (vaults, session) = recorded_session(&dir);
        vaults.with_vault(|v| save_transcript(v, &session, transcript())).unwrap();
        let report = |doc: Option<Transcript>| vaults.with_vault(|v| quality_report(v, &session, doc)).unwrap();
        let saved = report(None);
        assert_eq!((saved.child.ms, saved.child.words), (1_500, 6));
        assert_eq!(saved.invitation_share.prompts, 0);
        // The panel follows unsaved typing.
        let mut typing = transcript();
        typing.segments[1].text.push_str(" Y una luz.");
        assert_eq!(report(Some(typing)).child.words, 9);
        // s3 falls in the free narrative (phase from 2 s): an interviewer turn there.
        assert_eq!(saved.free_narrative_interviewer_turns.count, 1);
        let save = |i| vaults.with_vault(|v| save_annotation(v, &session, None, i)).unwrap();
        save(input(Tier::PromptType, "invitation", Some("s1"), None));
        save(input(Tier::PromptType, "option_posing", Some("s3"), None));
        let coded = report(None);
        assert_eq!((coded.invitation_share.invitations, coded.invitation_share.prompts), (1, 2));
        assert_eq!(coded.first_option_posing_or_suggestive.map(|f| f.segment_id), Some("s3".into()));

        let found = vaults.with_vault(|v| search_session(v, &session, "CAMARA", None)).unwrap();
        assert_eq!(found.len(), 1, "accent- and case-insensitive");
        let suggestions = prompt_suggestions(&transcript(), "es");
        let kinds: Vec<_> = suggestions.iter().map(|s| (s.segment_id.as_str(), s.kind.code())).collect();
        assert_eq!(kinds, [("s1", "invitation"), ("s3", "option_posing")]);
    }

    #[test]
    fn listening_plays_the_sealed_original_and_logs_what_was_heard_once() {
        let dir = tempfile::tempdir().unwrap();
        let (vaults, session) = recorded_session(&dir);
        let output = CapturedOutput::new(4.0);
        let out = output.clone();
        let listening = ListeningService::new(Box::new(move || Box::new(out.clone())));
        let recording = vaults.with_vault(|v| Ok(v.recordings(&session)?)).unwrap().remove(0).unwrap();
        assert_eq!(listening.play(0).unwrap_err().code, "app.player_not_open");
        let opened = listening.open(&vaults, &recording.id).unwrap();
        assert_eq!((opened.position_ms, opened.duration_ms, opened.playing), (0, 4_000, false));
        listening.seek(1_000).unwrap();
        listening.play(0).unwrap();
        let start = Instant::now();
        while listening.status().unwrap().position_ms < 2_000 {
            assert!(start.elapsed() < Duration::from_secs(10), "{:?}", listening.status());
            std::thread::sleep(Duration::from_millis(5));
        }
        listening.pause().unwrap();
        assert!(out_heard(&output), "audio reached the output");
        assert!(!events(&vaults, &session).contains(&"PLAYBACK".to_owned()), "logged at close, not per second");
        assert!(listening.close(&vaults).unwrap());
        assert!(!listening.close(&vaults).unwrap(), "closing twice logs once");
        let lines = vaults.with_vault(|v| session_custody(v, &session)).unwrap();
        let playback: Vec<_> = lines.iter().filter(|e| e.event == "PLAYBACK").collect();
        assert_eq!(playback.len(), 1);
        let details: serde_json::Value = serde_json::from_str(&playback[0].details).unwrap();
        let range = &details["ranges_ms"][0];
        assert_eq!(range[0], 1_000);
        assert!((2_000..2_600).contains(&range[1].as_u64().unwrap()), "{details}");

        // A hand-over of the case's evidence shows in every session's list, with its purpose.
        let case_id = vaults.with_vault(|v| Ok(v.session(&session)?.case_id)).unwrap();
        crate::custody::tests::log_delivery(&vaults, &case_id);
        let lines = vaults.with_vault(|v| session_custody(v, &session)).unwrap();
        let entrega = lines.iter().find(|e| e.event == "ENTREGA").expect("the hand-over is listed");
        let details: serde_json::Value = serde_json::from_str(&entrega.details).unwrap();
        assert_eq!((details["purpose"].as_str(), details["seal"].as_str()), (Some("carpeta de investigación"), Some("SELLO-7")));
    }

    #[test]
    fn administrators_add_codes_that_annotations_can_use_and_a_used_code_keeps_its_meaning() {
        let dir = tempfile::tempdir().unwrap();
        let (vaults, session) = recorded_session(&dir);
        vaults.with_vault(|v| save_transcript(v, &session, transcript())).unwrap();
        let texts = |definition_es: &str| AddedCode {
            label_es: "Vehículo".into(),
            label_en: "Vehicle".into(),
            definition_es: definition_es.into(),
            definition_en: "A car or van.".into(),
        };
        let save_code = |t: AddedCode| vaults.with_vault(|v| save_vocabulary_code(v, Tier::Indicators, "vehicle", t));
        let annotate = || vaults.with_vault(|v| save_annotation(v, &session, None, input(Tier::Indicators, "vehicle", None, None)));
        assert_eq!(annotate().unwrap_err().code, "review.annotation_unknown_code");
        let added = save_code(texts("Un coche o camioneta.")).unwrap();
        assert!(added.added && added.label_en == "Vehicle");
        // Not used yet: the definition may still be corrected.
        save_code(texts("Un coche, camioneta o autobús.")).unwrap();
        let view = vaults.session(&session).unwrap();
        let data = vaults.with_vault(|v| review_data(v, view)).unwrap();
        assert!(data.may_add_codes);
        let listed = data.vocabulary.iter().find(|e| e.code == "vehicle").unwrap();
        assert_eq!(listed.definition_es, "Un coche, camioneta o autobús.");

        annotate().unwrap();
        let err = save_code(texts("Cualquier medio de transporte.")).unwrap_err();
        assert_eq!((err.code.as_str(), err.args.get("code")), ("review.vocabulary_code_in_use", Some(&serde_json::json!("vehicle"))));
        save_code(texts("Un coche, camioneta o autobús.")).expect("the same meaning may be saved again");
        let seeded = vaults.with_vault(|v| save_vocabulary_code(v, Tier::Indicators, "places", texts("x")));
        assert_eq!(seeded.unwrap_err().code, "review.vocabulary_code_seeded");
        let fixed = vaults.with_vault(|v| save_vocabulary_code(v, Tier::PromptType, "leading", texts("x")));
        assert_eq!(fixed.unwrap_err().code, "review.vocabulary_tier_fixed");
    }

    fn out_heard(output: &CapturedOutput) -> bool {
        output.played.lock().unwrap().iter().any(|&s| s.abs() > 0.01)
    }
}

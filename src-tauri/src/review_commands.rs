//! Commands of the review workspace: thin adapters over [`crate::review`]
//! and the [`ListeningService`], plus the ticker that sends the player's
//! position to the window while a recording is open.

use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use relato_review::{Match, QualityReport, SegmentSuggestion, Transcript};
use tauri::{AppHandle, Manager, State};
use tauri_specta::Event;

use crate::custody::{self, CaseCustodyView, CustodyEntryView};
use crate::error::CommandError;
use crate::events::PlayerStatusEvent;
use crate::listening::{ListeningService, PlayerView};
use crate::review::{self, AnnotationInput, AnnotationView, ReviewData, RevisionSummary, TranscriptView};
use crate::service::VaultService;

/// How often the ticker sends the player's position (25 times a second);
/// the window interpolates between updates.
pub const PLAYER_INTERVAL: Duration = Duration::from_millis(40);

/// Sends [`PlayerStatusEvent`] while a recording is open; runs for the app's life.
pub fn spawn_player_ticker(app: AppHandle) {
    std::thread::Builder::new()
        .name("relato-player-status".into())
        .spawn(move || loop {
            std::thread::sleep(PLAYER_INTERVAL);
            if let Some(status) = app.state::<ListeningService>().status() {
                let _ = PlayerStatusEvent { status }.emit(&app);
            }
        })
        .expect("the operating system can start a thread");
}

/// The session, its reviewed recording (peaks, markers, phases), the
/// latest transcript, the annotations and the vocabulary.
#[tauri::command]
#[specta::specta]
pub async fn review_session(vault: State<'_, VaultService>, session_id: String) -> Result<ReviewData, CommandError> {
    let session = vault.session(&session_id)?;
    vault.with_vault(|v| review::review_data(v, session))
}

/// Saves the transcript as a new revision.
#[tauri::command]
#[specta::specta]
pub async fn save_transcript(vault: State<'_, VaultService>, session_id: String, document: Transcript) -> Result<TranscriptView, CommandError> {
    vault.with_vault(|v| review::save_transcript(v, &session_id, document))
}

#[tauri::command]
#[specta::specta]
pub async fn transcript_revisions(vault: State<'_, VaultService>, session_id: String) -> Result<Vec<RevisionSummary>, CommandError> {
    vault.with_vault(|v| review::transcript_revisions(v, &session_id))
}

#[tauri::command]
#[specta::specta]
pub async fn transcript_revision(vault: State<'_, VaultService>, session_id: String, rev: u32) -> Result<TranscriptView, CommandError> {
    vault.with_vault(|v| review::transcript_revision(v, &session_id, rev))
}

/// Saves a new annotation (`annotation_id` null) or a new revision of one.
#[tauri::command]
#[specta::specta]
pub async fn save_annotation(
    vault: State<'_, VaultService>,
    session_id: String,
    annotation_id: Option<String>,
    input: AnnotationInput,
) -> Result<AnnotationView, CommandError> {
    vault.with_vault(|v| review::save_annotation(v, &session_id, annotation_id.as_deref(), input))
}

/// Deletes an annotation: a revision marked deleted; its history stays.
#[tauri::command]
#[specta::specta]
pub async fn delete_annotation(vault: State<'_, VaultService>, session_id: String, annotation_id: String) -> Result<(), CommandError> {
    vault.with_vault(|v| review::delete_annotation(v, &session_id, &annotation_id))
}

#[tauri::command]
#[specta::specta]
pub async fn annotation_history(
    vault: State<'_, VaultService>,
    session_id: String,
    annotation_id: String,
) -> Result<Vec<AnnotationView>, CommandError> {
    vault.with_vault(|v| review::annotation_history(v, &session_id, &annotation_id))
}

/// Prompt-type proposals for the interviewer's segments; never applied.
#[tauri::command]
#[specta::specta]
pub async fn prompt_suggestions(document: Transcript, language: String) -> Result<Vec<SegmentSuggestion>, CommandError> {
    Ok(review::prompt_suggestions(&document, &language))
}

/// The quality panel's figures for the editor's transcript (or the saved one).
#[tauri::command]
#[specta::specta]
pub async fn quality_report(
    vault: State<'_, VaultService>,
    session_id: String,
    document: Option<Transcript>,
) -> Result<QualityReport, CommandError> {
    vault.with_vault(|v| review::quality_report(v, &session_id, document))
}

/// Accent-insensitive search in the transcript and the annotations' notes.
#[tauri::command]
#[specta::specta]
pub async fn search_session(
    vault: State<'_, VaultService>,
    session_id: String,
    query: String,
    document: Option<Transcript>,
) -> Result<Vec<Match>, CommandError> {
    vault.with_vault(|v| review::search_session(v, &session_id, &query, document))
}

#[tauri::command]
#[specta::specta]
pub async fn session_custody(vault: State<'_, VaultService>, session_id: String) -> Result<Vec<CustodyEntryView>, CommandError> {
    vault.with_vault(|v| custody::session_custody(v, &session_id))
}

/// A case's whole chain of custody, checked line by line.
#[tauri::command]
#[specta::specta]
pub async fn case_custody(vault: State<'_, VaultService>, case_id: String) -> Result<CaseCustodyView, CommandError> {
    vault.with_vault(|v| custody::case_custody(v, &case_id))
}

/// Opens a sealed recording for listening, paused at the start.
#[tauri::command]
#[specta::specta]
pub async fn player_open(
    vault: State<'_, VaultService>,
    listening: State<'_, ListeningService>,
    recording_id: String,
) -> Result<PlayerView, CommandError> {
    listening.open(&vault, &recording_id)
}

/// Plays, `rewind_ms` before where it paused (the auto-rewind).
#[tauri::command]
#[specta::specta]
pub async fn player_play(listening: State<'_, ListeningService>, rewind_ms: u32) -> Result<PlayerView, CommandError> {
    listening.play(rewind_ms.into())
}

#[tauri::command]
#[specta::specta]
pub async fn player_pause(listening: State<'_, ListeningService>) -> Result<PlayerView, CommandError> {
    listening.pause()
}

#[tauri::command]
#[specta::specta]
pub async fn player_seek(listening: State<'_, ListeningService>, position_ms: u32) -> Result<PlayerView, CommandError> {
    listening.seek(position_ms.into())
}

/// 0.5–2.0, pitch kept.
#[tauri::command]
#[specta::specta]
pub async fn player_speed(listening: State<'_, ListeningService>, speed: f32) -> Result<PlayerView, CommandError> {
    listening.speed(speed)
}

#[tauri::command]
#[specta::specta]
pub async fn player_status(listening: State<'_, ListeningService>) -> Result<Option<PlayerView>, CommandError> {
    Ok(listening.status())
}

/// Stops listening; what was heard becomes one `PLAYBACK` custody line.
#[tauri::command]
#[specta::specta]
pub async fn player_close(vault: State<'_, VaultService>, listening: State<'_, ListeningService>) -> Result<(), CommandError> {
    listening.close(&vault).map(|_| ())
}

/// Adds a code to the indicators, or revises an added code no annotation
/// uses yet. Administrators only.
#[tauri::command]
#[specta::specta]
pub async fn save_vocabulary_code(
    vault: State<'_, VaultService>,
    tier: relato_review::Tier,
    code: String,
    texts: relato_review::vocabulary::AddedCode,
) -> Result<relato_review::vocabulary::Entry, CommandError> {
    vault.with_vault(|v| review::save_vocabulary_code(v, tier, code.trim(), texts))
}

/// Whether the review screen holds transcript edits not yet saved as a
/// revision, as the window last said: closing the window then asks the
/// reviewer first (save, discard or stay) instead of losing the typing.
static UNSAVED_TRANSCRIPT: AtomicBool = AtomicBool::new(false);

pub fn unsaved_transcript() -> bool {
    UNSAVED_TRANSCRIPT.load(Ordering::SeqCst)
}

/// The window says whether it holds unsaved transcript edits.
#[tauri::command]
#[specta::specta]
pub fn review_mark_unsaved(unsaved: bool) {
    UNSAVED_TRANSCRIPT.store(unsaved, Ordering::SeqCst);
}

/// Closes the window once the reviewer has saved or discarded: the close
/// goes through the same handler (which logs what was heard).
#[tauri::command]
#[specta::specta]
pub fn close_window(window: tauri::Window) -> Result<(), CommandError> {
    UNSAVED_TRANSCRIPT.store(false, Ordering::SeqCst);
    window.close().map_err(|e| CommandError::new("app.ipc", e.to_string()))
}


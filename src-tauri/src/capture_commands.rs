//! Commands of the recording screens: thin adapters over
//! [`RecordingService`], plus the status ticker that sends the window the
//! level meter and elapsed time about 20 times a second.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use tauri::{AppHandle, Manager, State};
use tauri_specta::Event;

use crate::error::CommandError;
use crate::events::CaptureStatus;
use crate::dto::DeviceView;
use crate::recording::{CheckResult, LiveStatus, Mark, RecordingService, RecordingStarted, RecordingSummary, RecoveredView};
use crate::service::VaultService;

/// How often the ticker sends the status: the meter's own window is 50 ms.
pub const STATUS_INTERVAL: Duration = Duration::from_millis(50);

/// Sends [`CaptureStatus`] while an input is open; runs for the app's life.
pub fn spawn_status_ticker(app: AppHandle) {
    std::thread::Builder::new()
        .name("relato-status".into())
        .spawn(move || loop {
            std::thread::sleep(STATUS_INTERVAL);
            let Some(status) = app.state::<RecordingService>().status() else { continue };
            let sent_at_ms = SystemTime::now().duration_since(UNIX_EPOCH).map_or(0.0, |d| d.as_secs_f64() * 1000.0);
            let _ = CaptureStatus { status, sent_at_ms }.emit(&app);
        })
        .expect("the operating system can start a thread");
}

/// Every input device, with the format Relato would record in.
#[tauri::command]
#[specta::specta]
pub async fn list_devices(recording: State<'_, RecordingService>) -> Result<Vec<DeviceView>, CommandError> {
    recording.devices()
}

/// Opens an input for the live meter and a 5-second test in memory.
#[tauri::command]
#[specta::specta]
pub async fn start_check(
    vault: State<'_, VaultService>,
    recording: State<'_, RecordingService>,
    device: Option<String>,
) -> Result<(), CommandError> {
    vault.with_vault(|_| Ok(()))?;
    recording.start_check(device.as_deref())
}

#[tauri::command]
#[specta::specta]
pub async fn finish_check(vault: State<'_, VaultService>, recording: State<'_, RecordingService>) -> Result<CheckResult, CommandError> {
    vault.with_vault(|_| Ok(()))?;
    recording.finish_check()
}

/// The test as a base64 WAV, for playback from memory (a `blob:` URL).
/// Like the check, only while the vault is unlocked.
#[tauri::command]
#[specta::specta]
pub async fn test_audio(vault: State<'_, VaultService>, recording: State<'_, RecordingService>) -> Result<String, CommandError> {
    use base64::Engine;
    vault.with_vault(|_| Ok(()))?;
    let wav = zeroize::Zeroizing::new(recording.test_audio()?);
    Ok(base64::engine::general_purpose::STANDARD.encode(&*wav))
}

#[tauri::command]
#[specta::specta]
pub async fn cancel_check(recording: State<'_, RecordingService>) -> Result<(), CommandError> {
    recording.cancel_check();
    Ok(())
}

/// Starts recording a session; the vault belongs to the recorder until stop.
#[tauri::command]
#[specta::specta]
pub async fn start_recording(
    vault: State<'_, VaultService>,
    recording: State<'_, RecordingService>,
    session_id: String,
    device: Option<String>,
) -> Result<RecordingStarted, CommandError> {
    recording.start(&vault, &session_id, device.as_deref())
}

/// The open input's status now (also sent by the ticker), if any.
#[tauri::command]
#[specta::specta]
pub async fn capture_status(recording: State<'_, RecordingService>) -> Result<Option<LiveStatus>, CommandError> {
    Ok(recording.status())
}

#[tauri::command]
#[specta::specta]
pub async fn place_marker(recording: State<'_, RecordingService>) -> Result<Mark, CommandError> {
    recording.marker()
}

/// A phase boundary: 1 rapport, 2 free narrative, 3 clarification, 4 closing.
#[tauri::command]
#[specta::specta]
pub async fn mark_phase(recording: State<'_, RecordingService>, number: u8) -> Result<Mark, CommandError> {
    recording.phase(number)
}

/// Continues the recording on another input of the same format.
#[tauri::command]
#[specta::specta]
pub async fn switch_device(recording: State<'_, RecordingService>, name: String) -> Result<(), CommandError> {
    recording.switch_device(&name)
}

/// Stops, seals and returns the summary; the vault comes back.
#[tauri::command]
#[specta::specta]
pub async fn stop_recording(vault: State<'_, VaultService>, recording: State<'_, RecordingService>) -> Result<RecordingSummary, CommandError> {
    recording.stop(&vault)
}

/// Recordings sealed as recovered at the last unlock, once.
#[tauri::command]
#[specta::specta]
pub async fn recovered_recordings(recording: State<'_, RecordingService>) -> Result<Vec<RecoveredView>, CommandError> {
    recording.take_recovered()
}

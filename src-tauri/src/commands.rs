//! Tauri commands: thin adapters from IPC to the services in app state.
//! Each command is listed in `bindings::builder` (which also generates its
//! TypeScript wrapper), in `build.rs` (COMMANDS) and permitted in
//! `permissions/relato-ui.toml`.
//!
//! Commands are `async` so that they run off the main thread: Argon2id or a
//! slow disk must not freeze the window.

use tauri::{AppHandle, State};
use tauri_specta::Event;

use crate::dto::{
    AboutInfo, CaseInput, CaseList, CaseView, CreatedVault, LockReason, MeView, NewVaultInput, SessionInput, SessionList,
    SessionView, VaultStatus,
};
use crate::error::CommandError;
use crate::events::VaultLocked;
use crate::listening::ListeningService;
use crate::recording::RecordingService;
use crate::service::VaultService;

/// Where the vault is and whether it is missing, locked or unlocked.
#[tauri::command]
#[specta::specta]
pub async fn vault_status(vault: State<'_, VaultService>) -> Result<VaultStatus, CommandError> {
    vault.status()
}

/// Creates the vault (first run); it stays unlocked as its administrator.
#[tauri::command]
#[specta::specta]
pub async fn create_vault(vault: State<'_, VaultService>, input: NewVaultInput) -> Result<CreatedVault, CommandError> {
    vault.create(input)
}

#[tauri::command]
#[specta::specta]
pub async fn unlock_vault(
    vault: State<'_, VaultService>,
    recording: State<'_, RecordingService>,
    listening: State<'_, ListeningService>,
    name: String,
    passphrase: String,
) -> Result<MeView, CommandError> {
    let me = vault.unlock(&name, passphrase)?;
    // Listening that could not be logged before the lock is logged now.
    listening.flush(&vault);
    // Recordings whose recorder died are sealed now; the window asks
    // `recovered_recordings` for the notice.
    recording.recover_at_unlock(&vault);
    Ok(me)
}

/// Drops the unlocked vault and tells the window.
#[tauri::command]
#[specta::specta]
pub async fn lock_vault(
    app: AppHandle,
    vault: State<'_, VaultService>,
    recording: State<'_, RecordingService>,
    listening: State<'_, ListeningService>,
    reason: LockReason,
) -> Result<bool, CommandError> {
    // The input check closes with the vault, and its test audio is wiped.
    recording.cancel_check();
    // The player stops, and what was heard is logged while the vault is
    // still open; a failure to log must not keep the vault open.
    let _ = listening.close(&vault);
    let was_open = vault.lock();
    if was_open {
        // The window already knows if it asked; other listeners may not.
        let _ = VaultLocked { reason }.emit(&app);
    }
    Ok(was_open)
}

#[tauri::command]
#[specta::specta]
pub async fn list_cases(vault: State<'_, VaultService>) -> Result<CaseList, CommandError> {
    vault.cases()
}

#[tauri::command]
#[specta::specta]
pub async fn get_case(vault: State<'_, VaultService>, id: String) -> Result<CaseView, CommandError> {
    vault.case(&id)
}

#[tauri::command]
#[specta::specta]
pub async fn create_case(vault: State<'_, VaultService>, input: CaseInput) -> Result<CaseView, CommandError> {
    vault.create_case(input)
}

#[tauri::command]
#[specta::specta]
pub async fn list_sessions(vault: State<'_, VaultService>, case_id: String) -> Result<SessionList, CommandError> {
    vault.sessions(&case_id)
}

#[tauri::command]
#[specta::specta]
pub async fn get_session(vault: State<'_, VaultService>, id: String) -> Result<SessionView, CommandError> {
    vault.session(&id)
}

#[tauri::command]
#[specta::specta]
pub async fn create_session(vault: State<'_, VaultService>, input: SessionInput) -> Result<SessionView, CommandError> {
    vault.create_session(input)
}

/// Version, build, vault format and input devices; nothing personal.
#[tauri::command]
#[specta::specta]
pub async fn about(vault: State<'_, VaultService>) -> Result<AboutInfo, CommandError> {
    let home = std::env::var_os("HOME").map(std::path::PathBuf::from);
    Ok(crate::about::about(&vault, home.as_deref(), || relato_capture::input_devices().map_err(CommandError::from)))
}

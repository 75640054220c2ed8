//! Tauri commands: thin adapters from IPC to the services in app state.
//! Each command must also be listed in `build.rs` (COMMANDS) and permitted in
//! `permissions/relato-ui.toml`. The UI mirrors these types in `ui/src/api.ts`.

use tauri::State;

use crate::error::CommandError;
use crate::service::{VaultService, VaultStatus};

/// Where the vault is and whether it exists, is locked, or cannot be read.
///
/// `async` so that it runs off the main thread: a slow or hung disk must not
/// freeze the window.
#[tauri::command]
pub async fn vault_status(vault: State<'_, VaultService>) -> Result<VaultStatus, CommandError> {
    vault.status()
}

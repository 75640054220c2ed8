//! Relato's desktop shell. All logic lives in the library crates (design
//! brief §3.7); this crate only holds services in Tauri state and adapts
//! commands to them.
#![forbid(unsafe_code)]

pub mod commands;
pub mod error;
pub mod service;

pub use error::CommandError;
pub use service::{VaultService, VaultStatus};

/// Builds and runs the application until its last window closes.
pub fn run() {
    tauri::Builder::default()
        .manage(VaultService::from_env())
        .invoke_handler(tauri::generate_handler![commands::vault_status])
        .run(tauri::generate_context!())
        .expect("error while running Relato");
}

//! Events the shell sends to the window. Each is a typed payload (its
//! TypeScript twin and a `listen` helper are in `ui/src/bindings.ts`),
//! emitted through `tauri::Emitter` by `tauri_specta::Event::emit`.
//!
//! `VaultLocked` sends the window back to the unlock screen;
//! `CaptureStatus` carries the level meter, elapsed time, phase, markers and
//! trouble (device lost, disk full, maximum duration near) of the open input.
//! A new event is registered in `bindings::builder`.

use serde::{Deserialize, Serialize};
use specta::Type;

use crate::dto::LockReason;

/// The vault was locked: the window goes back to the unlock screen.
#[derive(Debug, Clone, Serialize, Deserialize, Type, tauri_specta::Event)]
pub struct VaultLocked {
    pub reason: LockReason,
}

/// The level, time and trouble flags of the open input, about 20 times a
/// second (see `capture_commands::spawn_status_ticker`).
#[derive(Debug, Clone, Serialize, Deserialize, Type, tauri_specta::Event)]
pub struct CaptureStatus {
    pub status: crate::recording::LiveStatus,
    /// When it was read, in ms since the Unix epoch: the window measures
    /// the meter's latency from it.
    pub sent_at_ms: f64,
}

/// Where the review player is, about 25 times a second while a recording
/// is open for listening (see `review_commands::spawn_player_ticker`).
#[derive(Debug, Clone, Serialize, Deserialize, Type, tauri_specta::Event)]
pub struct PlayerStatusEvent {
    pub status: crate::listening::PlayerView,
}

/// The window was asked to close while a recording runs; it stays open
/// until the recording is stopped and sealed.
#[derive(Debug, Clone, Serialize, Deserialize, Type, tauri_specta::Event)]
pub struct CloseRefused {}

//! The listening service: at most one recording open in the review
//! player, between the commands and [`relato_capture::Player`]. Knows
//! nothing of Tauri.
//!
//! The player reads the sealed original through a [`VaultHandle`], a
//! chunk at a time, so nothing is decrypted to disk and a locked vault
//! stops the reads. Closing (leaving the screen, opening another
//! recording, locking) writes what was heard as one `PLAYBACK` custody
//! line; it must therefore happen while the vault is still unlocked.

use std::sync::{Arc, Mutex, MutexGuard};

use relato_capture::playback::OriginalReader;
use relato_capture::player::{Output, ReadRange};
use relato_capture::{CaptureError, Player, PlayerStatus};
use serde::Serialize;
use specta::Type;

use crate::error::CommandError;
use crate::service::VaultService;

/// Codes this service raises.
pub const LISTENING_ERROR_CODES: &[&str] = &["app.player_not_open"];

/// The player's state for the window.
#[derive(Debug, Clone, PartialEq, Serialize, serde::Deserialize, Type)]
pub struct PlayerView {
    pub recording_id: String,
    pub position_ms: u64,
    pub duration_ms: u64,
    pub playing: bool,
    pub speed: f32,
    pub ended: bool,
}

/// Where the player sends its samples.
pub type OutputFactory = Box<dyn Fn() -> Box<dyn Output> + Send + Sync>;

struct Open {
    recording_id: String,
    player: Player,
}

pub struct ListeningService {
    output: OutputFactory,
    open: Mutex<Option<Open>>,
}

impl ListeningService {
    pub fn new(output: OutputFactory) -> Self {
        ListeningService { output, open: Mutex::new(None) }
    }

    /// Plays on the default output device.
    pub fn system() -> Self {
        Self::new(Box::new(|| Box::new(relato_capture::DeviceOutput)))
    }

    fn guard(&self) -> MutexGuard<'_, Option<Open>> {
        self.open.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Opens `recording_id` paused at the start, closing (and logging)
    /// whatever was open.
    pub fn open(&self, vaults: &VaultService, recording_id: &str) -> Result<PlayerView, CommandError> {
        self.close(vaults)?;
        let (recording, reader) = vaults.with_vault(|v| {
            let recording = v.recording(recording_id)?;
            let reader = OriginalReader::open(v, &recording)?;
            Ok((recording, reader))
        })?;
        let handle = vaults.handle();
        let len = reader.len();
        let read: ReadRange = Arc::new(move |offset, n| {
            handle.with_vault(|v| Ok(reader.read(v, offset, n))).map_err(CaptureError::from)?
        });
        let player = Player::open(read, len, (self.output)())?;
        let view = view(&recording.id, player.status()?);
        *self.guard() = Some(Open { recording_id: recording.id, player });
        Ok(view)
    }

    fn with_player(&self, f: impl FnOnce(&Player) -> Result<PlayerStatus, CaptureError>) -> Result<PlayerView, CommandError> {
        let open = self.guard();
        let open = open.as_ref().ok_or_else(|| CommandError::new("app.player_not_open", "no recording is open for listening"))?;
        Ok(view(&open.recording_id, f(&open.player)?))
    }

    pub fn play(&self, rewind_ms: u64) -> Result<PlayerView, CommandError> {
        self.with_player(|p| p.play(rewind_ms))
    }

    pub fn pause(&self) -> Result<PlayerView, CommandError> {
        self.with_player(Player::pause)
    }

    pub fn seek(&self, ms: u64) -> Result<PlayerView, CommandError> {
        self.with_player(|p| p.seek(ms))
    }

    pub fn speed(&self, speed: f32) -> Result<PlayerView, CommandError> {
        self.with_player(|p| p.set_speed(speed))
    }

    /// The open player's state, if one is open.
    pub fn status(&self) -> Option<PlayerView> {
        self.with_player(Player::status).ok()
    }

    /// Stops the player and logs what was heard (nothing is logged if
    /// nothing was). Returns whether a player was open.
    pub fn close(&self, vaults: &VaultService) -> Result<bool, CommandError> {
        let Some(open) = self.guard().take() else { return Ok(false) };
        let heard = open.player.close();
        if !heard.is_empty() {
            vaults.with_vault(|v| Ok(v.log_playback(&open.recording_id, &heard)?))?;
        }
        Ok(true)
    }
}

fn view(recording_id: &str, s: PlayerStatus) -> PlayerView {
    PlayerView {
        recording_id: recording_id.to_owned(),
        position_ms: s.position_ms,
        duration_ms: s.duration_ms,
        playing: s.playing,
        speed: s.speed,
        ended: s.ended,
    }
}

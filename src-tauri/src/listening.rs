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
    /// Why playback stopped, if it failed: an error code to translate.
    pub error: Option<String>,
}

/// Where the player sends its samples.
pub type OutputFactory = Box<dyn Fn() -> Box<dyn Output> + Send + Sync>;

struct Open {
    recording_id: String,
    /// Who opened it: the listening is theirs to sign.
    user_id: String,
    player: Player,
}

#[derive(Default)]
struct State {
    open: Option<Open>,
    /// What was heard but could not be logged yet (the vault refused the
    /// write): kept and logged at the next chance, never dropped — and only
    /// by the user who listened (user id, recording id, ranges).
    unlogged: Vec<Unlogged>,
}

/// Listening not yet in custody: who listened, to what, which ranges.
struct Unlogged {
    user_id: String,
    recording_id: String,
    heard: Vec<(u64, u64)>,
}

pub struct ListeningService {
    output: OutputFactory,
    state: Mutex<State>,
}

impl ListeningService {
    pub fn new(output: OutputFactory) -> Self {
        ListeningService { output, state: Mutex::new(State::default()) }
    }

    /// Plays on the default output device.
    pub fn system() -> Self {
        Self::new(Box::new(|| Box::new(relato_capture::DeviceOutput)))
    }

    fn guard(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Opens `recording_id` paused at the start, closing (and logging)
    /// whatever was open. The state stays locked throughout, so two opens
    /// cannot lose each other's player.
    pub fn open(&self, vaults: &VaultService, recording_id: &str) -> Result<PlayerView, CommandError> {
        let mut state = self.guard();
        close_locked(&mut state, vaults);
        let (recording, reader, user_id) = vaults.with_vault(|v| {
            let recording = v.recording(recording_id)?;
            let reader = OriginalReader::open(v, &recording)?;
            Ok((recording, reader, v.me().user_id.clone()))
        })?;
        let handle = vaults.handle();
        let len = reader.len();
        let read: ReadRange = Arc::new(move |offset, n| {
            handle.with_vault(|v| Ok(reader.read(v, offset, n))).map_err(CaptureError::from)?
        });
        let player = Player::open(read, len, (self.output)())?;
        let view = view(&recording.id, player.status()?);
        state.open = Some(Open { recording_id: recording.id, user_id, player });
        Ok(view)
    }

    fn with_player(&self, f: impl FnOnce(&Player) -> Result<PlayerStatus, CaptureError>) -> Result<PlayerView, CommandError> {
        let state = self.guard();
        let open = state.open.as_ref().ok_or_else(|| CommandError::new("app.player_not_open", "no recording is open for listening"))?;
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
    /// nothing was). Returns whether a player was open; fails if what was
    /// heard could not be logged (it is kept and logged at the next close,
    /// open or unlock).
    pub fn close(&self, vaults: &VaultService) -> Result<bool, CommandError> {
        let mut state = self.guard();
        let was_open = state.open.is_some();
        match close_locked(&mut state, vaults) {
            Some(e) => Err(e),
            None => Ok(was_open),
        }
    }

    /// Logs what earlier closes could not (called after unlocking).
    pub fn flush(&self, vaults: &VaultService) {
        let mut state = self.guard();
        let _ = flush_locked(&mut state, vaults);
    }
}

/// Closes the open player, if any, and logs everything not logged yet;
/// returns the first logging error.
fn close_locked(state: &mut State, vaults: &VaultService) -> Option<CommandError> {
    if let Some(open) = state.open.take() {
        let heard = open.player.close();
        if !heard.is_empty() {
            state.unlogged.push(Unlogged { user_id: open.user_id, recording_id: open.recording_id, heard });
        }
    }
    flush_locked(state, vaults)
}

fn flush_locked(state: &mut State, vaults: &VaultService) -> Option<CommandError> {
    let mut failure = None;
    state.unlogged.retain(|u| {
        let logged = vaults.with_vault(|v| {
            if v.me().user_id != u.user_id {
                return Ok(false);
            }
            v.log_playback(&u.recording_id, &u.heard)?;
            Ok(true)
        });
        match logged {
            Ok(done) => !done,
            Err(e) => {
                failure.get_or_insert(e);
                true
            }
        }
    });
    failure
}

fn view(recording_id: &str, s: PlayerStatus) -> PlayerView {
    PlayerView {
        recording_id: recording_id.to_owned(),
        position_ms: s.position_ms,
        duration_ms: s.duration_ms,
        playing: s.playing,
        speed: s.speed,
        ended: s.ended,
        error: s.error.map(str::to_owned),
    }
}

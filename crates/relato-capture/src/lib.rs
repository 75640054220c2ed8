//! Relato's capture pipeline: from an input to a sealed original in the vault.
//!
//! - [`feed`]: the real-time side — a lock-free ring and atomic counters;
//!   the only code an audio callback runs.
//! - [`source`]: where samples come from: [`device`] (cpal inputs) or
//!   [`FakeSource`] for tests.
//! - [`recorder`]: the writer thread that drains the ring, hashes, meters,
//!   computes peaks, encrypts into the vault and seals at stop.
//! - [`level`]: level meter and waveform peaks.
//! - [`monitor`]: the check before recording — live level and a test
//!   recording kept in memory only.
//! - [`wav`]: the canonical WAV form of an original (hound's).
//! - [`original`]: digests and export of the original.
//! - [`playback`]: byte ranges of a sealed original, decrypted in memory,
//!   and the merged log of what was heard.
//! - [`import`]: existing recordings stored byte for byte.
//! - [`redact`]: silenced copies for redacted derivatives — a PCM WAV with
//!   only the silenced sample bytes changed, anything else decoded to WAV.
//! - [`recovery`]: sealing recordings whose writer died.
//!
//! Architecture invariant: the original is stored exactly as the source
//! delivered it — native rate, channels and sample format, no resampling,
//! gain or trimming — and nothing in this crate knows Tauri.

#![forbid(unsafe_code)]

pub mod device;
mod error;
pub mod import;
pub mod feed;
pub mod level;
pub mod monitor;
pub mod original;
pub mod playback;
pub mod player;
pub mod recorder;
pub mod recovery;
pub mod redact;
pub mod seek;
pub mod source;
pub mod wav;

pub use error::{CaptureError, CAPTURE_ERROR_CODES};
pub use level::Level;
pub use recorder::{Recorder, RecorderOptions};
pub use device::{input_devices, DeviceSource, InputDevice};
pub use feed::{FeedHandle, Status, PHASES};
pub use monitor::{test_input, Monitor, TestRecording, Verdict};
pub use player::{CapturedOutput, DeviceOutput, Player, PlayerStatus};
pub use source::{FakeSource, Pace, Source};

//! The real-time side of the pipeline.
//!
//! A [`Feed`] is what an audio callback holds. [`Feed::push`] copies whole
//! frames into a lock-free single-producer ring buffer and updates atomic
//! counters: no lock, no allocation, no I/O, no waiting. When the ring is
//! full the frames that do not fit are dropped *and counted* — the writer
//! turns the count into an event at that position, so a loss is never
//! hidden.

use std::sync::atomic::{AtomicBool, AtomicU32, AtomicU64, Ordering};
use std::sync::Arc;

use ringbuf::traits::{Observer, Producer};
use ringbuf::HeapProd;

/// Counters and flags shared between the audio callback, the writer and
/// whoever displays the recording. All atomics: reading never blocks.
#[derive(Debug, Default)]
pub struct Shared {
    /// Frames that entered the original so far (markers take this as their position).
    pub captured_frames: AtomicU64,
    pub overruns: AtomicU64,
    pub dropped_frames: AtomicU64,
    pub stream_errors: AtomicU64,
    /// Set by the device side when the input disappears.
    pub device_lost: AtomicBool,
    /// Interruptions of the input that were bridged (device reopened).
    pub gaps: AtomicU64,
    /// How long the last bridged interruption lasted.
    pub last_gap_ms: AtomicU64,
    /// While set, delivered frames are discarded (pause, if enabled).
    pub paused: AtomicBool,
    /// Latest meter reading, as `f32` bits.
    pub level_peak: AtomicU32,
    pub level_rms: AtomicU32,
    /// Frames the writer has committed to the vault.
    pub committed_frames: AtomicU64,
    /// Set once the maximum-duration warning was given.
    pub max_duration_warned: AtomicBool,
}

impl Shared {
    pub fn level(&self) -> crate::Level {
        crate::Level {
            peak: f32::from_bits(self.level_peak.load(Ordering::Relaxed)),
            rms: f32::from_bits(self.level_rms.load(Ordering::Relaxed)),
        }
    }

    pub(crate) fn set_level(&self, l: crate::Level) {
        self.level_peak.store(l.peak.to_bits(), Ordering::Relaxed);
        self.level_rms.store(l.rms.to_bits(), Ordering::Relaxed);
    }
}

/// The producer end, owned by the audio callback.
pub struct Feed {
    producer: HeapProd<u8>,
    frame_bytes: usize,
    shared: Arc<Shared>,
}

impl Feed {
    pub(crate) fn new(producer: HeapProd<u8>, frame_bytes: usize, shared: Arc<Shared>) -> Feed {
        Feed { producer, frame_bytes, shared }
    }

    /// Copies whole frames of native-format bytes into the ring. Real-time safe.
    pub fn push(&mut self, bytes: &[u8]) {
        if self.shared.paused.load(Ordering::Relaxed) {
            return;
        }
        let frames = bytes.len() / self.frame_bytes;
        let fit = (self.producer.vacant_len() / self.frame_bytes).min(frames);
        let pushed = self.producer.push_slice(&bytes[..fit * self.frame_bytes]);
        debug_assert_eq!(pushed, fit * self.frame_bytes);
        self.shared.captured_frames.fetch_add(fit as u64, Ordering::Release);
        if fit < frames {
            self.shared.overruns.fetch_add(1, Ordering::Relaxed);
            self.shared.dropped_frames.fetch_add((frames - fit) as u64, Ordering::Relaxed);
        }
    }

    pub(crate) fn shared(&self) -> Arc<Shared> {
        self.shared.clone()
    }

    /// Room in the ring, in frames (for sources that can wait, like files).
    pub fn vacant_frames(&self) -> usize {
        self.producer.vacant_len() / self.frame_bytes
    }

    /// The backend reported an error; counted, and flagged if the device is gone.
    pub fn stream_error(&self, device_lost: bool) {
        self.shared.stream_errors.fetch_add(1, Ordering::Relaxed);
        if device_lost {
            self.shared.device_lost.store(true, Ordering::Release);
        }
    }
}

//! The real-time side of the pipeline.
//!
//! A [`FeedHandle`] is what an audio callback holds. [`FeedHandle::push`] copies whole
//! frames into a lock-free single-producer ring buffer and updates atomic
//! counters: no lock, no allocation, no I/O, no waiting. When the ring is
//! full the frames that do not fit are dropped *and counted* — the writer
//! turns the count into an event at that position, so a loss is never
//! hidden.

use std::sync::atomic::{AtomicBool, AtomicU32, AtomicU64, AtomicU8, Ordering};
use std::sync::{Arc, Mutex};

use ringbuf::traits::{Observer, Producer};
use ringbuf::HeapProd;
use relato_vault::Phase;
use serde::Serialize;

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
    /// Set when the writer failed (disk full, vault error): nothing more is
    /// being stored; what was committed is kept.
    pub writer_failed: AtomicBool,
    /// Markers placed so far.
    pub markers: AtomicU64,
    /// The current phase: 0 none yet, else 1 + its index in [`PHASES`].
    pub phase: AtomicU8,
}

/// Phases in the order their keys (1–4) give them.
pub const PHASES: [Phase; 4] = [Phase::Rapport, Phase::FreeNarrative, Phase::Clarification, Phase::Closing];

/// What a screen shows of a recording in progress, read without blocking.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Status {
    pub elapsed_ms: u64,
    /// Audio safely committed to the vault so far.
    pub committed_ms: u64,
    pub level: crate::Level,
    pub phase: Option<Phase>,
    pub markers: u64,
    pub dropped_frames: u64,
    pub device_lost: bool,
    pub writer_failed: bool,
    pub max_duration_near: bool,
    pub paused: bool,
}

impl Shared {
    /// A consistent-enough picture for display (each field is read atomically).
    pub fn status(&self, sample_rate: u32) -> Status {
        let ms = |frames: u64| frames * 1000 / sample_rate.max(1) as u64;
        let phase = self.phase.load(Ordering::Acquire);
        Status {
            elapsed_ms: ms(self.captured_frames.load(Ordering::Acquire)),
            committed_ms: ms(self.committed_frames.load(Ordering::Acquire)),
            level: self.level(),
            phase: (phase > 0).then(|| PHASES[(phase - 1) as usize % PHASES.len()]),
            markers: self.markers.load(Ordering::Acquire),
            dropped_frames: self.dropped_frames.load(Ordering::Relaxed),
            device_lost: self.device_lost.load(Ordering::Acquire),
            writer_failed: self.writer_failed.load(Ordering::Acquire),
            max_duration_near: self.max_duration_warned.load(Ordering::Acquire),
            paused: self.paused.load(Ordering::Acquire),
        }
    }

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

/// The producer end of the ring.
struct Feed {
    producer: HeapProd<u8>,
    frame_bytes: usize,
    shared: Arc<Shared>,
}

impl Feed {
    fn push(&mut self, bytes: &[u8]) {
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
}

/// What a source holds to deliver samples; cheap to clone.
///
/// The ring's producer sits behind a mutex only so that it can pass from one
/// source to the next when the input is switched mid-recording. A source's
/// callback never waits for it: [`FeedHandle::push`] uses `try_lock`, and
/// the lock is free except during a switch, when no callback runs. Should
/// it ever be taken, the frames are counted as dropped, never lost silently.
#[derive(Clone)]
pub struct FeedHandle {
    feed: Arc<Mutex<Feed>>,
    shared: Arc<Shared>,
    frame_bytes: usize,
}

impl FeedHandle {
    pub(crate) fn new(producer: HeapProd<u8>, frame_bytes: usize, shared: Arc<Shared>) -> FeedHandle {
        let feed = Feed { producer, frame_bytes, shared: shared.clone() };
        FeedHandle { feed: Arc::new(Mutex::new(feed)), shared, frame_bytes }
    }

    /// Copies whole frames of native-format bytes into the ring. Real-time
    /// safe: no waiting, no allocation, no I/O.
    pub fn push(&self, bytes: &[u8]) {
        match self.feed.try_lock() {
            Ok(mut feed) => feed.push(bytes),
            Err(_) => {
                self.shared.overruns.fetch_add(1, Ordering::Relaxed);
                self.shared.dropped_frames.fetch_add((bytes.len() / self.frame_bytes) as u64, Ordering::Relaxed);
            }
        }
    }

    pub fn shared(&self) -> &Arc<Shared> {
        &self.shared
    }

    /// Room in the ring, in frames, for sources that can wait (files, the
    /// fake source). Takes the lock: not for audio callbacks.
    pub fn vacant_frames(&self) -> usize {
        let feed = self.feed.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        feed.producer.vacant_len() / self.frame_bytes
    }

    /// The backend reported an error; counted, and flagged if the device is
    /// gone. Atomics only: callable from an error callback.
    pub fn stream_error(&self, device_lost: bool) {
        self.shared.stream_errors.fetch_add(1, Ordering::Relaxed);
        if device_lost {
            self.shared.device_lost.store(true, Ordering::Release);
        }
    }
}

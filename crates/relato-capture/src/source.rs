//! Where samples come from: a device (see `device.rs`) or, for tests and
//! benchmarks, a [`FakeSource`] that produces a known signal.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use relato_vault::{AudioFormat, SampleFormat};

use crate::feed::FeedHandle;
use crate::CaptureError;

/// Something that can deliver audio into a [`Feed`].
pub trait Source: Send {
    /// The native format it delivers.
    fn format(&self) -> AudioFormat;
    /// A human name (the device name), recorded with the original.
    fn name(&self) -> String;
    /// Starts delivering; delivery stops when the returned handle is stopped.
    fn start(self: Box<Self>, feed: FeedHandle) -> Result<Box<dyn Running>, CaptureError>;
}

/// A source that is delivering.
pub trait Running: Send {
    /// Stops delivery; after it returns no more frames are pushed.
    fn stop(self: Box<Self>);
}

/// How fast the fake source delivers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pace {
    /// Like a device: one 10 ms block every 10 ms.
    RealTime,
    /// As fast as the writer drains (waits for room instead of dropping).
    Unthrottled,
}

/// A deterministic signal: sample `i` of the stream is [`FakeSource::sample_bytes`]`(i)`.
pub struct FakeSource {
    pub format: AudioFormat,
    pub pace: Pace,
    /// Stop delivering after this many frames (None: until stopped).
    pub total_frames: Option<u64>,
}

impl FakeSource {
    /// The bytes of interleaved sample number `i` (frame `i / channels`).
    pub fn sample_bytes(format: SampleFormat, i: u64) -> Vec<u8> {
        // A 440 Hz-ish sawtooth mixed with the index so every sample differs.
        let x = ((i.wrapping_mul(2_654_435_761) >> 7) % 65_536) as i64 - 32_768;
        match format {
            SampleFormat::U8 => vec![((x >> 8) + 128) as u8],
            SampleFormat::I16 => (x as i16).to_le_bytes().to_vec(),
            SampleFormat::I32 => ((x as i32) << 16 | (i as i32 & 0xffff)).to_le_bytes().to_vec(),
            SampleFormat::F32 => ((x as f32) / 32_768.0).to_le_bytes().to_vec(),
        }
    }

    /// The whole signal of `frames` frames, as the original must hold it.
    pub fn expected(format: &AudioFormat, frames: u64) -> Vec<u8> {
        (0..frames * format.channels as u64).flat_map(|i| Self::sample_bytes(format.sample_format, i)).collect()
    }
}

/// A source that delivers from a thread of its own until told to stop: the
/// fake source, and the sources tests and benchmarks write.
pub struct Worker {
    stop: Arc<AtomicBool>,
    thread: JoinHandle<()>,
}

impl Worker {
    /// Runs `deliver` on a new thread; it should return soon after the
    /// flag it is given becomes true.
    pub fn spawn(name: &str, deliver: impl FnOnce(&AtomicBool) + Send + 'static) -> Result<Box<dyn Running>, CaptureError> {
        let stop = Arc::new(AtomicBool::new(false));
        let flag = stop.clone();
        let thread = std::thread::Builder::new()
            .name(name.into())
            .spawn(move || deliver(&flag))
            .map_err(|e| CaptureError::Io(e.to_string()))?;
        Ok(Box::new(Worker { stop, thread }))
    }
}

impl Running for Worker {
    fn stop(self: Box<Self>) {
        self.stop.store(true, Ordering::Release);
        if let Err(panic) = self.thread.join() {
            std::panic::resume_unwind(panic);
        }
    }
}

impl Source for FakeSource {
    fn format(&self) -> AudioFormat {
        self.format
    }

    fn name(&self) -> String {
        "fake source".into()
    }

    fn start(self: Box<Self>, feed: FeedHandle) -> Result<Box<dyn Running>, CaptureError> {
        Worker::spawn("relato-fake-source", move |flag| {
                let block_frames = (self.format.sample_rate / 100).max(1) as u64;
                let channels = self.format.channels as u64;
                let mut next = 0u64;
                let mut block = Vec::with_capacity(block_frames as usize * self.format.frame_bytes());
                let started = Instant::now();
                while !flag.load(Ordering::Acquire) {
                    let frames = match self.total_frames {
                        Some(total) if next >= total => break,
                        Some(total) => block_frames.min(total - next),
                        None => block_frames,
                    };
                    block.clear();
                    for i in next * channels..(next + frames) * channels {
                        block.extend_from_slice(&Self::sample_bytes(self.format.sample_format, i));
                    }
                    match self.pace {
                        Pace::RealTime => {
                            let due = started + Duration::from_secs_f64(next as f64 / self.format.sample_rate as f64);
                            if let Some(wait) = due.checked_duration_since(Instant::now()) {
                                std::thread::sleep(wait);
                            }
                        }
                        Pace::Unthrottled => {
                            while feed.vacant_frames() < frames as usize && !flag.load(Ordering::Acquire) {
                                std::thread::sleep(Duration::from_micros(200));
                            }
                        }
                    }
                    feed.push(&block);
                    next += frames;
                }
        })
    }
}

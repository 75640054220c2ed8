//! The check before recording: a live level meter on the chosen input and a
//! short test recording that is kept in memory only — never stored in the
//! vault, never written to disk, wiped when dropped.
//!
//! A [`Monitor`] runs the same source and ring as the recorder; a small
//! drain thread meters what arrives (20 readings a second, readable at any
//! time through [`Monitor::level`]) and keeps the first seconds of samples
//! for playback. [`Monitor::stop`] returns them as a [`TestRecording`] with a
//! [`Verdict`]: silent, too quiet, clipping or fine.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::Duration;

use relato_vault::AudioFormat;
use ringbuf::traits::{Consumer, Observer, Split};
use ringbuf::HeapRb;
use serde::Serialize;
use zeroize::Zeroizing;

use crate::feed::{FeedHandle, Shared};
use crate::level::{Level, Meter};
use crate::source::{Running, Source};
use crate::CaptureError;

/// Below this peak (-50 dBFS) over the whole test, the input is taken as silent.
pub const SILENT_PEAK: f32 = 0.003_16;
/// Below this RMS (-45 dBFS) with some signal present, speech will be hard to hear.
pub const QUIET_RMS: f32 = 0.005_6;
/// At or above this peak the input is clipping.
pub const CLIPPING_PEAK: f32 = 0.999;

/// What the test recording says about the input.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    /// No signal at all: wrong input, muted, or unplugged.
    Silent,
    /// Signal, but too weak for speech to be heard well.
    Quiet,
    /// Peaks reach full scale: the voice will be distorted.
    Clipping,
    Good,
}

/// A short recording made to check the input; never evidence.
pub struct TestRecording {
    pub device: String,
    pub format: AudioFormat,
    /// Native bytes, as the recorder would store them.
    samples: Zeroizing<Vec<u8>>,
    /// Level over the whole test.
    pub overall: Level,
    /// One reading per 50 ms.
    pub readings: Vec<Level>,
}

impl TestRecording {
    pub fn frames(&self) -> u64 {
        (self.samples.len() / self.format.frame_bytes()) as u64
    }

    pub fn duration_ms(&self) -> u64 {
        self.format.frames_to_ms(self.frames())
    }

    pub fn verdict(&self) -> Verdict {
        verdict(self.overall)
    }

    /// The test as a WAV file in memory, for playback in the app.
    pub fn wav(&self) -> Result<Zeroizing<Vec<u8>>, CaptureError> {
        let header = crate::wav::header(&self.format, self.samples.len() as u64)?;
        let mut out = Zeroizing::new(Vec::with_capacity(header.len() + self.samples.len()));
        out.extend_from_slice(&header);
        out.extend_from_slice(&self.samples);
        Ok(out)
    }
}

/// The verdict for an overall level.
pub fn verdict(overall: Level) -> Verdict {
    if overall.peak < SILENT_PEAK {
        Verdict::Silent
    } else if overall.peak >= CLIPPING_PEAK {
        Verdict::Clipping
    } else if overall.rms < QUIET_RMS {
        Verdict::Quiet
    } else {
        Verdict::Good
    }
}

struct Drained {
    samples: Zeroizing<Vec<u8>>,
    overall: Level,
    readings: Vec<Level>,
}

/// A running input check.
pub struct Monitor {
    running: Option<Box<dyn Running>>,
    shared: Arc<Shared>,
    stop: Arc<AtomicBool>,
    drain: Option<JoinHandle<Drained>>,
    format: AudioFormat,
    device: String,
}

impl Monitor {
    /// Starts metering `source`, keeping at most `keep` of its samples.
    pub fn start(source: Box<dyn Source>, keep: Duration) -> Result<Monitor, CaptureError> {
        let format = source.format();
        let device = source.name();
        let fb = format.frame_bytes();
        // One second of slack: the drain thread wakes every 10 ms.
        let (producer, mut consumer) = HeapRb::<u8>::new(format.sample_rate as usize * fb).split();
        let shared = Arc::new(Shared::default());
        let feed = FeedHandle::new(producer, fb, shared.clone());
        let keep_bytes = (keep.as_secs_f64() * format.sample_rate as f64) as usize * fb;
        let stop = Arc::new(AtomicBool::new(false));
        let drain = {
            let (shared, stop) = (shared.clone(), stop.clone());
            std::thread::Builder::new()
                .name("relato-monitor".into())
                .spawn(move || {
                    let mut meter = Meter::new(format);
                    let mut samples = Zeroizing::new(Vec::with_capacity(keep_bytes));
                    let mut readings = Vec::new();
                    let (mut peak, mut sum_sq, mut count) = (0f32, 0f64, 0u64);
                    let mut buf = Zeroizing::new(vec![0u8; (16 * 1024 / fb).max(1) * fb]);
                    loop {
                        let stopping = stop.load(Ordering::Acquire);
                        let available = consumer.occupied_len() / fb * fb;
                        if available == 0 {
                            if stopping {
                                break;
                            }
                            std::thread::sleep(Duration::from_millis(10));
                            continue;
                        }
                        let take = available.min(buf.len());
                        let n = consumer.pop_slice(&mut buf[..take]);
                        meter.push(&buf[..n], |l| {
                            shared.set_level(l);
                            readings.push(l);
                            peak = peak.max(l.peak);
                            sum_sq += (l.rms as f64).powi(2);
                            count += 1;
                        });
                        let room = keep_bytes.saturating_sub(samples.len());
                        samples.extend_from_slice(&buf[..n.min(room)]);
                    }
                    let overall = Level { peak, rms: (sum_sq / count.max(1) as f64).sqrt() as f32 };
                    Drained { samples, overall, readings }
                })
                .map_err(|e| CaptureError::Io(e.to_string()))?
        };
        let mut monitor = Monitor { running: None, shared, stop, drain: Some(drain), format, device };
        match source.start(feed) {
            Ok(running) => {
                monitor.running = Some(running);
                Ok(monitor)
            }
            Err(e) => {
                monitor.finish();
                Err(e)
            }
        }
    }

    pub fn format(&self) -> AudioFormat {
        self.format
    }

    pub fn device(&self) -> &str {
        &self.device
    }

    /// The latest reading (updated 20 times a second); never blocks.
    pub fn level(&self) -> Level {
        self.shared.level()
    }

    /// The input reported that it is gone.
    pub fn device_lost(&self) -> bool {
        self.shared.device_lost.load(Ordering::Acquire)
    }

    fn finish(&mut self) -> Drained {
        if let Some(running) = self.running.take() {
            running.stop();
        }
        self.stop.store(true, Ordering::Release);
        let drain = self.drain.take().expect("finished once");
        drain.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic))
    }

    /// Stops the input and returns what was heard.
    pub fn stop(mut self) -> TestRecording {
        let Drained { samples, overall, readings } = self.finish();
        TestRecording { device: self.device.clone(), format: self.format, samples, overall, readings }
    }
}

impl Drop for Monitor {
    fn drop(&mut self) {
        if self.drain.is_some() {
            self.finish();
        }
    }
}

/// Records `seconds` from the input `name` (or the default) and returns the
/// test recording: the check before recording, from the command line.
pub fn test_input(name: Option<&str>, seconds: f32) -> Result<TestRecording, CaptureError> {
    let source = crate::DeviceSource::open(name)?;
    let monitor = Monitor::start(Box::new(source), Duration::from_secs_f32(seconds))?;
    std::thread::sleep(Duration::from_secs_f32(seconds));
    Ok(monitor.stop())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn verdicts_follow_the_thresholds() {
        let at = |peak, rms| verdict(Level { peak, rms });
        assert_eq!(at(0.0, 0.0), Verdict::Silent);
        assert_eq!(at(0.003, 0.001), Verdict::Silent);
        assert_eq!(at(0.02, 0.004), Verdict::Quiet);
        assert_eq!(at(0.5, 0.1), Verdict::Good);
        assert_eq!(at(1.0, 0.3), Verdict::Clipping);
    }
}

//! Audio input devices through cpal.
//!
//! [`input_devices`] lists every input with its default and supported
//! formats. [`DeviceSource`] opens one by name in a format Relato can keep as
//! an original (the device's default when possible), on a dedicated thread
//! that owns the cpal stream. The callback hands cpal's raw bytes to the
//! [`FeedHandle`] — nothing else. If the device disappears, the thread keeps
//! trying to reopen it with the same format; a bridged interruption is
//! counted as a gap (the writer records it with its length). The caller may
//! instead switch the recording to another device that can deliver the same
//! format ([`DeviceSource::open_as`], [`crate::Recorder::switch_source`]).

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use cpal::traits::{DeviceTrait, HostTrait, StreamTrait};
use relato_vault::{AudioFormat, SampleFormat};
use serde::Serialize;

use crate::feed::FeedHandle;
use crate::source::{Running, Source};
use crate::CaptureError;

#[cfg(target_endian = "big")]
compile_error!("originals are stored little-endian as delivered; big-endian hosts are not supported");

/// An input device as listed to the user.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct InputDevice {
    pub name: String,
    /// The format Relato would record in, if any.
    pub format: Option<AudioFormat>,
    /// What the device reports it supports, one line per sample format.
    pub supported: Vec<String>,
    /// The name says Bluetooth: such inputs drop out and compress speech,
    /// so the app warns before recording with one.
    pub bluetooth: bool,
}

/// Whether a device name is that of a Bluetooth input (PulseAudio and
/// PipeWire name them `bluez_…`; other hosts say "Bluetooth" or the profile).
pub fn looks_bluetooth(name: &str) -> bool {
    let name = name.to_lowercase();
    ["bluez", "bluetooth", "hands-free", "handsfree", "a2dp", "hfp", "hsp"].iter().any(|k| name.contains(k))
}

fn sample_format(f: cpal::SampleFormat) -> Option<SampleFormat> {
    match f {
        cpal::SampleFormat::U8 => Some(SampleFormat::U8),
        cpal::SampleFormat::I16 => Some(SampleFormat::I16),
        cpal::SampleFormat::I32 => Some(SampleFormat::I32),
        cpal::SampleFormat::F32 => Some(SampleFormat::F32),
        _ => None,
    }
}

fn cpal_format(f: SampleFormat) -> cpal::SampleFormat {
    match f {
        SampleFormat::U8 => cpal::SampleFormat::U8,
        SampleFormat::I16 => cpal::SampleFormat::I16,
        SampleFormat::I32 => cpal::SampleFormat::I32,
        SampleFormat::F32 => cpal::SampleFormat::F32,
    }
}

/// The device's default format if Relato can keep it, else the first
/// supported one at the default rate that it can.
fn choose_format(device: &cpal::Device) -> Option<AudioFormat> {
    let default = device.default_input_config().ok()?;
    if let Some(sf) = sample_format(default.sample_format()) {
        return Some(AudioFormat { sample_rate: default.sample_rate().0, channels: default.channels(), sample_format: sf });
    }
    let rate = default.sample_rate();
    device.supported_input_configs().ok()?.find_map(|range| {
        let sf = sample_format(range.sample_format())?;
        (range.min_sample_rate() <= rate && rate <= range.max_sample_rate())
            .then_some(AudioFormat { sample_rate: rate.0, channels: range.channels(), sample_format: sf })
    })
}

/// One line per sample format: `i16 1–32 ch 1–384000 Hz`. Hosts list every
/// channel count separately (PulseAudio: 128 ranges), which no one can read.
fn summarise(ranges: Vec<cpal::SupportedStreamConfigRange>) -> Vec<String> {
    let mut lines: Vec<(cpal::SampleFormat, u16, u16, u32, u32)> = Vec::new();
    for r in ranges {
        let (ch, lo, hi) = (r.channels(), r.min_sample_rate().0, r.max_sample_rate().0);
        match lines.iter_mut().find(|l| l.0 == r.sample_format()) {
            Some(l) => *l = (l.0, l.1.min(ch), l.2.max(ch), l.3.min(lo), l.4.max(hi)),
            None => lines.push((r.sample_format(), ch, ch, lo, hi)),
        }
    }
    let span = |a: u32, b: u32| if a == b { a.to_string() } else { format!("{a}–{b}") };
    lines.into_iter().map(|(f, c0, c1, r0, r1)| format!("{f} {} ch {} Hz", span(c0.into(), c1.into()), span(r0, r1))).collect()
}

/// Every input device of the default audio host.
pub fn input_devices() -> Result<Vec<InputDevice>, CaptureError> {
    let host = cpal::default_host();
    let devices = host.input_devices().map_err(|e| CaptureError::Backend(e.to_string()))?;
    Ok(devices
        .filter_map(|d| {
            let name = d.name().ok()?;
            let supported = d.supported_input_configs().map(|ranges| summarise(ranges.collect())).unwrap_or_default();
            Some(InputDevice { format: choose_format(&d), bluetooth: looks_bluetooth(&name), name, supported })
        })
        .collect())
}

fn find(name: Option<&str>) -> Result<cpal::Device, CaptureError> {
    let host = cpal::default_host();
    match name {
        Some(wanted) => host
            .input_devices()
            .map_err(|e| CaptureError::Backend(e.to_string()))?
            .find(|d| d.name().is_ok_and(|n| n == wanted))
            .ok_or_else(|| CaptureError::DeviceNotFound(wanted.to_owned())),
        None => host.default_input_device().ok_or(CaptureError::NoInputDevice),
    }
}

/// A real input device, opened by name (or the system default).
pub struct DeviceSource {
    name: String,
    format: AudioFormat,
}

impl DeviceSource {
    pub fn open(name: Option<&str>) -> Result<DeviceSource, CaptureError> {
        let device = find(name)?;
        let name = device.name().map_err(|e| CaptureError::Backend(e.to_string()))?;
        let format = choose_format(&device)
            .ok_or_else(|| CaptureError::UnsupportedFormat { device: name.clone(), detail: "no u8, i16, i32 or f32 input".into() })?;
        Ok(DeviceSource { name, format })
    }

    /// Opens `name` in exactly `format` — to continue a recording on
    /// another device, which must deliver what the original already holds.
    pub fn open_as(name: &str, format: AudioFormat) -> Result<DeviceSource, CaptureError> {
        let device = find(Some(name))?;
        let rate = cpal::SampleRate(format.sample_rate);
        let fits = device.supported_input_configs().is_ok_and(|mut ranges| {
            ranges.any(|r| {
                r.channels() == format.channels
                    && sample_format(r.sample_format()) == Some(format.sample_format)
                    && r.min_sample_rate() <= rate
                    && rate <= r.max_sample_rate()
            })
        });
        if !fits {
            return Err(CaptureError::FormatMismatch { device: name.to_owned(), format: describe(&format) });
        }
        Ok(DeviceSource { name: name.to_owned(), format })
    }
}

/// `48000 Hz, 2 ch, i16` — for messages.
pub fn describe(format: &AudioFormat) -> String {
    let sf = match format.sample_format {
        SampleFormat::U8 => "u8",
        SampleFormat::I16 => "i16",
        SampleFormat::I32 => "i32",
        SampleFormat::F32 => "f32",
    };
    format!("{} Hz, {} ch, {sf}", format.sample_rate, format.channels)
}

/// Builds and starts a stream that pushes into `feed`.
fn open_stream(name: &str, format: AudioFormat, feed: &FeedHandle) -> Result<cpal::Stream, CaptureError> {
    let device = find(Some(name))?;
    let config = cpal::StreamConfig {
        channels: format.channels,
        sample_rate: cpal::SampleRate(format.sample_rate),
        buffer_size: cpal::BufferSize::Default,
    };
    let data_feed = feed.clone();
    let error_feed = feed.clone();
    let stream = device
        .build_input_stream_raw(
            &config,
            cpal_format(format.sample_format),
            // The only code on the audio thread: a copy into the ring.
            move |data: &cpal::Data, _: &cpal::InputCallbackInfo| data_feed.push(data.bytes()),
            move |err| error_feed.stream_error(matches!(err, cpal::StreamError::DeviceNotAvailable)),
            None,
        )
        .map_err(|e| CaptureError::Backend(e.to_string()))?;
    stream.play().map_err(|e| CaptureError::Backend(e.to_string()))?;
    Ok(stream)
}

/// Longest the input stays open after a stop request to let buffered audio arrive.
const MAX_STOP_GRACE: Duration = Duration::from_secs(2);

struct DeviceRunning {
    stop: Arc<AtomicBool>,
    thread: JoinHandle<()>,
    shared: Arc<crate::feed::Shared>,
    opened_at: Instant,
    /// Captured frames of the recording when this source began (after a switch, not zero).
    frames_at_open: u64,
    sample_rate: u32,
}

impl Running for DeviceRunning {
    /// Audio reaches us through the system's buffers, so at any moment the
    /// captured audio lags the clock (by about a second through PulseAudio's
    /// ALSA plugin). Before closing, the input stays open for that lag, so
    /// the recording reaches the moment the interviewer pressed stop: a
    /// little more audio at the end, never less.
    /// A lost device has nothing buffered: it stops at once.
    fn stop(self: Box<Self>) {
        if !self.shared.device_lost.load(Ordering::Acquire) {
            let wall = self.opened_at.elapsed().as_secs_f64();
            let frames = self.shared.captured_frames.load(Ordering::Acquire) - self.frames_at_open;
            let captured = frames as f64 / self.sample_rate as f64;
            let lag = Duration::from_secs_f64((wall - captured).max(0.0)).min(MAX_STOP_GRACE);
            std::thread::sleep(lag);
        }
        self.stop.store(true, Ordering::Release);
        let _ = self.thread.join();
    }
}

impl Source for DeviceSource {
    fn format(&self) -> AudioFormat {
        self.format
    }

    fn name(&self) -> String {
        self.name.clone()
    }

    fn start(self: Box<Self>, feed: FeedHandle) -> Result<Box<dyn Running>, CaptureError> {
        let shared = feed.shared().clone();
        let sample_rate = self.format.sample_rate;
        let stop = Arc::new(AtomicBool::new(false));
        let flag = stop.clone();
        let state = shared.clone();
        let (started_tx, started_rx) = std::sync::mpsc::channel::<Result<(), CaptureError>>();
        let thread = std::thread::Builder::new()
            .name("relato-input".into())
            .spawn(move || {
                // cpal streams are not Send everywhere: this thread opens and owns them.
                let mut stream = match open_stream(&self.name, self.format, &feed) {
                    Ok(s) => Some(s),
                    Err(e) => {
                        let _ = started_tx.send(Err(e));
                        return;
                    }
                };
                let _ = started_tx.send(Ok(()));
                let mut lost_since: Option<Instant> = None;
                while !flag.load(Ordering::Acquire) {
                    std::thread::sleep(Duration::from_millis(100));
                    if state.device_lost.load(Ordering::Acquire) {
                        stream = None;
                        lost_since.get_or_insert_with(Instant::now);
                        if let Ok(s) = open_stream(&self.name, self.format, &feed) {
                            stream = Some(s);
                            state.device_lost.store(false, Ordering::Release);
                            let ms = lost_since.take().map_or(0, |t| t.elapsed().as_millis() as u64);
                            state.last_gap_ms.store(ms, Ordering::Release);
                            state.gaps.fetch_add(1, Ordering::AcqRel);
                        } else {
                            std::thread::sleep(Duration::from_millis(400));
                        }
                    }
                }
                drop(stream);
            })
            .map_err(|e| CaptureError::Io(e.to_string()))?;
        match started_rx.recv() {
            Ok(Ok(())) => {}
            Ok(Err(e)) => {
                let _ = thread.join();
                return Err(e);
            }
            Err(_) => return Err(CaptureError::Backend("the input thread ended".into())),
        }
        let frames_at_open = shared.captured_frames.load(Ordering::Acquire);
        Ok(Box::new(DeviceRunning { stop, thread, shared, opened_at: Instant::now(), frames_at_open, sample_rate }))
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn bluetooth_inputs_are_recognised_by_name() {
        for name in ["bluez_input.00_1B_66_AA_BB_CC.0", "Auriculares Bluetooth", "WH-1000 (Hands-Free AG Audio)"] {
            assert!(super::looks_bluetooth(name), "{name}");
        }
        for name in ["default", "pulse", "vsink.monitor", "USB PnP Sound Device: Audio (hw:1,0)"] {
            assert!(!super::looks_bluetooth(name), "{name}");
        }
    }
}

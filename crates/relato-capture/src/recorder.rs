//! The recorder: a source feeding a lock-free ring, and a writer thread that
//! owns the vault while recording.
//!
//! ```text
//!  audio callback ──push──▶ ring (SPSC, lock-free) ──pop──▶ writer thread
//!   (FeedHandle: copy +                              SHA-256, meter, peaks,
//!    atomics only)                                   encrypt + commit ≥ 1/s
//! ```
//!
//! The writer thread owns the [`Vault`] for the length of the recording and
//! hands it back at [`Recorder::stop`] — also when something failed, so an
//! error never costs the caller their unlocked vault. Markers, phases and
//! pauses are commands to the writer; their position is the number of frames
//! captured at the moment the key was pressed, read from an atomic.
//!
//! If the input is lost, the caller may [`Recorder::switch_source`] to
//! another device with the same format: the recording continues as one
//! original, with the loss and the switch logged as events. If the writer
//! fails (disk full), it stops storing, closes the recording as recovered
//! with everything committed when it can, and says so through
//! [`Recorder::failed`] and the error [`Recorder::stop`] returns.

use std::sync::atomic::Ordering;
use std::sync::mpsc::{self, Receiver, Sender, SyncSender};
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use relato_vault::{
    AudioFormat, Counters, Origin, Phase, Recording, RecordingEnd, RecordingEvent, RecordingEventKind, RecordingState,
    StreamWriter, Vault,
};
use ringbuf::traits::{Consumer, Observer, Split};
use ringbuf::{HeapCons, HeapRb};
use sha2::{Digest, Sha256};

use crate::feed::{FeedHandle, Shared, Status, PHASES};
use crate::level::{Meter, Peaks};
use crate::original;
use crate::source::{Running, Source};
use crate::CaptureError;

/// How often the writer commits what it has to the vault.
pub const COMMIT_INTERVAL: Duration = Duration::from_secs(1);

/// Choices for one recording.
#[derive(Debug, Clone)]
pub struct RecorderOptions {
    /// Pausing is off by default; when on, every pause and resume is a custody event.
    pub allow_pause: bool,
    /// Warn when the recording reaches `max_duration - warn_before`.
    pub max_duration: Option<Duration>,
    pub warn_before: Duration,
    /// Seconds of audio the ring buffer holds while the writer is busy.
    pub ring_seconds: u32,
}

impl Default for RecorderOptions {
    fn default() -> Self {
        RecorderOptions { allow_pause: false, max_duration: None, warn_before: Duration::from_secs(300), ring_seconds: 10 }
    }
}

enum Command {
    Event(u64, RecordingEventKind),
    /// Another source took over after `switch_ms` without input.
    SourceChanged { device: String, switch_ms: u64 },
    Stop,
}

/// A recording in progress.
pub struct Recorder {
    commands: Sender<Command>,
    shared: Arc<Shared>,
    feed: FeedHandle,
    running: Option<Box<dyn Running>>,
    writer: Option<JoinHandle<(Vault, Result<Recording, CaptureError>)>>,
    format: AudioFormat,
    recording_id: String,
    allow_pause: bool,
}

impl Recorder {
    /// Starts recording `session_id` from `source`. On failure the vault is
    /// handed back with the error.
    // Large, but returned once per recording, and the vault must come back.
    #[allow(clippy::result_large_err)]
    pub fn start(
        vault: Vault,
        session_id: &str,
        source: Box<dyn Source>,
        options: RecorderOptions,
    ) -> Result<Recorder, (Vault, CaptureError)> {
        let format = source.format();
        if !crate::wav::supported(format.sample_format) {
            let err = CaptureError::UnsupportedFormat { device: source.name(), detail: format!("{:?}", format.sample_format) };
            return Err((vault, err));
        }
        let frame_bytes = format.frame_bytes();
        let ring_frames = format.sample_rate as usize * options.ring_seconds.max(1) as usize;
        let (producer, consumer) = HeapRb::<u8>::new(ring_frames * frame_bytes).split();
        let shared = Arc::new(Shared::default());
        let (commands, command_rx) = mpsc::channel();
        let (ready_tx, ready_rx) = mpsc::sync_channel(1);
        let origin = Origin::Captured { device: source.name(), format };
        let writer = {
            let shared = shared.clone();
            let session_id = session_id.to_owned();
            let options = options.clone();
            std::thread::Builder::new()
                .name("relato-writer".into())
                .spawn(move || {
                    let result = write(&vault, &session_id, origin, consumer, &shared, command_rx, ready_tx, &options);
                    (vault, result)
                })
                .expect("the operating system can start a thread")
        };
        let recording_id = match ready_rx.recv() {
            Ok(Ok(id)) => id,
            Ok(Err(_)) | Err(_) => {
                let (vault, result) = writer.join().map_err(|_| ()).expect("the writer thread does not panic");
                return Err((vault, result.err().unwrap_or(CaptureError::WriterStopped)));
            }
        };
        let feed = FeedHandle::new(producer, frame_bytes, shared.clone());
        let mut recorder = Recorder {
            commands,
            shared,
            feed: feed.clone(),
            running: None,
            writer: Some(writer),
            format,
            recording_id,
            allow_pause: options.allow_pause,
        };
        match source.start(feed) {
            Ok(running) => {
                recorder.running = Some(running);
                Ok(recorder)
            }
            Err(e) => {
                // Seal what there is (nothing): the start is logged, so is the end.
                let (vault, _) = recorder.stop();
                Err((vault, e))
            }
        }
    }

    pub fn recording_id(&self) -> &str {
        &self.recording_id
    }

    pub fn format(&self) -> AudioFormat {
        self.format
    }

    /// Counters, level and positions, readable at any time without blocking.
    pub fn shared(&self) -> &Shared {
        &self.shared
    }

    /// Recorded time so far.
    pub fn elapsed(&self) -> Duration {
        let frames = self.shared.captured_frames.load(Ordering::Acquire);
        Duration::from_secs_f64(frames as f64 / self.format.sample_rate as f64)
    }

    fn event(&self, kind: RecordingEventKind) -> Result<u64, CaptureError> {
        let at = self.shared.captured_frames.load(Ordering::Acquire);
        self.commands.send(Command::Event(at, kind)).map_err(|_| CaptureError::WriterStopped)?;
        Ok(at)
    }

    /// What a screen shows: elapsed time, level, phase, markers, trouble.
    pub fn status(&self) -> Status {
        self.shared.status(self.format.sample_rate)
    }

    /// A silent marker at the current position; returns its frame.
    pub fn marker(&self, label: Option<&str>) -> Result<u64, CaptureError> {
        let at = self.event(RecordingEventKind::Marker { label: label.map(str::to_owned) })?;
        self.shared.markers.fetch_add(1, Ordering::AcqRel);
        Ok(at)
    }

    /// A phase boundary at the current position; returns its frame.
    pub fn phase(&self, phase: Phase) -> Result<u64, CaptureError> {
        let at = self.event(RecordingEventKind::Phase { phase })?;
        let index = PHASES.iter().position(|p| *p == phase).expect("every phase is listed");
        self.shared.phase.store(index as u8 + 1, Ordering::Release);
        Ok(at)
    }

    pub fn pause(&self) -> Result<u64, CaptureError> {
        if !self.allow_pause {
            return Err(CaptureError::PauseDisabled);
        }
        self.shared.paused.store(true, Ordering::Release);
        self.event(RecordingEventKind::Pause)
    }

    pub fn resume(&self) -> Result<u64, CaptureError> {
        if !self.allow_pause {
            return Err(CaptureError::PauseDisabled);
        }
        let at = self.event(RecordingEventKind::Resume);
        self.shared.paused.store(false, Ordering::Release);
        at
    }

    /// The writer has stopped storing (disk full, vault error); [`Recorder::stop`]
    /// returns why and what was kept.
    pub fn failed(&self) -> bool {
        self.shared.writer_failed.load(Ordering::Acquire)
    }

    /// The input reported that it is gone (and has not come back).
    pub fn device_lost(&self) -> bool {
        self.shared.device_lost.load(Ordering::Acquire)
    }

    /// Continues the recording from `source`, which must deliver the
    /// recording's format. The previous source is stopped first; the time
    /// without input is logged as a gap. On error the recording goes on
    /// without input, and another source may be tried.
    pub fn switch_source(&mut self, source: Box<dyn Source>) -> Result<(), CaptureError> {
        if source.format() != self.format {
            return Err(CaptureError::FormatMismatch {
                device: source.name(),
                format: crate::device::describe(&self.format),
            });
        }
        let device = source.name();
        let began = Instant::now();
        if let Some(running) = self.running.take() {
            running.stop();
        }
        match source.start(self.feed.clone()) {
            Ok(running) => {
                self.running = Some(running);
                self.shared.device_lost.store(false, Ordering::Release);
                let switch_ms = began.elapsed().as_millis() as u64;
                self.commands.send(Command::SourceChanged { device, switch_ms }).map_err(|_| CaptureError::WriterStopped)
            }
            Err(e) => {
                self.shared.device_lost.store(true, Ordering::Release);
                Err(e)
            }
        }
    }

    /// Stops the source, lets the writer drain and seal, and hands the vault back.
    pub fn stop(mut self) -> (Vault, Result<Recording, CaptureError>) {
        if let Some(running) = self.running.take() {
            running.stop();
        }
        let _ = self.commands.send(Command::Stop);
        let writer = self.writer.take().expect("stop is called once");
        match writer.join() {
            Ok(result) => result,
            Err(panic) => std::panic::resume_unwind(panic),
        }
    }
}

#[allow(clippy::too_many_arguments)]
fn write(
    vault: &Vault,
    session_id: &str,
    origin: Origin,
    ring: HeapCons<u8>,
    shared: &Shared,
    commands: Receiver<Command>,
    ready: SyncSender<Result<String, ()>>,
    options: &RecorderOptions,
) -> Result<Recording, CaptureError> {
    let Origin::Captured { format, device } = origin.clone() else { unreachable!("the recorder captures") };
    let (rec, audio, peaks_out) = match vault.begin_recording(session_id, origin) {
        Ok(started) => started,
        Err(e) => {
            let _ = ready.send(Err(()));
            return Err(e.into());
        }
    };
    let _ = ready.send(Ok(rec.id.clone()));
    let writers = Writers { audio, peaks: peaks_out };
    capture(vault, &rec.id, format, device, ring, shared, commands, writers, options)
        .map_err(|cause| interrupted(vault, &rec.id, format, shared, cause))
}

struct Writers<'v> {
    audio: StreamWriter<'v>,
    peaks: StreamWriter<'v>,
}

#[allow(clippy::too_many_arguments)]
fn capture(
    vault: &Vault,
    recording_id: &str,
    format: AudioFormat,
    mut device: String,
    mut ring: HeapCons<u8>,
    shared: &Shared,
    commands: Receiver<Command>,
    Writers { mut audio, peaks: mut peaks_out }: Writers<'_>,
    options: &RecorderOptions,
) -> Result<Recording, CaptureError> {
    let fb = format.frame_bytes();
    let mut buf = vec![0u8; (64 * 1024 / fb).max(1) * fb];
    let mut hasher = Sha256::new();
    let mut meter = Meter::new(format);
    let mut peaks = Peaks::new(format);
    let mut peak_bytes = Vec::new();
    let mut frames = 0u64;
    let mut last_commit = Instant::now();
    let (mut seen_overruns, mut seen_dropped, mut seen_errors, mut seen_gaps) = (0u64, 0u64, 0u64, 0u64);
    let mut switches = 0u64;
    let mut lost_since: Option<Instant> = None;
    let mut counters = Counters::default();
    let warn_at = options
        .max_duration
        .map(|max| max.saturating_sub(options.warn_before).as_secs_f64() * format.sample_rate as f64)
        .map(|f| f as u64);
    let mut stopping = false;

    loop {
        while let Ok(command) = commands.try_recv() {
            match command {
                Command::Event(at_frame, kind) => {
                    if kind == RecordingEventKind::Pause {
                        counters.pauses += 1;
                    }
                    event(vault, recording_id, at_frame, kind)?;
                }
                Command::SourceChanged { device: next, switch_ms } => {
                    let wall_ms = lost_since.take().map_or(switch_ms, |t| t.elapsed().as_millis() as u64);
                    let kind = RecordingEventKind::Gap { wall_ms, device: next.clone(), reason: "device_switched".into() };
                    event(vault, recording_id, frames, kind)?;
                    device = next;
                    switches += 1;
                }
                Command::Stop => stopping = true,
            }
        }

        let mut moved = false;
        loop {
            let available = ring.occupied_len() / fb * fb;
            if available == 0 {
                break;
            }
            let mut take = available.min(buf.len());
            if let Some(at) = warn_at.filter(|&at| frames < at) {
                // Stop exactly at the warning's frame, so it is logged there.
                take = take.min((at - frames) as usize * fb);
            }
            let n = ring.pop_slice(&mut buf[..take]);
            let bytes = &buf[..n];
            hasher.update(bytes);
            meter.push(bytes, |l| shared.set_level(l));
            peaks.push(bytes, &mut peak_bytes);
            audio.write(bytes)?;
            frames += (n / fb) as u64;
            moved = true;
            if warn_at.is_some_and(|at| frames >= at) && !shared.max_duration_warned.swap(true, Ordering::AcqRel) {
                let kind = RecordingEventKind::MaxDurationWarning { remaining_s: options.warn_before.as_secs() };
                event(vault, recording_id, frames, kind)?;
            }
            if last_commit.elapsed() >= COMMIT_INTERVAL {
                break;
            }
        }

        // Losses and errors become events at the position where they happened.
        let overruns = shared.overruns.load(Ordering::Relaxed);
        if overruns != seen_overruns {
            let dropped = shared.dropped_frames.load(Ordering::Relaxed);
            event(vault, recording_id, frames, RecordingEventKind::Overrun { dropped_frames: dropped - seen_dropped })?;
            (seen_overruns, seen_dropped) = (overruns, dropped);
        }
        let errors = shared.stream_errors.load(Ordering::Relaxed);
        if errors != seen_errors {
            let message = format!("{} error(s) reported by the audio system", errors - seen_errors);
            event(vault, recording_id, frames, RecordingEventKind::StreamError { message })?;
            seen_errors = errors;
        }
        if shared.device_lost.load(Ordering::Acquire) && lost_since.is_none() {
            lost_since = Some(Instant::now());
            event(vault, recording_id, frames, RecordingEventKind::DeviceLost { device: device.clone() })?;
        }
        let gaps = shared.gaps.load(Ordering::Acquire);
        if gaps != seen_gaps {
            lost_since = None;
            let wall_ms = shared.last_gap_ms.load(Ordering::Acquire);
            let kind = RecordingEventKind::Gap { wall_ms, device: device.clone(), reason: "device_lost_then_reopened".into() };
            event(vault, recording_id, frames, kind)?;
            seen_gaps = gaps;
        }

        let drained = ring.occupied_len() < fb;
        if stopping && drained {
            break;
        }
        if last_commit.elapsed() >= COMMIT_INTERVAL {
            audio.commit()?;
            peaks_out.write(&peak_bytes)?;
            peak_bytes.clear();
            peaks_out.commit()?;
            shared.committed_frames.store(frames, Ordering::Release);
            last_commit = Instant::now();
        }
        if !moved {
            std::thread::sleep(Duration::from_millis(5));
        }
    }

    peaks.finish(&mut peak_bytes);
    peaks_out.write(&peak_bytes)?;
    peaks_out.finish()?;
    audio.finish()?;
    shared.committed_frames.store(frames, Ordering::Release);
    let sha256_pcm = hex::encode(hasher.finalize());

    // Read back what was stored: it must be what was captured.
    let stream_id = vault.recording(recording_id)?.stream_id;
    let digest = original::digest(vault, &stream_id, &format)?;
    if digest.sha256_pcm != sha256_pcm {
        return Err(CaptureError::Integrity { expected: sha256_pcm, found: digest.sha256_pcm });
    }
    counters.overruns = seen_overruns;
    counters.dropped_frames = seen_dropped;
    counters.stream_errors = seen_errors;
    counters.gaps = seen_gaps + switches;
    let end = RecordingEnd {
        state: RecordingState::Sealed,
        ended_at: now(),
        frames,
        duration_ms: format.frames_to_ms(frames),
        sha256_pcm: Some(sha256_pcm),
        sha256_original: digest.sha256_wav,
        original_bytes: digest.wav_bytes,
        counters,
    };
    Ok(vault.seal_recording(recording_id, end)?)
}

/// The writer failed: stop storing, close the recording as recovered with
/// everything committed if the vault still allows it (otherwise recovery
/// does it at the next unlock), and say what was kept.
fn interrupted(vault: &Vault, recording_id: &str, format: AudioFormat, shared: &Shared, cause: CaptureError) -> CaptureError {
    shared.writer_failed.store(true, Ordering::Release);
    let kept_frames = match crate::recovery::recover(vault, recording_id) {
        Ok(rec) => rec.end.map_or(0, |end| end.frames),
        Err(_) => shared.committed_frames.load(Ordering::Acquire),
    };
    let kept = duration_text(format.frames_to_ms(kept_frames));
    match cause {
        CaptureError::Vault(relato_vault::VaultError::DiskFull) => CaptureError::StoppedDiskFull { kept },
        CaptureError::Vault(e) => CaptureError::StoppedByFailure { kept, reason: e.to_string() },
        CaptureError::Io(reason) => CaptureError::StoppedByFailure { kept, reason },
        other => other,
    }
}

/// `1 min 05 s`, `42 s`: a length readable in both languages.
fn duration_text(ms: u64) -> String {
    let s = ms / 1000;
    match (s / 3600, s / 60 % 60, s % 60) {
        (0, 0, s) => format!("{s} s"),
        (0, m, s) => format!("{m} min {s:02} s"),
        (h, m, s) => format!("{h} h {m:02} min {s:02} s"),
    }
}

fn event(vault: &Vault, recording_id: &str, at_frame: u64, kind: RecordingEventKind) -> Result<(), CaptureError> {
    Ok(vault.add_recording_event(recording_id, &RecordingEvent { at_frame, time: now(), kind })?)
}

fn now() -> String {
    relato_vault::utc_now()
}

#[cfg(test)]
mod tests {
    #[test]
    fn durations_read_in_both_languages() {
        assert_eq!(super::duration_text(0), "0 s");
        assert_eq!(super::duration_text(42_900), "42 s");
        assert_eq!(super::duration_text(65_000), "1 min 05 s");
        assert_eq!(super::duration_text(3_725_000), "1 h 02 min 05 s");
    }
}

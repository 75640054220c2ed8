//! Listening to a sealed original from Rust, for the review workspace.
//!
//! The web view never receives the audio: WebKitGTK would not play a
//! custom-scheme source, and a `blob:` of a two-hour original would put a
//! gigabyte of plaintext in the web process, whose media stack may spill
//! to disk. Instead the [`Player`] decodes the original here, from byte
//! ranges decrypted in memory ([`OriginalReader`](crate::playback::OriginalReader)),
//! and plays it on the default output.
//!
//! # Threads
//!
//! * The **player thread** owns the decoder, the time-stretcher and the
//!   output stream (a cpal stream may not move between threads). It is
//!   driven by [`Command`]s, each answered once carried out, so a caller
//!   sees the new state as soon as its call returns.
//! * The **output callback** ([`Renderer::render`]) only copies samples
//!   out of a lock-free ring and counts them; on underrun it plays
//!   silence. It never blocks, like the recorder's.
//!
//! # Position
//!
//! Every start, seek or speed change begins a *run*: the ring is emptied
//! (the callback discards it on request, so the old audio stops at once)
//! and the run remembers the output frame and the source frame it started
//! at. The position is the run's source frame plus the frames played
//! since, times the speed. What was heard of each run goes to a
//! [`ListenLog`], handed over at [`Player::close`] for one custody line.
//!
//! # Speed
//!
//! 0.5–2.0× through WSOLA (the `wsola` crate), which keeps the pitch. At
//! 1.0× the samples bypass it and play exactly as decoded.

use std::io::{Read, Seek, SeekFrom};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use ringbuf::traits::{Consumer as _, Observer as _, Producer as _, Split as _};
use ringbuf::{HeapCons, HeapProd, HeapRb};
use serde::Serialize;
use symphonia::core::audio::SampleBuffer;
use symphonia::core::codecs::{Decoder, DecoderOptions};
use symphonia::core::errors::Error as SymphoniaError;
use symphonia::core::formats::{FormatOptions, FormatReader, SeekMode, SeekTo};
use symphonia::core::io::{MediaSource, MediaSourceStream};
use symphonia::core::meta::MetadataOptions;
use symphonia::core::probe::Hint;
use zeroize::Zeroizing;

use crate::playback::ListenLog;
use crate::CaptureError;

/// Reads up to `len` bytes of the original's exported form at `offset`.
pub type ReadRange = Arc<dyn Fn(u64, u64) -> Result<Zeroizing<Vec<u8>>, CaptureError> + Send + Sync>;

/// Slowest and fastest listening speeds.
pub const MIN_SPEED: f32 = 0.5;
pub const MAX_SPEED: f32 = 2.0;

/// Bytes fetched (and decrypted) per read of the original.
const READ_BLOCK: u64 = 256 * 1024;
/// Audio queued ahead of the output: enough to ride out a slow chunk read.
const RING_SECONDS: f32 = 0.5;
/// Samples the i16 output converts at a time (its buffer is allocated
/// before the stream starts, so the callback never allocates).
const CONVERT_BLOCK: usize = 8192;

/// Where the player is, for the window.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct PlayerStatus {
    pub position_ms: u64,
    pub duration_ms: u64,
    pub playing: bool,
    pub speed: f32,
    /// Played to the end (and stopped there).
    pub ended: bool,
    /// Why playback stopped, if it failed (a damaged chunk, a locked vault,
    /// a lost output): the error's code, for the window to translate.
    pub error: Option<&'static str>,
}

/// Where the samples go: the sound card ([`DeviceOutput`]) or a test's
/// buffer ([`CapturedOutput`]).
pub trait Output: Send + 'static {
    /// Starts pulling from `renderer` at `rate` Hz and `channels`. Runs on
    /// the player thread; dropping the returned guard (there) stops it.
    fn start(self: Box<Self>, rate: u32, channels: u16, renderer: Renderer) -> Result<Box<dyn std::any::Any>, CaptureError>;
}

/// State the callback and the player thread share.
#[derive(Debug, Default)]
struct Shared {
    /// Source frames the callback has taken from the ring.
    played: AtomicU64,
    /// Set by the player thread; the callback empties the ring and clears
    /// it. Until it has, nothing new is queued (see `Engine::fill`).
    discard: AtomicBool,
    /// The output reported an error (device unplugged, stream broken).
    output_failed: AtomicBool,
}

/// The output callback's side: copies from the ring, counts, never blocks.
pub struct Renderer {
    ring: HeapCons<f32>,
    shared: Arc<Shared>,
    channels: usize,
}

impl Renderer {
    /// For the output's error callback.
    pub fn failure_signal(&self) -> FailureSignal {
        FailureSignal(self.shared.clone())
    }

    /// Fills `out` (interleaved) with queued samples, then silence.
    pub fn render(&mut self, out: &mut [f32]) {
        if self.shared.discard.load(Ordering::Acquire) {
            self.ring.clear();
            self.shared.discard.store(false, Ordering::Release);
        }
        let whole = self.ring.occupied_len().min(out.len()) / self.channels * self.channels;
        let n = self.ring.pop_slice(&mut out[..whole]);
        out[n..].fill(0.0);
        self.shared.played.fetch_add((n / self.channels) as u64, Ordering::AcqRel);
    }
}

/// One stretch of continuous playback.
#[derive(Debug, Clone, Copy)]
struct Run {
    /// `played` when the run's first sample was queued.
    out_start: u64,
    /// Source frame the run starts at.
    src_start: u64,
    speed: f32,
}

enum Command {
    Play { rewind_ms: u64 },
    Pause,
    Seek { ms: u64 },
    Speed { speed: f32 },
    Status,
    Close,
}

enum Reply {
    Status(PlayerStatus),
    Closed(Vec<(u64, u64)>),
    Failed(CaptureError),
}

/// A recording open for listening; see the module docs.
pub struct Player {
    commands: Sender<(Command, Sender<Reply>)>,
    thread: Option<JoinHandle<()>>,
}

impl Player {
    /// Opens the original that `read` serves (`len` bytes) on `output`,
    /// paused at the start. Fails if the audio cannot be decoded or the
    /// output cannot play it.
    pub fn open(read: ReadRange, len: u64, output: Box<dyn Output>) -> Result<Player, CaptureError> {
        let (ready_tx, ready_rx) = mpsc::channel();
        let (commands, inbox) = mpsc::channel();
        let thread = std::thread::Builder::new()
            .name("relato-player".into())
            .spawn(move || {
                let engine = match Engine::start(read, len, output) {
                    Ok(engine) => {
                        let _ = ready_tx.send(Ok(()));
                        engine
                    }
                    Err(e) => {
                        let _ = ready_tx.send(Err(e));
                        return;
                    }
                };
                engine.serve(inbox);
            })
            .map_err(|e| CaptureError::OutputFailed(e.to_string()))?;
        match ready_rx.recv() {
            Ok(Ok(())) => Ok(Player { commands, thread: Some(thread) }),
            Ok(Err(e)) => {
                let _ = thread.join();
                Err(e)
            }
            Err(_) => Err(CaptureError::OutputFailed("the player thread ended".into())),
        }
    }

    fn ask(&self, command: Command) -> Result<Reply, CaptureError> {
        let (tx, rx) = mpsc::channel();
        self.commands.send((command, tx)).map_err(|_| CaptureError::OutputFailed("the player has stopped".into()))?;
        rx.recv().map_err(|_| CaptureError::OutputFailed("the player has stopped".into()))
    }

    fn status_of(&self, command: Command) -> Result<PlayerStatus, CaptureError> {
        match self.ask(command)? {
            Reply::Status(s) => Ok(s),
            Reply::Failed(e) => Err(e),
            Reply::Closed(_) => Err(CaptureError::OutputFailed("the player has stopped".into())),
        }
    }

    /// Plays from where it was, `rewind_ms` earlier (the reviewer's
    /// auto-rewind), or from the start once it has ended.
    pub fn play(&self, rewind_ms: u64) -> Result<PlayerStatus, CaptureError> {
        self.status_of(Command::Play { rewind_ms })
    }

    pub fn pause(&self) -> Result<PlayerStatus, CaptureError> {
        self.status_of(Command::Pause)
    }

    /// Goes to `ms` (clamped to the recording), keeping play or pause.
    pub fn seek(&self, ms: u64) -> Result<PlayerStatus, CaptureError> {
        self.status_of(Command::Seek { ms })
    }

    /// Sets the speed, clamped to [`MIN_SPEED`]–[`MAX_SPEED`].
    pub fn set_speed(&self, speed: f32) -> Result<PlayerStatus, CaptureError> {
        self.status_of(Command::Speed { speed })
    }

    pub fn status(&self) -> Result<PlayerStatus, CaptureError> {
        self.status_of(Command::Status)
    }

    /// Stops and returns what was heard, merged, in milliseconds.
    pub fn close(mut self) -> Vec<(u64, u64)> {
        let heard = match self.ask(Command::Close) {
            Ok(Reply::Closed(ranges)) => ranges,
            _ => Vec::new(),
        };
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
        heard
    }
}

impl Drop for Player {
    fn drop(&mut self) {
        if let Some(t) = self.thread.take() {
            let (tx, _rx) = mpsc::channel();
            let _ = self.commands.send((Command::Close, tx));
            let _ = t.join();
        }
    }
}

/// The player thread's state.
struct Engine {
    format: Box<dyn FormatReader>,
    decoder: Box<dyn Decoder>,
    track_id: u32,
    rate: u32,
    /// Channels of the source and of the output (at most two).
    source_channels: usize,
    channels: usize,
    duration_frames: u64,
    ring: HeapProd<f32>,
    shared: Arc<Shared>,
    _output: Box<dyn std::any::Any>,
    stretch: wsola::TimeStretch,
    run: Run,
    playing: bool,
    ended: bool,
    /// Source frames decoded for the current run, past `run.src_start`.
    decoded_frames: u64,
    /// Decoded samples that did not fit in the ring yet.
    pending: Vec<f32>,
    /// Decoded frames to drop after an inexact seek.
    skip_frames: u64,
    /// The decoder has reached the end for this run.
    drained: bool,
    samples: Option<SampleBuffer<f32>>,
    log: ListenLog,
    /// Seconds per timestamp unit of the track, for seeking by time.
    time_base: Option<symphonia::core::units::TimeBase>,
    /// A pause happened since the last seek: the next play is a resume,
    /// and only a resume rewinds.
    resuming: bool,
    /// The typed error behind a failed read of the original.
    read_error: Arc<Mutex<Option<CaptureError>>>,
    /// Why playback stopped, if it failed.
    failure: Option<&'static str>,
}

impl Engine {
    fn start(read: ReadRange, len: u64, output: Box<dyn Output>) -> Result<Engine, CaptureError> {
        let read_error = Arc::new(Mutex::new(None));
        let source =
            OriginalSource { read, len, pos: 0, block: Zeroizing::new(Vec::new()), block_start: 0, error: read_error.clone() };
        let stream = MediaSourceStream::new(Box::new(source), Default::default());
        // A read that failed (a damaged chunk, a locked vault) is reported
        // as itself, not as a decoding problem.
        let failed = |e: SymphoniaError| take(&read_error).unwrap_or_else(|| CaptureError::Decode(e.to_string()));
        let probed = symphonia::default::get_probe()
            .format(&Hint::new(), stream, &FormatOptions { enable_gapless: true, ..Default::default() }, &MetadataOptions::default())
            .map_err(failed)?;
        let format = probed.format;
        let track = format.default_track().ok_or_else(|| CaptureError::Decode("no audio track".into()))?;
        let params = &track.codec_params;
        let rate = params.sample_rate.ok_or_else(|| CaptureError::Decode("no sample rate".into()))?;
        let source_channels = params.channels.map_or(1, |c| c.count()).max(1);
        let duration_frames = params.n_frames.unwrap_or(0);
        let time_base = params.time_base;
        let track_id = track.id;
        let decoder = symphonia::default::get_codecs()
            .make(params, &DecoderOptions::default())
            .map_err(|e| CaptureError::Decode(e.to_string()))?;
        let channels = source_channels.min(2);
        let capacity = ((rate as f32 * RING_SECONDS) as usize).max(4096) * channels;
        let (ring, consumer) = HeapRb::<f32>::new(capacity).split();
        let shared = Arc::new(Shared::default());
        let renderer = Renderer { ring: consumer, shared: shared.clone(), channels };
        let output = output.start(rate, channels as u16, renderer)?;
        let stretch = wsola::TimeStretch::new(rate, channels as u16).map_err(|e| CaptureError::Decode(e.to_string()))?;
        Ok(Engine {
            format,
            decoder,
            track_id,
            rate,
            source_channels,
            channels,
            duration_frames,
            ring,
            shared,
            _output: output,
            stretch,
            run: Run { out_start: 0, src_start: 0, speed: 1.0 },
            playing: false,
            ended: false,
            decoded_frames: 0,
            pending: Vec::new(),
            skip_frames: 0,
            drained: false,
            samples: None,
            log: ListenLog::default(),
            time_base,
            resuming: false,
            read_error,
            failure: None,
        })
    }

    fn serve(mut self, inbox: Receiver<(Command, Sender<Reply>)>) {
        loop {
            let wait = if self.playing { Duration::from_millis(5) } else { Duration::from_secs(3600) };
            match inbox.recv_timeout(wait) {
                Ok((Command::Close, reply)) => {
                    self.end_run();
                    let _ = reply.send(Reply::Closed(self.log.take()));
                    return;
                }
                Ok((command, reply)) => {
                    let answer = match self.handle(command) {
                        Ok(()) => Reply::Status(self.status()),
                        Err(e) => Reply::Failed(e),
                    };
                    let _ = reply.send(answer);
                }
                Err(RecvTimeoutError::Timeout) => {}
                Err(RecvTimeoutError::Disconnected) => {
                    self.end_run();
                    return;
                }
            }
            if self.playing {
                self.fill();
                self.check_end();
            }
        }
    }

    fn handle(&mut self, command: Command) -> Result<(), CaptureError> {
        match command {
            Command::Play { rewind_ms } => {
                if !self.playing {
                    let at = if self.ended {
                        0
                    } else if self.resuming {
                        self.position_frames().saturating_sub(self.ms_to_frames(rewind_ms))
                    } else {
                        self.position_frames()
                    };
                    self.playing = true;
                    self.resuming = false;
                    self.failure = None;
                    self.start_run(at, self.run.speed)?;
                }
            }
            Command::Pause => {
                if self.playing {
                    let at = self.position_frames();
                    self.end_run();
                    self.playing = false;
                    self.resuming = true;
                    self.start_run(at, self.run.speed)?;
                }
            }
            Command::Seek { ms } => {
                let at = self.ms_to_frames(ms);
                // An unknown length (some compressed imports) is no limit.
                let at = if self.duration_frames > 0 { at.min(self.duration_frames) } else { at };
                self.end_run();
                // Playing from a chosen point is not a resume: no rewind.
                self.resuming = false;
                self.start_run(at, self.run.speed)?;
            }
            Command::Speed { speed } => {
                let speed = if speed.is_finite() { speed.clamp(MIN_SPEED, MAX_SPEED) } else { 1.0 };
                let at = self.position_frames();
                self.end_run();
                self.start_run(at, speed)?;
            }
            Command::Status | Command::Close => {}
        }
        Ok(())
    }

    fn ms_to_frames(&self, ms: u64) -> u64 {
        ms * self.rate as u64 / 1000
    }

    fn frames_to_ms(&self, frames: u64) -> u64 {
        frames * 1000 / self.rate as u64
    }

    /// The source frame being heard now.
    fn position_frames(&self) -> u64 {
        let played = self.shared.played.load(Ordering::Acquire).saturating_sub(self.run.out_start);
        let heard = (played as f64 * self.run.speed as f64) as u64;
        // The stretcher's latency can make the estimate run ahead of what
        // was decoded; never report audio that was not queued.
        let at = self.run.src_start + heard.min(self.decoded_frames);
        if self.duration_frames > 0 { at.min(self.duration_frames) } else { at }
    }

    fn status(&self) -> PlayerStatus {
        PlayerStatus {
            position_ms: self.frames_to_ms(self.position_frames()),
            duration_ms: self.frames_to_ms(self.duration_frames),
            playing: self.playing,
            speed: self.run.speed,
            ended: self.ended,
            error: self.failure,
        }
    }

    /// Logs what the current run played.
    fn end_run(&mut self) {
        if self.playing {
            let (from, to) = (self.run.src_start, self.position_frames());
            if to > from {
                self.log.heard(self.frames_to_ms(from), self.frames_to_ms(to));
            }
        }
    }

    /// Empties the ring and positions the decoder at `at` for a new run.
    fn start_run(&mut self, at: u64, speed: f32) -> Result<(), CaptureError> {
        // The callback empties the ring and clears the flag; until then
        // `fill` queues nothing, so no new audio is thrown away with the old.
        self.shared.discard.store(true, Ordering::Release);
        self.pending.clear();
        self.stretch.reset();
        self.stretch.set_tempo(speed);
        self.decoder.reset();
        let time = symphonia::core::units::Time::new(at / self.rate as u64, (at % self.rate as u64) as f64 / self.rate as f64);
        let seeked = match self.format.seek(SeekMode::Accurate, SeekTo::Time { time, track_id: Some(self.track_id) }) {
            Ok(seeked) => seeked,
            Err(e) => return Err(take(&self.read_error).unwrap_or_else(|| CaptureError::Decode(e.to_string()))),
        };
        // What lies between the packet found and the time asked for is
        // decoded and dropped; timestamps count in the track's time base.
        let early = seeked.required_ts.saturating_sub(seeked.actual_ts);
        self.skip_frames = match self.time_base {
            Some(tb) => {
                let t = tb.calc_time(early);
                t.seconds * self.rate as u64 + (t.frac * self.rate as f64).round() as u64
            }
            None => early,
        };
        self.run = Run { out_start: self.shared.played.load(Ordering::Acquire), src_start: at, speed };
        self.decoded_frames = 0;
        self.drained = false;
        self.ended = false;
        Ok(())
    }

    /// Decodes and queues audio until the ring is full or the source ends.
    fn fill(&mut self) {
        if self.shared.discard.load(Ordering::Acquire) {
            return;
        }
        loop {
            if !self.pending.is_empty() {
                let whole = self.ring.vacant_len().min(self.pending.len()) / self.channels * self.channels;
                let n = self.ring.push_slice(&self.pending[..whole]);
                self.pending.drain(..n);
                if !self.pending.is_empty() {
                    return;
                }
            }
            if self.drained {
                return;
            }
            match self.decode_next() {
                Some(samples) => {
                    self.decoded_frames += (samples.len() / self.channels) as u64;
                    self.pending = if self.run.speed == 1.0 {
                        samples
                    } else {
                        self.stretch.push(&samples);
                        self.stretch.pull(usize::MAX)
                    };
                }
                None => {
                    self.drained = true;
                    if self.run.speed != 1.0 {
                        self.pending = self.stretch.flush();
                    }
                }
            }
        }
    }

    /// The next decoded packet as output-channel samples, or `None` at the end.
    fn decode_next(&mut self) -> Option<Vec<f32>> {
        loop {
            let packet = match self.format.next_packet() {
                Ok(p) => p,
                Err(SymphoniaError::IoError(e)) if e.kind() == std::io::ErrorKind::UnexpectedEof && self.read_error_is_none() => {
                    return None;
                }
                Err(_) => {
                    self.fail(take(&self.read_error).map_or("capture.decode", |e| e.code()));
                    return None;
                }
            };
            if packet.track_id() != self.track_id {
                continue;
            }
            let decoded = match self.decoder.decode(&packet) {
                Ok(d) => d,
                // A damaged packet is skipped, as players do.
                Err(SymphoniaError::DecodeError(_)) => continue,
                Err(_) => {
                    self.fail("capture.decode");
                    return None;
                }
            };
            let spec = *decoded.spec();
            let needed = decoded.capacity() * spec.channels.count();
            let buffer = match &mut self.samples {
                Some(b) if b.capacity() >= needed => b,
                slot => slot.insert(SampleBuffer::<f32>::new(decoded.capacity() as u64, spec)),
            };
            buffer.copy_interleaved_ref(decoded);
            let frames = buffer.samples().chunks_exact(self.source_channels);
            let skip = (self.skip_frames as usize).min(frames.len());
            self.skip_frames -= skip as u64;
            let out: Vec<f32> = frames.skip(skip).flat_map(|f| f[..self.channels].iter().copied()).collect();
            if !out.is_empty() {
                return Some(out);
            }
        }
    }

    fn read_error_is_none(&self) -> bool {
        self.read_error.lock().unwrap_or_else(|p| p.into_inner()).is_none()
    }

    /// Playback cannot go on: stop after what is queued, and say why.
    fn fail(&mut self, code: &'static str) {
        self.failure = Some(code);
    }

    /// Stops at the end once everything queued has been played, or at
    /// once when the output failed.
    fn check_end(&mut self) {
        if self.shared.output_failed.load(Ordering::Acquire) {
            self.end_run();
            self.playing = false;
            self.failure = Some("capture.output_failed");
            let at = self.position_frames();
            self.run = Run { out_start: self.shared.played.load(Ordering::Acquire), src_start: at, speed: self.run.speed };
            self.decoded_frames = 0;
            return;
        }
        if self.drained && self.pending.is_empty() && self.ring.occupied_len() == 0 {
            let end = self.run.src_start + self.decoded_frames;
            self.duration_frames = self.duration_frames.max(end);
            // The position estimate may lag the stretcher's tail; the end
            // was heard all the same.
            self.log.heard(self.frames_to_ms(self.run.src_start), self.frames_to_ms(end));
            self.playing = false;
            // A failure is not the end: the reviewer may try again from here.
            self.ended = self.failure.is_none();
            self.resuming = false;
            let speed = self.run.speed;
            self.run = Run { out_start: self.shared.played.load(Ordering::Acquire), src_start: end, speed };
            self.decoded_frames = 0;
        }
    }
}

fn take(slot: &Arc<Mutex<Option<CaptureError>>>) -> Option<CaptureError> {
    slot.lock().unwrap_or_else(|p| p.into_inner()).take()
}

/// The original as a seekable byte source for the decoder, fetched a block
/// at a time through [`ReadRange`] and wiped as blocks are replaced. A
/// failed read keeps its typed error in `error` for the player to report.
struct OriginalSource {
    read: ReadRange,
    len: u64,
    pos: u64,
    block: Zeroizing<Vec<u8>>,
    block_start: u64,
    error: Arc<Mutex<Option<CaptureError>>>,
}

impl Read for OriginalSource {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        if self.pos >= self.len || buf.is_empty() {
            return Ok(0);
        }
        let in_block = self.pos >= self.block_start && self.pos < self.block_start + self.block.len() as u64;
        if !in_block {
            self.block = match (self.read)(self.pos, READ_BLOCK) {
                Ok(block) => block,
                Err(e) => {
                    let message = e.to_string();
                    *self.error.lock().unwrap_or_else(|p| p.into_inner()) = Some(e);
                    return Err(std::io::Error::other(message));
                }
            };
            self.block_start = self.pos;
            if self.block.is_empty() {
                return Ok(0);
            }
        }
        let at = (self.pos - self.block_start) as usize;
        let n = buf.len().min(self.block.len() - at);
        buf[..n].copy_from_slice(&self.block[at..at + n]);
        self.pos += n as u64;
        Ok(n)
    }
}

impl Seek for OriginalSource {
    fn seek(&mut self, to: SeekFrom) -> std::io::Result<u64> {
        self.pos = crate::seek::resolve(to, self.pos, self.len)?;
        Ok(self.pos)
    }
}

impl MediaSource for OriginalSource {
    fn is_seekable(&self) -> bool {
        true
    }

    fn byte_len(&self) -> Option<u64> {
        Some(self.len)
    }
}

/// The default output device, through cpal.
#[derive(Debug, Default)]
pub struct DeviceOutput;

impl Output for DeviceOutput {
    fn start(self: Box<Self>, rate: u32, channels: u16, renderer: Renderer) -> Result<Box<dyn std::any::Any>, CaptureError> {
        use cpal::traits::{DeviceTrait, HostTrait, StreamTrait};
        let device = cpal::default_host().default_output_device().ok_or(CaptureError::NoOutputDevice)?;
        let configs = device.supported_output_configs().map_err(|e| CaptureError::OutputFailed(e.to_string()))?;
        let plays = |c: &cpal::SupportedStreamConfigRange| {
            c.min_sample_rate().0 <= rate
                && rate <= c.max_sample_rate().0
                && matches!(c.sample_format(), cpal::SampleFormat::F32 | cpal::SampleFormat::I16)
        };
        // The recording's own channel count first, then stereo or mono
        // (the output adapts channels; the rate is never changed).
        let mut usable: Vec<_> = configs.filter(plays).collect();
        usable.sort_by_key(|c| {
            let fit = if c.channels() == channels { 0 } else if c.channels() <= 2 { 1 } else { 2 };
            (fit, c.sample_format() != cpal::SampleFormat::F32)
        });
        let range = usable.into_iter().next().ok_or(CaptureError::OutputUnsupported { rate, channels })?;
        let format = range.sample_format();
        let device_channels = range.channels() as usize;
        let buffer_range = *range.buffer_size();
        let mut config = range.with_sample_rate(cpal::SampleRate(rate)).config();
        // A short device buffer (30–50 ms): what the sound server holds is
        // still heard after a pause or seek, and its default can be seconds
        // long. A power of two, which ALSA's PulseAudio plugin requires.
        if let cpal::SupportedBufferSize::Range { min, max } = buffer_range {
            let frames = (rate / 20).max(256);
            let power_of_two = 1u32 << (31 - frames.leading_zeros());
            config.buffer_size = cpal::BufferSize::Fixed(power_of_two.clamp(min, max));
            // Not every backend takes every size it advertises: keep the
            // system's default when a silent trial stream refuses it.
            let trial_ok = match format {
                cpal::SampleFormat::F32 => device.build_output_stream(&config, |out: &mut [f32], _| out.fill(0.0), |_| {}, None).is_ok(),
                _ => device.build_output_stream(&config, |out: &mut [i16], _| out.fill(0), |_| {}, None).is_ok(),
            };
            if !trial_ok {
                config.buffer_size = cpal::BufferSize::Default;
            }
        }
        let failed = |e: &dyn std::fmt::Display| CaptureError::OutputFailed(e.to_string());
        let signal = renderer.failure_signal();
        let on_error = move |_e: cpal::StreamError| signal.raise();
        let mut adapter = Adapter::new(renderer, channels as usize, device_channels);
        let stream = match format {
            cpal::SampleFormat::F32 => device
                .build_output_stream(&config, move |out: &mut [f32], _| adapter.fill(out, |x| x), on_error, None)
                .map_err(|e| failed(&e))?,
            _ => device
                .build_output_stream(
                    &config,
                    move |out: &mut [i16], _| adapter.fill(out, |x| (x.clamp(-1.0, 1.0) * i16::MAX as f32) as i16),
                    on_error,
                    None,
                )
                .map_err(|e| failed(&e))?,
        };
        stream.play().map_err(|e| failed(&e))?;
        Ok(Box::new(stream))
    }
}

/// Feeds a device buffer from the renderer: the same channels straight
/// through, else mono repeated on every channel or stereo mixed down, and
/// samples converted — through a block allocated before the stream starts,
/// so the callback never allocates.
struct Adapter {
    renderer: Renderer,
    channels: usize,
    device_channels: usize,
    block: Vec<f32>,
}

impl Adapter {
    fn new(renderer: Renderer, channels: usize, device_channels: usize) -> Adapter {
        Adapter { renderer, channels, device_channels, block: vec![0.0; CONVERT_BLOCK * channels] }
    }

    fn fill<T: Copy>(&mut self, out: &mut [T], convert: impl Fn(f32) -> T) {
        let (ch, dch) = (self.channels, self.device_channels.max(1));
        for frames in out.chunks_mut(CONVERT_BLOCK * dch) {
            let n = frames.len() / dch;
            let src = &mut self.block[..n * ch];
            self.renderer.render(src);
            for (dst, frame) in frames.chunks_exact_mut(dch).zip(src.chunks_exact(ch)) {
                for (c, d) in dst.iter_mut().enumerate() {
                    let x = if ch == dch {
                        frame[c]
                    } else if ch == 1 {
                        frame[0]
                    } else if dch == 1 {
                        frame.iter().sum::<f32>() / ch as f32
                    } else {
                        frame[c.min(ch - 1)]
                    };
                    *d = convert(x);
                }
            }
        }
    }
}

/// Tells the player that the output failed (from the output's error
/// callback, which may not block either: it only sets a flag).
#[derive(Clone)]
pub struct FailureSignal(Arc<Shared>);

impl FailureSignal {
    pub fn raise(&self) {
        self.0.output_failed.store(true, Ordering::Release);
    }
}

/// An output that pulls at a chosen pace and keeps what it played, for
/// tests: `played` holds every sample in order (silence included).
#[derive(Debug, Clone)]
pub struct CapturedOutput {
    pub played: Arc<Mutex<Vec<f32>>>,
    /// Real-time multiple to pull at (1.0 = as a sound card would).
    pub pace: f32,
}

impl CapturedOutput {
    pub fn new(pace: f32) -> CapturedOutput {
        CapturedOutput { played: Arc::new(Mutex::new(Vec::new())), pace }
    }
}

struct StopOnDrop(Arc<AtomicBool>, Option<JoinHandle<()>>);

impl Drop for StopOnDrop {
    fn drop(&mut self) {
        self.0.store(true, Ordering::Release);
        if let Some(t) = self.1.take() {
            let _ = t.join();
        }
    }
}

impl Output for CapturedOutput {
    fn start(self: Box<Self>, rate: u32, channels: u16, mut renderer: Renderer) -> Result<Box<dyn std::any::Any>, CaptureError> {
        let stop = Arc::new(AtomicBool::new(false));
        let stopped = stop.clone();
        // 10 ms periods, like a sound card's.
        let period = (rate as usize / 100).max(1) * channels as usize;
        let interval = Duration::from_secs_f32(0.01 / self.pace.max(0.01));
        let played = self.played.clone();
        let thread = std::thread::Builder::new()
            .name("relato-test-output".into())
            .spawn(move || {
                let mut buffer = vec![0.0f32; period];
                let started = Instant::now();
                let mut periods = 0u32;
                while !stopped.load(Ordering::Acquire) {
                    renderer.render(&mut buffer);
                    played.lock().unwrap_or_else(|p| p.into_inner()).extend_from_slice(&buffer);
                    periods += 1;
                    if let Some(wait) = (interval * periods).checked_sub(started.elapsed()) {
                        std::thread::sleep(wait);
                    }
                }
            })
            .map_err(|e| CaptureError::OutputFailed(e.to_string()))?;
        Ok(Box::new(StopOnDrop(stop, Some(thread))))
    }
}

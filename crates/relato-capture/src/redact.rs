//! Silenced copies of an original: the audio of a redacted derivative, with
//! chosen stretches of time made silent and nothing else changed.
//!
//! # Two methods
//!
//! * [`silence_wav`] — for PCM WAV (the canonical WAV of every capture,
//!   [`crate::wav`], and imported WAVs: 8/16/24/32-bit integer, 32/64-bit
//!   float, any channel count, plain or `WAVE_FORMAT_EXTENSIBLE` headers).
//!   The file is copied **byte for byte**, except that the sample bytes of
//!   every frame inside a span are set to the format's silence (0x80 for
//!   unsigned 8-bit, 0 otherwise). Header, other chunks (before or after
//!   `data`), pad bytes and any trailing partial frame are unchanged, so the
//!   derivative is provably its parent with only the reported
//!   [`SilencedAudio::byte_ranges`] changed: anyone can check it with `cmp`.
//!   The RIFF chunks are walked here rather than by hound, because hound
//!   neither reports chunk offsets nor keeps unknown chunks.
//! * [`silence_decoded`] — for everything else symphonia decodes in this
//!   workspace (FLAC, MP3, AAC/M4A, and WAV encodings that are not PCM).
//!   The audio is decoded packet by packet and written as a **32-bit float**
//!   WAV (hound's header, [`crate::wav::header`]): the decoders produce
//!   `f32`, so float keeps every decoded sample exactly, with no rounding
//!   or dither to choose and document, and silence is an exact 0.0. The
//!   header is written first with no size and patched at the end, so
//!   memory stays flat however long the recording. Gapless trimming is on,
//!   as in the [player](crate::player), so times match what was heard.
//!
//! # Spans
//!
//! Spans are `(start_ms, end_ms)` of the original's timeline. A span
//! silences frames `floor(start · rate / 1000) .. ceil(end · rate / 1000)`:
//! rounding outwards, because a redaction that leaks a partial frame of a
//! name is worse than one a fraction of a millisecond too long. Spans are
//! clamped to the audio's length (one starting after the end silences
//! nothing and is left out of the report), overlapping or touching spans
//! merge, and a span with `end <= start` is refused with
//! [`CaptureError::RedactSpanReversed`] before anything is read or written.
//!
//! # Damaged packets
//!
//! The player skips a packet it cannot decode. Here a damaged packet is
//! written as silence of the packet's duration instead: skipping would pull
//! every later frame earlier, and the spans after it would silence the wrong
//! words. The frames so filled are reported in
//! [`SilencedAudio::damaged_frames`].
//!
//! # Errors and what is left in `out`
//!
//! Every check of the WAV header happens before the first byte is written,
//! so a `RedactNotWav` or `RedactUnsupportedWav` error leaves `out`
//! untouched (a caller may then fall back to [`silence_decoded`]). A read or
//! write failure during the copy, or a decoding failure, leaves a partial
//! copy in `out`, which the caller must discard. A read error whose
//! `io::Error` carries a [`CaptureError`] (an authentication failure of the
//! vault's chunk reader) is returned as that error.
//!
//! Neither function creates a file of its own: the only plaintext written
//! anywhere is what goes to `out`, which the caller chose.

use std::io::{Read, Seek, SeekFrom, Write};

use relato_vault::{AudioFormat, SampleFormat};
use serde::{Deserialize, Serialize};
use symphonia::core::audio::SampleBuffer;
use symphonia::core::codecs::DecoderOptions;
use symphonia::core::errors::Error as SymphoniaError;
use symphonia::core::formats::FormatOptions;
use symphonia::core::io::{MediaSource, MediaSourceStream};
use symphonia::core::meta::MetadataOptions;
use symphonia::core::probe::Hint;
use zeroize::Zeroizing;

use crate::{wav, CaptureError};

/// How the silenced copy was made.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SilenceMethod {
    /// The parent WAV, byte for byte, with sample bytes set to silence.
    PcmBytesZeroed,
    /// The parent decoded and written as a 32-bit float WAV.
    DecodedToWav,
}

/// One silenced stretch, as applied (merged and clamped).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct SilencedSpan {
    /// The requested times (the earliest start and latest end of the spans
    /// merged into this one), the end clamped to the audio's duration.
    pub start_ms: u64,
    pub end_ms: u64,
    /// The frames silenced: `start_frame..end_frame`.
    pub start_frame: u64,
    pub end_frame: u64,
}

/// What a silencing did, for the derivative's redaction record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SilencedAudio {
    pub method: SilenceMethod,
    pub sample_rate: u32,
    pub channels: u16,
    /// Whole frames in the copy.
    pub frames_total: u64,
    /// In order, disjoint.
    pub spans: Vec<SilencedSpan>,
    /// [`SilenceMethod::PcmBytesZeroed`] only: the byte ranges
    /// (`start..end` offsets in the file) that differ from the parent; every
    /// other byte is the parent's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub byte_ranges: Option<Vec<(u64, u64)>>,
    /// [`SilenceMethod::DecodedToWav`] only: frames of damaged packets,
    /// written as silence to keep the timeline.
    #[serde(default)]
    pub damaged_frames: u64,
}

/// Bytes copied at a time.
const COPY_BLOCK: usize = 64 * 1024;
/// A `fmt ` chunk longer than this is not a WAV format description.
const MAX_FMT_LEN: u32 = 1024;
/// The tail every `WAVE_FORMAT_EXTENSIBLE` sub-format GUID shares.
const KSDATAFORMAT_TAIL: [u8; 14] = [0x00, 0x00, 0x00, 0x00, 0x10, 0x00, 0x80, 0x00, 0x00, 0xAA, 0x00, 0x38, 0x9B, 0x71];

/// A span in frames, before clamping.
#[derive(Debug, Clone, Copy)]
struct Planned {
    start_ms: u64,
    end_ms: u64,
    start_frame: u64,
    end_frame: u64,
}

/// Refuses reversed or empty spans; nothing is read before this passes.
fn check_spans(spans_ms: &[(u64, u64)]) -> Result<(), CaptureError> {
    match spans_ms.iter().find(|(start, end)| end <= start) {
        Some(&(start_ms, end_ms)) => Err(CaptureError::RedactSpanReversed { start_ms, end_ms }),
        None => Ok(()),
    }
}

/// The spans in frames at `rate`, sorted and merged (touching ones too).
fn plan(spans_ms: &[(u64, u64)], rate: u32) -> Vec<Planned> {
    let rate = u128::from(rate);
    let frames = |ms: u64, round_up: bool| {
        let scaled = u128::from(ms) * rate;
        let f = if round_up { scaled.div_ceil(1000) } else { scaled / 1000 };
        u64::try_from(f).unwrap_or(u64::MAX)
    };
    let mut planned: Vec<Planned> = spans_ms
        .iter()
        .map(|&(start_ms, end_ms)| Planned {
            start_ms,
            end_ms,
            start_frame: frames(start_ms, false),
            end_frame: frames(end_ms, true),
        })
        .collect();
    planned.sort_unstable_by_key(|p| (p.start_frame, p.end_frame));
    let mut merged: Vec<Planned> = Vec::with_capacity(planned.len());
    for p in planned {
        match merged.last_mut() {
            Some(last) if p.start_frame <= last.end_frame => {
                last.end_frame = last.end_frame.max(p.end_frame);
                last.start_ms = last.start_ms.min(p.start_ms);
                last.end_ms = last.end_ms.max(p.end_ms);
            }
            _ => merged.push(p),
        }
    }
    merged
}

/// The planned spans cut to `frames_total` frames; empty ones are dropped.
fn clamp(planned: &[Planned], frames_total: u64, rate: u32) -> Vec<SilencedSpan> {
    let duration_ms = u64::try_from((u128::from(frames_total) * 1000).div_ceil(u128::from(rate.max(1)))).unwrap_or(u64::MAX);
    planned
        .iter()
        .filter(|p| p.start_frame < frames_total)
        .map(|p| SilencedSpan {
            start_ms: p.start_ms,
            end_ms: p.end_ms.min(duration_ms),
            start_frame: p.start_frame,
            end_frame: p.end_frame.min(frames_total),
        })
        .collect()
}

/// An I/O error as the capture error it carries, if any (the vault's chunk
/// reader reports a tampered chunk that way), else as `capture.io`.
fn io_error(e: std::io::Error) -> CaptureError {
    if e.get_ref().is_some_and(|inner| inner.is::<CaptureError>()) {
        if let Some(inner) = e.into_inner() {
            if let Ok(typed) = inner.downcast::<CaptureError>() {
                return *typed;
            }
        }
        return CaptureError::Io("read failed".into());
    }
    CaptureError::Io(e.to_string())
}

/// Reads exactly `buf.len()` bytes, or says the header is cut short.
fn read_header<R: Read + ?Sized>(read: &mut R, buf: &mut [u8], what: &str) -> Result<(), CaptureError> {
    read.read_exact(buf).map_err(|e| match e.kind() {
        std::io::ErrorKind::UnexpectedEof => CaptureError::RedactNotWav(format!("the file ends inside the {what}")),
        _ => io_error(e),
    })
}

fn u16_at(b: &[u8], at: usize) -> u16 {
    u16::from_le_bytes([b[at], b[at + 1]])
}

fn u32_at(b: &[u8], at: usize) -> u32 {
    u32::from_le_bytes([b[at], b[at + 1], b[at + 2], b[at + 3]])
}

/// What the WAV's chunks say about its samples.
#[derive(Debug)]
struct WavLayout {
    sample_rate: u32,
    channels: u16,
    block_align: u64,
    silence: u8,
    data_start: u64,
    /// Sample bytes present (the declared size, cut to the file's end).
    data_len: u64,
}

/// Parses a `fmt ` chunk: rate, channels, frame size and the silence byte.
fn parse_fmt(fmt: &[u8]) -> Result<(u32, u16, u64, u8), CaptureError> {
    if fmt.len() < 16 {
        return Err(CaptureError::RedactNotWav("the fmt chunk is too short".into()));
    }
    let mut tag = u16_at(fmt, 0);
    let channels = u16_at(fmt, 2);
    let sample_rate = u32_at(fmt, 4);
    let block_align = u16_at(fmt, 12);
    let bits = u16_at(fmt, 14);
    if tag == 0xFFFE {
        // WAVE_FORMAT_EXTENSIBLE: the real format is the sub-format GUID's
        // first two bytes.
        if fmt.len() < 40 || fmt[26..40] != KSDATAFORMAT_TAIL {
            return Err(CaptureError::RedactUnsupportedWav("an extensible format with an unknown sub-format".into()));
        }
        tag = u16_at(fmt, 24);
    }
    if channels == 0 || sample_rate == 0 {
        return Err(CaptureError::RedactNotWav("the fmt chunk gives no channels or no sample rate".into()));
    }
    if block_align == 0 || !block_align.is_multiple_of(channels) {
        return Err(CaptureError::RedactNotWav(format!("a frame of {block_align} bytes does not hold {channels} channels")));
    }
    let container = block_align / channels;
    let fits = bits > 0 && bits <= container * 8;
    let silence = match (tag, container) {
        // 8-bit WAV samples are unsigned: silence is the midpoint.
        (1, 1) if fits => 0x80,
        (1, 2..=4) if fits => 0,
        (3, 4 | 8) if fits => 0,
        (1 | 3, _) => {
            return Err(CaptureError::RedactUnsupportedWav(format!("{bits}-bit samples in {container}-byte containers")))
        }
        _ => return Err(CaptureError::RedactUnsupportedWav(format!("format tag {tag:#06x}"))),
    };
    Ok((sample_rate, channels, u64::from(block_align), silence))
}

/// Walks the RIFF chunks to the format and the samples. Only reads.
fn layout<R: Read + Seek + ?Sized>(read: &mut R) -> Result<WavLayout, CaptureError> {
    let file_len = read.seek(SeekFrom::End(0)).map_err(io_error)?;
    read.seek(SeekFrom::Start(0)).map_err(io_error)?;
    let mut riff = [0u8; 12];
    read_header(read, &mut riff, "RIFF header")?;
    if &riff[0..4] == b"RF64" || &riff[0..4] == b"BW64" {
        return Err(CaptureError::RedactUnsupportedWav("a 64-bit RIFF (RF64) file".into()));
    }
    if &riff[0..4] != b"RIFF" || &riff[8..12] != b"WAVE" {
        return Err(CaptureError::RedactNotWav("no RIFF/WAVE header".into()));
    }
    // The RIFF size is not trusted (streamed files leave it 0): the file's
    // length bounds the walk instead.
    let mut fmt: Option<(u32, u16, u64, u8)> = None;
    let mut data: Option<(u64, u64)> = None;
    let mut pos = 12u64;
    while pos.saturating_add(8) <= file_len && (fmt.is_none() || data.is_none()) {
        read.seek(SeekFrom::Start(pos)).map_err(io_error)?;
        let mut head = [0u8; 8];
        read_header(read, &mut head, "chunk header")?;
        let size = u32_at(&head, 4);
        let body = pos + 8;
        match &head[0..4] {
            b"fmt " if fmt.is_none() => {
                if size > MAX_FMT_LEN || body + u64::from(size) > file_len {
                    return Err(CaptureError::RedactNotWav("the fmt chunk is damaged".into()));
                }
                let mut buf = vec![0u8; size as usize];
                read_header(read, &mut buf, "fmt chunk")?;
                fmt = Some(parse_fmt(&buf)?);
            }
            b"data" if data.is_none() => data = Some((body, u64::from(size).min(file_len - body))),
            _ => {}
        }
        // Chunks are padded to an even length.
        pos = body + u64::from(size) + u64::from(size & 1);
    }
    let (sample_rate, channels, block_align, silence) = fmt.ok_or_else(|| CaptureError::RedactNotWav("no fmt chunk".into()))?;
    let (data_start, data_len) = data.ok_or_else(|| CaptureError::RedactNotWav("no data chunk".into()))?;
    Ok(WavLayout { sample_rate, channels, block_align, silence, data_start, data_len })
}

/// Copies a PCM WAV from `read` to `out` with the frames inside `spans_ms`
/// set to silence, every other byte unchanged (see the module docs).
pub fn silence_wav<R, W>(read: &mut R, out: &mut W, spans_ms: &[(u64, u64)]) -> Result<SilencedAudio, CaptureError>
where
    R: Read + Seek + ?Sized,
    W: Write + ?Sized,
{
    check_spans(spans_ms)?;
    let l = layout(read)?;
    let file_len = read.seek(SeekFrom::End(0)).map_err(io_error)?;
    let frames_total = l.data_len / l.block_align;
    let spans = clamp(&plan(spans_ms, l.sample_rate), frames_total, l.sample_rate);
    let byte_ranges: Vec<(u64, u64)> = spans
        .iter()
        .map(|s| (l.data_start + s.start_frame * l.block_align, l.data_start + s.end_frame * l.block_align))
        .collect();

    read.seek(SeekFrom::Start(0)).map_err(io_error)?;
    // Plaintext audio: wiped when dropped.
    let mut buf = Zeroizing::new(vec![0u8; COPY_BLOCK]);
    let mut at = 0u64;
    let mut next_range = 0;
    while at < file_len {
        let want = (file_len - at).min(COPY_BLOCK as u64) as usize;
        let n = match read.read(&mut buf[..want]) {
            Ok(0) => return Err(CaptureError::Io("the audio ended before its length (it changed while being read)".into())),
            Ok(n) => n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(io_error(e)),
        };
        let end = at + n as u64;
        // Ranges are sorted and disjoint: skip those behind this block.
        while next_range < byte_ranges.len() && byte_ranges[next_range].1 <= at {
            next_range += 1;
        }
        for &(lo, hi) in byte_ranges[next_range..].iter().take_while(|(lo, _)| *lo < end) {
            let (from, to) = (lo.max(at) - at, hi.min(end) - at);
            buf[from as usize..to as usize].fill(l.silence);
        }
        out.write_all(&buf[..n]).map_err(io_error)?;
        at = end;
    }
    out.flush().map_err(io_error)?;
    Ok(SilencedAudio {
        method: SilenceMethod::PcmBytesZeroed,
        sample_rate: l.sample_rate,
        channels: l.channels,
        frames_total,
        spans,
        byte_ranges: Some(byte_ranges),
        damaged_frames: 0,
    })
}

/// A reader as symphonia's seekable source.
struct Source<R> {
    inner: R,
    len: Option<u64>,
}

impl<R: Read> Read for Source<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        self.inner.read(buf)
    }
}

impl<R: Seek> Seek for Source<R> {
    fn seek(&mut self, to: SeekFrom) -> std::io::Result<u64> {
        self.inner.seek(to)
    }
}

impl<R: Read + Seek + Send + Sync> MediaSource for Source<R> {
    fn is_seekable(&self) -> bool {
        true
    }

    fn byte_len(&self) -> Option<u64> {
        self.len
    }
}

/// A symphonia error as ours: a failed read as itself, the rest as
/// undecodable.
fn decode_error(e: SymphoniaError) -> CaptureError {
    match e {
        SymphoniaError::IoError(io) => io_error(io),
        other => CaptureError::RedactUndecodable(other.to_string()),
    }
}

/// The float WAV being written: the header goes first with no size and is
/// patched by [`FloatWav::finish`].
struct FloatWav {
    format: AudioFormat,
    data_len: u64,
    header_len: u64,
}

impl FloatWav {
    fn start<W: Write + Seek + ?Sized>(out: &mut W, sample_rate: u32, channels: u16) -> Result<FloatWav, CaptureError> {
        let format = AudioFormat { sample_rate, channels, sample_format: SampleFormat::F32 };
        let header = wav::header(&format, 0)?;
        out.write_all(&header).map_err(io_error)?;
        Ok(FloatWav { format, data_len: 0, header_len: header.len() as u64 })
    }

    /// Writes `bytes` of samples, refusing to grow past what a WAV can say.
    fn write<W: Write + ?Sized>(&mut self, out: &mut W, bytes: &[u8]) -> Result<(), CaptureError> {
        let data_len = self.data_len + bytes.len() as u64;
        if data_len + self.header_len > u64::from(u32::MAX) {
            return Err(CaptureError::TooLongForWav { bytes: data_len });
        }
        out.write_all(bytes).map_err(io_error)?;
        self.data_len = data_len;
        Ok(())
    }

    fn write_silence<W: Write + ?Sized>(&mut self, out: &mut W, frames: u64) -> Result<(), CaptureError> {
        let zeros = [0u8; 4096];
        let mut left = frames.saturating_mul(self.format.frame_bytes() as u64);
        while left > 0 {
            let n = left.min(zeros.len() as u64) as usize;
            self.write(out, &zeros[..n])?;
            left -= n as u64;
        }
        Ok(())
    }

    fn frames(&self) -> u64 {
        self.data_len / self.format.frame_bytes() as u64
    }

    /// Patches the sizes and leaves `out` at the end of the file.
    fn finish<W: Write + Seek + ?Sized>(self, out: &mut W) -> Result<(), CaptureError> {
        let header = wav::header(&self.format, self.data_len)?;
        out.seek(SeekFrom::Start(0)).map_err(io_error)?;
        out.write_all(&header).map_err(io_error)?;
        out.seek(SeekFrom::Start(self.header_len + self.data_len)).map_err(io_error)?;
        out.flush().map_err(io_error)
    }
}

/// Decodes `read` (any format symphonia reads here) and writes it to `out`
/// as a 32-bit float WAV with the frames inside `spans_ms` silent (see the
/// module docs). `out` should be empty: the WAV starts at its offset 0.
pub fn silence_decoded<R, W>(read: R, out: &mut W, spans_ms: &[(u64, u64)]) -> Result<SilencedAudio, CaptureError>
where
    R: Read + Seek + Send + Sync + 'static,
    W: Write + Seek + ?Sized,
{
    check_spans(spans_ms)?;
    let mut source = Source { inner: read, len: None };
    source.len = Some(source.seek(SeekFrom::End(0)).map_err(io_error)?);
    source.seek(SeekFrom::Start(0)).map_err(io_error)?;
    let stream = MediaSourceStream::new(Box::new(source), Default::default());
    let probed = symphonia::default::get_probe()
        .format(&Hint::new(), stream, &FormatOptions { enable_gapless: true, ..Default::default() }, &MetadataOptions::default())
        .map_err(|e| match e {
            SymphoniaError::IoError(io) if io.kind() != std::io::ErrorKind::UnexpectedEof => io_error(io),
            _ => CaptureError::RedactUndecodable("not an audio file symphonia can read".into()),
        })?;
    let mut format = probed.format;
    let track = format.default_track().ok_or_else(|| CaptureError::RedactUndecodable("no audio track".into()))?;
    let track_id = track.id;
    let params = track.codec_params.clone();
    let mut decoder =
        symphonia::default::get_codecs().make(&params, &DecoderOptions::default()).map_err(decode_error)?;

    let mut writer: Option<(FloatWav, Vec<Planned>)> = None;
    // Frames of damaged packets not yet written (before the format is known).
    let mut pending_silence = 0u64;
    let mut damaged_frames = 0u64;
    let mut samples: Option<SampleBuffer<f32>> = None;
    let mut bytes = Zeroizing::new(Vec::new());
    let mut next_span = 0;
    loop {
        let packet = match format.next_packet() {
            Ok(p) => p,
            // The end of the stream (or of a truncated file, as in the player).
            Err(SymphoniaError::IoError(e)) if e.kind() == std::io::ErrorKind::UnexpectedEof => break,
            Err(e) => return Err(decode_error(e)),
        };
        if packet.track_id() != track_id {
            continue;
        }
        let decoded = match decoder.decode(&packet) {
            Ok(d) => d,
            Err(SymphoniaError::DecodeError(_)) => {
                // Silence as long as the packet, so later spans still land
                // on their words.
                let rate = writer.as_ref().map(|(w, _)| w.format.sample_rate).or(params.sample_rate);
                let frames = match (params.time_base, rate) {
                    (Some(tb), Some(rate)) => {
                        let f = u128::from(packet.dur) * u128::from(tb.numer) * u128::from(rate) / u128::from(tb.denom.max(1));
                        u64::try_from(f).unwrap_or(u64::MAX)
                    }
                    _ => packet.dur,
                };
                damaged_frames = damaged_frames.saturating_add(frames);
                pending_silence = pending_silence.saturating_add(frames);
                continue;
            }
            Err(e) => return Err(decode_error(e)),
        };
        let spec = *decoded.spec();
        let channels = spec.channels.count();
        if channels == 0 || decoded.frames() == 0 {
            continue;
        }
        let channels_u16 =
            u16::try_from(channels).map_err(|_| CaptureError::RedactUndecodable(format!("{channels} channels")))?;
        let (w, planned) = match &mut writer {
            Some((w, planned)) => {
                if w.format.sample_rate != spec.rate || w.format.channels != channels_u16 {
                    return Err(CaptureError::RedactUndecodable("the sample rate or channel count changes mid-stream".into()));
                }
                (w, planned)
            }
            slot => {
                let w = FloatWav::start(out, spec.rate, channels_u16)?;
                let (w, planned) = slot.insert((w, plan(spans_ms, spec.rate)));
                (w, planned)
            }
        };
        if pending_silence > 0 {
            w.write_silence(out, std::mem::take(&mut pending_silence))?;
        }
        let needed = decoded.capacity() * channels;
        let buffer = match &mut samples {
            Some(b) if b.capacity() >= needed => b,
            slot => slot.insert(SampleBuffer::<f32>::new(decoded.capacity() as u64, spec)),
        };
        buffer.copy_interleaved_ref(decoded);
        bytes.clear();
        bytes.extend(buffer.samples().iter().flat_map(|s| s.to_le_bytes()));
        let frame_bytes = channels * 4;
        let first = w.frames();
        let last = first + (bytes.len() / frame_bytes) as u64;
        while next_span < planned.len() && planned[next_span].end_frame <= first {
            next_span += 1;
        }
        for p in planned[next_span..].iter().take_while(|p| p.start_frame < last) {
            let from = (p.start_frame.max(first) - first) as usize * frame_bytes;
            let to = (p.end_frame.min(last) - first) as usize * frame_bytes;
            bytes[from..to].fill(0);
        }
        w.write(out, &bytes)?;
    }

    let (mut w, planned) = match writer {
        Some(w) => w,
        // Nothing decoded: an empty WAV if the format is known.
        None => match (params.sample_rate, params.channels.map(|c| c.count())) {
            (Some(rate), Some(channels)) if rate > 0 && channels > 0 => {
                let channels = u16::try_from(channels).map_err(|_| CaptureError::RedactUndecodable(format!("{channels} channels")))?;
                (FloatWav::start(out, rate, channels)?, plan(spans_ms, rate))
            }
            _ => return Err(CaptureError::RedactUndecodable("no audio could be decoded".into())),
        },
    };
    if pending_silence > 0 {
        w.write_silence(out, pending_silence)?;
    }
    let frames_total = w.frames();
    let (sample_rate, channels) = (w.format.sample_rate, w.format.channels);
    w.finish(out)?;
    Ok(SilencedAudio {
        method: SilenceMethod::DecodedToWav,
        sample_rate,
        channels,
        frames_total,
        spans: clamp(&planned, frames_total, sample_rate),
        byte_ranges: None,
        damaged_frames,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spans_round_outwards_merge_and_clamp() {
        // 44.1 kHz: 1 ms is 44.1 frames.
        let planned = plan(&[(1, 2), (10, 20), (15, 30), (30, 31), (100, 200)], 44_100);
        let frames: Vec<_> = planned.iter().map(|p| (p.start_ms, p.end_ms, p.start_frame, p.end_frame)).collect();
        assert_eq!(frames, [(1, 2, 44, 89), (10, 31, 441, 1368), (100, 200, 4410, 8820)]);
        // 5000 frames: the last span is cut, a span after the end dropped.
        let clamped = clamp(&plan(&[(100, 200), (500, 600)], 44_100), 5000, 44_100);
        assert_eq!(clamped, [SilencedSpan { start_ms: 100, end_ms: 114, start_frame: 4410, end_frame: 5000 }]);
        assert!(plan(&[], 8000).is_empty());
        // No overflow at the extremes.
        let p = plan(&[(u64::MAX - 1, u64::MAX)], u32::MAX);
        assert_eq!(p[0].end_frame, u64::MAX);
    }

    #[test]
    fn reversed_spans_are_refused() {
        assert!(check_spans(&[(0, 1), (5, 9)]).is_ok());
        let err = check_spans(&[(0, 1), (9, 9)]).unwrap_err();
        assert_eq!(err.code(), "capture.redact_span_reversed");
        assert!(matches!(err, CaptureError::RedactSpanReversed { start_ms: 9, end_ms: 9 }));
    }

    #[test]
    fn fmt_parsing_knows_silence_and_refuses_other_encodings() {
        let fmt = |tag: u16, channels: u16, align: u16, bits: u16| {
            let mut b = Vec::new();
            b.extend_from_slice(&tag.to_le_bytes());
            b.extend_from_slice(&channels.to_le_bytes());
            b.extend_from_slice(&8000u32.to_le_bytes());
            b.extend_from_slice(&(8000 * u32::from(align)).to_le_bytes());
            b.extend_from_slice(&align.to_le_bytes());
            b.extend_from_slice(&bits.to_le_bytes());
            b
        };
        assert_eq!(parse_fmt(&fmt(1, 1, 1, 8)).unwrap(), (8000, 1, 1, 0x80));
        assert_eq!(parse_fmt(&fmt(1, 2, 6, 24)).unwrap(), (8000, 2, 6, 0));
        assert_eq!(parse_fmt(&fmt(3, 2, 16, 64)).unwrap(), (8000, 2, 16, 0));
        // A-law, 16-bit float, a frame that does not fit its channels.
        assert_eq!(parse_fmt(&fmt(6, 1, 1, 8)).unwrap_err().code(), "capture.redact_unsupported_wav");
        assert_eq!(parse_fmt(&fmt(3, 1, 2, 16)).unwrap_err().code(), "capture.redact_unsupported_wav");
        assert_eq!(parse_fmt(&fmt(1, 2, 3, 8)).unwrap_err().code(), "capture.redact_not_wav");
        assert_eq!(parse_fmt(&fmt(1, 0, 2, 16)).unwrap_err().code(), "capture.redact_not_wav");
        assert_eq!(parse_fmt(&fmt(1, 1, 2, 16)[..14]).unwrap_err().code(), "capture.redact_not_wav");
        // Extensible with a foreign GUID.
        let mut ext = fmt(0xFFFE, 1, 2, 16);
        ext.extend_from_slice(&[22, 0, 16, 0, 4, 0, 0, 0, 1, 0]);
        ext.extend_from_slice(&[0xAB; 14]);
        assert_eq!(parse_fmt(&ext).unwrap_err().code(), "capture.redact_unsupported_wav");
        ext.truncate(26);
        ext.extend_from_slice(&KSDATAFORMAT_TAIL);
        assert_eq!(parse_fmt(&ext).unwrap(), (8000, 1, 2, 0));
    }
}

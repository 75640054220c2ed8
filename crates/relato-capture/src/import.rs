//! Importing an existing recording (for example the official Gesell-chamber
//! recording): the file's bytes are stored exactly as they are, hashed at
//! import, and logged with the source's name and size.
//!
//! The file is probed with symphonia first — WAV, FLAC, MP3, M4A/AAC — so
//! that something that is not audio is refused before anything is written.
//! What the probe reads (rate, channels, length) is kept as information; the
//! original is the file, byte for byte, and `HASH_RECORDED` is its SHA-256.
//! The file is then decoded once to compute the waveform peaks the review
//! workspace draws — the decoded samples go nowhere else.

use std::io::{Read, Seek};
use std::path::Path;

use relato_vault::{AudioFormat, Counters, Origin, Recording, RecordingEnd, RecordingState, SampleFormat, StreamWriter, Vault};
use sha2::{Digest, Sha256};
use symphonia::core::audio::SampleBuffer;
use symphonia::core::codecs::DecoderOptions;
use symphonia::core::errors::Error as SymphoniaError;
use symphonia::core::formats::{FormatOptions, FormatReader};
use symphonia::core::io::MediaSourceStream;
use symphonia::core::meta::MetadataOptions;
use symphonia::core::probe::Hint;

use crate::level::Peaks;
use crate::CaptureError;

/// What the probe learned about a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Probed {
    pub container: String,
    pub codec: String,
    pub sample_rate: Option<u32>,
    pub channels: Option<u16>,
    pub frames: Option<u64>,
    /// The samples' format: the file's own for PCM, 32-bit float (as
    /// decoded) for compressed codecs.
    pub sample_format: SampleFormat,
    /// The file's bit depth, when the codec states one (PCM, FLAC; not
    /// lossy codecs, which have none).
    pub bits_per_sample: Option<u32>,
}

/// Something to read an original from, whole, any number of times.
pub trait ImportRead: Read + Seek + Send + Sync {}
impl<T: Read + Seek + Send + Sync> ImportRead for T {}

/// An original to import that is not (only) a file on disk: an entry of
/// a bundle read in place, say. Opened afresh for each pass (probe, copy,
/// peaks), never copied to disk.
pub struct ImportSource<'a> {
    /// The file's name, as the recording's origin keeps it; its extension
    /// hints the format.
    pub name: &'a str,
    pub open: &'a dyn Fn() -> std::io::Result<Box<dyn ImportRead>>,
}

/// An [`ImportRead`] as symphonia's source.
struct Media(Box<dyn ImportRead>, Option<u64>);

impl Read for Media {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        self.0.read(buf)
    }
}

impl Seek for Media {
    fn seek(&mut self, to: std::io::SeekFrom) -> std::io::Result<u64> {
        self.0.seek(to)
    }
}

impl symphonia::core::io::MediaSource for Media {
    fn is_seekable(&self) -> bool {
        true
    }

    fn byte_len(&self) -> Option<u64> {
        self.1
    }
}

/// Opens `source` as a symphonia format reader, or says it is not audio.
fn open_reader(source: &ImportSource<'_>) -> Result<Box<dyn FormatReader>, CaptureError> {
    let io = |e: std::io::Error| CaptureError::Io(format!("{}: {e}", source.name));
    let mut reader = (source.open)().map_err(io)?;
    let len = reader.seek(std::io::SeekFrom::End(0)).map_err(io)?;
    reader.seek(std::io::SeekFrom::Start(0)).map_err(io)?;
    let extension = extension(source.name);
    let mut hint = Hint::new();
    if !extension.is_empty() {
        hint.with_extension(&extension);
    }
    let stream = MediaSourceStream::new(Box::new(Media(reader, Some(len))), Default::default());
    let probed = symphonia::default::get_probe()
        .format(&hint, stream, &FormatOptions::default(), &MetadataOptions::default())
        .map_err(|_| CaptureError::NotAudio { file: source.name.to_owned() })?;
    Ok(probed.format)
}

fn extension(name: &str) -> String {
    Path::new(name).extension().and_then(|e| e.to_str()).unwrap_or_default().to_lowercase()
}

/// A file on disk as an [`ImportSource`]'s opener.
fn open_file(path: &Path) -> impl Fn() -> std::io::Result<Box<dyn ImportRead>> + '_ {
    move || Ok(Box::new(std::io::BufReader::new(std::fs::File::open(path)?)) as Box<dyn ImportRead>)
}

/// Reads enough of `path` to know it is audio symphonia can decode.
pub fn probe(path: &Path) -> Result<Probed, CaptureError> {
    let name = display_name(path);
    probe_source(&ImportSource { name: &name, open: &open_file(path) })
}

/// [`probe`] for any [`ImportSource`].
pub fn probe_source(source: &ImportSource<'_>) -> Result<Probed, CaptureError> {
    let reader = open_reader(source)?;
    let not_audio = || CaptureError::NotAudio { file: source.name.to_owned() };
    let track = reader.default_track().ok_or_else(not_audio)?;
    let params = &track.codec_params;
    let codec = symphonia::default::get_codecs()
        .get_codec(params.codec)
        .map(|d| d.short_name.to_owned())
        .ok_or_else(|| CaptureError::UnsupportedFile { file: source.name.to_owned() })?;
    let extension = extension(source.name);
    Ok(Probed {
        container: if extension.is_empty() { "audio".into() } else { extension },
        codec,
        sample_rate: params.sample_rate,
        channels: params.channels.map(|c| c.count() as u16),
        frames: params.n_frames,
        sample_format: match params.sample_format {
            Some(symphonia::core::sample::SampleFormat::U8) => SampleFormat::U8,
            Some(symphonia::core::sample::SampleFormat::S16) => SampleFormat::I16,
            Some(symphonia::core::sample::SampleFormat::S32) => SampleFormat::I32,
            _ => SampleFormat::F32,
        },
        // Float and companded WAVs without the extensible header state no
        // bit depth; their codec does.
        bits_per_sample: params.bits_per_sample.or_else(|| bits_of_codec(params.codec)),
    })
}

/// The bit depth a PCM codec implies, for headers that do not state it.
fn bits_of_codec(codec: symphonia::core::codecs::CodecType) -> Option<u32> {
    use symphonia::core::codecs::*;
    match codec {
        CODEC_TYPE_PCM_F32LE | CODEC_TYPE_PCM_F32BE => Some(32),
        CODEC_TYPE_PCM_F64LE | CODEC_TYPE_PCM_F64BE => Some(64),
        CODEC_TYPE_PCM_ALAW | CODEC_TYPE_PCM_MULAW => Some(8),
        _ => None,
    }
}

/// Decodes `path` and writes its waveform peaks ([`Peaks`]: min and max of
/// every 480 frames). A packet that does not decode is skipped, as players
/// do; the original is unaffected either way.
fn decode_peaks(source: &ImportSource<'_>, out: &mut StreamWriter<'_>) -> Result<(), CaptureError> {
    // Peaks are a view, never a reason to refuse the original: a file the
    // decoder cannot open gets no peaks. Only the vault's own errors count.
    let Ok(mut reader) = open_reader(source) else { return Ok(()) };
    let Some(track) = reader.default_track() else { return Ok(()) };
    let track_id = track.id;
    let Ok(mut decoder) = symphonia::default::get_codecs().make(&track.codec_params, &DecoderOptions::default()) else {
        return Ok(());
    };
    let mut peaks: Option<Peaks> = None;
    let mut samples: Option<SampleBuffer<f32>> = None;
    let mut peak_bytes = Vec::new();
    // Ends at the end of the file (an I/O "unexpected end"), or at a chained
    // stream that would need a reset.
    while let Ok(packet) = reader.next_packet() {
        if packet.track_id() != track_id {
            continue;
        }
        let decoded = match decoder.decode(&packet) {
            Ok(decoded) => decoded,
            Err(SymphoniaError::DecodeError(_)) => continue,
            Err(_) => break,
        };
        let spec = *decoded.spec();
        let needed = decoded.capacity() * spec.channels.count();
        let buffer = match &mut samples {
            Some(b) if b.capacity() >= needed => b,
            slot => slot.insert(SampleBuffer::<f32>::new(decoded.capacity() as u64, spec)),
        };
        buffer.copy_interleaved_ref(decoded);
        let format = AudioFormat { sample_rate: spec.rate, channels: spec.channels.count() as u16, sample_format: SampleFormat::F32 };
        peaks.get_or_insert_with(|| Peaks::new(format)).push_f32(buffer.samples(), &mut peak_bytes);
        out.write(&peak_bytes)?;
        peak_bytes.clear();
    }
    if let Some(p) = &mut peaks {
        p.finish(&mut peak_bytes);
        out.write(&peak_bytes)?;
    }
    Ok(())
}

fn display_name(path: &Path) -> String {
    path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| path.display().to_string())
}

/// Stores `path` as an imported original of `session_id`, logged
/// (`IMPORT_START`, `IMPORT_END`, `HASH_RECORDED`).
pub fn import_file(vault: &Vault, session_id: &str, path: &Path) -> Result<Recording, CaptureError> {
    let name = display_name(path);
    import_source(vault, session_id, &ImportSource { name: &name, open: &open_file(path) })
}

/// [`import_file`] for any [`ImportSource`]: the bytes it reads are the
/// original, stored and hashed as they are.
pub fn import_source(vault: &Vault, session_id: &str, source: &ImportSource<'_>) -> Result<Recording, CaptureError> {
    let probed = probe_source(source)?;
    let io = |e: std::io::Error| CaptureError::Io(format!("{}: {e}", source.name));
    let mut file = (source.open)().map_err(io)?;
    let size_bytes = file.seek(std::io::SeekFrom::End(0)).map_err(io)?;
    file.seek(std::io::SeekFrom::Start(0)).map_err(io)?;
    let origin = Origin::Imported {
        file_name: source.name.to_owned(),
        size_bytes,
        container: format!("{} ({})", probed.container, probed.codec),
        // The rate places the waveform's peaks and markers in time.
        format: match (probed.sample_rate, probed.channels) {
            (Some(sample_rate), Some(channels)) => Some(AudioFormat { sample_rate, channels, sample_format: probed.sample_format }),
            _ => None,
        },
        bits_per_sample: probed.bits_per_sample,
    };
    let (rec, mut stream, mut peaks) = vault.begin_recording(session_id, origin)?;
    let mut hasher = Sha256::new();
    let mut buf = vec![0u8; 256 * 1024];
    let mut copied = 0u64;
    loop {
        let n = file.read(&mut buf).map_err(io)?;
        if n == 0 {
            break;
        }
        hasher.update(&buf[..n]);
        stream.write(&buf[..n])?;
        copied += n as u64;
    }
    stream.finish()?;
    decode_peaks(source, &mut peaks)?;
    peaks.finish()?;
    let sha256 = hex::encode(hasher.finalize());
    // What the vault holds must be the file, byte for byte.
    let stored = crate::original::stream_sha256(vault, &rec.stream_id)?;
    if stored != sha256 || copied != size_bytes {
        return Err(CaptureError::Integrity { expected: sha256, found: stored });
    }
    let duration_ms = match (probed.frames, probed.sample_rate) {
        (Some(f), Some(r)) if r > 0 => f * 1000 / r as u64,
        _ => 0,
    };
    let end = RecordingEnd {
        state: RecordingState::Sealed,
        ended_at: relato_vault::utc_now(),
        frames: probed.frames.unwrap_or(0),
        duration_ms,
        sha256_pcm: None,
        sha256_original: sha256,
        original_bytes: copied,
        counters: Counters::default(),
    };
    Ok(vault.seal_recording(&rec.id, end)?)
}

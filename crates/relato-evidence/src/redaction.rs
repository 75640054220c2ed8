//! Redacted derivatives: a session's transcript with chosen spans
//! replaced and its originals with chosen stretches silenced, written under
//! `derivatives/<S>/redacted/` beside the untouched originals.
//!
//! Each redacted file names its parent by SHA-256 in `redaction.json`,
//! with every transformation: the silenced spans (frames, and for a WAV
//! parent the exact byte ranges changed, so `cmp` shows nothing else
//! differs) and the text ranges replaced, with their reasons — never the
//! removed text, which would defeat the redaction. The original stays in
//! the vault and in `evidence/` byte for byte.
//!
//! A WAV parent (every capture) is copied with only its sample bytes in
//! the spans zeroed, reading the vault in blocks. Any other parent is
//! decoded to a float WAV (`relato_capture::redact::silence_decoded`);
//! since a bundle may be a zip stream that cannot seek back to patch a WAV
//! header, that is done twice: once to learn the finished header, once to
//! stream it ([`Replay`]).

use std::io::{Read, Seek, SeekFrom, Write};

use relato_capture::playback::OriginalReader;
use relato_capture::redact::{silence_decoded, silence_wav, SilencedAudio};
use relato_capture::CaptureError;
use relato_review::{Redacted, TextRedaction, Transcript};
use relato_vault::{Recording, Vault};
use serde::{Deserialize, Serialize};
use zeroize::Zeroizing;

use crate::error::EvidenceError;

/// What to redact in one session of a bundle.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionRedaction {
    /// The session's id.
    pub session: String,
    /// Replacements in its latest transcript.
    #[serde(default)]
    pub text: Vec<TextRedaction>,
    /// Stretches silenced in each of its originals (ms of the original).
    #[serde(default)]
    pub audio: Vec<AudioRedaction>,
}

/// A stretch of audio to silence, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AudioRedaction {
    pub start_ms: u64,
    pub end_ms: u64,
    pub reason: String,
}

/// Replaces the requested spans of a transcript.
pub(crate) fn redact_transcript(session: &str, transcript: &Transcript, requests: &[TextRedaction]) -> Result<Redacted, EvidenceError> {
    relato_review::redact(transcript, requests).map_err(|e| EvidenceError::Redaction { session: session.to_owned(), reason: e.to_string() })
}

/// Writes `recording`'s original with `spans` silenced into `out`.
pub(crate) fn silence_original(v: &Vault, recording: &Recording, spans: &[(u64, u64)], out: &mut dyn Write) -> Result<SilencedAudio, EvidenceError> {
    let reader = OriginalReader::open(v, recording)?;
    let mut source = VaultRead { vault: v, reader: &reader, pos: 0, block: Zeroizing::new(Vec::new()), block_start: 0 };
    match silence_wav(&mut source, out, spans) {
        Err(CaptureError::RedactNotWav(_) | CaptureError::RedactUnsupportedWav(_)) => {}
        done => return Ok(done?),
    }
    // Not a PCM WAV: decoded. The decoder needs an owned source, so the
    // (compressed, imported) original is read into memory, wiped after.
    let bytes = reader.read(v, 0, reader.len())?;
    let mut measure = Replay::measure();
    silence_decoded(std::io::Cursor::new(Zeroizing::new(bytes.to_vec())), &mut measure, spans)?;
    let mut replay = measure.replay(out);
    let done = silence_decoded(std::io::Cursor::new(bytes), &mut replay, spans)?;
    replay.check_complete()?;
    Ok(done)
}

/// Block size of reads from the vault.
const BLOCK: u64 = 1 << 20;

/// An original in the vault as a seekable byte source, a block at a time.
struct VaultRead<'a> {
    vault: &'a Vault,
    reader: &'a OriginalReader,
    pos: u64,
    block: Zeroizing<Vec<u8>>,
    block_start: u64,
}

impl Read for VaultRead<'_> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        if self.pos >= self.reader.len() || buf.is_empty() {
            return Ok(0);
        }
        let in_block = self.pos >= self.block_start && self.pos < self.block_start + self.block.len() as u64;
        if !in_block {
            // The capture error travels inside the io::Error, so a damaged
            // chunk is reported as itself.
            self.block = self.reader.read(self.vault, self.pos, BLOCK).map_err(std::io::Error::other)?;
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

impl Seek for VaultRead<'_> {
    fn seek(&mut self, to: SeekFrom) -> std::io::Result<u64> {
        self.pos = relato_capture::seek::resolve(to, self.pos, self.reader.len())?;
        Ok(self.pos)
    }
}

/// How many leading bytes a decoded WAV's header may be patched in.
const HEADER_MAX: usize = 4096;

/// A seekable writer over a stream that cannot seek. The first run
/// ([`Replay::measure`]) discards the audio and keeps the header as it was
/// finally patched; the second ([`Replay::replay`]) streams everything,
/// writing that final header at once, and accepts the later patches only
/// if they write the same bytes — which they do, as decoding is
/// deterministic; anything else is an error, never a wrong file.
struct Replay<W> {
    out: Option<W>,
    pos: u64,
    /// Bytes written so far (the stream's length).
    end: u64,
    head: Vec<u8>,
    /// The length the first run reached; the second must reach it too.
    expected_end: Option<u64>,
}

impl Replay<std::io::Sink> {
    fn measure() -> Self {
        Replay { out: None, pos: 0, end: 0, head: Vec::new(), expected_end: None }
    }

    fn replay<W: Write>(self, out: W) -> Replay<W> {
        Replay { out: Some(out), pos: 0, end: 0, head: self.head, expected_end: Some(self.end) }
    }
}

impl<W: Write> Replay<W> {
    fn check_complete(&self) -> Result<(), EvidenceError> {
        match self.expected_end {
            Some(n) if n != self.end => Err(EvidenceError::Redaction {
                session: String::new(),
                reason: format!("decoding gave {} bytes, then {n}", self.end),
            }),
            _ => Ok(()),
        }
    }
}

impl<W: Write> Write for Replay<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let mismatch = || std::io::Error::other("a decoded WAV header changed between two decodings");
        let Some(out) = self.out.as_mut() else {
            // Measuring: keep what lands in the header region.
            let start = self.pos as usize;
            if start < HEADER_MAX {
                let stop = (start + buf.len()).min(HEADER_MAX);
                if self.head.len() < stop {
                    self.head.resize(stop, 0);
                }
                self.head[start..stop].copy_from_slice(&buf[..stop - start]);
            }
            self.pos += buf.len() as u64;
            self.end = self.end.max(self.pos);
            return Ok(buf.len());
        };
        if self.pos < self.end {
            // A patch of what was already streamed: only the final header,
            // which was written at once.
            let start = self.pos as usize;
            let same = start + buf.len() <= self.head.len() && self.head[start..start + buf.len()] == *buf;
            if !same {
                return Err(mismatch());
            }
            self.pos += buf.len() as u64;
            return Ok(buf.len());
        }
        let start = self.pos as usize;
        if start < self.head.len() {
            let n = buf.len().min(self.head.len() - start);
            out.write_all(&self.head[start..start + n])?;
            self.pos += n as u64;
            self.end = self.pos;
            return Ok(n);
        }
        out.write_all(buf)?;
        self.pos += buf.len() as u64;
        self.end = self.pos;
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.out.as_mut().map_or(Ok(()), Write::flush)
    }
}

impl<W: Write> Seek for Replay<W> {
    fn seek(&mut self, to: SeekFrom) -> std::io::Result<u64> {
        let target = relato_capture::seek::resolve(to, self.pos, self.end)?;
        if target > self.end {
            return Err(std::io::Error::new(std::io::ErrorKind::InvalidInput, "seek past what was written"));
        }
        self.pos = target;
        Ok(self.pos)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Writes like a WAV writer: a placeholder header, the data, then the
    /// header patched.
    fn write_like_a_wav(w: &mut (impl Write + Seek), data: &[u8]) -> std::io::Result<()> {
        w.write_all(b"HDR?0000")?;
        w.write_all(data)?;
        let end = w.stream_position()?;
        w.seek(SeekFrom::Start(4))?;
        w.write_all(format!("{:04}", data.len()).as_bytes())?;
        w.seek(SeekFrom::Start(end))?;
        Ok(())
    }

    #[test]
    fn a_replay_streams_the_final_header_first() {
        let mut measure = Replay::measure();
        write_like_a_wav(&mut measure, b"audio bytes").unwrap();
        let mut out = Vec::new();
        let mut replay = measure.replay(&mut out);
        write_like_a_wav(&mut replay, b"audio bytes").unwrap();
        replay.check_complete().unwrap();
        assert_eq!(out, b"HDR?0011audio bytes");
    }

    #[test]
    fn a_replay_that_differs_is_an_error() {
        let mut measure = Replay::measure();
        write_like_a_wav(&mut measure, b"audio bytes").unwrap();
        let mut out = Vec::new();
        let mut replay = measure.replay(&mut out);
        assert!(write_like_a_wav(&mut replay, b"other audio!").is_err(), "a different length patches a different header");
    }
}

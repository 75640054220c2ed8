//! The original out of the vault: its digest (what `HASH_RECORDED` carries)
//! and its export as a file.
//!
//! A captured original's exported form is the canonical WAV ([`crate::wav`]);
//! the digest streams it chunk by chunk, so memory stays flat however long
//! the recording. Export checks the digest against `HASH_RECORDED` *before*
//! writing anything, never overwrites a file, and is logged.

use std::io::Write;
use std::path::Path;

use relato_vault::{AudioFormat, Origin, Recording, Vault};
use sha2::{Digest, Sha256};

use crate::{wav, CaptureError};

/// Hashes of a stored original.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OriginalDigest {
    /// Whole frames in the stream.
    pub frames: u64,
    pub sha256_pcm: String,
    pub sha256_wav: String,
    pub wav_bytes: u64,
}

/// Reads a captured original's stream and hashes its samples and its WAV form.
/// A trailing partial frame (possible only after recovery) is left out of both.
pub fn digest(vault: &Vault, stream_id: &str, format: &AudioFormat) -> Result<OriginalDigest, CaptureError> {
    let total = stream_len(vault, stream_id)?;
    let fb = format.frame_bytes() as u64;
    let data_len = total / fb * fb;
    let header = wav::header(format, data_len)?;
    let mut pcm = Sha256::new();
    let mut wav = Sha256::new();
    wav.update(&header);
    let mut remaining = data_len;
    vault.for_each_chunk(stream_id, |_, chunk| {
        let take = (chunk.len() as u64).min(remaining) as usize;
        pcm.update(&chunk[..take]);
        wav.update(&chunk[..take]);
        remaining -= take as u64;
        Ok(())
    })?;
    Ok(OriginalDigest {
        frames: data_len / fb,
        sha256_pcm: hex::encode(pcm.finalize()),
        sha256_wav: hex::encode(wav.finalize()),
        wav_bytes: header.len() as u64 + data_len,
    })
}

/// SHA-256 of a stream's plaintext (reads and authenticates it).
pub fn stream_sha256(vault: &Vault, stream_id: &str) -> Result<String, CaptureError> {
    let mut h = Sha256::new();
    vault.for_each_chunk(stream_id, |_, chunk| {
        h.update(chunk);
        Ok(())
    })?;
    Ok(hex::encode(h.finalize()))
}

/// Bytes of plaintext in a stream, from its chunk sizes (the bytes
/// themselves are authenticated by whoever reads them).
pub fn stream_len(vault: &Vault, stream_id: &str) -> Result<u64, CaptureError> {
    Ok(vault.stream_plaintext_len(stream_id)?)
}

/// What an export wrote.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Exported {
    pub path: String,
    pub bytes: u64,
    pub sha256: String,
}

/// A stored original that matched `HASH_RECORDED`, ready to be written
/// ([`write_checked`]) without reading it through a second time.
#[derive(Debug, Clone)]
pub struct Checked {
    header: Vec<u8>,
    data_len: u64,
}

/// Reads a sealed recording's original through and checks it against
/// `HASH_RECORDED` without writing anything.
pub fn check(vault: &Vault, recording: &Recording) -> Result<Checked, CaptureError> {
    let end = recording.end.as_ref().ok_or(CaptureError::NotSealed)?;
    // The exported form: the canonical WAV of a capture, the file of an import.
    let (header, data_len) = match &recording.origin {
        Origin::Captured { format, .. } => {
            let digest = digest(vault, &recording.stream_id, format)?;
            if digest.sha256_wav != end.sha256_original {
                return Err(CaptureError::Integrity { expected: end.sha256_original.clone(), found: digest.sha256_wav });
            }
            let data_len = digest.frames * format.frame_bytes() as u64;
            (wav::header(format, data_len)?, data_len)
        }
        Origin::Imported { .. } => {
            let found = stream_sha256(vault, &recording.stream_id)?;
            if found != end.sha256_original {
                return Err(CaptureError::Integrity { expected: end.sha256_original.clone(), found });
            }
            (Vec::new(), end.original_bytes)
        }
    };
    Ok(Checked { header, data_len })
}

/// Writes a sealed recording's original to `out` (a new file), after
/// checking it against `HASH_RECORDED`, and logs `AUDIO_EXPORTED`.
pub fn export(vault: &Vault, recording: &Recording, out: &Path, purpose: Option<&str>) -> Result<Exported, CaptureError> {
    let checked = check(vault, recording)?;
    write_checked(vault, recording, &checked, out, purpose)
}

/// Writes an original already [`check`]ed to `out` (a new file), hashing
/// what it writes: if that differs from `HASH_RECORDED` (the stream
/// changed since the check) the file is removed. Logs `AUDIO_EXPORTED`.
pub fn write_checked(vault: &Vault, recording: &Recording, checked: &Checked, out: &Path, purpose: Option<&str>) -> Result<Exported, CaptureError> {
    let io = |e: std::io::Error| CaptureError::Io(format!("{}: {e}", out.display()));
    let file = std::fs::OpenOptions::new().write(true).create_new(true).open(out).map_err(|e| {
        if e.kind() == std::io::ErrorKind::AlreadyExists {
            CaptureError::OutputExists { path: out.display().to_string() }
        } else {
            io(e)
        }
    })?;
    let mut w = std::io::BufWriter::new(file);
    let copied = copy_checked(vault, recording, checked, &mut w).and_then(|copied| {
        let file = w.into_inner().map_err(|e| io(e.into_error()))?;
        file.sync_all().map_err(io)?;
        Ok(copied)
    });
    let (bytes, sha256) = match copied {
        Ok(c) => c,
        Err(e) => {
            // Half an original, or one that no longer matches: keep nothing.
            let _ = std::fs::remove_file(out);
            return Err(e);
        }
    };
    vault.log_audio_export(&recording.id, &sha256, bytes, purpose)?;
    Ok(Exported { path: out.display().to_string(), bytes, sha256 })
}

/// Streams an original already [`check`]ed into `w`, hashing what it
/// writes, and returns its size and SHA-256. If that differs from
/// `HASH_RECORDED` (the stream changed since the check) it fails with
/// [`CaptureError::Integrity`]: what was written must then be discarded.
/// Logs nothing; the caller says what the copy was for.
pub fn copy_checked(vault: &Vault, recording: &Recording, checked: &Checked, w: &mut dyn Write) -> Result<(u64, String), CaptureError> {
    let end = recording.end.as_ref().ok_or(CaptureError::NotSealed)?;
    let (header, data_len) = (&checked.header, checked.data_len);
    let io = |e: std::io::Error| CaptureError::Io(e.to_string());
    w.write_all(header).map_err(io)?;
    let mut written = Sha256::new();
    written.update(header);
    let mut remaining = data_len;
    vault.for_each_chunk(&recording.stream_id, |_, chunk| {
        let take = (chunk.len() as u64).min(remaining) as usize;
        written.update(&chunk[..take]);
        remaining -= take as u64;
        w.write_all(&chunk[..take]).map_err(|e| relato_vault::VaultError::Storage(e.to_string()))
    })?;
    let sha256 = hex::encode(written.finalize());
    if sha256 != end.sha256_original {
        return Err(CaptureError::Integrity { expected: end.sha256_original.clone(), found: sha256 });
    }
    Ok((header.len() as u64 + data_len, sha256))
}

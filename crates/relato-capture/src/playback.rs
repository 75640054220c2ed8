//! Listening to a sealed original without plaintext on disk.
//!
//! [`OriginalReader`] serves byte ranges of the original's exported form —
//! the canonical WAV of a capture, the file itself for an import — the way
//! an HTTP Range request asks for them: only the chunks covering the range
//! are read and decrypted, into memory that is wiped when dropped. Each
//! chunk is authenticated as it is read, so a tampered byte fails the read
//! instead of playing.
//!
//! [`ListenLog`] gathers what was heard, in milliseconds, and merges
//! overlapping and touching stretches, so that custody gets one `PLAYBACK`
//! line per listening session rather than one per second.

use relato_vault::{Origin, Recording, Vault};
use zeroize::Zeroizing;

use crate::{wav, CaptureError};

/// Byte ranges of one sealed original.
#[derive(Debug, Clone)]
pub struct OriginalReader {
    stream_id: String,
    header: Vec<u8>,
    data_len: u64,
    /// Plaintext offset where each chunk starts, and one past the last.
    chunk_starts: Vec<u64>,
}

impl OriginalReader {
    /// Prepares to read `recording` (which must be sealed) from `vault`.
    pub fn open(vault: &Vault, recording: &Recording) -> Result<OriginalReader, CaptureError> {
        let end = recording.end.as_ref().ok_or(CaptureError::NotSealed)?;
        let (header, data_len) = match &recording.origin {
            Origin::Captured { format, .. } => {
                // As exported: whole frames only.
                let data_len = end.frames * format.frame_bytes() as u64;
                (wav::header(format, data_len)?, data_len)
            }
            Origin::Imported { .. } => (Vec::new(), end.original_bytes),
        };
        let mut chunk_starts = vec![0u64];
        for len in vault.stream_chunk_lengths(&recording.stream_id)? {
            chunk_starts.push(chunk_starts.last().copied().unwrap_or(0) + len);
        }
        Ok(OriginalReader { stream_id: recording.stream_id.clone(), header, data_len, chunk_starts })
    }

    /// Length of the exported form, in bytes.
    pub fn len(&self) -> u64 {
        self.header.len() as u64 + self.data_len
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Up to `len` bytes from `offset` (fewer at the end; none past it).
    pub fn read(&self, vault: &Vault, offset: u64, len: u64) -> Result<Zeroizing<Vec<u8>>, CaptureError> {
        let end = offset.saturating_add(len).min(self.len());
        let mut out = Zeroizing::new(Vec::with_capacity(end.saturating_sub(offset) as usize));
        if offset >= end {
            return Ok(out);
        }
        let header_len = self.header.len() as u64;
        if offset < header_len {
            out.extend_from_slice(&self.header[offset as usize..end.min(header_len) as usize]);
        }
        // The rest lies in the samples, at data offsets [from, to).
        let (from, to) = (offset.max(header_len) - header_len, end.saturating_sub(header_len));
        if from < to {
            // The first chunk that ends after `from`.
            let mut index = self.chunk_starts.partition_point(|&start| start <= from).saturating_sub(1);
            while index + 1 < self.chunk_starts.len() && self.chunk_starts[index] < to {
                let chunk = Zeroizing::new(vault.read_stream_chunk(&self.stream_id, index as u64)?);
                let start = self.chunk_starts[index];
                let lo = from.saturating_sub(start) as usize;
                let hi = ((to - start) as usize).min(chunk.len());
                if lo < hi {
                    out.extend_from_slice(&chunk[lo..hi]);
                }
                index += 1;
            }
        }
        Ok(out)
    }
}

/// What was heard of a recording, merged, until taken for custody.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct ListenLog {
    ranges: Vec<(u64, u64)>,
}

impl ListenLog {
    /// Notes that `from_ms..to_ms` was heard (in either order).
    pub fn heard(&mut self, from_ms: u64, to_ms: u64) {
        let (a, b) = (from_ms.min(to_ms), from_ms.max(to_ms));
        self.ranges.push((a, b));
    }

    pub fn is_empty(&self) -> bool {
        self.ranges.is_empty()
    }

    /// The merged stretches, in order; the log is empty afterwards.
    pub fn take(&mut self) -> Vec<(u64, u64)> {
        let mut ranges = std::mem::take(&mut self.ranges);
        ranges.sort_unstable();
        let mut merged: Vec<(u64, u64)> = Vec::with_capacity(ranges.len());
        for (a, b) in ranges {
            match merged.last_mut() {
                Some(last) if a <= last.1 => last.1 = last.1.max(b),
                _ => merged.push((a, b)),
            }
        }
        merged
    }
}

#[cfg(test)]
mod tests {
    use super::ListenLog;

    #[test]
    fn stretches_merge_when_they_overlap_or_touch() {
        let mut log = ListenLog::default();
        for (a, b) in [(5_000, 9_000), (0, 1_000), (1_000, 2_000), (8_000, 12_000), (30_000, 29_000), (15_000, 15_000)] {
            log.heard(a, b);
        }
        assert_eq!(log.take(), [(0, 2_000), (5_000, 12_000), (15_000, 15_000), (29_000, 30_000)]);
        assert!(log.is_empty() && log.take().is_empty());
    }
}

//! Encrypted streams stored in the vault: large blobs (audio, imported
//! files) as numbered chunks sealed by [`StreamCipher`].
//!
//! A [`StreamWriter`] seals each chunk as soon as it is full and keeps the
//! sealed chunks until [`StreamWriter::commit`], which seals the partial
//! chunk too and inserts everything in one transaction (the capture pipeline
//! calls it at least once a second). What was committed survives a crash;
//! what was written since the last commit may not. Batching the inserts makes
//! the cost of durability one fsync per commit instead of one per chunk, and
//! the pending chunks are bounded ([`MAX_PENDING_CHUNKS`]: the writer commits
//! on its own when that many are waiting). [`StreamWriter::finish`]
//! writes the final chunk and records the chunk count; a stream without a
//! final chunk is *unfinished*, listed by [`Vault::unfinished_streams`] and
//! closed by [`Vault::recover_stream`], which appends an empty final chunk —
//! nothing is rewritten or dropped.

use rusqlite::{params, OptionalExtension};
use serde::Serialize;

use crate::crypto;
use crate::error::{Result, StreamFault, VaultError};
use crate::stream::{StreamCipher, CHUNK_MAX};
use crate::vault::Vault;

/// How a stream stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum StreamState {
    /// The final chunk is there.
    Finished,
    /// The writer stopped before the final chunk.
    Unfinished,
}

/// Size and state of a stream, from the plaintext columns (no decryption).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StreamInfo {
    pub id: String,
    pub chunks: u64,
    pub state: StreamState,
}

/// Sealed chunks a writer holds before committing on its own (1 MiB).
pub const MAX_PENDING_CHUNKS: usize = 16;

/// Writes one stream. Dropping it without [`finish`](Self::finish) leaves
/// an unfinished stream with everything committed so far.
pub struct StreamWriter<'v> {
    vault: &'v Vault,
    id: String,
    cipher: StreamCipher,
    /// Index of the next chunk to seal.
    next: u64,
    /// Chunks sealed but not yet committed, in index order.
    pending: Vec<(u64, Vec<u8>)>,
    buf: Vec<u8>,
}

impl Vault {
    /// Tests only: from now on this vault behaves as if the disk had room for
    /// just `bytes` more (SQLite's `max_page_count`, which fails writes with
    /// the same "disk full" error a full disk gives). Unlocking again lifts it.
    #[doc(hidden)]
    pub fn limit_growth_for_tests(&self, bytes: u64) -> Result<()> {
        let (pages, page_size): (u64, u64) =
            self.store.conn.query_row("SELECT page_count, page_size FROM pragma_page_count, pragma_page_size", [], |r| {
                Ok((r.get(0)?, r.get(1)?))
            })?;
        self.store.conn.query_row(&format!("PRAGMA max_page_count = {}", pages + bytes / page_size), [], |_| Ok(()))?;
        Ok(())
    }

    /// Bytes of plaintext a stream holds, from the stored chunk sizes alone
    /// (each chunk is its plaintext plus a 16-byte tag). Nothing is
    /// authenticated here: readers that use the bytes authenticate them.
    pub fn stream_plaintext_len(&self, id: &str) -> Result<u64> {
        Ok(self.store.conn.query_row(
            "SELECT COALESCE(SUM(length(body) - ?2), 0) FROM stream_chunks WHERE stream_id = ?1",
            params![id, crypto::TAG_LEN as i64],
            |r| r.get(0),
        )?)
    }

    /// Starts a new stream and returns its writer.
    pub fn create_stream(&self) -> Result<StreamWriter<'_>> {
        let id = crypto::new_id("strm");
        self.store.conn.execute("INSERT INTO streams (id) VALUES (?1)", [&id])?;
        Ok(StreamWriter {
            cipher: StreamCipher::for_stream(&self.keys.streams, &id),
            vault: self,
            id,
            next: 0,
            pending: Vec::new(),
            buf: Vec::with_capacity(CHUNK_MAX),
        })
    }

    pub fn stream_info(&self, id: &str) -> Result<StreamInfo> {
        let count: Option<Option<u64>> = self
            .store
            .conn
            .query_row("SELECT chunk_count FROM streams WHERE id = ?1", [id], |r| r.get(0))
            .optional()?;
        let sealed = count.ok_or_else(|| VaultError::RecordNotFound { kind: "stream", id: id.to_owned() })?;
        let present: u64 =
            self.store.conn.query_row("SELECT COUNT(*) FROM stream_chunks WHERE stream_id = ?1", [id], |r| r.get(0))?;
        Ok(StreamInfo {
            id: id.to_owned(),
            chunks: present,
            state: if sealed.is_some() { StreamState::Finished } else { StreamState::Unfinished },
        })
    }

    /// Plaintext length of every chunk, in order — from the stored sizes,
    /// so that a reader can find the chunks covering a byte range.
    pub fn stream_chunk_lengths(&self, id: &str) -> Result<Vec<u64>> {
        let mut stmt = self.store.conn.prepare("SELECT length(body) - ?2 FROM stream_chunks WHERE stream_id = ?1 ORDER BY idx")?;
        let rows = stmt.query_map(params![id, crypto::TAG_LEN as i64], |r| r.get::<_, i64>(0))?;
        rows.map(|r| Ok(r?.max(0) as u64)).collect()
    }

    /// Reads one chunk by index (seeking without reading the rest).
    pub fn read_stream_chunk(&self, id: &str, index: u64) -> Result<Vec<u8>> {
        let cipher = StreamCipher::for_stream(&self.keys.streams, id);
        let body: Vec<u8> = self
            .store
            .conn
            .query_row("SELECT body FROM stream_chunks WHERE stream_id = ?1 AND idx = ?2", params![id, index], |r| {
                r.get(0)
            })
            .optional()?
            .ok_or_else(|| fault(id, index, StreamFault::Missing))?;
        let total: u64 =
            self.store.conn.query_row("SELECT COUNT(*) FROM stream_chunks WHERE stream_id = ?1", [id], |r| r.get(0))?;
        match cipher.open(index, &body) {
            Some((plain, _)) => Ok(plain),
            None => Err(diagnose(&cipher, id, index, &body, total)),
        }
    }

    /// Reads and authenticates a whole stream. Every way a stream can be
    /// damaged is reported distinctly, at the first chunk where it shows.
    pub fn read_stream(&self, id: &str) -> Result<Vec<u8>> {
        let mut out = Vec::new();
        self.for_each_chunk(id, |_, plain| {
            out.extend_from_slice(plain);
            Ok(())
        })?;
        Ok(out)
    }

    /// Visits each chunk's plaintext in order after authenticating it, for
    /// readers that should not hold a whole recording in memory.
    pub fn for_each_chunk(&self, id: &str, mut visit: impl FnMut(u64, &[u8]) -> Result<()>) -> Result<()> {
        let info_count: Option<u64> = self
            .store
            .conn
            .query_row("SELECT chunk_count FROM streams WHERE id = ?1", [id], |r| r.get(0))
            .optional()?
            .ok_or_else(|| VaultError::RecordNotFound { kind: "stream", id: id.to_owned() })?;
        let cipher = StreamCipher::for_stream(&self.keys.streams, id);
        let total: u64 =
            self.store.conn.query_row("SELECT COUNT(*) FROM stream_chunks WHERE stream_id = ?1", [id], |r| r.get(0))?;
        let mut stmt = self.store.conn.prepare("SELECT idx, body FROM stream_chunks WHERE stream_id = ?1 ORDER BY idx")?;
        let mut rows = stmt.query([id])?;
        let mut expected = 0u64;
        let mut finished = false;
        while let Some(row) = rows.next()? {
            let idx: u64 = row.get(0)?;
            let body: Vec<u8> = row.get(1)?;
            if finished {
                return Err(fault(id, idx, StreamFault::TrailingChunk));
            }
            if idx != expected {
                return Err(fault(id, expected, StreamFault::Missing));
            }
            let (plain, last) = cipher.open(idx, &body).ok_or_else(|| diagnose(&cipher, id, idx, &body, total))?;
            visit(idx, &plain)?;
            finished = last;
            expected += 1;
        }
        if !finished {
            return Err(match info_count {
                Some(sealed) if sealed > expected => {
                    fault(id, expected, StreamFault::Truncated { expected: sealed, found: expected })
                }
                Some(_) => fault(id, expected.saturating_sub(1), StreamFault::Corrupt),
                None => fault(id, expected, StreamFault::Unfinished),
            });
        }
        Ok(())
    }

    /// Streams whose writer never finished them (after a crash).
    pub fn unfinished_streams(&self) -> Result<Vec<StreamInfo>> {
        let mut stmt = self.store.conn.prepare("SELECT id FROM streams WHERE chunk_count IS NULL ORDER BY rowid")?;
        let ids: Vec<String> = stmt.query_map([], |r| r.get(0))?.collect::<rusqlite::Result<_>>()?;
        ids.iter().map(|id| self.stream_info(id)).collect()
    }

    /// Closes an unfinished stream with an empty final chunk after the last
    /// committed one, keeping everything that was written. The caller logs
    /// the recovery in the custody chain it belongs to.
    pub fn recover_stream(&self, id: &str) -> Result<StreamInfo> {
        let info = self.stream_info(id)?;
        if info.state == StreamState::Finished {
            return Ok(info);
        }
        // Authenticate what is there first: recovery must not paper over damage.
        let cipher = StreamCipher::for_stream(&self.keys.streams, id);
        let mut stmt = self.store.conn.prepare("SELECT idx, body FROM stream_chunks WHERE stream_id = ?1 ORDER BY idx")?;
        let mut rows = stmt.query([id])?;
        let mut next = 0u64;
        while let Some(row) = rows.next()? {
            let idx: u64 = row.get(0)?;
            let body: Vec<u8> = row.get(1)?;
            if idx != next {
                return Err(fault(id, next, StreamFault::Missing));
            }
            if cipher.open(idx, &body).is_none() {
                return Err(diagnose(&cipher, id, idx, &body, info.chunks));
            }
            next += 1;
        }
        drop(rows);
        drop(stmt);
        let tx = self.store.conn.unchecked_transaction()?;
        tx.execute(
            "INSERT INTO stream_chunks (stream_id, idx, body) VALUES (?1, ?2, ?3)",
            params![id, next, cipher.seal(next, true, &[])],
        )?;
        tx.execute("UPDATE streams SET chunk_count = ?1 WHERE id = ?2", params![next + 1, id])?;
        tx.commit()?;
        self.stream_info(id)
    }
}

impl StreamWriter<'_> {
    pub fn id(&self) -> &str {
        &self.id
    }

    /// Chunks committed so far (durable).
    pub fn chunks_committed(&self) -> u64 {
        self.next - self.pending.len() as u64
    }

    /// Buffers `data`, sealing every full chunk.
    pub fn write(&mut self, mut data: &[u8]) -> Result<()> {
        while !data.is_empty() {
            // A full buffer is kept until more data arrives, so that `finish`
            // can make it the final chunk instead of adding an empty one.
            if self.buf.len() == CHUNK_MAX {
                self.seal_buffered()?;
            }
            let take = (CHUNK_MAX - self.buf.len()).min(data.len());
            self.buf.extend_from_slice(&data[..take]);
            data = &data[take..];
        }
        Ok(())
    }

    /// Seals what is buffered and commits every pending chunk in one
    /// transaction, so that all of it survives a crash.
    pub fn commit(&mut self) -> Result<()> {
        if !self.buf.is_empty() {
            let chunk = self.take_sealed(false);
            self.pending.push(chunk);
        }
        self.flush(false)
    }

    /// Writes the final chunk (with whatever is buffered) and seals the
    /// stream's chunk count.
    pub fn finish(mut self) -> Result<StreamInfo> {
        let chunk = self.take_sealed(true);
        self.pending.push(chunk);
        self.flush(true)?;
        self.vault.stream_info(&self.id)
    }

    fn take_sealed(&mut self, last: bool) -> (u64, Vec<u8>) {
        let mut chunk = std::mem::replace(&mut self.buf, Vec::with_capacity(CHUNK_MAX));
        self.cipher.seal_in_place(self.next, last, &mut chunk);
        self.next += 1;
        (self.next - 1, chunk)
    }

    fn seal_buffered(&mut self) -> Result<()> {
        let chunk = self.take_sealed(false);
        self.pending.push(chunk);
        if self.pending.len() >= MAX_PENDING_CHUNKS {
            self.flush(false)?;
        }
        Ok(())
    }

    fn flush(&mut self, finished: bool) -> Result<()> {
        let tx = self.vault.store.conn.unchecked_transaction()?;
        {
            let mut insert = tx.prepare_cached("INSERT INTO stream_chunks (stream_id, idx, body) VALUES (?1, ?2, ?3)")?;
            for (index, body) in &self.pending {
                insert.execute(params![self.id, index, body])?;
            }
        }
        if finished {
            tx.execute("UPDATE streams SET chunk_count = ?1 WHERE id = ?2", params![self.next, self.id])?;
        }
        tx.commit()?;
        self.pending.clear();
        Ok(())
    }
}

fn fault(stream: &str, chunk: u64, fault: StreamFault) -> VaultError {
    VaultError::Stream { stream: stream.to_owned(), chunk, fault }
}

/// A chunk did not open at `index`: was it moved here from elsewhere, or altered?
fn diagnose(cipher: &StreamCipher, id: &str, index: u64, body: &[u8], total: u64) -> VaultError {
    let belongs_at = (0..total.max(index + 1)).filter(|&j| j != index).find(|&j| cipher.open(j, body).is_some());
    match belongs_at {
        Some(j) => fault(id, index, StreamFault::Reordered { belongs_at: j }),
        None => fault(id, index, StreamFault::Corrupt),
    }
}

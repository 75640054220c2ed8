//! Where a bundle goes as it is made: a folder, or one zip stream written
//! straight into a file or into age's encryptor.
//!
//! Every file is hashed as it is written, so the manifest and `SHA256SUMS`
//! list exactly what went out without reading anything back. A zip is
//! streamed (entries stored, a fixed time, data descriptors after each
//! entry), so an encrypted bundle never exists in plaintext on disk, not
//! even as a temporary folder (brief §3).

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use crate::error::{io, EvidenceError};
use crate::manifest::FileRef;

/// Fills one file of the bundle.
pub(crate) type Fill<'a> = &'a mut dyn FnMut(&mut dyn Write) -> Result<(), EvidenceError>;

/// A bundle being written: files go in once each, in the order put.
pub(crate) trait Sink {
    /// Writes a new file at `rel` (a `/`-separated path inside the bundle).
    fn put(&mut self, rel: &str, fill: Fill<'_>) -> Result<FileRef, EvidenceError>;
}

/// Counts and hashes what passes through to `inner`.
pub(crate) struct Hashing<W> {
    pub(crate) inner: W,
    hasher: Sha256,
    bytes: u64,
}

impl<W: Write> Hashing<W> {
    pub(crate) fn new(inner: W) -> Self {
        Hashing { inner, hasher: Sha256::new(), bytes: 0 }
    }

    /// Size and SHA-256 (hex) of everything written.
    pub(crate) fn finish(self) -> (W, u64, String) {
        (self.inner, self.bytes, hex::encode(self.hasher.finalize()))
    }
}

impl<W: Write> Write for Hashing<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.hasher.update(&buf[..n]);
        self.bytes += n as u64;
        Ok(n)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}

/// Files in a folder, each created new and synced.
pub(crate) struct FolderSink {
    pub(crate) dir: PathBuf,
}

impl Sink for FolderSink {
    fn put(&mut self, rel: &str, fill: Fill<'_>) -> Result<FileRef, EvidenceError> {
        let path = self.dir.join(rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(io(parent))?;
        }
        let file = std::fs::OpenOptions::new().write(true).create_new(true).open(&path).map_err(io(&path))?;
        let mut w = Hashing::new(BufWriter::new(file));
        fill(&mut w)?;
        let (w, bytes, sha256) = w.finish();
        let file = w.into_inner().map_err(|e| io(&path)(e.into_error()))?;
        file.sync_all().map_err(io(&path))?;
        Ok(FileRef { path: rel.to_owned(), bytes, sha256 })
    }
}

/// Entries of a zip under one top folder, streamed into `W`.
pub(crate) struct ZipSink<W: Write> {
    zip: zip::ZipWriter<zip::write::StreamWriter<W>>,
    top: String,
    /// Where errors are reported (the file being written).
    out: PathBuf,
}

impl<W: Write> ZipSink<W> {
    pub(crate) fn new(inner: W, top: &str, out: &Path) -> Self {
        ZipSink { zip: zip::ZipWriter::new_stream(inner), top: top.to_owned(), out: out.to_path_buf() }
    }

    /// Writes the central directory and hands back the writer.
    pub(crate) fn finish(self) -> Result<W, EvidenceError> {
        let out = self.out;
        let stream = self.zip.finish().map_err(|e| EvidenceError::Io { path: out.display().to_string(), reason: e.to_string() })?;
        Ok(stream.into_inner())
    }
}

impl<W: Write> Sink for ZipSink<W> {
    fn put(&mut self, rel: &str, fill: Fill<'_>) -> Result<FileRef, EvidenceError> {
        let options = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Stored)
            .last_modified_time(zip::DateTime::default())
            .unix_permissions(0o644)
            .large_file(true);
        let zipped = |e: zip::result::ZipError| EvidenceError::Io { path: self.out.display().to_string(), reason: e.to_string() };
        self.zip.start_file(format!("{}/{rel}", self.top), options).map_err(zipped)?;
        let mut w = Hashing::new(&mut self.zip);
        fill(&mut w)?;
        let (_, bytes, sha256) = w.finish();
        Ok(FileRef { path: rel.to_owned(), bytes, sha256 })
    }
}

/// Creates `path` new, for a zip or an encrypted zip.
pub(crate) fn create_new(path: &Path) -> Result<File, EvidenceError> {
    std::fs::OpenOptions::new().write(true).create_new(true).open(path).map_err(|e| {
        if e.kind() == std::io::ErrorKind::AlreadyExists {
            EvidenceError::OutputExists { path: path.display().to_string() }
        } else {
            io(path)(e)
        }
    })
}

//! Where a bundle is read from: a folder, a zip, or a zip encrypted with
//! age, read in place — entries are hashed and read from the archive
//! (through age's seekable decryptor), never extracted to disk. A zip
//! made by `relato export` holds one top folder (the bundle's name); its
//! paths are read relative to it.

use std::cell::RefCell;
use std::fs::File;
use std::io::{BufReader, Read, Seek};
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use crate::encryption::{self, AgeKey};
use crate::error::{io, EvidenceError};
use crate::export::{hash_file, paths_under};

/// What a zip is read from: the file, or its decryption.
pub(crate) trait ReadSeek: Read + Seek {}
impl<T: Read + Seek> ReadSeek for T {}

pub(crate) enum Source {
    Dir(PathBuf),
    Zip { archive: RefCell<zip::ZipArchive<Box<dyn ReadSeek>>>, prefix: String, paths: Vec<String> },
}

impl Source {
    /// Opens a folder, a zip, or an age file (with `key`).
    pub(crate) fn open(path: &Path, key: Option<&AgeKey>) -> Result<Source, EvidenceError> {
        if path.is_dir() {
            return Ok(Source::Dir(path.to_path_buf()));
        }
        let not_a_bundle = |reason: String| EvidenceError::NotABundle { path: path.display().to_string(), reason };
        let reader: Box<dyn ReadSeek> = if encryption::is_age(path) {
            Box::new(encryption::decrypt(path, key)?)
        } else {
            Box::new(BufReader::new(File::open(path).map_err(io(path))?))
        };
        let archive = zip::ZipArchive::new(reader).map_err(|e| not_a_bundle(format!("neither a folder nor a zip ({e})")))?;
        let names: Vec<String> = archive
            .file_names()
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| not_a_bundle(format!("unreadable zip entry name ({e})")))?
            .into_iter()
            .filter(|n| !n.ends_with('/'))
            .map(|n| n.into_owned())
            .collect();
        // One top folder, as `relato export --zip` writes; else the root.
        let top = names.first().and_then(|n| n.split_once('/')).map(|(t, _)| format!("{t}/"));
        let prefix = top.filter(|t| names.iter().all(|n| n.starts_with(t.as_str()))).unwrap_or_default();
        let paths = names.iter().map(|n| n[prefix.len()..].to_owned()).collect();
        Ok(Source::Zip { archive: RefCell::new(archive), prefix, paths })
    }

    /// Every file, as `/`-separated paths inside the bundle, sorted.
    pub(crate) fn paths(&self) -> Result<Vec<String>, EvidenceError> {
        let mut out = match self {
            Source::Dir(dir) => {
                let mut out = Vec::new();
                paths_under(dir, dir, &mut out)?;
                out
            }
            Source::Zip { paths, .. } => paths.clone(),
        };
        out.sort();
        Ok(out)
    }

    pub(crate) fn has(&self, rel: &str) -> bool {
        match self {
            Source::Dir(dir) => dir.join(rel).is_file(),
            Source::Zip { paths, .. } => paths.iter().any(|p| p == rel),
        }
    }

    /// Where a file lies: `None` in a folder (read it by path), else the
    /// byte range of its stored (uncompressed) data inside the zip, or
    /// inside the zip's decryption.
    pub(crate) fn entry_range(&self, rel: &str) -> Result<Option<(u64, u64)>, EvidenceError> {
        let Source::Zip { archive, prefix, .. } = self else { return Ok(None) };
        let mut archive = archive.borrow_mut();
        let entry = archive.by_name(&format!("{prefix}{rel}")).map_err(|_| EvidenceError::MissingFile { file: rel.to_owned() })?;
        let start = entry.data_start();
        match (entry.compression(), start) {
            (zip::CompressionMethod::Stored, Some(start)) => Ok(Some((start, entry.size()))),
            _ => Err(EvidenceError::NotABundle { path: rel.to_owned(), reason: "a compressed original (bundles store them)".into() }),
        }
    }

    /// A whole (small) file.
    pub(crate) fn read(&self, rel: &str) -> Result<Vec<u8>, EvidenceError> {
        let mut out = Vec::new();
        self.stream(rel, |chunk| out.extend_from_slice(chunk))?;
        Ok(out)
    }

    /// A file's SHA-256, read in blocks.
    pub(crate) fn sha256(&self, rel: &str) -> Result<String, EvidenceError> {
        if let Source::Dir(dir) = self {
            if !self.has(rel) {
                return Err(EvidenceError::MissingFile { file: rel.to_owned() });
            }
            return hash_file(&dir.join(rel)).map(|(_, h)| h);
        }
        let mut h = Sha256::new();
        self.stream(rel, |chunk| h.update(chunk))?;
        Ok(hex::encode(h.finalize()))
    }

    fn stream(&self, rel: &str, mut each: impl FnMut(&[u8])) -> Result<(), EvidenceError> {
        let missing = || EvidenceError::MissingFile { file: rel.to_owned() };
        match self {
            Source::Dir(dir) => {
                let path = dir.join(rel);
                let bytes = std::fs::read(&path).map_err(|e| if e.kind() == std::io::ErrorKind::NotFound { missing() } else { io(&path)(e) })?;
                each(&bytes);
                Ok(())
            }
            Source::Zip { archive, prefix, .. } => {
                let mut archive = archive.borrow_mut();
                let mut entry = archive.by_name(&format!("{prefix}{rel}")).map_err(|_| missing())?;
                // A damaged entry (its CRC no longer matches) is a changed file.
                let damaged = || EvidenceError::FileAltered { file: rel.to_owned() };
                let mut buf = vec![0u8; 1 << 20];
                loop {
                    let n = entry.read(&mut buf).map_err(|_| damaged())?;
                    if n == 0 {
                        return Ok(());
                    }
                    each(&buf[..n]);
                }
            }
        }
    }
}

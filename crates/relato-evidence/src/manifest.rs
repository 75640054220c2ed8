//! `manifest.json`: what a bundle holds and who signed it.
//!
//! The manifest lists every file (path, size, SHA-256) but itself and the
//! checksum and signature files; names the case, the sessions and each
//! original (with the hash its custody log recorded); carries the custody
//! head; and identifies the organisation key and the exporting signer. It
//! is signed twice by the exporter (minisign and raw Ed25519) and is the
//! first thing `relato verify` reads, so parsing it must never panic on
//! arbitrary bytes (property-tested).

use serde::{Deserialize, Serialize};

/// The format identifier of this layout.
pub const FORMAT: &str = "relato-bundle 1";

/// Files that are not listed in the manifest or in `SHA256SUMS`.
pub const MANIFEST: &str = "manifest.json";
pub const MANIFEST_MINISIG: &str = "manifest.json.minisig";
pub const MANIFEST_SIG: &str = "manifest.json.sig";
pub const SUMS: &str = "SHA256SUMS";
pub const SUMS_MINISIG: &str = "SHA256SUMS.minisig";
/// The vault chain's `KEY_REVOKED` lines (and `.sig`), when there are any.
pub const REVOCATIONS: &str = "keys/revocations.jsonl";
/// Where received bundles' histories go.
pub const RECEIVED: &str = "custody/received";

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Manifest {
    pub format: String,
    pub created_at: String,
    pub purpose: Option<String>,
    pub recipient: Option<String>,
    pub organisation: KeyRef,
    pub exported_by: Signer,
    pub case: CaseRef,
    pub sessions: Vec<SessionRef>,
    pub items: Vec<Item>,
    pub custody: CustodyRef,
    pub files: Vec<FileRef>,
    /// Bundles of the case received from other vaults, whose signed
    /// history is carried under `custody/received/<dir>/`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub received: Vec<ReceivedRef>,
}

/// A received bundle's history in this bundle.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReceivedRef {
    /// `custody/received/R1`, …: its manifest, custody and keys, as they were.
    pub dir: String,
    /// SHA-256 of its `manifest.json`, as this case's `RECEPCION` names it.
    pub manifest_sha256: String,
}

/// A public key in the bundle (`keys/<file>.pub` and `.pem`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct KeyRef {
    pub key_id: String,
    /// minisign's key number, as `minisign` prints it.
    pub minisign_key: String,
    /// The public key file's name without extension, under `keys/`.
    pub file: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Signer {
    pub name: String,
    pub role: String,
    pub institution: String,
    pub key: KeyRef,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseRef {
    pub id: String,
    pub reference: String,
    pub place: Option<String>,
    pub institution: Option<String>,
}

/// A session, by its label in the bundle (`S01`) and its pseudonymous
/// child code.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionRef {
    pub label: String,
    pub id: String,
    pub child_code: String,
    pub age_years: u8,
    pub language: String,
    pub created_at: String,
}

/// One original.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Item {
    /// `EV-001`, …
    pub id: String,
    pub recording_id: String,
    pub session: String,
    pub file: String,
    pub sha256: String,
    pub bytes: u64,
    /// What `HASH_RECORDED` says for this recording; equals `sha256`.
    pub hash_recorded: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CustodyRef {
    /// The chain's id: the case's id.
    pub chain: String,
    pub lines: u64,
    pub head_seq: u64,
    /// SHA-256 of the last line's bytes.
    pub head_sha256: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileRef {
    pub path: String,
    pub bytes: u64,
    pub sha256: String,
}

impl Manifest {
    /// Reads a manifest; anything else is `evidence.not_a_bundle`, never a panic.
    pub fn parse(bytes: &[u8]) -> Result<Manifest, crate::EvidenceError> {
        let refuse = |reason: String| crate::EvidenceError::NotABundle { path: MANIFEST.into(), reason };
        let m: Manifest = serde_json::from_slice(bytes).map_err(|e| refuse(e.to_string()))?;
        if m.format != FORMAT {
            return Err(refuse(format!("unknown format {:?}", m.format)));
        }
        Ok(m)
    }
}

/// A path inside a bundle, as written in it: relative, `/`-separated,
/// ASCII letters, digits, `.`, `-`, `_` only, no `..` — so a hostile
/// manifest cannot point outside the bundle.
pub fn safe_path(path: &str) -> bool {
    !path.is_empty()
        && !path.starts_with('/')
        && path.split('/').all(|part| {
            !part.is_empty() && part != "." && part != ".." && part.bytes().all(|b| b.is_ascii_alphanumeric() || b"._-".contains(&b))
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_stay_inside_the_bundle() {
        for ok in ["manifest.json", "evidence/EV-001.wav", "keys/org.pub", "derivatives/S01/transcript.vtt"] {
            assert!(safe_path(ok), "{ok}");
        }
        for bad in ["", "/etc/passwd", "../x", "a/../b", "a//b", "a/./b", "evidencia/niña.wav", "a b", "a\\b"] {
            assert!(!safe_path(bad), "{bad}");
        }
    }

    #[test]
    fn arbitrary_bytes_never_panic_the_parser() {
        // A cheap deterministic fuzz over the shapes a damaged file takes.
        let good = br#"{"format":"relato-bundle 1"}"#;
        let mut seed = 0x2545F4914F6CDD1Du64;
        for n in 0..20_000usize {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            let mut bytes: Vec<u8> = good.to_vec();
            let len = (seed as usize) % 64;
            match n % 3 {
                0 => bytes.truncate(len.min(bytes.len())),
                1 => bytes.extend((0..len).map(|i| (seed >> (i % 56)) as u8)),
                _ => {
                    let at = (seed as usize) % bytes.len();
                    bytes[at] = (seed >> 8) as u8;
                }
            }
            let _ = Manifest::parse(&bytes);
        }
    }
}

//! Evidence bundles: a session's (or several sessions of one case)
//! originals, derivatives and custody, written so that anyone can verify
//! them offline with ordinary tools (`sha256sum`, `minisign`, `openssl`),
//! and the verifier that does all of it at once (`relato verify`).
//!
//! # Layout (design brief §8)
//!
//! ```text
//! LEEME-VERIFICAR.txt, VERIFY.txt   step-by-step verification, es / en
//! manifest.json                     bundle, case, sessions, items, files, custody head, signers
//! manifest.json.minisig             minisign signature (exporting user)
//! manifest.json.sig                 raw Ed25519 signature (openssl pkeyutl -rawin)
//! SHA256SUMS, SHA256SUMS.minisig    `sha256sum -c` format, every other file
//! evidence/EV-001.wav               the original, byte-identical
//! evidence/EV-001.meta.json         origin, format, continuity, gaps, markers, phases
//! derivatives/S01/                  transcript: TXT, WebVTT, every revision as JSON
//! annotations/S01/                  JSON (with revisions), ELAN .eaf, Audacity labels, WebVTT
//! custody/custody.jsonl             the case's chain, one JSON entry per line
//! custody/custody.jsonl.sig         one base64 Ed25519 signature per line
//! custody/custody.head(.minisig)    "<lines> <sha256 of last line>"
//! keys/                             organisation and signer keys (.pub, .pem), certificates
//! derivatives/S01/redacted/         optional: silenced originals, redacted transcript, redaction.json
//! acta/anexo-cadena-custodia.pdf    the printable annex (Spanish), in SHA256SUMS, not in the manifest
//! ```
//!
//! Packaged as a folder, one zip (`--zip`), or one zip encrypted with age
//! (`--age-recipient`, `--age-passphrase`), streamed: an encrypted bundle
//! never exists in plaintext on disk.
//!
//! Chain rule: line *n*'s `prev` is the SHA-256 of line *n−1*'s bytes; the
//! first line's is 64 zeros. Names are ASCII and carry no personal data
//! (`EV-001`, `S01`).
//!
//! Modules: [`export`] writes a bundle, [`verify`] checks one, [`manifest`]
//! is its index, [`minisign`] writes and reads minisign's formats from the
//! vault's signatures, [`formats`] renders transcripts and annotations
//! (TXT, WebVTT, ELAN, Audacity labels), `instructions` the two text files,
//! [`annex`] the PDF annex (typeset by `relato-annex`), `sink` writes a
//! folder or a zip stream, `encryption` wraps it in age, `source` reads
//! any of them back.
#![forbid(unsafe_code)]

pub mod annex;
mod encryption;
pub mod error;
pub mod export;
pub mod formats;
mod instructions;
mod keys;
pub mod manifest;
pub mod minisign;
pub mod receive;
pub mod redaction;
mod sink;
mod source;
pub mod verify;

pub use error::{EvidenceError, EVIDENCE_ERROR_CODES};
pub use encryption::{AgeKey, AgeRecipients};
pub use export::{export, ExportRequest, Exported, Packaging};
pub use keys::pem;
pub use manifest::Manifest;
pub use receive::{receive, ReceiveRequest, Received};
pub use redaction::{AudioRedaction, SessionRedaction};
pub use verify::{verify, Verified};

/// A file's SHA-256 (hex), read in blocks: what a paper form records for a
/// zip or encrypted bundle handed over.
pub fn file_sha256(path: &std::path::Path) -> Result<String, EvidenceError> {
    export::hash_file(path).map(|(_, sha256)| sha256)
}

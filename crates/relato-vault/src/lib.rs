//! Relato's vault: everything a recording's integrity rests on.
//!
//! One SQLite file holds all of a organisation's cases, sessions, streams and
//! custody logs, every sensitive byte encrypted. The layers, bottom up:
//!
//! - [`store`](crate::probe): the file, its process lock, migrations.
//! - `crypto`: the master key, HKDF subkeys, the record seal
//!   (XChaCha20-Poly1305 bound to vault, table, row and schema version).
//! - `keyslot` / [`RecoveryCode`]: Argon2id slots wrapping the master key
//!   (and the holder's signing key) for each passphrase and the recovery code.
//! - [`stream`]: age-style chunked STREAM encryption for large blobs.
//! - [`identity`]: roles, Ed25519 keys, organisation certificates.
//! - [`custody`]: hash-chained, signed JSON lines and their verifier.
//! - [`Vault`]: the unlocked vault; users, cases, sessions, recordings,
//!   transcripts and streams are its methods, each write committed with the
//!   custody line that logs it.
//!
//! Architecture invariant: this crate knows nothing of Tauri, audio devices
//! or any user interface; it is driven by the CLI and the desktop shell alike.

#![forbid(unsafe_code)]

mod annotations;
mod cases;
pub mod crypto;
pub mod custody;
mod error;
pub mod identity;
mod keyslot;
mod recordings;
mod records;
mod recovery;
mod store;
pub mod stream;
mod streams;
mod evidence;
mod received;
mod transcripts;
mod vocabulary;
mod users;
mod vault;

use std::path::{Path, PathBuf};

pub use annotations::AnnotationRevision;
pub use evidence::{ExportLogged, HandOver, HandOverKind, SignerKey};
pub use cases::NewSession;
pub use custody::{ChainSummary, SignedLine, VAULT_CHAIN};
pub use error::{CertificateFault, CustodyFault, Result, StreamFault, VaultError, ERROR_CODES, TRANSLATED_ARGS};
pub use identity::Role;
pub use keyslot::{KdfParams, MIN_PASSPHRASE_CHARS};
pub use recordings::{
    AudioFormat, Counters, Origin, Phase, Recording, RecordingEnd, RecordingEvent, RecordingEventKind, RecordingState, SampleFormat,
};
pub use received::{ReceivedBundle, ReceivedOriginal};
pub use records::{Case, CaseFields, Language, PresentRole, Session, SessionFields, MAX_AGE_YEARS};
pub use recovery::RecoveryCode;
pub use store::{VaultProbe, FORMAT_VERSION};
pub use streams::{StreamInfo, StreamState, StreamWriter, MAX_PENDING_CHUNKS};
pub use transcripts::TranscriptRevision;
pub use vocabulary::VocabularyRevision;
pub use users::UserInfo;
pub use vault::{Me, NewVault, Vault};

/// The default vault location: `<platform data dir>/relato/vault.relato`.
pub fn default_vault_path() -> Result<PathBuf> {
    dirs::data_dir()
        .map(|d| d.join("relato").join("vault.relato"))
        .ok_or(VaultError::NoDataDirectory)
}

/// The current time as custody lines write it: UTC, RFC 3339, milliseconds.
pub fn utc_now() -> String {
    vault::now()
}

/// Says whether a vault exists at `path` and is free to open, without
/// unlocking or changing anything.
pub fn probe(path: &Path) -> Result<VaultProbe> {
    store::probe(path)
}

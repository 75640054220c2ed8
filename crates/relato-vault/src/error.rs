//! The vault's error type.
//!
//! Every variant has a stable [`VaultError::code`] (for example
//! `auth.wrong_passphrase`) and named [`VaultError::args`]. Front ends look
//! the code up in `assets/locales/errors.<lang>.json` and substitute the
//! arguments; the `Display` text here is the English fallback for logs and
//! for programs that do not translate.

use std::path::PathBuf;

use serde_json::{Map, Value};

/// Every code [`VaultError::code`] can return, for catalogs and their tests.
pub const ERROR_CODES: &[&str] = &[
    "vault.not_found",
    "vault.already_exists",
    "vault.not_a_vault",
    "vault.in_use",
    "vault.newer_format",
    "vault.io",
    "vault.locked",
    "storage.full",
    "storage.error",
    "auth.wrong_passphrase",
    "auth.unknown_user",
    "auth.slot_revoked",
    "auth.bad_recovery_code",
    "auth.malformed_recovery_code",
    "auth.weak_passphrase",
    "auth.not_permitted",
    "user.exists",
    "user.unknown_role",
    "record.not_found",
    "record.ambiguous_id",
    "record.corrupt",
    "stream.corrupt",
    "stream.reordered",
    "stream.missing_chunk",
    "stream.truncated",
    "stream.unfinished",
    "stream.trailing_chunk",
    "custody.malformed",
    "custody.sequence",
    "custody.chain_broken",
    "custody.bad_signature",
    "custody.unknown_key",
    "custody.bad_certificate",
    "custody.revoked_key",
    "input.empty",
    "input.too_long",
    "input.control_characters",
    "input.not_a_child_code",
    "input.age_out_of_range",
    "input.unknown_value",
    "user.reserved_name",
    "user.cannot_revoke_self",
    "user.last_administrator",
    "vault.no_data_directory",
    "recording.already_sealed",
];

/// Arguments named like this hold an identifier that front ends translate
/// through the catalog key `<name>.<value>` (e.g. `field.child_code`).
pub const TRANSLATED_ARGS: &[&str] = &["field", "role", "kind", "action", "tier"];

/// Result alias for vault operations.
pub type Result<T, E = VaultError> = std::result::Result<T, E>;

/// Which way a stream failed to authenticate. Each is reported distinctly,
/// because each tells a different story about what happened to the file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum StreamFault {
    /// The chunk authenticates under no position: bits were changed.
    Corrupt,
    /// The chunk authenticates, but under another position: chunks were moved.
    Reordered { belongs_at: u64 },
    /// A position inside the stream has no chunk.
    Missing,
    /// The stream was sealed with more chunks than are present.
    Truncated { expected: u64, found: u64 },
    /// No final chunk: the writer never finished (crash, power loss) and the
    /// stream has not been recovered yet.
    Unfinished,
    /// Data after the final chunk.
    TrailingChunk,
}

/// Why a signer certificate does not hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum CertificateFault {
    #[error("the organisation's signature does not verify")]
    BadSignature,
    #[error("the certificate cannot be read")]
    Malformed,
    #[error("the certificate names another key")]
    OtherKey,
    #[error("the certificate was issued by another organisation key")]
    OtherOrganisation,
    #[error("the stored certificate is damaged")]
    Unreadable,
}

/// Why a custody line failed verification.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum CustodyFault {
    /// The line is not the JSON object the format defines.
    Malformed(String),
    /// `seq` is not the line's position.
    Sequence { expected: u64, found: u64 },
    /// `prev` is not the SHA-256 of the previous line.
    Chain,
    /// The signature does not verify against the actor's key.
    Signature,
    /// The actor's key is not known to this vault.
    UnknownKey(String),
    /// The actor's key has no valid certificate from the organisation key.
    Certificate { key: String, fault: CertificateFault },
    /// The line was signed after the actor's key was revoked.
    RevokedKey(String),
}

impl std::fmt::Display for CustodyFault {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            CustodyFault::Malformed(why) => write!(f, "malformed entry ({why})"),
            CustodyFault::Sequence { expected, found } => {
                write!(f, "sequence number {found} where {expected} was expected (line removed or moved)")
            }
            CustodyFault::Chain => f.write_str("`prev` does not match the previous line (line edited, removed or moved)"),
            CustodyFault::Signature => f.write_str("signature does not match the line"),
            CustodyFault::UnknownKey(k) => write!(f, "signed by unknown key {k}"),
            CustodyFault::Certificate { key, fault } => write!(f, "key {key} has no valid organisation certificate: {fault}"),
            CustodyFault::RevokedKey(k) => write!(f, "signed by key {k} after it was revoked"),
        }
    }
}

impl CustodyFault {
    fn code(&self) -> &'static str {
        match self {
            CustodyFault::Malformed(_) => "custody.malformed",
            CustodyFault::Sequence { .. } => "custody.sequence",
            CustodyFault::Chain => "custody.chain_broken",
            CustodyFault::Signature => "custody.bad_signature",
            CustodyFault::UnknownKey(_) => "custody.unknown_key",
            CustodyFault::Certificate { .. } => "custody.bad_certificate",
            CustodyFault::RevokedKey(_) => "custody.revoked_key",
        }
    }
}

/// Everything that can go wrong in the vault.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum VaultError {
    #[error("no vault at {}", .0.display())]
    NotFound(PathBuf),
    #[error("a vault already exists at {}", .0.display())]
    AlreadyExists(PathBuf),
    #[error("{} is not a Relato vault", .0.display())]
    NotAVault(PathBuf),
    #[error("the vault at {} is open in another Relato process", .0.display())]
    InUse(PathBuf),
    #[error("the vault uses format {found}, newer than this version of Relato understands ({supported}); update Relato")]
    NewerFormat { found: u32, supported: u32 },
    #[error("cannot access {}: {source}", .path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("the disk is full; nothing after the last saved step was written")]
    DiskFull,
    #[error("storage error: {0}")]
    Storage(String),

    #[error("wrong passphrase")]
    WrongPassphrase,
    #[error("no user named \"{0}\" in this vault")]
    UnknownUser(String),
    #[error("the access of \"{0}\" was revoked")]
    SlotRevoked(String),
    #[error("the recovery code is not valid for this vault")]
    BadRecoveryCode,
    #[error("the recovery code is malformed: expected 32 letters and digits in groups of four")]
    MalformedRecoveryCode,
    #[error("the passphrase is too short: at least {min} characters")]
    WeakPassphrase { min: usize },
    #[error("a user named \"{0}\" already exists")]
    UserExists(String),
    #[error("the role {role} may not {}", .action.replace('_', " "))]
    NotPermitted { role: String, action: &'static str },
    #[error("unknown role \"{0}\" (administrator, interviewer, reviewer, litigator)")]
    UnknownRole(String),
    #[error("the vault is locked")]
    Locked,

    #[error("{kind} {id} not found")]
    RecordNotFound { kind: &'static str, id: String },
    #[error("{kind} {id} prefix is ambiguous")]
    AmbiguousId { kind: &'static str, id: String },
    #[error("record {record} is damaged or was altered; it cannot be read (other records are unaffected)")]
    RecordCorrupt { record: String },
    #[error("stream {stream}, chunk {chunk}: {}", stream_fault_text(.fault))]
    Stream { stream: String, chunk: u64, fault: StreamFault },
    #[error("custody log {chain}, line {line}: {fault}")]
    Custody { chain: String, line: u64, fault: CustodyFault },
    #[error("{field} must not be empty")]
    Empty { field: &'static str },
    #[error("{field} is longer than {max} characters")]
    TooLong { field: &'static str, max: usize },
    #[error("{field} contains control characters")]
    ControlCharacters { field: &'static str },
    #[error("the child code must be a code of letters, digits, '-' or '_' with at least one digit, never a name")]
    NotAChildCode,
    #[error("age {age} is outside 0 to {max} years")]
    AgeOutOfRange { age: u8, max: u8 },
    #[error("\"{value}\" is not a valid {field} (use one of: {allowed})")]
    UnknownValue { field: &'static str, value: String, allowed: String },
    #[error("the name \"{0}\" is reserved")]
    ReservedName(String),
    #[error("you cannot revoke your own access")]
    CannotRevokeSelf,
    #[error("the last administrator cannot be revoked")]
    LastAdministrator,
    #[error("this platform has no data directory; give the vault path explicitly")]
    NoDataDirectory,
    #[error("recording {0} is already sealed")]
    RecordingSealed(String),
}

fn stream_fault_text(fault: &StreamFault) -> String {
    match fault {
        StreamFault::Corrupt => "damaged or altered".into(),
        StreamFault::Reordered { belongs_at } => format!("out of order (it belongs at position {belongs_at})"),
        StreamFault::Missing => "missing".into(),
        StreamFault::Truncated { expected, found } => {
            format!("truncated: sealed with {expected} chunks, {found} present")
        }
        StreamFault::Unfinished => "unfinished: the writer stopped before sealing it".into(),
        StreamFault::TrailingChunk => "data after the final chunk".into(),
    }
}

impl VaultError {
    /// Stable identifier for translation and for scripts (`--json`).
    pub fn code(&self) -> &'static str {
        match self {
            VaultError::NotFound(_) => "vault.not_found",
            VaultError::AlreadyExists(_) => "vault.already_exists",
            VaultError::NotAVault(_) => "vault.not_a_vault",
            VaultError::InUse(_) => "vault.in_use",
            VaultError::NewerFormat { .. } => "vault.newer_format",
            VaultError::Io { .. } => "vault.io",
            VaultError::DiskFull => "storage.full",
            VaultError::Storage(_) => "storage.error",
            VaultError::WrongPassphrase => "auth.wrong_passphrase",
            VaultError::UnknownUser(_) => "auth.unknown_user",
            VaultError::SlotRevoked(_) => "auth.slot_revoked",
            VaultError::BadRecoveryCode => "auth.bad_recovery_code",
            VaultError::MalformedRecoveryCode => "auth.malformed_recovery_code",
            VaultError::WeakPassphrase { .. } => "auth.weak_passphrase",
            VaultError::UserExists(_) => "user.exists",
            VaultError::NotPermitted { .. } => "auth.not_permitted",
            VaultError::UnknownRole(_) => "user.unknown_role",
            VaultError::Locked => "vault.locked",
            VaultError::RecordNotFound { .. } => "record.not_found",
            VaultError::AmbiguousId { .. } => "record.ambiguous_id",
            VaultError::RecordCorrupt { .. } => "record.corrupt",
            VaultError::Stream { fault, .. } => match fault {
                StreamFault::Corrupt => "stream.corrupt",
                StreamFault::Reordered { .. } => "stream.reordered",
                StreamFault::Missing => "stream.missing_chunk",
                StreamFault::Truncated { .. } => "stream.truncated",
                StreamFault::Unfinished => "stream.unfinished",
                StreamFault::TrailingChunk => "stream.trailing_chunk",
            },
            VaultError::Custody { fault, .. } => fault.code(),
            VaultError::Empty { .. } => "input.empty",
            VaultError::TooLong { .. } => "input.too_long",
            VaultError::ControlCharacters { .. } => "input.control_characters",
            VaultError::NotAChildCode => "input.not_a_child_code",
            VaultError::AgeOutOfRange { .. } => "input.age_out_of_range",
            VaultError::UnknownValue { .. } => "input.unknown_value",
            VaultError::ReservedName(_) => "user.reserved_name",
            VaultError::CannotRevokeSelf => "user.cannot_revoke_self",
            VaultError::LastAdministrator => "user.last_administrator",
            VaultError::NoDataDirectory => "vault.no_data_directory",
            VaultError::RecordingSealed(_) => "recording.already_sealed",
        }
    }

    /// Named values for the translated message template.
    pub fn args(&self) -> Map<String, Value> {
        let mut m = Map::new();
        let mut put = |k: &str, v: String| {
            m.insert(k.to_owned(), Value::String(v));
        };
        match self {
            VaultError::NotFound(p)
            | VaultError::AlreadyExists(p)
            | VaultError::NotAVault(p)
            | VaultError::InUse(p) => put("path", p.display().to_string()),
            VaultError::NewerFormat { found, supported } => {
                put("found", found.to_string());
                put("supported", supported.to_string());
            }
            VaultError::Io { path, source } => {
                put("path", path.display().to_string());
                put("reason", source.to_string());
            }
            VaultError::Storage(why) => put("reason", why.clone()),
            VaultError::UnknownUser(n) | VaultError::SlotRevoked(n) | VaultError::UserExists(n) => {
                put("name", n.clone())
            }
            VaultError::WeakPassphrase { min } => put("min", min.to_string()),
            VaultError::NotPermitted { role, action } => {
                put("role", role.clone());
                put("action", (*action).to_owned());
            }
            VaultError::UnknownRole(r) => put("role", r.clone()),
            VaultError::RecordNotFound { kind, id } | VaultError::AmbiguousId { kind, id } => {
                put("kind", (*kind).to_owned());
                put("id", id.clone());
            }
            VaultError::RecordCorrupt { record } => put("record", record.clone()),
            VaultError::Stream { stream, chunk, fault } => {
                put("stream", stream.clone());
                put("chunk", chunk.to_string());
                match fault {
                    StreamFault::Reordered { belongs_at } => put("belongs_at", belongs_at.to_string()),
                    StreamFault::Truncated { expected, found } => {
                        put("expected", expected.to_string());
                        put("found", found.to_string());
                    }
                    _ => {}
                }
            }
            VaultError::Custody { chain, line, fault } => {
                put("chain", chain.clone());
                put("line", line.to_string());
                put("detail", fault.to_string());
                match fault {
                    CustodyFault::Sequence { expected, found } => {
                        put("expected", expected.to_string());
                        put("found", found.to_string());
                    }
                    CustodyFault::UnknownKey(k) | CustodyFault::RevokedKey(k) | CustodyFault::Certificate { key: k, .. } => {
                        put("key", k.clone())
                    }
                    CustodyFault::Malformed(_) | CustodyFault::Chain | CustodyFault::Signature => {}
                }
            }
            VaultError::Empty { field } | VaultError::ControlCharacters { field } => put("field", (*field).to_owned()),
            VaultError::TooLong { field, max } => {
                put("field", (*field).to_owned());
                put("max", max.to_string());
            }
            VaultError::AgeOutOfRange { age, max } => {
                put("age", age.to_string());
                put("max", max.to_string());
            }
            VaultError::UnknownValue { field, value, allowed } => {
                put("field", (*field).to_owned());
                put("value", value.clone());
                put("allowed", allowed.clone());
            }
            VaultError::ReservedName(n) => put("name", n.clone()),
            VaultError::RecordingSealed(id) => put("id", id.clone()),
            VaultError::DiskFull
            | VaultError::WrongPassphrase
            | VaultError::BadRecoveryCode
            | VaultError::MalformedRecoveryCode
            | VaultError::Locked
            | VaultError::NotAChildCode
            | VaultError::CannotRevokeSelf
            | VaultError::LastAdministrator
            | VaultError::NoDataDirectory => {}
        }
        m
    }

    pub(crate) fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        VaultError::Io { path: path.into(), source }
    }

}

impl From<rusqlite::Error> for VaultError {
    fn from(e: rusqlite::Error) -> Self {
        use rusqlite::ffi::ErrorCode;
        match e.sqlite_error_code() {
            Some(ErrorCode::DiskFull) => VaultError::DiskFull,
            _ => VaultError::Storage(e.to_string()),
        }
    }
}

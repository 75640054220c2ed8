//! The evidence crate's errors. Verification failures name the first file
//! or custody line that failed, so an expert can look at it by hand.

use relato_vault::VaultError;

/// Every code [`EvidenceError::code`] can return besides the vault's and
/// the capture crate's.
pub const EVIDENCE_ERROR_CODES: &[&str] = &[
    "evidence.output_exists",
    "evidence.io",
    "evidence.no_originals",
    "evidence.several_cases",
    "evidence.integrity",
    "evidence.not_a_bundle",
    "evidence.missing_file",
    "evidence.extra_file",
    "evidence.file_changed",
    "evidence.file_altered",
    "evidence.bad_signature",
    "evidence.uncertified_key",
    "evidence.chain_broken",
    "evidence.head_mismatch",
    "evidence.original_mismatch",
    "evidence.age_recipient",
    "evidence.age_passphrase_short",
    "evidence.age_key_needed",
    "evidence.age_decrypt",
    "evidence.annex",
    "evidence.redaction",
];

#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum EvidenceError {
    #[error(transparent)]
    Vault(#[from] VaultError),
    #[error(transparent)]
    Capture(relato_capture::CaptureError),
    #[error("{path} already exists; a bundle is written to a new folder")]
    OutputExists { path: String },
    #[error("{path}: {reason}")]
    Io { path: String, reason: String },
    #[error("the sessions have no sealed recording to export")]
    NoOriginals,
    #[error("a bundle holds sessions of one case; these belong to several")]
    SeveralCases,
    #[error("the original of recording {recording} does not match its recorded hash (expected {expected}, found {found}); nothing was written")]
    Integrity { recording: String, expected: String, found: String },
    #[error("{path} is not a Relato evidence bundle: {reason}")]
    NotABundle { path: String, reason: String },
    #[error("{file} is listed but missing")]
    MissingFile { file: String },
    #[error("{file} is in the bundle but not listed in SHA256SUMS")]
    ExtraFile { file: String },
    #[error("{file} has changed: its SHA-256 is {found}, the bundle says {expected}")]
    FileChanged { file: String, expected: String, found: String },
    /// A file that no longer reads as what was written: a zip entry whose
    /// CRC fails, a text file that is no longer text.
    #[error("{file} has been altered: it no longer reads as the bundle wrote it")]
    FileAltered { file: String },
    #[error("the signature {file} does not verify")]
    BadSignature { file: String },
    #[error("key {key} is not certified by the organisation key in this bundle")]
    UncertifiedKey { key: String },
    #[error("custody line {line}: {reason}")]
    ChainBroken { line: u64, reason: String },
    #[error("custody/custody.head does not name the last custody line")]
    HeadMismatch,
    #[error("{item}: the original's SHA-256 is not the one its custody log recorded")]
    OriginalMismatch { item: String },
    #[error("{recipient:?} is not an age recipient: {reason}")]
    AgeRecipient { recipient: String, reason: String },
    #[error("an age passphrase must have at least {min} characters")]
    AgePassphraseShort { min: usize },
    #[error("{path} is encrypted with age: give the key or the passphrase to open it")]
    AgeKeyNeeded { path: String },
    #[error("the encrypted bundle could not be opened: {reason}")]
    AgeDecrypt { reason: String },
    #[error("the custody annex could not be typeset: {reason}")]
    Annex { reason: String },
    #[error("redaction of session {session}: {reason}")]
    Redaction { session: String, reason: String },
}

impl From<relato_capture::CaptureError> for EvidenceError {
    fn from(e: relato_capture::CaptureError) -> Self {
        match e {
            relato_capture::CaptureError::Vault(v) => EvidenceError::Vault(v),
            other => EvidenceError::Capture(other),
        }
    }
}

impl From<relato_review::stored::StoredError> for EvidenceError {
    fn from(e: relato_review::stored::StoredError) -> Self {
        match e {
            relato_review::stored::StoredError::Vault(v) => EvidenceError::Vault(v),
            other => EvidenceError::Io { path: "review records".into(), reason: other.to_string() },
        }
    }
}

impl EvidenceError {
    /// Stable identifier for translation (`assets/locales/errors.*.json`).
    pub fn code(&self) -> &'static str {
        match self {
            EvidenceError::Vault(e) => e.code(),
            EvidenceError::Capture(e) => e.code(),
            EvidenceError::OutputExists { .. } => "evidence.output_exists",
            EvidenceError::Io { .. } => "evidence.io",
            EvidenceError::NoOriginals => "evidence.no_originals",
            EvidenceError::SeveralCases => "evidence.several_cases",
            EvidenceError::Integrity { .. } => "evidence.integrity",
            EvidenceError::NotABundle { .. } => "evidence.not_a_bundle",
            EvidenceError::MissingFile { .. } => "evidence.missing_file",
            EvidenceError::ExtraFile { .. } => "evidence.extra_file",
            EvidenceError::FileChanged { .. } => "evidence.file_changed",
            EvidenceError::FileAltered { .. } => "evidence.file_altered",
            EvidenceError::BadSignature { .. } => "evidence.bad_signature",
            EvidenceError::UncertifiedKey { .. } => "evidence.uncertified_key",
            EvidenceError::ChainBroken { .. } => "evidence.chain_broken",
            EvidenceError::HeadMismatch => "evidence.head_mismatch",
            EvidenceError::OriginalMismatch { .. } => "evidence.original_mismatch",
            EvidenceError::AgeRecipient { .. } => "evidence.age_recipient",
            EvidenceError::AgePassphraseShort { .. } => "evidence.age_passphrase_short",
            EvidenceError::AgeKeyNeeded { .. } => "evidence.age_key_needed",
            EvidenceError::AgeDecrypt { .. } => "evidence.age_decrypt",
            EvidenceError::Annex { .. } => "evidence.annex",
            EvidenceError::Redaction { .. } => "evidence.redaction",
        }
    }

    /// Named values for the translated message.
    pub fn args(&self) -> serde_json::Map<String, serde_json::Value> {
        let mut m = serde_json::Map::new();
        let mut put = |k: &str, v: &str| {
            m.insert(k.into(), v.into());
        };
        match self {
            EvidenceError::Vault(e) => return e.args(),
            EvidenceError::Capture(e) => return e.args(),
            EvidenceError::OutputExists { path } => put("path", path),
            EvidenceError::Io { path, reason } | EvidenceError::NotABundle { path, reason } => {
                put("path", path);
                put("reason", reason);
            }
            EvidenceError::Integrity { recording, expected, found } => {
                put("recording", recording);
                put("expected", expected);
                put("found", found);
            }
            EvidenceError::MissingFile { file }
            | EvidenceError::ExtraFile { file }
            | EvidenceError::BadSignature { file }
            | EvidenceError::FileAltered { file } => put("file", file),
            EvidenceError::FileChanged { file, expected, found } => {
                put("file", file);
                put("expected", expected);
                put("found", found);
            }
            EvidenceError::UncertifiedKey { key } => put("key", key),
            EvidenceError::ChainBroken { line, reason } => {
                put("line", &line.to_string());
                put("reason", reason);
            }
            EvidenceError::OriginalMismatch { item } => put("item", item),
            EvidenceError::AgeRecipient { recipient, reason } => {
                put("recipient", recipient);
                put("reason", reason);
            }
            EvidenceError::AgeKeyNeeded { path } => put("path", path),
            EvidenceError::AgePassphraseShort { min } => put("min", &min.to_string()),
            EvidenceError::AgeDecrypt { reason } | EvidenceError::Annex { reason } => put("reason", reason),
            EvidenceError::Redaction { session, reason } => {
                put("session", session);
                put("reason", reason);
            }
            EvidenceError::NoOriginals | EvidenceError::SeveralCases | EvidenceError::HeadMismatch => {}
        }
        m
    }
}

pub(crate) fn io(path: &std::path::Path) -> impl Fn(std::io::Error) -> EvidenceError + '_ {
    move |e| EvidenceError::Io { path: path.display().to_string(), reason: e.to_string() }
}

#[cfg(test)]
mod tests {
    #[test]
    fn every_evidence_error_has_a_translation_in_both_locales() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../assets/locales");
        for lang in ["es-MX", "en"] {
            let text = std::fs::read_to_string(root.join(format!("errors.{lang}.json"))).unwrap();
            let catalog: serde_json::Map<String, serde_json::Value> = serde_json::from_str(&text).unwrap();
            for code in super::EVIDENCE_ERROR_CODES {
                assert!(catalog.contains_key(*code), "{lang} lacks {code}");
            }
        }
    }
}

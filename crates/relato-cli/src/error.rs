//! The CLI's error: a vault error, or one of the CLI's own, each with a
//! stable code, named arguments, and an exit status scripts can rely on.

use relato_vault::VaultError;
use serde_json::{Map, Value};

#[derive(Debug)]
pub enum CliError {
    Vault(VaultError),
    Capture(relato_capture::CaptureError),
    /// A transcript or WebVTT file that breaks a rule (`review.*`).
    Review(relato_review::ReviewError),
    /// An evidence bundle that could not be written or does not verify.
    Evidence(relato_evidence::EvidenceError),
    /// A CLI-level problem: code in `assets/locales/cli.*.json` and its arguments.
    Cli { code: &'static str, args: Map<String, Value> },
    /// Some records or chains failed; the details were already printed.
    Partial { code: &'static str, count: usize },
}

impl CliError {
    pub fn cli(code: &'static str) -> CliError {
        CliError::Cli { code, args: Map::new() }
    }

    pub fn with(code: &'static str, pairs: &[(&str, String)]) -> CliError {
        let args = pairs.iter().map(|(k, v)| ((*k).to_owned(), Value::String(v.clone()))).collect();
        CliError::Cli { code, args }
    }

    pub fn code(&self) -> &'static str {
        match self {
            CliError::Vault(e) => e.code(),
            CliError::Capture(e) => e.code(),
            CliError::Review(e) => e.code(),
            CliError::Evidence(e) => e.code(),
            CliError::Cli { code, .. } | CliError::Partial { code, .. } => code,
        }
    }

    pub fn args(&self) -> Map<String, Value> {
        match self {
            CliError::Vault(e) => e.args(),
            CliError::Capture(e) => e.args(),
            CliError::Evidence(e) => e.args(),
            CliError::Review(e) => {
                let mut m: Map<String, Value> = e.args().into_iter().map(|(k, v)| (k.to_owned(), Value::String(v))).collect();
                // Templates that name a line or segment always get one.
                for k in ["line", "segment"] {
                    m.entry(k).or_insert_with(|| Value::String("?".into()));
                }
                m
            }
            CliError::Cli { args, .. } => args.clone(),
            CliError::Partial { count, .. } => {
                let mut m = Map::new();
                m.insert("count".into(), count.to_string().into());
                m
            }
        }
    }

    /// Exit status: 3 authentication (a wrong key for an encrypted bundle
    /// too), 4 integrity (tampering, damage), 1 anything else.
    /// (clap uses 2 for usage errors.)
    pub fn exit_code(&self) -> u8 {
        let code = self.code();
        if code.starts_with("auth.") || code == "evidence.age_decrypt" {
            3
        } else if code.starts_with("custody.")
            || code.starts_with("stream.")
            || code == "record.corrupt"
            || code == "capture.integrity"
            || EVIDENCE_INTEGRITY.contains(&code)
            || code == "cli.verify_failed"
            || code == "cli.damaged_records"
        {
            4
        } else {
            1
        }
    }
}

impl From<VaultError> for CliError {
    fn from(e: VaultError) -> Self {
        CliError::Vault(e)
    }
}

impl From<relato_review::ReviewError> for CliError {
    fn from(e: relato_review::ReviewError) -> Self {
        CliError::Review(e)
    }
}

impl From<relato_review::stored::StoredError> for CliError {
    fn from(e: relato_review::stored::StoredError) -> Self {
        match e {
            relato_review::stored::StoredError::Review(r) => CliError::Review(r),
            relato_review::stored::StoredError::Vault(v) => CliError::Vault(v),
            other => CliError::with("cli.failed", &[("reason", other.to_string())]),
        }
    }
}

impl From<relato_evidence::EvidenceError> for CliError {
    fn from(e: relato_evidence::EvidenceError) -> Self {
        match e {
            relato_evidence::EvidenceError::Vault(v) => CliError::Vault(v),
            other => CliError::Evidence(other),
        }
    }
}

impl From<relato_capture::CaptureError> for CliError {
    fn from(e: relato_capture::CaptureError) -> Self {
        match e {
            relato_capture::CaptureError::Vault(v) => CliError::Vault(v),
            other => CliError::Capture(other),
        }
    }
}

/// The evidence errors that mean a bundle or an original was altered or
/// damaged (exit status 4); the others are usage or environment (1).
const EVIDENCE_INTEGRITY: &[&str] = &[
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
];

#[cfg(test)]
mod exit_status_tests {
    use super::EVIDENCE_INTEGRITY;

    #[test]
    fn every_integrity_code_is_one_the_evidence_crate_has() {
        for code in EVIDENCE_INTEGRITY {
            assert!(relato_evidence::EVIDENCE_ERROR_CODES.contains(code), "{code} is not an evidence error code");
        }
        // Usage and environment are not tampering.
        for code in ["evidence.output_exists", "evidence.age_recipient", "evidence.age_key_needed", "evidence.redaction", "evidence.annex"] {
            assert!(!EVIDENCE_INTEGRITY.contains(&code), "{code}");
        }
    }
}

//! The error that crosses the IPC boundary.
//!
//! Every failure reaches the UI as `{ "code", "message", "args" }`: `code` is
//! the stable identifier the UI looks up in `assets/locales/errors.<lang>.json`,
//! `args` fills the template's `{name}` placeholders and `message` is the
//! English text for logs and for codes the UI does not know yet.

use serde::Serialize;
use serde_json::{Map, Value};

/// A failure of a command, ready to be serialised for the UI.
#[derive(Debug, Clone, PartialEq, Serialize, specta::Type, thiserror::Error)]
#[error("{code}: {message}")]
pub struct CommandError {
    pub code: String,
    pub message: String,
    pub args: Map<String, Value>,
}

impl CommandError {
    /// An error raised by the shell itself; its code must be in the catalogs.
    pub fn new(code: &str, message: impl Into<String>) -> Self {
        CommandError { code: code.to_owned(), message: message.into(), args: Map::new() }
    }

    /// Adds `key` to the arguments unless the error already carries it.
    pub fn with_arg_default(mut self, key: &str, value: impl Into<String>) -> Self {
        self.args
            .entry(key.to_owned())
            .or_insert_with(|| Value::String(value.into()));
        self
    }
}

impl From<relato_capture::CaptureError> for CommandError {
    fn from(e: relato_capture::CaptureError) -> Self {
        CommandError { code: e.code().to_owned(), message: e.to_string(), args: e.args() }
    }
}

impl From<relato_review::ReviewError> for CommandError {
    fn from(e: relato_review::ReviewError) -> Self {
        let args = e.args().into_iter().map(|(k, v)| (k.to_owned(), Value::String(v))).collect();
        CommandError { code: e.code().to_owned(), message: e.to_string(), args }
    }
}

impl From<relato_review::stored::StoredError> for CommandError {
    fn from(e: relato_review::stored::StoredError) -> Self {
        match e {
            relato_review::stored::StoredError::Review(r) => r.into(),
            relato_review::stored::StoredError::Vault(v) => v.into(),
            other => CommandError::new("app.ipc", other.to_string()),
        }
    }
}

impl From<relato_evidence::EvidenceError> for CommandError {
    fn from(e: relato_evidence::EvidenceError) -> Self {
        CommandError { code: e.code().to_owned(), message: e.to_string(), args: e.args() }
    }
}

impl From<relato_vault::VaultError> for CommandError {
    fn from(e: relato_vault::VaultError) -> Self {
        CommandError { code: e.code().to_owned(), message: e.to_string(), args: e.args() }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn path_is_added_only_when_absent() {
        let e = CommandError::new("x", "m").with_arg_default("path", "/a").with_arg_default("path", "/b");
        assert_eq!(e.args.get("path"), Some(&json!("/a")));
    }

    #[test]
    fn vault_errors_keep_their_code_and_arguments() {
        let e = CommandError::from(relato_vault::VaultError::WeakPassphrase { min: 12 });
        assert_eq!(e.code, "auth.weak_passphrase");
        assert_eq!(e.args.get("min"), Some(&json!("12")));
    }

    #[test]
    fn every_code_the_shell_raises_is_translated() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../assets/locales");
        for lang in ["es-MX", "en"] {
            let text = std::fs::read_to_string(root.join(format!("errors.{lang}.json"))).unwrap();
            let catalog: Map<String, Value> = serde_json::from_str(&text).unwrap();
            for code in relato_vault::ERROR_CODES.iter().chain(relato_capture::CAPTURE_ERROR_CODES).chain(crate::recording::RECORDING_ERROR_CODES)
                .chain(relato_review::ERROR_CODES)
                .chain(crate::listening::LISTENING_ERROR_CODES)
                .chain(relato_evidence::EVIDENCE_ERROR_CODES)
                .chain(crate::evidence_commands::EVIDENCE_APP_ERROR_CODES)
                .chain(crate::custody::CUSTODY_ERROR_CODES)
            {
                assert!(catalog.contains_key(*code), "{lang} lacks {code}");
            }
        }
    }
}

//! The error that crosses the IPC boundary.
//!
//! Every failure reaches the UI as `{ "code", "message", "args" }`: `code` is
//! the stable identifier the UI looks up in `assets/locales/errors.<lang>.json`,
//! `args` fills the template's `{name}` placeholders and `message` is the
//! English text for logs and for codes the UI does not know yet.

use serde::Serialize;
use serde_json::{Map, Value};

/// A failure of a command, ready to be serialised for the UI.
#[derive(Debug, Clone, PartialEq, Serialize, thiserror::Error)]
#[error("{code}: {message}")]
pub struct CommandError {
    pub code: String,
    pub message: String,
    pub args: Map<String, Value>,
}

impl CommandError {
    /// Adds `key` to the arguments unless the error already carries it.
    pub fn with_arg_default(mut self, key: &str, value: impl Into<String>) -> Self {
        self.args
            .entry(key.to_owned())
            .or_insert_with(|| Value::String(value.into()));
        self
    }
}

impl From<relato_vault::VaultError> for CommandError {
    fn from(e: relato_vault::VaultError) -> Self {
        CommandError { code: e.code().to_owned(), message: e.to_string(), args: e.args() }
    }
}

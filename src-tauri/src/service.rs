//! The vault service the commands adapt. It knows nothing of Tauri, so it is
//! tested like any library code.

use std::path::PathBuf;

use relato_vault::VaultProbe;
use serde::Serialize;

use crate::error::CommandError;

/// The environment variable that overrides the vault location.
pub const VAULT_ENV: &str = "RELATO_VAULT";

/// What the start screen shows: where the vault is and what state it is in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct VaultStatus {
    /// The vault file, as shown to the user.
    pub path: String,
    /// `{"state":"missing"}` or `{"state":"locked","vault_id":…,"format_version":…}`.
    pub probe: VaultProbe,
}

/// Holds the vault location chosen at start-up.
#[derive(Debug)]
pub struct VaultService {
    location: Result<PathBuf, CommandError>,
}

impl VaultService {
    /// A service for an explicit vault path.
    pub fn at(path: impl Into<PathBuf>) -> Self {
        VaultService { location: Ok(path.into()) }
    }

    /// `$RELATO_VAULT` if set and non-empty, else the platform default.
    pub fn from_env() -> Self {
        match std::env::var_os(VAULT_ENV).filter(|v| !v.is_empty()) {
            Some(p) => VaultService::at(p),
            None => VaultService {
                location: relato_vault::default_vault_path().map_err(CommandError::from),
            },
        }
    }

    /// Probes the vault without unlocking or changing it. Errors carry the
    /// vault path in `args.path` so that the UI can always show it.
    pub fn status(&self) -> Result<VaultStatus, CommandError> {
        let path = self.location.clone()?;
        let shown = path.display().to_string();
        match relato_vault::probe(&path) {
            Ok(probe) => Ok(VaultStatus { path: shown, probe }),
            Err(e) => Err(CommandError::from(e).with_arg_default("path", shown)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn missing_vault_is_reported_with_its_path() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("vault.relato");
        let status = VaultService::at(&path).status().unwrap();
        assert_eq!(status.probe, VaultProbe::Missing);
        assert_eq!(
            serde_json::to_value(&status).unwrap(),
            json!({"path": path.display().to_string(), "probe": {"state": "missing"}})
        );
        assert!(!path.exists(), "probing must not create the vault");
    }

    #[test]
    fn a_file_that_is_not_a_vault_is_a_coded_error() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("vault.relato");
        std::fs::write(&path, b"this is not a vault, just some text that is long enough").unwrap();
        let err = VaultService::at(&path).status().unwrap_err();
        assert_eq!(err.code, "vault.not_a_vault");
        assert_eq!(err.args.get("path"), Some(&json!(path.display().to_string())));
        let wire = serde_json::to_value(&err).unwrap();
        assert_eq!(wire["code"], "vault.not_a_vault");
        assert!(wire["message"].as_str().unwrap().contains("not a Relato vault"));
        assert!(wire["args"].is_object());
    }

    #[test]
    fn a_directory_is_not_a_vault() {
        let dir = tempfile::tempdir().unwrap();
        let err = VaultService::at(dir.path()).status().unwrap_err();
        assert_eq!(err.code, "vault.not_a_vault");
    }

    #[test]
    fn path_is_added_only_when_absent() {
        let e = CommandError { code: "x".into(), message: "m".into(), args: Default::default() };
        let e = e.with_arg_default("path", "/a").with_arg_default("path", "/b");
        assert_eq!(e.args.get("path"), Some(&json!("/a")));
    }
}

//! What every command needs: the global options, the catalog, and a way to
//! unlock the vault as the acting user (or with the recovery code).

use std::path::PathBuf;

use relato_vault::{RecoveryCode, Vault};
use serde::Serialize;
use serde_json::{Map, Value};

use crate::args::Global;
use crate::error::CliError;
use crate::i18n::Catalog;
use crate::secrets;

/// `h:mm:ss.mmm`.
pub fn duration(ms: u64) -> String {
    format!("{}:{:02}:{:02}.{:03}", ms / 3_600_000, ms / 60_000 % 60, ms / 1000 % 60, ms % 1000)
}

pub struct Ctx {
    pub global: Global,
    pub cat: Catalog,
}

impl Ctx {
    pub fn new(global: Global, cat: Catalog) -> Ctx {
        Ctx { global, cat }
    }

    pub fn json(&self) -> bool {
        self.global.json
    }

    pub fn vault_path(&self) -> Result<PathBuf, CliError> {
        match &self.global.vault {
            Some(p) => Ok(p.clone()),
            None => Ok(relato_vault::default_vault_path()?),
        }
    }

    /// The acting user's login name, required for anything but recovery.
    pub fn user(&self) -> Result<String, CliError> {
        self.global.user.clone().filter(|u| !u.trim().is_empty()).ok_or_else(|| CliError::cli("cli.user_required"))
    }

    pub fn unlock(&self) -> Result<Vault, CliError> {
        let path = self.vault_path()?;
        if let Some(file) = &self.global.recovery_code_file {
            let text = secrets::read_secret_file(file)?;
            let code = RecoveryCode::parse(&text)?;
            return Ok(Vault::unlock_with_recovery(&path, &code)?);
        }
        let user = self.user()?;
        // Fail on a missing or busy vault before asking for a passphrase.
        if relato_vault::probe(&path)? == relato_vault::VaultProbe::Missing {
            return Err(relato_vault::VaultError::NotFound(path).into());
        }
        let passphrase = match &self.global.passphrase_file {
            Some(file) => secrets::read_secret_file(file)?,
            None => secrets::prompt(&self.cat, "cli.passphrase_prompt", &user)?,
        };
        let vault = Vault::unlock(&path, &user, &passphrase)?;
        self.recover(&vault);
        Ok(vault)
    }

    /// Recordings whose recorder died are sealed as recovered at the next
    /// unlock, and the person is told. A failure here is reported, not fatal:
    /// the recordings stay unsealed and are tried again next time.
    fn recover(&self, vault: &Vault) {
        match relato_capture::recovery::recover_unsealed(vault) {
            Ok(recovered) => {
                for r in recovered {
                    let end = r.end.as_ref().expect("recovered recordings are sealed");
                    let text = self.tf(
                        "cli.recovered",
                        &[("id", r.id.clone()), ("session", r.session_id.clone()), ("duration", duration(end.duration_ms))],
                    );
                    eprintln!("relato: {text}");
                }
            }
            Err(e) => self.report(&CliError::from(e)),
        }
    }

    pub fn t(&self, key: &str) -> String {
        self.cat.text(key)
    }

    pub fn tf(&self, key: &str, pairs: &[(&str, String)]) -> String {
        let args: Map<String, Value> = pairs.iter().map(|(k, v)| ((*k).to_owned(), Value::String(v.clone()))).collect();
        self.cat.format(key, &args)
    }

    /// A human sentence on stdout (nothing in `--json` mode).
    pub fn say(&self, key: &str, pairs: &[(&str, String)]) {
        if !self.json() {
            outln!("{}", self.tf(key, pairs));
        }
    }

    pub fn print_json<T: Serialize + ?Sized>(&self, value: &T) {
        outln!("{}", serde_json::to_string_pretty(value).expect("output serialises"));
    }

    /// One line on stderr for a failure; with `--json`, one JSON object.
    pub fn report(&self, e: &CliError) {
        // A partial failure's details were each reported as they occurred.
        match e {
            CliError::Partial { .. } => {}
            // A transcript error found in a file names the file's line.
            CliError::Review(r) if r.segment_id().is_some() && r.line().is_some() => {
                let at = self.cat.format("cli.at_line", &e.args());
                self.report_message(e.code(), &e.args(), format!("{at}{}", self.cat.format(e.code(), &e.args())));
            }
            _ => self.report_parts(e.code(), &e.args()),
        }
    }

    fn report_parts(&self, code: &str, args: &Map<String, Value>) {
        self.report_message(code, args, self.cat.format(code, args));
    }

    fn report_message(&self, code: &str, args: &Map<String, Value>, message: String) {
        if self.json() {
            let obj = serde_json::json!({ "error": { "code": code, "message": message, "args": args } });
            eprintln!("{obj}");
        } else {
            eprintln!("relato: {}: {message}", self.t("cli.error"));
        }
    }

    /// A non-fatal problem with one record, reported and then carried on from.
    pub fn warn(&self, e: &relato_vault::VaultError) {
        self.report_parts(e.code(), &e.args());
    }
}

//! Where secrets come from: a file (first line), or a prompt without echo.
//! Secrets are held in `Zeroizing` strings and wiped when dropped.

use std::io::IsTerminal;
use std::path::Path;

use zeroize::Zeroizing;

use crate::error::CliError;
use crate::i18n::Catalog;

/// The first line of `path`, without its line ending.
pub fn read_secret_file(path: &Path) -> Result<Zeroizing<String>, CliError> {
    let text = Zeroizing::new(std::fs::read_to_string(path).map_err(|e| {
        CliError::with("cli.read_file", &[("path", path.display().to_string()), ("reason", e.to_string())])
    })?);
    let first = text.lines().next().unwrap_or("");
    if first.is_empty() {
        return Err(CliError::with("cli.empty_file", &[("path", path.display().to_string())]));
    }
    Ok(Zeroizing::new(first.to_owned()))
}

/// Asks on the terminal, without echo.
pub fn prompt(catalog: &Catalog, key: &str, user: &str) -> Result<Zeroizing<String>, CliError> {
    if !std::io::stdin().is_terminal() {
        return Err(CliError::cli("cli.no_terminal"));
    }
    let mut args = serde_json::Map::new();
    args.insert("user".into(), user.into());
    let answer = rpassword::prompt_password(catalog.format(key, &args))
        .map_err(|e| CliError::with("cli.read_file", &[("path", "/dev/tty".into()), ("reason", e.to_string())]))?;
    Ok(Zeroizing::new(answer))
}

/// A new secret from `file`, or asked twice on the terminal.
pub fn new_secret(catalog: &Catalog, file: Option<&Path>) -> Result<Zeroizing<String>, CliError> {
    if let Some(file) = file {
        return read_secret_file(file);
    }
    let first = prompt(catalog, "cli.new_passphrase_prompt", "")?;
    let second = prompt(catalog, "cli.repeat_passphrase_prompt", "")?;
    if *first != *second {
        return Err(CliError::cli("cli.passphrase_mismatch"));
    }
    Ok(first)
}

//! `relato init` and `relato status`.

use std::io::Write;
use std::path::Path;

use relato_vault::{KdfParams, NewVault, Vault, VaultProbe};

use crate::context::Ctx;
use crate::error::CliError;
use crate::secrets;

pub fn init(ctx: &Ctx, org: &str, admin: &str, recovery_out: Option<&Path>) -> Result<(), CliError> {
    let path = ctx.vault_path()?;
    if let Some(out) = recovery_out {
        if out.exists() {
            return Err(CliError::with("cli.recovery_out_exists", &[("path", out.display().to_string())]));
        }
    }
    let passphrase = secrets::new_secret(&ctx.cat, ctx.global.passphrase_file.as_deref())?;
    let (vault, code) = Vault::create(
        &path,
        NewVault { organisation: org, admin_name: admin, admin_passphrase: &passphrase, kdf: KdfParams::default() },
    )?;
    let code_text = zeroize::Zeroizing::new(code.to_string());
    if let Some(out) = recovery_out {
        write_new_private(out, &format!("{}\n", *code_text))?;
    }
    if ctx.json() {
        let mut obj = serde_json::json!({
            "vault_id": vault.vault_id(),
            "path": path,
            "organisation": org,
            "admin": vault.me(),
            "org_key": vault.organisation_key().1,
        });
        match recovery_out {
            Some(out) => obj["recovery_out"] = out.display().to_string().into(),
            None => obj["recovery_code"] = code_text.as_str().into(),
        }
        ctx.print_json(&obj);
    } else {
        ctx.say("cli.created", &[("path", path.display().to_string()), ("org", org.into()), ("admin", admin.into())]);
        match recovery_out {
            Some(out) => ctx.say("cli.recovery_saved", &[("path", out.display().to_string())]),
            None => {
                outln!("\n{}\n\n    {}\n", ctx.t("cli.recovery_banner"), *code_text);
            }
        }
    }
    Ok(())
}

/// Creates `path` (never over an existing file), readable by its owner only.
fn write_new_private(path: &Path, text: &str) -> Result<(), CliError> {
    let fail = |e: std::io::Error| CliError::with("cli.write_file", &[("path", path.display().to_string()), ("reason", e.to_string())]);
    let mut opts = std::fs::OpenOptions::new();
    opts.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut opts, 0o600);
    let mut f = opts.open(path).map_err(fail)?;
    f.write_all(text.as_bytes()).map_err(fail)?;
    f.sync_all().map_err(fail)
}

pub fn status(ctx: &Ctx) -> Result<(), CliError> {
    let path = ctx.vault_path()?;
    let probe = relato_vault::probe(&path)?;
    if ctx.json() {
        let mut obj = serde_json::to_value(&probe).expect("serialises");
        obj["path"] = path.display().to_string().into();
        ctx.print_json(&obj);
        return Ok(());
    }
    match probe {
        VaultProbe::Missing => ctx.say("cli.status_missing", &[("path", path.display().to_string())]),
        VaultProbe::Locked { vault_id, format_version } => ctx.say(
            "cli.status_locked",
            &[("vault_id", vault_id), ("path", path.display().to_string()), ("format", format_version.to_string())],
        ),
    }
    Ok(())
}

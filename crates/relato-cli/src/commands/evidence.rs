//! `relato export` and `relato verify`: evidence bundles
//! (`relato-evidence`). Verification needs no vault: anyone with the
//! bundle can run it.

use std::path::Path;

use crate::context::Ctx;
use crate::error::CliError;

pub fn export(ctx: &Ctx, sessions: &[String], out: &Path, purpose: Option<&str>, recipient: Option<&str>, zip: bool) -> Result<(), CliError> {
    let vault = ctx.unlock()?;
    let request = relato_evidence::ExportRequest { sessions, out, purpose, recipient, zip };
    let done = relato_evidence::export(&vault, &request)?;
    if ctx.json() {
        ctx.print_json(&serde_json::json!({
            "path": done.path.display().to_string(),
            "manifest_sha256": done.manifest_sha256,
            "zip_sha256": done.zip_sha256,
            "items": done.manifest.items,
            "files": done.manifest.files.len(),
        }));
    } else {
        ctx.say(
            "cli.export_done",
            &[
                ("path", done.path.display().to_string()),
                ("items", done.manifest.items.len().to_string()),
                ("sha256", done.manifest_sha256.clone()),
            ],
        );
        for item in &done.manifest.items {
            outln!("  {}  {}", item.sha256, item.file);
        }
        if let Some(z) = &done.zip_sha256 {
            ctx.say("cli.export_zip", &[("sha256", z.clone())]);
        }
    }
    Ok(())
}

pub fn verify(ctx: &Ctx, path: &Path) -> Result<(), CliError> {
    let verified = relato_evidence::verify(path)?;
    let m = &verified.manifest;
    if ctx.json() {
        ctx.print_json(&serde_json::json!({
            "ok": true,
            "files": verified.files,
            "custody_lines": verified.custody_lines,
            "case": m.case.reference,
            "exported_by": m.exported_by.name,
            "organisation_key": m.organisation.minisign_key,
            "items": m.items,
        }));
    } else {
        ctx.say(
            "cli.verify_bundle_ok",
            &[
                ("files", verified.files.to_string()),
                ("lines", verified.custody_lines.to_string()),
                ("items", m.items.len().to_string()),
                ("org", m.organisation.minisign_key.clone()),
                ("signer", m.exported_by.name.clone()),
            ],
        );
    }
    Ok(())
}

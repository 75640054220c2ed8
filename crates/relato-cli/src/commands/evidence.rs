//! `relato export` and `relato verify`: evidence bundles
//! (`relato-evidence`). Verification needs no vault: anyone with the
//! bundle can run it.

use std::path::Path;

use relato_evidence::{AgeKey, AgeRecipients, Packaging};
use zeroize::Zeroizing;

use crate::args::HandoverCommand;
use crate::context::Ctx;
use crate::error::CliError;
use crate::secrets;

/// How `relato export` packages, from its flags (age implies a zip).
pub fn packaging(
    ctx: &Ctx,
    zip: bool,
    age_recipients: Vec<String>,
    age_passphrase: bool,
    age_passphrase_file: Option<&Path>,
) -> Result<Packaging, CliError> {
    if !age_recipients.is_empty() {
        return Ok(Packaging::Age(AgeRecipients::Keys(age_recipients)));
    }
    if age_passphrase || age_passphrase_file.is_some() {
        let p = secrets::new_secret(&ctx.cat, age_passphrase_file)?;
        return Ok(Packaging::Age(AgeRecipients::Passphrase(secret(p))));
    }
    Ok(if zip { Packaging::Zip } else { Packaging::Folder })
}

fn secret(s: Zeroizing<String>) -> age::secrecy::SecretString {
    age::secrecy::SecretString::from(s.as_str().to_owned())
}

pub fn export(
    ctx: &Ctx,
    sessions: &[String],
    out: &Path,
    purpose: Option<&str>,
    recipient: Option<&str>,
    packaging: Packaging,
    redact: Option<&Path>,
) -> Result<(), CliError> {
    let redactions: Vec<relato_evidence::SessionRedaction> = match redact {
        None => Vec::new(),
        Some(file) => {
            let text = std::fs::read_to_string(file).map_err(|e| {
                CliError::with("cli.read_file", &[("path", file.display().to_string()), ("reason", e.to_string())])
            })?;
            serde_json::from_str(&text).map_err(|e| {
                CliError::with("cli.bad_redaction_file", &[("path", file.display().to_string()), ("reason", e.to_string())])
            })?
        }
    };
    let vault = ctx.unlock()?;
    let request = relato_evidence::ExportRequest { sessions, out, purpose, recipient, packaging, redactions: &redactions };
    let done = relato_evidence::export(&vault, &request)?;
    if ctx.json() {
        ctx.print_json(&serde_json::json!({
            "path": done.path.display().to_string(),
            "manifest_sha256": done.manifest_sha256,
            "zip_sha256": done.zip_sha256,
            "age_sha256": done.age_sha256,
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
        match (&done.zip_sha256, &done.age_sha256) {
            (_, Some(a)) => ctx.say("cli.export_age", &[("sha256", a.clone())]),
            (Some(z), None) => ctx.say("cli.export_zip", &[("sha256", z.clone())]),
            (None, None) => {}
        }
    }
    Ok(())
}

pub fn verify(
    ctx: &Ctx,
    path: &Path,
    age_identity: Option<&Path>,
    age_passphrase: bool,
    age_passphrase_file: Option<&Path>,
) -> Result<(), CliError> {
    let key = age_key(ctx, age_identity, age_passphrase, age_passphrase_file)?;
    let verified = relato_evidence::verify(path, key.as_ref())?;
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

/// What opens an encrypted bundle, from the flags (none: not encrypted).
pub fn age_key(ctx: &Ctx, identity: Option<&Path>, prompt: bool, passphrase_file: Option<&Path>) -> Result<Option<AgeKey>, CliError> {
    Ok(if let Some(file) = identity {
        let text = Zeroizing::new(std::fs::read_to_string(file).map_err(|e| {
            CliError::with("cli.read_file", &[("path", file.display().to_string()), ("reason", e.to_string())])
        })?);
        Some(AgeKey::Identities(secret(text)))
    } else if let Some(file) = passphrase_file {
        Some(AgeKey::Passphrase(secret(secrets::read_secret_file(file)?)))
    } else if prompt {
        Some(AgeKey::Passphrase(secret(secrets::prompt(&ctx.cat, "cli.age_passphrase_prompt", "")?)))
    } else {
        None
    })
}

/// `relato handover deliver|receive`: one `ENTREGA` or `RECEPCION` line in
/// the case's custody log. A bundle named with it is verified first and
/// must be of this case; its manifest's and its file's SHA-256 are logged.
pub fn handover(ctx: &Ctx, command: HandoverCommand) -> Result<(), CliError> {
    let (kind, counterpart, d) = match command {
        HandoverCommand::Deliver { to, details } => (relato_vault::HandOverKind::Delivery, to, details),
        HandoverCommand::Receive { from, details } => (relato_vault::HandOverKind::Receipt, from, details),
    };
    let mut bundle = None;
    if let Some(path) = &d.bundle {
        let key = age_key(ctx, d.age_identity.as_deref(), false, d.age_passphrase_file.as_deref())?;
        let verified = relato_evidence::verify(path, key.as_ref())?;
        if verified.manifest.case.id != d.case_id {
            return Err(CliError::with(
                "cli.bundle_other_case",
                &[("path", path.display().to_string()), ("reference", verified.manifest.case.reference.clone())],
            ));
        }
        let file_sha256 = if path.is_file() { Some(relato_evidence::file_sha256(path)?) } else { None };
        bundle = Some((verified.manifest_sha256, file_sha256));
    }
    let vault = ctx.unlock()?;
    let h = relato_vault::HandOver {
        kind,
        counterpart: &counterpart,
        institution: d.institution.as_deref(),
        purpose: d.purpose.as_deref(),
        medium: d.medium.as_deref(),
        seal: d.seal.as_deref(),
        bundle_sha256: bundle.as_ref().map(|b| b.0.as_str()),
        file_sha256: bundle.as_ref().and_then(|b| b.1.as_deref()),
    };
    vault.log_handover(&d.case_id, &h)?;
    let event = match kind {
        relato_vault::HandOverKind::Delivery => "ENTREGA",
        relato_vault::HandOverKind::Receipt => "RECEPCION",
    };
    if ctx.json() {
        ctx.print_json(&serde_json::json!({"event": event, "case": d.case_id, "counterpart": counterpart,
                                            "bundle_sha256": h.bundle_sha256, "file_sha256": h.file_sha256}));
    } else {
        ctx.say("cli.handover_logged", &[("event", event.to_owned()), ("who", counterpart.clone())]);
    }
    Ok(())
}

/// `relato receive`: another vault's bundle, verified and taken in.
pub fn receive(ctx: &Ctx, request: &relato_evidence::ReceiveRequest<'_>) -> Result<(), CliError> {
    let vault = ctx.unlock()?;
    let got = relato_evidence::receive(&vault, request)?;
    if ctx.json() {
        ctx.print_json(&serde_json::json!({
            "case": got.case_id,
            "manifest_sha256": got.manifest_sha256,
            "sessions": got.sessions.iter().map(|(label, id)| serde_json::json!({"label": label, "session": id})).collect::<Vec<_>>(),
            "originals": got.originals.iter().map(|o| serde_json::json!({"item": o.item, "recording": o.recording_id, "sha256": o.sha256})).collect::<Vec<_>>(),
            "transcripts": got.transcripts,
            "annotations": got.annotations,
            "annotations_not_taken": got.annotations_not_taken,
        }));
    } else {
        ctx.say(
            "cli.received",
            &[
                ("case", got.case_id.clone()),
                ("originals", got.originals.len().to_string()),
                ("sessions", got.sessions.len().to_string()),
                ("sha256", got.manifest_sha256.clone()),
            ],
        );
        for o in &got.originals {
            outln!("  {}  {}  {}", o.sha256, o.item, o.recording_id);
        }
        if got.annotations_not_taken > 0 {
            ctx.say("cli.received_annotations_not_taken", &[("count", got.annotations_not_taken.to_string())]);
        }
    }
    Ok(())
}

//! `relato transcript import` and `relato transcript show`.
//!
//! An import parses and validates the WebVTT file completely before the
//! vault is touched: a file with a bad line stores nothing and names the line.

use std::path::Path;

use relato_review::{parse_vtt, stored, Transcript};
use relato_vault::TranscriptRevision;

use crate::args::TranscriptCommand;
use crate::context::{duration, Ctx};
use crate::error::CliError;
use crate::output;

pub fn run(ctx: &Ctx, command: TranscriptCommand) -> Result<(), CliError> {
    match command {
        TranscriptCommand::Import { session_id, file } => import(ctx, &session_id, &file),
        TranscriptCommand::Show { session_id, rev } => show(ctx, &session_id, rev),
    }
}

fn import(ctx: &Ctx, session_id: &str, file: &Path) -> Result<(), CliError> {
    let text = std::fs::read(file)
        .map_err(|e| CliError::with("cli.read_failed", &[("path", file.display().to_string()), ("reason", e.to_string())]))?;
    let text = String::from_utf8(text).map_err(|_| CliError::with("cli.not_utf8", &[("path", file.display().to_string())]))?;
    let transcript = parse_vtt(&text)?;
    // Checked before the vault is even opened: a bad file names its line.
    transcript.validate()?;
    let vault = ctx.unlock()?;
    let name = file.file_name().map_or_else(|| file.display().to_string(), |n| n.to_string_lossy().into_owned());
    let saved = stored::save_transcript(&vault, session_id, transcript.clone(), Some(&format!("import: {name}")))?;
    if ctx.json() {
        ctx.print_json(&summary(&saved, &transcript));
    } else {
        ctx.say(
            "cli.transcript_saved",
            &[("rev", saved.rev.to_string()), ("segments", transcript.segments.len().to_string()), ("sha256", saved.sha256.clone())],
        );
    }
    Ok(())
}

fn summary(saved: &TranscriptRevision, transcript: &Transcript) -> serde_json::Value {
    serde_json::json!({
        "session_id": saved.session_id,
        "rev": saved.rev,
        "saved_at": saved.saved_at,
        "author": saved.author,
        "sha256": saved.sha256,
        "source": saved.source,
        "segments": transcript.segments,
    })
}

fn show(ctx: &Ctx, session_id: &str, rev: Option<u32>) -> Result<(), CliError> {
    let vault = ctx.unlock()?;
    let session = vault.session(session_id)?;
    let found = match rev {
        None => vault.transcript(&session.id)?,
        Some(n) => vault.transcript_at(&session.id, n)?,
    };
    let Some(saved) = found else {
        return Err(match rev {
            None => CliError::with("cli.no_transcript", &[("session", session.id.clone())]),
            Some(n) => CliError::with("cli.no_transcript_rev", &[("session", session.id.clone()), ("rev", n.to_string())]),
        });
    };
    let transcript = stored::transcript_of(&saved)?;
    if ctx.json() {
        ctx.print_json(&summary(&saved, &transcript));
        return Ok(());
    }
    let author = vault.user_names()(&saved.author);
    output::fields(&[
        (ctx.t("cli.label.revision"), saved.rev.to_string()),
        (ctx.t("cli.label.saved"), format!("{} · {author}", saved.saved_at)),
        (ctx.t("cli.label.text_sha256"), saved.sha256.clone()),
        (ctx.t("cli.label.source"), saved.source.clone().unwrap_or_else(|| ctx.t("cli.label.none"))),
    ]);
    let header = ["cli.label.start", "cli.label.end", "cli.label.speaker", "cli.label.text"].map(|k| ctx.t(k));
    let rows: Vec<Vec<String>> = transcript
        .segments
        .iter()
        .map(|s| {
            let speaker = ctx.t(&format!("cli.speaker.{}", s.speaker.id()));
            let speaker = match &s.label {
                Some(label) if !label.is_empty() => format!("{speaker} ({label})"),
                _ => speaker,
            };
            vec![duration(s.start_ms), duration(s.end_ms), speaker, s.text.replace('\n', " / ")]
        })
        .collect();
    output::table(&header, &rows);
    Ok(())
}

//! `relato audio export` and `relato import`.

use relato_capture::original;
use relato_vault::RecordingState;

use crate::args::AudioCommand;
use crate::context::Ctx;
use crate::error::CliError;

pub fn run(ctx: &Ctx, command: AudioCommand) -> Result<(), CliError> {
    let vault = ctx.unlock()?;
    match command {
        AudioCommand::Export { session_id, out, recording, purpose } => {
            let recording = match recording {
                Some(id) => vault.recording(&id)?,
                None => vault
                    .recordings(&session_id)?
                    .into_iter()
                    .filter_map(Result::ok)
                    .rfind(|r| r.state() != RecordingState::Recording)
                    .ok_or_else(|| CliError::with("cli.no_recording", &[("session", session_id.clone())]))?,
            };
            let exported = original::export(&vault, &recording, &out, purpose.as_deref())?;
            if ctx.json() {
                ctx.print_json(&exported);
            } else {
                ctx.say("cli.audio_exported", &[("path", exported.path), ("bytes", exported.bytes.to_string()), ("sha256", exported.sha256)]);
            }
        }
    }
    Ok(())
}

pub fn import(ctx: &Ctx, session_id: &str, file: &std::path::Path) -> Result<(), CliError> {
    let vault = ctx.unlock()?;
    let session = vault.session(session_id)?;
    let recording = relato_capture::import::import_file(&vault, &session.id, file)?;
    if ctx.json() {
        ctx.print_json(&recording);
    } else {
        let end = recording.end.as_ref().expect("imports are sealed");
        let name = file.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        ctx.say(
            "cli.imported",
            &[("file", name), ("id", recording.id.clone()), ("bytes", end.original_bytes.to_string()), ("sha256", end.sha256_original.clone())],
        );
    }
    Ok(())
}

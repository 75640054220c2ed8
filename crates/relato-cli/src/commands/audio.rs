//! `relato audio export`.

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

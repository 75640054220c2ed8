//! `relato`: the command-line shell over Relato's library crates.
//!
//! Thin by design: parse (args.rs), unlock (context.rs), call one vault
//! method (commands/), print (output.rs). Every message a person reads is
//! looked up in the locale catalogs (i18n.rs); errors print as one line on
//! stderr — or one JSON object with `--json` — with a distinct exit status.

#![forbid(unsafe_code)]

mod args;
#[macro_use]
mod output;
mod commands;
mod context;
mod error;
mod i18n;
mod secrets;

use std::process::ExitCode;

use clap::Parser;

use crate::args::{AnnotationsCommand, Cli, Command, DevicesCommand, VocabularyCommand};
use crate::context::Ctx;
use crate::error::CliError;
use crate::i18n::{Catalog, Lang};

fn main() -> ExitCode {
    let cli = Cli::parse();
    let ctx = Ctx::new(cli.global, Catalog::new(Lang::from_env()));
    match run(&ctx, cli.command) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            ctx.report(&e);
            ExitCode::from(e.exit_code())
        }
    }
}

fn run(ctx: &Ctx, command: Command) -> Result<(), CliError> {
    match command {
        Command::Init { org, admin, recovery_out } => commands::vault::init(ctx, &org, &admin, recovery_out.as_deref()),
        Command::Status => commands::vault::status(ctx),
        Command::User(c) => commands::users::run(ctx, c),
        Command::Case(c) => commands::cases::run(ctx, c),
        Command::Session(c) => commands::sessions::run(ctx, c),
        Command::Log(c) => commands::log::run(ctx, c),
        Command::Audio(c) => commands::audio::run(ctx, c),
        Command::Transcript(c) => commands::transcripts::run(ctx, c),
        Command::Vocabulary(VocabularyCommand::List) => commands::annotations::vocabulary(ctx),
        Command::Annotate { session_id, tier, start, end, code, note, segment } => {
            let span = commands::annotations::Span { start_ms: start, end_ms: end };
            commands::annotations::annotate(ctx, &session_id, &tier, span, &code, note, segment)
        }
        Command::Annotations(AnnotationsCommand::List { session_id }) => commands::annotations::list(ctx, &session_id),
        Command::Quality { session_id } => commands::annotations::quality(ctx, &session_id),
        Command::Devices { action: None } => commands::record::devices(ctx),
        Command::Devices { action: Some(DevicesCommand::Test { device, seconds }) } => {
            commands::record::test_input(ctx, device.as_deref(), seconds)
        }
        Command::Import { session_id, file } => commands::audio::import(ctx, &session_id, &file),
        Command::Export { sessions, out, purpose, recipient, zip, age_recipients, age_passphrase, age_passphrase_file, redact } => {
            let packaging = commands::evidence::packaging(ctx, zip, age_recipients, age_passphrase, age_passphrase_file.as_deref())?;
            commands::evidence::export(ctx, &sessions, &out, purpose.as_deref(), recipient.as_deref(), packaging, redact.as_deref())
        }
        Command::Verify { path, age_identity, age_passphrase, age_passphrase_file } => {
            commands::evidence::verify(ctx, &path, age_identity.as_deref(), age_passphrase, age_passphrase_file.as_deref())
        }
        Command::Handover(h) => commands::evidence::handover(ctx, h),
        Command::Receive { path, from, case_id, institution, purpose, medium, seal, age_identity, age_passphrase_file } => {
            let key = commands::evidence::age_key(ctx, age_identity.as_deref(), false, age_passphrase_file.as_deref())?;
            let request = relato_evidence::ReceiveRequest {
                path: &path,
                key: key.as_ref(),
                into_case: case_id.as_deref(),
                from: &from,
                institution: institution.as_deref(),
                purpose: purpose.as_deref(),
                medium: medium.as_deref(),
                seal: seal.as_deref(),
            };
            commands::evidence::receive(ctx, &request)
        }
        Command::Record { session_id, seconds, device } => commands::record::record(ctx, &session_id, seconds, device.as_deref()),
    }
}

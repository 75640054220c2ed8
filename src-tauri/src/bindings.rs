//! The one list of commands, events and constants: it registers them with Tauri and
//! generates `ui/src/bindings.ts`. A test fails when the checked-in file
//! differs from what this produces; `RELATO_WRITE_BINDINGS=1 cargo test -p
//! relato-app bindings` rewrites it.

use specta_typescript::Typescript;
use tauri_specta::{collect_commands, collect_events, Builder};

use crate::{capture_commands, commands, evidence_commands, review_commands};
use crate::downloads::DownloadFinished;
use crate::dto::Limits;
use crate::events::{CaptureStatus, CloseRefused, PlayerStatusEvent, VaultLocked};

/// Where the generated bindings live, relative to this crate.
pub const BINDINGS_PATH: &str = "../ui/src/bindings.ts";

pub fn builder() -> Builder<tauri::Wry> {
    Builder::<tauri::Wry>::new()
        .commands(collect_commands![
            commands::vault_status,
            commands::create_vault,
            commands::unlock_vault,
            commands::lock_vault,
            commands::list_cases,
            commands::get_case,
            commands::create_case,
            commands::list_sessions,
            commands::get_session,
            commands::create_session,
            commands::about,
            capture_commands::list_devices,
            capture_commands::start_check,
            capture_commands::finish_check,
            capture_commands::test_audio,
            capture_commands::cancel_check,
            capture_commands::start_recording,
            capture_commands::capture_status,
            capture_commands::place_marker,
            capture_commands::mark_phase,
            capture_commands::switch_device,
            capture_commands::stop_recording,
            capture_commands::recovered_recordings,
            review_commands::review_session,
            review_commands::save_transcript,
            review_commands::transcript_revisions,
            review_commands::transcript_revision,
            review_commands::save_annotation,
            review_commands::delete_annotation,
            review_commands::annotation_history,
            review_commands::prompt_suggestions,
            review_commands::quality_report,
            review_commands::search_session,
            review_commands::session_custody,
            review_commands::case_custody,
            review_commands::review_mark_unsaved,
            review_commands::close_window,
            review_commands::player_open,
            review_commands::player_play,
            review_commands::player_pause,
            review_commands::player_seek,
            review_commands::player_speed,
            review_commands::player_status,
            review_commands::player_close,
            review_commands::save_vocabulary_code,
            evidence_commands::export_bundle,
            evidence_commands::verify_bundle,
            evidence_commands::log_handover,
            evidence_commands::receive_bundle,
        ])
        .events(collect_events![VaultLocked, DownloadFinished, CaptureStatus, CloseRefused, PlayerStatusEvent])
        .constant("LIMITS", Limits::of_vault())
}

/// The TypeScript text of the bindings.
pub fn typescript() -> String {
    // The generated helpers import names they do not always use; the
    // strict tsconfig would refuse them, so the file opts out of checking
    // itself (its exported types still check every caller).
    let header = "// @ts-nocheck\n\
                  // Generated from src-tauri by tauri-specta: do not edit.\n\
                  // Regenerate: RELATO_WRITE_BINDINGS=1 cargo test -p relato-app bindings\n";
    builder()
        .export_str(Typescript::default().header(header).bigint(specta_typescript::BigIntExportBehavior::Number))
        .expect("the bindings must export")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bindings_match_the_checked_in_file() {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(BINDINGS_PATH);
        let generated = typescript();
        if std::env::var_os("RELATO_WRITE_BINDINGS").is_some() {
            std::fs::write(&path, &generated).unwrap();
        }
        let checked_in = std::fs::read_to_string(&path).unwrap_or_default();
        assert!(
            checked_in == generated,
            "ui/src/bindings.ts is out of date: run RELATO_WRITE_BINDINGS=1 cargo test -p relato-app bindings"
        );
    }

    #[test]
    fn every_command_is_permitted_and_in_the_manifest() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let build = std::fs::read_to_string(root.join("build.rs")).unwrap();
        let set = std::fs::read_to_string(root.join("permissions/relato-ui.toml")).unwrap();
        let ts = typescript();
        let commands: Vec<&str> = ts
            .lines()
            .filter_map(|l| l.split("TAURI_INVOKE(\"").nth(1))
            .filter_map(|rest| rest.split('"').next())
            .collect();
        assert!(commands.len() >= 11, "found {commands:?}");
        for c in commands {
            assert!(build.contains(&format!("\"{c}\"")), "{c} is not in build.rs COMMANDS");
            assert!(set.contains(&format!("\"allow-{}\"", c.replace('_', "-"))), "{c} is not permitted in relato-ui.toml");
        }
    }
}

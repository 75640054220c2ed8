//! Generates the app's ACL manifest: only the commands listed here can be
//! permitted to the web view (each gets `allow-<command>` / `deny-<command>`),
//! and `capabilities/main.json` grants them to the main window.

/// Every command registered in `src/lib.rs`. A command missing here cannot be
/// called from the UI at all.
const COMMANDS: &[&str] = &[
    "vault_status",
    "create_vault",
    "unlock_vault",
    "lock_vault",
    "list_cases",
    "get_case",
    "create_case",
    "list_sessions",
    "get_session",
    "create_session",
    "about",
    "list_devices",
    "start_check",
    "finish_check",
    "test_audio",
    "cancel_check",
    "start_recording",
    "capture_status",
    "place_marker",
    "mark_phase",
    "switch_device",
    "stop_recording",
    "recovered_recordings",
    "review_session",
    "save_transcript",
    "transcript_revisions",
    "transcript_revision",
    "save_annotation",
    "delete_annotation",
    "annotation_history",
    "prompt_suggestions",
    "quality_report",
    "search_session",
    "session_custody",
    "case_custody",
    "review_mark_unsaved",
    "close_window",
    "player_open",
    "player_play",
    "player_pause",
    "player_seek",
    "player_speed",
    "player_status",
    "player_close",
    "save_vocabulary_code",
    "export_bundle",
    "verify_bundle",
    "log_handover",
    "receive_bundle",
];

/// The commit for the About screen: `git rev-parse --short HEAD` (with
/// `+dirty` for a modified tree) when git and the repository are at hand,
/// else the build profile.
fn build_id() -> String {
    let git = |args: &[&str]| {
        std::process::Command::new("git")
            .args(args)
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .output()
            .ok()
            .filter(|o| o.status.success())
            .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_owned())
    };
    let profile = std::env::var("PROFILE").unwrap_or_else(|_| "unknown".into());
    match git(&["rev-parse", "--short=12", "HEAD"]) {
        Some(hash) if !hash.is_empty() => {
            let dirty = git(&["status", "--porcelain", "--untracked-files=no"]).is_some_and(|s| !s.is_empty());
            format!("{hash}{} ({profile})", if dirty { "+dirty" } else { "" })
        }
        _ => profile,
    }
}

fn main() {
    // `tauri::generate_context!` embeds the built UI. Say what to do instead of
    // failing deep inside the macro.
    let dist = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../ui/dist/index.html");
    if !dist.exists() {
        println!(
            "cargo::warning=ui/dist is missing: build the UI first (cd ui && npm ci && npm run build)"
        );
    }
    println!("cargo::rerun-if-changed=../ui/dist");
    println!("cargo::rustc-env=RELATO_BUILD={}", build_id());
    // A new commit changes HEAD or the branch it points to.
    for head in ["../.git/HEAD", "../.git/refs/heads"] {
        if std::path::Path::new(head).exists() {
            println!("cargo::rerun-if-changed={head}");
        }
    }
    tauri_build::try_build(
        tauri_build::Attributes::new()
            .app_manifest(tauri_build::AppManifest::new().commands(COMMANDS)),
    )
    .expect("tauri-build failed");
}

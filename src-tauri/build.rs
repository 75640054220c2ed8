//! Generates the app's ACL manifest: only the commands listed here can be
//! permitted to the web view (each gets `allow-<command>` / `deny-<command>`),
//! and `capabilities/main.json` grants them to the main window.

/// Every command registered in `src/lib.rs`. A command missing here cannot be
/// called from the UI at all.
const COMMANDS: &[&str] = &["vault_status"];

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
    tauri_build::try_build(
        tauri_build::Attributes::new()
            .app_manifest(tauri_build::AppManifest::new().commands(COMMANDS)),
    )
    .expect("tauri-build failed");
}

//! Relato's desktop shell. All logic lives in the library crates (design
//! brief §3.7); this crate only holds services in Tauri state and adapts
//! commands to them.
#![forbid(unsafe_code)]

pub mod about;
pub mod bindings;
pub mod capture_commands;
pub mod commands;
pub mod custody;
pub mod downloads;
pub mod dto;
pub mod error;
pub mod events;
pub mod evidence_commands;
pub mod listening;
pub mod recording;
pub mod review;
pub mod review_commands;
pub mod service;

use tauri::Manager;

pub use error::CommandError;
pub use listening::ListeningService;
pub use recording::RecordingService;
pub use service::VaultService;

/// Builds and runs the application until its last window closes.
pub fn run() {
    let specta = bindings::builder();
    tauri::Builder::default()
        .manage(VaultService::from_env())
        .manage(RecordingService::from_env())
        .manage(ListeningService::system())
        .invoke_handler(specta.invoke_handler())
        // Closing the window must not cut a recording short (it stays open
        // until the interviewer stops, and the recording is sealed), nor an
        // export (which would leave half a bundle and no custody line) or a
        // reception (a case half taken in).
        .on_window_event(|window, event| {
            if let tauri::WindowEvent::CloseRequested { api, .. } = event {
                // Unsaved transcript typing: the window asks the reviewer first.
                if window.state::<RecordingService>().is_recording()
                    || evidence_commands::bundle_work_running()
                    || review_commands::unsaved_transcript()
                {
                    api.prevent_close();
                    let _ = tauri_specta::Event::emit(&events::CloseRefused {}, window.app_handle());
                } else {
                    // What was heard is logged before the app goes.
                    let _ = window.state::<ListeningService>().close(&window.state::<VaultService>());
                }
            }
        })
        .setup(move |app| {
            specta.mount_events(app);
            // The window is built here rather than from the config alone
            // (`create: false` there) to give it the download handler.
            let config = app.config().app.windows.iter().find(|w| w.label == "main").cloned();
            let config = config.ok_or("tauri.conf.json has no window labelled main")?;
            tauri::WebviewWindowBuilder::from_config(app.handle(), &config)?
                .on_download(downloads::handle)
                .build()?;
            capture_commands::spawn_status_ticker(app.handle().clone());
            review_commands::spawn_player_ticker(app.handle().clone());
            Ok(())
        })
        .build(tauri::generate_context!())
        .expect("error while building Relato")
        .run(|app, event| {
            // However the app ends, what was heard is logged first.
            if let tauri::RunEvent::ExitRequested { .. } = event {
                let _ = app.state::<ListeningService>().close(&app.state::<VaultService>());
            }
        });
}

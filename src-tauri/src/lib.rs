//! Relato's desktop shell. All logic lives in the library crates (design
//! brief §3.7); this crate only holds services in Tauri state and adapts
//! commands to them.
#![forbid(unsafe_code)]

pub mod about;
pub mod bindings;
pub mod capture_commands;
pub mod commands;
pub mod downloads;
pub mod dto;
pub mod error;
pub mod events;
pub mod recording;
pub mod service;

pub use error::CommandError;
pub use recording::RecordingService;
pub use service::VaultService;

/// Builds and runs the application until its last window closes.
pub fn run() {
    let specta = bindings::builder();
    tauri::Builder::default()
        .manage(VaultService::from_env())
        .manage(RecordingService::from_env())
        .invoke_handler(specta.invoke_handler())
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
            Ok(())
        })
        .run(tauri::generate_context!())
        .expect("error while running Relato");
}

//! `relato devices` and `relato record`.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use relato_capture::{input_devices, DeviceSource, Recorder, RecorderOptions};

use super::sessions::show_recording;
use crate::context::Ctx;
use crate::error::CliError;
use crate::output;

pub fn devices(ctx: &Ctx) -> Result<(), CliError> {
    let devices = input_devices()?;
    if ctx.json() {
        ctx.print_json(&devices);
        return Ok(());
    }
    if devices.is_empty() {
        return Err(relato_capture::CaptureError::NoInputDevice.into());
    }
    let header = ["cli.label.name", "cli.label.format", "cli.label.supported"].map(|k| ctx.t(k));
    let rows: Vec<Vec<String>> = devices
        .into_iter()
        .map(|d| {
            let format = d
                .format
                .map(|f| format!("{} Hz, {} ch, {:?}", f.sample_rate, f.channels, f.sample_format).to_lowercase())
                .unwrap_or_else(|| ctx.t("cli.label.none"));
            vec![d.name, format, d.supported.join("; ")]
        })
        .collect();
    output::table(&header, &rows);
    Ok(())
}

pub fn record(ctx: &Ctx, session_id: &str, seconds: u64, device: Option<&str>) -> Result<(), CliError> {
    let vault = ctx.unlock()?;
    let session = vault.session(session_id)?;
    let source = DeviceSource::open(device)?;
    let interrupted = Arc::new(AtomicBool::new(false));
    {
        let flag = interrupted.clone();
        // Ctrl-C stops and seals; it never abandons a recording.
        let _ = ctrlc::set_handler(move || flag.store(true, Ordering::Release));
    }
    let recorder = Recorder::start(vault, &session.id, Box::new(source), RecorderOptions::default()).map_err(|(_, e)| e)?;
    let started = Instant::now();
    while started.elapsed() < Duration::from_secs(seconds) && !interrupted.load(Ordering::Acquire) {
        std::thread::sleep(Duration::from_millis(50));
    }
    let (vault, result) = recorder.stop();
    let recording = result?;
    if ctx.json() {
        let events = vault.recording_events(&recording.id)?;
        ctx.print_json(&serde_json::json!({ "recording": recording, "events": events }));
    } else {
        let events = vault.recording_events(&recording.id)?;
        show_recording(ctx, &recording, &events);
    }
    Ok(())
}

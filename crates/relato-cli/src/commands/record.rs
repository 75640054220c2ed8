//! `relato devices`, `relato devices test` and `relato record`.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use relato_capture::device::describe;
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
            let format = d.format.map(|f| describe(&f)).unwrap_or_else(|| ctx.t("cli.label.none"));
            let name = if d.bluetooth { format!("{} ({})", d.name, ctx.t("cli.bluetooth")) } else { d.name };
            vec![name, format, d.supported.join("; ")]
        })
        .collect();
    output::table(&header, &rows);
    Ok(())
}

/// Listens to an input and reports its level and a verdict; nothing is stored.
pub fn test_input(ctx: &Ctx, device: Option<&str>, seconds: f32) -> Result<(), CliError> {
    if !seconds.is_finite() {
        return Err(CliError::with("cli.bad_seconds", &[("seconds", seconds.to_string())]));
    }
    let test = relato_capture::test_input(device, seconds.clamp(0.5, 30.0))?;
    let verdict = serde_json::to_value(test.verdict()).expect("serialises");
    let verdict = verdict.as_str().unwrap_or_default();
    if ctx.json() {
        ctx.print_json(&serde_json::json!({
            "device": test.device,
            "format": test.format,
            "duration_ms": test.duration_ms(),
            "peak_dbfs": test.overall.peak_db(),
            "rms_dbfs": test.overall.rms_db(),
            "verdict": verdict,
        }));
        return Ok(());
    }
    output::fields(&[
        (ctx.t("cli.label.device"), test.device.clone()),
        (ctx.t("cli.label.format"), describe(&test.format)),
        (ctx.t("cli.label.level"), ctx.tf("cli.level_reading", &[("peak", format!("{:.1}", test.overall.peak_db())), ("rms", format!("{:.1}", test.overall.rms_db()))])),
        (ctx.t("cli.label.verdict"), ctx.t(&format!("cli.verdict.{verdict}"))),
    ]);
    ctx.say("cli.test_not_stored", &[]);
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
    let mut lost = false;
    while started.elapsed() < Duration::from_secs(seconds) && !interrupted.load(Ordering::Acquire) && !recorder.failed() {
        std::thread::sleep(Duration::from_millis(50));
        // The device thread keeps trying to reopen a lost input; say so both ways.
        if recorder.device_lost() != lost {
            lost = !lost;
            let key = if lost { "cli.record.device_lost" } else { "cli.record.device_back" };
            eprintln!("relato: {}", ctx.t(key));
        }
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

//! The capture pipeline with a fake source: what goes in comes out bit for
//! bit, the hash in the custody log is the exported file's, markers land
//! where they were placed, memory stays flat, and a killed recorder's audio
//! is recovered at the next unlock.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::Ordering;
use std::time::Duration;

use relato_capture::{original, recovery, FakeSource, Pace, Recorder, RecorderOptions};
use relato_vault::{AudioFormat, Phase, RecordingEventKind, RecordingState, SampleFormat, Vault};
use sha2::{Digest, Sha256};

mod common;
use common::*;

#[test]
fn bit_exact_round_trip_with_markers_and_hash() {
    let dir = tempfile::tempdir().unwrap();
    let (vault, session) = vault_with_session(dir.path());
    let format = AudioFormat { sample_rate: 48_000, channels: 2, sample_format: SampleFormat::I16 };
    let total = 3 * 48_000 + 123;
    let source = FakeSource { format, pace: Pace::Unthrottled, total_frames: Some(total) };
    let rec = Recorder::start(vault, &session, Box::new(source), RecorderOptions::default()).map_err(|(_, e)| e).unwrap();
    wait_for(&rec, 48_000);
    let m1 = rec.marker(None).unwrap();
    let p1 = rec.phase(Phase::FreeNarrative).unwrap();
    wait_for(&rec, 2 * 48_000);
    let m2 = rec.marker(Some("dibujo")).unwrap();
    let status = rec.status();
    assert_eq!((status.markers, status.phase), (2, Some(Phase::FreeNarrative)));
    assert!(status.elapsed_ms >= 2000 && !status.device_lost && !status.writer_failed && !status.max_duration_near);
    assert!(matches!(rec.pause(), Err(relato_capture::CaptureError::PauseDisabled)), "pause is off by default");
    wait_for(&rec, total);
    let (vault, result) = rec.stop();
    let recording = result.unwrap();
    let end = recording.end.clone().unwrap();
    assert_eq!(end.state, RecordingState::Sealed);
    assert_eq!(end.frames, total);
    assert_eq!(end.duration_ms, total * 1000 / 48_000);
    assert_eq!(end.counters, Default::default(), "a fake source that waits for room drops nothing");

    // Markers and phases at the frames they were placed.
    let events = vault.recording_events(&recording.id).unwrap();
    let at: Vec<(u64, &RecordingEventKind)> = events.iter().map(|e| (e.at_frame, &e.kind)).collect();
    assert_eq!(at[0], (m1, &RecordingEventKind::Marker { label: None }));
    assert_eq!(at[1], (p1, &RecordingEventKind::Phase { phase: Phase::FreeNarrative }));
    assert_eq!(at[2], (m2, &RecordingEventKind::Marker { label: Some("dibujo".into()) }));
    assert!(m1 >= 48_000 && m2 >= 2 * 48_000 && m2 <= total);

    // Export: bit-exact samples, hash equal to HASH_RECORDED.
    let out = dir.path().join("EV-001.wav");
    let exported = original::export(&vault, &recording, &out, Some("test")).unwrap();
    let case_id = vault.session(&session).unwrap().case_id;
    assert_eq!(file_sha256(&out), hash_recorded(&vault, &case_id, &recording.id));
    assert_eq!(exported.sha256, end.sha256_original);
    let mut reader = hound::WavReader::open(&out).unwrap();
    assert_eq!(reader.spec().sample_rate, 48_000);
    assert_eq!(reader.spec().channels, 2);
    let samples: Vec<u8> = reader.samples::<i16>().flat_map(|s| s.unwrap().to_le_bytes()).collect();
    assert_eq!(samples, FakeSource::expected(&format, total));
    // Exports never overwrite.
    assert!(matches!(original::export(&vault, &recording, &out, None), Err(relato_capture::CaptureError::OutputExists { .. })));

    // The custody chain verifies and tells the story.
    vault.verify_chain(&case_id).unwrap();
    let events = custody_events(&vault, &case_id);
    assert_eq!(events[2..], ["CAPTURE_START", "CAPTURE_END", "HASH_RECORDED", "AUDIO_EXPORTED"]);
}

#[test]
fn every_native_format_is_kept_as_delivered() {
    for sample_format in [SampleFormat::U8, SampleFormat::I16, SampleFormat::I32, SampleFormat::F32] {
        for channels in [1u16, 2] {
            let dir = tempfile::tempdir().unwrap();
            let (vault, session) = vault_with_session(dir.path());
            let format = AudioFormat { sample_rate: 44_100, channels, sample_format };
            let total = 22_050;
            let source = FakeSource { format, pace: Pace::Unthrottled, total_frames: Some(total) };
            let rec = Recorder::start(vault, &session, Box::new(source), RecorderOptions::default()).map_err(|(_, e)| e).unwrap();
            wait_for(&rec, total);
            let (vault, result) = rec.stop();
            let recording = result.unwrap();
            let out = dir.path().join("out.wav");
            original::export(&vault, &recording, &out, None).unwrap();
            let bytes = std::fs::read(&out).unwrap();
            let header = relato_capture::wav::header(&format, total * format.frame_bytes() as u64).unwrap();
            assert_eq!(&bytes[..header.len()], &header[..]);
            assert_eq!(&bytes[header.len()..], &FakeSource::expected(&format, total)[..], "{sample_format:?} × {channels}");
            let reader = hound::WavReader::open(&out).unwrap();
            assert_eq!(reader.duration() as u64, total);
        }
    }
}

#[test]
fn pauses_when_enabled_are_custody_events() {
    let dir = tempfile::tempdir().unwrap();
    let (vault, session) = vault_with_session(dir.path());
    let format = AudioFormat { sample_rate: 16_000, channels: 1, sample_format: SampleFormat::I16 };
    let source = FakeSource { format, pace: Pace::RealTime, total_frames: None };
    let options = RecorderOptions { allow_pause: true, ..RecorderOptions::default() };
    let rec = Recorder::start(vault, &session, Box::new(source), options).map_err(|(_, e)| e).unwrap();
    wait_for(&rec, 3_200);
    rec.pause().unwrap();
    std::thread::sleep(Duration::from_millis(200));
    rec.resume().unwrap();
    wait_for(&rec, 6_400);
    let (vault, result) = rec.stop();
    let recording = result.unwrap();
    assert_eq!(recording.end.unwrap().counters.pauses, 1);
    let case_id = vault.session(&session).unwrap().case_id;
    let lines = vault.custody_lines(&case_id).unwrap();
    assert!(lines.iter().any(|l| l.line.contains("CAPTURE_PAUSED")));
    assert!(lines.iter().any(|l| l.line.contains("CAPTURE_RESUMED")));
}

fn rss_kib() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap();
    status.lines().find(|l| l.starts_with("VmRSS:")).unwrap().split_whitespace().nth(1).unwrap().parse().unwrap()
}

/// Two hours of 48 kHz stereo 16-bit audio (1.3 GiB) at full speed: the
/// resident memory after two hours is within a few MiB of that after ten
/// minutes — nothing grows with the length of the recording.
#[test]
fn two_hour_recording_keeps_memory_flat() {
    let dir = tempfile::tempdir().unwrap();
    let (vault, session) = vault_with_session(dir.path());
    let format = AudioFormat { sample_rate: 48_000, channels: 2, sample_format: SampleFormat::I16 };
    let total = 2 * 3600 * 48_000;
    let source = FakeSource { format, pace: Pace::Unthrottled, total_frames: Some(total) };
    let rec = Recorder::start(vault, &session, Box::new(source), RecorderOptions::default()).map_err(|(_, e)| e).unwrap();
    wait_for(&rec, 10 * 60 * 48_000);
    let at_ten_minutes = rss_kib();
    let mut peak = at_ten_minutes;
    while rec.shared().captured_frames.load(Ordering::Acquire) < total {
        peak = peak.max(rss_kib());
        std::thread::sleep(Duration::from_millis(50));
    }
    let (vault, result) = rec.stop();
    let recording = result.unwrap();
    assert_eq!(recording.end.as_ref().unwrap().frames, total);
    let grown = peak.saturating_sub(at_ten_minutes);
    eprintln!("RSS at 10 min: {at_ten_minutes} KiB; peak until 120 min: {peak} KiB; growth {grown} KiB");
    assert!(grown < 32 * 1024, "memory grew by {grown} KiB between minute 10 and minute 120");
    drop(vault);
}

// ---- a recorder killed with SIGKILL ---------------------------------------

const VICTIM_ENV: &str = "RELATO_CAPTURE_VICTIM";

fn victim(path: &str) -> ! {
    let vault = Vault::unlock(Path::new(path), "Ana", PASS).unwrap();
    let case = vault.cases().unwrap().remove(0).unwrap();
    let session = vault.sessions(&case.id).unwrap().remove(0).unwrap();
    let format = AudioFormat { sample_rate: 48_000, channels: 2, sample_format: SampleFormat::I16 };
    let source = FakeSource { format, pace: Pace::RealTime, total_frames: None };
    let rec = Recorder::start(vault, &session.id, Box::new(source), RecorderOptions::default()).map_err(|(_, e)| e).unwrap();
    let mut last = 0;
    loop {
        let committed = rec.shared().committed_frames.load(Ordering::Acquire);
        if committed != last {
            println!("committed {committed}");
            last = committed;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[test]
fn killed_recorder_is_recovered_at_next_unlock() {
    if let Ok(path) = std::env::var(VICTIM_ENV) {
        victim(&path);
    }
    let dir = tempfile::tempdir().unwrap();
    let path: PathBuf = dir.path().join("vault.relato");
    let (vault, session) = vault_with_session(dir.path());
    drop(vault);

    let mut child = Command::new(std::env::current_exe().unwrap())
        .args(["--exact", "killed_recorder_is_recovered_at_next_unlock", "--nocapture", "--test-threads=1"])
        .env(VICTIM_ENV, &path)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    // Let it record N = 3 seconds, as reported committed, then kill it.
    let n_seconds = 3;
    let mut out = BufReader::new(child.stdout.take().unwrap());
    let mut committed = 0u64;
    let mut line = String::new();
    while committed < n_seconds * 48_000 {
        line.clear();
        assert!(out.read_line(&mut line).unwrap() > 0, "the recorder ended early");
        if let Some(n) = line.trim().strip_prefix("committed ") {
            committed = n.parse().unwrap();
        }
    }
    std::thread::sleep(Duration::from_millis(400));
    child.kill().unwrap();
    child.wait().unwrap();

    let vault = Vault::unlock(&path, "Ana", PASS).unwrap();
    let recovered = recovery::recover_unsealed(&vault).unwrap();
    assert_eq!(recovered.len(), 1);
    let end = recovered[0].end.clone().unwrap();
    assert_eq!(end.state, RecordingState::Recovered);
    assert!(end.frames >= (n_seconds - 1) * 48_000, "recovered {} frames, at least {} s expected", end.frames, n_seconds - 1);
    let format = AudioFormat { sample_rate: 48_000, channels: 2, sample_format: SampleFormat::I16 };
    let out = dir.path().join("recovered.wav");
    original::export(&vault, &recovered[0], &out, None).unwrap();
    let samples: Vec<u8> = hound::WavReader::open(&out).unwrap().samples::<i16>().flat_map(|s| s.unwrap().to_le_bytes()).collect();
    assert_eq!(samples, FakeSource::expected(&format, end.frames), "the recovered audio is the captured audio");
    let case_id = vault.session(&session).unwrap().case_id;
    for (chain, result) in vault.verify_all().unwrap() {
        result.unwrap_or_else(|e| panic!("{chain}: {e}"));
    }
    assert!(vault.custody_lines(&case_id).unwrap().iter().any(|l| l.line.contains("CAPTURE_RECOVERED")));
    assert!(recovery::recover_unsealed(&vault).unwrap().is_empty(), "recovery happens once");
}

// ---- imports ----------------------------------------------------------------

#[test]
fn an_import_keeps_the_files_own_bit_depth_not_what_it_decodes_to() {
    let dir = tempfile::tempdir().unwrap();
    let (vault, session) = vault_with_session(dir.path());
    for (bits, float) in [(24, false), (32, true), (8, false)] {
        let source = dir.path().join(format!("muestra-{bits}.wav"));
        let sample_format = if float { hound::SampleFormat::Float } else { hound::SampleFormat::Int };
        let spec = hound::WavSpec { channels: 2, sample_rate: 48_000, bits_per_sample: bits, sample_format };
        let mut w = hound::WavWriter::create(&source, spec).unwrap();
        for i in 0..9_600 {
            if float {
                w.write_sample((i as f32 / 9_600.0) - 0.5).unwrap();
            } else {
                w.write_sample((i % 100) - 50).unwrap();
            }
        }
        w.finalize().unwrap();
        let recording = relato_capture::import::import_file(&vault, &session, &source).unwrap();
        match &recording.origin {
            relato_vault::Origin::Imported { bits_per_sample, .. } => assert_eq!(*bits_per_sample, Some(bits as u32), "{bits}-bit file"),
            other => panic!("{other:?}"),
        }
    }
    // A plain IEEE-float WAV (format tag 3, as most tools write it, unlike
    // hound's extensible header above) states no bit depth: its codec does.
    let mut wav = Vec::new();
    let samples = 4_800u32 * 2;
    wav.extend_from_slice(b"RIFF");
    wav.extend_from_slice(&(36 + samples * 4).to_le_bytes());
    wav.extend_from_slice(b"WAVEfmt ");
    wav.extend_from_slice(&16u32.to_le_bytes());
    for v in [3u16, 2] {
        wav.extend_from_slice(&v.to_le_bytes());
    }
    wav.extend_from_slice(&48_000u32.to_le_bytes());
    wav.extend_from_slice(&(48_000u32 * 8).to_le_bytes());
    for v in [8u16, 32] {
        wav.extend_from_slice(&v.to_le_bytes());
    }
    wav.extend_from_slice(b"data");
    wav.extend_from_slice(&(samples * 4).to_le_bytes());
    for i in 0..samples {
        wav.extend_from_slice(&((i % 200) as f32 / 400.0).to_le_bytes());
    }
    let source = dir.path().join("flotante.wav");
    std::fs::write(&source, &wav).unwrap();
    let recording = relato_capture::import::import_file(&vault, &session, &source).unwrap();
    assert!(matches!(recording.origin, relato_vault::Origin::Imported { bits_per_sample: Some(32), .. }), "{:?}", recording.origin);
}

#[test]
fn an_imported_recording_is_kept_byte_for_byte() {
    let dir = tempfile::tempdir().unwrap();
    let (vault, session) = vault_with_session(dir.path());
    // A WAV as another program wrote it: stored and exported unchanged.
    let source = dir.path().join("camara-gesell.wav");
    {
        let spec = hound::WavSpec { channels: 1, sample_rate: 22_050, bits_per_sample: 16, sample_format: hound::SampleFormat::Int };
        let mut w = hound::WavWriter::create(&source, spec).unwrap();
        for i in 0..22_050 {
            w.write_sample(((i * 37) % 20_000) as i16).unwrap();
        }
        w.finalize().unwrap();
    }
    let original_bytes = std::fs::read(&source).unwrap();
    let recording = relato_capture::import::import_file(&vault, &session, &source).unwrap();
    let end = recording.end.clone().unwrap();
    assert_eq!(end.sha256_original, hex::encode(Sha256::digest(&original_bytes)));
    assert_eq!(end.original_bytes, original_bytes.len() as u64);
    assert_eq!(end.duration_ms, 1000);
    assert!(matches!(&recording.origin, relato_vault::Origin::Imported { file_name, bits_per_sample: Some(16), .. } if file_name == "camara-gesell.wav"));
    // Waveform peaks decoded from the file: one min/max pair per 480 frames,
    // equal to the peaks of the same samples computed directly.
    let stored_peaks = vault.read_stream(recording.peaks_stream_id.as_ref().unwrap()).unwrap();
    let format = AudioFormat { sample_rate: 22_050, channels: 1, sample_format: SampleFormat::I16 };
    let mut direct = relato_capture::level::Peaks::new(format);
    let mut expected_peaks = Vec::new();
    direct.push(&original_bytes[44..], &mut expected_peaks);
    direct.finish(&mut expected_peaks);
    assert_eq!(stored_peaks.len(), 2 * 22_050usize.div_ceil(480));
    assert_eq!(stored_peaks, expected_peaks);

    let out = dir.path().join("out.wav");
    original::export(&vault, &recording, &out, None).unwrap();
    assert_eq!(std::fs::read(&out).unwrap(), original_bytes, "the export is the imported file itself");
    let case_id = vault.session(&session).unwrap().case_id;
    assert_eq!(hash_recorded(&vault, &case_id, &recording.id), end.sha256_original);
    let events = custody_events(&vault, &case_id);
    assert_eq!(events[2..], ["IMPORT_START", "IMPORT_END", "HASH_RECORDED", "AUDIO_EXPORTED"]);
}

#[test]
fn a_file_that_is_not_audio_is_refused_before_anything_is_stored() {
    let dir = tempfile::tempdir().unwrap();
    let (vault, session) = vault_with_session(dir.path());
    for (name, bytes) in [("notas.txt", b"esto no es audio, es texto".to_vec()), ("fake.wav", b"RIFF\x10\x00\x00\x00WAVEjunk".to_vec())] {
        let path = dir.path().join(name);
        std::fs::write(&path, bytes).unwrap();
        let err = relato_capture::import::import_file(&vault, &session, &path).err().unwrap();
        assert_eq!(err.code(), "capture.not_audio", "{name}: {err}");
    }
    assert!(vault.recordings(&session).unwrap().is_empty(), "nothing was stored");
    let case_id = vault.session(&session).unwrap().case_id;
    assert_eq!(vault.custody_lines(&case_id).unwrap().len(), 2, "nothing was logged");
}

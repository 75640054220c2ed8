//! When things go wrong while recording: the input disappears, the disk
//! fills up, the maximum duration approaches. Each time, nothing captured is
//! lost, the trouble is logged where it happened, and the caller is told.

use std::sync::atomic::Ordering;
use std::time::Duration;

use relato_capture::source::{Running, Worker};
use relato_capture::{original, recovery, CaptureError, FakeSource, FeedHandle, Pace, Recorder, RecorderOptions, Source};
use relato_vault::{AudioFormat, RecordingEventKind, RecordingState, SampleFormat, Vault};

mod common;
use common::*;

const FORMAT: AudioFormat = AudioFormat { sample_rate: 48_000, channels: 2, sample_format: SampleFormat::I16 };

/// A microphone that delivers `frames` frames of the fake signal and is then
/// unplugged: the backend reports the device gone and nothing more arrives.
struct UnpluggedAfter {
    frames: u64,
}

impl Source for UnpluggedAfter {
    fn format(&self) -> AudioFormat {
        FORMAT
    }
    fn name(&self) -> String {
        "USB microphone".into()
    }
    fn start(self: Box<Self>, feed: FeedHandle) -> Result<Box<dyn Running>, CaptureError> {
        Worker::spawn("unplugged", move |stop| {
            let signal = FakeSource::expected(&FORMAT, self.frames);
            for block in signal.chunks(480 * FORMAT.frame_bytes()) {
                while feed.vacant_frames() < block.len() / FORMAT.frame_bytes() {
                    std::thread::sleep(Duration::from_millis(1));
                }
                feed.push(block);
            }
            feed.stream_error(true);
            while !stop.load(Ordering::Acquire) {
                std::thread::sleep(Duration::from_millis(5));
            }
        })
    }
}

fn wait_until(mut condition: impl FnMut() -> bool) {
    let deadline = std::time::Instant::now() + Duration::from_secs(30);
    while !condition() {
        assert!(std::time::Instant::now() < deadline, "timed out");
        std::thread::sleep(Duration::from_millis(5));
    }
}

#[test]
fn an_unplugged_device_is_logged_and_the_recording_continues_on_another() {
    let dir = tempfile::tempdir().unwrap();
    let (vault, session) = vault_with_session(dir.path());
    let before = 48_000 + 960;
    let mut rec = Recorder::start(vault, &session, Box::new(UnpluggedAfter { frames: before }), RecorderOptions::default())
        .map_err(|(_, e)| e)
        .unwrap();
    wait_until(|| rec.device_lost());
    wait_for(&rec, before);
    assert!(rec.status().device_lost);

    // A device that cannot deliver the recording's format is refused, and
    // the recording goes on waiting for one that can.
    let mono = AudioFormat { channels: 1, ..FORMAT };
    let wrong = FakeSource { format: mono, pace: Pace::Unthrottled, total_frames: Some(10) };
    let err = rec.switch_source(Box::new(wrong)).unwrap_err();
    assert_eq!(err.code(), "capture.format_mismatch");
    assert!(rec.device_lost() && !rec.failed());

    std::thread::sleep(Duration::from_millis(300));
    let after = 24_000;
    rec.switch_source(Box::new(FakeSource { format: FORMAT, pace: Pace::Unthrottled, total_frames: Some(after) })).unwrap();
    assert!(!rec.device_lost());
    wait_for(&rec, before + after);
    let (vault, result) = rec.stop();
    let recording = result.unwrap();
    let end = recording.end.clone().unwrap();
    assert_eq!(end.state, RecordingState::Sealed);
    assert_eq!(end.frames, before + after, "everything from both devices is kept");
    assert_eq!(end.counters.stream_errors, 1);
    assert_eq!(end.counters.gaps, 1);

    // The loss and the switch are events at the frame where the input stopped.
    let events = vault.recording_events(&recording.id).unwrap();
    let kinds: Vec<_> = events.iter().map(|e| (e.at_frame, e.kind.clone())).collect();
    assert!(kinds.contains(&(before, RecordingEventKind::DeviceLost { device: "USB microphone".into() })), "{kinds:?}");
    let gap = kinds.iter().find_map(|(at, k)| match k {
        RecordingEventKind::Gap { wall_ms, device, reason } => Some((*at, *wall_ms, device.clone(), reason.clone())),
        _ => None,
    });
    let (at, wall_ms, device, reason) = gap.expect("the switch is a gap");
    assert_eq!((at, device.as_str(), reason.as_str()), (before, "fake source", "device_switched"));
    // The writer notices the loss within a few milliseconds of the source.
    assert!((250..5_000).contains(&wall_ms), "the gap measures the time without input: {wall_ms} ms");

    // One original: the first device's audio, then the second's.
    let out = dir.path().join("out.wav");
    original::export(&vault, &recording, &out, None).unwrap();
    let samples: Vec<u8> = hound::WavReader::open(&out).unwrap().samples::<i16>().flat_map(|s| s.unwrap().to_le_bytes()).collect();
    let mut expected = FakeSource::expected(&FORMAT, before);
    expected.extend(FakeSource::expected(&FORMAT, after));
    assert_eq!(samples, expected);
    let case_id = vault.session(&session).unwrap().case_id;
    vault.verify_chain(&case_id).unwrap();
}

#[test]
fn a_full_disk_stops_the_recording_and_keeps_what_was_committed() {
    let dir = tempfile::tempdir().unwrap();
    let (vault, session) = vault_with_session(dir.path());
    let case_id = vault.session(&session).unwrap().case_id;
    // Room for about 1.5 s of 48 kHz stereo 16-bit audio (192 kB/s).
    vault.limit_growth_for_tests(300_000).unwrap();
    let source = FakeSource { format: FORMAT, pace: Pace::RealTime, total_frames: None };
    let rec = Recorder::start(vault, &session, Box::new(source), RecorderOptions::default()).map_err(|(_, e)| e).unwrap();
    wait_until(|| rec.failed());
    let status = rec.status();
    assert!(status.writer_failed && status.committed_ms >= 1000, "{status:?}");
    let (vault, result) = rec.stop();
    let err = result.unwrap_err();
    assert_eq!(err.code(), "capture.stopped_disk_full", "{err}");
    let kept = err.args()["kept"].as_str().unwrap().to_owned();
    assert!(kept.ends_with(" s"), "{kept}");
    drop(vault);

    // Space is freed (here: the limit goes with the connection). What was
    // committed is there, sealed as recovered — now or at this unlock.
    let vault = Vault::unlock(&dir.path().join("vault.relato"), "Ana", PASS).unwrap();
    recovery::recover_unsealed(&vault).unwrap();
    let recordings: Vec<_> = vault.recordings(&session).unwrap().into_iter().map(Result::unwrap).collect();
    assert_eq!(recordings.len(), 1);
    let end = recordings[0].end.clone().expect("sealed");
    assert_eq!(end.state, RecordingState::Recovered);
    assert!(end.frames >= 48_000, "at least the first committed second is kept: {} frames", end.frames);
    assert_eq!(kept, format!("{} s", end.frames / 48_000), "the error said what was kept");
    let out = dir.path().join("kept.wav");
    original::export(&vault, &recordings[0], &out, None).unwrap();
    let samples: Vec<u8> = hound::WavReader::open(&out).unwrap().samples::<i16>().flat_map(|s| s.unwrap().to_le_bytes()).collect();
    assert_eq!(samples, FakeSource::expected(&FORMAT, end.frames), "what was kept is what was captured");
    assert_eq!(hash_recorded(&vault, &case_id, &recordings[0].id), end.sha256_original);
    for (chain, result) in vault.verify_all().unwrap() {
        result.unwrap_or_else(|e| panic!("{chain}: {e}"));
    }
}

#[test]
fn the_maximum_duration_is_announced_before_it_is_reached() {
    for (seconds, warned) in [(8u64, true), (6, false)] {
        let dir = tempfile::tempdir().unwrap();
        let (vault, session) = vault_with_session(dir.path());
        let options = RecorderOptions {
            max_duration: Some(Duration::from_secs(10)),
            warn_before: Duration::from_secs(3),
            ..RecorderOptions::default()
        };
        let total = seconds * 48_000;
        let source = FakeSource { format: FORMAT, pace: Pace::Unthrottled, total_frames: Some(total) };
        let rec = Recorder::start(vault, &session, Box::new(source), options).map_err(|(_, e)| e).unwrap();
        wait_for(&rec, total);
        if warned {
            wait_until(|| rec.status().max_duration_near);
        } else {
            std::thread::sleep(Duration::from_millis(100));
            assert!(!rec.status().max_duration_near);
        }
        let (vault, result) = rec.stop();
        result.unwrap();
        let recording = vault.recordings(&session).unwrap().remove(0).unwrap();
        let warnings: Vec<u64> = vault
            .recording_events(&recording.id)
            .unwrap()
            .into_iter()
            .filter(|e| e.kind == RecordingEventKind::MaxDurationWarning { remaining_s: 3 })
            .map(|e| e.at_frame)
            .collect();
        if warned {
            assert_eq!(warnings.len(), 1, "warned once");
            assert_eq!(warnings, [7 * 48_000], "at 10 − 3 s, to the frame");
        } else {
            assert!(warnings.is_empty(), "no warning for {seconds} s of 10: {warnings:?}");
        }
    }
}

//! The player: what reaches the output is the original, sample for sample,
//! at 1.0×; a changed speed keeps the pitch and changes the duration;
//! seeking, pausing and the auto-rewind land where asked; what was heard
//! comes back merged for custody; and a sealed capture plays through the
//! vault's chunk reads.

use std::sync::Arc;
use std::time::{Duration, Instant};


use relato_capture::playback::OriginalReader;
use relato_capture::player::ReadRange;
use relato_capture::{CapturedOutput, FakeSource, Pace, Player, PlayerStatus, Recorder, RecorderOptions};
use relato_vault::{AudioFormat, SampleFormat};
use zeroize::Zeroizing;

mod common;
use common::*;

/// A 16-bit WAV of `samples` (interleaved) in memory.
fn wav(rate: u32, channels: u16, samples: &[i16]) -> Vec<u8> {
    let spec = hound::WavSpec { channels, sample_rate: rate, bits_per_sample: 16, sample_format: hound::SampleFormat::Int };
    let mut cursor = std::io::Cursor::new(Vec::new());
    let mut w = hound::WavWriter::new(&mut cursor, spec).unwrap();
    for &s in samples {
        w.write_sample(s).unwrap();
    }
    w.finalize().unwrap();
    cursor.into_inner()
}

fn from_memory(bytes: Vec<u8>) -> (ReadRange, u64) {
    let len = bytes.len() as u64;
    let bytes = Arc::new(bytes);
    let read: ReadRange = Arc::new(move |offset, n| {
        let lo = (offset as usize).min(bytes.len());
        let hi = (offset.saturating_add(n) as usize).min(bytes.len());
        Ok(Zeroizing::new(bytes[lo..hi].to_vec()))
    });
    (read, len)
}

fn sine(rate: u32, hz: f32, seconds: f32, amplitude: f32) -> Vec<i16> {
    (0..(rate as f32 * seconds) as usize)
        .map(|i| ((i as f32 * hz * std::f32::consts::TAU / rate as f32).sin() * amplitude * i16::MAX as f32) as i16)
        .collect()
}

fn wait_until(player: &Player, what: impl Fn(&PlayerStatus) -> bool) -> PlayerStatus {
    let start = Instant::now();
    loop {
        let s = player.status().unwrap();
        if what(&s) {
            return s;
        }
        assert!(start.elapsed() < Duration::from_secs(20), "timed out; last status {s:?}");
        std::thread::sleep(Duration::from_millis(5));
    }
}

/// The played samples without the silence around them.
fn sound(out: &CapturedOutput) -> Vec<f32> {
    let played = out.played.lock().unwrap().clone();
    let first = played.iter().position(|&s| s != 0.0).unwrap_or(played.len());
    let last = played.iter().rposition(|&s| s != 0.0).map_or(first, |i| i + 1);
    played[first..last].to_vec()
}

/// Upward zero crossings per second.
fn pitch(samples: &[f32], rate: u32) -> f32 {
    let ups = samples.windows(2).filter(|w| w[0] < 0.0 && w[1] >= 0.0).count();
    ups as f32 * rate as f32 / samples.len() as f32
}

#[test]
fn at_normal_speed_the_output_is_the_original_sample_for_sample() {
    let rate = 16_000;
    // Stereo with different channels, and no zero samples inside, so the
    // trimmed output lines up exactly.
    let mut samples = Vec::new();
    for i in 0..rate as i32 {
        samples.push((1 + (i * 37) % 20_000) as i16);
        samples.push(-(1 + (i * 11) % 9_000) as i16);
    }
    let (read, len) = from_memory(wav(rate, 2, &samples));
    let out = CapturedOutput::new(20.0);
    let player = Player::open(read, len, Box::new(out.clone())).unwrap();
    let s = player.status().unwrap();
    assert_eq!((s.position_ms, s.duration_ms, s.playing, s.ended), (0, 1_000, false, false));
    player.play(0).unwrap();
    let end = wait_until(&player, |s| s.ended);
    assert!(!end.playing);
    assert_eq!(end.position_ms, 1_000);
    let expected: Vec<f32> = samples.iter().map(|&s| s as f32 / 32_768.0).collect();
    let got = sound(&out);
    assert_eq!(got.len(), expected.len());
    assert!(got == expected, "the output differs from the original");
    assert_eq!(player.close(), [(0, 1_000)]);
}

#[test]
fn faster_and_slower_keep_the_pitch_and_change_the_duration() {
    let rate = 16_000;
    let (read, len) = from_memory(wav(rate, 1, &sine(rate, 440.0, 3.0, 0.5)));
    for speed in [0.5f32, 1.5, 2.0] {
        // Paced so that the player keeps ahead (at 40× it could not, and
        // the underruns would add silence).
        let out = CapturedOutput::new(8.0);
        let player = Player::open(read.clone(), len, Box::new(out.clone())).unwrap();
        assert_eq!(player.set_speed(speed).unwrap().speed, speed);
        player.play(0).unwrap();
        wait_until(&player, |s| s.ended);
        let got = sound(&out);
        let seconds = got.len() as f32 / rate as f32;
        let expected = 3.0 / speed;
        assert!((seconds - expected).abs() < expected * 0.05, "{speed}×: {seconds} s instead of about {expected} s");
        let hz = pitch(&got, rate);
        assert!((hz - 440.0).abs() < 440.0 * 0.03, "{speed}×: the pitch moved to {hz} Hz");
        assert_eq!(player.close(), [(0, 3_000)], "{speed}×: all of it was heard");
    }
    // Out-of-range speeds are clamped, not refused.
    let player = Player::open(read, len, Box::new(CapturedOutput::new(1.0))).unwrap();
    assert_eq!(player.set_speed(7.0).unwrap().speed, 2.0);
    assert_eq!(player.set_speed(0.1).unwrap().speed, 0.5);
    assert_eq!(player.set_speed(f32::NAN).unwrap().speed, 1.0);
}

/// The frame a ramp sample came from (the ramp is `i % 30_000 + 1`).
fn ramp_frame(sample: f32) -> i64 {
    (sample * 32_768.0).round() as i64 - 1
}

#[test]
fn seek_pause_and_rewind_land_where_asked_and_the_heard_ranges_merge() {
    let rate = 8_000;
    // A ramp, so a sample says where in the recording it came from.
    let samples: Vec<i16> = (0..rate * 4).map(|i| (i % 30_000) as i16 + 1).collect();
    let (read, len) = from_memory(wav(rate, 1, &samples));
    let out = CapturedOutput::new(1.0);
    let player = Player::open(read, len, Box::new(out.clone())).unwrap();

    assert_eq!(player.seek(2_000).unwrap().position_ms, 2_000);
    assert_eq!(player.seek(60_000).unwrap().position_ms, 4_000, "clamped to the end");
    player.seek(1_000).unwrap();
    out.played.lock().unwrap().clear();
    // Playing from a chosen point does not rewind.
    assert!(player.play(500).unwrap().playing);
    wait_until(&player, |s| s.position_ms >= 1_200);
    assert_eq!(ramp_frame(sound(&out)[0]), 8_000, "played from the point sought, 1.0 s");
    let paused = player.pause().unwrap();
    assert!(!paused.playing && (1_200..1_700).contains(&paused.position_ms), "{paused:?}");
    std::thread::sleep(Duration::from_millis(100));
    assert_eq!(player.status().unwrap().position_ms, paused.position_ms, "paused means the position holds");

    // Resuming after a pause rewinds by the amount asked.
    out.played.lock().unwrap().clear();
    let resumed = player.play(500).unwrap();
    assert_eq!(resumed.position_ms, paused.position_ms - 500);
    wait_until(&player, |s| s.position_ms >= resumed.position_ms + 100);
    let first = ramp_frame(sound(&out)[0]);
    let expected = (resumed.position_ms * 8) as i64;
    assert!((first - expected).abs() <= 8, "resumed 0.5 s before the pause: frame {first}, expected about {expected}");

    // Then elsewhere while playing.
    player.seek(3_000).unwrap();
    wait_until(&player, |s| s.position_ms >= 3_100);
    let heard = player.close();
    // 1.0 s to the pause; from the rewound point on a little; then 3.0 s on.
    assert_eq!(heard.len(), 3, "{heard:?}");
    assert_eq!(heard[0].0, resumed.position_ms);
    assert!(heard[0].1 >= resumed.position_ms + 100 && heard[0].1 < 1_000, "{heard:?}");
    assert_eq!(heard[1], (1_000, paused.position_ms));
    assert_eq!(heard[2].0, 3_000);
    assert!(heard[2].1 >= 3_100, "{heard:?}");
}

#[test]
fn a_failed_read_stops_playback_with_its_own_error_and_what_was_heard_is_kept() {
    let rate = 8_000;
    let bytes = wav(rate, 1, &sine(rate, 440.0, 4.0, 0.5));
    // The first 2 s read; then the vault is locked under the player.
    let cut = 44 + 2 * 2 * rate as u64;
    let (inner, len) = from_memory(bytes);
    let read: ReadRange = Arc::new(move |offset, n| {
        if offset >= cut {
            Err(relato_vault::VaultError::Locked.into())
        } else {
            inner(offset, n.min(cut - offset))
        }
    });
    let player = Player::open(read, len, Box::new(CapturedOutput::new(20.0))).unwrap();
    player.play(0).unwrap();
    let stopped = wait_until(&player, |s| !s.playing);
    assert_eq!(stopped.error, Some("vault.locked"), "{stopped:?}");
    assert!(!stopped.ended, "a failure is not the end of the recording");
    let heard = player.close();
    assert_eq!(heard.len(), 1);
    assert_eq!(heard[0].0, 0);
    // Whole packets before the cut were decoded and played.
    assert!((1_500..=2_000).contains(&heard[0].1), "heard up to the failure: {heard:?}");

    // Opening fails the same way when nothing can be read.
    let locked: ReadRange = Arc::new(|_, _| Err(relato_vault::VaultError::Locked.into()));
    let err = Player::open(locked, len, Box::new(CapturedOutput::new(1.0))).err().expect("nothing to open");
    assert_eq!(err.code(), "vault.locked");
}

#[test]
fn a_sealed_capture_plays_through_the_vaults_chunk_reads() {
    let dir = tempfile::tempdir().unwrap();
    let (vault, session) = vault_with_session(dir.path());
    let format = AudioFormat { sample_rate: 16_000, channels: 1, sample_format: SampleFormat::I16 };
    let source = FakeSource { format, pace: Pace::Unthrottled, total_frames: Some(48_000) };
    let rec = Recorder::start(vault, &session, Box::new(source), RecorderOptions::default()).map_err(|(_, e)| e).unwrap();
    wait_for(&rec, 48_000);
    let (vault, result) = rec.stop();
    let recording = result.unwrap();
    let exported = dir.path().join("out.wav");
    relato_capture::original::export(&vault, &recording, &exported, None).unwrap();
    let expected: Vec<f32> =
        hound::WavReader::open(&exported).unwrap().samples::<i16>().map(|s| s.unwrap() as f32 / 32_768.0).collect();

    let reader = OriginalReader::open(&vault, &recording).unwrap();
    let len = reader.len();
    let vault = Arc::new(std::sync::Mutex::new(vault));
    let shared = vault.clone();
    let read: ReadRange = Arc::new(move |offset, n| reader.read(&shared.lock().unwrap(), offset, n));
    // Paced so that the player keeps ahead even on a busy machine (an
    // underrun would put silence inside the samples looked for).
    let out = CapturedOutput::new(10.0);
    let player = Player::open(read, len, Box::new(out.clone())).unwrap();
    assert_eq!(player.status().unwrap().duration_ms, 3_000);
    player.play(0).unwrap();
    wait_until(&player, |s| s.ended);
    let played = out.played.lock().unwrap().clone();
    // The fake source's signal has zeros of its own: find it whole.
    let start = played.windows(expected.len()).position(|w| w == &expected[..]);
    assert!(start.is_some(), "the sealed samples reach the output unchanged");
    assert_eq!(player.close(), [(0, 3_000)]);
}

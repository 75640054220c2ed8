//! Playback reads: any byte range of a sealed original equals the same
//! range of its export, across chunk boundaries and the WAV header, for a
//! capture with partial (committed) chunks and for an import; a tampered
//! chunk fails the read; what was heard is logged once, merged.

use std::time::Duration;

use relato_capture::playback::{ListenLog, OriginalReader};
use relato_capture::{original, FakeSource, Pace, Recorder, RecorderOptions};
use relato_vault::{AudioFormat, SampleFormat, Vault};

mod common;
use common::*;

fn check_ranges(vault: &Vault, reader: &OriginalReader, exported: &[u8]) {
    assert_eq!(reader.len(), exported.len() as u64);
    let n = exported.len() as u64;
    let mut cases = vec![(0, 44), (0, 45), (40, 100), (0, n), (n - 1, 10), (n, 10), (n + 5, 1), (44, 0)];
    // Ranges straddling chunk boundaries and commits: a walk of odd sizes.
    let mut at = 0u64;
    let mut step = 7_919u64;
    while at < n {
        cases.push((at, step));
        at += step;
        step = step * 3 % 100_003 + 1;
    }
    for (offset, len) in cases {
        let got = reader.read(vault, offset, len).unwrap();
        let lo = offset.min(n) as usize;
        let hi = offset.saturating_add(len).min(n) as usize;
        assert_eq!(&got[..], &exported[lo..hi.max(lo)], "range {offset}+{len}");
    }
}

#[test]
fn ranges_of_a_capture_with_committed_chunks_match_its_export() {
    let dir = tempfile::tempdir().unwrap();
    let (vault, session) = vault_with_session(dir.path());
    // Real-time pace, so the writer commits (partial chunks) every second.
    let format = AudioFormat { sample_rate: 16_000, channels: 1, sample_format: SampleFormat::I16 };
    let source = FakeSource { format, pace: Pace::RealTime, total_frames: Some(40_000) };
    let rec = Recorder::start(vault, &session, Box::new(source), RecorderOptions::default()).map_err(|(_, e)| e).unwrap();
    wait_for(&rec, 40_000);
    std::thread::sleep(Duration::from_millis(50));
    let (vault, result) = rec.stop();
    let recording = result.unwrap();
    let lengths = vault.stream_chunk_lengths(&recording.stream_id).unwrap();
    assert!(lengths.iter().any(|&l| l > 0 && l < 65_536 && l != *lengths.last().unwrap()), "partial chunks: {lengths:?}");

    let out = dir.path().join("out.wav");
    original::export(&vault, &recording, &out, None).unwrap();
    let exported = std::fs::read(&out).unwrap();
    let reader = OriginalReader::open(&vault, &recording).unwrap();
    check_ranges(&vault, &reader, &exported);

    // What was heard goes to custody once, merged.
    let mut log = ListenLog::default();
    log.heard(0, 1_200);
    log.heard(1_000, 2_000);
    log.heard(2_400, 2_500);
    vault.log_playback(&recording.id, &log.take()).unwrap();
    let case_id = vault.session(&session).unwrap().case_id;
    let lines = vault.custody_lines(&case_id).unwrap();
    let playback: Vec<serde_json::Value> = lines
        .iter()
        .map(|l| serde_json::from_str::<serde_json::Value>(&l.line).unwrap())
        .filter(|e| e["event"] == "PLAYBACK")
        .collect();
    assert_eq!(playback.len(), 1);
    assert_eq!(playback[0]["details"]["ranges_ms"], serde_json::json!([[0, 2000], [2400, 2500]]));
    vault.verify_chain(&case_id).unwrap();
}

#[test]
fn ranges_of_an_import_are_the_file_and_a_tampered_chunk_fails() {
    let dir = tempfile::tempdir().unwrap();
    let (vault, session) = vault_with_session(dir.path());
    let source = dir.path().join("gesell.wav");
    {
        let spec = hound::WavSpec { channels: 2, sample_rate: 22_050, bits_per_sample: 16, sample_format: hound::SampleFormat::Int };
        let mut w = hound::WavWriter::create(&source, spec).unwrap();
        for i in 0..150_000i32 {
            w.write_sample(((i * 37) % 20_000) as i16).unwrap();
        }
        w.finalize().unwrap();
    }
    let file = std::fs::read(&source).unwrap();
    let recording = relato_capture::import::import_file(&vault, &session, &source).unwrap();
    let reader = OriginalReader::open(&vault, &recording).unwrap();
    check_ranges(&vault, &reader, &file);
    drop(reader);
    let stream = recording.stream_id.clone();
    drop(vault);

    // One flipped byte in the second chunk: reading it fails, the first still reads.
    let conn = rusqlite::Connection::open(dir.path().join("vault.relato")).unwrap();
    conn.execute_batch("DROP TRIGGER stream_chunks_append_only_u").unwrap();
    let body: Vec<u8> = conn.query_row("SELECT body FROM stream_chunks WHERE stream_id = ?1 AND idx = 1", [&stream], |r| r.get(0)).unwrap();
    let mut body = body;
    body[100] ^= 1;
    conn.execute("UPDATE stream_chunks SET body = ?1 WHERE stream_id = ?2 AND idx = 1", rusqlite::params![body, stream]).unwrap();
    drop(conn);
    let vault = Vault::unlock(&dir.path().join("vault.relato"), "Ana", PASS).unwrap();
    let recording = vault.recordings(&session).unwrap().remove(0).unwrap();
    let reader = OriginalReader::open(&vault, &recording).unwrap();
    assert_eq!(&reader.read(&vault, 0, 1000).unwrap()[..], &file[..1000]);
    let err = reader.read(&vault, 65_536 + 10, 100).unwrap_err();
    assert_eq!(err.code(), "stream.corrupt", "{err}");
}

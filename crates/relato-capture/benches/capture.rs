//! Capture to vault: how many times faster than real time the recorder
//! stores 48 kHz stereo 16-bit audio on one core, its CPU time per recorded
//! minute, and its throughput beside raw stream encryption of the same
//! bytes, measured in alternating rounds of the same run so that machine
//! noise cancels. `cargo bench -p relato-capture --bench capture` (or
//! `scripts/bench`).
//!
//! The source is the recorder's real path from the ring on: a thread that
//! pushes a precomputed second of audio into the [`FeedHandle`] as fast as
//! the ring has room (the cost of a device callback: one copy). Everything
//! after it — SHA-256, level meter, peaks, encryption, SQLite with fsync on
//! every commit, the read-back check and the seal — is the recorder's.
//! The process pins itself to one CPU (through `taskset`) so that the source
//! thread and the writer share one core, as on a busy laptop.

use std::hint::black_box;
use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::{Duration, Instant};

use chacha20poly1305::aead::{AeadInPlace, KeyInit};
use chacha20poly1305::ChaCha20Poly1305;
use relato_capture::source::{Running, Worker};
use relato_capture::{CaptureError, FakeSource, FeedHandle, Recorder, RecorderOptions, Source};
use relato_vault::stream::{StreamCipher, CHUNK_MAX};
use relato_vault::{AudioFormat, SampleFormat};

#[path = "../tests/common/mod.rs"]
mod common;
use common::vault_with_session;

const FORMAT: AudioFormat = AudioFormat { sample_rate: 48_000, channels: 2, sample_format: SampleFormat::I16 };
const ROUNDS: usize = 5;
const RECORDED_SECONDS: u64 = 600;

/// Delivers `seconds` of audio as fast as the ring takes it.
struct Flood {
    second: Arc<Vec<u8>>,
    seconds: u64,
}

impl Source for Flood {
    fn format(&self) -> AudioFormat {
        FORMAT
    }
    fn name(&self) -> String {
        "bench".into()
    }
    fn start(self: Box<Self>, feed: FeedHandle) -> Result<Box<dyn Running>, CaptureError> {
        Worker::spawn("bench-flood", move |stop| {
            // 10 ms blocks, as a device delivers them.
            let block = FORMAT.sample_rate as usize / 100 * FORMAT.frame_bytes();
            for _ in 0..self.seconds {
                for b in self.second.chunks(block) {
                    // A full ring means the writer is behind: wait as a device
                    // would, without spinning on the core the writer needs.
                    while feed.vacant_frames() < b.len() / FORMAT.frame_bytes() {
                        if stop.load(Ordering::Acquire) {
                            return;
                        }
                        std::thread::sleep(Duration::from_micros(500));
                    }
                    feed.push(b);
                }
            }
        })
    }
}

/// User + system CPU time of this process (all threads), from /proc.
fn cpu_time() -> Duration {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap();
    // Fields after the command name, which is in parentheses.
    let fields: Vec<&str> = stat[stat.rfind(')').unwrap() + 2..].split(' ').collect();
    let ticks: u64 = fields[11].parse::<u64>().unwrap() + fields[12].parse::<u64>().unwrap();
    Duration::from_secs_f64(ticks as f64 / 100.0) // USER_HZ is 100 on Linux
}

/// One recording of `RECORDED_SECONDS` to a fresh vault: (wall, CPU).
fn record(second: &Arc<Vec<u8>>) -> (Duration, Duration) {
    let dir = tempfile::tempdir().unwrap();
    let (vault, session) = vault_with_session(dir.path());
    let (t0, c0) = (Instant::now(), cpu_time());
    let source = Flood { second: second.clone(), seconds: RECORDED_SECONDS };
    let rec = Recorder::start(vault, &session, Box::new(source), RecorderOptions::default()).map_err(|(_, e)| e).unwrap();
    let total = RECORDED_SECONDS * FORMAT.sample_rate as u64;
    while rec.shared().captured_frames.load(Ordering::Acquire) < total {
        std::thread::sleep(Duration::from_millis(2));
    }
    let (_vault, result) = rec.stop();
    let sealed = result.unwrap();
    let elapsed = (t0.elapsed(), cpu_time() - c0);
    assert_eq!(sealed.end.unwrap().frames, total);
    elapsed
}

/// Times `seal(index, chunk buffer)` over the recording's bytes in 64 KiB
/// chunks, in memory.
fn time_chunks(second: &[u8], mut seal: impl FnMut(u64, &mut Vec<u8>)) -> Duration {
    let mut buf = Vec::with_capacity(CHUNK_MAX + 16);
    let t0 = Instant::now();
    let mut i = 0u64;
    for _ in 0..RECORDED_SECONDS {
        for chunk in second.chunks(CHUNK_MAX) {
            buf.clear();
            buf.extend_from_slice(chunk);
            seal(i, &mut buf);
            black_box(&buf);
            i += 1;
        }
    }
    t0.elapsed()
}

/// Raw ChaCha20-Poly1305 over the same bytes.
fn raw_encrypt(second: &[u8]) -> Duration {
    let raw = ChaCha20Poly1305::new((&[4u8; 32]).into());
    time_chunks(second, |i, buf| {
        let mut n = [0u8; 12];
        n[3..11].copy_from_slice(&i.to_be_bytes());
        raw.encrypt_in_place(&n.into(), b"", buf).unwrap();
    })
}

/// Relato's stream cipher alone over the same bytes (no hashing, no storage).
fn stream_encrypt(second: &[u8]) -> Duration {
    let cipher = StreamCipher::from_key_bytes([4; 32]);
    time_chunks(second, |i, buf| cipher.seal_in_place(i, false, buf))
}

/// The vault's durable stream write of the same bytes, committed once a
/// recorded second as the recorder commits: the storage floor.
fn store_only(second: &[u8]) -> Duration {
    let dir = tempfile::tempdir().unwrap();
    let (vault, _) = vault_with_session(dir.path());
    let t0 = Instant::now();
    let mut w = vault.create_stream().unwrap();
    for _ in 0..RECORDED_SECONDS {
        w.write(second).unwrap();
    }
    w.finish().unwrap();
    t0.elapsed()
}

/// Re-runs this benchmark under `taskset -c 0` unless it already runs on one CPU.
fn pin_to_one_cpu() {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let allowed = status.lines().find_map(|l| l.strip_prefix("Cpus_allowed_list:")).unwrap_or("").trim().to_owned();
    if allowed.chars().all(|c| c.is_ascii_digit()) && !allowed.is_empty() {
        println!("running on CPU {allowed} only");
        return;
    }
    let args: Vec<String> = std::env::args().collect();
    match std::process::Command::new("taskset").arg("-c").arg("0").args(&args).status() {
        Ok(status) => std::process::exit(status.code().unwrap_or(1)),
        Err(_) => println!("taskset is not available: measuring on all CPUs ({allowed})"),
    }
}

fn median(mut v: Vec<f64>) -> (f64, f64, f64) {
    v.sort_by(f64::total_cmp);
    (v[v.len() / 2], v[0], v[v.len() - 1])
}

fn main() {
    if std::env::args().any(|a| a == "--list") {
        return; // `cargo test --benches` asks for a listing
    }
    pin_to_one_cpu();
    let second = Arc::new(FakeSource::expected(&FORMAT, FORMAT.sample_rate as u64));
    let mib = (RECORDED_SECONDS as f64 * second.len() as f64) / (1024.0 * 1024.0);
    println!("{RECORDED_SECONDS} s of 48 kHz stereo 16-bit ({mib:.0} MiB) per round, {ROUNDS} rounds, alternating order\n");
    let (mut realtime, mut cpu_per_min, mut vs_raw, mut vs_stream, mut mibs) = (vec![], vec![], vec![], vec![], vec![]);
    let mut vs_store = vec![];
    for round in 0..ROUNDS {
        let ((wall, cpu), raw, stream, store) = if round % 2 == 0 {
            let r = record(&second);
            (r, raw_encrypt(&second), stream_encrypt(&second), store_only(&second))
        } else {
            let (raw, stream, store) = (raw_encrypt(&second), stream_encrypt(&second), store_only(&second));
            (record(&second), raw, stream, store)
        };
        vs_store.push(store.as_secs_f64() / wall.as_secs_f64());
        realtime.push(RECORDED_SECONDS as f64 / wall.as_secs_f64());
        cpu_per_min.push(cpu.as_secs_f64() * 1000.0 / (RECORDED_SECONDS as f64 / 60.0));
        vs_raw.push(raw.as_secs_f64() / wall.as_secs_f64());
        vs_stream.push(stream.as_secs_f64() / wall.as_secs_f64());
        mibs.push(mib / wall.as_secs_f64());
    }
    let row = |name: &str, unit: &str, v: Vec<f64>| {
        let (m, lo, hi) = median(v);
        println!("{name:<46}{m:>10.3} {unit:<6} [{lo:.3} … {hi:.3}]");
    };
    println!("{:<46}{:>10} {:<6} [min … max]", "measure", "median", "");
    row("capture to vault, × real time", "×", realtime);
    row("capture to vault, throughput", "MiB/s", mibs);
    row("CPU time per recorded minute", "ms", cpu_per_min);
    row("recorder throughput / raw ChaCha20-Poly1305", "ratio", vs_raw);
    row("recorder throughput / stream cipher alone", "ratio", vs_stream);
    row("recorder throughput / durable vault stream write", "ratio", vs_store);
}

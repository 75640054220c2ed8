//! The check before recording: the live level follows the input, the test
//! recording keeps only what was asked, plays back as WAV, and its verdict
//! tells silence, weak input, clipping and good input apart.

use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

use relato_capture::source::{Running, Worker};
use relato_capture::{CaptureError, FakeSource, FeedHandle, Monitor, Pace, Source, Verdict};
use relato_vault::{AudioFormat, SampleFormat};

const FORMAT: AudioFormat = AudioFormat { sample_rate: 16_000, channels: 1, sample_format: SampleFormat::F32 };

/// A 440 Hz tone of the given amplitude, delivered in real time.
struct Tone {
    amplitude: f32,
}

impl Source for Tone {
    fn format(&self) -> AudioFormat {
        FORMAT
    }
    fn name(&self) -> String {
        "tone".into()
    }
    fn start(self: Box<Self>, feed: FeedHandle) -> Result<Box<dyn Running>, CaptureError> {
        Worker::spawn("tone", move |stop| {
            let started = Instant::now();
            let mut next = 0u64;
            while !stop.load(Ordering::Acquire) {
                let block: Vec<u8> = (next..next + 160)
                    .flat_map(|i| {
                        let t = i as f32 / FORMAT.sample_rate as f32;
                        (self.amplitude * (2.0 * std::f32::consts::PI * 440.0 * t).sin()).to_le_bytes()
                    })
                    .collect();
                let due = started + Duration::from_secs_f64(next as f64 / FORMAT.sample_rate as f64);
                if let Some(wait) = due.checked_duration_since(Instant::now()) {
                    std::thread::sleep(wait);
                }
                feed.push(&block);
                next += 160;
            }
        })
    }
}

fn check(source: Box<dyn Source>, run: Duration, keep: Duration) -> (relato_capture::TestRecording, Vec<f32>) {
    let monitor = Monitor::start(source, keep).unwrap();
    let started = Instant::now();
    let mut live = Vec::new();
    while started.elapsed() < run {
        std::thread::sleep(Duration::from_millis(50));
        live.push(monitor.level().peak);
    }
    (monitor.stop(), live)
}

#[test]
fn a_spoken_level_input_is_good_and_plays_back_as_wav() {
    let (test, live) = check(Box::new(Tone { amplitude: 0.25 }), Duration::from_millis(800), Duration::from_millis(500));
    assert_eq!(test.verdict(), Verdict::Good);
    assert!((test.overall.peak - 0.25).abs() < 0.01, "{:?}", test.overall);
    assert!((test.overall.rms - 0.25 / 2f32.sqrt()).abs() < 0.01, "a sine's RMS is its peak over √2: {:?}", test.overall);
    assert!(live.iter().skip(4).all(|&p| (p - 0.25).abs() < 0.01), "the live level follows the input: {live:?}");
    assert!(test.readings.len() >= 14, "20 readings a second: {}", test.readings.len());

    // Only the asked-for half second is kept, and it plays back as a WAV.
    assert_eq!(test.frames(), 8_000);
    assert_eq!(test.duration_ms(), 500);
    let wav = test.wav().unwrap();
    let mut reader = hound::WavReader::new(std::io::Cursor::new(wav.to_vec())).unwrap();
    assert_eq!(reader.spec().sample_rate, 16_000);
    let samples: Vec<f32> = reader.samples::<f32>().map(Result::unwrap).collect();
    assert_eq!(samples.len(), 8_000);
    assert!(samples.iter().all(|s| s.abs() <= 0.2501));
}

#[test]
fn verdicts_tell_silence_weak_input_and_clipping_apart() {
    let run = Duration::from_millis(400);
    let keep = Duration::from_millis(100);
    assert_eq!(check(Box::new(Tone { amplitude: 0.0 }), run, keep).0.verdict(), Verdict::Silent);
    assert_eq!(check(Box::new(Tone { amplitude: 0.006 }), run, keep).0.verdict(), Verdict::Quiet);
    // The fake source's sawtooth spans the full scale.
    let loud = FakeSource { format: FORMAT, pace: Pace::RealTime, total_frames: None };
    assert_eq!(check(Box::new(loud), run, keep).0.verdict(), Verdict::Clipping);
}

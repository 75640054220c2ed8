//! What the writer computes from the samples as they pass: the level meter
//! (peak and RMS, for the interviewer's quiet indicator and the pre-recording
//! check) and the waveform peaks stored beside the original.
//!
//! Both work on the native bytes and only read them.

use relato_vault::{AudioFormat, SampleFormat};

/// Calls `f` with every sample of `bytes` as a float in [-1, 1]. The format
/// is matched once per call, not per sample, so each loop is a plain
/// conversion the compiler can vectorise.
#[inline]
fn for_each_sample(format: SampleFormat, bytes: &[u8], mut f: impl FnMut(f32)) {
    match format {
        SampleFormat::U8 => bytes.iter().for_each(|&b| f((b as f32 - 128.0) / 128.0)),
        SampleFormat::I16 => {
            bytes.chunks_exact(2).for_each(|b| f(i16::from_le_bytes([b[0], b[1]]) as f32 / 32_768.0));
        }
        SampleFormat::I32 => bytes
            .chunks_exact(4)
            .for_each(|b| f(i32::from_le_bytes([b[0], b[1], b[2], b[3]]) as f32 / 2_147_483_648.0)),
        SampleFormat::F32 => bytes.chunks_exact(4).for_each(|b| f(f32::from_le_bytes([b[0], b[1], b[2], b[3]]))),
    }
}

/// Splits `bytes` (whole frames) at the ends of fixed windows of `window`
/// frames, `done` frames of the current one being already seen: calls
/// `run(slice, completes_window)` for each piece.
#[inline]
fn windows(bytes: &[u8], frame_bytes: usize, window: u64, mut done: u64, mut run: impl FnMut(&[u8], bool)) {
    let mut rest = &bytes[..bytes.len() / frame_bytes * frame_bytes];
    while !rest.is_empty() {
        let take = ((window - done) as usize).min(rest.len() / frame_bytes);
        let (now, later) = rest.split_at(take * frame_bytes);
        done = (done + take as u64) % window;
        run(now, done == 0);
        rest = later;
    }
}

/// A level reading over the last window, linear (0 = silence, 1 = full scale).
#[derive(Debug, Clone, Copy, Default, PartialEq, serde::Serialize)]
pub struct Level {
    pub peak: f32,
    pub rms: f32,
}

impl Level {
    /// dBFS, floored at -96 (silence).
    pub fn peak_db(&self) -> f32 {
        to_db(self.peak)
    }

    pub fn rms_db(&self) -> f32 {
        to_db(self.rms)
    }
}

fn to_db(x: f32) -> f32 {
    if x <= 1.0e-5 {
        -96.0
    } else {
        (20.0 * x.log10()).max(-96.0)
    }
}

/// Peak and RMS over windows of `sample_rate / 20` frames (20 readings a second).
pub struct Meter {
    format: AudioFormat,
    window: u64,
    frames: u64,
    peak: f32,
    sum_sq: f64,
    count: u64,
}

impl Meter {
    pub fn new(format: AudioFormat) -> Meter {
        Meter { format, window: (format.sample_rate as u64 / 20).max(1), frames: 0, peak: 0.0, sum_sq: 0.0, count: 0 }
    }

    /// Feeds whole frames; returns a reading each time a window completes.
    pub fn push(&mut self, bytes: &[u8], mut on_reading: impl FnMut(Level)) {
        let (fb, sf) = (self.format.frame_bytes(), self.format.sample_format);
        windows(bytes, fb, self.window, self.frames, |run, completes| {
            let (mut peak, mut sum_sq) = (self.peak, 0f64);
            for_each_sample(sf, run, |v| {
                let a = v.abs();
                peak = peak.max(a);
                sum_sq += (a * a) as f64;
            });
            self.peak = peak;
            self.sum_sq += sum_sq;
            self.count += (run.len() / sf.bytes()) as u64;
            self.frames += (run.len() / fb) as u64;
            if completes {
                on_reading(Level { peak: self.peak.min(1.0), rms: (self.sum_sq / self.count.max(1) as f64).sqrt() as f32 });
                self.frames = 0;
                self.peak = 0.0;
                self.sum_sq = 0.0;
                self.count = 0;
            }
        });
    }
}

/// Frames per waveform peak: 10 ms at 48 kHz. Two hours of audio make
/// 1.7 million bytes of peaks.
pub const PEAK_FRAMES: u64 = 480;

/// Waveform overview: for every [`PEAK_FRAMES`] frames, the minimum and
/// maximum over all channels as two signed bytes.
pub struct Peaks {
    format: AudioFormat,
    frames: u64,
    min: f32,
    max: f32,
}

impl Peaks {
    pub fn new(format: AudioFormat) -> Peaks {
        Peaks { format, frames: 0, min: 0.0, max: 0.0 }
    }

    /// Feeds whole frames, appending finished peaks to `out`.
    pub fn push(&mut self, bytes: &[u8], out: &mut Vec<u8>) {
        let (fb, sf) = (self.format.frame_bytes(), self.format.sample_format);
        windows(bytes, fb, PEAK_FRAMES, self.frames, |run, completes| {
            let (mut min, mut max) = (self.min, self.max);
            for_each_sample(sf, run, |v| {
                min = min.min(v);
                max = max.max(v);
            });
            (self.min, self.max) = (min, max);
            self.frames += (run.len() / fb) as u64;
            if completes {
                self.emit(out);
            }
        });
    }

    /// Feeds whole frames of decoded interleaved samples (imported files).
    pub fn push_f32(&mut self, samples: &[f32], out: &mut Vec<u8>) {
        for frame in samples.chunks_exact(self.format.channels.max(1) as usize) {
            for &v in frame {
                self.min = self.min.min(v);
                self.max = self.max.max(v);
            }
            self.frames += 1;
            if self.frames == PEAK_FRAMES {
                self.emit(out);
            }
        }
    }

    /// The last, partial peak.
    pub fn finish(&mut self, out: &mut Vec<u8>) {
        if self.frames > 0 {
            self.emit(out);
        }
    }

    fn emit(&mut self, out: &mut Vec<u8>) {
        let q = |x: f32| (x.clamp(-1.0, 1.0) * 127.0).round() as i8 as u8;
        out.push(q(self.min));
        out.push(q(self.max));
        self.frames = 0;
        self.min = 0.0;
        self.max = 0.0;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stereo16(samples: &[i16]) -> Vec<u8> {
        samples.iter().flat_map(|s| s.to_le_bytes()).collect()
    }

    #[test]
    fn meter_reads_20_times_a_second() {
        let f = AudioFormat { sample_rate: 48_000, channels: 2, sample_format: SampleFormat::I16 };
        let mut m = Meter::new(f);
        let second: Vec<i16> = (0..96_000).map(|i| if i % 2 == 0 { 16_384 } else { -16_384 }).collect();
        let mut readings = Vec::new();
        m.push(&stereo16(&second), |l| readings.push(l));
        assert_eq!(readings.len(), 20);
        assert!((readings[0].peak - 0.5).abs() < 1e-3 && (readings[0].rms - 0.5).abs() < 1e-3);
        assert!((readings[0].peak_db() + 6.02).abs() < 0.1);
        assert_eq!(Level::default().rms_db(), -96.0);
    }

    #[test]
    fn peaks_cover_every_frame() {
        let f = AudioFormat { sample_rate: 48_000, channels: 1, sample_format: SampleFormat::F32 };
        let mut p = Peaks::new(f);
        let bytes: Vec<u8> = (0..1000).flat_map(|i| (if i == 10 { 0.5f32 } else { -0.25 }).to_le_bytes()).collect();
        let mut out = Vec::new();
        p.push(&bytes, &mut out);
        p.finish(&mut out);
        assert_eq!(out.len(), 2 * 3, "480 + 480 + 40 frames");
        assert_eq!(out[0] as i8, -32);
        assert_eq!(out[1] as i8, 64);
    }

    #[test]
    fn split_pushes_read_like_one_push() {
        let f = AudioFormat { sample_rate: 48_000, channels: 2, sample_format: SampleFormat::I16 };
        let samples: Vec<i16> = (0..30_000i32).map(|i| ((i * 7919) % 65_536 - 32_768) as i16).collect();
        let bytes = stereo16(&samples);
        let whole = {
            let (mut m, mut p) = (Meter::new(f), Peaks::new(f));
            let (mut readings, mut peaks) = (Vec::new(), Vec::new());
            m.push(&bytes, |l| readings.push(l));
            p.push(&bytes, &mut peaks);
            (readings, peaks)
        };
        for step in [4usize, 1_000, 1_920, 9_604] {
            let (mut m, mut p) = (Meter::new(f), Peaks::new(f));
            let (mut readings, mut peaks) = (Vec::new(), Vec::new());
            for piece in bytes.chunks(step) {
                m.push(piece, |l| readings.push(l));
                p.push(piece, &mut peaks);
            }
            assert_eq!(readings.len(), whole.0.len(), "step {step}");
            for (a, b) in readings.iter().zip(&whole.0) {
                assert_eq!(a.peak, b.peak, "step {step}");
                assert!((a.rms - b.rms).abs() < 1e-6, "step {step}");
            }
            assert_eq!(peaks, whole.1, "step {step}");
        }
    }
}

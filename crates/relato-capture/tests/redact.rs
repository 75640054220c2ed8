//! Silenced copies for redacted derivatives, all in memory: a PCM WAV keeps
//! every byte but the silenced samples' (checked byte by byte against the
//! parent), spans are clamped and merged, other chunks survive, decoding
//! keeps the timeline (even across a damaged packet), and bad input gives a
//! typed error without panicking.

use std::io::{Cursor, Read, Seek, SeekFrom};

use relato_capture::redact::{silence_decoded, silence_wav, SilenceMethod, SilencedAudio, SilencedSpan};
use relato_capture::CaptureError;

fn spec(channels: u16, sample_rate: u32, bits: u16, float: bool) -> hound::WavSpec {
    let sample_format = if float { hound::SampleFormat::Float } else { hound::SampleFormat::Int };
    hound::WavSpec { channels, sample_rate, bits_per_sample: bits, sample_format }
}

/// A WAV from hound with `samples` interleaved.
fn wav<S: hound::Sample + Copy>(spec: hound::WavSpec, samples: &[S]) -> Vec<u8> {
    let mut cursor = Cursor::new(Vec::new());
    let mut w = hound::WavWriter::new(&mut cursor, spec).unwrap();
    for &s in samples {
        w.write_sample(s).unwrap();
    }
    w.finalize().unwrap();
    cursor.into_inner()
}

/// Non-zero test samples: every byte of the data differs from silence
/// often enough that a missed frame shows.
fn pattern(n: usize, bits: u32) -> Vec<i32> {
    let max = (1i64 << (bits - 1)) - 1;
    (0..n).map(|i| (((i as i64 * 7919 + 17) % (2 * max)) - max + 1) as i32).map(|s| if s == 0 { 1 } else { s }).collect()
}

fn silence_wav_bytes(input: &[u8], spans: &[(u64, u64)]) -> (Result<SilencedAudio, CaptureError>, Vec<u8>) {
    let mut out = Vec::new();
    let result = silence_wav(&mut Cursor::new(input), &mut out, spans);
    (result, out)
}

/// Every byte inside `ranges` is `silence` and every other is the input's.
fn assert_only_ranges_changed(input: &[u8], output: &[u8], ranges: &[(u64, u64)], silence: u8) {
    assert_eq!(input.len(), output.len());
    for (i, (a, b)) in input.iter().zip(output).enumerate() {
        if ranges.iter().any(|&(lo, hi)| (lo..hi).contains(&(i as u64))) {
            assert_eq!(*b, silence, "byte {i} should be silence");
        } else {
            assert_eq!(a, b, "byte {i} changed");
        }
    }
    // The test could fail: the parent had sound in every range.
    for &(lo, hi) in ranges {
        assert!(input[lo as usize..hi as usize].iter().any(|&b| b != silence), "{lo}..{hi} was already silent");
    }
}

fn span(start_ms: u64, end_ms: u64, start_frame: u64, end_frame: u64) -> SilencedSpan {
    SilencedSpan { start_ms, end_ms, start_frame, end_frame }
}

#[test]
fn sixteen_bit_stereo_only_the_silenced_frames_change() {
    // 8 kHz: 8 frames per ms; 1000 frames = 125 ms.
    let samples: Vec<i16> = pattern(2000, 16).into_iter().map(|s| s as i16).collect();
    let input = wav(spec(2, 8000, 16, false), &samples);
    let (result, out) = silence_wav_bytes(&input, &[(50, 60), (10, 20)]);
    let result = result.unwrap();
    assert_eq!(
        result,
        SilencedAudio {
            method: SilenceMethod::PcmBytesZeroed,
            sample_rate: 8000,
            channels: 2,
            frames_total: 1000,
            spans: vec![span(10, 20, 80, 160), span(50, 60, 400, 480)],
            // hound's plain header is 44 bytes; a frame is 4.
            byte_ranges: Some(vec![(44 + 80 * 4, 44 + 160 * 4), (44 + 400 * 4, 44 + 480 * 4)]),
            damaged_frames: 0,
        }
    );
    assert_only_ranges_changed(&input, &out, result.byte_ranges.as_ref().unwrap(), 0);
    // Read back as audio: silent frames inside, the parent's outside.
    let back: Vec<i16> = hound::WavReader::new(Cursor::new(&out)).unwrap().samples().map(Result::unwrap).collect();
    for (frame, (a, b)) in samples.chunks(2).zip(back.chunks(2)).enumerate() {
        let inside = (80..160).contains(&frame) || (400..480).contains(&frame);
        assert_eq!(b, if inside { &[0, 0][..] } else { a }, "frame {frame}");
    }
    let json = serde_json::to_value(&result).unwrap();
    assert_eq!(json["method"], "pcm_bytes_zeroed");
    assert_eq!(json["byte_ranges"][0], serde_json::json!([364, 684]));
}

#[test]
fn twenty_four_bit_mono_through_an_extensible_header() {
    let samples = pattern(4410, 24);
    let input = wav(spec(1, 44_100, 24, false), &samples);
    // hound writes WAVE_FORMAT_EXTENSIBLE for 24 bits: a 68-byte header.
    assert_eq!(u16::from_le_bytes([input[20], input[21]]), 0xFFFE);
    let (result, out) = silence_wav_bytes(&input, &[(1, 2)]);
    let result = result.unwrap();
    // 44.1 frames per ms, rounded outwards: 44..89.
    assert_eq!(result.spans, [span(1, 2, 44, 89)]);
    assert_eq!(result.byte_ranges, Some(vec![(68 + 44 * 3, 68 + 89 * 3)]));
    assert_eq!((result.frames_total, result.channels, result.sample_rate), (4410, 1, 44_100));
    assert_only_ranges_changed(&input, &out, result.byte_ranges.as_ref().unwrap(), 0);
}

#[test]
fn float_and_eight_bit_and_six_channels() {
    let floats: Vec<f32> = pattern(800, 16).into_iter().map(|s| s as f32 / 40_000.0).collect();
    let input = wav(spec(2, 8000, 32, true), &floats);
    let (result, out) = silence_wav_bytes(&input, &[(0, 1)]);
    let result = result.unwrap();
    assert_eq!(result.byte_ranges, Some(vec![(68, 68 + 8 * 8)]));
    assert_only_ranges_changed(&input, &out, result.byte_ranges.as_ref().unwrap(), 0);
    let back: Vec<f32> = hound::WavReader::new(Cursor::new(&out)).unwrap().samples().map(Result::unwrap).collect();
    assert!(back[..16].iter().all(|&s| s == 0.0) && back[16..] == floats[16..]);

    // 8-bit WAV samples are unsigned: silence is 0x80.
    let bytes: Vec<i8> = pattern(500, 8).into_iter().map(|s| s as i8).collect();
    let input = wav(spec(1, 8000, 8, false), &bytes);
    let (result, out) = silence_wav_bytes(&input, &[(10, 20)]);
    let result = result.unwrap();
    assert_eq!(result.byte_ranges, Some(vec![(44 + 80, 44 + 160)]));
    assert_only_ranges_changed(&input, &out, result.byte_ranges.as_ref().unwrap(), 0x80);
    let back: Vec<i8> = hound::WavReader::new(Cursor::new(&out)).unwrap().samples().map(Result::unwrap).collect();
    assert!(back[80..160].iter().all(|&s| s == 0));

    // Six channels of 16 bits (an extensible header), frames of 12 bytes.
    let six: Vec<i16> = pattern(6 * 100, 16).into_iter().map(|s| s as i16).collect();
    let input = wav(spec(6, 1000, 16, false), &six);
    let (result, out) = silence_wav_bytes(&input, &[(3, 5)]);
    let result = result.unwrap();
    assert_eq!((result.channels, result.frames_total), (6, 100));
    assert_eq!(result.byte_ranges, Some(vec![(68 + 3 * 12, 68 + 5 * 12)]));
    assert_only_ranges_changed(&input, &out, result.byte_ranges.as_ref().unwrap(), 0);
}

#[test]
fn spans_are_clamped_at_the_end_and_overlaps_merge() {
    let samples: Vec<i16> = pattern(1000, 16).into_iter().map(|s| s as i16).collect();
    let input = wav(spec(1, 8000, 16, false), &samples);
    // 1000 frames = 125 ms. Overlapping, touching, past the end, beyond it.
    let (result, out) = silence_wav_bytes(&input, &[(30, 40), (10, 20), (15, 30), (120, 5000), (200, 300)]);
    let result = result.unwrap();
    assert_eq!(result.spans, [span(10, 40, 80, 320), span(120, 125, 960, 1000)]);
    assert_eq!(result.byte_ranges, Some(vec![(44 + 160, 44 + 640), (44 + 1920, 44 + 2000)]));
    assert_only_ranges_changed(&input, &out, result.byte_ranges.as_ref().unwrap(), 0);
    // The very last frame is silent and the file ends where it did.
    assert_eq!(&out[out.len() - 2..], [0, 0]);
    // No spans: an exact copy.
    let (result, out) = silence_wav_bytes(&input, &[]);
    assert_eq!(out, input);
    assert_eq!(result.unwrap().byte_ranges, Some(vec![]));
}

/// A float stereo WAV written by hand: a JUNK chunk before `fmt `, a plain
/// (non-extensible) IEEE-float header, 50 whole frames and 3 bytes of a
/// partial one (so `data` is odd and padded), then a LIST chunk.
fn hand_made_wav() -> (Vec<u8>, u64) {
    let mut chunks = Vec::new();
    let mut chunk = |id: &[u8; 4], body: &[u8]| {
        chunks.extend_from_slice(id);
        chunks.extend_from_slice(&(body.len() as u32).to_le_bytes());
        chunks.extend_from_slice(body);
        if body.len() % 2 == 1 {
            chunks.push(0);
        }
    };
    chunk(b"JUNK", &[1, 2, 3]);
    let mut fmt = Vec::new();
    for v in [3u16, 2] {
        fmt.extend_from_slice(&v.to_le_bytes());
    }
    fmt.extend_from_slice(&8000u32.to_le_bytes());
    fmt.extend_from_slice(&64_000u32.to_le_bytes());
    for v in [8u16, 32] {
        fmt.extend_from_slice(&v.to_le_bytes());
    }
    chunk(b"fmt ", &fmt);
    let mut data: Vec<u8> = (0..100).flat_map(|i| (0.25 + i as f32 / 1000.0).to_le_bytes()).collect();
    data.extend_from_slice(&[0xAA, 0xBB, 0xCC]);
    chunk(b"data", &data);
    chunk(b"LIST", b"INFOINAM\x05\x00\x00\x00hola\x00");
    let mut file = b"RIFF".to_vec();
    file.extend_from_slice(&(4 + chunks.len() as u32).to_le_bytes());
    file.extend_from_slice(b"WAVE");
    file.extend_from_slice(&chunks);
    // RIFF+WAVE, JUNK (8+3+pad), fmt (8+16), data header.
    (file, 12 + 12 + 24 + 8)
}

#[test]
fn other_chunks_pads_and_a_partial_frame_are_kept() {
    let (input, data_start) = hand_made_wav();
    let (result, out) = silence_wav_bytes(&input, &[(0, 10_000)]);
    let result = result.unwrap();
    assert_eq!(result.frames_total, 50);
    // Everything but the partial frame, which is no frame at all.
    assert_eq!(result.spans, [span(0, 7, 0, 50)]);
    assert_eq!(result.byte_ranges, Some(vec![(data_start, data_start + 400)]));
    assert_only_ranges_changed(&input, &out, result.byte_ranges.as_ref().unwrap(), 0);
    assert!(out.ends_with(&[0xAA, 0xBB, 0xCC, 0, b'L', b'I', b'S', b'T', 17, 0, 0, 0, b'I', b'N', b'F', b'O', b'I', b'N', b'A', b'M', 5, 0, 0, 0, b'h', b'o', b'l', b'a', 0, 0]));
}

#[test]
fn reversed_spans_are_refused_before_anything_is_written() {
    let input = wav(spec(1, 8000, 16, false), &[1i16, 2, 3]);
    for spans in [&[(5, 5)][..], &[(0, 10), (9, 3)][..]] {
        let (result, out) = silence_wav_bytes(&input, spans);
        assert_eq!(result.unwrap_err().code(), "capture.redact_span_reversed");
        assert!(out.is_empty());
        let mut out = Cursor::new(Vec::new());
        let err = silence_decoded(Cursor::new(input.clone()), &mut out, spans).unwrap_err();
        assert_eq!(err.code(), "capture.redact_span_reversed");
        assert!(out.into_inner().is_empty());
    }
}

#[test]
fn bad_input_is_a_typed_error_and_writes_nothing() {
    let not_audio = b"Acta circunstanciada de la entrevista, no es audio.".to_vec();
    for input in [Vec::new(), not_audio.clone(), b"RIFF\x10\x00\x00\x00AVI LIST".to_vec()] {
        let (result, out) = silence_wav_bytes(&input, &[(0, 1)]);
        assert_eq!(result.unwrap_err().code(), "capture.redact_not_wav");
        assert!(out.is_empty());
    }
    let mut out = Cursor::new(Vec::new());
    let err = silence_decoded(Cursor::new(not_audio), &mut out, &[]).unwrap_err();
    assert_eq!(err.code(), "capture.redact_undecodable");
    // A-law in a WAV: not silenced by zeroing bytes.
    let mut alaw = wav(spec(1, 8000, 8, false), &[1i8, 2, 3, 4]);
    alaw[20] = 6;
    let (result, out) = silence_wav_bytes(&alaw, &[(0, 1)]);
    assert_eq!(result.unwrap_err().code(), "capture.redact_unsupported_wav");
    assert!(out.is_empty());
}

#[test]
fn every_truncation_of_a_wav_is_handled() {
    let samples: Vec<i16> = pattern(200, 16).into_iter().map(|s| s as i16).collect();
    let input = wav(spec(2, 8000, 16, false), &samples);
    for n in 0..input.len() {
        let prefix = &input[..n];
        let (result, out) = silence_wav_bytes(prefix, &[(1, 2)]);
        if n < 44 {
            assert_eq!(result.unwrap_err().code(), "capture.redact_not_wav", "{n} bytes");
            assert!(out.is_empty());
        } else {
            // The header promises more than is there: the frames present count.
            let result = result.unwrap();
            assert_eq!(result.frames_total, (n as u64 - 44) / 4, "{n} bytes");
            let ranges = result.byte_ranges.unwrap();
            assert_eq!(out.len(), n);
            for (i, (a, b)) in prefix.iter().zip(&out).enumerate() {
                let inside = ranges.iter().any(|&(lo, hi)| (lo..hi).contains(&(i as u64)));
                assert_eq!(*b, if inside { 0 } else { *a });
            }
        }
        // Decoding a truncated file never panics either.
        let mut out = Cursor::new(Vec::new());
        if let Err(e) = silence_decoded(Cursor::new(prefix.to_vec()), &mut out, &[(1, 2)]) {
            assert!(["capture.redact_undecodable", "capture.io"].contains(&e.code()), "{n} bytes: {e}");
        }
    }
}

/// A reader whose reads past `fail_at` fail the way the vault's chunk
/// reader reports a tampered chunk: an `io::Error` carrying a capture error.
struct Failing {
    inner: Cursor<Vec<u8>>,
    fail_at: u64,
}

impl Read for Failing {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        if self.inner.position() + buf.len() as u64 > self.fail_at {
            let e = CaptureError::Integrity { expected: "a".repeat(64), found: "b".repeat(64) };
            return Err(std::io::Error::other(e));
        }
        self.inner.read(buf)
    }
}

impl Seek for Failing {
    fn seek(&mut self, to: SeekFrom) -> std::io::Result<u64> {
        self.inner.seek(to)
    }
}

#[test]
fn a_failed_read_is_reported_as_its_own_error() {
    let samples: Vec<i16> = pattern(100_000, 16).into_iter().map(|s| s as i16).collect();
    let input = wav(spec(1, 8000, 16, false), &samples);
    let mut out = Vec::new();
    let mut failing = Failing { inner: Cursor::new(input.clone()), fail_at: 150_000 };
    let err = silence_wav(&mut failing, &mut out, &[(0, 1)]).unwrap_err();
    assert_eq!(err.code(), "capture.integrity");
    let mut out = Cursor::new(Vec::new());
    let err = silence_decoded(Failing { inner: Cursor::new(input), fail_at: 150_000 }, &mut out, &[(0, 1)]).unwrap_err();
    assert_eq!(err.code(), "capture.integrity");
}

/// Reads a float WAV written by `silence_decoded`.
fn read_float_wav(bytes: &[u8]) -> (hound::WavSpec, Vec<f32>) {
    let reader = hound::WavReader::new(Cursor::new(bytes)).unwrap();
    let spec = reader.spec();
    (spec, reader.into_samples().map(Result::unwrap).collect())
}

#[test]
fn decoding_a_wav_keeps_every_sample_outside_the_spans() {
    let samples: Vec<i16> = pattern(2 * 4000, 16).into_iter().map(|s| s as i16).collect();
    let input = wav(spec(2, 8000, 16, false), &samples);
    let mut out = Cursor::new(Vec::new());
    let result = silence_decoded(Cursor::new(input), &mut out, &[(400, 600), (100, 150), (450, 480)]).unwrap();
    assert_eq!(
        result,
        SilencedAudio {
            method: SilenceMethod::DecodedToWav,
            sample_rate: 8000,
            channels: 2,
            frames_total: 4000,
            spans: vec![span(100, 150, 800, 1200), span(400, 500, 3200, 4000)],
            byte_ranges: None,
            damaged_frames: 0,
        }
    );
    let out = out.into_inner();
    let (spec, back) = read_float_wav(&out);
    assert_eq!(spec, self::spec(2, 8000, 32, true));
    assert_eq!(back.len(), samples.len());
    for (i, (&a, &b)) in samples.iter().zip(&back).enumerate() {
        let frame = i / 2;
        if (800..1200).contains(&frame) || frame >= 3200 {
            assert_eq!(b, 0.0, "sample {i}");
        } else {
            assert!((a as f32 / 32768.0 - b).abs() <= 1.0 / 32768.0, "sample {i}: {a} vs {b}");
        }
    }
    let json = serde_json::to_value(&result).unwrap();
    assert_eq!(json["method"], "decoded_to_wav");
    assert!(json.get("byte_ranges").is_none());
}

/// A minimal FLAC encoder: verbatim subframes, 16-bit mono, fixed blocks.
/// `damaged` marks one frame undecodable (a subframe padding bit set) while
/// keeping its checksums right, so the demuxer hands it to the decoder.
fn flac(rate: u32, samples: &[i16], block: usize, damaged: Option<usize>) -> Vec<u8> {
    #[derive(Default)]
    struct Bits {
        out: Vec<u8>,
        acc: u8,
        n: u32,
    }
    impl Bits {
        fn put(&mut self, value: u64, bits: u32) {
            for i in (0..bits).rev() {
                self.acc = (self.acc << 1) | ((value >> i) & 1) as u8;
                self.n += 1;
                if self.n == 8 {
                    self.out.push(self.acc);
                    (self.acc, self.n) = (0, 0);
                }
            }
        }
    }
    fn crc8(bytes: &[u8]) -> u8 {
        bytes.iter().fold(0u8, |mut c, &b| {
            c ^= b;
            for _ in 0..8 {
                c = if c & 0x80 != 0 { (c << 1) ^ 0x07 } else { c << 1 };
            }
            c
        })
    }
    fn crc16(bytes: &[u8]) -> u16 {
        bytes.iter().fold(0u16, |mut c, &b| {
            c ^= u16::from(b) << 8;
            for _ in 0..8 {
                c = if c & 0x8000 != 0 { (c << 1) ^ 0x8005 } else { c << 1 };
            }
            c
        })
    }
    let mut b = Bits::default();
    b.out.extend_from_slice(b"fLaC");
    // The last metadata block: STREAMINFO, 34 bytes.
    b.put(1, 1);
    b.put(0, 7);
    b.put(34, 24);
    b.put(block as u64, 16);
    b.put(block as u64, 16);
    b.put(0, 24);
    b.put(0, 24);
    b.put(u64::from(rate), 20);
    b.put(0, 3); // one channel
    b.put(15, 5); // 16 bits
    b.put(samples.len() as u64, 36);
    b.put(0, 64); // no MD5
    b.put(0, 64);
    for (k, chunk) in samples.chunks(block).enumerate() {
        let start = b.out.len();
        b.put(0x3FFE, 14);
        b.put(0, 2);
        b.put(0b0111, 4); // block size in 16 bits at the end
        b.put(0, 4); // sample rate from STREAMINFO
        b.put(0, 4); // mono
        b.put(0b100, 3); // 16 bits
        b.put(0, 1);
        assert!(k < 128);
        b.put(k as u64, 8);
        b.put(chunk.len() as u64 - 1, 16);
        let crc = crc8(&b.out[start..]);
        b.put(u64::from(crc), 8);
        b.put(u64::from(damaged == Some(k)), 1);
        b.put(0b000001, 6); // verbatim
        b.put(0, 1);
        for &s in chunk {
            b.put(u64::from(s as u16), 16);
        }
        let crc = crc16(&b.out[start..]);
        b.put(u64::from(crc), 16);
    }
    b.out
}

#[test]
fn decoding_flac_keeps_the_timeline_across_a_damaged_frame() {
    let samples: Vec<i16> = pattern(2500, 16).into_iter().map(|s| s as i16).collect();
    // Ten frames of 256 samples (the last 196); frame 3 is damaged.
    let input = flac(8000, &samples, 256, Some(3));
    let mut out = Cursor::new(Vec::new());
    let result = silence_decoded(Cursor::new(input.clone()), &mut out, &[(250, 260)]).unwrap();
    assert_eq!((result.frames_total, result.damaged_frames), (2500, 256));
    assert_eq!(result.spans, [span(250, 260, 2000, 2080)]);
    let (spec, back) = read_float_wav(&out.into_inner());
    assert_eq!((spec.channels, spec.sample_rate), (1, 8000));
    assert_eq!(back.len(), 2500);
    for (i, (&a, &b)) in samples.iter().zip(&back).enumerate() {
        if (768..1024).contains(&i) || (2000..2080).contains(&i) {
            assert_eq!(b, 0.0, "sample {i}");
        } else {
            // Frames after the damaged one are where they were.
            assert!((a as f32 / 32768.0 - b).abs() <= 1.0 / 32768.0, "sample {i}: {a} vs {b}");
        }
    }
    // The undamaged file decodes whole, and is not a WAV to copy.
    let clean = flac(8000, &samples, 256, None);
    let mut out = Cursor::new(Vec::new());
    let result = silence_decoded(Cursor::new(clean.clone()), &mut out, &[]).unwrap();
    assert_eq!((result.frames_total, result.damaged_frames), (2500, 0));
    let (_, back) = read_float_wav(&out.into_inner());
    assert!(samples.iter().zip(&back).all(|(&a, &b)| (a as f32 / 32768.0 - b).abs() <= 1.0 / 32768.0));
    let (result, out) = silence_wav_bytes(&clean, &[(0, 1)]);
    assert_eq!(result.unwrap_err().code(), "capture.redact_not_wav");
    assert!(out.is_empty());
}

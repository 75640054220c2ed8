//! The canonical WAV form of an original: hound's header for the original's
//! native format, then the stored samples unchanged.
//!
//! hound writes its header first with zero sizes and patches the RIFF and
//! data sizes when it finalises. We take hound's header for the format and
//! patch the same two fields ourselves, so the WAV can be streamed (and
//! hashed) without holding the recording in memory or seeking; a test
//! checks the result is byte-identical to what hound writes.

use relato_vault::{AudioFormat, SampleFormat};

/// hound's description of a format.
pub fn spec(format: &AudioFormat) -> hound::WavSpec {
    hound::WavSpec {
        channels: format.channels,
        sample_rate: format.sample_rate,
        bits_per_sample: (format.sample_format.bytes() * 8) as u16,
        sample_format: if format.sample_format.is_float() { hound::SampleFormat::Float } else { hound::SampleFormat::Int },
    }
}

/// The header bytes of the canonical WAV holding `data_len` bytes of samples.
pub fn header(format: &AudioFormat, data_len: u64) -> Result<Vec<u8>, crate::CaptureError> {
    let too_long = || crate::CaptureError::TooLongForWav { bytes: data_len };
    let mut cursor = std::io::Cursor::new(Vec::with_capacity(68));
    // An empty WAV from hound is exactly its header, sized for no data.
    hound::WavWriter::new(&mut cursor, spec(format))
        .and_then(hound::WavWriter::finalize)
        .map_err(|e| crate::CaptureError::Wav(e.to_string()))?;
    let mut h = cursor.into_inner();
    let data_len: u32 = data_len.try_into().map_err(|_| too_long())?;
    let header_len = h.len() as u32;
    let riff_len = data_len.checked_add(header_len - 8).ok_or_else(too_long)?;
    h[4..8].copy_from_slice(&riff_len.to_le_bytes());
    let n = h.len();
    h[n - 4..].copy_from_slice(&data_len.to_le_bytes());
    Ok(h)
}

/// Formats hound can write, and therefore the formats originals are kept in.
pub fn supported(format: SampleFormat) -> bool {
    matches!(format, SampleFormat::U8 | SampleFormat::I16 | SampleFormat::I32 | SampleFormat::F32)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hound_bytes(format: &AudioFormat, samples: &[u8]) -> Vec<u8> {
        let mut cursor = std::io::Cursor::new(Vec::new());
        let mut w = hound::WavWriter::new(&mut cursor, spec(format)).unwrap();
        let b = format.sample_format.bytes();
        for s in samples.chunks(b) {
            match format.sample_format {
                SampleFormat::U8 => w.write_sample((s[0] as i16 - 128) as i8).unwrap(),
                SampleFormat::I16 => w.write_sample(i16::from_le_bytes([s[0], s[1]])).unwrap(),
                SampleFormat::I32 => w.write_sample(i32::from_le_bytes([s[0], s[1], s[2], s[3]])).unwrap(),
                SampleFormat::F32 => w.write_sample(f32::from_le_bytes([s[0], s[1], s[2], s[3]])).unwrap(),
            }
        }
        w.finalize().unwrap();
        cursor.into_inner()
    }

    #[test]
    fn streamed_wav_is_byte_identical_to_hound() {
        for sample_format in [SampleFormat::U8, SampleFormat::I16, SampleFormat::I32, SampleFormat::F32] {
            for channels in [1u16, 2, 3, 6] {
                let format = AudioFormat { sample_rate: 44_100, channels, sample_format };
                let frames = 37;
                let data: Vec<u8> = (0..frames * format.frame_bytes())
                    .map(|i| if sample_format == SampleFormat::F32 && i % 4 == 3 { 0x3e } else { (i * 7 % 251) as u8 })
                    .collect();
                let mut ours = header(&format, data.len() as u64).unwrap();
                ours.extend_from_slice(&data);
                assert_eq!(ours, hound_bytes(&format, &data), "{sample_format:?} × {channels}");
            }
        }
    }
}

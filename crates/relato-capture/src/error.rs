//! The capture crate's error type; vault errors pass through unchanged.

use relato_vault::VaultError;

#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum CaptureError {
    #[error(transparent)]
    Vault(#[from] VaultError),
    #[error("no audio input device is available")]
    NoInputDevice,
    #[error("no input device named \"{0}\"")]
    DeviceNotFound(String),
    #[error("the input device \"{device}\" cannot deliver a format Relato can keep as an original ({detail})")]
    UnsupportedFormat { device: String, detail: String },
    #[error("the audio system failed: {0}")]
    Backend(String),
    #[error("WAV: {0}")]
    Wav(String),
    #[error("the recording is too long for a single WAV file ({bytes} bytes of samples)")]
    TooLongForWav { bytes: u64 },
    #[error("{0}")]
    Io(String),
    #[error("the stored original does not match its recorded hash (expected {expected}, found {found}); nothing was written")]
    Integrity { expected: String, found: String },
    #[error("pausing is not enabled for this recording")]
    PauseDisabled,
    #[error("the recording has not been sealed yet")]
    NotSealed,
    #[error("{path} already exists; exports never overwrite a file")]
    OutputExists { path: String },
    #[error("the recorder stopped unexpectedly")]
    WriterStopped,
    #[error("{file} is not an audio file Relato can read")]
    NotAudio { file: String },
    #[error("{file} uses an audio format Relato cannot read")]
    UnsupportedFile { file: String },
    #[error("the input device \"{device}\" cannot continue this recording in its format ({format})")]
    FormatMismatch { device: String, format: String },
    #[error("the disk is full: recording stopped; the first {kept} are kept in the vault")]
    StoppedDiskFull { kept: String },
    #[error("recording stopped ({reason}); the first {kept} are kept in the vault")]
    StoppedByFailure { kept: String, reason: String },
    #[error("no audio output device was found")]
    NoOutputDevice,
    #[error("the audio output cannot play {rate} Hz with {channels} channel(s)")]
    OutputUnsupported { rate: u32, channels: u16 },
    #[error("the audio output failed: {0}")]
    OutputFailed(String),
    #[error("the recording could not be decoded for listening: {0}")]
    Decode(String),
    #[error("a stretch to silence must end after it starts ({start_ms} ms to {end_ms} ms)")]
    RedactSpanReversed { start_ms: u64, end_ms: u64 },
    #[error("not a readable WAV file: {0}")]
    RedactNotWav(String),
    #[error("this WAV file's encoding cannot be silenced in place: {0}")]
    RedactUnsupportedWav(String),
    #[error("the recording could not be decoded to make a silenced copy: {0}")]
    RedactUndecodable(String),
}

impl CaptureError {
    /// Stable identifier for translation (`assets/locales/errors.*.json`).
    pub fn code(&self) -> &'static str {
        match self {
            CaptureError::Vault(e) => e.code(),
            CaptureError::NoInputDevice => "capture.no_input_device",
            CaptureError::DeviceNotFound(_) => "capture.device_not_found",
            CaptureError::UnsupportedFormat { .. } => "capture.unsupported_format",
            CaptureError::Backend(_) => "capture.backend",
            CaptureError::Wav(_) => "capture.wav",
            CaptureError::TooLongForWav { .. } => "capture.too_long_for_wav",
            CaptureError::Io(_) => "capture.io",
            CaptureError::Integrity { .. } => "capture.integrity",
            CaptureError::PauseDisabled => "capture.pause_disabled",
            CaptureError::NotSealed => "capture.not_sealed",
            CaptureError::OutputExists { .. } => "capture.output_exists",
            CaptureError::WriterStopped => "capture.writer_stopped",
            CaptureError::NotAudio { .. } => "capture.not_audio",
            CaptureError::UnsupportedFile { .. } => "capture.unsupported_file",
            CaptureError::FormatMismatch { .. } => "capture.format_mismatch",
            CaptureError::StoppedDiskFull { .. } => "capture.stopped_disk_full",
            CaptureError::StoppedByFailure { .. } => "capture.stopped_failure",
            CaptureError::NoOutputDevice => "capture.no_output_device",
            CaptureError::OutputUnsupported { .. } => "capture.output_unsupported",
            CaptureError::OutputFailed(_) => "capture.output_failed",
            CaptureError::Decode(_) => "capture.decode",
            CaptureError::RedactSpanReversed { .. } => "capture.redact_span_reversed",
            CaptureError::RedactNotWav(_) => "capture.redact_not_wav",
            CaptureError::RedactUnsupportedWav(_) => "capture.redact_unsupported_wav",
            CaptureError::RedactUndecodable(_) => "capture.redact_undecodable",
        }
    }

    /// Named values for the translated message.
    pub fn args(&self) -> serde_json::Map<String, serde_json::Value> {
        let mut m = serde_json::Map::new();
        let mut put = |k: &str, v: String| {
            m.insert(k.into(), v.into());
        };
        match self {
            CaptureError::Vault(e) => return e.args(),
            CaptureError::DeviceNotFound(d) => put("device", d.clone()),
            CaptureError::UnsupportedFormat { device, detail } => {
                put("device", device.clone());
                put("detail", detail.clone());
            }
            CaptureError::Backend(r)
            | CaptureError::Wav(r)
            | CaptureError::Io(r)
            | CaptureError::OutputFailed(r)
            | CaptureError::Decode(r)
            | CaptureError::RedactNotWav(r)
            | CaptureError::RedactUnsupportedWav(r)
            | CaptureError::RedactUndecodable(r) => put("reason", r.clone()),
            CaptureError::RedactSpanReversed { start_ms, end_ms } => {
                put("start_ms", start_ms.to_string());
                put("end_ms", end_ms.to_string());
            }
            CaptureError::OutputUnsupported { rate, channels } => {
                put("rate", rate.to_string());
                put("channels", channels.to_string());
            }
            CaptureError::TooLongForWav { bytes } => put("bytes", bytes.to_string()),
            CaptureError::Integrity { expected, found } => {
                put("expected", expected.clone());
                put("found", found.clone());
            }
            CaptureError::OutputExists { path } => put("path", path.clone()),
            CaptureError::NotAudio { file } | CaptureError::UnsupportedFile { file } => put("file", file.clone()),
            CaptureError::FormatMismatch { device, format } => {
                put("device", device.clone());
                put("format", format.clone());
            }
            CaptureError::StoppedDiskFull { kept } => put("kept", kept.clone()),
            CaptureError::StoppedByFailure { kept, reason } => {
                put("kept", kept.clone());
                put("reason", reason.clone());
            }
            CaptureError::NoInputDevice | CaptureError::NoOutputDevice | CaptureError::PauseDisabled | CaptureError::NotSealed | CaptureError::WriterStopped => {}
        }
        m
    }
}

/// Every code [`CaptureError::code`] can return besides the vault's.
pub const CAPTURE_ERROR_CODES: &[&str] = &[
    "capture.no_input_device",
    "capture.device_not_found",
    "capture.unsupported_format",
    "capture.backend",
    "capture.wav",
    "capture.too_long_for_wav",
    "capture.io",
    "capture.integrity",
    "capture.pause_disabled",
    "capture.not_sealed",
    "capture.output_exists",
    "capture.writer_stopped",
    "capture.not_audio",
    "capture.unsupported_file",
    "capture.format_mismatch",
    "capture.stopped_disk_full",
    "capture.stopped_failure",
    "capture.no_output_device",
    "capture.output_unsupported",
    "capture.output_failed",
    "capture.decode",
    "capture.redact_span_reversed",
    "capture.redact_not_wav",
    "capture.redact_unsupported_wav",
    "capture.redact_undecodable",
];

#[cfg(test)]
mod tests {
    #[test]
    fn every_capture_error_has_a_translation_in_both_locales() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../assets/locales");
        for lang in ["es-MX", "en"] {
            let text = std::fs::read_to_string(root.join(format!("errors.{lang}.json"))).unwrap();
            let catalog: serde_json::Map<String, serde_json::Value> = serde_json::from_str(&text).unwrap();
            for code in super::CAPTURE_ERROR_CODES {
                assert!(catalog.contains_key(*code), "{lang} lacks {code}");
            }
        }
    }
}

//! Recovery: recordings whose writer died (kill -9, power loss) are found at
//! the next unlock and sealed as *recovered* with everything up to the last
//! committed chunk — never deleted, never silently dropped. The seal is
//! signed by whoever unlocked, and says it was a recovery.

use relato_vault::{Counters, Origin, Recording, RecordingEnd, RecordingEventKind, RecordingState, StreamState, Vault};

use crate::{original, CaptureError};

/// Seals every unsealed recording as recovered; returns what was recovered.
pub fn recover_unsealed(vault: &Vault) -> Result<Vec<Recording>, CaptureError> {
    vault.unsealed_recordings()?.iter().map(|id| recover(vault, id)).collect()
}

/// Seals one unsealed recording as recovered with what its streams hold.
pub fn recover(vault: &Vault, id: &str) -> Result<Recording, CaptureError> {
    let rec = vault.recording(id)?;
    for stream in std::iter::once(&rec.stream_id).chain(rec.peaks_stream_id.as_ref()) {
        if vault.stream_info(stream)?.state == StreamState::Unfinished {
            vault.recover_stream(stream)?;
        }
    }
    let Origin::Captured { format, .. } = &rec.origin else {
        // An import that died half-way is not an original: close it as
        // recovered with what is there, for the record.
        let bytes = original::stream_len(vault, &rec.stream_id)?;
        let end = RecordingEnd {
            state: RecordingState::Recovered,
            ended_at: relato_vault::utc_now(),
            frames: 0,
            duration_ms: 0,
            sha256_pcm: None,
            sha256_original: original::stream_sha256(vault, &rec.stream_id)?,
            original_bytes: bytes,
            counters: Counters::default(),
        };
        return Ok(vault.seal_recording(id, end)?);
    };
    let digest = original::digest(vault, &rec.stream_id, format)?;
    let mut counters = Counters::default();
    for e in vault.recording_events(id)? {
        match e.kind {
            RecordingEventKind::Overrun { dropped_frames } => {
                counters.overruns += 1;
                counters.dropped_frames += dropped_frames;
            }
            RecordingEventKind::StreamError { .. } => counters.stream_errors += 1,
            RecordingEventKind::Gap { .. } => counters.gaps += 1,
            RecordingEventKind::Pause => counters.pauses += 1,
            _ => {}
        }
    }
    let end = RecordingEnd {
        state: RecordingState::Recovered,
        ended_at: relato_vault::utc_now(),
        frames: digest.frames,
        duration_ms: format.frames_to_ms(digest.frames),
        sha256_pcm: Some(digest.sha256_pcm),
        sha256_original: digest.sha256_wav,
        original_bytes: digest.wav_bytes,
        counters,
    };
    Ok(vault.seal_recording(id, end)?)
}

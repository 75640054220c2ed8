//! Recordings: the original audio of a session and everything known about
//! how it was made.
//!
//! A recording owns two streams — the original bytes and the waveform
//! peaks — plus sealed metadata revisions (rev 1 when it starts, rev 2 when
//! it is sealed or recovered) and sealed events appended while it is made.
//! Starting, pausing, resuming, sealing, recovering and exporting are custody
//! events in the case's chain; the seal is two entries, `CAPTURE_END` (or
//! `CAPTURE_RECOVERED`) and `HASH_RECORDED`, the latter carrying the SHA-256
//! of the original's exported form. This module stores; the capture crate
//! decides what to store.

use rusqlite::params;
use serde::{Deserialize, Serialize};

use crate::crypto;
use crate::custody::Event;
use crate::error::{Result, VaultError};
use crate::store::FORMAT_VERSION;
use crate::streams::StreamWriter;
use crate::vault::{now, Vault};

/// How samples are stored: exactly as the device delivered them,
/// interleaved, little-endian.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SampleFormat {
    U8,
    I16,
    I32,
    F32,
}

impl SampleFormat {
    pub fn bytes(self) -> usize {
        match self {
            SampleFormat::U8 => 1,
            SampleFormat::I16 => 2,
            SampleFormat::I32 | SampleFormat::F32 => 4,
        }
    }

    pub fn is_float(self) -> bool {
        self == SampleFormat::F32
    }
}

/// Native format of a captured original.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct AudioFormat {
    pub sample_rate: u32,
    pub channels: u16,
    pub sample_format: SampleFormat,
}

impl AudioFormat {
    /// Bytes per frame (one sample of every channel).
    pub fn frame_bytes(&self) -> usize {
        self.channels as usize * self.sample_format.bytes()
    }

    pub fn frames_to_ms(&self, frames: u64) -> u64 {
        frames * 1000 / self.sample_rate.max(1) as u64
    }
}

/// Where an original came from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Origin {
    /// Captured by Relato from an input device.
    Captured { device: String, format: AudioFormat },
    /// An existing file, stored byte for byte.
    Imported {
        file_name: String,
        size_bytes: u64,
        container: String,
        format: Option<AudioFormat>,
        /// The file's own bit depth, when its codec states one (PCM, FLAC):
        /// `format`'s sample format is what it decodes to. Absent in
        /// records written before it was kept.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        bits_per_sample: Option<u32>,
    },
}

/// How a recording ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RecordingState {
    /// Still being written (or the writer died and it awaits recovery).
    Recording,
    /// Stopped and sealed normally.
    Sealed,
    /// The writer died; closed at a later unlock with what was committed.
    Recovered,
}

/// What went wrong while capturing, counted rather than hidden.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Counters {
    /// Times the ring buffer was full when the device delivered samples.
    pub overruns: u64,
    /// Frames lost to those overruns.
    pub dropped_frames: u64,
    /// Errors the audio backend reported.
    pub stream_errors: u64,
    /// Interruptions of the input (device lost, then reopened or replaced).
    pub gaps: u64,
    /// Pauses (only when pausing is enabled).
    pub pauses: u64,
}

/// The sealed end of a recording.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecordingEnd {
    pub state: RecordingState,
    pub ended_at: String,
    /// Frames in the original (captured recordings).
    pub frames: u64,
    pub duration_ms: u64,
    /// SHA-256 of the samples alone (captured recordings).
    pub sha256_pcm: Option<String>,
    /// SHA-256 of the original's exported form: the canonical WAV for a
    /// capture, the file's own bytes for an import. `HASH_RECORDED` carries it.
    pub sha256_original: String,
    pub original_bytes: u64,
    pub counters: Counters,
}

/// A recording as stored: identity, origin and, once sealed, its end.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Recording {
    pub id: String,
    pub session_id: String,
    pub stream_id: String,
    pub peaks_stream_id: Option<String>,
    pub started_at: String,
    /// User id of whoever made or imported it.
    pub operator: String,
    pub origin: Origin,
    pub end: Option<RecordingEnd>,
}

impl Recording {
    pub fn state(&self) -> RecordingState {
        self.end.as_ref().map_or(RecordingState::Recording, |e| e.state)
    }
}

/// Interview phases, in the order they usually come.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Phase {
    Rapport,
    FreeNarrative,
    Clarification,
    Closing,
}

/// Something that happened at a sample position while recording.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum RecordingEventKind {
    Marker { label: Option<String> },
    Phase { phase: Phase },
    Pause,
    Resume,
    Overrun { dropped_frames: u64 },
    StreamError { message: String },
    /// The input device disappeared (unplugged); samples stop until it
    /// comes back or another device takes over (then a `Gap`).
    DeviceLost { device: String },
    /// The input stopped delivering (device lost) and came back, or was
    /// replaced: `wall_ms` of real time passed with no samples.
    Gap { wall_ms: u64, device: String, reason: String },
    MaxDurationWarning { remaining_s: u64 },
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RecordingEvent {
    /// Frame index in the original where it happened.
    pub at_frame: u64,
    pub time: String,
    #[serde(flatten)]
    pub kind: RecordingEventKind,
}

#[derive(Serialize, Deserialize)]
struct StartBody {
    started_at: String,
    operator: String,
    origin: Origin,
}

impl Vault {
    /// Starts a recording of a session: its streams, its first revision and
    /// `CAPTURE_START` (or `IMPORT_START`) in the case's custody chain.
    pub fn begin_recording(&self, session_id: &str, origin: Origin) -> Result<(Recording, StreamWriter<'_>, StreamWriter<'_>)> {
        self.require(self.me.role.may_write_cases(), "record")?;
        let session = self.session(session_id)?;
        let audio = self.create_stream()?;
        let peaks = self.create_stream()?;
        let id = crypto::new_id("rec");
        let start = StartBody { started_at: now(), operator: self.me.user_id.clone(), origin };
        let event = match &start.origin {
            Origin::Captured { device, format } => Event::new("CAPTURE_START")
                .detail("device", device.clone())
                .detail("format", serde_json::to_value(format).expect("serialises")),
            Origin::Imported { size_bytes, container, .. } => {
                Event::new("IMPORT_START").detail("size_bytes", *size_bytes).detail("container", container.clone())
            }
        };
        let tx = self.store.conn.unchecked_transaction()?;
        tx.execute(
            "INSERT INTO recordings (id, session_id, stream_id, peaks_stream_id) VALUES (?1, ?2, ?3, ?4)",
            params![id, session.id, audio.id(), peaks.id()],
        )?;
        let digest = self.insert_revision(&tx, "recording_revisions", "recording_id", &id, 1, &start)?;
        self.log(
            &tx,
            &session.case_id,
            event.object("recording", &id, digest).detail("session_id", session.id.clone()).detail("stream_id", audio.id()),
        )?;
        tx.commit()?;
        Ok((self.recording(&id)?, audio, peaks))
    }

    /// Appends an event. Pauses and resumes are also custody entries.
    pub fn add_recording_event(&self, recording_id: &str, event: &RecordingEvent) -> Result<()> {
        let rec = self.recording(recording_id)?;
        let tx = self.store.conn.unchecked_transaction()?;
        let seq: u64 = tx.query_row(
            "SELECT COALESCE(MAX(seq), 0) + 1 FROM recording_events WHERE recording_id = ?1",
            [&rec.id],
            |r| r.get(0),
        )?;
        tx.execute(
            "INSERT INTO recording_events (recording_id, seq, sv, body) VALUES (?1, ?2, ?3, ?4)",
            params![rec.id, seq, FORMAT_VERSION, self.seal_row("recording_events", &format!("{}/{seq}", rec.id), event)],
        )?;
        let custody = match event.kind {
            RecordingEventKind::Pause => Some("CAPTURE_PAUSED"),
            RecordingEventKind::Resume => Some("CAPTURE_RESUMED"),
            _ => None,
        };
        if let Some(name) = custody {
            let case_id = self.session(&rec.session_id)?.case_id;
            self.log(&tx, &case_id, Event::new(name).detail("recording_id", rec.id.clone()).detail("at_frame", event.at_frame))?;
        }
        tx.commit()?;
        Ok(())
    }

    /// Every event of a recording, in order.
    pub fn recording_events(&self, recording_id: &str) -> Result<Vec<RecordingEvent>> {
        let mut stmt = self.store.conn.prepare("SELECT seq, sv, body FROM recording_events WHERE recording_id = ?1 ORDER BY seq")?;
        let rows = stmt.query_map([recording_id], |r| Ok((r.get::<_, u64>(0)?, r.get::<_, u32>(1)?, r.get::<_, Vec<u8>>(2)?)))?;
        rows.map(|row| {
            let (seq, sv, body) = row?;
            self.open_row("recording_events", &format!("{recording_id}/{seq}"), sv, &body)
        })
        .collect()
    }

    /// Seals a recording: its last revision, then `CAPTURE_END` (or
    /// `CAPTURE_RECOVERED`, `IMPORT_END`) and `HASH_RECORDED`, signed by the
    /// acting user, in one transaction.
    pub fn seal_recording(&self, recording_id: &str, end: RecordingEnd) -> Result<Recording> {
        let rec = self.recording(recording_id)?;
        if rec.end.is_some() {
            return Err(VaultError::RecordingSealed(rec.id));
        }
        let case_id = self.session(&rec.session_id)?.case_id;
        let name = match (&rec.origin, end.state) {
            (_, RecordingState::Recovered) => "CAPTURE_RECOVERED",
            (Origin::Imported { .. }, _) => "IMPORT_END",
            _ => "CAPTURE_END",
        };
        let (form, origin_detail) = match &rec.origin {
            Origin::Captured { device, format } => ("wav", serde_json::json!({ "device": device, "format": format })),
            Origin::Imported { container, size_bytes, .. } => {
                ("file", serde_json::json!({ "container": container, "size_bytes": size_bytes }))
            }
        };
        let tx = self.store.conn.unchecked_transaction()?;
        let digest = self.insert_revision(&tx, "recording_revisions", "recording_id", &rec.id, 2, &end)?;
        self.log(
            &tx,
            &case_id,
            Event::new(name)
                .object("recording", &rec.id, digest)
                .detail("frames", end.frames)
                .detail("duration_ms", end.duration_ms)
                .detail("counters", serde_json::to_value(end.counters).expect("serialises"))
                .detail("origin", origin_detail),
        )?;
        self.log(
            &tx,
            &case_id,
            Event::new("HASH_RECORDED")
                .object("original", &rec.id, end.sha256_original.clone())
                .detail("form", form)
                .detail("bytes", end.original_bytes),
        )?;
        tx.commit()?;
        self.recording(&rec.id)
    }

    /// Logs that the original left the vault as plaintext, at the user's request.
    pub fn log_audio_export(&self, recording_id: &str, sha256: &str, bytes: u64, purpose: Option<&str>) -> Result<()> {
        let rec = self.recording(recording_id)?;
        let case_id = self.session(&rec.session_id)?.case_id;
        let mut event = Event::new("AUDIO_EXPORTED").object("original", &rec.id, sha256.to_owned()).detail("bytes", bytes);
        if let Some(p) = purpose {
            event = event.purpose(p);
        }
        let tx = self.store.conn.unchecked_transaction()?;
        self.log(&tx, &case_id, event)?;
        tx.commit()?;
        Ok(())
    }

    /// Logs that `ranges` (start and end in ms, merged by the caller) of a
    /// recording were listened to: `PLAYBACK`, one line per listening
    /// stretch rather than one per second.
    pub fn log_playback(&self, recording_id: &str, ranges_ms: &[(u64, u64)]) -> Result<()> {
        let rec = self.recording(recording_id)?;
        let case_id = self.session(&rec.session_id)?.case_id;
        let ranges: Vec<[u64; 2]> = ranges_ms.iter().map(|&(a, b)| [a, b]).collect();
        let event = Event::new("PLAYBACK").detail("recording_id", rec.id.clone()).detail("ranges_ms", serde_json::json!(ranges));
        let tx = self.store.conn.unchecked_transaction()?;
        self.log(&tx, &case_id, event)?;
        tx.commit()?;
        Ok(())
    }

    /// A recording by id (or unique prefix).
    pub fn recording(&self, id: &str) -> Result<Recording> {
        self.require(self.me.role.may_read_cases(), "read_sessions")?;
        let id = self.resolve_id("recordings", "recording", id)?;
        let (session_id, stream_id, peaks_stream_id): (String, String, Option<String>) = self.store.conn.query_row(
            "SELECT session_id, stream_id, peaks_stream_id FROM recordings WHERE id = ?1",
            [&id],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )?;
        let mut stmt = self.store.conn.prepare("SELECT rev, sv, body FROM recording_revisions WHERE recording_id = ?1 ORDER BY rev")?;
        let rows: Vec<(u32, u32, Vec<u8>)> =
            stmt.query_map([&id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?.collect::<rusqlite::Result<_>>()?;
        let (_, sv, body) = rows.first().ok_or_else(|| VaultError::RecordCorrupt { record: format!("recording_revisions/{id}/1") })?;
        let start: StartBody = self.open_row("recording_revisions", &format!("{id}/1"), *sv, body)?;
        let end = match rows.get(1) {
            Some((rev, sv, body)) => Some(self.open_row("recording_revisions", &format!("{id}/{rev}"), *sv, body)?),
            None => None,
        };
        Ok(Recording {
            id,
            session_id,
            stream_id,
            peaks_stream_id,
            started_at: start.started_at,
            operator: start.operator,
            origin: start.origin,
            end,
        })
    }

    /// The recordings of a session, oldest first.
    pub fn recordings(&self, session_id: &str) -> Result<Vec<Result<Recording>>> {
        let session_id = self.resolve_id("sessions", "session", session_id)?;
        let mut stmt = self.store.conn.prepare("SELECT id FROM recordings WHERE session_id = ?1 ORDER BY rowid")?;
        let ids: Vec<String> = stmt.query_map([&session_id], |r| r.get(0))?.collect::<rusqlite::Result<_>>()?;
        Ok(ids.iter().map(|id| self.recording(id)).collect())
    }

    /// Recordings that were never sealed: their writer died. Found at
    /// unlock and closed by the capture crate's recovery.
    pub fn unsealed_recordings(&self) -> Result<Vec<String>> {
        let mut stmt = self.store.conn.prepare(
            "SELECT r.id FROM recordings r WHERE (SELECT COUNT(*) FROM recording_revisions v WHERE v.recording_id = r.id) < 2 ORDER BY r.rowid",
        )?;
        let ids = stmt.query_map([], |r| r.get(0))?.collect::<rusqlite::Result<_>>()?;
        Ok(ids)
    }
}

#[cfg(test)]
mod tests {
    use super::Origin;

    #[test]
    fn an_import_record_written_before_bit_depths_were_kept_still_reads() {
        let old = r#"{"kind":"imported","file_name":"a.flac","size_bytes":10,"container":"flac (flac)","format":null}"#;
        let origin: Origin = serde_json::from_str(old).unwrap();
        assert!(matches!(origin, Origin::Imported { bits_per_sample: None, .. }));
        // A record without one is written as before.
        assert_eq!(serde_json::to_string(&origin).unwrap(), old);
    }
}

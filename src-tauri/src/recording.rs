//! The recording service: the check before recording and the recorder,
//! between the commands and `relato-capture`. Like the vault service it
//! knows nothing of Tauri, so it is tested like library code (with the fake
//! source instead of a microphone).
//!
//! One capture at a time: idle, checking an input (live meter, a test kept
//! in memory), checked (the test can be played back), or recording. While
//! recording, the recorder's writer thread owns the vault
//! ([`VaultService::take_vault`]); [`RecordingService::stop`] gives it back
//! whatever happened. Long operations (stopping waits for buffered audio
//! and seals) run outside the state lock, so the status ticker never waits.

use std::sync::{Mutex, MutexGuard};
use std::time::Duration;

use relato_capture::{
    device, CaptureError, DeviceSource, FakeSource, InputDevice, Monitor, Pace, Recorder, RecorderOptions, Source,
    TestRecording, Verdict, PHASES,
};
use relato_vault::{AudioFormat, Recording, RecordingEventKind, SampleFormat, Vault};
use serde::Serialize;
use specta::Type;

use crate::dto::DeviceView;
use crate::error::CommandError;
use crate::service::VaultService;

/// How long the test before recording keeps audio for playback.
pub const TEST_SECONDS: u64 = 5;

/// Where inputs come from: the sound system, or a known signal.
pub trait Inputs: Send + Sync {
    fn list(&self) -> Result<Vec<InputDevice>, CaptureError>;
    fn open(&self, name: Option<&str>) -> Result<Box<dyn Source>, CaptureError>;
    /// Opens `name` in exactly `format`, to continue a recording.
    fn open_as(&self, name: &str, format: AudioFormat) -> Result<Box<dyn Source>, CaptureError>;
}

/// The machine's inputs through cpal.
pub struct SystemInputs;

impl Inputs for SystemInputs {
    fn list(&self) -> Result<Vec<InputDevice>, CaptureError> {
        relato_capture::input_devices()
    }
    fn open(&self, name: Option<&str>) -> Result<Box<dyn Source>, CaptureError> {
        Ok(Box::new(DeviceSource::open(name)?))
    }
    fn open_as(&self, name: &str, format: AudioFormat) -> Result<Box<dyn Source>, CaptureError> {
        Ok(Box::new(DeviceSource::open_as(name, format)?))
    }
}

/// One input delivering the fake source's known signal: for tests and for
/// measuring the app without a microphone (`RELATO_FAKE_INPUT=1` in debug
/// builds; `=fast`
/// delivers as fast as the recorder stores, to measure a long recording's
/// memory in seconds).
pub struct FakeInputs {
    pub pace: Pace,
}

/// The fake input's name, as listed.
pub const FAKE_INPUT: &str = "Relato test signal";

const FAKE_FORMAT: AudioFormat = AudioFormat { sample_rate: 48_000, channels: 2, sample_format: SampleFormat::I16 };

struct NamedFake(FakeSource);

impl Source for NamedFake {
    fn format(&self) -> AudioFormat {
        self.0.format
    }
    fn name(&self) -> String {
        FAKE_INPUT.into()
    }
    fn start(self: Box<Self>, feed: relato_capture::FeedHandle) -> Result<Box<dyn relato_capture::source::Running>, CaptureError> {
        Box::new(self.0).start(feed)
    }
}

impl Inputs for FakeInputs {
    fn list(&self) -> Result<Vec<InputDevice>, CaptureError> {
        Ok(vec![InputDevice { name: FAKE_INPUT.into(), format: Some(FAKE_FORMAT), supported: vec![], bluetooth: false }])
    }
    fn open(&self, name: Option<&str>) -> Result<Box<dyn Source>, CaptureError> {
        match name {
            None | Some(FAKE_INPUT) => {
                Ok(Box::new(NamedFake(FakeSource { format: FAKE_FORMAT, pace: self.pace, total_frames: None })))
            }
            Some(other) => Err(CaptureError::DeviceNotFound(other.to_owned())),
        }
    }
    fn open_as(&self, name: &str, format: AudioFormat) -> Result<Box<dyn Source>, CaptureError> {
        if format != FAKE_FORMAT {
            return Err(CaptureError::FormatMismatch { device: name.to_owned(), format: device::describe(&format) });
        }
        self.open(Some(name))
    }
}

/// What the check before recording found.
#[derive(Debug, Clone, PartialEq, Serialize, Type)]
pub struct CheckResult {
    pub device: String,
    pub format: String,
    /// `silent`, `quiet`, `clipping` or `good`.
    pub verdict: String,
    pub peak_dbfs: f32,
    pub rms_dbfs: f32,
    pub duration_ms: u64,
    pub bluetooth: bool,
}

/// What the screens show while an input is open, sent about 20 times a second.
#[derive(Debug, Clone, PartialEq, Serialize, serde::Deserialize, Type)]
pub struct LiveStatus {
    /// `checking` or `recording`.
    pub mode: String,
    pub device: String,
    /// The session being recorded (none while checking).
    pub session_id: Option<String>,
    pub elapsed_ms: u64,
    pub committed_ms: u64,
    /// Peak and RMS of the last 50 ms, in dBFS (−96 is silence).
    pub peak_dbfs: f32,
    pub rms_dbfs: f32,
    /// `rapport`, `free_narrative`, `clarification` or `closing`, once set.
    pub phase: Option<String>,
    pub markers: u64,
    pub dropped_frames: u64,
    pub device_lost: bool,
    /// The vault could not be written (disk full): recording has stopped storing.
    pub writer_failed: bool,
    pub max_duration_near: bool,
}

/// A recording that started.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
pub struct RecordingStarted {
    pub recording_id: String,
    pub device: String,
    pub format: String,
}

/// A marker or phase boundary as placed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
pub struct Mark {
    pub at_ms: u64,
    /// `marker` or a phase identifier.
    pub kind: String,
    pub label: Option<String>,
}

/// The sealed summary shown after stop.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
pub struct RecordingSummary {
    pub recording_id: String,
    pub session_id: String,
    /// `sealed` or `recovered`.
    pub state: String,
    pub device: String,
    pub format: String,
    pub duration_ms: u64,
    /// SHA-256 of the original's exported form, as in `HASH_RECORDED`.
    pub sha256: String,
    pub marks: Vec<Mark>,
    pub dropped_frames: u64,
    pub overruns: u64,
    pub stream_errors: u64,
    pub gaps: u64,
}

enum State {
    Idle,
    Checking(Monitor),
    Checked(TestRecording),
    Recording { recorder: Recorder, device: String, session_id: String },
    /// Between taking the recorder out and its seal.
    Stopping,
}

/// The capture side of the app.
pub struct RecordingService {
    inputs: Box<dyn Inputs>,
    state: Mutex<State>,
    options: RecorderOptions,
    /// What recovery at the last unlock sealed (or why it failed), until read.
    recovered: Mutex<Result<Vec<RecoveredView>, CommandError>>,
}

/// The serde identifier of a unit variant (`free_narrative`, `sealed`).
fn ident(value: impl Serialize) -> String {
    serde_json::to_value(value).ok().and_then(|v| v.as_str().map(str::to_owned)).unwrap_or_default()
}

/// Every code this service raises itself (the rest come from the crates);
/// `error.rs` checks that both catalogs have them.
pub const RECORDING_ERROR_CODES: &[&str] = &["app.capture_busy", "app.no_check", "app.not_recording", "app.bad_phase"];

fn busy() -> CommandError {
    CommandError::new("app.capture_busy", "a recording is in progress")
}

impl RecordingService {
    pub fn new(inputs: Box<dyn Inputs>, options: RecorderOptions) -> Self {
        RecordingService { inputs, state: Mutex::new(State::Idle), options, recovered: Mutex::new(Ok(Vec::new())) }
    }

    /// The system's inputs, or the fake one when `RELATO_FAKE_INPUT` is set.
    /// Recordings are limited to three hours, with a warning ten minutes before.
    pub fn from_env() -> Self {
        // A fake input could be sealed as an original: debug builds only.
        let fake = if cfg!(debug_assertions) { std::env::var("RELATO_FAKE_INPUT").ok() } else { None };
        let inputs: Box<dyn Inputs> = match fake.as_deref() {
            Some("fast") => Box::new(FakeInputs { pace: Pace::Unthrottled }),
            Some(v) if !v.is_empty() => Box::new(FakeInputs { pace: Pace::RealTime }),
            _ => Box::new(SystemInputs),
        };
        let options = RecorderOptions {
            max_duration: Some(Duration::from_secs(3 * 3600)),
            warn_before: Duration::from_secs(600),
            ..RecorderOptions::default()
        };
        RecordingService::new(inputs, options)
    }

    fn guard(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Seals recordings whose recorder died, right after an unlock; the
    /// window reads the outcome once with [`RecordingService::take_recovered`].
    pub fn recover_at_unlock(&self, vaults: &VaultService) {
        let outcome = vaults.with_vault(recover);
        let mut slot = self.recovered.lock().unwrap_or_else(|p| p.into_inner());
        *slot = match (std::mem::replace(&mut *slot, Ok(Vec::new())), outcome) {
            (Ok(mut earlier), Ok(now)) => {
                earlier.extend(now);
                Ok(earlier)
            }
            (_, Err(e)) | (Err(e), _) => Err(e),
        };
    }

    /// What the last unlock recovered; empty afterwards.
    pub fn take_recovered(&self) -> Result<Vec<RecoveredView>, CommandError> {
        std::mem::replace(&mut *self.recovered.lock().unwrap_or_else(|p| p.into_inner()), Ok(Vec::new()))
    }

    pub fn devices(&self) -> Result<Vec<DeviceView>, CommandError> {
        Ok(self.inputs.list()?.into_iter().map(DeviceView::from).collect())
    }

    /// Opens `device` (or the default) with a live meter and starts keeping
    /// a test of [`TEST_SECONDS`] in memory. Replaces an earlier check.
    pub fn start_check(&self, device: Option<&str>) -> Result<(), CommandError> {
        // The earlier check releases the input before it is opened again;
        // closing it waits for the device, so not under the state lock.
        drop(self.take_check()?);
        let monitor = Monitor::start(self.inputs.open(device)?, Duration::from_secs(TEST_SECONDS))?;
        let mut state = self.guard();
        if matches!(*state, State::Recording { .. } | State::Stopping) {
            return Err(busy());
        }
        *state = State::Checking(monitor);
        Ok(())
    }

    /// Takes an open check (or kept test) out of the state, leaving it idle;
    /// refuses while recording.
    fn take_check(&self) -> Result<State, CommandError> {
        let mut state = self.guard();
        match *state {
            State::Recording { .. } | State::Stopping => Err(busy()),
            _ => Ok(std::mem::replace(&mut *state, State::Idle)),
        }
    }

    /// Ends the check and says what it heard; the test stays in memory for playback.
    pub fn finish_check(&self) -> Result<CheckResult, CommandError> {
        let State::Checking(monitor) = self.take_check()? else {
            return Err(CommandError::new("app.no_check", "no input check is running"));
        };
        let test = monitor.stop();
        let verdict = match test.verdict() {
            Verdict::Silent => "silent",
            Verdict::Quiet => "quiet",
            Verdict::Clipping => "clipping",
            Verdict::Good => "good",
        };
        let result = CheckResult {
            bluetooth: device::looks_bluetooth(&test.device),
            device: test.device.clone(),
            format: device::describe(&test.format),
            verdict: verdict.into(),
            peak_dbfs: test.overall.peak_db(),
            rms_dbfs: test.overall.rms_db(),
            duration_ms: test.duration_ms(),
        };
        let mut state = self.guard();
        if matches!(*state, State::Idle) {
            *state = State::Checked(test);
        }
        Ok(result)
    }

    /// The last test as a WAV file, in memory only, for playback.
    pub fn test_audio(&self) -> Result<Vec<u8>, CommandError> {
        match &*self.guard() {
            State::Checked(test) => Ok(test.wav()?.to_vec()),
            _ => Err(CommandError::new("app.no_check", "no input check is running")),
        }
    }

    /// Closes the input and forgets the test (its samples are wiped).
    pub fn cancel_check(&self) {
        // Dropped after the guard: closing the input may wait for the device.
        let _closed = self.take_check();
    }

    /// Starts recording `session_id` from `device`; the vault goes to the
    /// recorder until [`RecordingService::stop`].
    pub fn start(&self, vaults: &VaultService, session_id: &str, device: Option<&str>) -> Result<RecordingStarted, CommandError> {
        drop(self.take_check()?);
        let mut state = self.guard();
        if !matches!(*state, State::Idle) {
            return Err(busy());
        }
        let source = self.inputs.open(device)?;
        let device = source.name();
        let format = device::describe(&source.format());
        let vault = vaults.take_vault()?;
        match Recorder::start(vault, session_id, source, self.options.clone()) {
            Ok(recorder) => {
                let started = RecordingStarted { recording_id: recorder.recording_id().to_owned(), device: device.clone(), format };
                *state = State::Recording { recorder, device, session_id: session_id.to_owned() };
                Ok(started)
            }
            Err((vault, e)) => {
                vaults.give_back(vault);
                Err(e.into())
            }
        }
    }

    /// What the screens show now, if an input is open. Never waits for a seal.
    pub fn status(&self) -> Option<LiveStatus> {
        let state = self.guard();
        let (mode, device, session_id, status) = match &*state {
            State::Checking(monitor) => {
                let level = monitor.level();
                let status = relato_capture::Status {
                    elapsed_ms: 0,
                    committed_ms: 0,
                    level,
                    phase: None,
                    markers: 0,
                    dropped_frames: 0,
                    device_lost: monitor.device_lost(),
                    writer_failed: false,
                    max_duration_near: false,
                    paused: false,
                };
                ("checking", monitor.device().to_owned(), None, status)
            }
            State::Recording { recorder, device, session_id } => ("recording", device.clone(), Some(session_id.clone()), recorder.status()),
            _ => return None,
        };
        Some(LiveStatus {
            mode: mode.into(),
            device,
            session_id,
            elapsed_ms: status.elapsed_ms,
            committed_ms: status.committed_ms,
            peak_dbfs: status.level.peak_db(),
            rms_dbfs: status.level.rms_db(),
            phase: status.phase.map(ident),
            markers: status.markers,
            dropped_frames: status.dropped_frames,
            device_lost: status.device_lost,
            writer_failed: status.writer_failed,
            max_duration_near: status.max_duration_near,
        })
    }

    pub fn is_recording(&self) -> bool {
        matches!(*self.guard(), State::Recording { .. } | State::Stopping)
    }

    fn with_recorder<T>(&self, f: impl FnOnce(&mut Recorder, &mut String) -> Result<T, CommandError>) -> Result<T, CommandError> {
        match &mut *self.guard() {
            State::Recording { recorder, device, .. } => f(recorder, device),
            _ => Err(CommandError::new("app.not_recording", "nothing is being recorded")),
        }
    }

    /// A silent marker now; returns where it landed.
    pub fn marker(&self) -> Result<Mark, CommandError> {
        self.with_recorder(|r, _| {
            let at = r.marker(None)?;
            Ok(Mark { at_ms: r.format().frames_to_ms(at), kind: "marker".into(), label: None })
        })
    }

    /// A phase boundary now: `number` 1–4 as on the keyboard.
    pub fn phase(&self, number: u8) -> Result<Mark, CommandError> {
        let phase = *PHASES
            .get(usize::from(number).wrapping_sub(1))
            .ok_or_else(|| CommandError::new("app.bad_phase", "phases are numbered 1 to 4"))?;
        self.with_recorder(|r, _| {
            let at = r.phase(phase)?;
            Ok(Mark { at_ms: r.format().frames_to_ms(at), kind: ident(phase), label: None })
        })
    }

    /// Continues the recording on another input (same format required).
    pub fn switch_device(&self, name: &str) -> Result<(), CommandError> {
        self.with_recorder(|r, device| {
            let source = self.inputs.open_as(name, r.format())?;
            r.switch_source(source)?;
            *device = name.to_owned();
            Ok(())
        })
    }

    /// Stops, seals, gives the vault back and returns the sealed summary.
    pub fn stop(&self, vaults: &VaultService) -> Result<RecordingSummary, CommandError> {
        let (recorder, device) = {
            let mut state = self.guard();
            match std::mem::replace(&mut *state, State::Stopping) {
                State::Recording { recorder, device, .. } => (recorder, device),
                other => {
                    *state = other;
                    return Err(CommandError::new("app.not_recording", "nothing is being recorded"));
                }
            }
        };
        let (vault, result) = recorder.stop();
        let summary = result.map_err(CommandError::from).and_then(|rec| summary(&vault, &rec, &device));
        vaults.give_back(vault);
        *self.guard() = State::Idle;
        summary
    }
}

/// The summary of a sealed recording, from the vault.
pub fn summary(vault: &Vault, rec: &Recording, device: &str) -> Result<RecordingSummary, CommandError> {
    let end = rec.end.as_ref().ok_or_else(|| CommandError::from(CaptureError::NotSealed))?;
    let format = match &rec.origin {
        relato_vault::Origin::Captured { format, .. } => *format,
        relato_vault::Origin::Imported { .. } => return Err(CaptureError::NotSealed.into()),
    };
    let marks = vault
        .recording_events(&rec.id)?
        .into_iter()
        .filter_map(|e| {
            let at_ms = format.frames_to_ms(e.at_frame);
            match e.kind {
                RecordingEventKind::Marker { label } => Some(Mark { at_ms, kind: "marker".into(), label }),
                RecordingEventKind::Phase { phase } => Some(Mark { at_ms, kind: ident(phase), label: None }),
                _ => None,
            }
        })
        .collect();
    Ok(RecordingSummary {
        recording_id: rec.id.clone(),
        session_id: rec.session_id.clone(),
        state: ident(end.state),
        device: device.to_owned(),
        format: device::describe(&format),
        duration_ms: end.duration_ms,
        sha256: end.sha256_original.clone(),
        marks,
        dropped_frames: end.counters.dropped_frames,
        overruns: end.counters.overruns,
        stream_errors: end.counters.stream_errors,
        gaps: end.counters.gaps,
    })
}

/// A recording sealed as recovered at this unlock, for the notice.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
pub struct RecoveredView {
    pub recording_id: String,
    pub session_id: String,
    pub duration_ms: u64,
    pub sha256: String,
}

/// Seals every recording whose recorder died as recovered (see
/// `relato_capture::recovery`) and says what was saved.
pub fn recover(vault: &Vault) -> Result<Vec<RecoveredView>, CommandError> {
    Ok(relato_capture::recovery::recover_unsealed(vault)?
        .into_iter()
        .map(|r| {
            let (duration_ms, sha256) = r.end.as_ref().map_or((0, String::new()), |e| (e.duration_ms, e.sha256_original.clone()));
            RecoveredView { recording_id: r.id, session_id: r.session_id, duration_ms, sha256 }
        })
        .collect())
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::dto::{CaseInput, NewVaultInput, SessionInput};
    use relato_vault::KdfParams;

    const PASS: &str = "una frase de acceso larga";

    /// A vault (cheap key derivation) with one case and one session.
    pub(crate) fn vault_with_session(dir: &tempfile::TempDir) -> (VaultService, String) {
        vault_with_case(dir.path(), "EXP-1")
    }

    /// A vault in `dir`, unlocked as Ana, with a case of that reference
    /// holding one session (NNA-031); returns the session's id.
    pub(crate) fn vault_with_case(dir: &std::path::Path, reference: &str) -> (VaultService, String) {
        let vaults = VaultService::at(dir.join("vault.relato")).with_kdf(KdfParams::insecure_fast());
        vaults.create(NewVaultInput { organisation: "ODI".into(), admin_name: "Ana".into(), passphrase: PASS.into() }).unwrap();
        let case = vaults.create_case(CaseInput { reference: reference.into(), place: None, institution: None }).unwrap();
        let session = vaults
            .create_session(SessionInput {
                case_id: case.id,
                child_code: "NNA-031".into(),
                age_years: 7,
                language: "es".into(),
                persons_present: vec![],
                protocol: None,
                consent_reference: None,
                location: None,
            })
            .unwrap();
        (vaults, session.id)
    }

    fn service() -> RecordingService {
        RecordingService::new(Box::new(FakeInputs { pace: Pace::RealTime }), RecorderOptions::default())
    }

    fn wait_until(mut condition: impl FnMut() -> bool) {
        let deadline = std::time::Instant::now() + Duration::from_secs(20);
        while !condition() {
            assert!(std::time::Instant::now() < deadline, "timed out");
            std::thread::sleep(Duration::from_millis(10));
        }
    }

    #[test]
    fn the_check_meters_live_keeps_a_test_for_playback_and_stores_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let (vaults, session) = vault_with_session(&dir);
        let rec = service();
        assert_eq!(rec.devices().unwrap()[0].name, FAKE_INPUT);
        assert!(rec.status().is_none());
        rec.start_check(None).unwrap();
        wait_until(|| rec.status().is_some_and(|s| s.peak_dbfs > -10.0));
        assert_eq!(rec.status().unwrap().mode, "checking");
        std::thread::sleep(Duration::from_millis(300));
        let result = rec.finish_check().unwrap();
        assert_eq!((result.device.as_str(), result.verdict.as_str()), (FAKE_INPUT, "clipping"), "the fake signal spans full scale");
        assert!(result.duration_ms >= 300, "{result:?}");
        let wav = rec.test_audio().unwrap();
        let reader = hound::WavReader::new(std::io::Cursor::new(wav)).unwrap();
        assert_eq!(reader.duration() as u64 * 1000 / 48_000, result.duration_ms);
        rec.cancel_check();
        assert_eq!(rec.test_audio().unwrap_err().code, "app.no_check");
        let recordings = vaults.with_vault(|v| Ok(v.recordings(&session)?)).unwrap();
        assert!(recordings.is_empty(), "a check is never stored");
    }

    #[test]
    fn a_recording_takes_the_vault_marks_phases_and_gives_it_back_sealed() {
        let dir = tempfile::tempdir().unwrap();
        let (vaults, session) = vault_with_session(&dir);
        let rec = service();
        rec.start_check(None).unwrap();
        let started = rec.start(&vaults, &session, Some(FAKE_INPUT)).unwrap();
        assert_eq!(started.format, "48000 Hz, 2 ch, i16");
        assert!(rec.is_recording());
        assert_eq!(vaults.with_vault(|_| Ok(())).unwrap_err().code, "vault.locked", "the recorder owns the vault");
        assert_eq!(rec.start_check(None).unwrap_err().code, "app.capture_busy");
        wait_until(|| rec.status().unwrap().elapsed_ms >= 300);
        let m = rec.marker().unwrap();
        let p = rec.phase(2).unwrap();
        assert_eq!(p.kind, "free_narrative");
        assert_eq!(rec.phase(5).unwrap_err().code, "app.bad_phase");
        wait_until(|| rec.status().unwrap().elapsed_ms >= 600);
        let live = rec.status().unwrap();
        assert_eq!((live.mode.as_str(), live.markers, live.phase.as_deref()), ("recording", 1, Some("free_narrative")));
        let summary = rec.stop(&vaults).unwrap();
        assert_eq!(summary.state, "sealed");
        assert!(summary.duration_ms >= 600);
        assert_eq!(summary.marks.len(), 2);
        assert_eq!(summary.marks[0].at_ms, m.at_ms);
        assert_eq!(summary.sha256.len(), 64);
        assert!(!rec.is_recording() && rec.status().is_none());
        // The vault is back, and its custody log has the same hash.
        let lines = vaults.with_vault(|v| Ok(v.custody_lines(&v.session(&session)?.case_id)?)).unwrap();
        assert!(lines.iter().any(|l| l.line.contains("HASH_RECORDED") && l.line.contains(&summary.sha256)));
        assert_eq!(rec.stop(&vaults).unwrap_err().code, "app.not_recording");
    }

    #[test]
    fn an_interrupted_recording_is_recovered_at_unlock_and_announced_once() {
        let dir = tempfile::tempdir().unwrap();
        let (vaults, session) = vault_with_session(&dir);
        // A recorder that died: its recording was begun and never sealed.
        vaults
            .with_vault(|v| {
                let origin = relato_vault::Origin::Captured { device: "mic".into(), format: FAKE_FORMAT };
                let (_, mut audio, _) = v.begin_recording(&session, origin)?;
                audio.write(&vec![0u8; 4 * 48_000])?;
                audio.commit()?;
                Ok(())
            })
            .unwrap();
        assert!(vaults.lock());
        let rec = service();
        vaults.unlock("Ana", PASS.into()).unwrap();
        rec.recover_at_unlock(&vaults);
        let notices = rec.take_recovered().unwrap();
        assert_eq!(notices.len(), 1);
        assert_eq!((notices[0].session_id.as_str(), notices[0].duration_ms), (session.as_str(), 1000));
        assert!(rec.take_recovered().unwrap().is_empty(), "announced once");
    }

    #[test]
    fn a_failed_start_gives_the_vault_back() {
        let dir = tempfile::tempdir().unwrap();
        let (vaults, session) = vault_with_session(&dir);
        let rec = service();
        assert_eq!(rec.start(&vaults, &session, Some("no such mic")).unwrap_err().code, "capture.device_not_found");
        assert_eq!(rec.start(&vaults, "sess-unknown", None).unwrap_err().code, "record.not_found");
        vaults.with_vault(|_| Ok(())).expect("still unlocked");
        assert!(!rec.is_recording());
    }
}

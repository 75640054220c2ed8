//! The types that cross IPC. They mirror the vault's records but are the
//! shell's own contract: `specta` derives their TypeScript twins into
//! `ui/src/bindings.ts`, and the vault crate stays free of binding crates.

use relato_vault::{Case, Me, Session};
use serde::{Deserialize, Serialize};
use specta::Type;

use crate::error::CommandError;

/// What the start screen needs: where the vault is and what state it is in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
pub struct VaultStatus {
    /// The vault file, as shown to the user.
    pub path: String,
    pub probe: VaultState,
}

/// The vault's state as this app sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum VaultState {
    /// Nothing there yet: the first run creates it.
    Missing,
    /// Closed and free to open.
    Locked { vault_id: String, format_version: u32 },
    /// Open in this app, as `me`.
    Unlocked { vault_id: String, format_version: u32, me: MeView },
}

/// Who the vault is unlocked as.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
pub struct MeView {
    pub name: String,
    /// `administrator`, `interviewer`, `reviewer`, `litigator` or `recovery`.
    pub role: String,
    pub institution: String,
}

impl From<&Me> for MeView {
    fn from(me: &Me) -> Self {
        MeView { name: me.name.clone(), role: me.role.to_string(), institution: me.institution.clone() }
    }
}

/// The first run's form.
#[derive(Debug, Clone, Deserialize, Type)]
pub struct NewVaultInput {
    pub organisation: String,
    pub admin_name: String,
    pub passphrase: String,
}

/// A new vault, unlocked as its administrator, and its recovery code —
/// returned this once and stored nowhere.
#[derive(Debug, Clone, Serialize, Type)]
pub struct CreatedVault {
    pub recovery_code: String,
    pub me: MeView,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
pub struct CaseView {
    pub id: String,
    pub rev: u32,
    pub reference: String,
    pub place: Option<String>,
    pub institution: Option<String>,
    pub created_at: String,
}

impl From<Case> for CaseView {
    fn from(c: Case) -> Self {
        CaseView {
            id: c.id,
            rev: c.rev,
            reference: c.reference,
            place: c.place,
            institution: c.institution,
            created_at: c.created_at,
        }
    }
}

/// Every readable case, plus one error per damaged one (the rest stay
/// readable, design brief §3.8).
#[derive(Debug, Clone, PartialEq, Serialize, Type)]
pub struct CaseList {
    pub cases: Vec<CaseView>,
    pub damaged: Vec<CommandError>,
}

#[derive(Debug, Clone, Default, Deserialize, Type)]
pub struct CaseInput {
    pub reference: String,
    pub place: Option<String>,
    pub institution: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
pub struct SessionView {
    pub id: String,
    pub case_id: String,
    pub rev: u32,
    pub child_code: String,
    pub age_years: u8,
    /// `es` or `en`.
    pub language: String,
    /// The interviewer's login name when known, else their user id.
    pub interviewer: String,
    /// Role identifiers (`psychologist`, `guardian`, …); never names.
    pub persons_present: Vec<String>,
    pub protocol: Option<String>,
    pub consent_reference: Option<String>,
    pub location: Option<String>,
    pub created_at: String,
}

impl SessionView {
    pub(crate) fn new(s: Session, interviewer: String) -> Self {
        SessionView {
            id: s.id,
            case_id: s.case_id,
            rev: s.rev,
            child_code: s.fields.child_code,
            age_years: s.fields.age_years,
            language: s.fields.language.as_str().to_owned(),
            interviewer,
            persons_present: s.fields.persons_present.iter().map(|r| r.as_str().to_owned()).collect(),
            protocol: s.fields.protocol,
            consent_reference: s.fields.consent_reference,
            location: s.fields.location,
            created_at: s.created_at,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Type)]
pub struct SessionList {
    pub sessions: Vec<SessionView>,
    pub damaged: Vec<CommandError>,
}

/// A new session of a case. There is no field for the child's name.
#[derive(Debug, Clone, Deserialize, Type)]
pub struct SessionInput {
    pub case_id: String,
    pub child_code: String,
    /// Wider than the vault's `u8` so that an out-of-range age gets the
    /// vault's translated message rather than a deserialisation failure.
    pub age_years: u32,
    pub language: String,
    pub persons_present: Vec<String>,
    pub protocol: Option<String>,
    pub consent_reference: Option<String>,
    pub location: Option<String>,
}

/// Why the vault was locked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "snake_case")]
pub enum LockReason {
    /// The lock button or Ctrl+L.
    Command,
    /// No keyboard or pointer activity for the configured time.
    Idle,
}

/// One audio input, as About and the device picker list it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
pub struct DeviceView {
    pub name: String,
    /// The format Relato would record in (`44100 Hz, 2 ch, f32`), if any.
    pub format: Option<String>,
    /// Bluetooth inputs drop out and compress speech: the picker warns.
    pub bluetooth: bool,
}

impl From<relato_capture::InputDevice> for DeviceView {
    fn from(d: relato_capture::InputDevice) -> Self {
        DeviceView { format: d.format.as_ref().map(relato_capture::device::describe), bluetooth: d.bluetooth, name: d.name }
    }
}

/// Version, build and environment facts; nothing personal.
#[derive(Debug, Clone, PartialEq, Serialize, Type)]
pub struct AboutInfo {
    pub version: String,
    /// The git commit the app was built from, or the build profile.
    pub build: String,
    /// The vault format this build writes.
    pub format_supported: u32,
    /// The format of the vault file, when it can be read.
    pub format_file: Option<u32>,
    /// The vault path with the home directory shown as `~`.
    pub vault_path: String,
    pub os: String,
    pub devices: Vec<DeviceView>,
    /// Why the devices could not be listed, if they could not.
    pub devices_error: Option<CommandError>,
}

/// The vault's rules the forms apply before sending (the vault checks
/// them again). One constant: tauri-specta orders several at random.
#[derive(Debug, Clone, Serialize, Type)]
pub struct Limits {
    pub min_passphrase_chars: u32,
    pub max_age_years: u8,
    /// Role identifiers for "persons present", in the vault's order.
    pub present_roles: Vec<String>,
}

impl Limits {
    pub fn of_vault() -> Self {
        Limits {
            min_passphrase_chars: relato_vault::MIN_PASSPHRASE_CHARS as u32,
            max_age_years: relato_vault::MAX_AGE_YEARS,
            present_roles: relato_vault::PresentRole::ALL.iter().map(|r| r.as_str().to_owned()).collect(),
        }
    }
}

//! Evidence bundles in the app: thin adapters over `relato-evidence`.
//!
//! `export_bundle` writes a bundle of sessions of one case into the
//! downloads folder (or the home folder when there is none), under a fresh
//! ASCII name, never over anything. Export owns the vault for as long as it
//! hashes and writes (seconds for an hour of audio): it borrows it with
//! [`VaultService::take_vault`] on a blocking thread, so no lock the window
//! needs is held meanwhile, and always gives it back. `verify_bundle`
//! checks any bundle and needs no vault at all.
//!
//! `log_handover` records an `ENTREGA` or `RECEPCION` in a case's custody
//! (a bundle named with it is verified first, off the main thread, and must
//! be of that case, as `relato handover` demands). `receive_bundle` takes
//! another vault's bundle in, like `relato receive`: it imports originals,
//! so it borrows the vault the way an export does, one at a time, and the
//! window refuses to close meanwhile.
//!
//! Passphrases and age keys arrive as strings; they become `SecretString`s
//! at once, the strings are zeroised, and neither is logged or echoed.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};

use age::secrecy::SecretString;
use relato_evidence::{AgeKey, AgeRecipients, EvidenceError, Exported, Packaging, Received, Verified};
use relato_vault::{HandOver, HandOverKind};
use serde::{Deserialize, Serialize};
use specta::Type;
use tauri::{AppHandle, Manager};
use zeroize::{Zeroize, Zeroizing};

use crate::downloads::{save_dir, SaveFolder};
use crate::error::CommandError;
use crate::service::VaultService;

/// Codes the evidence commands raise themselves (the crate's are in
/// `relato_evidence::EVIDENCE_ERROR_CODES`).
pub const EVIDENCE_APP_ERROR_CODES: &[&str] = &[
    "app.export_busy",
    "app.redaction_one_session",
    "app.no_save_folder",
    "app.age_passphrase_short",
    "app.age_identity_unreadable",
    "app.verify_path_empty",
    "app.receive_busy",
    "app.bundle_other_case",
    "app.handover_counterpart_empty",
];

/// How the bundle is packaged, as the export form chooses it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "snake_case")]
pub enum PackagingKind {
    Folder,
    Zip,
    /// A zip encrypted to the recipients' age public keys (`age1…`).
    AgeKeys,
    /// A zip encrypted with a passphrase (age's scrypt).
    AgePassphrase,
}

/// The form's packaging choice. Only the fields its `kind` needs are read;
/// the passphrase is zeroised when this is dropped.
#[derive(Deserialize, Type)]
pub struct PackagingInput {
    pub kind: PackagingKind,
    pub age_recipients: Vec<String>,
    pub age_passphrase: Option<String>,
}

impl Drop for PackagingInput {
    fn drop(&mut self) {
        if let Some(p) = self.age_passphrase.as_mut() {
            p.zeroize();
        }
    }
}

impl PackagingInput {
    /// The crate's packaging. A passphrase shorter than the vault's own
    /// minimum is refused: the encrypted file may travel far and be
    /// attacked offline for as long as anyone likes.
    fn into_packaging(mut self) -> Result<Packaging, CommandError> {
        Ok(match self.kind {
            PackagingKind::Folder => Packaging::Folder,
            PackagingKind::Zip => Packaging::Zip,
            PackagingKind::AgeKeys => {
                let keys = self.age_recipients.iter().map(|k| k.trim().to_owned()).filter(|k| !k.is_empty()).collect();
                Packaging::Age(AgeRecipients::Keys(keys))
            }
            PackagingKind::AgePassphrase => {
                let passphrase = Zeroizing::new(self.age_passphrase.take().unwrap_or_default());
                let min = relato_vault::MIN_PASSPHRASE_CHARS;
                if passphrase.chars().count() < min {
                    return Err(CommandError::new("app.age_passphrase_short", format!("the passphrase must have at least {min} characters"))
                        .with_arg_default("min", min.to_string()));
                }
                Packaging::Age(AgeRecipients::Passphrase(secret(passphrase)))
            }
        })
    }
}

/// A `SecretString` from `text`, without leaving a copy behind: the
/// secret is built from an exact-size copy (so no reallocation strands a
/// buffer) and `text` is zeroised when dropped.
fn secret(text: Zeroizing<String>) -> SecretString {
    SecretString::from(text.as_str())
}

/// What to export, as the command receives it.
pub struct ExportInput {
    pub sessions: Vec<String>,
    pub purpose: Option<String>,
    pub recipient: Option<String>,
    pub packaging: PackagingInput,
    pub redaction: Option<RedactionInput>,
}

/// A redacted version to add to the bundle (`derivatives/<S>/redacted/`):
/// phrases replaced in every transcript of the bundle, stretches silenced
/// in the originals of its one session (times belong to one recording).
#[derive(Debug, Clone, Deserialize, Type)]
pub struct RedactionInput {
    pub phrases: Vec<PhraseRedaction>,
    pub silences: Vec<SilenceRedaction>,
}

#[derive(Debug, Clone, Deserialize, Type)]
pub struct SilenceRedaction {
    pub start_ms: u64,
    pub end_ms: u64,
    pub reason: String,
}

#[derive(Debug, Clone, Deserialize, Type)]
pub struct PhraseRedaction {
    pub find: String,
    pub replacement: String,
    pub reason: String,
}

impl RedactionInput {
    /// Per session: the phrases where there is a transcript to apply them
    /// to, the silences when the bundle holds one session.
    fn for_sessions(&self, vault: &relato_vault::Vault, sessions: &[String]) -> Result<Vec<relato_evidence::SessionRedaction>, CommandError> {
        if !self.silences.is_empty() && sessions.len() != 1 {
            return Err(CommandError::new("app.redaction_one_session", "stretches of audio belong to one session's recordings"));
        }
        let mut out = Vec::new();
        for session in sessions {
            let has_transcript = relato_review::stored::latest_transcript(vault, session)?.is_some();
            let text: Vec<relato_review::TextRedaction> = if has_transcript {
                self.phrases
                    .iter()
                    .map(|p| relato_review::TextRedaction::Phrase { find: p.find.clone(), replacement: p.replacement.clone(), reason: p.reason.clone() })
                    .collect()
            } else {
                Vec::new()
            };
            if !text.is_empty() || !self.silences.is_empty() {
                let audio = self
                    .silences
                    .iter()
                    .map(|a| relato_evidence::AudioRedaction { start_ms: a.start_ms, end_ms: a.end_ms, reason: a.reason.clone() })
                    .collect();
                out.push(relato_evidence::SessionRedaction { session: session.clone(), text, audio });
            }
        }
        Ok(out)
    }
}

/// One original in a bundle.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
pub struct BundleItemView {
    /// `EV-001`, …
    pub id: String,
    /// The session's label in the bundle (`S01`).
    pub session: String,
    /// Its path inside the bundle (`evidence/EV-001.wav`).
    pub file: String,
    pub sha256: String,
    pub bytes: u64,
}

impl From<&relato_evidence::manifest::Item> for BundleItemView {
    fn from(i: &relato_evidence::manifest::Item) -> Self {
        BundleItemView { id: i.id.clone(), session: i.session.clone(), file: i.file.clone(), sha256: i.sha256.clone(), bytes: i.bytes }
    }
}

/// A written bundle.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
pub struct ExportedView {
    /// Where it was written, in full.
    pub path: String,
    /// The folder's or file's name.
    pub name: String,
    pub folder: SaveFolder,
    pub packaging: PackagingKind,
    pub manifest_sha256: String,
    /// The zip's SHA-256 (inside the encryption, if any).
    pub zip_sha256: Option<String>,
    /// The encrypted file's SHA-256: what is handed over.
    pub age_sha256: Option<String>,
    pub items: Vec<BundleItemView>,
    /// Files the manifest lists.
    pub files: u32,
    /// Folders of redacted versions in the bundle (`derivatives/S01/redacted`).
    pub redacted: Vec<String>,
}

impl ExportedView {
    fn new(done: Exported, folder: SaveFolder, packaging: PackagingKind) -> Self {
        ExportedView {
            name: done.path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default(),
            path: done.path.display().to_string(),
            folder,
            packaging,
            items: done.manifest.items.iter().map(BundleItemView::from).collect(),
            files: u32::try_from(done.manifest.files.len()).unwrap_or(u32::MAX),
            redacted: {
                let mut dirs: Vec<String> = done
                    .manifest
                    .files
                    .iter()
                    .filter_map(|f| f.path.strip_suffix("/redaction.json").map(str::to_owned))
                    .collect();
                dirs.sort();
                dirs
            },
            manifest_sha256: done.manifest_sha256,
            zip_sha256: done.zip_sha256,
            age_sha256: done.age_sha256,
        }
    }
}

/// A bundle that verified: everything in it checked out.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
pub struct VerifiedView {
    /// Always true: a failure is the command's error.
    pub ok: bool,
    pub case_reference: String,
    /// The exporter's name, as certified by the organisation.
    pub exported_by: String,
    pub exported_by_role: String,
    pub exported_by_institution: String,
    /// UTC, as the manifest records it.
    pub exported_at: String,
    /// The organisation key's minisign number, to compare with one known
    /// from elsewhere.
    pub organisation_key: String,
    pub purpose: Option<String>,
    pub recipient: Option<String>,
    /// Files checked against `SHA256SUMS`.
    pub files: u32,
    pub custody_lines: u64,
    pub items: Vec<BundleItemView>,
}

impl From<Verified> for VerifiedView {
    fn from(v: Verified) -> Self {
        let m = v.manifest;
        VerifiedView {
            ok: true,
            case_reference: m.case.reference,
            exported_by: m.exported_by.name,
            exported_by_role: m.exported_by.role,
            exported_by_institution: m.exported_by.institution,
            exported_at: m.created_at,
            organisation_key: m.organisation.minisign_key,
            purpose: m.purpose,
            recipient: m.recipient,
            files: u32::try_from(v.files).unwrap_or(u32::MAX),
            custody_lines: v.custody_lines,
            items: m.items.iter().map(BundleItemView::from).collect(),
        }
    }
}

/// Set while the app's export runs: one at a time, since it owns the vault.
static EXPORTING: AtomicBool = AtomicBool::new(false);

/// Set while a reception runs: it owns the vault too.
static RECEIVING: AtomicBool = AtomicBool::new(false);

/// Whether an export is being written or a bundle received (the window
/// refuses to close: a bundle cut short would leave a `.partial` file and
/// no custody line; a reception cut short, a case half taken in).
pub fn bundle_work_running() -> bool {
    EXPORTING.load(Ordering::SeqCst) || RECEIVING.load(Ordering::SeqCst)
}

/// Holds the vault lent for an export and gives it back however the
/// export ends (error or panic included), then clears the busy flag.
struct Lent<'a> {
    service: &'a VaultService,
    busy: &'a AtomicBool,
    vault: Option<relato_vault::Vault>,
}

impl Drop for Lent<'_> {
    fn drop(&mut self) {
        if let Some(v) = self.vault.take() {
            self.service.give_back(v);
        }
        self.busy.store(false, Ordering::SeqCst);
    }
}

/// `EXP-2026/031` → `EXP-2026-031`: ASCII letters, digits, `-` and `_`
/// only (the bundle's names are ASCII, brief §8); `evidencia` if nothing
/// is left.
pub fn bundle_stem(reference: &str, stamp: &str) -> String {
    let mut stem = String::new();
    for c in reference.trim().chars() {
        let c = if c.is_ascii_alphanumeric() || c == '-' || c == '_' { c } else { '-' };
        if !(c == '-' && stem.ends_with('-')) {
            stem.push(c);
        }
    }
    let stem = stem.trim_matches('-');
    let stem = if stem.is_empty() { "evidencia" } else { stem };
    // Long references would make unwieldy names for the paper form.
    let stem: String = stem.chars().take(60).collect();
    format!("{}-{stamp}", stem.trim_end_matches('-'))
}

/// The file extension of a packaging.
fn extension(kind: PackagingKind) -> &'static str {
    match kind {
        PackagingKind::Folder => "",
        PackagingKind::Zip => ".zip",
        PackagingKind::AgeKeys | PackagingKind::AgePassphrase => ".zip.age",
    }
}

/// `dir/stem.ext`, or `dir/stem-2.ext`, `-3`, … : the first name free
/// along with its `.partial` (where the export writes first). Anything
/// there, even a dangling link, counts as taken.
pub fn fresh_path(dir: &Path, stem: &str, ext: &str) -> PathBuf {
    let taken = |p: &Path| p.symlink_metadata().is_ok() || PathBuf::from(format!("{}.partial", p.display())).symlink_metadata().is_ok();
    let mut path = dir.join(format!("{stem}{ext}"));
    let mut n = 2;
    while taken(&path) {
        path = dir.join(format!("{stem}-{n}{ext}"));
        n += 1;
    }
    path
}

/// Where and when an export writes.
pub struct Destination<'a> {
    pub dir: &'a Path,
    pub folder: SaveFolder,
    /// Local `yyyymmdd-hhmm`, for the name.
    pub stamp: &'a str,
}

/// Exports into `to.dir` under a fresh name made from the case reference
/// and the time; `busy` is set meanwhile (a second export is refused).
/// Tauri-free, so it is unit-tested.
pub fn export_into(service: &VaultService, busy: &AtomicBool, to: Destination<'_>, input: ExportInput) -> Result<ExportedView, CommandError> {
    let ExportInput { sessions, purpose, recipient, packaging, redaction } = input;
    let kind = packaging.kind;
    let packaging = packaging.into_packaging()?;
    if busy.swap(true, Ordering::SeqCst) {
        return Err(CommandError::new("app.export_busy", "an export is already running"));
    }
    let mut lent = Lent { service, busy, vault: None };
    lent.vault = Some(service.take_vault()?);
    let vault = lent.vault.as_ref().expect("just lent");
    let first = sessions.first().ok_or_else(|| CommandError::from(EvidenceError::NoOriginals))?;
    let reference = vault.case(&vault.session(first)?.case_id)?.reference;
    let out = fresh_path(to.dir, &bundle_stem(&reference, to.stamp), extension(kind));
    let blank = |t: &Option<String>| t.as_deref().map(str::trim).filter(|t| !t.is_empty()).map(str::to_owned);
    let (purpose, recipient) = (blank(&purpose), blank(&recipient));
    let redactions = match &redaction {
        Some(r) => r.for_sessions(vault, &sessions)?,
        None => Vec::new(),
    };
    let request = relato_evidence::ExportRequest {
        sessions: &sessions,
        out: &out,
        purpose: purpose.as_deref(),
        recipient: recipient.as_deref(),
        packaging,
        redactions: &redactions,
    };
    let done = relato_evidence::export(vault, &request)?;
    Ok(ExportedView::new(done, to.folder, kind))
}

/// `~/x` → `<home>/x`; other paths as typed (trimmed).
pub fn typed_path(typed: &str, home: Option<&Path>) -> PathBuf {
    let typed = typed.trim();
    match (typed.strip_prefix("~/"), home) {
        (Some(rest), Some(home)) => home.join(rest),
        _ if typed == "~" => home.map_or_else(|| PathBuf::from(typed), Path::to_path_buf),
        _ => PathBuf::from(typed),
    }
}

/// The key that opens an encrypted bundle: an identity file's text or a
/// passphrase (the file wins when both are given; the form sends one).
fn age_key(identity: Option<&Path>, passphrase: Option<Zeroizing<String>>) -> Result<Option<AgeKey>, CommandError> {
    if let Some(path) = identity {
        let unreadable = |e: std::io::Error| {
            CommandError::new("app.age_identity_unreadable", format!("{}: {e}", path.display()))
                .with_arg_default("path", path.display().to_string())
                .with_arg_default("reason", e.to_string())
        };
        // Read into a buffer of the file's size, so that no reallocation
        // leaves a copy of the secret key behind unzeroised.
        let mut file = std::fs::File::open(path).map_err(unreadable)?;
        let size = file.metadata().map_err(unreadable)?.len();
        let mut text = Zeroizing::new(String::with_capacity(usize::try_from(size).unwrap_or(0).saturating_add(1)));
        std::io::Read::read_to_string(&mut file, &mut text).map_err(unreadable)?;
        return Ok(Some(AgeKey::Identities(secret(text))));
    }
    Ok(passphrase.filter(|p| !p.is_empty()).map(|p| AgeKey::Passphrase(secret(p))))
}

/// Verifies the bundle at `path` (a folder, a zip or an age-encrypted zip).
pub fn verify_at(path: &Path, identity: Option<&Path>, passphrase: Option<Zeroizing<String>>) -> Result<VerifiedView, CommandError> {
    if path.as_os_str().is_empty() {
        return Err(CommandError::new("app.verify_path_empty", "no bundle was named"));
    }
    let key = age_key(identity, passphrase)?;
    Ok(relato_evidence::verify(path, key.as_ref()).map(VerifiedView::from)?)
}

/// Trimmed text, or `None` when nothing is left.
fn blank(text: Option<String>) -> Option<String> {
    text.map(|t| t.trim().to_owned()).filter(|t| !t.is_empty())
}

/// Which way a hand-over went, as the form chooses it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "snake_case")]
pub enum HandOverDirection {
    /// Handed to someone: `ENTREGA`.
    Delivery,
    /// Received from someone: `RECEPCION`.
    Receipt,
}

impl HandOverDirection {
    fn kind(self) -> HandOverKind {
        match self {
            HandOverDirection::Delivery => HandOverKind::Delivery,
            HandOverDirection::Receipt => HandOverKind::Receipt,
        }
    }

    /// The custody event it is logged as.
    fn event(self) -> &'static str {
        match self {
            HandOverDirection::Delivery => "ENTREGA",
            HandOverDirection::Receipt => "RECEPCION",
        }
    }
}

/// The other side of a hand-over and how it went, as typed. Blank text is
/// absent; the other person is required.
pub struct HandOverDetails {
    pub counterpart: String,
    pub institution: Option<String>,
    pub purpose: Option<String>,
    pub medium: Option<String>,
    pub seal: Option<String>,
}

impl HandOverDetails {
    fn cleaned(self) -> Result<HandOverDetails, CommandError> {
        let counterpart = self.counterpart.trim().to_owned();
        if counterpart.is_empty() {
            return Err(CommandError::new("app.handover_counterpart_empty", "the other person of the hand-over was not named"));
        }
        Ok(HandOverDetails {
            counterpart,
            institution: blank(self.institution),
            purpose: blank(self.purpose),
            medium: blank(self.medium),
            seal: blank(self.seal),
        })
    }

    fn handover<'a>(&'a self, kind: HandOverKind, bundle_sha256: Option<&'a str>, file_sha256: Option<&'a str>) -> HandOver<'a> {
        HandOver {
            kind,
            counterpart: &self.counterpart,
            institution: self.institution.as_deref(),
            purpose: self.purpose.as_deref(),
            medium: self.medium.as_deref(),
            seal: self.seal.as_deref(),
            bundle_sha256,
            file_sha256,
        }
    }
}

/// A bundle named in a form, with what opens it when it is encrypted.
pub struct BundleAt {
    pub path: PathBuf,
    pub identity: Option<PathBuf>,
    pub passphrase: Option<Zeroizing<String>>,
}

impl BundleAt {
    /// From the command's strings: `~/` expanded, a blank key path absent,
    /// the passphrase zeroised when dropped.
    fn typed(path: &str, identity: Option<String>, passphrase: Option<String>, home: Option<&Path>) -> BundleAt {
        BundleAt {
            path: typed_path(path, home),
            identity: identity.filter(|p| !p.trim().is_empty()).map(|p| typed_path(&p, home)),
            passphrase: passphrase.map(Zeroizing::new),
        }
    }

    fn key(self) -> Result<(PathBuf, Option<AgeKey>), CommandError> {
        if self.path.as_os_str().is_empty() {
            return Err(CommandError::new("app.verify_path_empty", "no bundle was named"));
        }
        let key = age_key(self.identity.as_deref(), self.passphrase)?;
        Ok((self.path, key))
    }
}

/// A hand-over as it was logged.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
pub struct HandOverLogged {
    /// `ENTREGA` or `RECEPCION`.
    pub event: String,
    pub case_id: String,
    pub counterpart: String,
    /// The manifest SHA-256 of the bundle that went with it, if one did.
    pub bundle_sha256: Option<String>,
    /// The SHA-256 of the bundle's file (zip or encrypted zip); none for a folder.
    pub file_sha256: Option<String>,
}

/// Logs a hand-over of `case_id`'s evidence. A bundle named with it is
/// verified first (no vault needed, so nothing is held meanwhile) and must
/// be of this case; its manifest's and file's SHA-256 go into the line.
/// Tauri-free, so it is unit-tested.
pub fn log_handover_at(
    service: &VaultService,
    case_id: &str,
    direction: HandOverDirection,
    details: HandOverDetails,
    bundle: Option<BundleAt>,
) -> Result<HandOverLogged, CommandError> {
    let details = details.cleaned()?;
    // An unknown case or a locked vault is said before a long verification.
    service.with_vault(|v| Ok(v.case(case_id)?))?;
    let mut hashes = None;
    if let Some(bundle) = bundle {
        let (path, key) = bundle.key()?;
        let verified = relato_evidence::verify(&path, key.as_ref())?;
        if verified.manifest.case.id != case_id {
            return Err(CommandError::new("app.bundle_other_case", format!("{} is a bundle of another case", path.display()))
                .with_arg_default("path", path.display().to_string())
                .with_arg_default("reference", verified.manifest.case.reference.clone()));
        }
        let file = if path.is_file() { Some(relato_evidence::file_sha256(&path)?) } else { None };
        hashes = Some((verified.manifest_sha256, file));
    }
    let bundle_sha256 = hashes.as_ref().map(|h| h.0.clone());
    let file_sha256 = hashes.and_then(|h| h.1);
    let line = details.handover(direction.kind(), bundle_sha256.as_deref(), file_sha256.as_deref());
    service.with_vault(|v| Ok(v.log_handover(case_id, &line)?))?;
    Ok(HandOverLogged {
        event: direction.event().to_owned(),
        case_id: case_id.to_owned(),
        counterpart: details.counterpart.clone(),
        bundle_sha256,
        file_sha256,
    })
}

/// A session the bundle held, and the one it became here.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
pub struct ReceivedSessionView {
    /// Its label in the bundle (`S01`).
    pub label: String,
    pub session_id: String,
    /// The child's code, as the bundle carried it (never a name).
    pub child_code: String,
}

/// An original imported byte for byte.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
pub struct ReceivedOriginalView {
    /// Its id in the bundle (`EV-001`).
    pub item: String,
    pub recording_id: String,
    /// The same here as in the bundle.
    pub sha256: String,
}

/// What a reception made here.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
pub struct ReceivedView {
    pub case_id: String,
    pub case_reference: String,
    /// Whether the case was made for this bundle (else it was chosen).
    pub new_case: bool,
    pub manifest_sha256: String,
    /// The received file's SHA-256, as the `RECEPCION` line names it (none
    /// for a folder).
    pub file_sha256: Option<String>,
    pub sessions: Vec<ReceivedSessionView>,
    pub originals: Vec<ReceivedOriginalView>,
    pub transcripts: u32,
    pub annotations: u32,
    /// Annotations with codes this vault does not know: not added, but
    /// kept in the received files.
    pub annotations_not_taken: u32,
}

fn count(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

impl ReceivedView {
    fn new(got: Received, case_reference: String, new_case: bool, file_sha256: Option<String>, sessions: Vec<ReceivedSessionView>) -> Self {
        ReceivedView {
            case_reference,
            new_case,
            file_sha256,
            sessions,
            originals: got
                .originals
                .into_iter()
                .map(|o| ReceivedOriginalView { item: o.item, recording_id: o.recording_id, sha256: o.sha256 })
                .collect(),
            transcripts: count(got.transcripts),
            annotations: count(got.annotations),
            annotations_not_taken: count(got.annotations_not_taken),
            case_id: got.case_id,
            manifest_sha256: got.manifest_sha256,
        }
    }
}

/// What to receive, as the command receives it.
pub struct ReceiveInput {
    pub bundle: BundleAt,
    /// A case of this vault; else a new one with the bundle's reference.
    pub into_case: Option<String>,
    pub from: HandOverDetails,
}

/// The `file_sha256` of the case's latest `RECEPCION` naming `manifest_sha256`.
fn received_file_sha256(v: &relato_vault::Vault, case_id: &str, manifest_sha256: &str) -> Result<Option<String>, CommandError> {
    let lines = v.custody_lines(case_id)?;
    Ok(lines.iter().rev().find_map(|l| {
        let entry: relato_vault::custody::Entry = serde_json::from_str(&l.line).ok()?;
        let names = entry.event == "RECEPCION" && entry.objects.first().is_some_and(|o| o.sha256 == manifest_sha256);
        names.then(|| entry.details.get("file_sha256").and_then(|f| f.as_str()).map(str::to_owned))?
    }))
}

/// Receives another vault's bundle (verified first, in full) into a case
/// here; `busy` is set meanwhile (a second reception is refused).
/// Tauri-free, so it is unit-tested.
pub fn receive_into(service: &VaultService, busy: &AtomicBool, input: ReceiveInput) -> Result<ReceivedView, CommandError> {
    let ReceiveInput { bundle, into_case, from } = input;
    let from = from.cleaned()?;
    let into_case = blank(into_case);
    let (path, key) = bundle.key()?;
    if busy.swap(true, Ordering::SeqCst) {
        return Err(CommandError::new("app.receive_busy", "a bundle is already being received"));
    }
    let mut lent = Lent { service, busy, vault: None };
    lent.vault = Some(service.take_vault()?);
    let vault = lent.vault.as_ref().expect("just lent");
    let request = relato_evidence::ReceiveRequest {
        path: &path,
        key: key.as_ref(),
        into_case: into_case.as_deref(),
        from: &from.counterpart,
        institution: from.institution.as_deref(),
        purpose: from.purpose.as_deref(),
        medium: from.medium.as_deref(),
        seal: from.seal.as_deref(),
    };
    let got = relato_evidence::receive(vault, &request)?;
    // Received and logged: what follows only describes it, so a record
    // that cannot be read back leaves a gap in the summary, not an error.
    let reference = vault.case(&got.case_id).map_or_else(|_| got.case_id.clone(), |c| c.reference);
    let file_sha256 = received_file_sha256(vault, &got.case_id, &got.manifest_sha256).unwrap_or(None);
    let sessions = got
        .sessions
        .iter()
        .map(|(label, id)| ReceivedSessionView {
            label: label.clone(),
            session_id: id.clone(),
            child_code: vault.session(id).map(|s| s.fields.child_code).unwrap_or_default(),
        })
        .collect();
    Ok(ReceivedView::new(got, reference, into_case.is_none(), file_sha256, sessions))
}

/// Exports sessions of one case as an evidence bundle into the downloads
/// folder (else the home folder), under a fresh name: `EXP-2026-031-
/// 20260301-1015`, with `.zip` or `.zip.age`. Logged in the case's custody
/// as `EXPORT_CREATED`.
#[tauri::command]
#[specta::specta]
pub async fn export_bundle(
    app: AppHandle,
    sessions: Vec<String>,
    purpose: Option<String>,
    recipient: Option<String>,
    packaging: PackagingInput,
    redaction: Option<RedactionInput>,
) -> Result<ExportedView, CommandError> {
    let input = ExportInput { sessions, purpose, recipient, packaging, redaction };
    // A reception owns the vault: say so rather than "locked".
    if RECEIVING.load(Ordering::SeqCst) {
        return Err(CommandError::new("app.receive_busy", "a bundle is being received"));
    }
    let paths = app.path();
    let (dir, folder) = save_dir(paths.download_dir().ok().as_deref(), paths.home_dir().ok().as_deref())
        .ok_or_else(|| CommandError::new("app.no_save_folder", "there is neither a downloads folder nor a home folder to write to"))?;
    let stamp = chrono::Local::now().format("%Y%m%d-%H%M").to_string();
    // Hashing and writing an hour of audio takes seconds: a blocking
    // thread, not one of the runtime's few workers.
    tauri::async_runtime::spawn_blocking(move || {
        export_into(&app.state::<VaultService>(), &EXPORTING, Destination { dir: &dir, folder, stamp: &stamp }, input)
    })
        .await
        .map_err(|e| CommandError::new("app.ipc", e.to_string()))?
}

/// Verifies a bundle: every signature, file, custody line and original.
/// Anyone may verify, unlocked or not. It reads only the bundle and never
/// touches the vault, so — unlike an export — it writes no custody line:
/// there is no vault contact to log.
#[tauri::command]
#[specta::specta]
pub async fn verify_bundle(
    app: AppHandle,
    path: String,
    age_identity_path: Option<String>,
    age_passphrase: Option<String>,
) -> Result<VerifiedView, CommandError> {
    let age_passphrase = age_passphrase.map(Zeroizing::new);
    let home = app.path().home_dir().ok();
    let path = typed_path(&path, home.as_deref());
    let identity = age_identity_path.filter(|p| !p.trim().is_empty()).map(|p| typed_path(&p, home.as_deref()));
    tauri::async_runtime::spawn_blocking(move || verify_at(&path, identity.as_deref(), age_passphrase))
        .await
        .map_err(|e| CommandError::new("app.ipc", e.to_string()))?
}

/// The rest of a hand-over, as the form sends it (blank text is absent).
#[derive(Deserialize, Type)]
pub struct HandOverFields {
    pub institution: Option<String>,
    pub purpose: Option<String>,
    /// USB drive, optical disc, secure transfer…
    pub medium: Option<String>,
    /// The number on the evidence seal or package.
    pub seal: Option<String>,
}

impl HandOverFields {
    fn with(self, counterpart: String) -> HandOverDetails {
        HandOverDetails { counterpart, institution: self.institution, purpose: self.purpose, medium: self.medium, seal: self.seal }
    }
}

/// A bundle named in a form: its path (`~/` allowed) and, when it is
/// encrypted, an age identity file or the passphrase (zeroised when this
/// is dropped).
#[derive(Deserialize, Type)]
pub struct BundleInput {
    pub path: String,
    pub age_identity_path: Option<String>,
    pub age_passphrase: Option<String>,
}

impl Drop for BundleInput {
    fn drop(&mut self) {
        if let Some(p) = self.age_passphrase.as_mut() {
            p.zeroize();
        }
    }
}

impl BundleInput {
    fn resolve(mut self, home: Option<&Path>) -> BundleAt {
        BundleAt::typed(&self.path, self.age_identity_path.take(), self.age_passphrase.take(), home)
    }
}

/// Logs a hand-over of a case's evidence: `ENTREGA` (`delivery`) or
/// `RECEPCION` (`receipt`), with the other person and `details`. A bundle
/// named with it is verified first and must be of the case; the line then
/// names its manifest's and its file's SHA-256.
#[tauri::command]
#[specta::specta]
pub async fn log_handover(
    app: AppHandle,
    case_id: String,
    kind: HandOverDirection,
    counterpart: String,
    details: HandOverFields,
    bundle: Option<BundleInput>,
) -> Result<HandOverLogged, CommandError> {
    let home = app.path().home_dir().ok();
    let bundle = bundle.filter(|b| !b.path.trim().is_empty()).map(|b| b.resolve(home.as_deref()));
    let details = details.with(counterpart);
    // Verifying a bundle hashes every file in it: a blocking thread.
    tauri::async_runtime::spawn_blocking(move || log_handover_at(&app.state::<VaultService>(), &case_id, kind, details, bundle))
        .await
        .map_err(|e| CommandError::new("app.ipc", e.to_string()))?
}

/// Receives another vault's bundle: verified in full, its originals
/// imported byte for byte into `into_case` (else a new case with the
/// bundle's reference), its transcripts and annotations taken, the rest of
/// it kept sealed, and one `RECEPCION` line naming the bundle and each
/// original, received `from` someone. Only administrators and interviewers
/// may (the vault says so).
#[tauri::command]
#[specta::specta]
pub async fn receive_bundle(
    app: AppHandle,
    bundle: BundleInput,
    from: String,
    into_case: Option<String>,
    details: HandOverFields,
) -> Result<ReceivedView, CommandError> {
    let home = app.path().home_dir().ok();
    let input = ReceiveInput { bundle: bundle.resolve(home.as_deref()), into_case, from: details.with(from) };
    // An export owns the vault: say so rather than "locked".
    if EXPORTING.load(Ordering::SeqCst) {
        return Err(CommandError::new("app.export_busy", "an export is running"));
    }
    // Importing an hour of audio takes seconds: a blocking thread.
    tauri::async_runtime::spawn_blocking(move || receive_into(&app.state::<VaultService>(), &RECEIVING, input))
        .await
        .map_err(|e| CommandError::new("app.ipc", e.to_string()))?
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dto::{CaseInput, NewVaultInput};
    use relato_vault::KdfParams;

    const PASS: &str = "una frase de acceso larga";

    fn packaging(kind: PackagingKind) -> PackagingInput {
        PackagingInput { kind, age_recipients: Vec::new(), age_passphrase: None }
    }

    /// A vault unlocked as Ana, with one case and a session holding an
    /// imported one-second WAV.
    fn vault_with_session(dir: &Path) -> (VaultService, String) {
        // The reference's slash is what the bundle-naming test is about.
        let (s, session) = crate::recording::tests::vault_with_case(dir, "EXP-2026/031");
        let wav = dir.join("entrevista.wav");
        let spec = hound::WavSpec { channels: 1, sample_rate: 16_000, bits_per_sample: 16, sample_format: hound::SampleFormat::Int };
        let mut w = hound::WavWriter::create(&wav, spec).unwrap();
        for n in 0..16_000 {
            w.write_sample(((n as f32 * 0.1).sin() * 8000.0) as i16).unwrap();
        }
        w.finalize().unwrap();
        s.with_vault(|v| Ok(relato_capture::import::import_file(v, &session, &wav)?)).unwrap();
        (s, session)
    }

    #[test]
    fn stems_are_ascii_and_carry_the_time() {
        assert_eq!(bundle_stem("EXP-2026-031", "20260301-1015"), "EXP-2026-031-20260301-1015");
        assert_eq!(bundle_stem(" CI/FED/Oax 12 ", "s"), "CI-FED-Oax-12-s");
        assert_eq!(bundle_stem("Año ñ", "s"), "A-o-s");
        assert_eq!(bundle_stem("//", "s"), "evidencia-s");
        assert!(bundle_stem(&"x".repeat(200), "s").len() < 70);
    }

    #[test]
    fn fresh_paths_never_meet_an_existing_name() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        assert_eq!(fresh_path(d, "EXP", ".zip"), d.join("EXP.zip"));
        std::fs::write(d.join("EXP.zip"), "x").unwrap();
        assert_eq!(fresh_path(d, "EXP", ".zip"), d.join("EXP-2.zip"));
        std::fs::write(d.join("EXP-2.zip.partial"), "x").unwrap();
        assert_eq!(fresh_path(d, "EXP", ".zip"), d.join("EXP-3.zip"), "a partial export holds its name");
        std::fs::create_dir(d.join("EXP")).unwrap();
        assert_eq!(fresh_path(d, "EXP", ""), d.join("EXP-2"));
    }

    #[test]
    fn home_is_expanded_in_typed_paths() {
        let home = Path::new("/home/ana");
        assert_eq!(typed_path(" ~/Descargas/x.zip ", Some(home)), home.join("Descargas/x.zip"));
        assert_eq!(typed_path("~", Some(home)), home);
        assert_eq!(typed_path("/tmp/x", Some(home)), Path::new("/tmp/x"));
        assert_eq!(typed_path("~/x", None), Path::new("~/x"));
    }

    #[test]
    fn a_short_age_passphrase_is_refused() {
        let short = PackagingInput { kind: PackagingKind::AgePassphrase, age_recipients: vec![], age_passphrase: Some("corta".into()) };
        let err = short.into_packaging().err().unwrap();
        assert_eq!(err.code, "app.age_passphrase_short");
        assert_eq!(err.args.get("min"), Some(&serde_json::json!(relato_vault::MIN_PASSPHRASE_CHARS.to_string())));
        let keys = PackagingInput { kind: PackagingKind::AgeKeys, age_recipients: vec![" age1abc ".into(), "".into()], age_passphrase: None };
        match keys.into_packaging().unwrap() {
            Packaging::Age(AgeRecipients::Keys(k)) => assert_eq!(k, vec!["age1abc".to_owned()]),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn exports_a_zip_that_verifies_and_a_changed_byte_is_named() {
        let dir = tempfile::tempdir().unwrap();
        let (s, session) = vault_with_session(dir.path());
        let out = dir.path().join("Descargas");
        std::fs::create_dir(&out).unwrap();
        let input = || ExportInput {
            sessions: vec![session.clone()],
            purpose: Some(" Entrega a la Fiscalía ".into()),
            recipient: Some("".into()),
            packaging: packaging(PackagingKind::Zip),
            redaction: None,
        };
        let busy = AtomicBool::new(false);
        let to = || Destination { dir: &out, folder: SaveFolder::Downloads, stamp: "20260301-1015" };
        let done = export_into(&s, &busy, to(), input()).unwrap();
        assert_eq!(done.name, "EXP-2026-031-20260301-1015.zip");
        assert_eq!(done.items.len(), 1);
        assert_eq!(done.items[0].file, "evidence/EV-001.wav");
        let bytes = std::fs::read(out.join(&done.name)).unwrap();
        use sha2::Digest;
        assert_eq!(done.zip_sha256.as_deref(), Some(hex::encode(sha2::Sha256::digest(&bytes)).as_str()));
        assert!(s.cases().is_ok(), "the vault is back after the export");

        let again = export_into(&s, &busy, to(), input()).unwrap();
        assert_eq!(again.name, "EXP-2026-031-20260301-1015-2.zip", "never over an earlier bundle");

        let ok = verify_at(&out.join(&done.name), None, None).unwrap();
        assert!(ok.ok);
        assert_eq!(ok.case_reference, "EXP-2026/031");
        assert_eq!(ok.exported_by, "Ana");
        assert_eq!(ok.purpose.as_deref(), Some("Entrega a la Fiscalía"));
        assert_eq!(ok.recipient, None, "blank text is absent");
        assert_eq!(ok.items, done.items);

        let at = bytes.windows(4).position(|w| w == b"data").unwrap() + 4_000;
        let mut changed = bytes.clone();
        changed[at] ^= 0x01;
        let broken = dir.path().join("broken.zip");
        std::fs::write(&broken, changed).unwrap();
        let err = verify_at(&broken, None, None).unwrap_err();
        assert_eq!(err.code, "evidence.file_altered", "the entry's CRC fails first: {err:?}");
        assert_eq!(err.args.get("file"), Some(&serde_json::json!("evidence/EV-001.wav")));

        // In a folder the hashes themselves differ, and both are shown.
        let folder = ExportInput { packaging: packaging(PackagingKind::Folder), ..input() };
        let plain = export_into(&s, &busy, to(), folder).unwrap();
        let wav = PathBuf::from(&plain.path).join("evidence/EV-001.wav");
        let mut audio = std::fs::read(&wav).unwrap();
        audio[4_000] ^= 0x01;
        std::fs::write(&wav, audio).unwrap();
        let err = verify_at(Path::new(&plain.path), None, None).unwrap_err();
        assert_eq!(err.code, "evidence.file_changed");
        assert_eq!(err.args.get("file"), Some(&serde_json::json!("evidence/EV-001.wav")));
        assert_eq!(err.args.get("expected"), Some(&serde_json::json!(plain.items[0].sha256)));

        // Verification needs no vault.
        s.lock();
        assert!(verify_at(&out.join(&done.name), None, None).is_ok());
        assert_eq!(verify_at(Path::new(""), None, None).unwrap_err().code, "app.verify_path_empty");
    }

    #[test]
    fn a_redacted_version_goes_into_the_bundle_beside_the_original() {
        let dir = tempfile::tempdir().unwrap();
        let (s, session) = vault_with_session(dir.path());
        s.with_vault(|v| {
            let t = relato_review::Transcript {
                segments: vec![relato_review::Segment::new("s1", 0, 900, relato_review::Speaker::Child, "Vivo en la calle Hidalgo.")],
            };
            Ok(relato_review::stored::save_transcript(v, &session, t, None).map(|_| ())?)
        })
        .unwrap();
        let out = dir.path().join("Descargas");
        std::fs::create_dir(&out).unwrap();
        let redaction = RedactionInput {
            phrases: vec![PhraseRedaction { find: "calle hidalgo".into(), replacement: "[DOMICILIO]".into(), reason: "domicilio".into() }],
            silences: vec![SilenceRedaction { start_ms: 200, end_ms: 400, reason: "domicilio".into() }],
        };
        let input = ExportInput {
            sessions: vec![session.clone()],
            purpose: None,
            recipient: None,
            packaging: packaging(PackagingKind::Folder),
            redaction: Some(redaction.clone()),
        };
        let to = Destination { dir: &out, folder: SaveFolder::Downloads, stamp: "20260301-1015" };
        let done = export_into(&s, &AtomicBool::new(false), to, input).unwrap();
        let red = PathBuf::from(&done.path).join("derivatives/S01/redacted");
        let text = std::fs::read_to_string(red.join("transcript.txt")).unwrap();
        assert!(text.contains("[DOMICILIO]") && !text.contains("Hidalgo"), "{text}");
        assert!(red.join("EV-001-redacted.wav").is_file());
        let original = std::fs::read(PathBuf::from(&done.path).join("evidence/EV-001.wav")).unwrap();
        let silenced = std::fs::read(red.join("EV-001-redacted.wav")).unwrap();
        assert_eq!(original.len(), silenced.len());
        assert_ne!(original, silenced, "the stretch is silenced");
        assert!(verify_at(Path::new(&done.path), None, None).is_ok());

        // Times belong to one recording: with two sessions, refused.
        let input = ExportInput {
            sessions: vec![session.clone(), session.clone()],
            purpose: None,
            recipient: None,
            packaging: packaging(PackagingKind::Folder),
            redaction: Some(redaction),
        };
        let to = Destination { dir: &out, folder: SaveFolder::Downloads, stamp: "20260301-1016" };
        assert_eq!(export_into(&s, &AtomicBool::new(false), to, input).unwrap_err().code, "app.redaction_one_session");
    }

    #[test]
    fn an_encrypted_bundle_needs_its_passphrase() {
        let dir = tempfile::tempdir().unwrap();
        let (s, session) = vault_with_session(dir.path());
        let pass = "otra frase de paso bastante larga";
        let input = ExportInput {
            sessions: vec![session],
            purpose: None,
            recipient: None,
            packaging: PackagingInput { kind: PackagingKind::AgePassphrase, age_recipients: vec![], age_passphrase: Some(pass.into()) },
            redaction: None,
        };
        let to = Destination { dir: dir.path(), folder: SaveFolder::Home, stamp: "20260301-1015" };
        let done = export_into(&s, &AtomicBool::new(false), to, input).unwrap();
        assert!(done.name.ends_with(".zip.age"));
        assert!(done.age_sha256.is_some());
        let path = PathBuf::from(&done.path);
        assert_eq!(verify_at(&path, None, None).unwrap_err().code, "evidence.age_key_needed");
        let wrong = Zeroizing::new("no es la frase correcta".to_owned());
        assert_eq!(verify_at(&path, None, Some(wrong)).unwrap_err().code, "evidence.age_decrypt");
        assert!(verify_at(&path, None, Some(Zeroizing::new(pass.to_owned()))).is_ok());
        let missing = dir.path().join("no-such-key.txt");
        let err = verify_at(&path, Some(&missing), None).unwrap_err();
        assert_eq!(err.code, "app.age_identity_unreadable");
        assert_eq!(err.args.get("path"), Some(&serde_json::json!(missing.display().to_string())));
    }

    #[test]
    fn a_bundle_for_an_age_key_opens_with_its_identity_file() {
        use age::secrecy::ExposeSecret;
        let dir = tempfile::tempdir().unwrap();
        let (s, session) = vault_with_session(dir.path());
        let identity = age::x25519::Identity::generate();
        let input = ExportInput {
            sessions: vec![session],
            purpose: None,
            recipient: Some("Fiscalía".into()),
            packaging: PackagingInput { kind: PackagingKind::AgeKeys, age_recipients: vec![identity.to_public().to_string()], age_passphrase: None },
            redaction: None,
        };
        let to = Destination { dir: dir.path(), folder: SaveFolder::Downloads, stamp: "20260301-1015" };
        let done = export_into(&s, &AtomicBool::new(false), to, input).unwrap();
        assert_eq!(done.packaging, PackagingKind::AgeKeys);
        let key_file = dir.path().join("clave.txt");
        std::fs::write(&key_file, format!("# una identidad\n{}\n", identity.to_string().expose_secret())).unwrap();
        let ok = verify_at(Path::new(&done.path), Some(&key_file), None).unwrap();
        assert_eq!(ok.recipient.as_deref(), Some("Fiscalía"));
        let other = dir.path().join("otra.txt");
        std::fs::write(&other, age::x25519::Identity::generate().to_string().expose_secret()).unwrap();
        assert_eq!(verify_at(Path::new(&done.path), Some(&other), None).unwrap_err().code, "evidence.age_decrypt");
    }

    #[test]
    fn a_locked_vault_exports_nothing_and_one_export_runs_at_a_time() {
        let dir = tempfile::tempdir().unwrap();
        let (s, session) = vault_with_session(dir.path());
        let input = |session: &str| ExportInput {
            sessions: vec![session.to_owned()],
            purpose: None,
            recipient: None,
            packaging: packaging(PackagingKind::Folder),
            redaction: None,
        };
        let to = || Destination { dir: dir.path(), folder: SaveFolder::Home, stamp: "t" };
        let busy = AtomicBool::new(false);
        let lent = s.take_vault().unwrap();
        assert_eq!(export_into(&s, &busy, to(), input(&session)).unwrap_err().code, "vault.locked");
        assert!(!busy.load(Ordering::SeqCst), "a refused export leaves nothing busy");
        s.give_back(lent);
        busy.store(true, Ordering::SeqCst);
        assert_eq!(export_into(&s, &busy, to(), input(&session)).unwrap_err().code, "app.export_busy");
        assert!(busy.load(Ordering::SeqCst), "the running export's flag stays");
        busy.store(false, Ordering::SeqCst);
        let none = export_into(&s, &busy, to(), input("no-such-session")).unwrap_err();
        assert_eq!(none.code, "record.not_found");
        assert!(s.cases().is_ok(), "a failed export gives the vault back");
    }

    fn details(who: &str) -> HandOverDetails {
        HandOverDetails {
            counterpart: who.into(),
            institution: Some(" Fiscalía de Oaxaca ".into()),
            purpose: Some("Carpeta de investigación".into()),
            medium: Some("USB".into()),
            seal: Some("".into()),
        }
    }

    fn lines(s: &VaultService, case_id: &str) -> Vec<relato_vault::custody::Entry> {
        s.with_vault(|v| Ok(v.custody_lines(case_id)?)).unwrap().iter().map(|l| serde_json::from_str(&l.line).unwrap()).collect()
    }

    /// A zip of `session` written into `dir`.
    fn zip_of(s: &VaultService, session: &str, dir: &Path) -> ExportedView {
        let input = ExportInput { sessions: vec![session.to_owned()], purpose: None, recipient: None, packaging: packaging(PackagingKind::Zip), redaction: None };
        let to = Destination { dir, folder: SaveFolder::Downloads, stamp: "20260301-1015" };
        export_into(s, &AtomicBool::new(false), to, input).unwrap()
    }

    fn at(path: &Path) -> BundleAt {
        BundleAt { path: path.to_owned(), identity: None, passphrase: None }
    }

    #[test]
    fn a_handover_is_logged_with_and_without_a_bundle() {
        let dir = tempfile::tempdir().unwrap();
        let (s, session) = vault_with_session(dir.path());
        let case_id = s.with_vault(|v| Ok(v.session(&session)?.case_id)).unwrap();

        let plain = log_handover_at(&s, &case_id, HandOverDirection::Delivery, details(" Lic. Ruiz "), None).unwrap();
        assert_eq!(plain.event, "ENTREGA");
        assert_eq!(plain.counterpart, "Lic. Ruiz");
        assert_eq!((plain.bundle_sha256, plain.file_sha256), (None, None));
        let last = lines(&s, &case_id).pop().unwrap();
        assert_eq!(last.event, "ENTREGA");
        assert_eq!(last.details["to"], "Lic. Ruiz");
        assert_eq!(last.details["institution"], "Fiscalía de Oaxaca", "trimmed");
        assert_eq!(last.details["medium"], "USB");
        assert!(!last.details.contains_key("seal"), "blank text is absent");
        assert_eq!(last.purpose.as_deref(), Some("Carpeta de investigación"));
        assert!(last.objects.is_empty());

        let zip = zip_of(&s, &session, dir.path());
        let logged =
            log_handover_at(&s, &case_id, HandOverDirection::Receipt, details("Perito"), Some(at(Path::new(&zip.path)))).unwrap();
        assert_eq!(logged.event, "RECEPCION");
        assert_eq!(logged.bundle_sha256.as_deref(), Some(zip.manifest_sha256.as_str()));
        assert_eq!(logged.file_sha256, zip.zip_sha256);
        let last = lines(&s, &case_id).pop().unwrap();
        assert_eq!(last.event, "RECEPCION");
        assert_eq!(last.details["from"], "Perito");
        assert_eq!(last.objects[0].kind, "bundle");
        assert_eq!(last.objects[0].sha256, zip.manifest_sha256);
        assert_eq!(last.details["file_sha256"], zip.zip_sha256.clone().unwrap().as_str());

        let before = lines(&s, &case_id).len();
        let nobody = log_handover_at(&s, &case_id, HandOverDirection::Delivery, details("  "), None).unwrap_err();
        assert_eq!(nobody.code, "app.handover_counterpart_empty");
        let missing = dir.path().join("no-such.zip");
        let err = log_handover_at(&s, &case_id, HandOverDirection::Delivery, details("Lic. Ruiz"), Some(at(&missing))).unwrap_err();
        assert!(err.code.starts_with("evidence."), "{err:?}");
        assert_eq!(lines(&s, &case_id).len(), before, "nothing logged for a refused hand-over");
    }

    #[test]
    fn a_bundle_of_another_case_is_refused_and_nothing_is_logged() {
        let dir = tempfile::tempdir().unwrap();
        let (s, session) = vault_with_session(dir.path());
        let zip = zip_of(&s, &session, dir.path());
        let other = s.create_case(CaseInput { reference: "EXP-2026/099".into(), place: None, institution: None }).unwrap();
        let before = lines(&s, &other.id).len();
        let err =
            log_handover_at(&s, &other.id, HandOverDirection::Delivery, details("Lic. Ruiz"), Some(at(Path::new(&zip.path)))).unwrap_err();
        assert_eq!(err.code, "app.bundle_other_case");
        assert_eq!(err.args.get("reference"), Some(&serde_json::json!("EXP-2026/031")));
        assert_eq!(err.args.get("path"), Some(&serde_json::json!(zip.path)));
        assert_eq!(lines(&s, &other.id).len(), before);
        assert_eq!(log_handover_at(&s, "no-such-case", HandOverDirection::Delivery, details("X"), None).unwrap_err().code, "record.not_found");
    }

    #[test]
    fn a_bundle_received_into_another_vault_makes_its_case_and_reception() {
        let dir = tempfile::tempdir().unwrap();
        let (a, session) = vault_with_session(dir.path());
        let zip = zip_of(&a, &session, dir.path());

        let there = tempfile::tempdir().unwrap();
        let b = VaultService::at(there.path().join("vault.relato")).with_kdf(KdfParams::insecure_fast());
        b.create(NewVaultInput { organisation: "Fiscalía".into(), admin_name: "Berta".into(), passphrase: PASS.into() }).unwrap();
        let input = || ReceiveInput { bundle: at(Path::new(&zip.path)), into_case: Some(" ".into()), from: details("Ana") };
        let busy = AtomicBool::new(false);
        let got = receive_into(&b, &busy, input()).unwrap();
        assert!(!busy.load(Ordering::SeqCst));
        assert!(got.new_case);
        assert_eq!(got.case_reference, "EXP-2026/031");
        assert_eq!(got.manifest_sha256, zip.manifest_sha256);
        assert_eq!(got.file_sha256, zip.zip_sha256);
        assert_eq!(got.sessions.len(), 1);
        assert_eq!((got.sessions[0].label.as_str(), got.sessions[0].child_code.as_str()), ("S01", "NNA-031"));
        assert_eq!(got.originals.len(), 1);
        assert_eq!(got.originals[0].item, "EV-001");
        assert_eq!(got.originals[0].sha256, zip.items[0].sha256, "the original is the same here");
        assert_eq!(got.annotations_not_taken, 0);

        let cases = b.cases().unwrap().cases;
        assert_eq!(cases.len(), 1);
        assert_eq!(cases[0].id, got.case_id);
        let last = lines(&b, &got.case_id).pop().unwrap();
        assert_eq!(last.event, "RECEPCION");
        assert_eq!(last.details["from"], "Ana");
        assert_eq!(last.objects[0].sha256, zip.manifest_sha256);
        assert!(last.objects.iter().any(|o| o.kind == "original" && o.id == got.originals[0].recording_id));

        // Again, into the case it made: no new case.
        let again = receive_into(&b, &busy, ReceiveInput { into_case: Some(got.case_id.clone()), ..input() }).unwrap();
        assert!(!again.new_case);
        assert_eq!(again.case_id, got.case_id);
        assert_eq!(b.cases().unwrap().cases.len(), 1);

        // One at a time; nobody named, nothing received; the vault is given back.
        busy.store(true, Ordering::SeqCst);
        assert_eq!(receive_into(&b, &busy, input()).unwrap_err().code, "app.receive_busy");
        busy.store(false, Ordering::SeqCst);
        let nobody = ReceiveInput { from: details(""), ..input() };
        assert_eq!(receive_into(&b, &busy, nobody).unwrap_err().code, "app.handover_counterpart_empty");
        let broken = dir.path().join("roto.zip");
        std::fs::write(&broken, b"no es un zip").unwrap();
        let err = receive_into(&b, &busy, ReceiveInput { bundle: at(&broken), ..input() }).unwrap_err();
        assert!(err.code.starts_with("evidence."), "{err:?}");
        assert!(!busy.load(Ordering::SeqCst), "a failed reception leaves nothing busy");
        assert_eq!(b.cases().unwrap().cases.len(), 1, "and the vault is back, unchanged");
    }

    #[test]
    fn a_stale_case_or_a_locked_vault_receives_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let (a, session) = vault_with_session(dir.path());
        let zip = zip_of(&a, &session, dir.path());
        let input = |into: Option<&str>| ReceiveInput { bundle: at(Path::new(&zip.path)), into_case: into.map(str::to_owned), from: details("Ana") };
        let busy = AtomicBool::new(false);
        assert_eq!(receive_into(&a, &busy, input(Some("no-such-case"))).unwrap_err().code, "record.not_found");
        a.lock();
        assert_eq!(receive_into(&a, &busy, input(None)).unwrap_err().code, "vault.locked");
        assert!(!busy.load(Ordering::SeqCst));
    }
}

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
//! Passphrases and age keys arrive as strings; they become `SecretString`s
//! at once, the strings are zeroised, and neither is logged or echoed.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};

use age::secrecy::SecretString;
use relato_evidence::{AgeKey, AgeRecipients, EvidenceError, Exported, Packaging, Verified};
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
    "app.no_save_folder",
    "app.age_passphrase_short",
    "app.age_identity_unreadable",
    "app.verify_path_empty",
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

/// Whether an export is being written (the window refuses to close: a
/// bundle cut short would leave a `.partial` file and no custody line).
pub fn export_running() -> bool {
    EXPORTING.load(Ordering::SeqCst)
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
    let ExportInput { sessions, purpose, recipient, packaging } = input;
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
    let request = relato_evidence::ExportRequest {
        sessions: &sessions,
        out: &out,
        purpose: purpose.as_deref(),
        recipient: recipient.as_deref(),
        packaging,
        // Redacted derivatives are chosen in the CLI for now.
        redactions: &[],
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
) -> Result<ExportedView, CommandError> {
    let input = ExportInput { sessions, purpose, recipient, packaging };
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dto::{CaseInput, NewVaultInput, SessionInput};
    use relato_vault::KdfParams;

    const PASS: &str = "una frase de acceso larga";

    fn packaging(kind: PackagingKind) -> PackagingInput {
        PackagingInput { kind, age_recipients: Vec::new(), age_passphrase: None }
    }

    /// A vault unlocked as Ana, with one case and a session holding an
    /// imported one-second WAV.
    fn vault_with_session(dir: &Path) -> (VaultService, String) {
        let s = VaultService::at(dir.join("vault.relato")).with_kdf(KdfParams::insecure_fast());
        s.create(NewVaultInput { organisation: "ODI".into(), admin_name: "Ana".into(), passphrase: PASS.into() }).unwrap();
        let case = s.create_case(CaseInput { reference: "EXP-2026/031".into(), place: None, institution: None }).unwrap();
        let session = s
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
        let wav = dir.join("entrevista.wav");
        let spec = hound::WavSpec { channels: 1, sample_rate: 16_000, bits_per_sample: 16, sample_format: hound::SampleFormat::Int };
        let mut w = hound::WavWriter::create(&wav, spec).unwrap();
        for n in 0..16_000 {
            w.write_sample(((n as f32 * 0.1).sin() * 8000.0) as i16).unwrap();
        }
        w.finalize().unwrap();
        s.with_vault(|v| Ok(relato_capture::import::import_file(v, &session.id, &wav)?)).unwrap();
        (s, session.id)
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
    fn an_encrypted_bundle_needs_its_passphrase() {
        let dir = tempfile::tempdir().unwrap();
        let (s, session) = vault_with_session(dir.path());
        let pass = "otra frase de paso bastante larga";
        let input = ExportInput {
            sessions: vec![session],
            purpose: None,
            recipient: None,
            packaging: PackagingInput { kind: PackagingKind::AgePassphrase, age_recipients: vec![], age_passphrase: Some(pass.into()) },
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
}

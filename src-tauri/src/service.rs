//! The vault service the commands adapt. It knows nothing of Tauri, so it is
//! tested like any library code.
//!
//! It holds at most one unlocked [`Vault`]. Locking drops it: the vault's
//! keys are zeroised on drop and its file lock is released (the tests check
//! the latter by reopening the file).

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard};

use relato_vault::{
    CaseFields, KdfParams, Language, NewSession, NewVault, PresentRole, SessionFields, Vault, VaultError, VaultProbe,
    MAX_AGE_YEARS,
};
use zeroize::Zeroize;

use crate::dto::{
    CaseInput, CaseList, CaseView, CreatedVault, MeView, NewVaultInput, SessionInput, SessionList, SessionView, VaultState,
    VaultStatus,
};
use crate::error::CommandError;

/// The environment variable that overrides the vault location.
pub const VAULT_ENV: &str = "RELATO_VAULT";

/// Holds the vault location chosen at start-up and, while unlocked, the vault.
pub struct VaultService {
    location: Result<PathBuf, CommandError>,
    kdf: KdfParams,
    /// Shared with [`VaultHandle`]s (the player's reads).
    open: Arc<Mutex<Option<Vault>>>,
    /// While the vault is lent out (`take_vault`), what `status` reports:
    /// probing would meet the borrower's file lock and say "in use".
    lent: Mutex<Option<VaultState>>,
}

impl std::fmt::Debug for VaultService {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("VaultService").field("location", &self.location).field("unlocked", &self.is_unlocked()).finish()
    }
}

impl VaultService {
    /// A service for an explicit vault path.
    pub fn at(path: impl Into<PathBuf>) -> Self {
        Self::with_location(Ok(path.into()))
    }

    fn with_location(location: Result<PathBuf, CommandError>) -> Self {
        VaultService { location, kdf: KdfParams::default(), open: Arc::new(Mutex::new(None)), lent: Mutex::new(None) }
    }

    /// Argon2id parameters for new key slots (tests use cheap ones).
    pub fn with_kdf(mut self, kdf: KdfParams) -> Self {
        self.kdf = kdf;
        self
    }

    /// `$RELATO_VAULT` if set and non-empty, else the platform default.
    pub fn from_env() -> Self {
        match std::env::var_os(VAULT_ENV).filter(|v| !v.is_empty()) {
            Some(p) => VaultService::at(p),
            None => Self::with_location(relato_vault::default_vault_path().map_err(CommandError::from)),
        }
    }

    /// The vault file, if a location could be chosen.
    pub fn path(&self) -> Result<PathBuf, CommandError> {
        self.location.clone()
    }

    fn guard(&self) -> MutexGuard<'_, Option<Vault>> {
        // A panic while holding the lock leaves the vault as it was; keep going.
        self.open.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    pub fn is_unlocked(&self) -> bool {
        self.guard().is_some()
    }

    /// The vault's state, without unlocking or changing it. Errors carry the
    /// vault path in `args.path` so that the UI can always show it.
    pub fn status(&self) -> Result<VaultStatus, CommandError> {
        let path = self.location.clone()?;
        let shown = path.display().to_string();
        if let Some(vault) = self.guard().as_ref() {
            // Probing would meet our own file lock; we know the answer.
            let probe = VaultState::Unlocked {
                vault_id: vault.vault_id().to_owned(),
                format_version: relato_vault::FORMAT_VERSION,
                me: MeView::from(vault.me()),
            };
            return Ok(VaultStatus { path: shown, probe });
        }
        if let Some(probe) = self.lent.lock().unwrap_or_else(|p| p.into_inner()).clone() {
            return Ok(VaultStatus { path: shown, probe });
        }
        match relato_vault::probe(&path) {
            Ok(VaultProbe::Missing) => Ok(VaultStatus { path: shown, probe: VaultState::Missing }),
            Ok(VaultProbe::Locked { vault_id, format_version }) => {
                Ok(VaultStatus { path: shown, probe: VaultState::Locked { vault_id, format_version } })
            }
            Err(e) => Err(CommandError::from(e).with_arg_default("path", shown)),
        }
    }

    /// Creates the vault and keeps it unlocked as its administrator.
    pub fn create(&self, mut input: NewVaultInput) -> Result<CreatedVault, CommandError> {
        let path = self.location.clone()?;
        let mut open = self.guard();
        let result = Vault::create(
            &path,
            NewVault {
                organisation: &input.organisation,
                admin_name: &input.admin_name,
                admin_passphrase: &input.passphrase,
                kdf: self.kdf,
            },
        );
        input.passphrase.zeroize();
        let (vault, code) = result.map_err(|e| with_path(e, &path))?;
        let created = CreatedVault { recovery_code: code.to_string(), me: MeView::from(vault.me()) };
        *open = Some(vault);
        Ok(created)
    }

    /// Unlocks as `name`. A wrong passphrase changes nothing, on disk or here.
    pub fn unlock(&self, name: &str, mut passphrase: String) -> Result<MeView, CommandError> {
        let path = self.location.clone()?;
        let mut open = self.guard();
        // Our own file lock would make the vault look "in use".
        drop(open.take());
        let result = Vault::unlock(&path, name, &passphrase);
        passphrase.zeroize();
        let vault = result.map_err(|e| with_path(e, &path))?;
        let me = MeView::from(vault.me());
        *open = Some(vault);
        Ok(me)
    }

    /// Drops the unlocked vault (its keys are zeroised on drop). Returns
    /// whether it was unlocked.
    pub fn lock(&self) -> bool {
        let taken = self.guard().take();
        let was_open = taken.is_some();
        if let Some(vault) = taken {
            vault.lock();
        }
        was_open
    }

    /// Runs `f` on the unlocked vault, or fails with `vault.locked`.
    pub fn with_vault<T>(&self, f: impl FnOnce(&Vault) -> Result<T, CommandError>) -> Result<T, CommandError> {
        match self.guard().as_ref() {
            Some(vault) => f(vault),
            None => Err(VaultError::Locked.into()),
        }
    }

    /// A handle for work on another thread (the player's reads): it sees
    /// the vault while it stays unlocked here, and `vault.locked` after.
    pub fn handle(&self) -> VaultHandle {
        VaultHandle(self.open.clone())
    }

    /// Takes the unlocked vault out, for work that must own it (the
    /// recorder's writer thread); [`VaultService::give_back`] returns it.
    /// Meanwhile commands that need the vault fail with `vault.locked`,
    /// `status` still reports it unlocked, and `lock` cannot drop it.
    pub fn take_vault(&self) -> Result<Vault, CommandError> {
        let mut open = self.guard();
        let vault = open.take().ok_or_else(|| CommandError::from(VaultError::Locked))?;
        *self.lent.lock().unwrap_or_else(|p| p.into_inner()) = Some(VaultState::Unlocked {
            vault_id: vault.vault_id().to_owned(),
            format_version: relato_vault::FORMAT_VERSION,
            me: MeView::from(vault.me()),
        });
        Ok(vault)
    }

    pub fn give_back(&self, vault: Vault) {
        let mut open = self.guard();
        *self.lent.lock().unwrap_or_else(|p| p.into_inner()) = None;
        *open = Some(vault);
    }

    pub fn cases(&self) -> Result<CaseList, CommandError> {
        self.with_vault(|v| {
            let mut list = CaseList { cases: Vec::new(), damaged: Vec::new() };
            for entry in v.cases()? {
                match entry {
                    Ok(c) => list.cases.push(c.into()),
                    Err(e) => list.damaged.push(e.into()),
                }
            }
            Ok(list)
        })
    }

    pub fn case(&self, id: &str) -> Result<CaseView, CommandError> {
        self.with_vault(|v| Ok(v.case(id)?.into()))
    }

    pub fn create_case(&self, input: CaseInput) -> Result<CaseView, CommandError> {
        let fields = CaseFields {
            reference: input.reference.trim().to_owned(),
            place: optional(input.place),
            institution: optional(input.institution),
        };
        self.with_vault(|v| Ok(v.create_case(fields)?.into()))
    }

    pub fn sessions(&self, case_id: &str) -> Result<SessionList, CommandError> {
        self.with_vault(|v| {
            let names = v.user_names();
            let mut list = SessionList { sessions: Vec::new(), damaged: Vec::new() };
            for entry in v.sessions(case_id)? {
                match entry {
                    Ok(s) => {
                        let who = names(&s.fields.interviewer);
                        list.sessions.push(SessionView::new(s, who));
                    }
                    Err(e) => list.damaged.push(e.into()),
                }
            }
            Ok(list)
        })
    }

    pub fn session(&self, id: &str) -> Result<SessionView, CommandError> {
        self.with_vault(|v| {
            let s = v.session(id)?;
            let who = v.user_names()(&s.fields.interviewer);
            Ok(SessionView::new(s, who))
        })
    }

    /// Creates a session with the acting user as its interviewer.
    pub fn create_session(&self, input: SessionInput) -> Result<SessionView, CommandError> {
        let age_years = u8::try_from(input.age_years).ok().filter(|a| *a <= MAX_AGE_YEARS).ok_or_else(|| {
            CommandError::new("input.age_out_of_range", format!("age {} is outside 0 to {MAX_AGE_YEARS} years", input.age_years))
                .with_arg_default("age", input.age_years.to_string())
                .with_arg_default("max", MAX_AGE_YEARS.to_string())
        })?;
        let language: Language = input.language.parse()?;
        let persons_present =
            input.persons_present.iter().map(|r| r.parse::<PresentRole>()).collect::<Result<Vec<_>, VaultError>>()?;
        self.with_vault(|v| {
            let fields = SessionFields {
                child_code: input.child_code.trim().to_owned(),
                age_years,
                language,
                interviewer: v.me().user_id.clone(),
                persons_present,
                protocol: optional(input.protocol),
                consent_reference: optional(input.consent_reference),
                location: optional(input.location),
            };
            let s = v.create_session(NewSession { case_id: input.case_id, fields })?;
            let who = v.me().name.clone();
            Ok(SessionView::new(s, who))
        })
    }
}

/// See [`VaultService::handle`].
#[derive(Clone)]
pub struct VaultHandle(Arc<Mutex<Option<Vault>>>);

impl VaultHandle {
    pub fn with_vault<T>(&self, f: impl FnOnce(&Vault) -> Result<T, VaultError>) -> Result<T, VaultError> {
        match self.0.lock().unwrap_or_else(|p| p.into_inner()).as_ref() {
            Some(vault) => f(vault),
            None => Err(VaultError::Locked),
        }
    }
}

/// Blank optional fields are absent, not empty strings (the vault refuses
/// empty text).
fn optional(value: Option<String>) -> Option<String> {
    value.map(|v| v.trim().to_owned()).filter(|v| !v.is_empty())
}

fn with_path(e: VaultError, path: &Path) -> CommandError {
    CommandError::from(e).with_arg_default("path", path.display().to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const PASS: &str = "una frase de acceso larga";

    fn service(dir: &tempfile::TempDir) -> VaultService {
        VaultService::at(dir.path().join("vault.relato")).with_kdf(KdfParams::insecure_fast())
    }

    fn created(dir: &tempfile::TempDir) -> VaultService {
        let s = service(dir);
        s.create(NewVaultInput { organisation: "ODI".into(), admin_name: "Ana".into(), passphrase: PASS.into() }).unwrap();
        s
    }

    fn session_input(case_id: &str) -> SessionInput {
        SessionInput {
            case_id: case_id.into(),
            child_code: "NNA-031".into(),
            age_years: 7,
            language: "es".into(),
            persons_present: vec!["psychologist".into(), "guardian".into()],
            protocol: Some("NICHD".into()),
            consent_reference: Some(" ".into()),
            location: None,
        }
    }

    #[test]
    fn missing_vault_is_reported_with_its_path() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("vault.relato");
        let status = VaultService::at(&path).status().unwrap();
        assert_eq!(status.probe, VaultState::Missing);
        assert_eq!(
            serde_json::to_value(&status).unwrap(),
            json!({"path": path.display().to_string(), "probe": {"state": "missing"}})
        );
        assert!(!path.exists(), "probing must not create the vault");
    }

    #[test]
    fn a_file_that_is_not_a_vault_is_a_coded_error() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("vault.relato");
        std::fs::write(&path, b"this is not a vault, just some text that is long enough").unwrap();
        let err = VaultService::at(&path).status().unwrap_err();
        assert_eq!(err.code, "vault.not_a_vault");
        assert_eq!(err.args.get("path"), Some(&json!(path.display().to_string())));
        let wire = serde_json::to_value(&err).unwrap();
        assert_eq!(wire["code"], "vault.not_a_vault");
        assert!(wire["message"].as_str().unwrap().contains("not a Relato vault"));
        assert!(wire["args"].is_object());
    }

    #[test]
    fn a_directory_is_not_a_vault() {
        let dir = tempfile::tempdir().unwrap();
        let err = VaultService::at(dir.path()).status().unwrap_err();
        assert_eq!(err.code, "vault.not_a_vault");
    }

    #[test]
    fn create_returns_the_recovery_code_once_and_stays_unlocked() {
        let dir = tempfile::tempdir().unwrap();
        let s = service(&dir);
        let created =
            s.create(NewVaultInput { organisation: "ODI".into(), admin_name: " Ana ".into(), passphrase: PASS.into() }).unwrap();
        assert_eq!(created.me, MeView { name: "Ana".into(), role: "administrator".into(), institution: "ODI".into() });
        relato_vault::RecoveryCode::parse(&created.recovery_code).expect("a readable recovery code");
        match s.status().unwrap().probe {
            VaultState::Unlocked { me, format_version, .. } => {
                assert_eq!(me.name, "Ana");
                assert_eq!(format_version, relato_vault::FORMAT_VERSION);
            }
            other => panic!("expected unlocked, got {other:?}"),
        }
        let again = s.create(NewVaultInput { organisation: "ODI".into(), admin_name: "Ana".into(), passphrase: PASS.into() });
        assert_eq!(again.unwrap_err().code, "vault.already_exists");
    }

    #[test]
    fn a_short_passphrase_creates_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let s = service(&dir);
        let err = s
            .create(NewVaultInput { organisation: "ODI".into(), admin_name: "Ana".into(), passphrase: "corta".into() })
            .unwrap_err();
        assert_eq!(err.code, "auth.weak_passphrase");
        assert_eq!(err.args.get("min"), Some(&json!(relato_vault::MIN_PASSPHRASE_CHARS.to_string())));
        assert!(!dir.path().join("vault.relato").exists());
        assert!(!s.is_unlocked());
    }

    #[test]
    fn locking_drops_the_vault_and_releases_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let s = created(&dir);
        assert!(s.is_unlocked());
        assert!(s.lock());
        assert!(!s.is_unlocked());
        assert!(!s.lock(), "locking twice is harmless");
        assert_eq!(s.cases().unwrap_err().code, "vault.locked");
        assert!(matches!(s.status().unwrap().probe, VaultState::Locked { .. }));
        // The dropped Vault held the file lock; another opener gets it now.
        let other = Vault::unlock(&dir.path().join("vault.relato"), "Ana", PASS).expect("the file is free after lock");
        assert_eq!(s.status().unwrap_err().code, "vault.in_use", "while someone else holds it, it is in use");
        drop(other);
    }

    #[test]
    fn a_wrong_passphrase_changes_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let s = created(&dir);
        s.lock();
        let path = dir.path().join("vault.relato");
        let before = std::fs::read(&path).unwrap();
        let err = s.unlock("Ana", "una frase equivocada".into()).unwrap_err();
        assert_eq!(err.code, "auth.wrong_passphrase");
        assert!(!s.is_unlocked());
        assert_eq!(std::fs::read(&path).unwrap(), before);
        assert_eq!(s.unlock("nadie", PASS.into()).unwrap_err().code, "auth.unknown_user");
        let me = s.unlock("ana", PASS.into()).unwrap();
        assert_eq!(me.name, "Ana");
        assert!(s.is_unlocked());
    }

    #[test]
    fn unlocking_again_replaces_the_open_vault() {
        let dir = tempfile::tempdir().unwrap();
        let s = created(&dir);
        s.unlock("Ana", PASS.into()).expect("our own lock does not block a second unlock");
        assert!(s.is_unlocked());
    }

    #[test]
    fn cases_and_sessions_round_trip() {
        let dir = tempfile::tempdir().unwrap();
        let s = created(&dir);
        assert!(s.cases().unwrap().cases.is_empty());
        let case = s
            .create_case(CaseInput { reference: " EXP-2026-031 ".into(), place: Some("Oaxaca".into()), institution: Some("".into()) })
            .unwrap();
        assert_eq!(case.reference, "EXP-2026-031");
        assert_eq!(case.institution, None, "blank optional text is absent");
        assert_eq!(s.cases().unwrap().cases, vec![case.clone()]);
        assert_eq!(s.case(&case.id).unwrap(), case);

        let session = s.create_session(session_input(&case.id)).unwrap();
        assert_eq!(session.child_code, "NNA-031");
        assert_eq!(session.interviewer, "Ana");
        assert_eq!(session.persons_present, vec!["psychologist", "guardian"]);
        assert_eq!(session.consent_reference, None);
        assert_eq!(s.session(&session.id).unwrap(), session);
        assert_eq!(s.sessions(&case.id).unwrap().sessions, vec![session]);
    }

    #[test]
    fn invalid_session_fields_get_the_vaults_codes() {
        let dir = tempfile::tempdir().unwrap();
        let s = created(&dir);
        let case = s.create_case(CaseInput { reference: "EXP-1".into(), ..Default::default() }).unwrap();

        let named = SessionInput { child_code: "María".into(), ..session_input(&case.id) };
        assert_eq!(s.create_session(named).unwrap_err().code, "input.not_a_child_code");

        let old = SessionInput { age_years: 300, ..session_input(&case.id) };
        let err = s.create_session(old).unwrap_err();
        assert_eq!(err.code, "input.age_out_of_range");
        assert_eq!(err.args.get("age"), Some(&json!("300")));

        let lang = SessionInput { language: "fr".into(), ..session_input(&case.id) };
        let err = s.create_session(lang).unwrap_err();
        assert_eq!((err.code.as_str(), err.args.get("field")), ("input.unknown_value", Some(&json!("language"))));

        let role = SessionInput { persons_present: vec!["neighbour".into()], ..session_input(&case.id) };
        assert_eq!(s.create_session(role).unwrap_err().code, "input.unknown_value");

        let empty = s.create_case(CaseInput { reference: "  ".into(), ..Default::default() }).unwrap_err();
        assert_eq!((empty.code.as_str(), empty.args.get("field")), ("input.empty", Some(&json!("reference"))));
        assert!(s.sessions(&case.id).unwrap().sessions.is_empty());
    }

    #[test]
    fn take_and_give_back() {
        let dir = tempfile::tempdir().unwrap();
        let s = created(&dir);
        let v = s.take_vault().unwrap();
        assert_eq!(s.cases().unwrap_err().code, "vault.locked");
        assert_eq!(s.take_vault().err().map(|e| e.code), Some("vault.locked".into()), "lent once only");
        assert!(matches!(s.status().unwrap().probe, VaultState::Unlocked { .. }), "still open, just busy");
        assert!(!s.lock(), "a lent vault cannot be dropped from here");
        s.give_back(v);
        assert!(matches!(s.status().unwrap().probe, VaultState::Unlocked { .. }));
        assert!(s.cases().is_ok());
    }
}

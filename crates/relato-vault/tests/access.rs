//! Opening, unlocking and the people who may: key slots, passphrases,
//! revocation, the recovery code, and every way opening can go wrong.

mod common;

use common::*;
use relato_vault::{KdfParams, NewVault, RecoveryCode, Role, Vault, VaultError, VaultProbe};

fn fast() -> KdfParams {
    KdfParams::insecure_fast()
}

#[test]
fn default_kdf_meets_the_brief() {
    let d = KdfParams::default();
    assert!(d.m_kib >= 64 * 1024 && d.t >= 3);
}

#[test]
fn create_then_unlock_as_admin() {
    let f = Fixture::new();
    assert_eq!(relato_vault::probe(&f.path).unwrap(), VaultProbe::Missing);
    let (v, code) = f.create();
    assert_eq!(v.me().role, Role::Administrator);
    let id = v.vault_id().to_owned();
    v.lock();
    assert!(matches!(relato_vault::probe(&f.path).unwrap(), VaultProbe::Locked { vault_id, .. } if vault_id == id));
    let v = f.admin();
    assert_eq!(v.me().name, ADMIN);
    assert!(!code.to_string().is_empty());
}

#[test]
fn wrong_passphrase_is_refused_and_changes_nothing() {
    let f = Fixture::new();
    f.create().0.lock();
    let before = file_bytes(&f.path);
    let err = Vault::unlock(&f.path, ADMIN, "not the passphrase at all").err().unwrap();
    assert!(matches!(err, VaultError::WrongPassphrase), "{err}");
    assert_eq!(err.code(), "auth.wrong_passphrase");
    assert_eq!(file_bytes(&f.path), before);
    assert!(!f.path.with_file_name("vault.relato-wal").exists() || std::fs::metadata(f.path.with_file_name("vault.relato-wal")).unwrap().len() == 0);
    f.admin();
}

#[test]
fn unknown_user_is_named() {
    let f = Fixture::new();
    f.create().0.lock();
    let err = Vault::unlock(&f.path, "Nadie", ADMIN_PASS).err().unwrap();
    assert!(matches!(&err, VaultError::UnknownUser(n) if n == "Nadie"), "{err}");
}

#[test]
fn login_names_ignore_case_and_spaces() {
    let f = Fixture::new();
    f.create().0.lock();
    Vault::unlock(&f.path, "  ana ADMIN ", ADMIN_PASS).unwrap();
}

#[test]
fn weak_passphrases_are_refused() {
    let f = Fixture::new();
    let err = Vault::create(&f.path, NewVault { organisation: "ODI", admin_name: "A", admin_passphrase: "short", kdf: fast() })
        .err()
        .unwrap();
    assert!(matches!(err, VaultError::WeakPassphrase { .. }));
    assert!(!f.path.exists(), "a refused creation leaves no file");
}

#[test]
fn add_user_change_passphrase_revoke() {
    let f = Fixture::new();
    let (admin, _) = f.create();
    let u = admin.add_user("Irma Entrevistadora", Role::Interviewer, "la primera frase larga", None, fast()).unwrap();
    assert_eq!(u.role, Role::Interviewer);
    assert_eq!(u.institution, "ODI");
    assert!(matches!(
        admin.add_user("irma entrevistadora", Role::Reviewer, "otra frase bastante larga", None, fast()),
        Err(VaultError::UserExists(_))
    ));
    admin.lock();

    let irma = Vault::unlock(&f.path, "Irma Entrevistadora", "la primera frase larga").unwrap();
    let key_before = irma.me().key_id.clone();
    irma.change_own_passphrase("la segunda frase larga", fast()).unwrap();
    irma.lock();
    assert!(matches!(
        Vault::unlock(&f.path, "Irma Entrevistadora", "la primera frase larga"),
        Err(VaultError::WrongPassphrase)
    ));
    let irma = Vault::unlock(&f.path, "Irma Entrevistadora", "la segunda frase larga").unwrap();
    assert_eq!(irma.me().key_id, key_before, "changing one's passphrase keeps one's signing key");
    // An interviewer may not manage users.
    assert!(matches!(
        irma.add_user("X Y", Role::Reviewer, "una frase muy larga", None, fast()),
        Err(VaultError::NotPermitted { .. })
    ));
    irma.lock();

    let admin = f.admin();
    admin.revoke_user("Irma Entrevistadora").unwrap();
    assert!(!admin.user("Irma Entrevistadora").unwrap().active);
    admin.lock();
    let err = Vault::unlock(&f.path, "Irma Entrevistadora", "la segunda frase larga").err().unwrap();
    assert!(matches!(&err, VaultError::SlotRevoked(n) if n == "Irma Entrevistadora"), "{err}");

    // All chains still verify after the revocation.
    let admin = f.admin();
    for (chain, result) in admin.verify_all().unwrap() {
        result.unwrap_or_else(|e| panic!("{chain}: {e}"));
    }
}

#[test]
fn last_admin_and_self_cannot_be_revoked() {
    let f = Fixture::new();
    let (admin, code) = f.create();
    assert!(matches!(admin.revoke_user(ADMIN), Err(VaultError::CannotRevokeSelf)));
    admin.add_user("Otra Admin", Role::Administrator, "otra frase bastante larga", None, fast()).unwrap();
    admin.revoke_user("Otra Admin").unwrap();
    assert!(matches!(
        admin.add_user("Recovery", Role::Reviewer, "otra frase bastante larga", None, fast()),
        Err(VaultError::ReservedName(_))
    ));
    admin.lock();
    // The recovery identity may revoke users, but never the last administrator.
    let rec = Vault::unlock_with_recovery(&f.path, &code).unwrap();
    assert!(matches!(rec.revoke_user(ADMIN), Err(VaultError::LastAdministrator)));
}

#[test]
fn recovery_code_unlocks_and_resets_a_passphrase() {
    let f = Fixture::new();
    let (admin, code) = f.create();
    let old_key = admin.me().key_id.clone();
    let text = code.to_string();
    drop(code);
    admin.lock();

    let err = Vault::unlock_with_recovery(&f.path, &RecoveryCode::parse(&"0".repeat(32)).unwrap()).err().unwrap();
    assert!(matches!(err, VaultError::BadRecoveryCode));

    let rec = Vault::unlock_with_recovery(&f.path, &RecoveryCode::parse(&text.to_lowercase()).unwrap()).unwrap();
    assert_eq!(rec.me().role, Role::Recovery);
    // The recovery identity restores access; it does not read cases.
    assert!(matches!(rec.cases(), Err(VaultError::NotPermitted { .. })));
    let info = rec.reset_passphrase(ADMIN, "una frase nueva y larga", fast()).unwrap();
    assert_ne!(info.key_id, old_key, "a reset issues a new signing key");
    rec.lock();

    assert!(matches!(Vault::unlock(&f.path, ADMIN, ADMIN_PASS), Err(VaultError::WrongPassphrase)));
    let admin = Vault::unlock(&f.path, ADMIN, "una frase nueva y larga").unwrap();
    assert_eq!(admin.me().key_id, info.key_id);
    // The chain signed by the old key before its revocation, and by the new after, verifies.
    admin.create_case(case_fields("EXP-1")).unwrap();
    for (chain, result) in admin.verify_all().unwrap() {
        result.unwrap_or_else(|e| panic!("{chain}: {e}"));
    }
}

#[test]
fn second_process_gets_in_use() {
    let f = Fixture::new();
    let (v, _) = f.create();
    // flock locks belong to open file descriptions, so a second open in this
    // process behaves exactly like another process.
    let err = Vault::unlock(&f.path, ADMIN, ADMIN_PASS).err().unwrap();
    assert!(matches!(err, VaultError::InUse(_)), "{err}");
    assert!(matches!(relato_vault::probe(&f.path), Err(VaultError::InUse(_))));
    drop(v);
    f.admin();
}

#[test]
fn newer_format_is_refused_by_name() {
    let f = Fixture::new();
    f.create().0.lock();
    f.tamper("PRAGMA user_version = 99;");
    let err = Vault::unlock(&f.path, ADMIN, ADMIN_PASS).err().unwrap();
    assert!(matches!(err, VaultError::NewerFormat { found: 99, .. }), "{err}");
    assert_eq!(err.code(), "vault.newer_format");
}

#[test]
fn missing_and_unreadable_paths() {
    let f = Fixture::new();
    let err = Vault::unlock(&f.path, ADMIN, ADMIN_PASS).err().unwrap();
    assert!(matches!(err, VaultError::NotFound(_)), "{err}");

    let err = Vault::unlock(f.dir.path(), ADMIN, ADMIN_PASS).err().unwrap();
    assert!(matches!(err, VaultError::NotAVault(_)), "a directory: {err}");

    std::fs::write(&f.path, b"this is a text file, not a database, and it is long enough to look like one").unwrap();
    let err = Vault::unlock(&f.path, ADMIN, ADMIN_PASS).err().unwrap();
    assert!(matches!(err, VaultError::NotAVault(_)), "garbage: {err}");
    assert!(matches!(relato_vault::probe(&f.path), Err(VaultError::NotAVault(_))));

    let other = f.dir.path().join("other.sqlite");
    rusqlite::Connection::open(&other).unwrap().execute_batch("CREATE TABLE t (x);").unwrap();
    let err = Vault::unlock(&other, ADMIN, ADMIN_PASS).err().unwrap();
    assert!(matches!(err, VaultError::NotAVault(_)), "another SQLite file: {err}");

    let err = Vault::create(&f.path, NewVault { organisation: "O", admin_name: "A", admin_passphrase: ADMIN_PASS, kdf: fast() })
        .err()
        .unwrap();
    assert!(matches!(err, VaultError::AlreadyExists(_)));
}

#[test]
fn swapped_key_slots_do_not_open() {
    let f = Fixture::new();
    let (admin, _) = f.create();
    admin.add_user("Rita Revisora", Role::Reviewer, "otra frase bastante larga", None, fast()).unwrap();
    admin.lock();
    // Give Rita's slot the administrator's wrapped key: the slot id is bound
    // into the seal, so even the right passphrase cannot open it.
    f.tamper("UPDATE key_slots SET wrapped = (SELECT wrapped FROM key_slots WHERE id = 1), kdf = (SELECT kdf FROM key_slots WHERE id = 1) WHERE id = 3;");
    assert!(matches!(Vault::unlock(&f.path, "Rita Revisora", ADMIN_PASS), Err(VaultError::WrongPassphrase)));
    f.admin();
}

#[test]
fn every_error_has_a_translation_in_both_locales() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../assets/locales");
    for lang in ["es-MX", "en"] {
        let text = std::fs::read_to_string(root.join(format!("errors.{lang}.json"))).unwrap();
        let catalog: serde_json::Map<String, serde_json::Value> = serde_json::from_str(&text).unwrap();
        for code in relato_vault::ERROR_CODES {
            assert!(catalog.contains_key(*code), "{lang} lacks {code}");
        }
    }
}

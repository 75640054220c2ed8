//! Shared fixtures: temporary vaults with cheap key derivation, and raw
//! SQL access to play the attacker who edits the file by hand.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

use relato_vault::{CaseFields, KdfParams, Language, NewSession, NewVault, PresentRole, RecoveryCode, SessionFields, Vault};

pub const ADMIN: &str = "Ana Admin";
pub const ADMIN_PASS: &str = "correct horse battery staple";

pub struct Fixture {
    pub dir: tempfile::TempDir,
    pub path: PathBuf,
}

impl Fixture {
    pub fn new() -> Fixture {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("vault.relato");
        Fixture { dir, path }
    }

    pub fn create(&self) -> (Vault, RecoveryCode) {
        Vault::create(
            &self.path,
            NewVault { organisation: "ODI", admin_name: ADMIN, admin_passphrase: ADMIN_PASS, kdf: KdfParams::insecure_fast() },
        )
        .unwrap()
    }

    pub fn admin(&self) -> Vault {
        Vault::unlock(&self.path, ADMIN, ADMIN_PASS).unwrap()
    }

    /// Runs SQL on the closed vault file, bypassing every protection.
    pub fn tamper(&self, sql: &str) {
        let conn = rusqlite::Connection::open(&self.path).unwrap();
        conn.execute_batch(
            "DROP TRIGGER IF EXISTS case_revisions_append_only_u; DROP TRIGGER IF EXISTS case_revisions_append_only_d;
             DROP TRIGGER IF EXISTS session_revisions_append_only_u; DROP TRIGGER IF EXISTS session_revisions_append_only_d;
             DROP TRIGGER IF EXISTS custody_append_only_u; DROP TRIGGER IF EXISTS custody_append_only_d;
             DROP TRIGGER IF EXISTS stream_chunks_append_only_u; DROP TRIGGER IF EXISTS stream_chunks_append_only_d;
             DROP TRIGGER IF EXISTS streams_count_once;",
        )
        .unwrap();
        conn.execute_batch(sql).unwrap();
    }

    pub fn query_blob(&self, sql: &str) -> Vec<u8> {
        let conn = rusqlite::Connection::open(&self.path).unwrap();
        conn.query_row(sql, [], |r| r.get(0)).unwrap()
    }

    pub fn set_blob(&self, sql: &str, blob: Vec<u8>) {
        self.tamper("");
        let conn = rusqlite::Connection::open(&self.path).unwrap();
        conn.execute(sql, [blob]).unwrap();
    }
}

pub fn case_fields(reference: &str) -> CaseFields {
    CaseFields { reference: reference.into(), place: Some("Oaxaca".into()), institution: Some("Escuela Primaria 12".into()) }
}

pub fn session_fields(v: &Vault, code: &str) -> SessionFields {
    SessionFields {
        child_code: code.into(),
        age_years: 7,
        language: Language::Es,
        interviewer: v.me().user_id.clone(),
        persons_present: vec![PresentRole::Psychologist, PresentRole::Guardian],
        protocol: Some("NICHD".into()),
        consent_reference: Some("CONS-2026-031".into()),
        location: Some("Oaxaca de Juárez".into()),
    }
}

pub fn new_session(v: &Vault, case_id: &str, code: &str) -> relato_vault::Session {
    v.create_session(NewSession { case_id: case_id.into(), fields: session_fields(v, code) }).unwrap()
}

pub fn file_bytes(p: &Path) -> Vec<u8> {
    std::fs::read(p).unwrap()
}

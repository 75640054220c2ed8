//! Helpers shared by the capture tests.
#![allow(dead_code)]

use std::path::Path;
use std::sync::atomic::Ordering;
use std::time::Duration;

use relato_capture::Recorder;
use relato_vault::{CaseFields, KdfParams, Language, NewSession, NewVault, SessionFields, Vault};
use sha2::{Digest, Sha256};

pub const PASS: &str = "una frase de prueba larga";

pub fn vault_with_session(dir: &Path) -> (Vault, String) {
    let path = dir.join("vault.relato");
    let (v, _) = Vault::create(&path, NewVault { organisation: "ODI", admin_name: "Ana", admin_passphrase: PASS, kdf: KdfParams::insecure_fast() })
        .unwrap();
    let case = v.create_case(CaseFields { reference: "EXP-1".into(), place: None, institution: None }).unwrap();
    let fields = SessionFields {
        child_code: "NNA-1".into(),
        age_years: 8,
        language: Language::Es,
        interviewer: v.me().user_id.clone(),
        persons_present: vec![],
        protocol: None,
        consent_reference: None,
        location: None,
    };
    let session = v.create_session(NewSession { case_id: case.id, fields }).unwrap();
    (v, session.id)
}

pub fn wait_for(rec: &Recorder, frames: u64) {
    while rec.shared().captured_frames.load(Ordering::Acquire) < frames {
        std::thread::sleep(Duration::from_millis(2));
    }
}

pub fn hash_recorded(v: &Vault, case_id: &str, recording_id: &str) -> String {
    v.custody_lines(case_id)
        .unwrap()
        .iter()
        .map(|l| serde_json::from_str::<serde_json::Value>(&l.line).unwrap())
        .find(|e| e["event"] == "HASH_RECORDED" && e["objects"][0]["id"] == recording_id)
        .map(|e| e["objects"][0]["sha256"].as_str().unwrap().to_owned())
        .expect("HASH_RECORDED is logged")
}

pub fn custody_events(v: &Vault, case_id: &str) -> Vec<String> {
    v.custody_lines(case_id)
        .unwrap()
        .iter()
        .map(|l| serde_json::from_str::<serde_json::Value>(&l.line).unwrap()["event"].as_str().unwrap().to_owned())
        .collect()
}

pub fn file_sha256(p: &Path) -> String {
    hex::encode(Sha256::digest(std::fs::read(p).unwrap()))
}


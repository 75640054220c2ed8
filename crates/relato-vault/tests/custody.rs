//! The custody log: chains from a real vault verify, and each kind of
//! tampering is caught at the line where it happened.

mod common;

use base64::Engine;
use common::*;
use ed25519_dalek::{Signer, SigningKey};
use relato_vault::custody::{self, KnownKey, SignedLine, GENESIS_PREV};
use relato_vault::{CustodyFault, KdfParams, Role, Vault, VaultError};
use sha2::{Digest, Sha256};

fn custody_fault(err: VaultError) -> (u64, CustodyFault) {
    match err {
        VaultError::Custody { line, fault, .. } => (line, fault),
        other => panic!("expected a custody error, got {other}"),
    }
}

/// A case with five lines in its chain, and the vault it lives in.
fn busy_case(f: &Fixture) -> (Vault, String) {
    let (v, _) = f.create();
    let c = v.create_case(case_fields("EXP-1")).unwrap();
    let s = new_session(&v, &c.id, "NNA-1");
    new_session(&v, &c.id, "NNA-2");
    let mut fields = s.fields.clone();
    fields.age_years = 9;
    v.edit_session(&s.id, fields).unwrap();
    v.edit_case(&c.id, relato_vault::CaseFields { reference: "EXP-1b".into(), place: None, institution: None }).unwrap();
    (v, c.id)
}

#[test]
fn a_real_chain_verifies_and_is_well_formed() {
    let f = Fixture::new();
    let (v, case) = busy_case(&f);
    let lines = v.custody_lines(&case).unwrap();
    assert_eq!(lines.len(), 5);
    let summary = v.verify_chain(&case).unwrap();
    assert_eq!(summary.lines, 5);
    assert_eq!(summary.head, hex::encode(Sha256::digest(lines[4].line.as_bytes())));

    let first: serde_json::Value = serde_json::from_str(&lines[0].line).unwrap();
    assert_eq!(first["seq"], 1);
    assert_eq!(first["prev"], GENESIS_PREV);
    assert_eq!(first["event"], "CASE_CREATED");
    assert_eq!(first["clock"], "system");
    assert_eq!(first["actor"]["name"], ADMIN);
    assert_eq!(first["actor"]["role"], "administrator");
    assert_eq!(first["actor"]["institution"], "ODI");
    assert_eq!(first["objects"][0]["kind"], "case");
    assert_eq!(first["objects"][0]["sha256"].as_str().unwrap().len(), 64);
    for key in ["time", "offset", "host", "app"] {
        assert!(first[key].as_str().is_some_and(|s| !s.is_empty()), "{key}");
    }
    let second: serde_json::Value = serde_json::from_str(&lines[1].line).unwrap();
    assert_eq!(second["prev"].as_str().unwrap(), hex::encode(Sha256::digest(lines[0].line.as_bytes())));
    // No identifying detail of the child goes into custody lines.
    assert!(lines.iter().all(|l| !l.line.contains("NNA-1") && !l.line.contains("Oaxaca")));

    let vault_events: Vec<String> = v
        .custody_lines(relato_vault::VAULT_CHAIN)
        .unwrap()
        .iter()
        .map(|l| serde_json::from_str::<serde_json::Value>(&l.line).unwrap()["event"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(
        vault_events,
        ["VAULT_CREATED", "KEY_CERTIFIED", "USER_ADDED", "KEY_CERTIFIED", "USER_ADDED"],
        "creation logs the vault, the administrator and the recovery identity"
    );
}

/// Runs the pure verifier over edited copies of a real chain.
fn check(v: &Vault, lines: &[SignedLine]) -> Result<(), (u64, CustodyFault)> {
    let book = v.key_book().unwrap();
    custody::verify_chain("case", lines, &book).map(|_| ()).map_err(custody_fault)
}

#[test]
fn edited_line_is_caught_at_that_line() {
    let f = Fixture::new();
    let (v, case) = busy_case(&f);
    let mut lines = v.custody_lines(&case).unwrap();
    lines[2].line = lines[2].line.replace("SESSION_CREATED", "SESSION_DELETED");
    assert_eq!(check(&v, &lines), Err((3, CustodyFault::Signature)));
}

#[test]
fn removed_line_is_caught() {
    let f = Fixture::new();
    let (v, case) = busy_case(&f);
    let mut lines = v.custody_lines(&case).unwrap();
    lines.remove(1);
    assert_eq!(check(&v, &lines), Err((2, CustodyFault::Sequence { expected: 2, found: 3 })));
}

#[test]
fn removed_last_line_changes_the_head() {
    let f = Fixture::new();
    let (v, case) = busy_case(&f);
    let lines = v.custody_lines(&case).unwrap();
    let full = custody::verify_chain("case", &lines, &v.key_book().unwrap()).unwrap();
    let cut = custody::verify_chain("case", &lines[..4], &v.key_book().unwrap()).unwrap();
    assert_ne!(full.head, cut.head, "a cut chain verifies alone; the recorded head exposes it");
}

#[test]
fn reordered_lines_are_caught() {
    let f = Fixture::new();
    let (v, case) = busy_case(&f);
    let mut lines = v.custody_lines(&case).unwrap();
    lines.swap(2, 3);
    assert_eq!(check(&v, &lines), Err((3, CustodyFault::Sequence { expected: 3, found: 4 })));
}

#[test]
fn forged_signature_is_caught() {
    let f = Fixture::new();
    let (v, case) = busy_case(&f);
    let mut lines = v.custody_lines(&case).unwrap();
    let forger = SigningKey::from_bytes(&[9; 32]);
    lines[3].sig = base64::engine::general_purpose::STANDARD.encode(forger.sign(lines[3].line.as_bytes()).to_bytes());
    assert_eq!(check(&v, &lines), Err((4, CustodyFault::Signature)));
    lines[3].sig = "not base64!".into();
    assert_eq!(check(&v, &lines), Err((4, CustodyFault::Signature)));
}

#[test]
fn relinked_chain_with_edited_content_still_fails_on_signature() {
    // An attacker who rewrites a line and fixes every later `prev` still
    // cannot re-sign: the first edited line is named.
    let f = Fixture::new();
    let (v, case) = busy_case(&f);
    let mut lines = v.custody_lines(&case).unwrap();
    lines[1].line = lines[1].line.replace("\"rev\":1", "\"rev\":7");
    for i in 2..lines.len() {
        let prev = hex::encode(Sha256::digest(lines[i - 1].line.as_bytes()));
        let mut value: serde_json::Value = serde_json::from_str(&lines[i].line).unwrap();
        value["prev"] = prev.into();
        lines[i].line = serde_json::to_string(&value).unwrap();
    }
    assert_eq!(check(&v, &lines), Err((2, CustodyFault::Signature)));
}

/// A hand-built chain, the way a bundle's custody.jsonl would arrive.
fn line(seq: u64, prev: &str, event: &str, time: &str, key: &SigningKey, details: serde_json::Value) -> SignedLine {
    let kid = hex::encode(Sha256::digest(key.verifying_key().as_bytes()))[..16].to_owned();
    let line = serde_json::json!({
        "seq": seq, "prev": prev, "event": event, "time": time, "offset": "-06:00", "clock": "system",
        "actor": {"key": kid, "name": "x", "role": "interviewer", "institution": "ODI"},
        "details": details, "host": "h", "app": "relato test"
    })
    .to_string();
    let sig = base64::engine::general_purpose::STANDARD.encode(key.sign(line.as_bytes()).to_bytes());
    SignedLine { line, sig }
}

fn kid(key: &SigningKey) -> String {
    hex::encode(Sha256::digest(key.verifying_key().as_bytes()))[..16].to_owned()
}

fn next_prev(l: &SignedLine) -> String {
    hex::encode(Sha256::digest(l.line.as_bytes()))
}

#[test]
fn signature_by_a_revoked_key_is_caught() {
    let admin = SigningKey::from_bytes(&[1; 32]);
    let irma = SigningKey::from_bytes(&[2; 32]);
    let revoked_at = chrono::DateTime::parse_from_rfc3339("2026-03-01T10:00:00Z").unwrap().to_utc();
    let (a, i) = (admin.clone(), irma.clone());
    let book = move |id: &str| {
        let key = if id == kid(&a) { &a } else if id == kid(&i) { &i } else { return None };
        Some(KnownKey {
            public: key.verifying_key(),
            certificate: Ok(()),
            revoked_at: (id == kid(&i)).then_some(revoked_at),
        })
    };
    let l1 = line(1, GENESIS_PREV, "CASE_CREATED", "2026-02-01T10:00:00.000Z", &irma, serde_json::json!({}));
    let l2 = line(2, &next_prev(&l1), "SESSION_CREATED", "2026-03-02T10:00:00.000Z", &irma, serde_json::json!({}));
    // Irma's line from before the revocation is valid; the one after is not.
    custody::verify_chain("c", std::slice::from_ref(&l1), &book).unwrap();
    let (n, fault) = custody_fault(custody::verify_chain("c", &[l1.clone(), l2], &book).err().unwrap());
    assert_eq!((n, fault), (2, CustodyFault::RevokedKey(kid(&irma))));

    // In the chain that carries the revocation, a backdated line after it is caught too.
    let r1 = line(1, GENESIS_PREV, "KEY_REVOKED", "2026-03-01T10:00:00.000Z", &admin, serde_json::json!({"key_id": kid(&irma)}));
    let r2 = line(2, &next_prev(&r1), "USER_ADDED", "2026-01-01T00:00:00.000Z", &irma, serde_json::json!({}));
    let book_without_times = {
        let (a, i) = (admin.clone(), irma.clone());
        move |id: &str| {
            let key = if id == kid(&a) { &a } else if id == kid(&i) { &i } else { return None };
            Some(KnownKey { public: key.verifying_key(), certificate: Ok(()), revoked_at: None })
        }
    };
    let (n, fault) = custody_fault(custody::verify_chain("vault", &[r1, r2], &book_without_times).err().unwrap());
    assert_eq!((n, fault), (2, CustodyFault::RevokedKey(kid(&irma))));
}

#[test]
fn unknown_and_uncertified_keys_are_caught() {
    let stranger = SigningKey::from_bytes(&[3; 32]);
    let l1 = line(1, GENESIS_PREV, "CASE_CREATED", "2026-02-01T10:00:00.000Z", &stranger, serde_json::json!({}));
    let nobody = |_: &str| None;
    assert_eq!(
        custody_fault(custody::verify_chain("c", std::slice::from_ref(&l1), &nobody).err().unwrap()),
        (1, CustodyFault::UnknownKey(kid(&stranger)))
    );
    let s = stranger.clone();
    let uncertified = move |_: &str| Some(KnownKey { public: s.verifying_key(), certificate: Err(relato_vault::CertificateFault::BadSignature), revoked_at: None });
    assert!(matches!(
        custody_fault(custody::verify_chain("c", &[l1], &uncertified).err().unwrap()),
        (1, CustodyFault::Certificate { fault: relato_vault::CertificateFault::BadSignature, .. })
    ));
}

#[test]
fn key_events_are_chained_in_the_vault_log_and_verify() {
    let f = Fixture::new();
    let (v, _) = f.create();
    v.add_user("Irma Entrevistadora", Role::Interviewer, "la primera frase larga", None, KdfParams::insecure_fast()).unwrap();
    v.reset_passphrase("Irma Entrevistadora", "la segunda frase larga", KdfParams::insecure_fast()).unwrap();
    v.revoke_user("Irma Entrevistadora").unwrap();
    let summary = v.verify_chain(relato_vault::VAULT_CHAIN).unwrap();
    assert!(summary.lines >= 10);
}

#[test]
fn rows_removed_or_swapped_in_the_file_are_named() {
    let f = Fixture::new();
    let (v, case) = busy_case(&f);
    v.lock();
    f.tamper(&format!("DELETE FROM custody WHERE chain = '{case}' AND seq = 2;"));
    let v = f.admin();
    assert_eq!(
        custody_fault(v.verify_chain(&case).err().unwrap()),
        (2, CustodyFault::Sequence { expected: 2, found: 3 })
    );
    v.lock();

    let g = Fixture::new();
    let (v, case) = busy_case(&g);
    v.lock();
    g.tamper(&format!(
        "CREATE TEMP TABLE saved AS SELECT seq, body FROM custody WHERE chain = '{case}';
         UPDATE custody SET body = (SELECT body FROM saved WHERE seq = 4) WHERE chain = '{case}' AND seq = 3;
         UPDATE custody SET body = (SELECT body FROM saved WHERE seq = 3) WHERE chain = '{case}' AND seq = 4;"
    ));
    let v = g.admin();
    let (n, fault) = custody_fault(v.verify_chain(&case).err().unwrap());
    assert_eq!(n, 3);
    assert!(matches!(fault, CustodyFault::Malformed(_)));
    // The report for every chain names this one and passes the others.
    let all = v.verify_all().unwrap();
    assert!(all.iter().any(|(c, r)| c == &case && r.is_err()));
    assert!(all.iter().any(|(c, r)| c == relato_vault::VAULT_CHAIN && r.is_ok()));
}

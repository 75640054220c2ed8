//! Transcripts and annotations: every save is a new revision, logged with
//! the hash of what was stored; earlier ones stay readable; only those who
//! review may save; a vault of the previous format gains them at unlock.

mod common;

use common::*;
use relato_vault::{KdfParams, Role, VaultError};
use serde_json::json;
use sha2::{Digest, Sha256};

fn sha(text: &str) -> String {
    hex::encode(Sha256::digest(text.as_bytes()))
}

#[test]
fn every_save_is_a_logged_revision_and_none_is_lost() {
    let f = Fixture::new();
    let (v, _) = f.create();
    let case = v.create_case(case_fields("EXP-T-1")).unwrap();
    let session = new_session(&v, &case.id, "NNA-7");
    assert_eq!(v.transcript(&session.id).unwrap(), None);

    let first = json!({"segments": [{"start_ms": 0, "end_ms": 1200, "speaker": "interviewer", "text": "Cuéntame todo."}]});
    let r1 = v.save_transcript(&session.id, &first, "[00:00.000] E: Cuéntame todo.", Some("import: entrevista.vtt")).unwrap();
    assert_eq!((r1.rev, r1.sha256.as_str()), (1, sha("[00:00.000] E: Cuéntame todo.").as_str()));
    assert_eq!(r1.author, v.me().user_id);
    let second = json!({"segments": [{"start_ms": 0, "end_ms": 1200, "speaker": "interviewer", "text": "Cuéntame todo lo que pasó."}]});
    let r2 = v.save_transcript(&session.id, &second, "[00:00.000] E: Cuéntame todo lo que pasó.", None).unwrap();
    assert_eq!(r2.rev, 2);

    v.lock();
    let v = f.admin();
    assert_eq!(v.transcript(&session.id).unwrap().unwrap(), r2, "the latest survives lock and unlock");
    let all: Vec<_> = v.transcript_revisions(&session.id).unwrap().into_iter().map(Result::unwrap).collect();
    assert_eq!(all, [r1.clone(), r2.clone()], "the first revision is kept");
    assert_eq!(all[0].document, first);
    assert_eq!(v.transcript_at(&session.id, 1).unwrap(), Some(r1.clone()));
    assert_eq!(v.transcript_at(&session.id, 3).unwrap(), None);

    // Custody: one line per save, naming the revision and its text's hash.
    let lines: Vec<serde_json::Value> =
        v.custody_lines(&case.id).unwrap().iter().map(|l| serde_json::from_str(&l.line).unwrap()).collect();
    let saved: Vec<_> = lines.iter().filter(|l| l["event"] == "TRANSCRIPT_SAVED").collect();
    assert_eq!(saved.len(), 2);
    assert_eq!(saved[0]["objects"][0]["sha256"], r1.sha256.as_str());
    assert_eq!(saved[0]["details"]["source"], "import: entrevista.vtt");
    assert_eq!(saved[1]["details"]["rev"], 2);
    v.verify_chain(&case.id).unwrap();

    // Revisions are append-only in the file itself.
    drop(v);
    let conn = rusqlite::Connection::open(&f.path).unwrap();
    assert!(conn.execute("UPDATE transcript_revisions SET rev = 9 WHERE rev = 1", []).is_err());
    assert!(conn.execute("DELETE FROM transcript_revisions", []).is_err());
}

#[test]
fn reviewers_save_litigators_only_read() {
    let f = Fixture::new();
    let (admin, _) = f.create();
    let case = admin.create_case(case_fields("EXP-T-2")).unwrap();
    let session = new_session(&admin, &case.id, "NNA-8");
    admin.save_transcript(&session.id, &json!({"segments": []}), "", None).unwrap();
    admin.add_user("Rita Revisora", Role::Reviewer, "una frase de revisora larga", None, KdfParams::insecure_fast()).unwrap();
    admin.add_user("Lia Litigante", Role::Litigator, "una frase de litigante larga", None, KdfParams::insecure_fast()).unwrap();
    admin.lock();

    let rita = relato_vault::Vault::unlock(&f.path, "Rita Revisora", "una frase de revisora larga").unwrap();
    assert_eq!(rita.save_transcript(&session.id, &json!({"segments": []}), "R", None).unwrap().rev, 2);
    rita.lock();
    let lia = relato_vault::Vault::unlock(&f.path, "Lia Litigante", "una frase de litigante larga").unwrap();
    let err = lia.save_transcript(&session.id, &json!({"segments": []}), "L", None).unwrap_err();
    assert_eq!(err.code(), "auth.not_permitted", "{err}");
    assert_eq!(lia.transcript(&session.id).unwrap().unwrap().rev, 2, "a litigator reads");
    assert!(matches!(lia.transcript("sess-nothere"), Err(VaultError::RecordNotFound { .. })));
}

#[test]
fn a_vault_of_the_previous_format_gains_transcripts_at_unlock() {
    let f = Fixture::new();
    let (v, _) = f.create();
    let case = v.create_case(case_fields("EXP-T-3")).unwrap();
    let session = new_session(&v, &case.id, "NNA-9");
    drop(v);
    // Make it a format-2 vault: no review tables, user_version 2.
    let conn = rusqlite::Connection::open(&f.path).unwrap();
    conn.execute_batch(
        "DROP TABLE transcript_revisions; DROP TABLE annotation_revisions; DROP TABLE vocabulary_revisions; DROP TABLE received_bundles; PRAGMA user_version = 2;",
    )
    .unwrap();
    drop(conn);

    let v = f.admin();
    let r = v.save_transcript(&session.id, &json!({"segments": []}), "", None).unwrap();
    assert_eq!(r.rev, 1);
    drop(v);
    let conn = rusqlite::Connection::open(&f.path).unwrap();
    let version: u32 = conn.query_row("PRAGMA user_version", [], |r| r.get(0)).unwrap();
    assert_eq!(version, relato_vault::FORMAT_VERSION);
}

#[test]
fn annotations_are_versioned_deletions_included_and_logged() {
    let f = Fixture::new();
    let (v, _) = f.create();
    let case = v.create_case(case_fields("EXP-A-1")).unwrap();
    let session = new_session(&v, &case.id, "NNA-10");
    let other = new_session(&v, &case.id, "NNA-11");
    let camera = json!({"tier": "indicators", "start_ms": 4000, "end_ms": 9250, "code": "camera_or_recording_device"});
    let a1 = v.save_annotation(&session.id, None, &camera).unwrap();
    assert_eq!((a1.rev, a1.deleted), (1, false));
    assert_eq!(a1.sha256, sha(&serde_json::to_string(&camera).unwrap()));
    let note = json!({"tier": "notes", "start_ms": 4000, "end_ms": 9250, "code": "note", "note": "menciona una cámara"});
    let n1 = v.save_annotation(&session.id, None, &note).unwrap();

    let moved = json!({"tier": "indicators", "start_ms": 4100, "end_ms": 9250, "code": "camera_or_recording_device"});
    let a2 = v.save_annotation(&session.id, Some(&a1.annotation_id), &moved).unwrap();
    assert_eq!(a2.rev, 2);
    let listed: Vec<_> = v.annotations(&session.id).unwrap().into_iter().map(Result::unwrap).collect();
    assert_eq!(listed, [a2.clone(), n1.clone()], "latest revisions, in creation order");

    let gone = v.delete_annotation(&session.id, &n1.annotation_id).unwrap();
    assert!(gone.deleted && gone.rev == 2);
    let listed: Vec<_> = v.annotations(&session.id).unwrap().into_iter().map(Result::unwrap).collect();
    assert_eq!(listed, std::slice::from_ref(&a2), "a deleted annotation is no longer listed");
    let history: Vec<_> = v.annotation_history(&session.id, &n1.annotation_id).unwrap().into_iter().map(Result::unwrap).collect();
    assert_eq!(history[0].document, note, "but its history is kept");
    let every: Vec<(String, u32, bool)> = v
        .all_annotation_revisions(&session.id)
        .unwrap()
        .into_iter()
        .map(|r| r.map(|r| (r.annotation_id, r.rev, r.deleted)).unwrap())
        .collect();
    assert_eq!(every.len(), 4, "a1 twice, n1 saved and deleted: {every:?}");
    assert_eq!(every.last().unwrap(), &(n1.annotation_id.clone(), 2, true));
    // Deleted stays deleted.
    assert!(matches!(v.delete_annotation(&session.id, &n1.annotation_id), Err(VaultError::RecordNotFound { .. })));
    assert!(matches!(v.save_annotation(&session.id, Some(&n1.annotation_id), &note), Err(VaultError::RecordNotFound { .. })));

    // Another session does not see it, and cannot edit it.
    assert!(v.annotations(&other.id).unwrap().is_empty());
    assert!(matches!(v.save_annotation(&other.id, Some(&a1.annotation_id), &moved), Err(VaultError::RecordNotFound { .. })));

    let events: Vec<String> = v
        .custody_lines(&case.id)
        .unwrap()
        .iter()
        .map(|l| serde_json::from_str::<serde_json::Value>(&l.line).unwrap()["event"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(events.iter().filter(|e| *e == "ANNOTATION_SAVED").count(), 3);
    assert_eq!(events.iter().filter(|e| *e == "ANNOTATION_DELETED").count(), 1);
    v.verify_chain(&case.id).unwrap();

    // A row moved to another session in the file does not open there.
    drop(v);
    f.tamper(&format!("DROP TRIGGER annotation_revisions_append_only_u; UPDATE annotation_revisions SET session_id = '{}' WHERE annotation_id = '{}'", other.id, a1.annotation_id));
    let v = f.admin();
    let err = v.annotations(&other.id).unwrap().remove(0).unwrap_err();
    assert_eq!(err.code(), "record.corrupt");
}

#[test]
fn added_vocabulary_codes_are_revisions_only_administrators_save_and_the_vault_chain_logs() {
    let f = Fixture::new();
    let (admin, _) = f.create();
    let first = json!({"label_es": "Vehículo", "label_en": "Vehicle", "definition_es": "Un coche o camioneta.", "definition_en": "A car or van."});
    let r1 = admin.save_vocabulary_code("indicators", "vehicle", &first).unwrap();
    assert_eq!((r1.rev, r1.code.as_str(), r1.tier.as_str()), (1, "vehicle", "indicators"));
    assert_eq!(r1.sha256, sha(&serde_json::to_string(&first).unwrap()));
    let second = json!({"label_es": "Vehículo", "label_en": "Vehicle", "definition_es": "Un coche, camioneta o autobús.", "definition_en": "A car, van or bus."});
    assert_eq!(admin.save_vocabulary_code("indicators", "vehicle", &second).unwrap().rev, 2);
    admin.save_vocabulary_code("indicators", "animal", &first).unwrap();
    assert_eq!(admin.save_vocabulary_code("indicators", "", &first).unwrap_err().code(), "input.empty");

    let listed: Vec<_> = admin.vocabulary_codes().unwrap().into_iter().map(|c| c.unwrap()).map(|c| (c.code, c.rev)).collect();
    assert_eq!(listed, [("vehicle".to_owned(), 2), ("animal".to_owned(), 1)]);
    let history: Vec<_> = admin.vocabulary_history("indicators", "vehicle").unwrap().into_iter().map(|c| c.unwrap().document).collect();
    assert_eq!(history, [first.clone(), second], "the first meaning stays readable");
    let logged: Vec<String> = admin
        .custody_lines(relato_vault::VAULT_CHAIN)
        .unwrap()
        .iter()
        .map(|l| serde_json::from_str::<serde_json::Value>(&l.line).unwrap())
        .filter(|e| e["event"] == "VOCABULARY_CODE_SAVED")
        .map(|e| format!("{} rev {}", e["objects"][0]["id"].as_str().unwrap(), e["details"]["rev"]))
        .collect();
    assert_eq!(logged, ["indicators/vehicle rev 1", "indicators/vehicle rev 2", "indicators/animal rev 1"]);
    admin.verify_chain(relato_vault::VAULT_CHAIN).unwrap();

    admin.add_user("Rita Revisora", Role::Reviewer, "una frase de revisora larga", None, KdfParams::insecure_fast()).unwrap();
    admin.lock();
    let rita = relato_vault::Vault::unlock(&f.path, "Rita Revisora", "una frase de revisora larga").unwrap();
    assert_eq!(rita.save_vocabulary_code("indicators", "boat", &first).unwrap_err().code(), "auth.not_permitted");
    assert_eq!(rita.vocabulary_codes().unwrap().len(), 2, "reviewers read the added codes");
    drop(rita);

    // A revision moved under another code does not open there.
    let conn = rusqlite::Connection::open(&f.path).unwrap();
    conn.execute_batch(
        "DROP TRIGGER vocabulary_revisions_append_only_u;
         UPDATE vocabulary_revisions SET body = (SELECT body FROM vocabulary_revisions WHERE code = 'vehicle' AND rev = 1) WHERE code = 'animal';",
    )
    .unwrap();
    drop(conn);
    let admin = f.admin();
    let codes = admin.vocabulary_codes().unwrap();
    assert!(codes[0].is_ok());
    assert!(matches!(codes[1], Err(VaultError::RecordCorrupt { .. })), "{:?}", codes[1]);
}

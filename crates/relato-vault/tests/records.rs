//! Cases and sessions: round trips, revisions, validation, and what a
//! damaged or swapped row does (names itself; leaves the rest readable).

mod common;

use common::*;
use relato_vault::{CaseFields, Language, NewSession, PresentRole, Role, VaultError};

#[test]
fn case_round_trip_and_revisions() {
    let f = Fixture::new();
    let (v, _) = f.create();
    let c = v.create_case(case_fields("EXP-2026-001")).unwrap();
    assert_eq!(c.rev, 1);
    assert_eq!(c.reference, "EXP-2026-001");
    assert_eq!(c.place.as_deref(), Some("Oaxaca"));
    assert_eq!(c.author, v.me().user_id);

    let edited = v
        .edit_case(&c.id, CaseFields { reference: "EXP-2026-001".into(), place: Some("Puebla".into()), institution: None })
        .unwrap();
    assert_eq!(edited.rev, 2);
    let history = v.case_history(&c.id).unwrap();
    assert_eq!(history.len(), 2);
    assert_eq!(history[0].place.as_deref(), Some("Oaxaca"), "the first revision is kept");
    assert_eq!(history[1].place.as_deref(), Some("Puebla"));
    // An edit that changes nothing adds nothing.
    assert_eq!(v.edit_case(&c.id, case_fields_of(&edited)).unwrap().rev, 2);

    v.lock();
    let v = f.admin();
    assert_eq!(v.case(&c.id).unwrap(), edited, "survives lock and unlock");
    // A unique prefix finds the case.
    assert_eq!(v.case(&c.id[..8]).unwrap().id, c.id);
    let events: Vec<String> = v.custody_lines(&c.id).unwrap().iter().map(|l| event(&l.line)).collect();
    assert_eq!(events, ["CASE_CREATED", "CASE_EDITED"]);
}

fn case_fields_of(c: &relato_vault::Case) -> CaseFields {
    CaseFields { reference: c.reference.clone(), place: c.place.clone(), institution: c.institution.clone() }
}

fn event(line: &str) -> String {
    serde_json::from_str::<serde_json::Value>(line).unwrap()["event"].as_str().unwrap().to_owned()
}

#[test]
fn session_round_trip_and_edit() {
    let f = Fixture::new();
    let (v, _) = f.create();
    let c = v.create_case(case_fields("EXP-7")).unwrap();
    let s = new_session(&v, &c.id, "NNA-014");
    assert_eq!(s.case_id, c.id);
    assert_eq!(s.fields, session_fields(&v, "NNA-014"));
    let mut fields = s.fields.clone();
    fields.age_years = 8;
    fields.language = Language::En;
    fields.persons_present.push(PresentRole::Interpreter);
    let edited = v.edit_session(&s.id, fields.clone()).unwrap();
    assert_eq!(edited.rev, 2);
    assert_eq!(edited.fields, fields);
    v.lock();
    let v = f.admin();
    assert_eq!(v.session(&s.id).unwrap(), edited);
    let listed: Vec<_> = v.sessions(&c.id).unwrap().into_iter().map(Result::unwrap).collect();
    assert_eq!(listed, vec![edited]);
    let events: Vec<String> = v.custody_lines(&c.id).unwrap().iter().map(|l| event(&l.line)).collect();
    assert_eq!(events, ["CASE_CREATED", "SESSION_CREATED", "SESSION_EDITED"]);
    // The log says which fields changed, never their values.
    let last = v.custody_lines(&c.id).unwrap().pop().unwrap().line;
    assert!(last.contains("age_years") && !last.contains("NNA-014"), "{last}");
}

#[test]
fn child_codes_must_be_codes_not_names() {
    let f = Fixture::new();
    let (v, _) = f.create();
    let c = v.create_case(case_fields("EXP-8")).unwrap();
    for bad in ["María", "Juan Pérez", "", "NNA 014", "ABCDEFG"] {
        let err = v.create_session(NewSession { case_id: c.id.clone(), fields: session_fields(&v, bad) }).err();
        assert!(matches!(err, Some(VaultError::NotAChildCode | VaultError::Empty { field: "child_code" })), "{bad:?} accepted");
    }
    let mut fields = session_fields(&v, "NNA-1");
    fields.age_years = 30;
    assert!(matches!(
        v.create_session(NewSession { case_id: c.id.clone(), fields }),
        Err(VaultError::AgeOutOfRange { age: 30, max: 17 })
    ));
    assert!(v.create_case(case_fields("")).is_err());
}

#[test]
fn roles_limit_writes() {
    let f = Fixture::new();
    let (admin, _) = f.create();
    admin.add_user("Rita Revisora", Role::Reviewer, "otra frase bastante larga", None, relato_vault::KdfParams::insecure_fast()).unwrap();
    let c = admin.create_case(case_fields("EXP-9")).unwrap();
    admin.lock();
    let rita = relato_vault::Vault::unlock(&f.path, "Rita Revisora", "otra frase bastante larga").unwrap();
    assert_eq!(rita.case(&c.id).unwrap().reference, "EXP-9", "reviewers read");
    assert!(matches!(rita.create_case(case_fields("X")), Err(VaultError::NotPermitted { .. })));
}

#[test]
fn a_flipped_bit_names_the_record_and_spares_the_others() {
    let f = Fixture::new();
    let (v, _) = f.create();
    let a = v.create_case(case_fields("EXP-A")).unwrap();
    let b = v.create_case(case_fields("EXP-B")).unwrap();
    let c = v.create_case(case_fields("EXP-C")).unwrap();
    v.lock();
    let mut body = f.query_blob(&format!("SELECT body FROM case_revisions WHERE case_id = '{}'", b.id));
    let mid = body.len() / 2;
    body[mid] ^= 0x04;
    f.set_blob(&format!("UPDATE case_revisions SET body = ?1 WHERE case_id = '{}'", b.id), body);

    let v = f.admin();
    let err = v.case(&b.id).err().unwrap();
    assert!(matches!(&err, VaultError::RecordCorrupt { record } if record == &format!("case_revisions/{}/1", b.id)), "{err}");
    let listed = v.cases().unwrap();
    assert_eq!(listed.len(), 3);
    assert_eq!(listed[0].as_ref().unwrap().id, a.id);
    assert!(listed[1].is_err());
    assert_eq!(listed[2].as_ref().unwrap().id, c.id);
}

#[test]
fn swapped_ciphertexts_fail_authentication() {
    let f = Fixture::new();
    let (v, _) = f.create();
    let a = v.create_case(case_fields("EXP-A")).unwrap();
    let b = v.create_case(case_fields("EXP-B")).unwrap();
    v.lock();
    // Swap the two rows' sealed bodies: each is intact, but bound to the other row.
    f.tamper(&format!(
        "CREATE TEMP TABLE saved AS SELECT case_id, body FROM case_revisions;
         UPDATE case_revisions SET body = (SELECT body FROM saved WHERE case_id = '{b}') WHERE case_id = '{a}';
         UPDATE case_revisions SET body = (SELECT body FROM saved WHERE case_id = '{a}') WHERE case_id = '{b}';",
        a = a.id,
        b = b.id
    ));
    let v = f.admin();
    assert!(matches!(v.case(&a.id), Err(VaultError::RecordCorrupt { .. })));
    assert!(matches!(v.case(&b.id), Err(VaultError::RecordCorrupt { .. })));

    // A ciphertext replayed across tables (a case body into a session row) fails too.
    let c = v.create_case(case_fields("EXP-C")).unwrap();
    let s = new_session(&v, &c.id, "NNA-2");
    v.lock();
    f.tamper(&format!(
        "UPDATE session_revisions SET body = (SELECT body FROM case_revisions WHERE case_id = '{}') WHERE session_id = '{}';",
        c.id, s.id
    ));
    let v = f.admin();
    assert!(matches!(v.session(&s.id), Err(VaultError::RecordCorrupt { .. })));
    assert_eq!(v.case(&c.id).unwrap().reference, "EXP-C");
}

#[test]
fn revisions_cannot_be_overwritten_through_sql() {
    let f = Fixture::new();
    let (v, _) = f.create();
    v.create_case(case_fields("EXP-A")).unwrap();
    v.lock();
    let conn = rusqlite::Connection::open(&f.path).unwrap();
    assert!(conn.execute("DELETE FROM case_revisions", []).is_err());
    assert!(conn.execute("UPDATE custody SET seq = seq + 1", []).is_err());
    assert!(conn.execute("DELETE FROM custody", []).is_err());
}

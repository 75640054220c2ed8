//! The custody chain as the window shows it: a case's signed lines, all of
//! them (the case's custody screen) or those about one session (the review
//! panel), each shaped for reading. The case view also checks the chain as
//! `relato log verify --case` does — hash links, sequence, signatures and
//! the signers' certificates — so a reader sees whether the lines listed
//! are the ones the vault signed; a damaged chain still lists every line
//! that can be read. Knows nothing of Tauri.

use relato_vault::custody::{self, Entry, SignedLine};
use relato_vault::{Vault, VaultError};
use serde::Serialize;
use specta::Type;

use crate::error::CommandError;

/// Codes this module raises.
pub const CUSTODY_ERROR_CODES: &[&str] = &["app.custody_empty"];

/// One custody line, as read from the case's chain.
#[derive(Debug, Clone, PartialEq, Serialize, Type)]
pub struct CustodyEntryView {
    pub seq: u64,
    pub at: String,
    /// The acting user's login name.
    pub actor: String,
    pub event: String,
    pub object_kind: Option<String>,
    pub object_id: Option<String>,
    pub sha256: Option<String>,
    /// The entry's details as JSON text, with the line's purpose (exports,
    /// hand-overs) among them.
    pub details: String,
    /// SHA-256 of the line before (the chain's link). For `EXPORT_CREATED`
    /// it is the `custody/custody.head` of that bundle, which was written
    /// before the export was logged.
    pub prev: String,
}

/// A case's whole chain of custody and whether it verifies.
#[derive(Debug, Clone, PartialEq, Serialize, Type)]
pub struct CaseCustodyView {
    pub case_id: String,
    /// None when the case's own record cannot be read.
    pub reference: Option<String>,
    pub entries: Vec<CustodyEntryView>,
    pub check: ChainCheckView,
}

/// The result of checking a chain line by line.
#[derive(Debug, Clone, PartialEq, Serialize, Type)]
pub struct ChainCheckView {
    /// Lines checked; 0 when the chain could not be read.
    pub lines: u64,
    /// SHA-256 of the last line, when the whole chain verifies: the head
    /// `relato log verify --case` prints, and the one a bundle exported now
    /// would carry in `custody/custody.head`.
    pub head: Option<String>,
    /// The first failing line, when it does not.
    pub failure: Option<CommandError>,
}

fn entry_view(entry: &Entry) -> CustodyEntryView {
    let object = entry.objects.first();
    let mut details = entry.details.clone();
    if let Some(p) = &entry.purpose {
        details.insert("purpose".into(), p.clone().into());
    }
    CustodyEntryView {
        seq: entry.seq,
        at: entry.time.clone(),
        actor: entry.actor.name.clone(),
        event: entry.event.clone(),
        object_kind: object.map(|o| o.kind.clone()),
        object_id: object.map(|o| o.id.clone()),
        sha256: object.map(|o| o.sha256.clone()),
        details: serde_json::Value::Object(details).to_string(),
        prev: entry.prev.clone(),
    }
}

fn entries(lines: &[SignedLine]) -> impl Iterator<Item = Entry> + '_ {
    // A line that does not parse is the verifier's to report, by number.
    lines.iter().filter_map(|l| serde_json::from_str::<Entry>(&l.line).ok())
}

/// The case chain's lines about `session_id`: its own, its recordings',
/// its transcript's and its annotations', and the case's hand-overs (they
/// move this session's evidence too).
pub fn session_custody(v: &Vault, session_id: &str) -> Result<Vec<CustodyEntryView>, CommandError> {
    let session = v.session(session_id)?;
    let recordings: Vec<String> = v.recordings(&session.id)?.into_iter().filter_map(|r| r.ok().map(|r| r.id)).collect();
    let annotations: Vec<String> =
        v.annotations(&session.id)?.into_iter().filter_map(|a| a.ok().map(|a| a.annotation_id)).collect();
    let ours = |id: &str| id == session.id || recordings.iter().any(|r| r == id) || annotations.iter().any(|a| a == id);
    let lines = v.custody_lines(&session.case_id)?;
    Ok(entries(&lines)
        .filter(|entry| {
            let detail = |k: &str| entry.details.get(k).and_then(|x| x.as_str());
            entry.objects.iter().any(|o| ours(&o.id))
                || detail("session_id").is_some_and(|s| s == session.id)
                || detail("recording_id").is_some_and(ours)
                || entry.event == "ENTREGA"
                || entry.event == "RECEPCION"
        })
        .map(|entry| entry_view(&entry))
        .collect())
}

/// Every line of the case's chain, oldest first, and the chain checked.
/// A chain that does not verify is still a view: every line that can be
/// read, and the failure naming the first bad one.
pub fn case_custody(v: &Vault, case_id: &str) -> Result<CaseCustodyView, CommandError> {
    // A damaged case record must not hide its chain (as `relato log verify`).
    let (case_id, reference) = match v.case(case_id) {
        Ok(c) => (c.id, Some(c.reference)),
        Err(VaultError::RecordCorrupt { .. }) => (case_id.to_owned(), None),
        Err(e) => return Err(e.into()),
    };
    let rows = v.custody_rows(&case_id)?;
    let stored = rows.len() as u64;
    let mut lines = Vec::new();
    let mut unreadable = None;
    for (_, row) in rows {
        match row {
            Ok(line) => lines.push(line),
            Err(e) => {
                unreadable.get_or_insert(e);
            }
        }
    }
    let failed = |e: CommandError| ChainCheckView { lines: stored, head: None, failure: Some(e) };
    let check = if let Some(e) = unreadable {
        failed(e.into())
    } else if lines.is_empty() {
        // A case is created with its first line: none at all means all were taken out.
        failed(CommandError::new("app.custody_empty", format!("custody log {case_id} has no lines")).with_arg_default("chain", &case_id))
    } else {
        match v.key_book().and_then(|book| custody::verify_chain(&case_id, &lines, &book)) {
            Ok(summary) => ChainCheckView { lines: summary.lines, head: Some(summary.head), failure: None },
            Err(e) => failed(e.into()),
        }
    };
    let entries = entries(&lines).map(|e| entry_view(&e)).collect();
    Ok(CaseCustodyView { case_id, reference, entries, check })
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::dto::CaseInput;
    use crate::service::VaultService;
    use sha2::{Digest, Sha256};

    /// Logs a delivery of the case's evidence (seal SELLO-7, with a purpose).
    pub(crate) fn log_delivery(vaults: &VaultService, case_id: &str) {
        let h = relato_vault::HandOver {
            kind: relato_vault::HandOverKind::Delivery,
            counterpart: "Lic. Marta Ríos",
            institution: Some("Fiscalía"),
            purpose: Some("carpeta de investigación"),
            medium: Some("USB"),
            seal: Some("SELLO-7"),
            bundle_sha256: None,
            file_sha256: None,
        };
        vaults.with_vault(|v| Ok(v.log_handover(case_id, &h)?)).unwrap();
    }

    /// A vault whose case EXP-1 has three lines (created, a session, a
    /// delivery), and a second case; returns the first case's id.
    fn case_with_three_lines(dir: &tempfile::TempDir) -> (VaultService, String) {
        let (vaults, session) = crate::recording::tests::vault_with_session(dir);
        let case_id = vaults.with_vault(|v| Ok(v.session(&session)?.case_id)).unwrap();
        vaults.create_case(CaseInput { reference: "EXP-2".into(), place: None, institution: None }).unwrap();
        log_delivery(&vaults, &case_id);
        (vaults, case_id)
    }

    /// Edits the stored vault as a hand edit would (the append-only triggers dropped).
    fn edit(dir: &tempfile::TempDir, sql: &str) {
        let conn = rusqlite::Connection::open(dir.path().join("vault.relato")).unwrap();
        conn.execute_batch(&format!("DROP TRIGGER IF EXISTS custody_append_only_d; DROP TRIGGER IF EXISTS custody_append_only_u; {sql}"))
            .unwrap();
    }

    #[test]
    fn a_case_lists_every_line_in_order_and_its_head_is_its_last_lines_hash() {
        let dir = tempfile::tempdir().unwrap();
        let (vaults, case_id) = case_with_three_lines(&dir);
        let view = vaults.with_vault(|v| case_custody(v, &case_id)).unwrap();
        assert_eq!(view.reference.as_deref(), Some("EXP-1"));
        let events: Vec<_> = view.entries.iter().map(|e| e.event.as_str()).collect();
        assert_eq!(events, ["CASE_CREATED", "SESSION_CREATED", "ENTREGA"], "every line of this case, in order, none of the other's");
        assert_eq!(view.entries.iter().map(|e| e.seq).collect::<Vec<_>>(), [1, 2, 3]);
        let details: serde_json::Value = serde_json::from_str(&view.entries[2].details).unwrap();
        assert_eq!(details["purpose"], "carpeta de investigación", "the purpose is read with the details");
        assert_eq!((view.check.lines, view.check.failure.as_ref()), (3, None));
        let lines = vaults.with_vault(|v| Ok(v.custody_lines(&case_id)?)).unwrap();
        let digest = |line: &str| hex::encode(Sha256::digest(line.as_bytes()));
        assert_eq!(view.check.head.as_deref(), Some(digest(&lines[2].line).as_str()), "the head is the last line's SHA-256");
        assert_eq!(view.entries[2].prev, digest(&lines[1].line), "each line names the one before");
        assert_eq!(vaults.with_vault(|v| case_custody(v, "no-such-case")).unwrap_err().code, "record.not_found");
    }

    #[test]
    fn a_line_taken_out_is_named_and_the_rest_still_listed() {
        let dir = tempfile::tempdir().unwrap();
        let (vaults, case_id) = case_with_three_lines(&dir);
        edit(&dir, &format!("DELETE FROM custody WHERE chain = '{case_id}' AND seq = 2;"));
        let view = vaults.with_vault(|v| case_custody(v, &case_id)).unwrap();
        assert_eq!(view.entries.iter().map(|e| e.seq).collect::<Vec<_>>(), [1, 3]);
        assert_eq!(view.check.head, None);
        let failure = view.check.failure.expect("the removed line is caught");
        assert_eq!(failure.code, "custody.sequence");
        assert_eq!((failure.args["line"].as_str(), failure.args["found"].as_str()), (Some("2"), Some("3")), "{failure:?}");
    }

    #[test]
    fn an_altered_line_is_named_and_the_lines_around_it_still_listed() {
        let dir = tempfile::tempdir().unwrap();
        let (vaults, case_id) = case_with_three_lines(&dir);
        // One byte of the sealed body flipped: the row no longer opens.
        let conn = rusqlite::Connection::open(dir.path().join("vault.relato")).unwrap();
        let mut body: Vec<u8> =
            conn.query_row("SELECT body FROM custody WHERE chain = ?1 AND seq = 2", [&case_id], |r| r.get(0)).unwrap();
        body[20] ^= 1;
        conn.execute_batch("DROP TRIGGER IF EXISTS custody_append_only_u;").unwrap();
        conn.execute("UPDATE custody SET body = ?1 WHERE chain = ?2 AND seq = 2", rusqlite::params![body, case_id]).unwrap();
        let view = vaults.with_vault(|v| case_custody(v, &case_id)).unwrap();
        assert_eq!(view.entries.iter().map(|e| e.seq).collect::<Vec<_>>(), [1, 3], "the readable lines are listed");
        assert_eq!((view.check.lines, view.check.head.as_ref()), (3, None));
        let failure = view.check.failure.expect("the altered line is caught");
        assert_eq!((failure.code.as_str(), failure.args["line"].as_str()), ("custody.malformed", Some("2")), "{failure:?}");
    }

    #[test]
    fn a_chain_emptied_by_hand_does_not_pass_for_intact() {
        let dir = tempfile::tempdir().unwrap();
        let (vaults, case_id) = case_with_three_lines(&dir);
        edit(&dir, &format!("DELETE FROM custody WHERE chain = '{case_id}';"));
        let view = vaults.with_vault(|v| case_custody(v, &case_id)).unwrap();
        assert!(view.entries.is_empty());
        assert_eq!(view.check.head, None);
        let failure = view.check.failure.expect("an empty chain of an existing case is caught");
        assert_eq!((failure.code.as_str(), failure.args["chain"].as_str()), ("app.custody_empty", Some(case_id.as_str())));
    }
}

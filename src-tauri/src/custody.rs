//! The custody chain as the window shows it: a case's signed lines, all of
//! them (the case's custody screen) or those about one session (the review
//! panel), each shaped for reading. The case view also checks the chain as
//! `relato log verify --case` does — hash links, sequence, signatures and
//! the signers' certificates — so a reader sees whether the lines listed
//! are the ones the vault signed. Knows nothing of Tauri.

use relato_vault::custody::{self, Entry, SignedLine};
use relato_vault::{Vault, VaultError};
use serde::Serialize;
use specta::Type;

use crate::error::CommandError;

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
    /// SHA-256 of the last line, when the whole chain verifies: the value
    /// a bundle's `custody/custody.head` carries.
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
/// A chain that cannot be read or does not verify is still a view: the
/// lines that could be read, and the failure naming its line.
pub fn case_custody(v: &Vault, case_id: &str) -> Result<CaseCustodyView, CommandError> {
    // A damaged case record must not hide its chain (as `relato log verify`).
    let (case_id, reference) = match v.case(case_id) {
        Ok(c) => (c.id, Some(c.reference)),
        Err(VaultError::RecordCorrupt { .. }) => (case_id.to_owned(), None),
        Err(e) => return Err(e.into()),
    };
    let (entries, check) = match v.custody_lines(&case_id) {
        Ok(lines) => {
            let check = match v.key_book().and_then(|book| custody::verify_chain(&case_id, &lines, &book)) {
                Ok(summary) => ChainCheckView { lines: summary.lines, head: Some(summary.head), failure: None },
                Err(e) => ChainCheckView { lines: lines.len() as u64, head: None, failure: Some(e.into()) },
            };
            (entries(&lines).map(|e| entry_view(&e)).collect(), check)
        }
        Err(e) => (Vec::new(), ChainCheckView { lines: 0, head: None, failure: Some(e.into()) }),
    };
    Ok(CaseCustodyView { case_id, reference, entries, check })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dto::CaseInput;

    #[test]
    fn a_case_lists_every_line_and_its_chain_verifies_until_a_line_is_removed() {
        let dir = tempfile::tempdir().unwrap();
        let (vaults, session) = crate::recording::tests::vault_with_session(&dir);
        let case_id = vaults.with_vault(|v| Ok(v.session(&session)?.case_id)).unwrap();
        let other = vaults.create_case(CaseInput { reference: "EXP-2".into(), place: None, institution: None }).unwrap();
        vaults
            .with_vault(|v| {
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
                Ok(v.log_handover(&case_id, &h)?)
            })
            .unwrap();

        let view = vaults.with_vault(|v| case_custody(v, &case_id)).unwrap();
        assert_eq!(view.reference.as_deref(), Some("EXP-1"));
        let events: Vec<_> = view.entries.iter().map(|e| e.event.as_str()).collect();
        assert_eq!(events, ["CASE_CREATED", "SESSION_CREATED", "ENTREGA"], "every line of this case, in order, none of the other's");
        assert_eq!(view.entries.iter().map(|e| e.seq).collect::<Vec<_>>(), [1, 2, 3]);
        let details: serde_json::Value = serde_json::from_str(&view.entries[2].details).unwrap();
        assert_eq!(details["purpose"], "carpeta de investigación", "the purpose is read with the details");
        assert_eq!((view.check.lines, view.check.failure.as_ref()), (3, None));
        let head = view.check.head.clone().expect("a verified chain has a head");
        assert_eq!(head.len(), 64);
        let other_view = vaults.with_vault(|v| case_custody(v, &other.id)).unwrap();
        assert_eq!(other_view.entries.len(), 1);
        assert_ne!(other_view.check.head, Some(head));

        // A line taken out of the stored chain: the view still lists what is
        // there and names the break.
        let conn = rusqlite::Connection::open(dir.path().join("vault.relato")).unwrap();
        conn.execute_batch(&format!(
            "DROP TRIGGER IF EXISTS custody_append_only_d; DELETE FROM custody WHERE chain = '{case_id}' AND seq = 2;"
        ))
        .unwrap();
        let view = vaults.with_vault(|v| case_custody(v, &case_id)).unwrap();
        assert_eq!(view.entries.iter().map(|e| e.seq).collect::<Vec<_>>(), [1, 3]);
        assert_eq!(view.check.head, None);
        let failure = view.check.failure.expect("the removed line is caught");
        assert_eq!(failure.code, "custody.sequence");
        assert_eq!((failure.args["line"].as_str(), failure.args["found"].as_str()), (Some("2"), Some("3")), "{failure:?}");

        assert_eq!(vaults.with_vault(|v| case_custody(v, "no-such-case")).unwrap_err().code, "record.not_found");
    }
}

//! Bundles received from another vault (format 5): the files that made a
//! bundle verifiable there — its signed manifest, custody chain and
//! signatures, keys and certificates, derivatives — kept whole and sealed
//! beside the case its originals were imported into, so that a later
//! bundle of the case carries the history back to the first recording.
//! The reception itself is one `RECEPCION` line naming the bundle.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::crypto;
use crate::custody::Event;
use crate::error::Result;
use crate::evidence::HandOver;
use crate::vault::{now, Vault};

/// A received bundle as kept.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReceivedBundle {
    pub id: String,
    pub case_id: String,
    pub received_at: String,
    /// User id of whoever received it.
    pub received_by: String,
    /// SHA-256 of its `manifest.json`.
    pub manifest_sha256: String,
    /// Every file of the bundle but its originals (which are recordings
    /// now), by path, as base64.
    pub files: BTreeMap<String, String>,
    /// The originals: bundle item id → the recording made of it here.
    pub recordings: BTreeMap<String, String>,
}

/// An original of a received bundle, imported here.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReceivedOriginal {
    /// Its id in the bundle (`EV-001`).
    pub item: String,
    pub recording_id: String,
    pub sha256: String,
}

impl Vault {
    /// Keeps a received bundle's files for `case_id` and logs its
    /// reception (`RECEPCION`, with the bundle and each original imported).
    pub fn store_received_bundle(
        &self,
        case_id: &str,
        manifest_sha256: &str,
        files: BTreeMap<String, String>,
        originals: &[ReceivedOriginal],
        handover: &HandOver<'_>,
    ) -> Result<ReceivedBundle> {
        self.require(self.me.role.may_write_cases(), "receive_evidence")?;
        let case = self.case(case_id)?;
        let bundle = ReceivedBundle {
            id: crypto::new_id("received"),
            case_id: case.id.clone(),
            received_at: now(),
            received_by: self.me.user_id.clone(),
            manifest_sha256: manifest_sha256.to_owned(),
            files,
            recordings: originals.iter().map(|o| (o.item.clone(), o.recording_id.clone())).collect(),
        };
        let tx = self.store.conn.unchecked_transaction()?;
        tx.execute(
            "INSERT INTO received_bundles (id, case_id, sv, body) VALUES (?1, ?2, ?3, ?4)",
            rusqlite::params![bundle.id, bundle.case_id, crate::store::FORMAT_VERSION, self.seal_row("received_bundles", &bundle.id, &bundle)],
        )?;
        let mut event = Event::new("RECEPCION").object("bundle", manifest_sha256, manifest_sha256.to_owned());
        for o in originals {
            event = event.object("original", &o.recording_id, o.sha256.clone());
        }
        event = event.detail("from", handover.counterpart.to_owned()).detail("imported", bundle.id.clone());
        if let Some(p) = handover.purpose {
            event = event.purpose(p);
        }
        for (name, value) in [("institution", handover.institution), ("medium", handover.medium), ("seal", handover.seal), ("file_sha256", handover.file_sha256)] {
            if let Some(v) = value {
                event = event.detail(name, v.to_owned());
            }
        }
        self.log(&tx, &case.id, event)?;
        tx.commit()?;
        Ok(bundle)
    }

    /// The bundles received for `case_id`, oldest first.
    pub fn received_bundles(&self, case_id: &str) -> Result<Vec<ReceivedBundle>> {
        self.require(self.me.role.may_read_cases(), "read_cases")?;
        let mut stmt = self.store.conn.prepare("SELECT id, sv, body FROM received_bundles WHERE case_id = ?1 ORDER BY rowid")?;
        let rows = stmt
            .query_map([case_id], |r| Ok((r.get::<_, String>(0)?, r.get::<_, u32>(1)?, r.get::<_, Vec<u8>>(2)?)))?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        rows.into_iter().map(|(id, sv, body)| self.open_row("received_bundles", &id, sv, &body)).collect()
    }
}

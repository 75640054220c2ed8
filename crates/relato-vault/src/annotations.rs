//! Annotations: each one is a sequence of sealed revisions — created,
//! edited, deleted — and every revision is a line in the case's custody
//! chain (`ANNOTATION_SAVED`, `ANNOTATION_DELETED`) carrying the SHA-256 of
//! what was stored. A deletion is a revision that says so; nothing is ever
//! removed, so an edit history can always be shown.
//!
//! As with transcripts, the vault stores the document the review layer
//! shaped (tier, span, code, note) without interpreting it; the code's
//! vocabulary is checked by the caller.

use serde::{Deserialize, Serialize};

use crate::crypto;
use crate::custody::Event;
use crate::error::{Result, VaultError};
use crate::vault::{now, Vault};

/// One revision of one annotation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AnnotationRevision {
    pub annotation_id: String,
    pub session_id: String,
    pub rev: u32,
    pub saved_at: String,
    /// User id of whoever saved it.
    pub author: String,
    /// SHA-256 of the document's JSON bytes as stored, as logged in custody.
    pub sha256: String,
    pub deleted: bool,
    pub document: serde_json::Value,
}

#[derive(Serialize, Deserialize)]
struct Body {
    /// Sealed too, so that a row moved to another session does not open there.
    session_id: String,
    saved_at: String,
    author: String,
    sha256: String,
    deleted: bool,
    document: serde_json::Value,
}

impl Vault {
    /// Saves `document` as a new annotation of `session_id` (when
    /// `annotation_id` is `None`) or as the next revision of an existing one.
    pub fn save_annotation(&self, session_id: &str, annotation_id: Option<&str>, document: &serde_json::Value) -> Result<AnnotationRevision> {
        self.write_annotation(session_id, annotation_id, document, false)
    }

    /// Marks an annotation deleted: a new revision; the earlier ones stay.
    pub fn delete_annotation(&self, session_id: &str, annotation_id: &str) -> Result<AnnotationRevision> {
        let current = self.annotation(session_id, annotation_id)?;
        self.write_annotation(session_id, Some(annotation_id), &current.document, true)
    }

    fn write_annotation(
        &self,
        session_id: &str,
        annotation_id: Option<&str>,
        document: &serde_json::Value,
        deleted: bool,
    ) -> Result<AnnotationRevision> {
        self.require(self.me.role.may_review(), "annotate")?;
        let session = self.session(session_id)?;
        let tx = self.store.conn.unchecked_transaction()?;
        let (id, rev) = match annotation_id {
            None => (crypto::new_id("ann"), 1),
            Some(id) => {
                let last: Option<u32> = tx.query_row(
                    "SELECT MAX(rev) FROM annotation_revisions WHERE annotation_id = ?1 AND session_id = ?2",
                    [id, &session.id],
                    |r| r.get(0),
                )?;
                let last = last.ok_or_else(|| VaultError::RecordNotFound { kind: "annotation", id: id.to_owned() })?;
                // A deleted annotation stays deleted: neither edited back
                // to life nor deleted twice.
                if self.annotation_revision(id, last)?.deleted {
                    return Err(VaultError::RecordNotFound { kind: "annotation", id: id.to_owned() });
                }
                (id.to_owned(), last + 1)
            }
        };
        let bytes = serde_json::to_vec(document).expect("JSON values serialise");
        let body = Body { session_id: session.id.clone(), saved_at: now(), author: self.me.user_id.clone(), sha256: crypto::sha256_hex(&bytes), deleted, document: document.clone() };
        tx.execute(
            "INSERT INTO annotation_revisions (annotation_id, session_id, rev, sv, body) VALUES (?1, ?2, ?3, ?4, ?5)",
            rusqlite::params![id, session.id, rev, crate::store::FORMAT_VERSION, self.seal_row("annotation_revisions", &format!("{id}/{rev}"), &body)],
        )?;
        let name = if deleted { "ANNOTATION_DELETED" } else { "ANNOTATION_SAVED" };
        let event = Event::new(name).object("annotation", &id, body.sha256.clone()).detail("session_id", session.id.clone()).detail("rev", rev);
        self.log(&tx, &session.case_id, event)?;
        tx.commit()?;
        self.annotation_revision(&id, rev)
    }

    /// The latest revision of one annotation of `session_id`.
    pub fn annotation(&self, session_id: &str, annotation_id: &str) -> Result<AnnotationRevision> {
        let session = self.session(session_id)?;
        let last: Option<u32> = self.store.conn.query_row(
            "SELECT MAX(rev) FROM annotation_revisions WHERE annotation_id = ?1 AND session_id = ?2",
            [annotation_id, &session.id],
            |r| r.get(0),
        )?;
        let rev = last.ok_or_else(|| VaultError::RecordNotFound { kind: "annotation", id: annotation_id.to_owned() })?;
        self.annotation_revision(annotation_id, rev)
    }

    /// The session's annotations as they stand (latest revisions, deleted
    /// ones left out), in the order they were created.
    pub fn annotations(&self, session_id: &str) -> Result<Vec<Result<AnnotationRevision>>> {
        let session = self.session(session_id)?;
        let mut stmt = self.store.conn.prepare(
            "SELECT annotation_id, MAX(rev) FROM annotation_revisions WHERE session_id = ?1 GROUP BY annotation_id ORDER BY MIN(rowid)",
        )?;
        let latest = stmt.query_map([&session.id], |r| Ok((r.get::<_, String>(0)?, r.get::<_, u32>(1)?)))?.collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(latest
            .into_iter()
            .map(|(id, rev)| self.annotation_revision(&id, rev))
            .filter(|r| !matches!(r, Ok(a) if a.deleted))
            .collect())
    }

    /// Every revision of every annotation of the session, deleted ones
    /// included, in the order they were saved: what a rule about codes
    /// ever used must look at.
    pub fn all_annotation_revisions(&self, session_id: &str) -> Result<Vec<Result<AnnotationRevision>>> {
        let session = self.session(session_id)?;
        let mut stmt = self.store.conn.prepare("SELECT annotation_id, rev FROM annotation_revisions WHERE session_id = ?1 ORDER BY rowid")?;
        let rows = stmt.query_map([&session.id], |r| Ok((r.get::<_, String>(0)?, r.get::<_, u32>(1)?)))?.collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(rows.into_iter().map(|(id, rev)| self.annotation_revision(&id, rev)).collect())
    }

    /// Every revision of one annotation, oldest first.
    pub fn annotation_history(&self, session_id: &str, annotation_id: &str) -> Result<Vec<Result<AnnotationRevision>>> {
        let last = self.annotation(session_id, annotation_id)?.rev;
        Ok((1..=last).map(|rev| self.annotation_revision(annotation_id, rev)).collect())
    }

    fn annotation_revision(&self, annotation_id: &str, rev: u32) -> Result<AnnotationRevision> {
        let (session_id, sv, sealed): (String, u32, Vec<u8>) = self.store.conn.query_row(
            "SELECT session_id, sv, body FROM annotation_revisions WHERE annotation_id = ?1 AND rev = ?2",
            rusqlite::params![annotation_id, rev],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )?;
        let row = format!("{annotation_id}/{rev}");
        let b: Body = self.open_row("annotation_revisions", &row, sv, &sealed)?;
        if b.session_id != session_id {
            return Err(VaultError::RecordCorrupt { record: format!("annotation_revisions/{row}") });
        }
        Ok(AnnotationRevision {
            annotation_id: annotation_id.to_owned(),
            session_id,
            rev,
            saved_at: b.saved_at,
            author: b.author,
            sha256: b.sha256,
            deleted: b.deleted,
            document: b.document,
        })
    }
}

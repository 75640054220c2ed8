//! Transcripts: every save of a session's transcript is a new sealed
//! revision (author, time, SHA-256 of its canonical text) and a
//! `TRANSCRIPT_SAVED` line in the case's custody chain. Earlier revisions are
//! never overwritten; they can all be read back and compared.
//!
//! The vault keeps the document as the review layer shaped it (a JSON
//! value: segments, speakers, times) and does not interpret it; the caller
//! also passes the canonical text whose hash identifies the revision — the
//! vault computes that hash itself, so what is logged is what was stored.

use serde::{Deserialize, Serialize};

use crate::crypto;
use crate::custody::Event;
use crate::error::Result;
use crate::vault::{now, Vault};

/// One saved revision of a session's transcript.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TranscriptRevision {
    pub session_id: String,
    pub rev: u32,
    pub saved_at: String,
    /// User id of whoever saved it.
    pub author: String,
    /// SHA-256 of `text`, as logged in custody.
    pub sha256: String,
    /// Where it came from when not typed in the app (`import: file.vtt`).
    pub source: Option<String>,
    /// The canonical text the hash is over.
    pub text: String,
    /// The document: segments with times, speakers and text.
    pub document: serde_json::Value,
}

#[derive(Serialize, Deserialize)]
struct Body {
    saved_at: String,
    author: String,
    sha256: String,
    source: Option<String>,
    text: String,
    document: serde_json::Value,
}

impl Vault {
    /// Saves a new revision of `session_id`'s transcript and logs it.
    pub fn save_transcript(
        &self,
        session_id: &str,
        document: &serde_json::Value,
        text: &str,
        source: Option<&str>,
    ) -> Result<TranscriptRevision> {
        self.require(self.me.role.may_review(), "transcribe")?;
        let session = self.session(session_id)?;
        let tx = self.store.conn.unchecked_transaction()?;
        let rev: u32 = tx.query_row(
            "SELECT COALESCE(MAX(rev), 0) + 1 FROM transcript_revisions WHERE session_id = ?1",
            [&session.id],
            |r| r.get(0),
        )?;
        let body = Body {
            saved_at: now(),
            author: self.me.user_id.clone(),
            sha256: crypto::sha256_hex(text.as_bytes()),
            source: source.map(str::to_owned),
            text: text.to_owned(),
            document: document.clone(),
        };
        self.insert_revision(&tx, "transcript_revisions", "session_id", &session.id, rev, &body)?;
        let mut event = Event::new("TRANSCRIPT_SAVED")
            .object("transcript", &session.id, body.sha256.clone())
            .detail("session_id", session.id.clone())
            .detail("rev", rev);
        if let Some(source) = source {
            event = event.detail("source", source.to_owned());
        }
        self.log(&tx, &session.case_id, event)?;
        tx.commit()?;
        self.transcript_revision(&session.id, rev)
    }

    /// The latest revision, if the session has a transcript.
    pub fn transcript(&self, session_id: &str) -> Result<Option<TranscriptRevision>> {
        let session = self.session(session_id)?;
        let latest: Option<u32> = self.store.conn.query_row(
            "SELECT MAX(rev) FROM transcript_revisions WHERE session_id = ?1",
            [&session.id],
            |r| r.get(0),
        )?;
        latest.map(|rev| self.transcript_revision(&session.id, rev)).transpose()
    }

    /// Revision `rev`, if there is one; a damaged one is an error of its own.
    pub fn transcript_at(&self, session_id: &str, rev: u32) -> Result<Option<TranscriptRevision>> {
        let session = self.session(session_id)?;
        let exists: bool = self.store.conn.query_row(
            "SELECT EXISTS (SELECT 1 FROM transcript_revisions WHERE session_id = ?1 AND rev = ?2)",
            rusqlite::params![session.id, rev],
            |r| r.get(0),
        )?;
        exists.then(|| self.transcript_revision(&session.id, rev)).transpose()
    }

    /// Every revision, oldest first; a damaged one is reported alone.
    pub fn transcript_revisions(&self, session_id: &str) -> Result<Vec<Result<TranscriptRevision>>> {
        let session = self.session(session_id)?;
        let mut stmt = self.store.conn.prepare("SELECT rev FROM transcript_revisions WHERE session_id = ?1 ORDER BY rev")?;
        let revs = stmt.query_map([&session.id], |r| r.get::<_, u32>(0))?.collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(revs.into_iter().map(|rev| self.transcript_revision(&session.id, rev)).collect())
    }

    fn transcript_revision(&self, session_id: &str, rev: u32) -> Result<TranscriptRevision> {
        let (sv, sealed): (u32, Vec<u8>) = self.store.conn.query_row(
            "SELECT sv, body FROM transcript_revisions WHERE session_id = ?1 AND rev = ?2",
            rusqlite::params![session_id, rev],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?;
        let b: Body = self.open_row("transcript_revisions", &format!("{session_id}/{rev}"), sv, &sealed)?;
        Ok(TranscriptRevision {
            session_id: session_id.to_owned(),
            rev,
            saved_at: b.saved_at,
            author: b.author,
            sha256: b.sha256,
            source: b.source,
            text: b.text,
            document: b.document,
        })
    }
}

//! Codes added to a tier's controlled vocabulary by an administrator.
//!
//! Each code is a sequence of sealed revisions (labels and definitions as
//! the review layer shapes them) and every revision is a
//! `VOCABULARY_CODE_SAVED` line in the vault's own custody chain. Like
//! other records nothing is overwritten: the meaning a code had when an
//! annotation used it can always be read. Whether a revision may change a
//! code's meaning (not once annotations use it) is the caller's rule; the
//! vault only makes sure that every change is explicit and logged.

use serde::{Deserialize, Serialize};

use crate::crypto;
use crate::custody::{Event, VAULT_CHAIN};
use crate::error::{Result, VaultError};
use crate::vault::{now, Vault};

/// One revision of an added code.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct VocabularyRevision {
    pub tier: String,
    pub code: String,
    pub rev: u32,
    pub saved_at: String,
    /// User id of the administrator who saved it.
    pub author: String,
    /// SHA-256 of the document's JSON bytes as stored, as logged in custody.
    pub sha256: String,
    pub document: serde_json::Value,
}

#[derive(Serialize, Deserialize)]
struct Body {
    /// Sealed too, so that a row moved to another code does not open there.
    tier: String,
    code: String,
    saved_at: String,
    author: String,
    sha256: String,
    document: serde_json::Value,
}

impl Vault {
    /// Saves the next revision of `tier`/`code` (the first adds it).
    /// Administrators only.
    pub fn save_vocabulary_code(&self, tier: &str, code: &str, document: &serde_json::Value) -> Result<VocabularyRevision> {
        self.require(self.me.role.may_manage_users(), "edit_vocabulary")?;
        if tier.is_empty() || code.is_empty() {
            return Err(VaultError::Empty { field: if tier.is_empty() { "tier" } else { "code" } });
        }
        let tx = self.store.conn.unchecked_transaction()?;
        let last: Option<u32> =
            tx.query_row("SELECT MAX(rev) FROM vocabulary_revisions WHERE tier = ?1 AND code = ?2", [tier, code], |r| r.get(0))?;
        let rev = last.unwrap_or(0) + 1;
        let bytes = serde_json::to_vec(document).expect("JSON values serialise");
        let body = Body {
            tier: tier.to_owned(),
            code: code.to_owned(),
            saved_at: now(),
            author: self.me.user_id.clone(),
            sha256: crypto::sha256_hex(&bytes),
            document: document.clone(),
        };
        let row = format!("{tier}/{code}/{rev}");
        tx.execute(
            "INSERT INTO vocabulary_revisions (tier, code, rev, sv, body) VALUES (?1, ?2, ?3, ?4, ?5)",
            rusqlite::params![tier, code, rev, crate::store::FORMAT_VERSION, self.seal_row("vocabulary_revisions", &row, &body)],
        )?;
        let event = Event::new("VOCABULARY_CODE_SAVED")
            .object("vocabulary_code", &format!("{tier}/{code}"), body.sha256.clone())
            .detail("rev", rev);
        self.log(&tx, VAULT_CHAIN, event)?;
        tx.commit()?;
        self.vocabulary_revision(tier, code, rev)
    }

    /// Every added code as it stands (latest revisions), oldest first.
    pub fn vocabulary_codes(&self) -> Result<Vec<Result<VocabularyRevision>>> {
        self.require(self.me.role.may_read_cases(), "read_vocabulary")?;
        let mut stmt = self
            .store
            .conn
            .prepare("SELECT tier, code, MAX(rev) FROM vocabulary_revisions GROUP BY tier, code ORDER BY MIN(rowid)")?;
        let latest = stmt
            .query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?, r.get::<_, u32>(2)?)))?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(latest.into_iter().map(|(tier, code, rev)| self.vocabulary_revision(&tier, &code, rev)).collect())
    }

    /// Every revision of one added code, oldest first.
    pub fn vocabulary_history(&self, tier: &str, code: &str) -> Result<Vec<Result<VocabularyRevision>>> {
        self.require(self.me.role.may_read_cases(), "read_vocabulary")?;
        let last: Option<u32> =
            self.store.conn.query_row("SELECT MAX(rev) FROM vocabulary_revisions WHERE tier = ?1 AND code = ?2", [tier, code], |r| r.get(0))?;
        let last = last.ok_or_else(|| VaultError::RecordNotFound { kind: "vocabulary code", id: format!("{tier}/{code}") })?;
        Ok((1..=last).map(|rev| self.vocabulary_revision(tier, code, rev)).collect())
    }

    fn vocabulary_revision(&self, tier: &str, code: &str, rev: u32) -> Result<VocabularyRevision> {
        let (sv, sealed): (u32, Vec<u8>) = self.store.conn.query_row(
            "SELECT sv, body FROM vocabulary_revisions WHERE tier = ?1 AND code = ?2 AND rev = ?3",
            rusqlite::params![tier, code, rev],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?;
        let row = format!("{tier}/{code}/{rev}");
        let b: Body = self.open_row("vocabulary_revisions", &row, sv, &sealed)?;
        if b.tier != tier || b.code != code {
            return Err(VaultError::RecordCorrupt { record: format!("vocabulary_revisions/{row}") });
        }
        Ok(VocabularyRevision {
            tier: b.tier,
            code: b.code,
            rev,
            saved_at: b.saved_at,
            author: b.author,
            sha256: b.sha256,
            document: b.document,
        })
    }
}

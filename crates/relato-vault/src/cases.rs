//! Cases and sessions: sealed revisions, each creation and edit logged in
//! the case's own custody chain (whose id is the case id).
//!
//! Reads that meet a damaged row fail for that row only: listings return one
//! result per record so that everything else stays readable.

use rusqlite::OptionalExtension;
use serde::{Deserialize, Serialize};

use crate::crypto;
use crate::custody::Event;
use crate::error::{Result, VaultError};
use crate::records::{Case, CaseFields, Session, SessionFields};
use crate::vault::{now, Vault};

/// What a case revision seals (the id and revision number are the row's).
#[derive(Serialize, Deserialize)]
struct CaseBody {
    #[serde(flatten)]
    fields: CaseFields,
    created_at: String,
    author: String,
}

/// What a session revision seals.
#[derive(Serialize, Deserialize)]
struct SessionBody {
    #[serde(flatten)]
    fields: SessionFields,
    created_at: String,
    author: String,
}

/// A new session of an existing case (`case_id` may be a unique prefix).
#[derive(Debug, Clone)]
pub struct NewSession {
    pub case_id: String,
    pub fields: SessionFields,
}

impl Vault {
    pub fn create_case(&self, fields: CaseFields) -> Result<Case> {
        self.require(self.me.role.may_write_cases(), "create_cases")?;
        fields.validate()?;
        let id = crypto::new_id("case");
        let tx = self.store.conn.unchecked_transaction()?;
        tx.execute("INSERT INTO cases (id) VALUES (?1)", [&id])?;
        let digest = self.insert_case_revision(&tx, &id, 1, &fields)?;
        self.log(&tx, &id, Event::new("CASE_CREATED").object("case", &id, digest).detail("rev", 1))?;
        tx.commit()?;
        self.case(&id)
    }

    /// Edits a case by adding a revision; the earlier ones remain.
    pub fn edit_case(&self, id: &str, fields: CaseFields) -> Result<Case> {
        self.require(self.me.role.may_write_cases(), "edit_cases")?;
        fields.validate()?;
        let current = self.case(id)?;
        let changed = changed_fields(&serde_json::to_value(current_fields(&current)).unwrap(), &serde_json::to_value(&fields).unwrap());
        if changed.is_empty() {
            return Ok(current);
        }
        let rev = current.rev + 1;
        let tx = self.store.conn.unchecked_transaction()?;
        let digest = self.insert_case_revision(&tx, &current.id, rev, &fields)?;
        self.log(
            &tx,
            &current.id,
            Event::new("CASE_EDITED").object("case", &current.id, digest).detail("rev", rev).detail("fields", changed),
        )?;
        tx.commit()?;
        self.case(&current.id)
    }

    fn insert_case_revision(&self, conn: &rusqlite::Connection, id: &str, rev: u32, fields: &CaseFields) -> Result<String> {
        let body = CaseBody { fields: fields.clone(), created_at: now(), author: self.me.user_id.clone() };
        self.insert_revision(conn, "case_revisions", "case_id", id, rev, &body)
    }

    /// The latest revision of a case. `id` may be a unique prefix.
    pub fn case(&self, id: &str) -> Result<Case> {
        self.require(self.me.role.may_read_cases(), "read_cases")?;
        let id = self.resolve_id("cases", "case", id)?;
        let (rev, sv, body): (u32, u32, Vec<u8>) = self.store.conn.query_row(
            "SELECT rev, sv, body FROM case_revisions WHERE case_id = ?1 ORDER BY rev DESC LIMIT 1",
            [&id],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )?;
        self.open_case(&id, rev, sv, &body)
    }

    /// Every revision of a case, oldest first.
    pub fn case_history(&self, id: &str) -> Result<Vec<Case>> {
        self.require(self.me.role.may_read_cases(), "read_cases")?;
        let id = self.resolve_id("cases", "case", id)?;
        let mut stmt = self.store.conn.prepare("SELECT rev, sv, body FROM case_revisions WHERE case_id = ?1 ORDER BY rev")?;
        let rows = stmt.query_map([&id], |r| Ok((r.get::<_, u32>(0)?, r.get::<_, u32>(1)?, r.get::<_, Vec<u8>>(2)?)))?;
        rows.map(|row| {
            let (rev, sv, body) = row?;
            self.open_case(&id, rev, sv, &body)
        })
        .collect()
    }

    /// All cases, latest revisions, oldest case first. A damaged case is an
    /// `Err` naming it; the others are unaffected.
    pub fn cases(&self) -> Result<Vec<Result<Case>>> {
        self.require(self.me.role.may_read_cases(), "read_cases")?;
        let ids = self.ids("SELECT id FROM cases ORDER BY rowid", [])?;
        Ok(ids.iter().map(|id| self.case(id)).collect())
    }

    fn open_case(&self, id: &str, rev: u32, sv: u32, body: &[u8]) -> Result<Case> {
        let b: CaseBody = self.open_row("case_revisions", &format!("{id}/{rev}"), sv, body)?;
        Ok(Case {
            id: id.to_owned(),
            rev,
            reference: b.fields.reference,
            place: b.fields.place,
            institution: b.fields.institution,
            created_at: b.created_at,
            author: b.author,
        })
    }

    // ---- sessions ----------------------------------------------------------

    pub fn create_session(&self, new: NewSession) -> Result<Session> {
        self.require(self.me.role.may_write_cases(), "create_sessions")?;
        new.fields.validate()?;
        let case = self.case(&new.case_id)?;
        self.user_by_id(&new.fields.interviewer)?;
        let id = crypto::new_id("sess");
        let tx = self.store.conn.unchecked_transaction()?;
        tx.execute("INSERT INTO sessions (id, case_id) VALUES (?1, ?2)", [&id, &case.id])?;
        let digest = self.insert_session_revision(&tx, &id, 1, &new.fields)?;
        self.log(&tx, &case.id, Event::new("SESSION_CREATED").object("session", &id, digest).detail("rev", 1))?;
        tx.commit()?;
        self.session(&id)
    }

    pub fn edit_session(&self, id: &str, fields: SessionFields) -> Result<Session> {
        self.require(self.me.role.may_write_cases(), "edit_sessions")?;
        fields.validate()?;
        self.user_by_id(&fields.interviewer)?;
        let current = self.session(id)?;
        let changed =
            changed_fields(&serde_json::to_value(&current.fields).unwrap(), &serde_json::to_value(&fields).unwrap());
        if changed.is_empty() {
            return Ok(current);
        }
        let rev = current.rev + 1;
        let tx = self.store.conn.unchecked_transaction()?;
        let digest = self.insert_session_revision(&tx, &current.id, rev, &fields)?;
        self.log(
            &tx,
            &current.case_id,
            Event::new("SESSION_EDITED").object("session", &current.id, digest).detail("rev", rev).detail("fields", changed),
        )?;
        tx.commit()?;
        self.session(&current.id)
    }

    fn insert_session_revision(&self, conn: &rusqlite::Connection, id: &str, rev: u32, fields: &SessionFields) -> Result<String> {
        let body = SessionBody { fields: fields.clone(), created_at: now(), author: self.me.user_id.clone() };
        self.insert_revision(conn, "session_revisions", "session_id", id, rev, &body)
    }

    /// The latest revision of a session. `id` may be a unique prefix.
    pub fn session(&self, id: &str) -> Result<Session> {
        self.require(self.me.role.may_read_cases(), "read_sessions")?;
        let id = self.resolve_id("sessions", "session", id)?;
        let case_id: String = self.store.conn.query_row("SELECT case_id FROM sessions WHERE id = ?1", [&id], |r| r.get(0))?;
        let (rev, sv, body): (u32, u32, Vec<u8>) = self.store.conn.query_row(
            "SELECT rev, sv, body FROM session_revisions WHERE session_id = ?1 ORDER BY rev DESC LIMIT 1",
            [&id],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )?;
        let b: SessionBody = self.open_row("session_revisions", &format!("{id}/{rev}"), sv, &body)?;
        Ok(Session { id, case_id, rev, fields: b.fields, created_at: b.created_at, author: b.author })
    }

    /// Sessions of a case, oldest first, one result per session.
    pub fn sessions(&self, case_id: &str) -> Result<Vec<Result<Session>>> {
        let case_id = self.resolve_id("cases", "case", case_id)?;
        let ids = self.ids("SELECT id FROM sessions WHERE case_id = ?1 ORDER BY rowid", [&case_id])?;
        Ok(ids.iter().map(|id| self.session(id)).collect())
    }

    fn ids<P: rusqlite::Params>(&self, sql: &str, p: P) -> Result<Vec<String>> {
        let mut stmt = self.store.conn.prepare(sql)?;
        let rows = stmt.query_map(p, |r| r.get(0))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Full id from an exact id or a unique prefix of at least four characters.
    pub(crate) fn resolve_id(&self, table: &str, kind: &'static str, id: &str) -> Result<String> {
        let id = id.trim();
        let exact: Option<String> = self
            .store
            .conn
            .query_row(&format!("SELECT id FROM {table} WHERE id = ?1"), [id], |r| r.get(0))
            .optional()?;
        if let Some(found) = exact {
            return Ok(found);
        }
        let not_found = || VaultError::RecordNotFound { kind, id: id.to_owned() };
        if id.chars().count() < 4 || id.contains(['%', '_']) {
            return Err(not_found());
        }
        let matches = self.ids(&format!("SELECT id FROM {table} WHERE id LIKE ?1 || '%' LIMIT 2"), [id])?;
        match matches.as_slice() {
            [one] => Ok(one.clone()),
            [] => Err(not_found()),
            _ => Err(VaultError::AmbiguousId { kind, id: id.to_owned() }),
        }
    }
}

fn current_fields(c: &Case) -> CaseFields {
    CaseFields { reference: c.reference.clone(), place: c.place.clone(), institution: c.institution.clone() }
}

/// Names of the top-level fields that differ (the log says *what* changed,
/// never the values).
fn changed_fields(old: &serde_json::Value, new: &serde_json::Value) -> Vec<String> {
    let (Some(old), Some(new)) = (old.as_object(), new.as_object()) else { return vec![] };
    new.iter().filter(|(k, v)| old.get(*k) != Some(*v)).map(|(k, _)| k.clone()).collect()
}

//! What an evidence bundle needs from the vault: the acting user's
//! signature over the bundle's manifest, every signing key with the
//! organisation's certificate (so a verifier can check who signed each
//! custody line), and the custody lines of the export itself
//! (`EXPORT_CREATED`), of hand-overs (`ENTREGA`, `RECEPCION`) and of an
//! original that failed its integrity check (`INTEGRITY_FAILED`). The secret key never leaves the vault: the
//! bundle writer asks for signatures over bytes.

use ed25519_dalek::{Signer, VerifyingKey};
use rusqlite::OptionalExtension as _;

use crate::custody::Event;
use crate::error::Result;
use crate::identity::{self, SignedCertificate};
use crate::vault::Vault;

/// What an `EXPORT_CREATED` line records.
#[derive(Debug, Clone, Copy)]
pub struct ExportLogged<'a> {
    pub manifest_sha256: &'a str,
    pub zip_sha256: Option<&'a str>,
    pub age_sha256: Option<&'a str>,
    /// `(recording id, SHA-256)` of each original in the bundle.
    pub originals: &'a [(String, String)],
    pub purpose: Option<&'a str>,
    pub recipient: Option<&'a str>,
}

/// Which side of a hand-over this vault's user was on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HandOverKind {
    /// `ENTREGA`: delivered to `counterpart`.
    Delivery,
    /// `RECEPCION`: received from `counterpart`.
    Receipt,
}

/// A hand-over as its custody line records it. No field may hold a
/// child's name or other identifying detail (brief §3).
#[derive(Debug, Clone, Copy)]
pub struct HandOver<'a> {
    pub kind: HandOverKind,
    /// The person on the other side.
    pub counterpart: &'a str,
    pub institution: Option<&'a str>,
    pub purpose: Option<&'a str>,
    /// USB drive, optical disc, secure transfer…
    pub medium: Option<&'a str>,
    /// The number on the evidence seal or package.
    pub seal: Option<&'a str>,
    /// The manifest SHA-256 of the bundle handed over, if any.
    pub bundle_sha256: Option<&'a str>,
    /// The SHA-256 of the file handed over (zip or encrypted zip), if any.
    pub file_sha256: Option<&'a str>,
}

/// A signing key as a bundle carries it.
#[derive(Debug, Clone)]
pub struct SignerKey {
    pub key_id: String,
    pub public: VerifyingKey,
    /// The organisation's certificate for the key.
    pub certificate: SignedCertificate,
}

impl Vault {
    /// The acting user's key id and public key.
    pub fn my_key(&self) -> (String, VerifyingKey) {
        (self.me.key_id.clone(), self.signing.verifying_key())
    }

    /// The acting user's Ed25519 signature over `bytes` (for a bundle's
    /// manifest and checksums; custody lines are signed as they are
    /// written).
    pub fn sign_as_me(&self, bytes: &[u8]) -> [u8; 64] {
        self.signing.sign(bytes).to_bytes()
    }

    /// The vault chain's `KEY_REVOKED` lines, with their signatures, so a
    /// bundle can say which keys stopped being valid, and when.
    pub fn key_revocations(&self) -> Result<Vec<crate::custody::SignedLine>> {
        self.require(self.me.role.may_read_cases(), "export_evidence")?;
        Ok(self
            .custody_lines(crate::custody::VAULT_CHAIN)?
            .into_iter()
            .filter(|l| serde_json::from_str::<serde_json::Value>(&l.line).is_ok_and(|e| e["event"] == "KEY_REVOKED"))
            .collect())
    }

    /// The organisation's name, as the vault's first custody line
    /// (`VAULT_CREATED`) recorded it.
    pub fn organisation_name(&self) -> Result<String> {
        // Only the first line: the vault chain grows with every unlock.
        let row: Option<(u32, Vec<u8>)> = self
            .store
            .conn
            .query_row("SELECT sv, body FROM custody WHERE chain = ?1 AND seq = 1", [crate::custody::VAULT_CHAIN], |r| {
                Ok((r.get(0)?, r.get(1)?))
            })
            .optional()?;
        let first = match row {
            Some((sv, body)) => Some(self.open_row::<crate::custody::SignedLine>("custody", &format!("{}/1", crate::custody::VAULT_CHAIN), sv, &body)?),
            None => None,
        };
        let name = first
            .and_then(|l| serde_json::from_str::<serde_json::Value>(&l.line).ok())
            .and_then(|e| e["details"]["organisation"].as_str().map(str::to_owned));
        Ok(name.unwrap_or_default())
    }

    /// Every signing key the vault knows, with its certificate (checked
    /// here against the organisation key; a key whose certificate does not
    /// open or verify is left out, and verifying a line it signed fails).
    pub fn signer_keys(&self) -> Result<Vec<SignerKey>> {
        self.require(self.me.role.may_read_cases(), "export_evidence")?;
        let mut stmt = self.store.conn.prepare("SELECT key_id, public_key, sv, body FROM signing_keys ORDER BY rowid")?;
        let rows = stmt
            .query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, Vec<u8>>(1)?, r.get::<_, u32>(2)?, r.get::<_, Vec<u8>>(3)?)))?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        let mut out = Vec::new();
        for (key_id, public, sv, body) in rows {
            let Some(public) = identity::public_from_bytes(&public) else { continue };
            let Ok(certificate) = self.open_row::<SignedCertificate>("signing_keys", &key_id, sv, &body) else { continue };
            if certificate.verify(&self.org_public, &public).is_ok() {
                out.push(SignerKey { key_id, public, certificate });
            }
        }
        Ok(out)
    }

    /// Logs that a bundle of `case_id` was written: `EXPORT_CREATED` with
    /// the SHA-256 of its signed manifest (and of its zip and encrypted
    /// file, when packaged so), the originals it holds, and why and for
    /// whom.
    pub fn log_export(&self, case_id: &str, e: &ExportLogged<'_>) -> Result<()> {
        self.require(self.me.role.may_read_cases(), "export_evidence")?;
        let case = self.case(case_id)?;
        let mut event = Event::new("EXPORT_CREATED").object("bundle", e.manifest_sha256, e.manifest_sha256.to_owned());
        for (recording_id, sha256) in e.originals {
            event = event.object("original", recording_id, sha256.clone());
        }
        if let Some(p) = e.purpose {
            event = event.purpose(p);
        }
        if let Some(r) = e.recipient {
            event = event.detail("recipient", r.to_owned());
        }
        if let Some(z) = e.zip_sha256 {
            event = event.detail("zip_sha256", z.to_owned());
        }
        if let Some(a) = e.age_sha256 {
            event = event.detail("age_sha256", a.to_owned());
        }
        let tx = self.store.conn.unchecked_transaction()?;
        self.log(&tx, &case.id, event)?;
        tx.commit()?;
        Ok(())
    }

    /// Logs a hand-over of a case's evidence: `ENTREGA` (delivered to
    /// someone) or `RECEPCION` (received from someone), with the medium,
    /// the seal and, when a bundle went with it, the bundle's manifest hash
    /// and the handed file's hash.
    pub fn log_handover(&self, case_id: &str, h: &HandOver<'_>) -> Result<()> {
        self.require(self.me.role.may_read_cases(), "hand_over_evidence")?;
        let case = self.case(case_id)?;
        let (event_name, counterpart) = match h.kind {
            HandOverKind::Delivery => ("ENTREGA", "to"),
            HandOverKind::Receipt => ("RECEPCION", "from"),
        };
        let mut event = Event::new(event_name);
        if let Some(sha) = h.bundle_sha256 {
            event = event.object("bundle", sha, sha.to_owned());
        }
        event = event.detail(counterpart, h.counterpart.to_owned());
        if let Some(p) = h.purpose {
            event = event.purpose(p);
        }
        for (name, value) in [("institution", h.institution), ("medium", h.medium), ("seal", h.seal), ("file_sha256", h.file_sha256)] {
            if let Some(v) = value {
                event = event.detail(name, v.to_owned());
            }
        }
        let tx = self.store.conn.unchecked_transaction()?;
        self.log(&tx, &case.id, event)?;
        tx.commit()?;
        Ok(())
    }

    /// Logs that an original did not match its recorded hash when it was
    /// about to leave the vault (nothing was written).
    pub fn log_integrity_failure(&self, recording_id: &str, expected: &str, found: &str) -> Result<()> {
        let rec = self.recording(recording_id)?;
        let case_id = self.session(&rec.session_id)?.case_id;
        let event = Event::new("INTEGRITY_FAILED")
            .object("original", &rec.id, expected.to_owned())
            .detail("expected_sha256", expected.to_owned())
            .detail("found_sha256", found.to_owned());
        let tx = self.store.conn.unchecked_transaction()?;
        self.log(&tx, &case_id, event)?;
        tx.commit()?;
        Ok(())
    }
}

//! What an evidence bundle needs from the vault: the acting user's
//! signature over the bundle's manifest, every signing key with the
//! organisation's certificate (so a verifier can check who signed each
//! custody line), and the custody lines of the export itself
//! (`EXPORT_CREATED`) and of an original that failed its integrity check
//! (`INTEGRITY_FAILED`). The secret key never leaves the vault: the
//! bundle writer asks for signatures over bytes.

use ed25519_dalek::{Signer, VerifyingKey};

use crate::custody::Event;
use crate::error::Result;
use crate::identity::{self, SignedCertificate};
use crate::vault::Vault;

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
    /// the SHA-256 of its signed manifest (and of its zip, when zipped),
    /// the originals it holds, and why and for whom.
    pub fn log_export(
        &self,
        case_id: &str,
        manifest_sha256: &str,
        zip_sha256: Option<&str>,
        originals: &[(String, String)],
        purpose: Option<&str>,
        recipient: Option<&str>,
    ) -> Result<()> {
        self.require(self.me.role.may_read_cases(), "export_evidence")?;
        let case = self.case(case_id)?;
        let mut event = Event::new("EXPORT_CREATED").object("bundle", manifest_sha256, manifest_sha256.to_owned());
        for (recording_id, sha256) in originals {
            event = event.object("original", recording_id, sha256.clone());
        }
        if let Some(p) = purpose {
            event = event.purpose(p);
        }
        if let Some(r) = recipient {
            event = event.detail("recipient", r.to_owned());
        }
        if let Some(z) = zip_sha256 {
            event = event.detail("zip_sha256", z.to_owned());
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

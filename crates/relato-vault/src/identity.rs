//! Roles, signing keys and the organisation's certificates.
//!
//! The organisation key (Ed25519) is created with the vault. It certifies
//! each signing key: a certificate is one JSON line naming the key, its
//! holder and role, signed by the organisation key over the line's exact
//! bytes — the same convention as custody lines, so both are checked the
//! same way by hand (`openssl pkeyutl -verify -rawin`).
//!
//! A key id is the first 16 hex digits of the SHA-256 of the raw public key.

use std::fmt;
use std::str::FromStr;

use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine;
use ed25519_dalek::{Signature, Signer, SigningKey, Verifier, VerifyingKey};
use serde::{Deserialize, Serialize};

use crate::crypto::{sha256_hex, Key};
use crate::error::{CertificateFault, Result, VaultError};

/// What a person may do in the vault.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Role {
    /// Manages users and the vocabulary; may do everything an interviewer does.
    Administrator,
    /// Creates cases and sessions and records.
    Interviewer,
    /// Transcribes and codes recordings.
    Reviewer,
    /// Exports and hands over evidence.
    Litigator,
    /// The identity behind the recovery code: restores access, nothing else.
    Recovery,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Administrator => "administrator",
            Role::Interviewer => "interviewer",
            Role::Reviewer => "reviewer",
            Role::Litigator => "litigator",
            Role::Recovery => "recovery",
        }
    }

    /// Roles a person can be given (the recovery identity is created with the vault).
    pub const ASSIGNABLE: [Role; 4] = [Role::Administrator, Role::Interviewer, Role::Reviewer, Role::Litigator];

    pub(crate) fn may_manage_users(self) -> bool {
        matches!(self, Role::Administrator | Role::Recovery)
    }

    pub(crate) fn may_write_cases(self) -> bool {
        matches!(self, Role::Administrator | Role::Interviewer)
    }

    pub(crate) fn may_read_cases(self) -> bool {
        !matches!(self, Role::Recovery)
    }

    /// Transcribing and coding: reviewers, and those who record. Public so
    /// that front ends can offer editing only to those the vault lets save.
    pub fn may_review(self) -> bool {
        matches!(self, Role::Administrator | Role::Interviewer | Role::Reviewer)
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Role {
    type Err = VaultError;
    fn from_str(s: &str) -> Result<Role> {
        Role::ASSIGNABLE
            .into_iter()
            .find(|r| r.as_str() == s.trim().to_lowercase())
            .ok_or_else(|| VaultError::UnknownRole(s.to_owned()))
    }
}

pub(crate) fn key_id(public: &VerifyingKey) -> String {
    sha256_hex(public.as_bytes())[..16].to_owned()
}

pub(crate) fn signing_key(secret: &Key) -> SigningKey {
    SigningKey::from_bytes(&secret.0)
}

pub(crate) fn new_signing_secret() -> Key {
    Key::random()
}

pub(crate) fn sign_b64(key: &SigningKey, bytes: &[u8]) -> String {
    B64.encode(key.sign(bytes).to_bytes())
}

pub(crate) fn verify_b64(public: &VerifyingKey, bytes: &[u8], sig_b64: &str) -> bool {
    let Ok(raw) = B64.decode(sig_b64) else { return false };
    let Ok(sig) = Signature::from_slice(&raw) else { return false };
    public.verify(bytes, &sig).is_ok()
}

/// The organisation's statement that a key belongs to a person with a role.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Certificate {
    #[serde(rename = "type")]
    pub kind: String,
    pub org_key: String,
    pub key_id: String,
    pub public_key: String,
    pub user_id: String,
    pub name: String,
    pub role: Role,
    pub institution: String,
    pub issued: String,
}

/// A certificate line and the organisation's signature over its bytes.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SignedCertificate {
    pub line: String,
    pub sig: String,
}

impl SignedCertificate {
    pub(crate) fn issue(org: &SigningKey, cert: &Certificate) -> SignedCertificate {
        let line = serde_json::to_string(cert).expect("certificate serialises");
        let sig = sign_b64(org, line.as_bytes());
        SignedCertificate { line, sig }
    }

    /// Checks the organisation's signature and that the certificate is for `public`.
    pub fn verify(&self, org: &VerifyingKey, public: &VerifyingKey) -> std::result::Result<Certificate, CertificateFault> {
        if !verify_b64(org, self.line.as_bytes(), &self.sig) {
            return Err(CertificateFault::BadSignature);
        }
        let cert: Certificate = serde_json::from_str(&self.line).map_err(|_| CertificateFault::Malformed)?;
        if cert.kind != "relato-signer-certificate" {
            return Err(CertificateFault::Malformed);
        }
        if cert.public_key != B64.encode(public.as_bytes()) || cert.key_id != key_id(public) {
            return Err(CertificateFault::OtherKey);
        }
        if cert.org_key != key_id(org) {
            return Err(CertificateFault::OtherOrganisation);
        }
        Ok(cert)
    }
}

pub(crate) fn public_from_bytes(bytes: &[u8]) -> Option<VerifyingKey> {
    let arr: [u8; 32] = bytes.try_into().ok()?;
    VerifyingKey::from_bytes(&arr).ok()
}

pub(crate) fn b64(bytes: &[u8]) -> String {
    B64.encode(bytes)
}

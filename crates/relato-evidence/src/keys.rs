//! Public keys as a bundle carries them: minisign's `.pub` (for
//! `minisign -V`) and PEM (for `openssl pkeyutl -verify`), both of the same
//! Ed25519 key.

use ed25519_dalek::pkcs8::EncodePublicKey as _;
use ed25519_dalek::VerifyingKey;

use crate::error::EvidenceError;
use crate::export::Out;
use crate::minisign;

/// Writes `keys/<name>.pub` and `keys/<name>.pem`.
pub(crate) fn write_public(w: &mut Out<'_>, name: &str, key: &VerifyingKey, comment: &str) -> Result<(), EvidenceError> {
    w.text(&format!("keys/{name}.pub"), &minisign::public_key_file(key, comment))?;
    w.text(&format!("keys/{name}.pem"), &pem(key))
}

/// The key as a PEM `PUBLIC KEY` (SubjectPublicKeyInfo).
pub fn pem(key: &VerifyingKey) -> String {
    key.to_public_key_pem(ed25519_dalek::pkcs8::spki::der::pem::LineEnding::LF).expect("Ed25519 keys encode")
}

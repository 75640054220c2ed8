//! Key slots: the master key wrapped under a passphrase or the recovery code.
//!
//! Argon2id turns the secret into a key-encryption key (KEK); the KEK seals
//! the slot's payload with XChaCha20-Poly1305, bound to the vault id and the
//! slot number. The payload is the master key followed by the holder's
//! Ed25519 signing secret, so only the holder of a slot can sign as its user
//! — an administrator who can read every record still cannot forge another
//! person's custody signature.
//!
//! Parameters are stored per slot, so raising the defaults later never
//! locks anyone out. Adding, changing or revoking a slot touches only that
//! slot, never the data.

use argon2::{Algorithm, Argon2, Params, Version};
use rand_core::{OsRng, RngCore};
use serde::{Deserialize, Serialize};
use zeroize::Zeroizing;

use crate::crypto::{self, Key};
use crate::error::{Result, VaultError};

/// Shortest passphrase accepted for a user slot.
pub const MIN_PASSPHRASE_CHARS: usize = 12;

/// Argon2id cost parameters. Stored with each slot.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct KdfParams {
    /// Memory in KiB.
    pub m_kib: u32,
    /// Passes.
    pub t: u32,
    /// Lanes.
    pub p: u32,
}

impl Default for KdfParams {
    /// The brief's floor: 64 MiB, three passes.
    fn default() -> Self {
        KdfParams { m_kib: 64 * 1024, t: 3, p: 1 }
    }
}

impl KdfParams {
    /// Cheap parameters for tests and benchmarks that exercise many unlocks.
    /// Never use for a real vault.
    pub fn insecure_fast() -> Self {
        KdfParams { m_kib: 64, t: 1, p: 1 }
    }
}

/// What a slot stores about its derivation: parameters and salt.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct SlotKdf {
    pub(crate) alg: String,
    #[serde(flatten)]
    pub(crate) params: KdfParams,
    pub(crate) salt: String,
}

impl SlotKdf {
    pub(crate) fn new(params: KdfParams) -> SlotKdf {
        let mut salt = [0u8; 16];
        OsRng.fill_bytes(&mut salt);
        SlotKdf { alg: "argon2id-v19".into(), params, salt: hex::encode(salt) }
    }

    pub(crate) fn derive(&self, secret: &[u8]) -> Result<Key> {
        if self.alg != "argon2id-v19" {
            return Err(VaultError::Storage(format!("unknown key derivation {}", self.alg)));
        }
        let salt = hex::decode(&self.salt).map_err(|_| VaultError::Storage("bad slot salt".into()))?;
        let params = Params::new(self.params.m_kib, self.params.t, self.params.p, Some(32))
            .map_err(|e| VaultError::Storage(format!("bad slot parameters: {e}")))?;
        let mut kek = Key([0u8; 32]);
        Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
            .hash_password_into(secret, &salt, &mut kek.0)
            .map_err(|e| VaultError::Storage(format!("key derivation failed: {e}")))?;
        Ok(kek)
    }
}

/// The plaintext inside a slot.
pub(crate) struct SlotPayload {
    pub(crate) master: Key,
    pub(crate) signing_secret: Key,
}

fn slot_ad(vault_id: &str, slot_id: i64) -> Vec<u8> {
    let mut ad = b"relato-slot-v1\0".to_vec();
    ad.extend_from_slice(vault_id.as_bytes());
    ad.push(0);
    ad.extend_from_slice(&slot_id.to_be_bytes());
    ad
}

pub(crate) fn wrap(kek: &Key, vault_id: &str, slot_id: i64, payload: &SlotPayload) -> Vec<u8> {
    let mut pt = Zeroizing::new([0u8; 64]);
    pt[..32].copy_from_slice(&payload.master.0);
    pt[32..].copy_from_slice(&payload.signing_secret.0);
    crypto::seal(kek, &slot_ad(vault_id, slot_id), &pt[..])
}

/// `None` when the secret is wrong (or the slot was altered).
pub(crate) fn unwrap(kek: &Key, vault_id: &str, slot_id: i64, wrapped: &[u8]) -> Option<SlotPayload> {
    let pt = crypto::open(kek, &slot_ad(vault_id, slot_id), wrapped)?;
    if pt.len() != 64 {
        return None;
    }
    let mut master = Key([0u8; 32]);
    let mut signing_secret = Key([0u8; 32]);
    master.0.copy_from_slice(&pt[..32]);
    signing_secret.0.copy_from_slice(&pt[32..]);
    Some(SlotPayload { master, signing_secret })
}

pub(crate) fn check_passphrase_strength(passphrase: &str) -> Result<()> {
    if passphrase.chars().count() < MIN_PASSPHRASE_CHARS {
        return Err(VaultError::WeakPassphrase { min: MIN_PASSPHRASE_CHARS });
    }
    Ok(())
}

/// Login names are matched without regard to case and surrounding spaces.
pub(crate) fn name_tag(vault_id: &str, name: &str) -> Vec<u8> {
    use sha2::{Digest, Sha256};
    let normalised = name.trim().to_lowercase();
    let mut h = Sha256::new();
    h.update(b"relato-login-v1\0");
    h.update(vault_id.as_bytes());
    h.update([0]);
    h.update(normalised.as_bytes());
    h.finalize().to_vec()
}

//! Keys and the record seal.
//!
//! The master key (32 random bytes) never leaves memory unwrapped; it is
//! expanded with HKDF-SHA256 (salt = vault id) into one subkey per purpose,
//! each under its own `info` label, so that a key used for records can never
//! open a stream chunk and vice versa.
//!
//! A *seal* is `nonce (24) || XChaCha20-Poly1305(ciphertext + tag)`. Random
//! 24-byte nonces are safe to draw without coordination for the life of a
//! vault. The associated data names the exact slot the ciphertext belongs to
//! (see [`RowAd`]), so a ciphertext copied into another row does not open.

use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use hkdf::Hkdf;
use rand_core::{OsRng, RngCore};
use sha2::{Digest, Sha256};
use zeroize::{Zeroize, ZeroizeOnDrop, Zeroizing};

pub const SEAL_NONCE_LEN: usize = 24;
pub const TAG_LEN: usize = 16;

/// A 256-bit secret key, wiped from memory when dropped.
#[derive(Clone, Zeroize, ZeroizeOnDrop)]
pub struct Key(pub(crate) [u8; 32]);

impl Key {
    /// A key from raw bytes (test vectors, benchmarks).
    pub fn from_bytes(bytes: [u8; 32]) -> Key {
        Key(bytes)
    }

    pub fn random() -> Key {
        let mut k = [0u8; 32];
        OsRng.fill_bytes(&mut k);
        Key(k)
    }
}

/// The purpose-specific keys derived from the master key.
pub(crate) struct Subkeys {
    pub(crate) records: Key,
    pub(crate) streams: Key,
}

impl Subkeys {
    pub(crate) fn derive(master: &Key, vault_id: &str) -> Subkeys {
        Subkeys {
            records: hkdf(master, vault_id.as_bytes(), b"relato/v1/records"),
            streams: hkdf(master, vault_id.as_bytes(), b"relato/v1/streams"),
        }
    }
}

pub(crate) fn hkdf(ikm: &Key, salt: &[u8], info: &[u8]) -> Key {
    let mut out = Key([0u8; 32]);
    Hkdf::<Sha256>::new(Some(salt), &ikm.0)
        .expand(info, &mut out.0)
        .expect("32 bytes is a valid HKDF-SHA256 output length");
    out
}

/// Associated data for a sealed row: which vault, table and row it belongs
/// to, and the schema version it was written under. Fields are separated by
/// NUL, which none of them may contain.
pub struct RowAd<'a> {
    pub vault_id: &'a str,
    pub table: &'a str,
    pub row_id: &'a str,
    pub schema_version: u32,
}

impl RowAd<'_> {
    pub fn bytes(&self) -> Vec<u8> {
        let mut ad = Vec::with_capacity(64);
        ad.extend_from_slice(b"relato-row-v1\0");
        for part in [self.vault_id, self.table, self.row_id] {
            debug_assert!(!part.contains('\0'));
            ad.extend_from_slice(part.as_bytes());
            ad.push(0);
        }
        ad.extend_from_slice(&self.schema_version.to_be_bytes());
        ad
    }
}

/// Encrypts `plaintext` under `key`, bound to `ad`.
pub fn seal(key: &Key, ad: &[u8], plaintext: &[u8]) -> Vec<u8> {
    let mut nonce = [0u8; SEAL_NONCE_LEN];
    OsRng.fill_bytes(&mut nonce);
    let ct = XChaCha20Poly1305::new((&key.0).into())
        .encrypt(XNonce::from_slice(&nonce), Payload { msg: plaintext, aad: ad })
        .expect("XChaCha20-Poly1305 encryption cannot fail for in-memory buffers");
    let mut out = Vec::with_capacity(SEAL_NONCE_LEN + ct.len());
    out.extend_from_slice(&nonce);
    out.extend_from_slice(&ct);
    out
}

/// Decrypts a seal; `None` if it was altered, truncated, or belongs elsewhere.
pub fn open(key: &Key, ad: &[u8], sealed: &[u8]) -> Option<Zeroizing<Vec<u8>>> {
    if sealed.len() < SEAL_NONCE_LEN + TAG_LEN {
        return None;
    }
    let (nonce, ct) = sealed.split_at(SEAL_NONCE_LEN);
    XChaCha20Poly1305::new((&key.0).into())
        .decrypt(XNonce::from_slice(nonce), Payload { msg: ct, aad: ad })
        .ok()
        .map(Zeroizing::new)
}

pub(crate) fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

/// Random identifier: a prefix and 10 lowercase base32 characters (50 bits).
pub(crate) fn new_id(prefix: &str) -> String {
    let mut b = [0u8; 7];
    OsRng.fill_bytes(&mut b);
    let enc = data_encoding::BASE32_NOPAD.encode(&b).to_ascii_lowercase();
    format!("{prefix}-{}", &enc[..10])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seal_opens_only_with_same_key_and_ad() {
        let k = Key::random();
        let s = seal(&k, b"ad", b"hola");
        assert_eq!(&open(&k, b"ad", &s).unwrap()[..], b"hola");
        assert!(open(&k, b"ad2", &s).is_none());
        assert!(open(&Key::random(), b"ad", &s).is_none());
        assert!(open(&k, b"ad", &s[..s.len() - 1]).is_none());
    }

    #[test]
    fn subkeys_differ_by_purpose_and_vault() {
        let mk = Key::random();
        let a = Subkeys::derive(&mk, "vault-a");
        let b = Subkeys::derive(&mk, "vault-b");
        assert_ne!(a.records.0, a.streams.0);
        assert_ne!(a.records.0, b.records.0);
    }

    #[test]
    fn row_ad_distinguishes_every_field() {
        let base = RowAd { vault_id: "v", table: "t", row_id: "r", schema_version: 1 }.bytes();
        for other in [
            RowAd { vault_id: "w", table: "t", row_id: "r", schema_version: 1 },
            RowAd { vault_id: "v", table: "u", row_id: "r", schema_version: 1 },
            RowAd { vault_id: "v", table: "t", row_id: "s", schema_version: 1 },
            RowAd { vault_id: "v", table: "t", row_id: "r", schema_version: 2 },
            RowAd { vault_id: "v", table: "tr", row_id: "", schema_version: 1 },
        ] {
            assert_ne!(base, other.bytes());
        }
    }
}

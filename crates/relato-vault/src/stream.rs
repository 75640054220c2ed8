//! Chunked stream encryption, in the manner of age's STREAM.
//!
//! A stream is split into chunks of at most [`CHUNK_MAX`] plaintext bytes.
//! Each chunk is sealed with ChaCha20-Poly1305 under a per-stream key
//! (HKDF of the vault's stream subkey, salted with the stream id) and the
//! 12-byte nonce `counter (11 bytes, big-endian) || final flag (1 byte)`.
//! Because the position and the "last chunk" flag are in the nonce:
//!
//! - a flipped bit fails authentication at its position;
//! - a chunk moved to another position fails there, and authenticates at the
//!   position it came from (which is how we can say *reordered*);
//! - a stream cut short has no chunk with the final flag (*unfinished* if it
//!   was never sealed, *truncated* if it was);
//! - a chunk from another stream fails under this stream's key.
//!
//! Chunks are independent, so any chunk can be read by index (seeking), and
//! a writer can commit each chunk as soon as it is sealed: a crash loses at
//! most the chunk being filled. This module only seals and opens; the vault
//! stores the chunks ([`crate::Vault::create_stream`]).

use chacha20poly1305::aead::{AeadInPlace, KeyInit};
use chacha20poly1305::{ChaCha20Poly1305, Nonce};

use crate::crypto::{hkdf, Key, TAG_LEN};

/// Largest plaintext in one chunk: 64 KiB.
pub const CHUNK_MAX: usize = 64 * 1024;

/// Seals and opens the chunks of one stream.
pub struct StreamCipher {
    aead: ChaCha20Poly1305,
}

fn nonce(index: u64, last: bool) -> Nonce {
    let mut n = [0u8; 12];
    n[3..11].copy_from_slice(&index.to_be_bytes());
    n[11] = u8::from(last);
    n.into()
}

impl StreamCipher {
    pub(crate) fn for_stream(streams_key: &Key, stream_id: &str) -> StreamCipher {
        let key = hkdf(streams_key, stream_id.as_bytes(), b"relato/v1/stream");
        StreamCipher { aead: ChaCha20Poly1305::new((&key.0).into()) }
    }

    /// A cipher from a raw key, for benchmarks and test vectors.
    pub fn from_key_bytes(key: [u8; 32]) -> StreamCipher {
        StreamCipher { aead: ChaCha20Poly1305::new((&key).into()) }
    }

    /// Seals chunk `index` into `buf` in place (appending the tag).
    pub fn seal_in_place(&self, index: u64, last: bool, buf: &mut Vec<u8>) {
        assert!(buf.len() <= CHUNK_MAX, "chunk larger than CHUNK_MAX");
        self.aead
            .encrypt_in_place(&nonce(index, last), b"", buf)
            .expect("ChaCha20-Poly1305 encryption of a bounded chunk cannot fail");
    }

    /// Seals a chunk into a new buffer.
    pub fn seal(&self, index: u64, last: bool, plaintext: &[u8]) -> Vec<u8> {
        let mut buf = Vec::with_capacity(plaintext.len() + TAG_LEN);
        buf.extend_from_slice(plaintext);
        self.seal_in_place(index, last, &mut buf);
        buf
    }

    /// Opens a chunk that should be at `index`, returning the plaintext and
    /// whether it carries the final flag. `None` if it does not belong there.
    pub fn open(&self, index: u64, sealed: &[u8]) -> Option<(Vec<u8>, bool)> {
        if sealed.len() < TAG_LEN || sealed.len() > CHUNK_MAX + TAG_LEN {
            return None;
        }
        for last in [false, true] {
            let mut buf = sealed.to_vec();
            if self.aead.decrypt_in_place(&nonce(index, last), b"", &mut buf).is_ok() {
                return Some((buf, last));
            }
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chunk_binds_position_and_final_flag() {
        let c = StreamCipher::from_key_bytes([7; 32]);
        let s = c.seal(3, false, b"abc");
        assert_eq!(c.open(3, &s), Some((b"abc".to_vec(), false)));
        assert_eq!(c.open(4, &s), None);
        let f = c.seal(3, true, b"abc");
        assert_eq!(c.open(3, &f), Some((b"abc".to_vec(), true)));
        assert_ne!(s, f);
    }

    #[test]
    fn streams_do_not_share_keys() {
        let k = Key([1; 32]);
        let a = StreamCipher::for_stream(&k, "stream-a");
        let b = StreamCipher::for_stream(&k, "stream-b");
        assert_eq!(b.open(0, &a.seal(0, true, b"x")), None);
    }

    /// A fixed vector so that the format cannot drift unnoticed: key of 32
    /// bytes 0x42, chunk 1, final, plaintext "relato".
    #[test]
    fn known_answer() {
        let c = StreamCipher::from_key_bytes([0x42; 32]);
        let sealed = c.seal(1, true, b"relato");
        assert_eq!(sealed.len(), 6 + TAG_LEN);
        let mut raw = b"relato".to_vec();
        let mut n = [0u8; 12];
        n[10] = 1;
        n[11] = 1;
        ChaCha20Poly1305::new((&[0x42u8; 32]).into()).encrypt_in_place(&n.into(), b"", &mut raw).unwrap();
        assert_eq!(sealed, raw);
    }
}

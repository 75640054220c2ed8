//! minisign's file formats, written from Ed25519 signatures the vault makes.
//!
//! The `minisign` crate signs only with a secret key it holds, and the
//! vault never lets a signing key out: it signs bytes on request
//! ([`relato_vault::Vault::sign_as_me`]). The formats are small and fixed
//! (<https://jedisct1.github.io/minisign/>), so they are written here and
//! checked against the real `minisign` tool in `tests/cli/evidence.sh` and
//! against the independent `minisign-verify` crate in the unit tests:
//!
//! * public key: `untrusted comment: …` then base64(`Ed` ‖ key number (8
//!   bytes) ‖ public key (32 bytes));
//! * signature (prehashed, minisign's default): `untrusted comment: …`,
//!   base64(`ED` ‖ key number ‖ Ed25519(BLAKE2b-512(file))), `trusted
//!   comment: …`, base64(Ed25519(signature ‖ trusted comment)).
//!
//! The key number is the first 8 bytes of the SHA-256 of the public key —
//! the vault's own key id, read as bytes.

use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine as _;
use blake2::{Blake2b512, Digest as _};
use ed25519_dalek::{Signature, Verifier as _, VerifyingKey};

/// The 8-byte key number of a public key.
pub fn key_number(public: &VerifyingKey) -> [u8; 8] {
    let digest = sha2::Sha256::digest(public.as_bytes());
    let mut n = [0u8; 8];
    n.copy_from_slice(&digest[..8]);
    n
}

/// How minisign prints a key number: the little-endian u64 in upper-case hex.
pub fn key_number_hex(public: &VerifyingKey) -> String {
    format!("{:016X}", u64::from_le_bytes(key_number(public)))
}

/// A minisign public key file for `public`.
pub fn public_key_file(public: &VerifyingKey, comment: &str) -> String {
    let mut raw = Vec::with_capacity(42);
    raw.extend_from_slice(b"Ed");
    raw.extend_from_slice(&key_number(public));
    raw.extend_from_slice(public.as_bytes());
    format!("untrusted comment: {}\n{}\n", one_line(comment), B64.encode(raw))
}

/// A minisign signature file for `message`, made through `sign` (the
/// holder of the secret key for `public`). `trusted_comment` is signed too.
pub fn signature_file(public: &VerifyingKey, message: &[u8], trusted_comment: &str, sign: impl Fn(&[u8]) -> [u8; 64]) -> String {
    let trusted = one_line(trusted_comment);
    let prehash = Blake2b512::digest(message);
    let signature = sign(&prehash);
    let mut raw = Vec::with_capacity(74);
    raw.extend_from_slice(b"ED");
    raw.extend_from_slice(&key_number(public));
    raw.extend_from_slice(&signature);
    let mut global = Vec::with_capacity(64 + trusted.len());
    global.extend_from_slice(&signature);
    global.extend_from_slice(trusted.as_bytes());
    let global_signature = sign(&global);
    format!(
        "untrusted comment: signature from relato secret key\n{}\ntrusted comment: {}\n{}\n",
        B64.encode(raw),
        trusted,
        B64.encode(global_signature)
    )
}

/// Why a minisign file did not verify.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fault {
    Malformed,
    OtherKey,
    BadSignature,
}

/// Reads a minisign public key file.
pub fn read_public_key(text: &str) -> Result<VerifyingKey, Fault> {
    let line = text.lines().nth(1).ok_or(Fault::Malformed)?;
    let raw = B64.decode(line.trim()).map_err(|_| Fault::Malformed)?;
    if raw.len() != 42 || &raw[..2] != b"Ed" {
        return Err(Fault::Malformed);
    }
    let key: [u8; 32] = raw[10..].try_into().map_err(|_| Fault::Malformed)?;
    let public = VerifyingKey::from_bytes(&key).map_err(|_| Fault::Malformed)?;
    if raw[2..10] != key_number(&public) {
        return Err(Fault::Malformed);
    }
    Ok(public)
}

/// Checks a minisign signature file over `message` against `public`:
/// the prehashed signature and the global signature over the trusted
/// comment. Returns the trusted comment.
pub fn verify(public: &VerifyingKey, message: &[u8], signature_text: &str) -> Result<String, Fault> {
    let lines: Vec<&str> = signature_text.lines().collect();
    if lines.len() < 4 || !lines[0].starts_with("untrusted comment:") {
        return Err(Fault::Malformed);
    }
    let raw = B64.decode(lines[1].trim()).map_err(|_| Fault::Malformed)?;
    if raw.len() != 74 || &raw[..2] != b"ED" {
        return Err(Fault::Malformed);
    }
    if raw[2..10] != key_number(public) {
        return Err(Fault::OtherKey);
    }
    let signature = Signature::from_slice(&raw[10..]).map_err(|_| Fault::Malformed)?;
    public.verify(&Blake2b512::digest(message), &signature).map_err(|_| Fault::BadSignature)?;
    let trusted = lines[2].strip_prefix("trusted comment: ").ok_or(Fault::Malformed)?;
    let global = B64.decode(lines[3].trim()).map_err(|_| Fault::Malformed)?;
    let global = Signature::from_slice(&global).map_err(|_| Fault::Malformed)?;
    let mut signed = raw[10..].to_vec();
    signed.extend_from_slice(trusted.as_bytes());
    public.verify(&signed, &global).map_err(|_| Fault::BadSignature)?;
    Ok(trusted.to_owned())
}

/// Comments are single lines.
fn one_line(text: &str) -> String {
    text.replace(['\r', '\n'], " ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use ed25519_dalek::{Signer as _, SigningKey};

    fn key() -> SigningKey {
        SigningKey::from_bytes(&[7u8; 32])
    }

    #[test]
    fn an_independent_implementation_accepts_what_we_write_and_refuses_changes() {
        let sk = key();
        let pk = sk.verifying_key();
        let message = b"manifest bytes\n";
        let pub_file = public_key_file(&pk, "relato organisation key");
        let sig_file = signature_file(&pk, message, "relato bundle 1; file:manifest.json", |b| sk.sign(b).to_bytes());

        let theirs = minisign_verify::PublicKey::decode(&pub_file).expect("their reader takes our key");
        let sig = minisign_verify::Signature::decode(&sig_file).expect("their reader takes our signature");
        theirs.verify(message, &sig, false).expect("their verifier accepts it");
        assert!(theirs.verify(b"manifest bytes!\n", &sig, false).is_err(), "a changed file fails");

        assert_eq!(read_public_key(&pub_file), Ok(pk));
        assert_eq!(verify(&pk, message, &sig_file).as_deref(), Ok("relato bundle 1; file:manifest.json"));
        assert_eq!(verify(&pk, b"other", &sig_file), Err(Fault::BadSignature));
        let other = SigningKey::from_bytes(&[9u8; 32]).verifying_key();
        assert_eq!(verify(&other, message, &sig_file), Err(Fault::OtherKey));
        // The trusted comment is signed: changing it breaks the signature.
        let forged = sig_file.replace("file:manifest.json", "file:other.json");
        assert_eq!(verify(&pk, message, &forged), Err(Fault::BadSignature));
        assert!(minisign_verify::Signature::decode(&forged).map(|s| theirs.verify(message, &s, false).is_err()).unwrap_or(true));
        assert_eq!(verify(&pk, message, "nonsense"), Err(Fault::Malformed));
    }
}

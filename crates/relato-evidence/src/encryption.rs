//! Bundles encrypted with [age](https://age-encryption.org): the zip is
//! streamed into age's encryptor, so its plaintext never reaches the disk,
//! and `relato verify` reads it back through age's seekable decryptor,
//! so it is checked in place without being decrypted to a file.
//!
//! To a recipient's key (`age1…`, made by `age-keygen`; several allowed)
//! or to a passphrase (age's scrypt). Either way the receiving expert can
//! decrypt with the standard `age` tool: `age -d -i key.txt bundle.zip.age
//! > bundle.zip`, or `age -d bundle.zip.age > bundle.zip`.

use std::fs::File;
use std::io::{BufReader, Read, Write};
use std::path::Path;
use std::str::FromStr;

use age::secrecy::SecretString;

use crate::error::{io, EvidenceError};

/// Who can open an encrypted bundle.
#[derive(Clone)]
pub enum AgeRecipients {
    /// age public keys, `age1…`.
    Keys(Vec<String>),
    Passphrase(SecretString),
}

/// What opens an encrypted bundle.
#[derive(Clone)]
pub enum AgeKey {
    /// The text of an age identity file (`AGE-SECRET-KEY-1…` lines).
    Identities(SecretString),
    Passphrase(SecretString),
}

/// The first bytes of every binary age file.
const MAGIC: &[u8] = b"age-encryption.org/v1\n";

/// Whether `path` starts like an age file.
pub(crate) fn is_age(path: &Path) -> bool {
    let mut head = [0u8; MAGIC.len()];
    File::open(path).and_then(|mut f| f.read_exact(&mut head)).is_ok() && head == MAGIC
}

/// Wraps `out` in an encryptor for `recipients`.
pub(crate) fn encrypt<W: Write>(recipients: &AgeRecipients, out: W) -> Result<age::stream::StreamWriter<W>, EvidenceError> {
    let encryptor = match recipients {
        AgeRecipients::Passphrase(p) => {
            // Anyone with the file can guess offline, without limit.
            if age::secrecy::ExposeSecret::expose_secret(p).chars().count() < relato_vault::MIN_PASSPHRASE_CHARS {
                return Err(EvidenceError::AgePassphraseShort { min: relato_vault::MIN_PASSPHRASE_CHARS });
            }
            age::Encryptor::with_user_passphrase(p.clone())
        }
        AgeRecipients::Keys(keys) => {
            if keys.is_empty() {
                return Err(EvidenceError::AgeRecipient { recipient: String::new(), reason: "no recipient".into() });
            }
            let parsed = keys
                .iter()
                .map(|k| {
                    age::x25519::Recipient::from_str(k.trim())
                        .map_err(|reason| EvidenceError::AgeRecipient { recipient: k.clone(), reason: reason.to_string() })
                })
                .collect::<Result<Vec<_>, _>>()?;
            age::Encryptor::with_recipients(parsed.iter().map(|r| r as &dyn age::Recipient))
                .map_err(|e| EvidenceError::AgeRecipient { recipient: keys.join(" "), reason: e.to_string() })?
        }
    };
    encryptor.wrap_output(out).map_err(|e| EvidenceError::Io { path: String::new(), reason: e.to_string() })
}

/// The decrypted, seekable contents of the age file at `path`.
pub(crate) fn decrypt(path: &Path, key: Option<&AgeKey>) -> Result<age::stream::StreamReader<BufReader<File>>, EvidenceError> {
    let key = key.ok_or_else(|| EvidenceError::AgeKeyNeeded { path: path.display().to_string() })?;
    let file = File::open(path).map_err(io(path))?;
    let decryptor = age::Decryptor::new(BufReader::new(file)).map_err(|e| EvidenceError::AgeDecrypt { reason: e.to_string() })?;
    let wrong = |e: age::DecryptError| EvidenceError::AgeDecrypt { reason: e.to_string() };
    match key {
        AgeKey::Passphrase(p) => {
            let identity = age::scrypt::Identity::new(p.clone());
            decryptor.decrypt(std::iter::once(&identity as &dyn age::Identity)).map_err(wrong)
        }
        AgeKey::Identities(text) => {
            let file = age::IdentityFile::from_buffer(age::secrecy::ExposeSecret::expose_secret(text).as_bytes())
                .map_err(|e| EvidenceError::AgeDecrypt { reason: e.to_string() })?;
            let identities = file.into_identities().map_err(|e| EvidenceError::AgeDecrypt { reason: e.to_string() })?;
            decryptor.decrypt(identities.iter().map(|i| i.as_ref() as &dyn age::Identity)).map_err(wrong)
        }
    }
}

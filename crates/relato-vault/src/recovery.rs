//! The recovery code: 160 random bits shown once at vault creation, written
//! as eight groups of four Crockford base32 characters
//! (`7K3M-9QXA-...`), never stored. Crockford's alphabet has no I, L, O or U,
//! and reading accepts lower case and the usual confusions (O for 0, I/L
//! for 1) so a code copied by hand from paper still works.

use std::fmt;

use data_encoding::{Encoding, Specification};
use rand_core::{OsRng, RngCore};
use zeroize::{Zeroize, ZeroizeOnDrop};

use crate::error::{Result, VaultError};

const CODE_BYTES: usize = 20;
const GROUP: usize = 4;

fn crockford() -> Encoding {
    let mut spec = Specification::new();
    spec.symbols.push_str("0123456789ABCDEFGHJKMNPQRSTVWXYZ");
    spec.translate.from.push_str("abcdefghjkmnpqrstvwxyzoOiIlL");
    spec.translate.to.push_str("ABCDEFGHJKMNPQRSTVWXYZ001111");
    spec.encoding().expect("valid Crockford base32 specification")
}

/// A recovery code in memory. Printing it (`Display`) gives the grouped form.
#[derive(Zeroize, ZeroizeOnDrop)]
pub struct RecoveryCode([u8; CODE_BYTES]);

impl RecoveryCode {
    pub(crate) fn generate() -> RecoveryCode {
        let mut b = [0u8; CODE_BYTES];
        OsRng.fill_bytes(&mut b);
        RecoveryCode(b)
    }

    /// Reads a code typed or scanned by a person: spaces, dashes and case
    /// do not matter.
    pub fn parse(text: &str) -> Result<RecoveryCode> {
        let compact: String = text.chars().filter(|c| !c.is_whitespace() && *c != '-').collect();
        let bytes = crockford().decode(compact.as_bytes()).map_err(|_| VaultError::MalformedRecoveryCode)?;
        let arr: [u8; CODE_BYTES] = bytes.try_into().map_err(|_| VaultError::MalformedRecoveryCode)?;
        Ok(RecoveryCode(arr))
    }

    /// The canonical form the key derivation consumes.
    pub(crate) fn secret(&self) -> zeroize::Zeroizing<Vec<u8>> {
        zeroize::Zeroizing::new(crockford().encode(&self.0).into_bytes())
    }
}

impl fmt::Display for RecoveryCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let s = zeroize::Zeroizing::new(crockford().encode(&self.0));
        for (i, chunk) in s.as_bytes().chunks(GROUP).enumerate() {
            if i > 0 {
                f.write_str("-")?;
            }
            f.write_str(std::str::from_utf8(chunk).expect("ASCII"))?;
        }
        Ok(())
    }
}

impl fmt::Debug for RecoveryCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("RecoveryCode(<redacted>)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prints_eight_groups_and_reads_back_forgivingly() {
        let code = RecoveryCode::generate();
        let text = code.to_string();
        assert_eq!(text.len(), 8 * 4 + 7);
        assert_eq!(text.split('-').count(), 8);
        let sloppy = text.to_lowercase().replace('-', " ").replace('0', "o").replace('1', "l");
        assert_eq!(RecoveryCode::parse(&sloppy).unwrap().0, code.0);
    }

    #[test]
    fn rejects_wrong_length_and_foreign_symbols() {
        assert!(matches!(RecoveryCode::parse("ABCD-EFGH"), Err(VaultError::MalformedRecoveryCode)));
        let text = RecoveryCode::generate().to_string();
        let bad = format!("U{}", &text[1..]);
        assert!(RecoveryCode::parse(&bad).is_err());
    }
}

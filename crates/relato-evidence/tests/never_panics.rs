//! The parsers a hostile bundle reaches never panic on arbitrary bytes:
//! the manifest, minisign files, and custody lines.

use proptest::prelude::*;
use relato_evidence::{minisign, Manifest};
use relato_vault::custody::{verify_chain, KnownKey, SignedLine};

proptest! {
    #[test]
    fn the_manifest_parser(bytes in proptest::collection::vec(any::<u8>(), 0..4096)) {
        let _ = Manifest::parse(&bytes);
    }

    #[test]
    fn the_manifest_parser_on_near_json(text in "\\{\"format\":\"relato-bundle 1\"(,\"[a-z_]{1,12}\":(\"[^\"]{0,8}\"|[0-9]{1,3}|null|\\[\\]|\\{\\}))*\\}") {
        let _ = Manifest::parse(text.as_bytes());
    }

    #[test]
    fn minisign_readers(text in ".{0,300}") {
        let _ = minisign::read_public_key(&text);
        let key = ed25519_dalek::SigningKey::from_bytes(&[3u8; 32]).verifying_key();
        let _ = minisign::verify(&key, b"x", &text);
    }

    #[test]
    fn custody_lines(lines in proptest::collection::vec((".{0,200}", "[A-Za-z0-9+/=]{0,90}"), 0..8)) {
        let signed: Vec<SignedLine> = lines.into_iter().map(|(line, sig)| SignedLine { line, sig }).collect();
        let none = |_: &str| -> Option<KnownKey> { None };
        let _ = verify_chain("case", &signed, &none);
    }
}

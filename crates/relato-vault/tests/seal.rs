//! Property tests of the record seal: it opens only with the same key and
//! the same associated data, and any change to the sealed bytes is caught.

use proptest::prelude::*;
use relato_vault::crypto::{self, Key, RowAd, SEAL_NONCE_LEN, TAG_LEN};

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn seal_round_trips_and_binds_its_context(
        key in any::<[u8; 32]>(),
        other_key in any::<[u8; 32]>(),
        table in "[a-z_]{1,20}",
        row in "[a-z0-9/-]{1,30}",
        sv in 1u32..5,
        data in proptest::collection::vec(any::<u8>(), 0..4096),
        flip in any::<prop::sample::Index>(),
        bit in 0u8..8,
    ) {
        let k = Key::from_bytes(key);
        let ad = RowAd { vault_id: "vault-x", table: &table, row_id: &row, schema_version: sv }.bytes();
        let sealed = crypto::seal(&k, &ad, &data);
        prop_assert_eq!(sealed.len(), SEAL_NONCE_LEN + data.len() + TAG_LEN);
        prop_assert_eq!(crypto::open(&k, &ad, &sealed).map(|p| p.to_vec()), Some(data.clone()));

        // Same plaintext twice: different ciphertexts (random nonces).
        prop_assert_ne!(&crypto::seal(&k, &ad, &data), &sealed);

        // Another row, another schema version, another key: does not open.
        let other_row = RowAd { vault_id: "vault-x", table: &table, row_id: &format!("{row}x"), schema_version: sv }.bytes();
        prop_assert!(crypto::open(&k, &other_row, &sealed).is_none());
        let other_sv = RowAd { vault_id: "vault-x", table: &table, row_id: &row, schema_version: sv + 1 }.bytes();
        prop_assert!(crypto::open(&k, &other_sv, &sealed).is_none());
        if other_key != key {
            prop_assert!(crypto::open(&Key::from_bytes(other_key), &ad, &sealed).is_none());
        }

        // Any single flipped bit, anywhere (nonce, ciphertext, tag), is caught.
        let mut bad = sealed.clone();
        let i = flip.index(bad.len());
        bad[i] ^= 1 << bit;
        prop_assert!(crypto::open(&k, &ad, &bad).is_none());

        // Truncation is caught.
        prop_assert!(crypto::open(&k, &ad, &sealed[..sealed.len() - 1]).is_none());
    }
}

//! Encrypted streams: round trips at every size boundary, seeking, crash
//! recovery, and each kind of damage reported distinctly.

mod common;

use common::*;
use proptest::prelude::*;
use relato_vault::stream::{StreamCipher, CHUNK_MAX};
use relato_vault::{StreamFault, StreamState, VaultError};

fn pattern(len: usize) -> Vec<u8> {
    (0..len).map(|i| (i * 31 % 251) as u8).collect()
}

fn stream_fault(err: VaultError) -> (u64, StreamFault) {
    match err {
        VaultError::Stream { chunk, fault, .. } => (chunk, fault),
        other => panic!("expected a stream error, got {other}"),
    }
}

#[test]
fn round_trip_at_chunk_boundaries() {
    let f = Fixture::new();
    let (v, _) = f.create();
    for len in [0, 1, CHUNK_MAX - 1, CHUNK_MAX, CHUNK_MAX + 1, 3 * CHUNK_MAX, 3 * CHUNK_MAX + 17] {
        let data = pattern(len);
        let mut w = v.create_stream().unwrap();
        w.write(&data).unwrap();
        let info = w.finish().unwrap();
        assert_eq!(info.state, StreamState::Finished);
        assert_eq!(info.chunks as usize, len.div_ceil(CHUNK_MAX).max(1), "len {len}");
        assert_eq!(v.read_stream(&info.id).unwrap(), data, "len {len}");
        assert_eq!(v.stream_plaintext_len(&info.id).unwrap(), len as u64, "len {len}");
    }
}

#[test]
fn commit_makes_partial_chunks_and_chunks_are_seekable() {
    let f = Fixture::new();
    let (v, _) = f.create();
    let mut w = v.create_stream().unwrap();
    let id = w.id().to_owned();
    for second in 0..5u8 {
        w.write(&[second; 1000]).unwrap();
        w.commit().unwrap();
    }
    assert_eq!(w.chunks_committed(), 5);
    w.finish().unwrap();
    assert_eq!(v.read_stream_chunk(&id, 3).unwrap(), vec![3u8; 1000]);
    assert_eq!(v.read_stream(&id).unwrap().len(), 5000);
    assert_eq!(v.stream_plaintext_len(&id).unwrap(), 5000);
}

#[test]
fn unfinished_stream_is_reported_then_recovered_without_loss() {
    let f = Fixture::new();
    let (v, _) = f.create();
    let mut w = v.create_stream().unwrap();
    let id = w.id().to_owned();
    w.write(&pattern(2 * CHUNK_MAX + 10)).unwrap();
    w.commit().unwrap();
    w.write(b"lost: never committed").unwrap();
    drop(w); // the process "dies" here
    let (chunk, fault) = stream_fault(v.read_stream(&id).err().unwrap());
    assert_eq!((chunk, fault), (3, StreamFault::Unfinished));
    assert_eq!(v.unfinished_streams().unwrap().len(), 1);
    let info = v.recover_stream(&id).unwrap();
    assert_eq!(info.state, StreamState::Finished);
    assert_eq!(v.read_stream(&id).unwrap(), pattern(2 * CHUNK_MAX + 10));
    assert!(v.unfinished_streams().unwrap().is_empty());
}

fn sealed_stream(f: &Fixture, chunks: usize) -> String {
    let v = f.admin();
    let mut w = v.create_stream().unwrap();
    w.write(&pattern(chunks * CHUNK_MAX)).unwrap();
    let id = w.finish().unwrap().id;
    assert_eq!(v.stream_info(&id).unwrap().chunks as usize, chunks);
    id
}

#[test]
fn truncation_is_detected() {
    let f = Fixture::new();
    f.create().0.lock();
    let id = sealed_stream(&f, 5);
    f.tamper(&format!("DELETE FROM stream_chunks WHERE stream_id = '{id}' AND idx >= 3;"));
    let v = f.admin();
    assert_eq!(stream_fault(v.read_stream(&id).err().unwrap()), (3, StreamFault::Truncated { expected: 5, found: 3 }));
}

#[test]
fn reordered_chunks_are_detected_as_such() {
    let f = Fixture::new();
    f.create().0.lock();
    let id = sealed_stream(&f, 4);
    f.tamper(&format!(
        "CREATE TEMP TABLE saved AS SELECT idx, body FROM stream_chunks WHERE stream_id = '{id}';
         UPDATE stream_chunks SET body = (SELECT body FROM saved WHERE idx = 2) WHERE stream_id = '{id}' AND idx = 1;
         UPDATE stream_chunks SET body = (SELECT body FROM saved WHERE idx = 1) WHERE stream_id = '{id}' AND idx = 2;"
    ));
    let v = f.admin();
    assert_eq!(stream_fault(v.read_stream(&id).err().unwrap()), (1, StreamFault::Reordered { belongs_at: 2 }));
    assert_eq!(stream_fault(v.read_stream_chunk(&id, 2).err().unwrap()), (2, StreamFault::Reordered { belongs_at: 1 }));
    assert!(v.read_stream_chunk(&id, 0).is_ok(), "untouched chunks stay readable");
}

#[test]
fn flipped_bit_is_detected() {
    let f = Fixture::new();
    f.create().0.lock();
    let id = sealed_stream(&f, 3);
    let mut body = f.query_blob(&format!("SELECT body FROM stream_chunks WHERE stream_id = '{id}' AND idx = 1"));
    body[100] ^= 1;
    f.set_blob(&format!("UPDATE stream_chunks SET body = ?1 WHERE stream_id = '{id}' AND idx = 1"), body);
    let v = f.admin();
    assert_eq!(stream_fault(v.read_stream(&id).err().unwrap()), (1, StreamFault::Corrupt));
}

#[test]
fn missing_final_chunk_of_a_sealed_stream_is_truncation() {
    let f = Fixture::new();
    f.create().0.lock();
    let id = sealed_stream(&f, 3);
    f.tamper(&format!("DELETE FROM stream_chunks WHERE stream_id = '{id}' AND idx = 2;"));
    let v = f.admin();
    assert_eq!(stream_fault(v.read_stream(&id).err().unwrap()), (2, StreamFault::Truncated { expected: 3, found: 2 }));
}

#[test]
fn missing_middle_chunk_and_trailing_data() {
    let f = Fixture::new();
    f.create().0.lock();
    let id = sealed_stream(&f, 4);
    f.tamper(&format!("DELETE FROM stream_chunks WHERE stream_id = '{id}' AND idx = 1;"));
    let v = f.admin();
    assert_eq!(stream_fault(v.read_stream(&id).err().unwrap()), (1, StreamFault::Missing));
    v.lock();

    let id = sealed_stream(&f, 2);
    f.tamper(&format!(
        "INSERT INTO stream_chunks (stream_id, idx, body) SELECT stream_id, 2, body FROM stream_chunks WHERE stream_id = '{id}' AND idx = 1;"
    ));
    let v = f.admin();
    assert_eq!(stream_fault(v.read_stream(&id).err().unwrap()), (2, StreamFault::TrailingChunk));
}

#[test]
fn chunks_do_not_move_between_streams() {
    let f = Fixture::new();
    f.create().0.lock();
    let a = sealed_stream(&f, 2);
    let b = sealed_stream(&f, 2);
    f.tamper(&format!(
        "UPDATE stream_chunks SET body = (SELECT body FROM stream_chunks WHERE stream_id = '{a}' AND idx = 0) WHERE stream_id = '{b}' AND idx = 0;"
    ));
    let v = f.admin();
    assert_eq!(stream_fault(v.read_stream(&b).err().unwrap()), (0, StreamFault::Corrupt));
    v.read_stream(&a).unwrap();
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(32))]

    /// Sealing then opening at the same position gives back the input;
    /// any other position, flag or a single flipped bit does not open.
    #[test]
    fn stream_chunks_open_only_where_sealed(
        key in any::<[u8; 32]>(),
        index in 0u64..1 << 40,
        last in any::<bool>(),
        data in proptest::collection::vec(any::<u8>(), 0..2048),
        flip in any::<prop::sample::Index>(),
    ) {
        let c = StreamCipher::from_key_bytes(key);
        let sealed = c.seal(index, last, &data);
        prop_assert_eq!(c.open(index, &sealed), Some((data.clone(), last)));
        prop_assert_eq!(c.open(index + 1, &sealed), None);
        let mut bad = sealed.clone();
        let i = flip.index(bad.len());
        bad[i] ^= 0x80;
        prop_assert_eq!(c.open(index, &bad), None);
    }

    /// Any sequence of writes and commits reads back as the concatenation.
    #[test]
    fn writer_round_trips_any_write_pattern(
        writes in proptest::collection::vec((0usize..(CHUNK_MAX + 500), any::<bool>()), 0..6),
    ) {
        let f = Fixture::new();
        let (v, _) = f.create();
        let mut w = v.create_stream().unwrap();
        let mut expected = Vec::new();
        for (n, commit) in writes {
            let data = pattern(n);
            w.write(&data).unwrap();
            expected.extend_from_slice(&data);
            if commit { w.commit().unwrap(); }
        }
        let id = w.finish().unwrap().id;
        prop_assert_eq!(v.read_stream(&id).unwrap(), expected);
    }
}

#[test]
fn uncommitted_chunks_are_bounded_and_committed_ones_survive() {
    let f = Fixture::new();
    let (v, _) = f.create();
    let mut w = v.create_stream().unwrap();
    let id = w.id().to_owned();
    let data = pattern(20 * CHUNK_MAX + 5);
    w.write(&data).unwrap();
    // 20 chunks sealed; the writer committed on its own once 16 were waiting.
    assert_eq!(w.chunks_committed(), relato_vault::MAX_PENDING_CHUNKS as u64);
    drop(w); // a crash before the next commit
    assert_eq!(v.stream_info(&id).unwrap().chunks, relato_vault::MAX_PENDING_CHUNKS as u64);
    v.recover_stream(&id).unwrap();
    assert_eq!(v.read_stream(&id).unwrap(), &data[..relato_vault::MAX_PENDING_CHUNKS * CHUNK_MAX]);
}

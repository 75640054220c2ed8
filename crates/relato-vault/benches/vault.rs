//! Benchmarks of the vault's real code paths, each beside the raw primitive
//! it is built on, on the same buffer sizes, in the same run. The ratios are
//! what matter (these machines are noisy); `scripts/bench` prints them.
//!
//! - `unlock`: `Vault::unlock` at the default Argon2id parameters, beside one
//!   bare Argon2id derivation with the same parameters.
//! - `seal`, `open`: the record seal (XChaCha20-Poly1305 + associated data),
//!   beside the raw `chacha20poly1305` crate's XChaCha20-Poly1305.
//! - `stream`: sealing stream chunks with `StreamCipher`, beside raw
//!   ChaCha20-Poly1305 `encrypt_in_place` with the same nonce layout.
//! - `stream_store`: writing a 4 MiB stream into a vault (seal + SQLite
//!   insert + one commit per chunk, fsync included), beside raw encryption of
//!   the same bytes. This ratio is the cost of durability.

use chacha20poly1305::aead::{Aead, AeadInPlace, KeyInit, Payload};
use chacha20poly1305::{ChaCha20Poly1305, XChaCha20Poly1305, XNonce};
use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use relato_vault::crypto::{self, Key, RowAd};
use relato_vault::stream::{StreamCipher, CHUNK_MAX};
use relato_vault::{KdfParams, NewVault, Vault};
use std::time::Duration;

const SIZES: [usize; 3] = [256, 4 * 1024, 64 * 1024];

fn unlock(c: &mut Criterion) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bench.relato");
    let pass = "a benchmark passphrase";
    Vault::create(&path, NewVault { organisation: "Bench", admin_name: "B", admin_passphrase: pass, kdf: KdfParams::default() })
        .unwrap();
    let mut g = c.benchmark_group("unlock");
    g.sample_size(10).measurement_time(Duration::from_secs(8));
    g.bench_function("relato", |b| b.iter(|| Vault::unlock(&path, "B", pass).unwrap()));
    let d = KdfParams::default();
    let params = argon2::Params::new(d.m_kib, d.t, d.p, Some(32)).unwrap();
    let argon = argon2::Argon2::new(argon2::Algorithm::Argon2id, argon2::Version::V0x13, params);
    g.bench_function("raw", |b| {
        b.iter(|| {
            let mut out = [0u8; 32];
            argon.hash_password_into(pass.as_bytes(), &[7u8; 16], &mut out).unwrap();
            out
        })
    });
    g.finish();
}

fn seal_open(c: &mut Criterion) {
    let key = Key::from_bytes([3; 32]);
    let raw = XChaCha20Poly1305::new((&[3u8; 32]).into());
    let ad = RowAd { vault_id: "vault-benchbench", table: "case_revisions", row_id: "case-abcdefghij/1", schema_version: 1 }.bytes();
    for (name, open) in [("seal", false), ("open", true)] {
        let mut g = c.benchmark_group(name);
        g.measurement_time(Duration::from_secs(2)).sample_size(30);
        for size in SIZES {
            let data = vec![0x5a; size];
            let sealed = crypto::seal(&key, &ad, &data);
            let nonce = XNonce::from_slice(&sealed[..24]);
            g.throughput(Throughput::Bytes(size as u64));
            if open {
                g.bench_with_input(BenchmarkId::new("relato", size), &sealed, |b, s| b.iter(|| crypto::open(&key, &ad, s).unwrap()));
                g.bench_with_input(BenchmarkId::new("raw", size), &sealed, |b, s| {
                    b.iter(|| raw.decrypt(nonce, Payload { msg: &s[24..], aad: &ad }).unwrap())
                });
            } else {
                g.bench_with_input(BenchmarkId::new("relato", size), &data, |b, d| b.iter(|| crypto::seal(&key, &ad, d)));
                g.bench_with_input(BenchmarkId::new("raw", size), &data, |b, d| {
                    b.iter(|| raw.encrypt(nonce, Payload { msg: d, aad: &ad }).unwrap())
                });
            }
        }
        g.finish();
    }
}

fn stream(c: &mut Criterion) {
    let cipher = StreamCipher::from_key_bytes([4; 32]);
    let raw = ChaCha20Poly1305::new((&[4u8; 32]).into());
    let mut g = c.benchmark_group("stream");
    g.measurement_time(Duration::from_secs(2)).sample_size(30);
    for size in SIZES {
        let data = vec![0x33; size];
        g.throughput(Throughput::Bytes(size as u64));
        let mut buf = Vec::with_capacity(CHUNK_MAX + 16);
        g.bench_with_input(BenchmarkId::new("relato", size), &data, |b, d| {
            let mut i = 0u64;
            b.iter(|| {
                buf.clear();
                buf.extend_from_slice(d);
                cipher.seal_in_place(i, false, &mut buf);
                i += 1;
            })
        });
        let mut buf = Vec::with_capacity(CHUNK_MAX + 16);
        g.bench_with_input(BenchmarkId::new("raw", size), &data, |b, d| {
            let mut i = 0u64;
            b.iter(|| {
                buf.clear();
                buf.extend_from_slice(d);
                let mut n = [0u8; 12];
                n[3..11].copy_from_slice(&i.to_be_bytes());
                raw.encrypt_in_place(&n.into(), b"", &mut buf).unwrap();
                i += 1;
            })
        });
    }
    g.finish();
}

fn stream_store(c: &mut Criterion) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bench.relato");
    let (vault, _) = Vault::create(
        &path,
        NewVault { organisation: "Bench", admin_name: "B", admin_passphrase: "a benchmark passphrase", kdf: KdfParams::insecure_fast() },
    )
    .unwrap();
    const TOTAL: usize = 4 * 1024 * 1024;
    let data = vec![0x11u8; TOTAL];
    let raw = ChaCha20Poly1305::new((&[4u8; 32]).into());
    let mut g = c.benchmark_group("stream_store");
    g.throughput(Throughput::Bytes(TOTAL as u64)).sample_size(10).measurement_time(Duration::from_secs(8));
    g.bench_function("relato", |b| {
        b.iter(|| {
            let mut w = vault.create_stream().unwrap();
            w.write(&data).unwrap();
            w.finish().unwrap()
        })
    });
    g.bench_function("raw", |b| {
        b.iter(|| {
            let mut out = Vec::with_capacity(TOTAL + TOTAL / CHUNK_MAX * 16);
            for (i, chunk) in data.chunks(CHUNK_MAX).enumerate() {
                let mut buf = chunk.to_vec();
                let mut n = [0u8; 12];
                n[3..11].copy_from_slice(&(i as u64).to_be_bytes());
                raw.encrypt_in_place(&n.into(), b"", &mut buf).unwrap();
                out.extend_from_slice(&buf);
            }
            out
        })
    });
    g.finish();
}

criterion_group!(benches, seal_open, stream, stream_store, unlock);
criterion_main!(benches);

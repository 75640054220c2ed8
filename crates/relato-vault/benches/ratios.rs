//! Ratios of the real code paths to the raw primitives, measured so that
//! machine noise cancels: each round times a batch of the real path and a
//! batch of the raw primitive back to back (alternating which goes first),
//! and the report gives the median and spread of the per-round ratios.
//! `cargo bench --bench ratios` (or `scripts/bench`).

use std::hint::black_box;
use std::time::{Duration, Instant};

use chacha20poly1305::aead::{Aead, AeadInPlace, KeyInit, Payload};
use chacha20poly1305::{ChaCha20Poly1305, XChaCha20Poly1305, XNonce};
use relato_vault::crypto::{self, Key, RowAd};
use relato_vault::stream::{StreamCipher, CHUNK_MAX};
use relato_vault::{KdfParams, NewVault, Vault};

const ROUNDS: usize = 21;

/// Times `f` over enough iterations to take about `target`.
fn batch(target: Duration, mut f: impl FnMut()) -> f64 {
    let mut n = 1u64;
    loop {
        let t = Instant::now();
        for _ in 0..n {
            f();
        }
        let e = t.elapsed();
        if e >= target || n >= 1 << 24 {
            return e.as_secs_f64() / n as f64;
        }
        n *= 2;
    }
}

/// Median and range of raw/relato over the rounds (1.0 = as fast as raw).
fn compare(name: &str, size: &str, target: Duration, mut relato: impl FnMut(), mut raw: impl FnMut()) {
    let mut ratios = Vec::with_capacity(ROUNDS);
    let mut times = Vec::with_capacity(ROUNDS);
    for round in 0..ROUNDS {
        let (a, b) = if round % 2 == 0 {
            let a = batch(target, &mut relato);
            (a, batch(target, &mut raw))
        } else {
            let b = batch(target, &mut raw);
            (batch(target, &mut relato), b)
        };
        ratios.push(b / a);
        times.push((a, b));
    }
    ratios.sort_by(f64::total_cmp);
    times.sort_by(|x, y| x.0.total_cmp(&y.0));
    let (a, b) = times[ROUNDS / 2];
    let fmt = |s: f64| if s > 1e-3 { format!("{:.2} ms", s * 1e3) } else { format!("{:.2} µs", s * 1e6) };
    println!(
        "{name:<14}{size:>9}{:>12}{:>12}{:>12.3}   [{:.3} … {:.3}]",
        fmt(a),
        fmt(b),
        ratios[ROUNDS / 2],
        ratios[0],
        ratios[ROUNDS - 1]
    );
}

fn main() {
    if std::env::args().any(|a| a == "--list") {
        return; // `cargo test --benches` asks for a listing
    }
    let quick = Duration::from_millis(30);
    println!("{:<14}{:>9}{:>12}{:>12}{:>12}   [min … max of {ROUNDS} rounds]", "path", "size (B)", "relato", "raw", "raw/relato");

    let key = Key::from_bytes([3; 32]);
    let xraw = XChaCha20Poly1305::new((&[3u8; 32]).into());
    let ad = RowAd { vault_id: "vault-benchbench", table: "case_revisions", row_id: "case-abcdefghij/1", schema_version: 1 }.bytes();
    for size in [256usize, 4096, 65536] {
        let data = vec![0x5a; size];
        let sealed = crypto::seal(&key, &ad, &data);
        let nonce = *XNonce::from_slice(&sealed[..24]);
        compare("seal", &size.to_string(), quick, || drop(black_box(crypto::seal(&key, &ad, &data))), || {
            drop(black_box(xraw.encrypt(&nonce, Payload { msg: &data, aad: &ad }).unwrap()))
        });
        compare("open", &size.to_string(), quick, || drop(black_box(crypto::open(&key, &ad, &sealed).unwrap())), || {
            drop(black_box(xraw.decrypt(&nonce, Payload { msg: &sealed[24..], aad: &ad }).unwrap()))
        });
    }

    let cipher = StreamCipher::from_key_bytes([4; 32]);
    let raw = ChaCha20Poly1305::new((&[4u8; 32]).into());
    for size in [4096usize, CHUNK_MAX] {
        let data = vec![0x33; size];
        // One buffer for both sides: where a buffer lands in memory (4 KiB
        // aliasing with `data`) shifts timings by 30% on this machine, more
        // than the code under test does.
        let buf = std::cell::RefCell::new(Vec::with_capacity(CHUNK_MAX + 16));
        let mut i = 0u64;
        let mut j = 0u64;
        compare(
            "stream",
            &size.to_string(),
            quick,
            || {
                let mut buf = buf.borrow_mut();
                buf.clear();
                buf.extend_from_slice(&data);
                cipher.seal_in_place(i, false, &mut buf);
                i += 1;
            },
            || {
                let mut buf = buf.borrow_mut();
                buf.clear();
                buf.extend_from_slice(&data);
                let mut n = [0u8; 12];
                n[3..11].copy_from_slice(&j.to_be_bytes());
                raw.encrypt_in_place(&n.into(), b"", &mut *buf).unwrap();
                j += 1;
            },
        );
    }

    // The stream layer including storage: 4 MiB into the vault (seal, insert,
    // commit with fsync), beside raw encryption of the same bytes.
    let dir = tempfile::tempdir().unwrap();
    let (vault, _) = Vault::create(
        &dir.path().join("bench.relato"),
        NewVault { organisation: "Bench", admin_name: "B", admin_passphrase: "a benchmark passphrase", kdf: KdfParams::insecure_fast() },
    )
    .unwrap();
    let total = 4 * 1024 * 1024;
    let data = vec![0x11u8; total];
    compare(
        "stream+store",
        "4194304",
        Duration::from_millis(200),
        || {
            let mut w = vault.create_stream().unwrap();
            w.write(&data).unwrap();
            black_box(w.finish().unwrap());
        },
        || {
            for (i, chunk) in data.chunks(CHUNK_MAX).enumerate() {
                let mut buf = chunk.to_vec();
                let mut n = [0u8; 12];
                n[3..11].copy_from_slice(&(i as u64).to_be_bytes());
                raw.encrypt_in_place(&n.into(), b"", &mut buf).unwrap();
                black_box(buf);
            }
        },
    );
    drop(vault);

    // Unlocking at the default Argon2id parameters, beside one bare derivation.
    let path = dir.path().join("unlock.relato");
    let pass = "a benchmark passphrase";
    Vault::create(&path, NewVault { organisation: "Bench", admin_name: "B", admin_passphrase: pass, kdf: KdfParams::default() }).unwrap();
    let d = KdfParams::default();
    let argon = argon2::Argon2::new(
        argon2::Algorithm::Argon2id,
        argon2::Version::V0x13,
        argon2::Params::new(d.m_kib, d.t, d.p, Some(32)).unwrap(),
    );
    let mut out = [0u8; 32];
    compare("unlock", "-", Duration::from_millis(1), || drop(black_box(Vault::unlock(&path, "B", pass).unwrap())), || {
        argon.hash_password_into(pass.as_bytes(), &[7u8; 16], &mut out).unwrap()
    });
}

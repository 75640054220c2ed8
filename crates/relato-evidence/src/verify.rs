//! `relato verify`: everything an expert would check by hand with
//! `LEEME-VERIFICAR.txt`, in one pass, stopping at the first failure and
//! naming the file or custody line.
//!
//! Order: the manifest reads; the organisation key and the exporter's
//! certificate; the signatures of the manifest (minisign and raw Ed25519)
//! and of `SHA256SUMS`; every listed file's hash, none missing and none
//! extra; the manifest's list agrees with `SHA256SUMS`; the custody chain
//! line by line (`prev` rule, each line's signature by a key the
//! organisation certified); its head and the head's signature; each
//! received history it carries, the same way with its own keys, named by
//! a `RECEPCION` of the chain; and each original's hash equals the
//! manifest's and its `HASH_RECORDED` line.

use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use ed25519_dalek::{Signature, Verifier as _, VerifyingKey};
use relato_vault::custody::{self, KnownKey, SignedLine};
use relato_vault::identity::SignedCertificate;
use sha2::{Digest, Sha256};

use crate::encryption::AgeKey;
use crate::error::EvidenceError;
use crate::source::Source;
use crate::manifest::{self, safe_path, Manifest};
use crate::minisign;

/// What a successful verification established.
#[derive(Debug, Clone)]
pub struct Verified {
    pub manifest: Manifest,
    /// SHA-256 of `manifest.json`: the bundle's identity, as `EXPORT_CREATED` logged it.
    pub manifest_sha256: String,
    /// Files checked against `SHA256SUMS`.
    pub files: usize,
    pub custody_lines: u64,
}

/// Verifies the bundle at `path`: a folder, a zip or an age-encrypted zip
/// (opened with `key`), read in place.
pub fn verify(path: &Path, key: Option<&AgeKey>) -> Result<Verified, EvidenceError> {
    let bundle = Source::open(path, key)?;
    let not_a_bundle = |reason: String| EvidenceError::NotABundle { path: path.display().to_string(), reason };
    if !bundle.has(manifest::MANIFEST) {
        return Err(not_a_bundle("no manifest.json".into()));
    }
    let manifest_bytes = bundle.read(manifest::MANIFEST)?;
    let m = Manifest::parse(&manifest_bytes)?;

    // Who signed the manifest and the checksums.
    let exporter = check_signatures(&bundle, "", &m, &manifest_bytes)?;
    let sums_text = text(&bundle, manifest::SUMS)?;
    check_minisig(&bundle, &exporter, manifest::SUMS, sums_text.as_bytes())?;

    // Every file, by SHA256SUMS: none changed, none missing, none extra.
    let mut listed: BTreeMap<String, String> = BTreeMap::new();
    for (n, line) in sums_text.lines().enumerate() {
        let (hash, path) = line.split_once("  ").ok_or_else(|| not_a_bundle(format!("SHA256SUMS line {} is malformed", n + 1)))?;
        if hash.len() != 64 || !hash.bytes().all(|b| b.is_ascii_hexdigit()) || !safe_path(path) {
            return Err(not_a_bundle(format!("SHA256SUMS line {} is malformed", n + 1)));
        }
        listed.insert(path.to_owned(), hash.to_ascii_lowercase());
    }
    for (file, expected) in &listed {
        let found = bundle.sha256(file)?;
        if &found != expected {
            return Err(EvidenceError::FileChanged { file: file.clone(), expected: expected.clone(), found });
        }
    }
    // Names only: every listed file was hashed above, once.
    for path in bundle.paths()? {
        if path != manifest::SUMS && path != manifest::SUMS_MINISIG && !listed.contains_key(&path) {
            return Err(EvidenceError::ExtraFile { file: path });
        }
    }
    for f in &m.files {
        match listed.get(&f.path) {
            Some(h) if *h == f.sha256 => {}
            Some(h) => return Err(EvidenceError::FileChanged { file: f.path.clone(), expected: f.sha256.clone(), found: h.clone() }),
            None => return Err(EvidenceError::MissingFile { file: f.path.clone() }),
        }
    }
    // SHA256SUMS lists the manifest's files, the manifest and its
    // signatures, and the annex (`acta/`), which prints the manifest's
    // hash and so cannot be in it. Nothing else.
    let in_manifest: std::collections::HashSet<&str> = m.files.iter().map(|f| f.path.as_str()).collect();
    for path in listed.keys() {
        let outside = [manifest::MANIFEST, manifest::MANIFEST_MINISIG, manifest::MANIFEST_SIG].contains(&path.as_str())
            || path.starts_with(crate::annex::FOLDER);
        if !outside && !in_manifest.contains(path.as_str()) {
            return Err(EvidenceError::ExtraFile { file: path.clone() });
        }
    }
    for required in [manifest::MANIFEST, manifest::MANIFEST_MINISIG, manifest::MANIFEST_SIG, crate::annex::PATH] {
        if !listed.contains_key(required) {
            return Err(EvidenceError::MissingFile { file: required.to_owned() });
        }
    }

    // The custody chain (and, recursively, the histories of bundles
    // received for the case).
    let lines = check_chain(&bundle, "", &m, &exporter)?;

    // Each original: the file's hash, the manifest's, and HASH_RECORDED agree.
    let recorded: HashMap<String, String> = lines
        .iter()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .filter(|e| e["event"] == "HASH_RECORDED")
        .filter_map(|e| Some((e["objects"][0]["id"].as_str()?.to_owned(), e["objects"][0]["sha256"].as_str()?.to_owned())))
        .collect();
    for item in &m.items {
        let on_disk = listed.get(&item.file);
        let logged = recorded.get(&item.recording_id);
        if on_disk != Some(&item.sha256) || item.hash_recorded != item.sha256 || logged != Some(&item.sha256) {
            return Err(EvidenceError::OriginalMismatch { item: item.id.clone() });
        }
    }
    let manifest_sha256 = hex::encode(Sha256::digest(&manifest_bytes));
    Ok(Verified { files: listed.len(), custody_lines: lines.len() as u64, manifest: m, manifest_sha256 })
}

/// A key of the bundle under `prefix`, certified by its organisation key.
fn certified(bundle: &Source, prefix: &str, m: &Manifest, key_id: &str) -> Result<VerifyingKey, EvidenceError> {
    let org_file = format!("{prefix}keys/{}.pub", m.organisation.file);
    let org = minisign::read_public_key(&text(bundle, &org_file)?).map_err(|_| EvidenceError::BadSignature { file: org_file.clone() })?;
    let uncertified = || EvidenceError::UncertifiedKey { key: key_id.to_owned() };
    if !safe_path(key_id) || key_id.contains('/') {
        return Err(uncertified());
    }
    let public = minisign::read_public_key(&text(bundle, &format!("{prefix}keys/{key_id}.pub"))?).map_err(|_| uncertified())?;
    let cert: SignedCertificate =
        serde_json::from_slice(&bundle.read(&format!("{prefix}keys/{key_id}.cert.json"))?).map_err(|_| uncertified())?;
    cert.verify(&org, &public).map_err(|_| uncertified())?;
    Ok(public)
}

/// Under `prefix` (empty for the bundle itself, `custody/received/R1/`
/// for a history it carries): the organisation key, the exporter's
/// certificate by it, and the exporter's two signatures of the manifest.
/// Returns the exporter's key.
fn check_signatures(bundle: &Source, prefix: &str, m: &Manifest, manifest_bytes: &[u8]) -> Result<VerifyingKey, EvidenceError> {
    let at = |rel: &str| format!("{prefix}{rel}");
    for name in [&m.organisation.file, &m.exported_by.key.file] {
        if !safe_path(name) || name.contains('/') {
            return Err(EvidenceError::NotABundle { path: at(manifest::MANIFEST), reason: format!("bad key name {name:?}") });
        }
    }
    let exporter = certified(bundle, prefix, m, &m.exported_by.key.file)?;
    // The exporter's signatures of the manifest.
    check_minisig(bundle, &exporter, &at(manifest::MANIFEST), manifest_bytes)?;
    let sig_file = at(manifest::MANIFEST_SIG);
    let raw = bundle.read(&sig_file)?;
    let raw = Signature::from_slice(&raw).map_err(|_| EvidenceError::BadSignature { file: sig_file.clone() })?;
    exporter.verify(manifest_bytes, &raw).map_err(|_| EvidenceError::BadSignature { file: sig_file.clone() })?;
    Ok(exporter)
}

/// Under `prefix`: the custody chain line by line (`prev`, each line
/// signed by a key the organisation certified), its head and the head's
/// signature; then each received history in turn, which a `RECEPCION` of
/// this chain must name. Returns the chain's lines.
fn check_chain(bundle: &Source, prefix: &str, m: &Manifest, exporter: &VerifyingKey) -> Result<Vec<String>, EvidenceError> {
    let at = |rel: &str| format!("{prefix}{rel}");
    // The custody chain, line by line.
    let jsonl = text(bundle, &at("custody/custody.jsonl"))?;
    let sigs = text(bundle, &at("custody/custody.jsonl.sig"))?;
    let lines: Vec<&str> = jsonl.lines().collect();
    let sig_lines: Vec<&str> = sigs.lines().collect();
    if lines.len() != sig_lines.len() {
        let line = lines.len().min(sig_lines.len()) as u64 + 1;
        return Err(EvidenceError::ChainBroken { line, reason: "custody.jsonl and custody.jsonl.sig have different numbers of lines".into() });
    }
    let signed: Vec<SignedLine> = lines.iter().zip(&sig_lines).map(|(l, s)| SignedLine { line: (*l).to_owned(), sig: (*s).to_owned() }).collect();
    let mut keys: HashMap<String, Option<VerifyingKey>> = HashMap::new();
    for l in &signed {
        let actor = serde_json::from_str::<serde_json::Value>(&l.line).ok().and_then(|v| v["actor"]["key"].as_str().map(str::to_owned));
        if let Some(id) = actor {
            if let std::collections::hash_map::Entry::Vacant(slot) = keys.entry(id) {
                let key = certified(bundle, prefix, m, slot.key()).ok();
                slot.insert(key);
            }
        }
    }
    let revoked = revocations(bundle, prefix, m)?;
    let book = |id: &str| -> Option<KnownKey> {
        let revoked_at = revoked.iter().find(|(k, _)| k == id).map(|(_, at)| *at);
        keys.get(id).cloned().flatten().map(|public| KnownKey { public, certificate: Ok(()), revoked_at })
    };
    custody::verify_chain(&m.custody.chain, &signed, &book)?;
    let last = lines.last().ok_or(EvidenceError::HeadMismatch)?;
    let head_sha = hex::encode(Sha256::digest(last.as_bytes()));
    let head = text(bundle, &at("custody/custody.head"))?;
    if head != format!("{} {}\n", lines.len(), head_sha) || m.custody.head_sha256 != head_sha || m.custody.lines != lines.len() as u64 {
        return Err(EvidenceError::HeadMismatch);
    }
    check_minisig(bundle, exporter, &at("custody/custody.head"), head.as_bytes())?;

    // Received histories: each as it was signed, and named by a reception here.
    for r in &m.received {
        let dir = format!("{}/", r.dir);
        if !safe_path(&r.dir) || !r.dir.starts_with(manifest::RECEIVED) {
            return Err(EvidenceError::NotABundle { path: at(manifest::MANIFEST), reason: format!("bad received history {:?}", r.dir) });
        }
        let nested_file = at(&format!("{dir}{}", manifest::MANIFEST));
        let nested_bytes = bundle.read(&nested_file)?;
        let found = hex::encode(Sha256::digest(&nested_bytes));
        if found != r.manifest_sha256 {
            return Err(EvidenceError::FileChanged { file: nested_file, expected: r.manifest_sha256.clone(), found });
        }
        let received_here = lines.iter().filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok()).any(|e| {
            e["event"] == "RECEPCION" && e["objects"].as_array().is_some_and(|o| o.iter().any(|o| o["sha256"] == r.manifest_sha256.as_str()))
        });
        if !received_here {
            return Err(EvidenceError::ChainBroken { line: lines.len() as u64, reason: format!("no RECEPCION names the received bundle {}", r.dir) });
        }
        let nested = Manifest::parse(&nested_bytes)?;
        let nested_prefix = at(&dir);
        let nested_exporter = check_signatures(bundle, &nested_prefix, &nested, &nested_bytes)?;
        check_chain(bundle, &nested_prefix, &nested, &nested_exporter)?;
    }
    Ok(lines.iter().map(|l| (*l).to_owned()).collect())
}

/// The revocations the exporting vault recorded (`keys/revocations.jsonl`
/// under `prefix`, if present): each line must be a `KEY_REVOKED` signed
/// by a key the organisation certified. Returns `(key id, revoked at)`.
fn revocations(bundle: &Source, prefix: &str, m: &Manifest) -> Result<Vec<(String, chrono::DateTime<chrono::Utc>)>, EvidenceError> {
    let file = format!("{prefix}{}", manifest::REVOCATIONS);
    if !bundle.has(&file) {
        return Ok(Vec::new());
    }
    let lines = text(bundle, &file)?;
    let sigs = text(bundle, &format!("{file}.sig"))?;
    let bad = |n: usize, reason: &str| EvidenceError::NotABundle { path: file.clone(), reason: format!("line {n}: {reason}") };
    let sigs: Vec<&str> = sigs.lines().collect();
    if sigs.len() != lines.lines().count() {
        return Err(bad(0, "a signature per line is needed"));
    }
    let mut signed = Vec::new();
    for (n, (line, sig)) in lines.lines().zip(sigs).enumerate() {
        let e: serde_json::Value = serde_json::from_str(line).map_err(|_| bad(n + 1, "not JSON"))?;
        let actor = e["actor"]["key"].as_str().ok_or_else(|| bad(n + 1, "no actor key"))?;
        let key = certified(bundle, prefix, m, actor)?;
        use base64::Engine as _;
        let verified = base64::engine::general_purpose::STANDARD
            .decode(sig.trim())
            .ok()
            .and_then(|b| Signature::from_slice(&b).ok())
            .is_some_and(|s| key.verify(line.as_bytes(), &s).is_ok());
        if !verified {
            return Err(EvidenceError::BadSignature { file: format!("{file}.sig") });
        }
        if e["event"] != "KEY_REVOKED" {
            return Err(bad(n + 1, "not a KEY_REVOKED line"));
        }
        signed.push(SignedLine { line: line.to_owned(), sig: sig.to_owned() });
    }
    Ok(custody::revocations(&signed))
}

fn text(bundle: &Source, rel: &str) -> Result<String, EvidenceError> {
    String::from_utf8(bundle.read(rel)?).map_err(|_| EvidenceError::FileAltered { file: rel.into() })
}

/// `<file>.minisig` verifies `signed` with `key`.
fn check_minisig(bundle: &Source, key: &VerifyingKey, file: &str, signed: &[u8]) -> Result<(), EvidenceError> {
    let sig = text(bundle, &format!("{file}.minisig"))?;
    minisign::verify(key, signed, &sig).map(|_| ()).map_err(|_| EvidenceError::BadSignature { file: format!("{file}.minisig") })
}

//! A real bundle from a real vault: it verifies; its original is the
//! vault's byte for byte; the export is logged; and every way of altering
//! it — a byte in any file, a file removed or added, a key swapped — fails
//! verification naming the culprit. (The same bundle is checked with the
//! real sha256sum, minisign and openssl in tests/cli/evidence.sh.)

use std::path::{Path, PathBuf};

use relato_capture::{FakeSource, Pace, Recorder, RecorderOptions};
use relato_evidence::{export, receive, verify, AgeKey, AgeRecipients, AudioRedaction, EvidenceError, ExportRequest, Packaging, ReceiveRequest, SessionRedaction};
use relato_review::{stored, Annotation, Segment, Speaker, Tier, Transcript};
use relato_vault::{AudioFormat, CaseFields, KdfParams, Language, NewSession, NewVault, SampleFormat, SessionFields, Vault};

const PASS: &str = "una frase de prueba larga";

fn vault_with_recorded_session(dir: &Path) -> (Vault, String, String) {
    let (v, _) = Vault::create(
        &dir.join("vault.relato"),
        NewVault { organisation: "ODI Oaxaca", admin_name: "Ana", admin_passphrase: PASS, kdf: KdfParams::insecure_fast() },
    )
    .unwrap();
    let case = v.create_case(CaseFields { reference: "EXP-2026-031".into(), place: Some("Oaxaca".into()), institution: None }).unwrap();
    let fields = SessionFields {
        child_code: "NNA-031".into(),
        age_years: 9,
        language: Language::Es,
        interviewer: v.me().user_id.clone(),
        persons_present: vec![],
        protocol: None,
        consent_reference: None,
        location: None,
    };
    let session = v.create_session(NewSession { case_id: case.id.clone(), fields }).unwrap();
    let format = AudioFormat { sample_rate: 16_000, channels: 1, sample_format: SampleFormat::I16 };
    let source = FakeSource { format, pace: Pace::Unthrottled, total_frames: Some(32_000) };
    let rec = Recorder::start(v, &session.id, Box::new(source), RecorderOptions::default()).map_err(|(_, e)| e).unwrap();
    while rec.shared().captured_frames.load(std::sync::atomic::Ordering::Acquire) < 32_000 {
        std::thread::sleep(std::time::Duration::from_millis(2));
    }
    let (v, result) = rec.stop();
    result.unwrap();
    let transcript = Transcript {
        segments: vec![
            Segment::new("s1", 0, 1_000, Speaker::Interviewer, "Cuéntame todo lo que pasó."),
            Segment::new("s2", 1_000, 2_000, Speaker::Child, "Había una cámara en la repisa."),
        ],
    };
    stored::save_transcript(&v, &session.id, transcript, None).unwrap();
    let camera = Annotation {
        id: String::new(),
        tier: Tier::Indicators,
        start_ms: 1_000,
        end_ms: 2_000,
        code: "camera_or_recording_device".into(),
        segment_id: Some("s2".into()),
        note: Some("en la repisa".into()),
        target_id: None,
    };
    stored::save_annotation(&v, &session.id, None, camera).unwrap();
    (v, case.id, session.id)
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

fn files(root: &Path, dir: &Path, out: &mut Vec<String>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            files(root, &path, out);
        } else {
            out.push(path.strip_prefix(root).unwrap().to_string_lossy().into_owned());
        }
    }
}

#[test]
fn a_bundle_verifies_holds_the_original_and_every_alteration_is_named() {
    let dir = tempfile::tempdir().unwrap();
    let (v, case_id, session) = vault_with_recorded_session(dir.path());
    let out = dir.path().join("EXP-2026-031");
    let sessions = [session.clone()];
    let request = ExportRequest { sessions: &sessions, out: &out, purpose: Some("aportación a la fiscalía"), recipient: Some("Fiscalía de Oaxaca"), packaging: Packaging::Folder, redactions: &[] };
    let done = export(&v, &request).unwrap();
    assert_eq!(done.manifest.items.len(), 1);
    let verified = verify(&out, None).expect("a fresh bundle verifies");
    assert_eq!(verified.manifest.items[0].file, "evidence/EV-001.wav");

    // The original is the vault's, byte for byte, with the recorded hash.
    let recording = v.recordings(&session).unwrap().remove(0).unwrap();
    let plain = dir.path().join("plain.wav");
    relato_capture::original::export(&v, &recording, &plain, None).unwrap();
    assert_eq!(std::fs::read(out.join("evidence/EV-001.wav")).unwrap(), std::fs::read(&plain).unwrap());
    assert_eq!(done.manifest.items[0].sha256, recording.end.as_ref().unwrap().sha256_original);
    for f in ["LEEME-VERIFICAR.txt", "VERIFY.txt", "derivatives/S01/transcript.vtt", "annotations/S01/annotations.eaf", "custody/custody.head", "acta/anexo-cadena-custodia.pdf"] {
        assert!(out.join(f).is_file(), "{f}");
    }
    let names: Vec<String> = {
        let mut v = Vec::new();
        files(&out, &out, &mut v);
        v
    };
    assert!(names.iter().all(|n| n.is_ascii() && !n.contains("NNA") && !n.contains("Ana")), "no personal data in names: {names:?}");

    // The export is logged, with the manifest's hash, purpose and recipient.
    let exported = v
        .custody_lines(&case_id)
        .unwrap()
        .iter()
        .map(|l| serde_json::from_str::<serde_json::Value>(&l.line).unwrap())
        .find(|e| e["event"] == "EXPORT_CREATED")
        .expect("EXPORT_CREATED is logged");
    assert_eq!(exported["objects"][0]["sha256"], done.manifest_sha256);
    assert_eq!(exported["purpose"], "aportación a la fiscalía");
    assert_eq!(exported["details"]["recipient"], "Fiscalía de Oaxaca");

    // Never over an existing folder.
    assert!(matches!(export(&v, &request), Err(EvidenceError::OutputExists { .. })));

    // One byte changed in any file: verification fails and names it.
    let mut tampered = 0;
    for name in &names {
        let copy = dir.path().join(format!("t{tampered}"));
        copy_dir(&out, &copy);
        let path = copy.join(name);
        let mut bytes = std::fs::read(&path).unwrap();
        let at = bytes.len() / 2;
        bytes[at] ^= 0x01;
        std::fs::write(&path, bytes).unwrap();
        let err = verify(&copy, None).expect_err(&format!("a changed byte in {name} must fail"));
        let said = format!("{err}");
        let stem = Path::new(name).file_stem().unwrap().to_string_lossy().split('.').next().unwrap().to_owned();
        assert!(said.contains(&stem), "changing {name}: the error should name it, said {said:?}");
        tampered += 1;
    }
    assert!(tampered >= 19, "every file was tried: {tampered}");

    // A file removed, a file added.
    let copy = dir.path().join("missing");
    copy_dir(&out, &copy);
    std::fs::remove_file(copy.join("derivatives/S01/transcript.txt")).unwrap();
    match verify(&copy, None) {
        Err(EvidenceError::MissingFile { file }) => assert_eq!(file, "derivatives/S01/transcript.txt"),
        other => panic!("expected a missing file, got {other:?}"),
    }
    let copy = dir.path().join("extra");
    copy_dir(&out, &copy);
    std::fs::write(copy.join("evidence/EV-002.wav"), b"RIFF").unwrap();
    match verify(&copy, None) {
        Err(EvidenceError::ExtraFile { file }) => assert_eq!(file, "evidence/EV-002.wav"),
        other => panic!("expected an extra file, got {other:?}"),
    }
    // The annex removed (it is outside the manifest, so SHA256SUMS and
    // the rule that every bundle has one must catch it).
    let copy = dir.path().join("no-annex");
    copy_dir(&out, &copy);
    std::fs::remove_file(copy.join("acta/anexo-cadena-custodia.pdf")).unwrap();
    match verify(&copy, None) {
        Err(EvidenceError::MissingFile { file }) => assert_eq!(file, "acta/anexo-cadena-custodia.pdf"),
        other => panic!("expected the annex missing, got {other:?}"),
    }

    // Custody lines reordered, or the last one dropped.
    for (label, edit) in [("reordered", 0), ("truncated", 1)] {
        let copy = dir.path().join(label);
        copy_dir(&out, &copy);
        let path = copy.join("custody/custody.jsonl");
        let text = std::fs::read_to_string(&path).unwrap();
        let mut lines: Vec<&str> = text.lines().collect();
        if edit == 0 {
            lines.swap(1, 2);
        } else {
            lines.pop();
        }
        std::fs::write(&path, lines.iter().map(|l| format!("{l}\n")).collect::<String>()).unwrap();
        let said = verify(&copy, None).expect_err(label).to_string();
        assert!(said.contains("custody"), "{label}: {said}");
    }

    // Another key in place of the exporter's.
    let copy = dir.path().join("swapped");
    copy_dir(&out, &copy);
    let key = &done.manifest.exported_by.key.file;
    std::fs::copy(copy.join("keys/organisation.pub"), copy.join(format!("keys/{key}.pub"))).unwrap();
    let said = verify(&copy, None).expect_err("a swapped key").to_string();
    assert!(said.contains(key.as_str()), "{said}");
}

#[test]
fn an_original_that_does_not_read_writes_no_bundle() {
    let dir = tempfile::tempdir().unwrap();
    let (v, _, session) = vault_with_recorded_session(dir.path());
    let path: PathBuf = v.path().to_path_buf();
    drop(v);
    // Damage the original's first chunk in the vault file.
    let conn = rusqlite::Connection::open(&path).unwrap();
    conn.execute_batch(
        "DROP TRIGGER IF EXISTS stream_chunks_append_only_u;
         UPDATE stream_chunks SET body = zeroblob(length(body)) WHERE idx = 0;",
    )
    .unwrap();
    drop(conn);
    let v = Vault::unlock(&path, "Ana", PASS).unwrap();
    let out = dir.path().join("bundle");
    let sessions = [session];
    let err = export(&v, &ExportRequest { sessions: &sessions, out: &out, purpose: None, recipient: None, packaging: Packaging::Folder, redactions: &[] }).unwrap_err();
    assert!(err.code().starts_with("stream.") || err.code() == "evidence.integrity", "{err}");
    assert!(!out.exists() && !dir.path().join("bundle.partial").exists(), "nothing was written");
}

#[test]
fn a_zipped_bundle_is_one_file_verified_in_place() {
    let dir = tempfile::tempdir().unwrap();
    let (v, case_id, session) = vault_with_recorded_session(dir.path());
    let out = dir.path().join("EXP-2026-031.zip");
    let sessions = [session];
    let done = export(&v, &ExportRequest { sessions: &sessions, out: &out, purpose: None, recipient: None, packaging: Packaging::Zip, redactions: &[] }).unwrap();
    let bytes = std::fs::read(&out).unwrap();
    let sha = {
        use sha2::Digest;
        hex::encode(sha2::Sha256::digest(&bytes))
    };
    assert_eq!(done.zip_sha256.as_deref(), Some(sha.as_str()));
    assert!(!dir.path().join("EXP-2026-031.zip.partial").exists(), "the plaintext folder is gone");
    verify(&out, None).expect("the zip verifies in place");
    let logged = v
        .custody_lines(&case_id)
        .unwrap()
        .iter()
        .map(|l| serde_json::from_str::<serde_json::Value>(&l.line).unwrap())
        .find(|e| e["event"] == "EXPORT_CREATED")
        .unwrap();
    assert_eq!(logged["details"]["zip_sha256"], sha.as_str());

    // Someone else's partial output at the same name is left alone.
    let other = dir.path().join("other.zip");
    std::fs::write(dir.path().join("other.zip.partial"), b"not ours").unwrap();
    let err = export(&v, &ExportRequest { sessions: &sessions, out: &other, purpose: None, recipient: None, packaging: Packaging::Zip, redactions: &[] });
    assert!(matches!(err, Err(EvidenceError::OutputExists { .. })), "{err:?}");
    assert_eq!(std::fs::read(dir.path().join("other.zip.partial")).unwrap(), b"not ours");
    assert!(!other.exists());

    // A byte changed inside the original's entry.
    let at = bytes.windows(4).position(|w| w == b"data").expect("the WAV's data chunk") + 4_000;
    let mut changed = bytes.clone();
    changed[at] ^= 0x01;
    let broken = dir.path().join("broken.zip");
    std::fs::write(&broken, changed).unwrap();
    let said = verify(&broken, None).expect_err("a changed byte fails").to_string();
    assert!(said.contains("evidence/EV-001.wav"), "{said}");
}

/// The annex as a litigator prints it: the hashes are there as text (so
/// they can be read and typed), and it renders to an image. Needs poppler
/// (`pdftotext`, `pdftoppm`; the README's test command installs it).
#[test]
fn the_annex_prints_every_hash_and_renders() {
    let dir = tempfile::tempdir().unwrap();
    let (v, _, session) = vault_with_recorded_session(dir.path());
    let out = dir.path().join("EXP-2026-031");
    let sessions = [session];
    let request = ExportRequest {
        sessions: &sessions,
        out: &out,
        purpose: Some("aportación a la carpeta de investigación"),
        recipient: Some("Lic. Marta Ríos, Ministerio Público"),
        packaging: Packaging::Folder,
        redactions: &[],
    };
    let done = export(&v, &request).unwrap();
    let pdf = out.join("acta/anexo-cadena-custodia.pdf");
    let text = std::process::Command::new("pdftotext").args(["-layout"]).arg(&pdf).arg("-").output();
    let text = text.expect("pdftotext (poppler-utils) is needed for this test");
    assert!(text.status.success(), "pdftotext failed: {}", String::from_utf8_lossy(&text.stderr));
    let text = String::from_utf8(text.stdout).unwrap();
    let m = &done.manifest;
    let mut hashes = vec![done.manifest_sha256.clone(), m.custody.head_sha256.clone()];
    hashes.extend(m.items.iter().map(|i| i.sha256.clone()));
    hashes.extend(m.files.iter().filter(|f| f.path.starts_with("derivatives/") || f.path.starts_with("annotations/")).map(|f| f.sha256.clone()));
    for h in &hashes {
        assert!(text.contains(h.as_str()), "the annex lacks {h}:\n{text}");
    }
    for words in ["EXP-2026-031", "NNA-031", "ODI Oaxaca", "Lic. Marta Ríos", "Ana", "CADENA DE CUSTODIA", m.organisation.minisign_key.as_str()] {
        assert!(text.contains(words), "the annex lacks {words:?}");
    }
    let png = dir.path().join("page");
    let ran = std::process::Command::new("pdftoppm").args(["-r", "40", "-png", "-f", "1", "-l", "1"]).arg(&pdf).arg(&png).status().unwrap();
    assert!(ran.success());
    let page = std::fs::read(dir.path().join("page-1.png")).or_else(|_| std::fs::read(dir.path().join("page-01.png"))).unwrap();
    assert!(page.starts_with(b"\x89PNG") && page.len() > 5_000, "the first page renders");
}

fn no_plaintext_beside(dir: &Path, out: &Path) {
    let mut names = Vec::new();
    files(dir, dir, &mut names);
    let beside: Vec<&String> = names.iter().filter(|n| n.starts_with(out.file_name().unwrap().to_str().unwrap())).collect();
    assert_eq!(beside, vec![&out.file_name().unwrap().to_string_lossy().into_owned()], "only the encrypted file is left");
}

#[test]
fn an_encrypted_bundle_opens_only_with_its_key_and_verifies_in_place() {
    use age::secrecy::{ExposeSecret, SecretString};
    let dir = tempfile::tempdir().unwrap();
    let (v, case_id, session) = vault_with_recorded_session(dir.path());
    let sessions = [session];
    let identity = age::x25519::Identity::generate();
    let out = dir.path().join("EXP-2026-031.zip.age");
    let packaging = Packaging::Age(AgeRecipients::Keys(vec![identity.to_public().to_string()]));
    let done = export(&v, &ExportRequest { sessions: &sessions, out: &out, purpose: None, recipient: None, packaging, redactions: &[] }).unwrap();
    no_plaintext_beside(dir.path(), &out);
    let bytes = std::fs::read(&out).unwrap();
    assert!(bytes.starts_with(b"age-encryption.org/v1\n"));
    for plain in [&b"manifest.json"[..], b"RIFF", b"EXP-2026-031/"] {
        assert!(!bytes.windows(plain.len()).any(|w| w == plain), "plaintext {:?} in the encrypted file", String::from_utf8_lossy(plain));
    }
    let sha = {
        use sha2::Digest;
        hex::encode(sha2::Sha256::digest(&bytes))
    };
    assert_eq!(done.age_sha256.as_deref(), Some(sha.as_str()));
    let logged = v
        .custody_lines(&case_id)
        .unwrap()
        .iter()
        .map(|l| serde_json::from_str::<serde_json::Value>(&l.line).unwrap())
        .find(|e| e["event"] == "EXPORT_CREATED")
        .unwrap();
    assert_eq!(logged["details"]["age_sha256"], sha.as_str());
    assert_eq!(logged["details"]["zip_sha256"], done.zip_sha256.as_deref().unwrap());

    let key = AgeKey::Identities(SecretString::from(identity.to_string().expose_secret().to_owned()));
    let verified = verify(&out, Some(&key)).expect("the right key opens and verifies it");
    assert_eq!(verified.manifest.items[0].sha256, done.manifest.items[0].sha256);
    assert!(matches!(verify(&out, None), Err(EvidenceError::AgeKeyNeeded { .. })));
    let other = age::x25519::Identity::generate();
    let wrong = AgeKey::Identities(SecretString::from(other.to_string().expose_secret().to_owned()));
    assert!(matches!(verify(&out, Some(&wrong)), Err(EvidenceError::AgeDecrypt { .. })));

    // One byte of the ciphertext changed: age's authentication refuses it.
    let mut changed = bytes.clone();
    let at = changed.len() / 2;
    changed[at] ^= 0x01;
    let broken = dir.path().join("broken.zip.age");
    std::fs::write(&broken, changed).unwrap();
    assert!(verify(&broken, Some(&key)).is_err(), "a changed ciphertext byte fails");

    // To a passphrase; and a recipient that is not one writes nothing.
    let out = dir.path().join("pass.zip.age");
    let passphrase = SecretString::from("una frase para la fiscalía".to_owned());
    let packaging = Packaging::Age(AgeRecipients::Passphrase(passphrase.clone()));
    export(&v, &ExportRequest { sessions: &sessions, out: &out, purpose: None, recipient: None, packaging, redactions: &[] }).unwrap();
    verify(&out, Some(&AgeKey::Passphrase(passphrase))).expect("the passphrase opens it");
    let wrong = AgeKey::Passphrase(SecretString::from("otra frase".to_owned()));
    assert!(matches!(verify(&out, Some(&wrong)), Err(EvidenceError::AgeDecrypt { .. })));
    let out = dir.path().join("bad.zip.age");
    let packaging = Packaging::Age(AgeRecipients::Keys(vec!["age1notakey".into()]));
    let err = export(&v, &ExportRequest { sessions: &sessions, out: &out, purpose: None, recipient: None, packaging, redactions: &[] }).unwrap_err();
    assert!(matches!(err, EvidenceError::AgeRecipient { .. }), "{err}");
    assert!(!out.exists() && !dir.path().join("bad.zip.age.partial").exists(), "nothing was written");
    let packaging = Packaging::Age(AgeRecipients::Passphrase(SecretString::from("corta".to_owned())));
    let err = export(&v, &ExportRequest { sessions: &sessions, out: &out, purpose: None, recipient: None, packaging, redactions: &[] }).unwrap_err();
    assert!(matches!(err, EvidenceError::AgePassphraseShort { min: 12 }), "{err}");
    assert!(!out.exists() && !dir.path().join("bad.zip.age.partial").exists(), "nothing was written");
}

#[test]
fn a_redacted_derivative_names_its_parent_and_changes_only_what_was_asked() {
    use relato_review::TextRedaction;
    let dir = tempfile::tempdir().unwrap();
    let (v, _, session) = vault_with_recorded_session(dir.path());
    let sessions = [session.clone()];
    let redactions = [SessionRedaction {
        session: session.clone(),
        text: vec![TextRedaction::Phrase { find: "repisa".into(), replacement: "[LUGAR]".into(), reason: "identifica el domicilio".into() }],
        audio: vec![AudioRedaction { start_ms: 1_000, end_ms: 1_500, reason: "identifica el domicilio".into() }],
    }];
    let out = dir.path().join("redacted");
    let request = ExportRequest { sessions: &sessions, out: &out, purpose: None, recipient: None, packaging: Packaging::Folder, redactions: &redactions };
    let done = export(&v, &request).unwrap();
    verify(&out, None).expect("a bundle with redacted derivatives verifies");
    let red = out.join("derivatives/S01/redacted");

    // The transcript: the phrase replaced, nothing else changed.
    let full = std::fs::read_to_string(out.join("derivatives/S01/transcript.txt")).unwrap();
    let redacted = std::fs::read_to_string(red.join("transcript.txt")).unwrap();
    assert!(full.contains("repisa") && !redacted.contains("repisa") && redacted.contains("[LUGAR]"), "{redacted}");
    assert_eq!(redacted.replace("[LUGAR]", "repisa"), full);

    // The audio: 16 kHz mono 16-bit; frames 16000..24000 silenced, every
    // other byte the original's.
    let original = std::fs::read(out.join("evidence/EV-001.wav")).unwrap();
    let silenced = std::fs::read(red.join("EV-001-redacted.wav")).unwrap();
    assert_eq!(original.len(), silenced.len());
    let record: serde_json::Value = serde_json::from_slice(&std::fs::read(red.join("redaction.json")).unwrap()).unwrap();
    let audio = &record["audio"][0];
    assert_eq!(audio["parent"]["sha256"], done.manifest.items[0].sha256.as_str(), "the parent is named by its hash");
    let ranges = audio["silenced"]["byte_ranges"].as_array().unwrap();
    assert_eq!(ranges.len(), 1);
    let (from, to) = (ranges[0][0].as_u64().unwrap() as usize, ranges[0][1].as_u64().unwrap() as usize);
    assert_eq!(to - from, 8_000 * 2, "half a second of 16-bit mono");
    assert!(silenced[from..to].iter().all(|&b| b == 0), "the span is silent");
    assert!(original[from..to].iter().any(|&b| b != 0), "and was not silent before");
    assert_eq!(&silenced[..from], &original[..from]);
    assert_eq!(&silenced[to..], &original[to..]);
    assert_eq!(audio["silenced"]["spans"][0]["start_frame"], 16_000);

    // The record lists the transformation and its reason, never the text removed.
    let text = serde_json::to_string(&record).unwrap();
    assert!(!text.contains("repisa"), "the redaction record must not hold the removed text: {text}");
    assert!(text.contains("identifica el domicilio") && text.contains("[LUGAR]"));
    assert_eq!(record["text"]["applied"].as_array().unwrap().len(), 1);

    // A redaction that cannot apply writes nothing.
    let bad = [SessionRedaction { session: session.clone(), text: vec![TextRedaction::Span { segment: "nope".into(), start: 0, end: 1, replacement: "x".into(), reason: "r".into() }], audio: vec![] }];
    let out = dir.path().join("bad");
    let request = ExportRequest { sessions: &sessions, out: &out, purpose: None, recipient: None, packaging: Packaging::Folder, redactions: &bad };
    assert!(matches!(export(&v, &request), Err(EvidenceError::Redaction { .. })));
    assert!(!out.exists() && !dir.path().join("bad.partial").exists());
}

fn events(v: &Vault, case_id: &str) -> Vec<serde_json::Value> {
    v.custody_lines(case_id).unwrap().iter().map(|l| serde_json::from_str(&l.line).unwrap()).collect()
}

/// A collaborating organisation receives a bundle: verified first; its
/// original, transcript and annotation become records of a case there;
/// `RECEPCION` names it; and the bundles that vault makes of the case
/// carry the sender's signed history, which verifies.
#[test]
fn a_received_bundle_keeps_its_history_into_the_next_bundle() {
    use age::secrecy::{ExposeSecret, SecretString};
    let dir = tempfile::tempdir().unwrap();
    let (sender, _, session) = vault_with_recorded_session(dir.path());
    let sessions = [session];
    let identity = age::x25519::Identity::generate();
    let sent = dir.path().join("EXP-2026-031.zip.age");
    let packaging = Packaging::Age(AgeRecipients::Keys(vec![identity.to_public().to_string()]));
    let done = export(&sender, &ExportRequest { sessions: &sessions, out: &sent, purpose: Some("colaboración"), recipient: None, packaging, redactions: &[] }).unwrap();

    let theirs = dir.path().join("fiscalia");
    std::fs::create_dir(&theirs).unwrap();
    let (receiver, _) = Vault::create(
        &theirs.join("vault.relato"),
        NewVault { organisation: "Fiscalía de Oaxaca", admin_name: "Raúl", admin_passphrase: PASS, kdf: KdfParams::insecure_fast() },
    )
    .unwrap();
    let key = AgeKey::Identities(SecretString::from(identity.to_string().expose_secret().to_owned()));
    let request = |key| ReceiveRequest {
        path: &sent,
        key,
        into_case: None,
        from: "Luisa Litigante",
        institution: Some("ODI Oaxaca"),
        purpose: Some("colaboración"),
        medium: Some("USB"),
        seal: Some("SELLO-7"),
    };
    // Without the key: refused, nothing made.
    assert!(matches!(receive(&receiver, &request(None)), Err(EvidenceError::AgeKeyNeeded { .. })));
    assert!(receiver.cases().unwrap().is_empty(), "a refused bundle makes no case");

    let got = receive(&receiver, &request(Some(&key))).unwrap();
    assert_eq!(got.originals.len(), 1);
    assert_eq!(got.originals[0].sha256, done.manifest.items[0].sha256, "the original arrives byte for byte");
    assert_eq!((got.transcripts, got.annotations, got.annotations_not_taken), (1, 1, 0));
    let case = receiver.case(&got.case_id).unwrap();
    assert_eq!(case.reference, "EXP-2026-031");
    let here = events(&receiver, &got.case_id);
    let reception = here.iter().find(|e| e["event"] == "RECEPCION").expect("RECEPCION is logged");
    assert_eq!(reception["objects"][0]["sha256"], done.manifest_sha256.as_str());
    assert_eq!(reception["details"]["from"], "Luisa Litigante");
    assert_eq!(reception["details"]["seal"], "SELLO-7");
    assert!(here.iter().any(|e| e["event"] == "HASH_RECORDED" && e["objects"][0]["sha256"] == done.manifest.items[0].sha256.as_str()));

    // The receiver's own bundle of the case carries the sender's history.
    let (label, received_session) = &got.sessions[0];
    assert_eq!(label, "S01");
    let onward = dir.path().join("onward");
    let sessions = [received_session.clone()];
    let next = export(&receiver, &ExportRequest { sessions: &sessions, out: &onward, purpose: None, recipient: None, packaging: Packaging::Folder, redactions: &[] }).unwrap();
    assert_eq!(next.manifest.received.len(), 1);
    assert_eq!(next.manifest.received[0].manifest_sha256, done.manifest_sha256);
    let carried = onward.join("custody/received/R1");
    assert!(carried.join("custody/custody.jsonl").is_file() && carried.join("manifest.json.minisig").is_file());
    verify(&onward, None).expect("a bundle carrying a received history verifies");
    assert_eq!(next.manifest.items[0].sha256, done.manifest.items[0].sha256, "the same original, still");

    // The carried history altered: caught.
    let copy = dir.path().join("onward-changed");
    copy_dir(&onward, &copy);
    let chain = copy.join("custody/received/R1/custody/custody.jsonl");
    let text = std::fs::read_to_string(&chain).unwrap().replacen("Ana", "Eva", 1);
    std::fs::write(&chain, text).unwrap();
    let said = verify(&copy, None).expect_err("a changed received history fails").to_string();
    assert!(said.contains("custody/received/R1/custody/custody.jsonl"), "{said}");
}

/// A key revoked in the vault travels with the bundle: lines it signed
/// before the revocation verify; a bundle (re-signed by its exporter) that
/// dates the revocation before one of them fails on that line.
#[test]
fn revocations_travel_with_the_bundle_and_are_applied() {
    use relato_vault::Role;
    let dir = tempfile::tempdir().unwrap();
    let (v, _, session) = vault_with_recorded_session(dir.path());
    v.add_user("Luis", Role::Reviewer, PASS, None, KdfParams::insecure_fast()).unwrap();
    let path = v.path().to_path_buf();
    drop(v);
    let luis = Vault::unlock(&path, "Luis", PASS).unwrap();
    let transcript = Transcript { segments: vec![Segment::new("s1", 0, 1_000, Speaker::Interviewer, "Revisado por Luis.")] };
    stored::save_transcript(&luis, &session, transcript, None).unwrap();
    drop(luis);
    let v = Vault::unlock(&path, "Ana", PASS).unwrap();
    v.revoke_user("Luis").unwrap();

    let out = dir.path().join("b");
    let sessions = [session];
    export(&v, &ExportRequest { sessions: &sessions, out: &out, purpose: None, recipient: None, packaging: Packaging::Folder, redactions: &[] }).unwrap();
    let revocations = std::fs::read_to_string(out.join("keys/revocations.jsonl")).unwrap();
    assert_eq!(revocations.lines().count(), 1, "{revocations}");
    verify(&out, None).expect("lines signed before the revocation verify");

    // The exporter re-signs a bundle whose revocation is dated before
    // Luis's line: every signature holds, the chain must not.
    let mut line: serde_json::Value = serde_json::from_str(revocations.trim()).unwrap();
    line["time"] = "2000-01-01T00:00:00.000Z".into();
    let line = serde_json::to_string(&line).unwrap();
    use base64::Engine as _;
    let sig = base64::engine::general_purpose::STANDARD.encode(v.sign_as_me(line.as_bytes()));
    std::fs::write(out.join("keys/revocations.jsonl"), format!("{line}\n")).unwrap();
    std::fs::write(out.join("keys/revocations.jsonl.sig"), format!("{sig}\n")).unwrap();
    resign(&v, &out);
    let err = verify(&out, None).expect_err("a line signed after its key's revocation fails");
    assert!(err.to_string().contains("revoked"), "{err}");
}

/// Rewrites a bundle's manifest, checksums and their signatures over its
/// files as they now are, as its exporter could.
fn resign(v: &Vault, out: &Path) {
    use relato_evidence::minisign::signature_file;
    use sha2::Digest;
    let sha = |p: &Path| hex::encode(sha2::Sha256::digest(std::fs::read(p).unwrap()));
    let (_, public) = v.my_key();
    let sign = |b: &[u8]| v.sign_as_me(b);
    let mut m: serde_json::Value = serde_json::from_slice(&std::fs::read(out.join("manifest.json")).unwrap()).unwrap();
    for f in m["files"].as_array_mut().unwrap() {
        let p = out.join(f["path"].as_str().unwrap());
        f["sha256"] = sha(&p).into();
        f["bytes"] = std::fs::metadata(&p).unwrap().len().into();
    }
    let mut bytes = serde_json::to_vec_pretty(&m).unwrap();
    bytes.push(b'\n');
    std::fs::write(out.join("manifest.json"), &bytes).unwrap();
    std::fs::write(out.join("manifest.json.minisig"), signature_file(&public, &bytes, "relato manifest", sign)).unwrap();
    std::fs::write(out.join("manifest.json.sig"), v.sign_as_me(&bytes)).unwrap();
    let mut names = Vec::new();
    files(out, out, &mut names);
    names.retain(|n| !n.starts_with("SHA256SUMS"));
    names.sort();
    let sums: String = names.iter().map(|n| format!("{}  {n}\n", sha(&out.join(n)))).collect();
    std::fs::write(out.join("SHA256SUMS"), &sums).unwrap();
    std::fs::write(out.join("SHA256SUMS.minisig"), signature_file(&public, sums.as_bytes(), "relato SHA256SUMS", sign)).unwrap();
}

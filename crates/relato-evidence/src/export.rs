//! Writing a bundle (layout in the crate docs).
//!
//! Order matters for integrity:
//! 1. every original is read through and checked against `HASH_RECORDED`
//!    *before anything is written*; a mismatch logs `INTEGRITY_FAILED` and
//!    stops the export;
//! 2. the bundle is written into `<out>.partial` (a folder, a zip, or an
//!    age-encrypted zip, through a [`Sink`]), each file hashed as it is
//!    written; the originals are copied by
//!    `relato_capture::original::copy_checked`, which fails if what it
//!    wrote no longer matches;
//! 3. the manifest and its signatures come after everything it lists; the
//!    annex (`acta/`) after the manifest, since it prints the manifest's
//!    hash; `SHA256SUMS` and its signature last, over all of it;
//! 4. `<out>.partial` is renamed into place and `EXPORT_CREATED` is logged
//!    with the manifest's SHA-256 (and the zip's, and the encrypted
//!    file's). A failure on the way removes the partial output, so no half
//!    bundle is left looking like a whole one.

use std::io::BufWriter;
use std::path::{Path, PathBuf};

use base64::Engine as _;
use relato_review::stored;
use relato_review::{Lang, Transcript};
use relato_vault::{Origin, Recording, Vault};
use serde_json::json;
use sha2::{Digest, Sha256};

use crate::error::{io, EvidenceError};
use crate::manifest::{self, CaseRef, CustodyRef, FileRef, Item, KeyRef, Manifest, SessionRef, Signer};
use crate::sink::{self, FolderSink, Hashing, Sink, ZipSink};
use crate::redaction::{self, SessionRedaction};
use crate::{annex, encryption, formats, instructions, keys, minisign};
pub use crate::encryption::AgeRecipients;

/// What to export.
#[derive(Debug, Clone)]
pub struct ExportRequest<'a> {
    /// Sessions of one case.
    pub sessions: &'a [String],
    /// The bundle folder to create (it must not exist).
    pub out: &'a Path,
    pub purpose: Option<&'a str>,
    pub recipient: Option<&'a str>,
    /// A folder, one zip, or one zip encrypted with age.
    pub packaging: Packaging,
    /// Redacted derivatives to add, per session (none: an empty slice).
    pub redactions: &'a [SessionRedaction],
}

/// How a bundle is packaged.
#[derive(Clone)]
pub enum Packaging {
    Folder,
    /// One zip file, its SHA-256 printed and logged for the paper form.
    Zip,
    /// One zip, encrypted with age as it is written.
    Age(AgeRecipients),
}

impl std::fmt::Debug for Packaging {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Packaging::Folder => "Folder",
            Packaging::Zip => "Zip",
            Packaging::Age(AgeRecipients::Keys(_)) => "Age(keys)",
            Packaging::Age(AgeRecipients::Passphrase(_)) => "Age(passphrase)",
        })
    }
}

/// A written bundle.
#[derive(Debug, Clone)]
pub struct Exported {
    pub path: PathBuf,
    pub manifest_sha256: String,
    pub manifest: Manifest,
    /// The zip's SHA-256, when zipped (inside the encryption, if any).
    pub zip_sha256: Option<String>,
    /// The encrypted file's SHA-256, when encrypted with age: what is
    /// handed over, to be written on the paper form.
    pub age_sha256: Option<String>,
}

/// Writes a bundle; see the module docs for the order of things.
pub fn export(v: &Vault, req: &ExportRequest<'_>) -> Result<Exported, EvidenceError> {
    // --- what goes in ------------------------------------------------------
    let mut sessions = Vec::new();
    for id in req.sessions {
        sessions.push(v.session(id)?);
    }
    let case_id = match sessions.first() {
        Some(s) => s.case_id.clone(),
        None => return Err(EvidenceError::NoOriginals),
    };
    if sessions.iter().any(|s| s.case_id != case_id) {
        return Err(EvidenceError::SeveralCases);
    }
    let case = v.case(&case_id)?;
    let mut originals: Vec<(usize, Recording)> = Vec::new();
    for (k, s) in sessions.iter().enumerate() {
        for r in v.recordings(&s.id)? {
            let r = r?;
            if r.end.is_some() {
                originals.push((k, r));
            }
        }
    }
    if originals.is_empty() {
        return Err(EvidenceError::NoOriginals);
    }
    // Redactions name sessions of the bundle and apply cleanly, before
    // anything is read through or written.
    for r in req.redactions {
        if !sessions.iter().any(|s| s.id == r.session) {
            return Err(EvidenceError::Redaction { session: r.session.clone(), reason: "not a session of this bundle".into() });
        }
        if let Some(a) = r.audio.iter().find(|a| a.end_ms <= a.start_ms) {
            return Err(EvidenceError::Redaction { session: r.session.clone(), reason: format!("{}–{} ms is not a stretch of time", a.start_ms, a.end_ms) });
        }
        if !r.text.is_empty() {
            match stored::latest_transcript(v, &r.session)? {
                Some((_, t)) => drop(redaction::redact_transcript(&r.session, &t, &r.text)?),
                None => return Err(EvidenceError::Redaction { session: r.session.clone(), reason: "the session has no transcript".into() }),
            }
        }
    }
    // 1. Every original checks out before a byte is written.
    let mut checked = Vec::with_capacity(originals.len());
    for (_, r) in &originals {
        match relato_capture::original::check(v, r) {
            Ok(c) => checked.push(c),
            Err(relato_capture::CaptureError::Integrity { expected, found }) => {
                v.log_integrity_failure(&r.id, &expected, &found)?;
                return Err(EvidenceError::Integrity { recording: r.id.clone(), expected, found });
            }
            Err(e) => return Err(e.into()),
        }
    }

    // 2. Into a partial output beside the destination.
    if req.out.exists() {
        return Err(EvidenceError::OutputExists { path: req.out.display().to_string() });
    }
    let partial = PathBuf::from(format!("{}.partial", req.out.display()));
    let parts = Parts { case: &case, sessions: &sessions, originals: &originals, checked: &checked };
    let written = match write_packaged(v, req, &partial, &parts) {
        // Someone else's partial output is not ours to remove.
        Err(e @ EvidenceError::OutputExists { .. }) => return Err(e),
        written => written.and_then(|w| move_into_place(&partial, req.out).map(|_| w)),
    };
    let written = match written {
        Ok(w) => w,
        Err(e) => {
            // Half a bundle is no bundle (and a folder of plaintext originals).
            let _ = if partial.is_dir() { std::fs::remove_dir_all(&partial) } else { std::fs::remove_file(&partial) };
            return Err(e);
        }
    };
    let logged: Vec<(String, String)> = written.manifest.items.iter().map(|i| (i.recording_id.clone(), i.sha256.clone())).collect();
    v.log_export(
        &case.id,
        &relato_vault::ExportLogged {
            manifest_sha256: &written.manifest_sha256,
            zip_sha256: written.zip_sha256.as_deref(),
            age_sha256: written.age_sha256.as_deref(),
            originals: &logged,
            purpose: req.purpose,
            recipient: req.recipient,
        },
    )?;
    Ok(Exported { path: req.out.to_path_buf(), ..written })
}

/// Renames the finished output to `out` without replacing anything that
/// appeared there meanwhile: a file by a hard link (which fails if `out`
/// exists) then unlinking the partial name; a folder by `rename`, which
/// fails over a non-empty folder.
fn move_into_place(partial: &Path, out: &Path) -> Result<(), EvidenceError> {
    let taken = |e: std::io::Error| {
        if e.kind() == std::io::ErrorKind::AlreadyExists || e.kind() == std::io::ErrorKind::DirectoryNotEmpty {
            EvidenceError::OutputExists { path: out.display().to_string() }
        } else {
            io(out)(e)
        }
    };
    if partial.is_dir() {
        std::fs::rename(partial, out).map_err(taken)
    } else {
        std::fs::hard_link(partial, out).map_err(taken)?;
        std::fs::remove_file(partial).map_err(io(partial))
    }
}

/// What goes into a bundle, gathered and checked.
struct Parts<'a> {
    case: &'a relato_vault::Case,
    sessions: &'a [relato_vault::Session],
    originals: &'a [(usize, Recording)],
    checked: &'a [relato_capture::original::Checked],
}

/// Writes the bundle at `partial` as the request packages it.
fn write_packaged(v: &Vault, req: &ExportRequest<'_>, partial: &Path, parts: &Parts<'_>) -> Result<Exported, EvidenceError> {
    let top = req.out.file_name().map_or_else(|| "bundle".to_owned(), |n| n.to_string_lossy().into_owned());
    // A zip's top folder is the bundle's name without `.zip` / `.age`.
    let top = top.trim_end_matches(".age").trim_end_matches(".zip").to_owned();
    let exported = |(manifest, manifest_sha256): (Manifest, String), zip_sha256, age_sha256| Exported {
        path: partial.to_path_buf(),
        manifest_sha256,
        manifest,
        zip_sha256,
        age_sha256,
    };
    match &req.packaging {
        Packaging::Folder => {
            std::fs::create_dir(partial).map_err(|e| {
                if e.kind() == std::io::ErrorKind::AlreadyExists {
                    EvidenceError::OutputExists { path: partial.display().to_string() }
                } else {
                    io(partial)(e)
                }
            })?;
            let done = write_bundle(v, req, &mut FolderSink { dir: partial.to_path_buf() }, parts)?;
            Ok(exported(done, None, None))
        }
        Packaging::Zip => {
            let file = sink::create_new(partial)?;
            let mut zip = ZipSink::new(Hashing::new(BufWriter::new(file)), &top, partial);
            let done = write_bundle(v, req, &mut zip, parts)?;
            let (w, _, zip_sha256) = zip.finish()?.finish();
            finish_file(w, partial)?;
            Ok(exported(done, Some(zip_sha256), None))
        }
        Packaging::Age(recipients) => {
            let file = sink::create_new(partial)?;
            let encrypted = Hashing::new(BufWriter::new(file));
            let encryptor = encryption::encrypt(recipients, encrypted).map_err(|e| match e {
                EvidenceError::Io { reason, .. } => EvidenceError::Io { path: partial.display().to_string(), reason },
                other => other,
            })?;
            let mut zip = ZipSink::new(Hashing::new(encryptor), &top, partial);
            let done = write_bundle(v, req, &mut zip, parts)?;
            let (encryptor, _, zip_sha256) = zip.finish()?.finish();
            let (w, _, age_sha256) = encryptor.finish().map_err(io(partial))?.finish();
            finish_file(w, partial)?;
            Ok(exported(done, Some(zip_sha256), Some(age_sha256)))
        }
    }
}

fn finish_file(w: BufWriter<std::fs::File>, path: &Path) -> Result<(), EvidenceError> {
    let file = w.into_inner().map_err(|e| io(path)(e.into_error()))?;
    file.sync_all().map_err(io(path))
}

fn write_bundle(v: &Vault, req: &ExportRequest<'_>, sink: &mut dyn Sink, parts: &Parts<'_>) -> Result<(Manifest, String), EvidenceError> {
    let Parts { case, sessions, originals, checked } = *parts;
    let mut w = Out { sink, files: Vec::new() };
    let created_at = relato_vault::utc_now();
    let label = |k: usize| format!("S{:02}", k + 1);
    let names = v.user_names();

    // The originals and their metadata.
    let mut items = Vec::new();
    let mut metas = Vec::new();
    for (n, ((k, r), checked)) in originals.iter().zip(checked).enumerate() {
        let id = format!("EV-{:03}", n + 1);
        let file = format!("evidence/{id}.{}", extension(r));
        // Checked above; hashed once more as it is written.
        let exported = w.put(&file, &mut |out| Ok(relato_capture::original::copy_checked(v, r, checked, out).map(|_| ())?))?;
        let end = r.end.as_ref().expect("only sealed recordings are exported");
        let meta = meta(v, r, &id, &label(*k), &exported.sha256)?;
        w.json(&format!("evidence/{id}.meta.json"), &meta)?;
        metas.push(meta);
        items.push(Item {
            id,
            recording_id: r.id.clone(),
            session: label(*k),
            file,
            sha256: exported.sha256,
            bytes: exported.bytes,
            hash_recorded: end.sha256_original.clone(),
        });
    }

    // Transcripts and annotations, per session.
    let vocabulary = stored::vocabulary(v)?;
    for (k, s) in sessions.iter().enumerate() {
        let lang = match s.fields.language {
            relato_vault::Language::En => Lang::En,
            relato_vault::Language::Es => Lang::Es,
        };
        let base = label(k);
        let latest = stored::latest_transcript(v, &s.id)?;
        if let Some((_, transcript)) = &latest {
            let revisions: Vec<serde_json::Value> = v
                .transcript_revisions(&s.id)?
                .into_iter()
                .map(|t| {
                    t.map(|t| {
                        json!({"rev": t.rev, "saved_at": t.saved_at, "author": names(&t.author), "sha256": t.sha256,
                               "source": t.source, "document": t.document})
                    })
                })
                .collect::<Result<_, _>>()?;
            w.text(&format!("derivatives/{base}/transcript.txt"), &formats::transcript_txt(transcript, lang))?;
            w.text(&format!("derivatives/{base}/transcript.vtt"), &formats::transcript_vtt(transcript))?;
            w.json(&format!("derivatives/{base}/transcript-revisions.json"), &json!({"session": base, "revisions": revisions}))?;
        }
        if let Some(r) = req.redactions.iter().find(|r| r.session == s.id) {
            write_redacted(v, &mut w, r, &base, lang, latest.as_ref(), &items, originals)?;
        }
        let (current, _) = stored::current_annotations(v, &s.id)?;
        if current.is_empty() {
            continue;
        }
        let mut listed = Vec::new();
        for (rev, _) in &current {
            let history: Vec<serde_json::Value> = v
                .annotation_history(&s.id, &rev.annotation_id)?
                .into_iter()
                .map(|a| {
                    a.map(|a| json!({"rev": a.rev, "saved_at": a.saved_at, "author": names(&a.author), "sha256": a.sha256,
                                     "deleted": a.deleted, "document": a.document}))
                })
                .collect::<Result<_, _>>()?;
            listed.push(json!({"id": rev.annotation_id, "revisions": history}));
        }
        let annotations: Vec<relato_review::Annotation> = current.into_iter().map(|(_, a)| a).collect();
        let transcript = latest.map(|(_, t)| t).unwrap_or_else(Transcript::default);
        let media = items.iter().rev().find(|i| i.session == base);
        let (media_file, media_sha) = media.map_or(("", ""), |i| (i.file.trim_start_matches("evidence/"), i.sha256.as_str()));
        w.json(&format!("annotations/{base}/annotations.json"), &json!({"session": base, "annotations": listed}))?;
        w.text(&format!("annotations/{base}/annotations.eaf"), &formats::annotations_eaf_dated(&transcript, &annotations, &vocabulary, media_file, media_sha, &created_at))?;
        w.text(&format!("annotations/{base}/annotations-labels.txt"), &formats::annotations_labels(&annotations, &vocabulary, lang))?;
        w.text(&format!("annotations/{base}/annotations.vtt"), &formats::annotations_vtt(&annotations, &vocabulary, lang))?;
    }

    // The case's custody chain, line for line, and its head.
    let lines = v.custody_lines(&case.id)?;
    let last = lines.last().ok_or_else(|| EvidenceError::ChainBroken { line: 0, reason: "the case has no custody lines".into() })?;
    let head_sha256 = hex::encode(Sha256::digest(last.line.as_bytes()));
    let head = format!("{} {}\n", lines.len(), head_sha256);
    w.text("custody/custody.jsonl", &lines.iter().map(|l| format!("{}\n", l.line)).collect::<String>())?;
    w.text("custody/custody.jsonl.sig", &lines.iter().map(|l| format!("{}\n", l.sig)).collect::<String>())?;
    w.text("custody/custody.head", &head)?;
    let (my_key_id, my_public) = v.my_key();
    let sign = |b: &[u8]| v.sign_as_me(b);
    w.text("custody/custody.head.minisig", &minisign::signature_file(&my_public, head.as_bytes(), "relato custody head", sign))?;

    // The history of bundles received for the case, as they came: their
    // signed manifests, custody chains and keys (and their own received
    // histories), so a verifier can follow the evidence back to its
    // first recording.
    let mut received = Vec::new();
    for (n, r) in v.received_bundles(&case.id)?.into_iter().enumerate() {
        let dir = format!("{}/R{}", manifest::RECEIVED, n + 1);
        for (path, data) in &r.files {
            let carried = [manifest::MANIFEST, manifest::MANIFEST_MINISIG, manifest::MANIFEST_SIG].contains(&path.as_str())
                || path.starts_with("custody/")
                || path.starts_with("keys/");
            if carried && manifest::safe_path(path) {
                let bytes = base64::engine::general_purpose::STANDARD
                    .decode(data)
                    .map_err(|e| EvidenceError::Io { path: format!("received bundle {}", r.id), reason: e.to_string() })?;
                w.bytes(&format!("{dir}/{path}"), &bytes)?;
            }
        }
        received.push(manifest::ReceivedRef { dir, manifest_sha256: r.manifest_sha256 });
    }

    // Keys: the organisation's, and every certified signer's.
    let (org, org_id) = v.organisation_key();
    keys::write_public(&mut w, "organisation", &org, "relato organisation key")?;
    for signer in v.signer_keys()? {
        keys::write_public(&mut w, &signer.key_id, &signer.public, "relato signer key")?;
        w.json(&format!("keys/{}.cert.json", signer.key_id), &json!({"line": signer.certificate.line, "sig": signer.certificate.sig}))?;
    }
    // Keys revoked in this vault, as its chain recorded it (signed lines):
    // a line a key signed at or after its revocation must not verify.
    let revoked = v.key_revocations()?;
    if !revoked.is_empty() {
        w.text(manifest::REVOCATIONS, &revoked.iter().map(|l| format!("{}\n", l.line)).collect::<String>())?;
        w.text(&format!("{}.sig", manifest::REVOCATIONS), &revoked.iter().map(|l| format!("{}\n", l.sig)).collect::<String>())?;
    }

    // Instructions, then the manifest and the checksums over what is written.
    let me = v.me();
    let manifest_without_files = Manifest {
        format: manifest::FORMAT.into(),
        created_at: created_at.clone(),
        purpose: req.purpose.map(str::to_owned),
        recipient: req.recipient.map(str::to_owned),
        organisation: KeyRef { key_id: org_id, minisign_key: minisign::key_number_hex(&org), file: "organisation".into() },
        exported_by: Signer {
            name: me.name.clone(),
            role: me.role.to_string(),
            institution: me.institution.clone(),
            key: KeyRef { key_id: my_key_id.clone(), minisign_key: minisign::key_number_hex(&my_public), file: my_key_id.clone() },
        },
        case: CaseRef {
            id: case.id.clone(),
            reference: case.reference.clone(),
            place: case.place.clone(),
            institution: case.institution.clone(),
        },
        sessions: sessions
            .iter()
            .enumerate()
            .map(|(k, s)| SessionRef {
                label: label(k),
                id: s.id.clone(),
                child_code: s.fields.child_code.clone(),
                age_years: s.fields.age_years,
                language: match s.fields.language {
                    relato_vault::Language::En => "en".into(),
                    relato_vault::Language::Es => "es".into(),
                },
                created_at: s.created_at.clone(),
            })
            .collect(),
        items,
        custody: CustodyRef { chain: case.id.clone(), lines: lines.len() as u64, head_seq: lines.len() as u64, head_sha256 },
        files: Vec::new(),
        received,
    };
    w.text("LEEME-VERIFICAR.txt", &instructions::leeme(&manifest_without_files))?;
    w.text("VERIFY.txt", &instructions::verify(&manifest_without_files))?;
    let mut files = w.files.clone();
    files.sort_by(|a, b| a.path.cmp(&b.path));
    let manifest = Manifest { files, ..manifest_without_files };
    let mut manifest_bytes = serde_json::to_vec_pretty(&manifest).expect("manifests serialise");
    manifest_bytes.push(b'\n');
    let manifest_sha256 = hex::encode(Sha256::digest(&manifest_bytes));
    w.bytes(manifest::MANIFEST, &manifest_bytes)?;
    w.text(manifest::MANIFEST_MINISIG, &minisign::signature_file(&my_public, &manifest_bytes, "relato manifest", sign))?;
    w.bytes(manifest::MANIFEST_SIG, &v.sign_as_me(&manifest_bytes))?;
    // The annex prints the manifest's hash, so it comes after it and is
    // covered by SHA256SUMS (signed) rather than by the manifest.
    let recordings: Vec<&Recording> = originals.iter().map(|(_, r)| r).collect();
    let annex = annex::render(v, req, &manifest, &manifest_sha256, &recordings, &metas, &lines)?;
    w.bytes(annex::PATH, &annex)?;
    // SHA256SUMS: every file written so far, as written.
    let mut summed = w.files.clone();
    summed.sort_by(|a, b| a.path.cmp(&b.path));
    let sums: String = summed.iter().map(|f| format!("{}  {}\n", f.sha256, f.path)).collect();
    w.text(manifest::SUMS, &sums)?;
    w.text(manifest::SUMS_MINISIG, &minisign::signature_file(&my_public, sums.as_bytes(), "relato SHA256SUMS", sign))?;
    Ok((manifest, manifest_sha256))
}

/// `derivatives/<base>/redacted/`: the session's originals with the
/// requested stretches silenced, its transcript with the requested spans
/// replaced, and `redaction.json` naming each parent by hash and listing
/// every transformation (see [`redaction`]).
#[allow(clippy::too_many_arguments)]
fn write_redacted(
    v: &Vault,
    w: &mut Out<'_>,
    r: &SessionRedaction,
    base: &str,
    lang: Lang,
    latest: Option<&(relato_vault::TranscriptRevision, Transcript)>,
    items: &[Item],
    originals: &[(usize, Recording)],
) -> Result<(), EvidenceError> {
    let dir = format!("derivatives/{base}/redacted");
    let spans: Vec<(u64, u64)> = r.audio.iter().map(|a| (a.start_ms, a.end_ms)).collect();
    let mut audio = Vec::new();
    if !spans.is_empty() {
        for (item, (_, recording)) in items.iter().zip(originals).filter(|(i, _)| i.session == base) {
            let file = format!("{dir}/{}-redacted.wav", item.id);
            let mut silenced = None;
            let written = w.put(&file, &mut |out| {
                silenced = Some(redaction::silence_original(v, recording, &spans, out)?);
                Ok(())
            })?;
            audio.push(json!({
                "file": file, "sha256": written.sha256, "bytes": written.bytes,
                "parent": {"item": item.id, "file": item.file, "sha256": item.sha256},
                "silenced": silenced,
            }));
        }
    }
    let mut text = serde_json::Value::Null;
    if let (false, Some((rev, transcript))) = (r.text.is_empty(), latest) {
        let redacted = redaction::redact_transcript(&r.session, transcript, &r.text)?;
        let parent = w.files.iter().find(|f| f.path == format!("derivatives/{base}/transcript.txt")).map(|f| f.sha256.clone());
        let txt = format!("{dir}/transcript.txt");
        w.text(&txt, &formats::transcript_txt(&redacted.transcript, lang))?;
        w.text(&format!("{dir}/transcript.vtt"), &formats::transcript_vtt(&redacted.transcript))?;
        text = json!({
            "files": [txt, format!("{dir}/transcript.vtt")],
            "parent": {"file": format!("derivatives/{base}/transcript.txt"), "sha256": parent,
                       "revision": rev.rev, "revision_sha256": rev.sha256},
            "applied": redacted.applied,
            "unmatched_requests": redacted.unmatched,
        });
    }
    w.json(
        &format!("{dir}/redaction.json"),
        &json!({
            "session": base,
            "note": "Derivative for disclosure. The originals under evidence/ are untouched; each file here names its parent's SHA-256.",
            "audio_requests": r.audio,
            "audio": audio,
            "text_requests": r.text.iter().map(|t| match t {
                // The requested phrase is what was removed: never written.
                relato_review::TextRedaction::Span { segment, start, end, reason, replacement } =>
                    json!({"kind": "span", "segment": segment, "start": start, "end": end, "replacement": replacement, "reason": reason}),
                relato_review::TextRedaction::Phrase { reason, replacement, .. } =>
                    json!({"kind": "phrase", "replacement": replacement, "reason": reason}),
                relato_review::TextRedaction::Label { reason, replacement, .. } =>
                    json!({"kind": "label", "replacement": replacement, "reason": reason}),
            }).collect::<Vec<_>>(),
            "text": text,
        }),
    )
}

/// The file extension of an original as exported: `wav` for a capture,
/// the imported file's own (letters and digits only), else `bin`.
fn extension(r: &Recording) -> String {
    match &r.origin {
        Origin::Captured { .. } => "wav".into(),
        Origin::Imported { file_name, .. } => Path::new(file_name)
            .extension()
            .and_then(|e| e.to_str())
            .map(|e| e.to_ascii_lowercase())
            .filter(|e| !e.is_empty() && e.len() <= 8 && e.bytes().all(|b| b.is_ascii_alphanumeric()))
            .unwrap_or_else(|| "bin".into()),
    }
}

/// An original's metadata: where it came from, its format, its end, and
/// what happened while it was recorded (in ms from its start).
fn meta(v: &Vault, r: &Recording, id: &str, session: &str, sha256: &str) -> Result<serde_json::Value, EvidenceError> {
    let end = r.end.as_ref().expect("sealed");
    let rate = match &r.origin {
        Origin::Captured { format, .. } => Some(format.sample_rate),
        Origin::Imported { format, .. } => format.map(|f| f.sample_rate),
    };
    let events: Vec<serde_json::Value> = v
        .recording_events(&r.id)?
        .into_iter()
        .map(|e| {
            let at_ms = rate.filter(|&r| r > 0).map(|rate| e.at_frame * 1000 / rate as u64);
            let mut value = serde_json::to_value(&e.kind).unwrap_or_default();
            if let Some(o) = value.as_object_mut() {
                o.insert("at_frame".into(), e.at_frame.into());
                o.insert("at_ms".into(), at_ms.into());
                o.insert("time".into(), e.time.clone().into());
            }
            value
        })
        .collect();
    let continuity = json!({
        "state": end.state,
        "gaps": events.iter().filter(|e| e["type"] == "gap").count(),
        "device_lost": events.iter().filter(|e| e["type"] == "device_lost").count(),
        "counters": end.counters,
    });
    Ok(json!({
        "item": id,
        "recording_id": r.id,
        "session": session,
        "origin": r.origin,
        "started_at": r.started_at,
        "ended_at": end.ended_at,
        "duration_ms": end.duration_ms,
        "frames": end.frames,
        "sha256": sha256,
        "sha256_pcm": end.sha256_pcm,
        "continuity": continuity,
        "events": events,
    }))
}

/// Every file under `dir`, as `/`-separated paths relative to `root`.
pub(crate) fn paths_under(root: &Path, dir: &Path, out: &mut Vec<String>) -> Result<(), EvidenceError> {
    for entry in std::fs::read_dir(dir).map_err(io(dir))? {
        let entry = entry.map_err(io(dir))?;
        let path = entry.path();
        if entry.file_type().map_err(io(&path))?.is_dir() {
            paths_under(root, &path, out)?;
        } else {
            out.push(path.strip_prefix(root).expect("under the root").to_string_lossy().replace('\\', "/"));
        }
    }
    Ok(())
}

/// Size and SHA-256 of a file, read in blocks.
pub(crate) fn hash_file(path: &Path) -> Result<(u64, String), EvidenceError> {
    let mut f = std::fs::File::open(path).map_err(io(path))?;
    let mut h = Hashing::new(std::io::sink());
    std::io::copy(&mut f, &mut h).map_err(io(path))?;
    let (_, bytes, sha256) = h.finish();
    Ok((bytes, sha256))
}

/// The bundle being written, and what went into it so far.
pub(crate) struct Out<'a> {
    sink: &'a mut dyn Sink,
    files: Vec<FileRef>,
}

impl Out<'_> {
    pub(crate) fn put(&mut self, rel: &str, fill: crate::sink::Fill<'_>) -> Result<FileRef, EvidenceError> {
        let written = self.sink.put(rel, fill)?;
        self.files.push(written.clone());
        Ok(written)
    }

    pub(crate) fn bytes(&mut self, rel: &str, bytes: &[u8]) -> Result<(), EvidenceError> {
        self.put(rel, &mut |out| out.write_all(bytes).map_err(|e| EvidenceError::Io { path: rel.to_owned(), reason: e.to_string() }))
            .map(|_| ())
    }

    pub(crate) fn text(&mut self, rel: &str, text: &str) -> Result<(), EvidenceError> {
        self.bytes(rel, text.as_bytes())
    }

    pub(crate) fn json(&mut self, rel: &str, value: &serde_json::Value) -> Result<(), EvidenceError> {
        let mut bytes = serde_json::to_vec_pretty(value).expect("JSON values serialise");
        bytes.push(b'\n');
        self.bytes(rel, &bytes)
    }
}

//! Receiving a bundle into this vault, for a collaborating organisation:
//! verified first, in full; then its originals become imported recordings
//! of a case here (read in place from the folder, zip or encrypted zip —
//! never extracted), its latest transcripts and current annotations become
//! the first revisions here, and every other file of it (signed manifest,
//! custody chain and signatures, keys, certificates, derivatives) is kept
//! sealed with the case, so that the next bundle of the case carries the
//! history back to the first recording (`custody/received/`). One
//! `RECEPCION` line records it, naming the bundle and each original.
//!
//! Each original is imported by the same path as any file
//! (`relato_capture::import::import_source`), so `HASH_RECORDED` here is
//! its SHA-256 again, which must equal the bundle's.
//!
//! The vault is append-only: if something fails midway (a full disk), what
//! was imported stays, each step logged as it happened, and the reception
//! itself is logged only once everything came in; receiving again makes a
//! new case (or use `into_case`).

use std::collections::{BTreeMap, HashMap};
use std::fs::File;
use std::io::{BufReader, Read, Seek, SeekFrom};
use std::path::Path;

use base64::Engine as _;
use relato_capture::import::{ImportRead, ImportSource};
use relato_review::{stored, Annotation, Transcript};
use relato_vault::{CaseFields, HandOver, HandOverKind, Language, NewSession, ReceivedOriginal, SessionFields, Vault};

use crate::encryption::{self, AgeKey};
use crate::error::EvidenceError;
use crate::source::Source;
use crate::verify::verify;

/// What to receive, and from whom.
#[derive(Clone, Copy)]
pub struct ReceiveRequest<'a> {
    pub path: &'a Path,
    pub key: Option<&'a AgeKey>,
    /// A case of this vault to add the sessions to; else a new case with
    /// the bundle's reference.
    pub into_case: Option<&'a str>,
    /// Who delivered it, and the rest of the hand-over.
    pub from: &'a str,
    pub institution: Option<&'a str>,
    pub purpose: Option<&'a str>,
    pub medium: Option<&'a str>,
    pub seal: Option<&'a str>,
}

/// What a reception made here.
#[derive(Debug, Clone)]
pub struct Received {
    pub case_id: String,
    pub manifest_sha256: String,
    /// `(label in the bundle, session id here)`.
    pub sessions: Vec<(String, String)>,
    pub originals: Vec<ReceivedOriginal>,
    pub transcripts: usize,
    pub annotations: usize,
    /// Annotations this vault could not take (a code it does not know):
    /// kept in the received files all the same.
    pub annotations_not_taken: usize,
}

/// Receives the bundle at `req.path`; see the module docs.
pub fn receive(v: &Vault, req: &ReceiveRequest<'_>) -> Result<Received, EvidenceError> {
    let verified = verify(req.path, req.key)?;
    let m = &verified.manifest;
    let bundle = Source::open(req.path, req.key)?;
    let is_item = |p: &str| m.items.iter().any(|i| i.file == p);

    // Everything but the originals (imported below) and silenced copies
    // of them (as large, and made again from an original and its
    // redaction.json), kept whole.
    let is_silenced_copy = |p: &str| p.starts_with("derivatives/") && p.contains("/redacted/") && p.ends_with("-redacted.wav");
    let mut files = BTreeMap::new();
    for path in bundle.paths()? {
        if !is_item(&path) && !is_silenced_copy(&path) {
            files.insert(path.clone(), base64::engine::general_purpose::STANDARD.encode(bundle.read(&path)?));
        }
    }

    let case_id = match req.into_case {
        Some(id) => v.case(id)?.id,
        None => {
            let fields = CaseFields { reference: m.case.reference.clone(), place: m.case.place.clone(), institution: m.case.institution.clone() };
            v.create_case(fields)?.id
        }
    };
    let me = v.me().user_id.clone();
    let mut sessions = Vec::new();
    let mut originals = Vec::new();
    let (mut transcripts, mut annotations, mut not_taken) = (0, 0, 0);
    for s in &m.sessions {
        let fields = SessionFields {
            child_code: s.child_code.clone(),
            age_years: s.age_years,
            language: if s.language == "en" { Language::En } else { Language::Es },
            interviewer: me.clone(),
            persons_present: vec![],
            protocol: None,
            consent_reference: None,
            location: None,
        };
        let session = v.create_session(NewSession { case_id: case_id.clone(), fields })?;
        for item in m.items.iter().filter(|i| i.session == s.label) {
            let name = item.file.rsplit('/').next().unwrap_or(&item.file).to_owned();
            let range = bundle.entry_range(&item.file)?;
            let opener = opener(req.path, req.key, &item.file, range);
            let recording = relato_capture::import::import_source(v, &session.id, &ImportSource { name: &name, open: &opener })?;
            let sha256 = recording.end.as_ref().map(|e| e.sha256_original.clone()).unwrap_or_default();
            if sha256 != item.sha256 {
                return Err(EvidenceError::OriginalMismatch { item: item.id.clone() });
            }
            originals.push(ReceivedOriginal { item: item.id.clone(), recording_id: recording.id, sha256 });
        }
        // The latest transcript, as the first revision here.
        let revisions = format!("derivatives/{}/transcript-revisions.json", s.label);
        if bundle.has(&revisions) {
            let json: serde_json::Value = serde_json::from_slice(&bundle.read(&revisions)?).unwrap_or_default();
            let last = json["revisions"].as_array().and_then(|r| r.last()).map(|r| r["document"].clone());
            if let Some(transcript) = last.and_then(|d| serde_json::from_value::<Transcript>(d).ok()) {
                let source = format!("bundle {}", &verified.manifest_sha256[..16]);
                stored::save_transcript(v, &session.id, transcript, Some(&source))?;
                transcripts += 1;
            }
        }
        // Current annotations; a note on another annotation follows its target's new id.
        let listed = format!("annotations/{}/annotations.json", s.label);
        if bundle.has(&listed) {
            let json: serde_json::Value = serde_json::from_slice(&bundle.read(&listed)?).unwrap_or_default();
            let mut new_ids: HashMap<String, String> = HashMap::new();
            for a in json["annotations"].as_array().map(Vec::as_slice).unwrap_or_default() {
                let Some(last) = a["revisions"].as_array().and_then(|r| r.last()) else { continue };
                if last["deleted"] == true {
                    continue;
                }
                // The stored document leaves the id out (it is the vault's).
                let mut document = last["document"].clone();
                if let Some(o) = document.as_object_mut() {
                    o.insert("id".into(), "".into());
                }
                let Ok(mut annotation) = serde_json::from_value::<Annotation>(document) else {
                    not_taken += 1;
                    continue;
                };
                annotation.id = String::new();
                annotation.target_id = annotation.target_id.and_then(|t| new_ids.get(&t).cloned());
                match stored::save_annotation(v, &session.id, None, annotation) {
                    Ok(saved) => {
                        if let Some(old) = a["id"].as_str() {
                            new_ids.insert(old.to_owned(), saved.annotation_id);
                        }
                        annotations += 1;
                    }
                    Err(relato_review::stored::StoredError::Vault(e)) => return Err(e.into()),
                    Err(_) => not_taken += 1,
                }
            }
        }
        sessions.push((s.label.clone(), session.id));
    }

    let file_sha256 = if req.path.is_file() { Some(crate::file_sha256(req.path)?) } else { None };
    let handover = HandOver {
        kind: HandOverKind::Receipt,
        counterpart: req.from,
        institution: req.institution,
        purpose: req.purpose,
        medium: req.medium,
        seal: req.seal,
        bundle_sha256: Some(&verified.manifest_sha256),
        file_sha256: file_sha256.as_deref(),
    };
    v.store_received_bundle(&case_id, &verified.manifest_sha256, files, &originals, &handover)?;
    Ok(Received {
        case_id,
        manifest_sha256: verified.manifest_sha256,
        sessions,
        originals,
        transcripts,
        annotations,
        annotations_not_taken: not_taken,
    })
}

/// Opens one original of the bundle afresh: the file in a folder, or its
/// stored bytes inside the zip (decrypted on the fly for an age file).
fn opener<'a>(
    path: &'a Path,
    key: Option<&'a AgeKey>,
    file: &'a str,
    range: Option<(u64, u64)>,
) -> impl Fn() -> std::io::Result<Box<dyn ImportRead>> + 'a {
    move || -> std::io::Result<Box<dyn ImportRead>> {
        let Some((start, len)) = range else {
            return Ok(Box::new(BufReader::new(File::open(path.join(file))?)));
        };
        let inner: Box<dyn ImportRead> = if encryption::is_age(path) {
            Box::new(encryption::decrypt(path, key).map_err(std::io::Error::other)?)
        } else {
            Box::new(BufReader::new(File::open(path)?))
        };
        Ok(Box::new(Window::new(inner, start, len)?))
    }
}

/// `len` bytes of `inner` from `start`, as a file of their own.
struct Window {
    inner: Box<dyn ImportRead>,
    start: u64,
    len: u64,
    pos: u64,
}

impl Window {
    fn new(mut inner: Box<dyn ImportRead>, start: u64, len: u64) -> std::io::Result<Window> {
        inner.seek(SeekFrom::Start(start))?;
        Ok(Window { inner, start, len, pos: 0 })
    }
}

impl Read for Window {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let left = self.len.saturating_sub(self.pos);
        let n = (buf.len() as u64).min(left) as usize;
        if n == 0 {
            return Ok(0);
        }
        let n = self.inner.read(&mut buf[..n])?;
        self.pos += n as u64;
        Ok(n)
    }
}

impl Seek for Window {
    fn seek(&mut self, to: SeekFrom) -> std::io::Result<u64> {
        self.pos = relato_capture::seek::resolve(to, self.pos, self.len)?;
        self.inner.seek(SeekFrom::Start(self.start + self.pos))?;
        Ok(self.pos)
    }
}

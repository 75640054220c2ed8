//! Review records as the vault keeps them (feature `vault`): the one place
//! where this crate's types meet `relato-vault`'s revisions, shared by the
//! desktop app and the CLI so that both read, check and save alike.
//!
//! The vault stores transcripts, annotations and added codes as JSON
//! documents it does not interpret; here they are read back into this
//! crate's types (a document that does not fit is `record.corrupt`) and
//! checked before anything is written, so a refused save stores nothing.

use relato_vault::{AnnotationRevision, Origin, RecordingEventKind, TranscriptRevision, Vault, VaultError, VocabularyRevision};

use crate::annotation::{Annotation, Tier};
use crate::error::ReviewError;
use crate::quality::Phase;
use crate::transcript::Transcript;
use crate::vocabulary::{self, AddedCode, Vocabulary};

/// A refused or failed save: the review rules' error, or the vault's.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum StoredError {
    #[error(transparent)]
    Review(#[from] ReviewError),
    #[error(transparent)]
    Vault(#[from] VaultError),
}

fn corrupt(record: String) -> VaultError {
    VaultError::RecordCorrupt { record }
}

/// The transcript a revision holds.
pub fn transcript_of(t: &TranscriptRevision) -> Result<Transcript, VaultError> {
    serde_json::from_value(t.document.clone()).map_err(|_| corrupt(format!("transcript_revisions/{}/{}", t.session_id, t.rev)))
}

/// The session's latest transcript, with its revision, if it has one.
pub fn latest_transcript(v: &Vault, session_id: &str) -> Result<Option<(TranscriptRevision, Transcript)>, VaultError> {
    match v.transcript(session_id)? {
        None => Ok(None),
        Some(t) => {
            let transcript = transcript_of(&t)?;
            Ok(Some((t, transcript)))
        }
    }
}

/// The annotation a revision holds, with the vault's id.
pub fn annotation_of(a: &AnnotationRevision) -> Result<Annotation, VaultError> {
    let record = || corrupt(format!("annotation_revisions/{}/{}", a.annotation_id, a.rev));
    let mut v = a.document.clone();
    v.as_object_mut().ok_or_else(record)?.insert("id".into(), a.annotation_id.clone().into());
    serde_json::from_value(v).map_err(|_| record())
}

/// The session's current annotations and how many could not be read.
pub fn current_annotations(v: &Vault, session_id: &str) -> Result<(Vec<(AnnotationRevision, Annotation)>, usize), VaultError> {
    let mut out = Vec::new();
    let mut damaged = 0;
    for a in v.annotations(session_id)? {
        match a.and_then(|a| annotation_of(&a).map(|x| (a, x))) {
            Ok(pair) => out.push(pair),
            Err(_) => damaged += 1,
        }
    }
    Ok((out, damaged))
}

/// The seed plus the codes added to this vault. A damaged added code is
/// left out: annotations using it then fail their check rather than pass
/// unseen.
pub fn vocabulary(v: &Vault) -> Result<Vocabulary, VaultError> {
    Ok(Vocabulary::with_added(v.vocabulary_codes()?.into_iter().filter_map(|r| {
        let r = r.ok()?;
        Some((r.tier.parse().ok()?, r.code, serde_json::from_value::<AddedCode>(r.document).ok()?))
    })))
}

/// Phase starts (ms) of the session's latest sealed recording, for the
/// quality figures.
pub fn phases(v: &Vault, session_id: &str) -> Result<Vec<(u64, Phase)>, VaultError> {
    let recordings = v.recordings(session_id)?;
    let Some(rec) = recordings.into_iter().filter_map(Result::ok).rev().find(|r| r.end.is_some()) else {
        return Ok(Vec::new());
    };
    let rate = match &rec.origin {
        Origin::Captured { format, .. } => Some(format.sample_rate),
        Origin::Imported { format, .. } => format.map(|f| f.sample_rate),
    };
    let Some(rate) = rate.filter(|&r| r > 0) else { return Ok(Vec::new()) };
    Ok(v
        .recording_events(&rec.id)?
        .into_iter()
        .filter_map(|e| match e.kind {
            RecordingEventKind::Phase { phase } => {
                let phase: Phase = serde_json::from_value(serde_json::to_value(phase).ok()?).ok()?;
                Some((e.at_frame * 1000 / rate as u64, phase))
            }
            _ => None,
        })
        .collect())
}

/// Checks `document` and saves it as the session's next transcript revision.
pub fn save_transcript(v: &Vault, session_id: &str, mut document: Transcript, source: Option<&str>) -> Result<TranscriptRevision, StoredError> {
    // Labels cleared in an editor are absent rather than empty.
    for s in &mut document.segments {
        s.label = s.label.take().map(|l| l.trim().to_owned()).filter(|l| !l.is_empty());
    }
    document.validate()?;
    let value = serde_json::to_value(&document).expect("transcripts serialise");
    Ok(v.save_transcript(session_id, &value, &document.canonical_text(), source)?)
}

/// Checks `annotation` (vocabulary, span, note, the segment in the latest
/// saved transcript, the annotation a note comments on) and saves it as a
/// new annotation (`id` = `None`) or the next revision of `id`.
pub fn save_annotation(v: &Vault, session_id: &str, id: Option<&str>, mut annotation: Annotation) -> Result<AnnotationRevision, StoredError> {
    let session = v.session(session_id)?;
    let text = |t: Option<String>| t.map(|n| n.trim().to_owned()).filter(|n| !n.is_empty());
    annotation.segment_id = text(annotation.segment_id.take());
    annotation.note = text(annotation.note.take());
    annotation.target_id = text(annotation.target_id.take());
    let transcript = latest_transcript(v, &session.id)?.map(|(_, t)| t);
    annotation.check(&vocabulary(v)?, transcript.as_ref())?;
    if annotation.tier == Tier::PromptType {
        // One type per prompt: a reclassification is a revision of the
        // annotation that has it, not a second one.
        let (current, _) = current_annotations(v, &session.id)?;
        let other = current.iter().find(|(rev, a)| {
            a.tier == Tier::PromptType && a.segment_id == annotation.segment_id && Some(rev.annotation_id.as_str()) != id
        });
        if let Some((rev, _)) = other {
            return Err(ReviewError::AnnotationSegmentClassified {
                segment: annotation.segment_id.clone().unwrap_or_default(),
                annotation: rev.annotation_id.clone(),
            }
            .into());
        }
    }
    if let Some(target) = &annotation.target_id {
        let found = v.annotation(&session.id, target).ok().filter(|a| !a.deleted && Some(target.as_str()) != id);
        if found.is_none() {
            return Err(ReviewError::AnnotationUnknownTarget { annotation: target.clone() }.into());
        }
    }
    let mut document = serde_json::to_value(&annotation).expect("annotations serialise");
    // The id is the vault's, not part of the stored document.
    document.as_object_mut().expect("an object").remove("id");
    Ok(v.save_annotation(&session.id, id, &document)?)
}

/// Whether any revision of any annotation, in any session, uses
/// `tier`/`code` (deleted and edited ones included: their history still
/// reads with the code's meaning). A record that cannot be read might use
/// it, so it counts as a use: a meaning is never changed on a guess.
pub fn code_in_use(v: &Vault, tier: Tier, code: &str) -> Result<bool, VaultError> {
    for case in v.cases()? {
        let Ok(case) = case else { return Ok(true) };
        for session in v.sessions(&case.id)? {
            let Ok(session) = session else { return Ok(true) };
            for a in v.all_annotation_revisions(&session.id)? {
                let Ok(a) = a else { return Ok(true) };
                if a.document.get("tier").and_then(|t| t.as_str()) == Some(tier.id())
                    && a.document.get("code").and_then(|c| c.as_str()) == Some(code)
                {
                    return Ok(true);
                }
            }
        }
    }
    Ok(false)
}

/// Adds a code to a tier, or revises an added one no annotation relies on
/// yet ([`vocabulary::check_addition`] has the rules).
pub fn save_vocabulary_code(v: &Vault, tier: Tier, code: &str, texts: &AddedCode) -> Result<VocabularyRevision, StoredError> {
    let current = match v.vocabulary_history(tier.id(), code) {
        Ok(history) => match history.into_iter().last().transpose()? {
            Some(r) => Some(
                serde_json::from_value::<AddedCode>(r.document).map_err(|_| corrupt(format!("vocabulary_revisions/{}/{code}/{}", tier.id(), r.rev)))?,
            ),
            None => None,
        },
        Err(VaultError::RecordNotFound { .. }) => None,
        Err(e) => return Err(e.into()),
    };
    let used = current.is_some() && code_in_use(v, tier, code)?;
    vocabulary::check_addition(tier, code, texts, current.as_ref(), used)?;
    let texts = texts.trimmed();
    Ok(v.save_vocabulary_code(tier.id(), code, &serde_json::to_value(&texts).expect("texts serialise"))?)
}

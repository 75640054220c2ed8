//! `relato vocabulary list`, `relato annotate`, `relato annotations list`
//! and `relato quality`.
//!
//! Codes are checked against the tier's vocabulary before anything is
//! saved; the vault keeps each annotation as logged revisions.

use relato_review::{vocabulary, Annotation, Phase, Tier, Transcript};
use relato_vault::{AnnotationRevision, Origin, RecordingEventKind, Vault};

use super::readable;
use crate::context::{duration, Ctx};
use crate::error::CliError;
use crate::i18n::Lang;
use crate::output;

pub fn vocabulary(ctx: &Ctx) -> Result<(), CliError> {
    let codes: Vec<_> = vocabulary::all().collect();
    if ctx.json() {
        ctx.print_json(&codes);
        return Ok(());
    }
    let header = ["cli.label.tier", "cli.label.code", "cli.label.label", "cli.label.definition"].map(|k| ctx.t(k));
    let rows: Vec<Vec<String>> = codes
        .iter()
        .map(|c| {
            let (label, definition) = match ctx.cat.lang {
                Lang::EsMx => (c.label_es, c.definition_es),
                Lang::En => (c.label_en, c.definition_en),
            };
            vec![c.tier.id().to_owned(), c.code.to_owned(), label.to_owned(), definition.to_owned()]
        })
        .collect();
    output::table(&header, &rows);
    Ok(())
}

/// A span of the recording, in ms.
pub struct Span {
    pub start_ms: u64,
    pub end_ms: u64,
}

pub fn annotate(
    ctx: &Ctx,
    session_id: &str,
    tier: &str,
    span: Span,
    code: &str,
    note: Option<String>,
    segment_id: Option<String>,
) -> Result<(), CliError> {
    let tier: Tier = tier.parse().map_err(|()| CliError::with("cli.unknown_tier", &[("tier", tier.to_owned())]))?;
    if vocabulary::find(tier, code).is_none() {
        return Err(CliError::with("cli.unknown_code", &[("code", code.to_owned()), ("tier", tier.id().to_owned())]));
    }
    if span.end_ms < span.start_ms {
        return Err(CliError::cli("cli.span_reversed"));
    }
    let note = note.filter(|n| !n.trim().is_empty());
    if tier == Tier::Notes && note.is_none() {
        return Err(CliError::cli("cli.note_required"));
    }
    let vault = ctx.unlock()?;
    let session = vault.session(session_id)?;
    if let Some(segment) = &segment_id {
        // A segment named must exist in the transcript as it stands.
        let transcript = latest_transcript(&vault, &session.id)?;
        if !transcript.segments.iter().any(|s| &s.id == segment) {
            return Err(CliError::with("cli.unknown_segment", &[("segment", segment.clone())]));
        }
    } else if tier == Tier::PromptType {
        return Err(CliError::cli("cli.segment_required"));
    }
    let annotation = Annotation { id: String::new(), tier, start_ms: span.start_ms, end_ms: span.end_ms, code: code.to_owned(), segment_id, note, target_id: None };
    let mut document = serde_json::to_value(&annotation).expect("annotations serialise");
    // The id is the vault's; it is not part of the stored document.
    document.as_object_mut().expect("an object").remove("id");
    let saved = vault.save_annotation(&session.id, None, &document)?;
    if ctx.json() {
        ctx.print_json(&view(&saved));
    } else {
        ctx.say("cli.annotation_saved", &[("id", saved.annotation_id.clone()), ("sha256", saved.sha256.clone())]);
    }
    Ok(())
}

/// The stored document with its id and revision facts, as listed.
fn view(a: &AnnotationRevision) -> serde_json::Value {
    let mut v = a.document.clone();
    if let Some(o) = v.as_object_mut() {
        o.insert("id".into(), a.annotation_id.clone().into());
        o.insert("rev".into(), a.rev.into());
        o.insert("saved_at".into(), a.saved_at.clone().into());
        o.insert("author".into(), a.author.clone().into());
        o.insert("sha256".into(), a.sha256.clone().into());
    }
    v
}

fn annotation(a: &AnnotationRevision) -> Result<Annotation, CliError> {
    let corrupt = || CliError::Vault(relato_vault::VaultError::RecordCorrupt { record: format!("annotation_revisions/{}/{}", a.annotation_id, a.rev) });
    let mut v = a.document.clone();
    v.as_object_mut().ok_or_else(corrupt)?.insert("id".into(), a.annotation_id.clone().into());
    serde_json::from_value(v).map_err(|_| corrupt())
}

pub fn list(ctx: &Ctx, session_id: &str) -> Result<(), CliError> {
    let vault = ctx.unlock()?;
    let session = vault.session(session_id)?;
    let (items, damaged) = readable(ctx, vault.annotations(&session.id)?);
    if ctx.json() {
        ctx.print_json(&items.iter().map(view).collect::<Vec<_>>());
    } else {
        let header = ["cli.label.id", "cli.label.tier", "cli.label.start", "cli.label.end", "cli.label.code", "cli.label.note"].map(|k| ctx.t(k));
        let rows: Vec<Vec<String>> = items
            .iter()
            .map(|a| {
                let field = |k: &str| a.document.get(k).and_then(|v| v.as_str()).unwrap_or_default().to_owned();
                let ms = |k: &str| a.document.get(k).and_then(|v| v.as_u64()).map(duration).unwrap_or_default();
                vec![a.annotation_id.clone(), field("tier"), ms("start_ms"), ms("end_ms"), field("code"), field("note")]
            })
            .collect();
        output::table(&header, &rows);
    }
    if damaged > 0 {
        return Err(CliError::Partial { code: "cli.damaged_records", count: damaged });
    }
    Ok(())
}

fn latest_transcript(vault: &Vault, session_id: &str) -> Result<Transcript, CliError> {
    let saved = vault
        .transcript(session_id)?
        .ok_or_else(|| CliError::with("cli.no_transcript", &[("session", session_id.to_owned())]))?;
    serde_json::from_value(saved.document).map_err(|_| {
        CliError::Vault(relato_vault::VaultError::RecordCorrupt { record: format!("transcript_revisions/{session_id}/{}", saved.rev) })
    })
}

/// Phase boundaries from the session's latest sealed capture, in ms.
fn phases(vault: &Vault, session_id: &str) -> Result<Vec<(u64, Phase)>, CliError> {
    let recordings = vault.recordings(session_id)?.into_iter().filter_map(Result::ok);
    let Some((rec, format)) = recordings
        .filter(|r| r.end.is_some())
        .filter_map(|r| match r.origin {
            Origin::Captured { format, .. } => Some((r, format)),
            Origin::Imported { .. } => None,
        })
        .last()
    else {
        return Ok(Vec::new());
    };
    Ok(vault
        .recording_events(&rec.id)?
        .into_iter()
        .filter_map(|e| match e.kind {
            RecordingEventKind::Phase { phase } => {
                let phase: Phase = serde_json::from_value(serde_json::to_value(phase).ok()?).ok()?;
                Some((format.frames_to_ms(e.at_frame), phase))
            }
            _ => None,
        })
        .collect())
}

pub fn quality(ctx: &Ctx, session_id: &str) -> Result<(), CliError> {
    let vault = ctx.unlock()?;
    let session = vault.session(session_id)?;
    let transcript = latest_transcript(&vault, &session.id)?;
    let (items, damaged) = readable(ctx, vault.annotations(&session.id)?);
    let annotations = items.iter().map(annotation).collect::<Result<Vec<_>, _>>()?;
    let report = relato_review::report(&transcript, &annotations, &phases(&vault, &session.id)?);
    if ctx.json() {
        ctx.print_json(&report);
    } else {
        let talk = |t: &relato_review::quality::Talk| ctx.tf("cli.quality.talk", &[("time", duration(t.ms)), ("words", t.words.to_string())]);
        let percent = |x: Option<f64>| x.map_or_else(|| ctx.t("cli.label.none"), |x| format!("{:.0} %", x * 100.0));
        let mut rows = vec![
            (ctx.t("cli.quality.child"), talk(&report.child)),
            (ctx.t("cli.quality.interviewer"), talk(&report.interviewer)),
            (ctx.t("cli.quality.child_share"), percent(report.child_share_of_talk)),
            (ctx.t("cli.quality.free_narrative_turns"), report.free_narrative_interviewer_turns.count.to_string()),
        ];
        for p in &report.prompt_types {
            let label = vocabulary::find(Tier::PromptType, p.kind.code()).map_or(p.kind.code(), |c| match ctx.cat.lang {
                Lang::EsMx => c.label_es,
                Lang::En => c.label_en,
            });
            rows.push((format!("  {label}"), p.count.to_string()));
        }
        rows.push((ctx.t("cli.quality.invitation_share"), percent(report.invitation_share.share)));
        rows.push((
            ctx.t("cli.quality.first_leading"),
            report.first_option_posing_or_suggestive.as_ref().map_or_else(
                || ctx.t("cli.label.none"),
                |f| format!("{} «{}» ({})", duration(f.time_ms), f.text, f.kind.code()),
            ),
        ));
        rows.push((
            ctx.t("cli.quality.longest_narrative"),
            report.longest_child_narrative.as_ref().map_or_else(|| ctx.t("cli.label.none"), |n| {
                format!("{} ({} – {})", duration(n.ms), duration(n.start_ms), duration(n.end_ms))
            }),
        ));
        output::fields(&rows);
    }
    if damaged > 0 {
        return Err(CliError::Partial { code: "cli.damaged_records", count: damaged });
    }
    Ok(())
}

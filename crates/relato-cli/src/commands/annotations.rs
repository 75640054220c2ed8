//! `relato vocabulary list`, `relato annotate`, `relato annotations list`
//! and `relato quality`.
//!
//! Annotations are checked and saved through `relato_review::stored`, as
//! the app does: against the tier's vocabulary (seeded and added codes),
//! the span, a note's words and the transcript's segments; nothing is saved
//! when a rule is broken. The vault keeps each one as logged revisions.

use relato_review::{stored, vocabulary, Annotation, Tier};
use relato_vault::AnnotationRevision;

use super::readable;
use crate::context::{duration, Ctx};
use crate::error::CliError;
use crate::i18n::Lang;
use crate::output;

pub fn vocabulary(ctx: &Ctx) -> Result<(), CliError> {
    // Seeded codes, and those an administrator added to this vault.
    let vault = ctx.unlock()?;
    let entries = stored::vocabulary(&vault)?.entries();
    if ctx.json() {
        ctx.print_json(&entries);
        return Ok(());
    }
    let header = ["cli.label.tier", "cli.label.code", "cli.label.label", "cli.label.definition"].map(|k| ctx.t(k));
    let rows: Vec<Vec<String>> = entries
        .iter()
        .map(|c| {
            let (label, definition) = match ctx.cat.lang {
                Lang::EsMx => (&c.label_es, &c.definition_es),
                Lang::En => (&c.label_en, &c.definition_en),
            };
            vec![c.tier.id().to_owned(), c.code.clone(), label.clone(), definition.clone()]
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
    let vault = ctx.unlock()?;
    let annotation =
        Annotation { id: String::new(), tier, start_ms: span.start_ms, end_ms: span.end_ms, code: code.to_owned(), segment_id, note, target_id: None };
    let saved = stored::save_annotation(&vault, session_id, None, annotation)?;
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

pub fn quality(ctx: &Ctx, session_id: &str) -> Result<(), CliError> {
    let vault = ctx.unlock()?;
    let session = vault.session(session_id)?;
    let (_, transcript) = stored::latest_transcript(&vault, &session.id)?
        .ok_or_else(|| CliError::with("cli.no_transcript", &[("session", session.id.clone())]))?;
    let (items, damaged) = readable(ctx, vault.annotations(&session.id)?);
    let annotations = items.iter().map(stored::annotation_of).collect::<Result<Vec<_>, _>>()?;
    let report = relato_review::report(&transcript, &annotations, &stored::phases(&vault, &session.id)?);
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

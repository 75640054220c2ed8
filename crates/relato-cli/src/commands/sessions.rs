//! `relato session …`

use relato_vault::{NewSession, PresentRole, Session, SessionFields, Vault};

use super::{or_dash, readable};
use crate::args::SessionCommand;
use crate::context::Ctx;
use crate::error::CliError;
use crate::output;

pub fn run(ctx: &Ctx, command: SessionCommand) -> Result<(), CliError> {
    let vault = ctx.unlock()?;
    match command {
        SessionCommand::New { case_id, child_code, age, language, fields } => {
            let interviewer = interviewer_id(&vault, fields.interviewer.as_deref())?;
            let session_fields = SessionFields {
                child_code,
                age_years: age,
                language: language.parse()?,
                interviewer,
                persons_present: present(&fields.present)?,
                protocol: fields.protocol,
                consent_reference: fields.consent,
                location: fields.location,
            };
            let session = vault.create_session(NewSession { case_id, fields: session_fields })?;
            if ctx.json() {
                ctx.print_json(&session);
            } else {
                outln!("{}", session.id);
            }
        }
        SessionCommand::List { case_id } => {
            let (sessions, damaged) = readable(ctx, vault.sessions(&case_id)?);
            if ctx.json() {
                ctx.print_json(&sessions);
            } else {
                let header = ["cli.label.id", "cli.label.child_code", "cli.label.age", "cli.label.language", "cli.label.created"]
                    .map(|k| ctx.t(k));
                let rows: Vec<Vec<String>> = sessions
                    .iter()
                    .map(|s| {
                        vec![
                            s.id.clone(),
                            s.fields.child_code.clone(),
                            s.fields.age_years.to_string(),
                            s.fields.language.as_str().into(),
                            s.created_at.clone(),
                        ]
                    })
                    .collect();
                output::table(&header, &rows);
            }
            if damaged > 0 {
                return Err(CliError::Partial { code: "cli.damaged_records", count: damaged });
            }
        }
        SessionCommand::Show { id } => {
            let session = vault.session(&id)?;
            show(ctx, &vault, &session)?;
        }
        SessionCommand::Edit { id, child_code, age, language, fields } => {
            let current = vault.session(&id)?;
            let mut next = current.fields.clone();
            if let Some(code) = child_code {
                next.child_code = code;
            }
            if let Some(age) = age {
                next.age_years = age;
            }
            if let Some(lang) = language {
                next.language = lang.parse()?;
            }
            if fields.interviewer.is_some() {
                next.interviewer = interviewer_id(&vault, fields.interviewer.as_deref())?;
            }
            if !fields.present.is_empty() {
                next.persons_present = present(&fields.present)?;
            }
            next.protocol = fields.protocol.or(next.protocol);
            next.consent_reference = fields.consent.or(next.consent_reference);
            next.location = fields.location.or(next.location);
            let edited = vault.edit_session(&current.id, next)?;
            if !ctx.json() && edited.rev == current.rev {
                ctx.say("cli.unchanged", &[]);
            } else {
                show(ctx, &vault, &edited)?;
            }
        }
    }
    Ok(())
}

fn interviewer_id(vault: &Vault, name: Option<&str>) -> Result<String, CliError> {
    Ok(match name {
        Some(n) => vault.user(n)?.id,
        None => vault.me().user_id.clone(),
    })
}

fn present(roles: &[String]) -> Result<Vec<PresentRole>, CliError> {
    Ok(roles.iter().map(|r| r.parse()).collect::<Result<_, _>>()?)
}

fn show(ctx: &Ctx, vault: &Vault, s: &Session) -> Result<(), CliError> {
    let interviewer = vault.users()?.into_iter().find(|u| u.id == s.fields.interviewer).map(|u| u.name);
    let mut recordings = Vec::new();
    for r in readable(ctx, vault.recordings(&s.id)?).0 {
        let events = vault.recording_events(&r.id)?;
        recordings.push((r, events));
    }
    if ctx.json() {
        let mut obj = serde_json::to_value(s).expect("serialises");
        obj["interviewer_name"] = interviewer.into();
        obj["recordings"] = recordings
            .iter()
            .map(|(r, events)| serde_json::json!({ "recording": r, "events": events }))
            .collect::<Vec<_>>()
            .into();
        ctx.print_json(&obj);
        return Ok(());
    }
    let f = &s.fields;
    let present: Vec<String> = f.persons_present.iter().map(|p| ctx.t(&format!("cli.present.{}", p.as_str()))).collect();
    output::fields(&[
        (ctx.t("cli.label.id"), s.id.clone()),
        (ctx.t("cli.label.case"), s.case_id.clone()),
        (ctx.t("cli.label.child_code"), f.child_code.clone()),
        (ctx.t("cli.label.age"), f.age_years.to_string()),
        (ctx.t("cli.label.language"), ctx.t(&format!("cli.language.{}", f.language.as_str()))),
        (ctx.t("cli.label.interviewer"), interviewer.unwrap_or_else(|| f.interviewer.clone())),
        (ctx.t("cli.label.present"), if present.is_empty() { ctx.t("cli.label.none") } else { present.join(", ") }),
        (ctx.t("cli.label.protocol"), or_dash(ctx, &f.protocol)),
        (ctx.t("cli.label.consent"), or_dash(ctx, &f.consent_reference)),
        (ctx.t("cli.label.location"), or_dash(ctx, &f.location)),
        (ctx.t("cli.label.revision"), s.rev.to_string()),
        (ctx.t("cli.label.created"), s.created_at.clone()),
    ]);
    for (r, events) in &recordings {
        show_recording(ctx, r, events);
    }
    Ok(())
}

pub(crate) fn show_recording(ctx: &Ctx, r: &relato_vault::Recording, events: &[relato_vault::RecordingEvent]) {
    use relato_vault::{Origin, RecordingEventKind};
    outln!("\n{}: {}", ctx.t("cli.label.recording"), r.id);
    let state = serde_json::to_value(r.state()).expect("serialises");
    let mut rows = vec![(ctx.t("cli.label.state"), ctx.t(&format!("cli.state.{}", state.as_str().unwrap_or_default())))];
    let rate = match &r.origin {
        Origin::Captured { device, format } => {
            rows.push((ctx.t("cli.label.device"), device.clone()));
            rows.push((ctx.t("cli.label.format"), relato_capture::device::describe(format)));
            format.sample_rate as u64
        }
        Origin::Imported { file_name, container, bits_per_sample, .. } => {
            let bits = bits_per_sample.map(|b| format!(", {b} bits")).unwrap_or_default();
            rows.push((ctx.t("cli.label.format"), format!("{container}{bits} ({file_name})")));
            0
        }
    };
    if let Some(end) = &r.end {
        rows.push((ctx.t("cli.label.duration"), crate::context::duration(end.duration_ms)));
        rows.push((ctx.t("cli.label.sha256"), end.sha256_original.clone()));
        let c = end.counters;
        rows.push((ctx.t("cli.label.counters"), format!("{} / {} / {} / {} / {}", c.overruns, c.dropped_frames, c.stream_errors, c.gaps, c.pauses)));
    }
    let at = |frame: u64| (frame * 1000).checked_div(rate).map_or_else(|| frame.to_string(), crate::context::duration);
    let mut marks = Vec::new();
    let mut incidents = Vec::new();
    for e in events {
        let at = at(e.at_frame);
        match &e.kind {
            RecordingEventKind::Marker { label } => marks.push(format!("{at} M{}", label.as_deref().map(|l| format!(" {l}")).unwrap_or_default())),
            RecordingEventKind::Phase { phase } => {
                let id = serde_json::to_value(phase).expect("serialises");
                marks.push(format!("{at} {}", ctx.t(&format!("cli.phase.{}", id.as_str().unwrap_or_default()))));
            }
            RecordingEventKind::DeviceLost { device } => {
                incidents.push(format!("{at} {}", ctx.tf("cli.incident.device_lost", &[("device", device.clone())])))
            }
            RecordingEventKind::Gap { wall_ms, device, .. } => {
                let pairs = [("seconds", format!("{:.1}", *wall_ms as f64 / 1000.0)), ("device", device.clone())];
                incidents.push(format!("{at} {}", ctx.tf("cli.incident.gap", &pairs)))
            }
            RecordingEventKind::Overrun { dropped_frames } => {
                incidents.push(format!("{at} {}", ctx.tf("cli.incident.overrun", &[("frames", dropped_frames.to_string())])))
            }
            RecordingEventKind::StreamError { .. } => incidents.push(format!("{at} {}", ctx.t("cli.incident.stream_error"))),
            RecordingEventKind::MaxDurationWarning { remaining_s } => {
                let pairs = [("remaining", crate::context::duration(remaining_s * 1000))];
                incidents.push(format!("{at} {}", ctx.tf("cli.incident.max_duration", &pairs)))
            }
            RecordingEventKind::Pause | RecordingEventKind::Resume => {}
        }
    }
    if !marks.is_empty() {
        rows.push((ctx.t("cli.label.markers"), marks.join("; ")));
    }
    if !incidents.is_empty() {
        rows.push((ctx.t("cli.label.incidents"), incidents.join("; ")));
    }
    output::fields(&rows);
}


//! `acta/anexo-cadena-custodia.pdf`: the printable Spanish annex a
//! litigator signs and hands over with the bundle, mirroring the
//! *Registro de Cadena de Custodia* (identification, documentation,
//! collection and packaging, persons who intervened, transfer,
//! continuity, verification).
//!
//! The wording and layout live in the Typst template
//! `assets/annex/anexo-cadena-custodia.typ`, which an institution may
//! adapt; this module only gathers the data it reads (`data.json`, schema
//! 1, sample in `crates/relato-annex/sample-data.json`): codes, not
//! Spanish words, so the template owns every phrase. Dates are local
//! (the offset each custody line recorded) as `dd/mm/yyyy hh:mm`.
//!
//! The annex prints the manifest's SHA-256 and so cannot be listed in the
//! manifest; `SHA256SUMS` (signed) covers it.

use chrono::{DateTime, FixedOffset, Offset as _};
use relato_vault::{Origin, Recording, SignedLine, Vault};
use serde_json::{json, Value};

use crate::error::EvidenceError;
use crate::export::ExportRequest;
use crate::manifest::Manifest;

/// Where the annex goes in a bundle.
pub const PATH: &str = "acta/anexo-cadena-custodia.pdf";
/// Files outside the manifest's list besides its own: the annex's folder.
pub const FOLDER: &str = "acta/";

/// The template, editable in `assets/`.
pub const TEMPLATE: &str = include_str!("../../../assets/annex/anexo-cadena-custodia.typ");

/// Typesets the annex of the bundle described by `manifest`.
pub(crate) fn render(
    v: &Vault,
    req: &ExportRequest<'_>,
    manifest: &Manifest,
    manifest_sha256: &str,
    originals: &[&Recording],
    metas: &[Value],
    lines: &[SignedLine],
) -> Result<Vec<u8>, EvidenceError> {
    let data = data(v, req, manifest, manifest_sha256, originals, metas, lines)?;
    let made = DateTime::parse_from_rfc3339(&manifest.created_at).map_err(|e| EvidenceError::Annex { reason: e.to_string() })?;
    let made = made.naive_utc();
    use chrono::{Datelike, Timelike};
    let annex = relato_annex::Annex {
        template: TEMPLATE,
        data: &data,
        ident: manifest_sha256,
        made: relato_annex::Made {
            year: made.year(),
            month: made.month() as u8,
            day: made.day() as u8,
            hour: made.hour() as u8,
            minute: made.minute() as u8,
            second: made.second() as u8,
        },
    };
    relato_annex::render(&annex).map_err(|e| EvidenceError::Annex { reason: e.to_string() })
}

/// The template's `data.json`.
pub(crate) fn data(
    v: &Vault,
    req: &ExportRequest<'_>,
    m: &Manifest,
    manifest_sha256: &str,
    originals: &[&Recording],
    metas: &[Value],
    // The case's chain, as the bundle carries it (read once, by the export).
    lines: &[SignedLine],
) -> Result<Value, EvidenceError> {
    let offset = chrono::Local::now().offset().fix();
    let made = DateTime::parse_from_rfc3339(&m.created_at).map(|t| t.with_timezone(&offset));
    let made = made.map_err(|e| EvidenceError::Annex { reason: e.to_string() })?;
    let entries: Vec<Value> = lines.iter().filter_map(|l| serde_json::from_str(&l.line).ok()).collect();

    let items: Vec<Value> = m
        .items
        .iter()
        .zip(originals)
        .zip(metas)
        .map(|((item, r), meta)| {
            // A capture's bit depth is its sample format's; an import's is
            // the file's own, when its codec states one (not what it
            // decodes to).
            let (origin, imported_name, format, bits) = match &r.origin {
                Origin::Captured { format, .. } => ("captured", None, Some(*format), Some(format.sample_format.bytes() as u32 * 8)),
                Origin::Imported { file_name, format, bits_per_sample, .. } => {
                    ("imported", Some(file_name.clone()), *format, *bits_per_sample)
                }
            };
            let end = r.end.as_ref();
            json!({
                "id": item.id,
                "session": item.session,
                "file": item.file,
                "origin": origin,
                "imported_name": imported_name,
                "sample_rate": format.map(|f| f.sample_rate),
                "channels": format.map(|f| f.channels),
                "bits": bits,
                "started": local(&r.started_at, None),
                "ended": end.map(|e| local(&e.ended_at, None)),
                "duration": end.map(|e| hms(e.duration_ms)),
                "bytes": item.bytes,
                "sha256": item.sha256,
                "state": end.map(|e| e.state),
                "gaps": meta["continuity"]["gaps"],
                "device_lost": meta["continuity"]["device_lost"],
            })
        })
        .collect();

    let documents: Vec<Value> = m
        .files
        .iter()
        .filter_map(|f| document_kind(&f.path).map(|kind| json!({"path": f.path, "kind": kind, "sha256": f.sha256})))
        .collect();

    // Everyone who signed a line of the case's chain, in order of first appearance.
    let mut people: Vec<(String, Value, Vec<String>, String, String)> = Vec::new();
    for e in &entries {
        let actor = &e["actor"];
        let key = actor["key"].as_str().unwrap_or_default().to_owned();
        let event = e["event"].as_str().unwrap_or_default().to_owned();
        let at = local(e["time"].as_str().unwrap_or_default(), e["offset"].as_str());
        match people.iter_mut().find(|p| p.0 == key) {
            Some(p) => {
                if !p.2.contains(&event) {
                    p.2.push(event);
                }
                p.4 = at;
            }
            None => people.push((key, actor.clone(), vec![event], at.clone(), at)),
        }
    }
    let people: Vec<Value> = people
        .into_iter()
        .map(|(key, actor, events, first, last)| {
            json!({"name": actor["name"], "role": actor["role"], "institution": actor["institution"], "key_id": key,
                   "events": events, "first": first, "last": last})
        })
        .collect();

    let handovers: Vec<Value> = entries
        .iter()
        .filter(|e| e["event"] == "ENTREGA" || e["event"] == "RECEPCION")
        .map(|e| {
            let d = &e["details"];
            let (by, to) = if e["event"] == "ENTREGA" {
                (e["actor"]["name"].clone(), d["to"].clone())
            } else {
                (d["from"].clone(), e["actor"]["name"].clone())
            };
            json!({"event": e["event"], "time": local(e["time"].as_str().unwrap_or_default(), e["offset"].as_str()),
                   "by": by, "to": to, "institution": d["institution"], "purpose": e["purpose"],
                   "medium": d["medium"], "seal": d["seal"]})
        })
        .collect();

    let organisation = Some(v.organisation_name()?).filter(|n| !n.is_empty()).unwrap_or_else(|| m.exported_by.institution.clone());
    let sha_of = |path: &str| m.files.iter().find(|f| f.path == path).map(|f| f.sha256.clone());
    let mut keys = vec![json!({"who": "organisation", "name": organisation, "file": format!("keys/{}.pub", m.organisation.file),
                               "minisign_key": m.organisation.minisign_key, "sha256": sha_of(&format!("keys/{}.pub", m.organisation.file))})];
    keys.push(json!({"who": "exporter", "name": m.exported_by.name, "file": format!("keys/{}.pub", m.exported_by.key.file),
                     "minisign_key": m.exported_by.key.minisign_key, "sha256": sha_of(&format!("keys/{}.pub", m.exported_by.key.file))}));

    let signer = &m.exported_by.key.file;
    let file = req.out.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    // The bundle's name is its folder's (a zip's top folder): no extension.
    let name = file.trim_end_matches(".age").trim_end_matches(".zip").to_owned();
    let zipped = !matches!(req.packaging, crate::export::Packaging::Folder);
    let mut commands = vec![
        "sha256sum -c SHA256SUMS".to_owned(),
        format!("minisign -Vm SHA256SUMS -p keys/{signer}.pub"),
        format!("minisign -Vm manifest.json -p keys/{signer}.pub"),
        format!("openssl pkeyutl -verify -pubin -inkey keys/{signer}.pem -rawin -in manifest.json -sigfile manifest.json.sig"),
        format!("minisign -Vm custody/custody.head -p keys/{signer}.pub"),
    ];
    if matches!(req.packaging, crate::export::Packaging::Age(_)) {
        commands.insert(0, format!("age -d -o {} {file}", file.trim_end_matches(".age")));
    }
    commands.push(format!("relato verify {file}"));

    let first_last = |which: Option<&Value>| which.map(|e| local(e["time"].as_str().unwrap_or_default(), e["offset"].as_str()));
    Ok(json!({
        "schema": 1,
        "organisation": organisation,
        "institution": m.case.institution,
        "case": {"reference": m.case.reference, "place": m.case.place},
        "made": {"date": made.format("%d/%m/%Y").to_string(), "time": made.format("%H:%M").to_string(),
                 "offset": made.format("%:z").to_string(), "utc": m.created_at},
        "purpose": req.purpose,
        "recipient": req.recipient,
        "exported_by": {"name": m.exported_by.name, "role": m.exported_by.role, "institution": m.exported_by.institution,
                        "key_id": m.exported_by.key.key_id, "minisign_key": m.exported_by.key.minisign_key},
        "manifest_sha256": manifest_sha256,
        "bundle": {"name": name, "file": if zipped { Some(&file) } else { None }, "zip": zipped,
                   "encrypted": matches!(req.packaging, crate::export::Packaging::Age(_))},
        "sessions": m.sessions.iter().map(|s| json!({"label": s.label, "child_code": s.child_code, "age_years": s.age_years,
                                                     "language": s.language, "created": local(&s.created_at, None)})).collect::<Vec<_>>(),
        "items": items,
        "documents": documents,
        "people": people,
        "handovers": handovers,
        "custody": {"lines": m.custody.lines, "head_sha256": m.custody.head_sha256,
                    "first": first_last(entries.first()), "last": first_last(entries.last())},
        "keys": keys,
        "commands": commands,
        "app": format!("relato {}", env!("CARGO_PKG_VERSION")),
    }))
}

/// `dd/mm/yyyy hh:mm` at the recorded offset (else this machine's).
fn local(utc: &str, offset: Option<&str>) -> String {
    let Ok(t) = DateTime::parse_from_rfc3339(utc) else { return utc.to_owned() };
    let offset: FixedOffset = offset
        .and_then(|o| format!("2000-01-01T00:00:00{o}").parse::<DateTime<FixedOffset>>().ok())
        .map_or_else(|| chrono::Local::now().offset().fix(), |d| *d.offset());
    t.with_timezone(&offset).format("%d/%m/%Y %H:%M").to_string()
}

fn hms(ms: u64) -> String {
    let s = ms / 1000;
    format!("{:02}:{:02}:{:02}", s / 3600, s / 60 % 60, s % 60)
}

/// The kind of a documentary file in the bundle, by its name.
fn document_kind(path: &str) -> Option<&'static str> {
    let name = path.rsplit('/').next()?;
    Some(match (path.split('/').next()?, name) {
        ("evidence", n) if n.ends_with(".meta.json") => "item_meta",
        ("derivatives", _) if path.contains("/redacted/") => match name {
            "redaction.json" => "redaction",
            n if n.starts_with("transcript") => "redacted_transcript",
            _ => "redacted_audio",
        },
        ("derivatives", "transcript.txt") => "transcript_txt",
        ("derivatives", "transcript.vtt") => "transcript_vtt",
        ("derivatives", "transcript-revisions.json") => "transcript_revisions",
        ("annotations", "annotations.json") => "annotations_json",
        ("annotations", "annotations.eaf") => "annotations_eaf",
        ("annotations", "annotations-labels.txt") => "annotations_labels",
        ("annotations", "annotations.vtt") => "annotations_vtt",
        ("derivatives" | "annotations", _) => "other",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn local_times_use_the_recorded_offset() {
        assert_eq!(local("2026-11-30T10:40:12.123Z", Some("-06:00")), "30/11/2026 04:40");
        assert_eq!(local("2026-11-30T02:00:00.000Z", Some("-06:00")), "29/11/2026 20:00");
        assert_eq!(local("not a time", Some("-06:00")), "not a time");
    }

    #[test]
    fn durations_read_as_hours_minutes_seconds() {
        assert_eq!(hms(0), "00:00:00");
        assert_eq!(hms(3_723_999), "01:02:03");
    }

    #[test]
    fn documents_are_classified_by_name() {
        assert_eq!(document_kind("derivatives/S01/transcript.vtt"), Some("transcript_vtt"));
        assert_eq!(document_kind("annotations/S02/annotations.eaf"), Some("annotations_eaf"));
        assert_eq!(document_kind("evidence/EV-001.meta.json"), Some("item_meta"));
        assert_eq!(document_kind("evidence/EV-001.wav"), None);
        assert_eq!(document_kind("derivatives/S01/redacted/redaction.json"), Some("redaction"));
        assert_eq!(document_kind("keys/organisation.pub"), None);
    }
}

//! `relato case …`

use relato_vault::{Case, CaseFields};

use super::{or_dash, readable};
use crate::args::CaseCommand;
use crate::context::Ctx;
use crate::error::CliError;
use crate::output;

pub fn run(ctx: &Ctx, command: CaseCommand) -> Result<(), CliError> {
    let vault = ctx.unlock()?;
    match command {
        CaseCommand::New { reference, fields } => {
            let case = vault.create_case(CaseFields { reference, place: fields.place, institution: fields.institution })?;
            if ctx.json() {
                ctx.print_json(&case);
            } else {
                outln!("{}", case.id);
            }
        }
        CaseCommand::List => {
            let (cases, damaged) = readable(ctx, vault.cases()?);
            if ctx.json() {
                ctx.print_json(&cases);
            } else {
                let header = ["cli.label.id", "cli.label.reference", "cli.label.place", "cli.label.institution", "cli.label.created"]
                    .map(|k| ctx.t(k));
                let rows: Vec<Vec<String>> = cases
                    .iter()
                    .map(|c| vec![c.id.clone(), c.reference.clone(), or_dash(ctx, &c.place), or_dash(ctx, &c.institution), c.created_at.clone()])
                    .collect();
                output::table(&header, &rows);
            }
            if damaged > 0 {
                return Err(CliError::Partial { code: "cli.damaged_records", count: damaged });
            }
        }
        CaseCommand::Show { id } => {
            let history = vault.case_history(&id)?;
            let sessions = vault.sessions(&id)?;
            let case = history.last().expect("a case has at least one revision");
            let session_ids: Vec<String> = readable(ctx, sessions).0.into_iter().map(|s| s.id).collect();
            if ctx.json() {
                ctx.print_json(&serde_json::json!({ "case": case, "revisions": history, "sessions": session_ids }));
            } else {
                print_case(ctx, case);
                outln!("{}: {}", ctx.t("cli.label.sessions"), if session_ids.is_empty() { ctx.t("cli.label.none") } else { session_ids.join(", ") });
            }
        }
        CaseCommand::Edit { id, reference, fields } => {
            let current = vault.case(&id)?;
            let edited = vault.edit_case(
                &current.id,
                CaseFields {
                    reference: reference.unwrap_or(current.reference.clone()),
                    place: fields.place.or(current.place.clone()),
                    institution: fields.institution.or(current.institution.clone()),
                },
            )?;
            if ctx.json() {
                ctx.print_json(&edited);
            } else if edited.rev == current.rev {
                ctx.say("cli.unchanged", &[]);
            } else {
                print_case(ctx, &edited);
            }
        }
    }
    Ok(())
}

fn print_case(ctx: &Ctx, c: &Case) {
    output::fields(&[
        (ctx.t("cli.label.id"), c.id.clone()),
        (ctx.t("cli.label.reference"), c.reference.clone()),
        (ctx.t("cli.label.place"), or_dash(ctx, &c.place)),
        (ctx.t("cli.label.institution"), or_dash(ctx, &c.institution)),
        (ctx.t("cli.label.revision"), c.rev.to_string()),
        (ctx.t("cli.label.created"), c.created_at.clone()),
    ]);
}

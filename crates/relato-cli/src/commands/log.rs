//! `relato log verify` and `relato log show`.

use relato_vault::VAULT_CHAIN;

use crate::args::LogCommand;
use crate::context::Ctx;
use crate::error::CliError;

pub fn run(ctx: &Ctx, command: LogCommand) -> Result<(), CliError> {
    let vault = ctx.unlock()?;
    match command {
        LogCommand::Verify { case_id } => {
            let results = match case_id {
                Some(id) => {
                    // A damaged case record must not stop the check of its chain.
                    let id = match vault.case(&id) {
                        Ok(c) => c.id,
                        Err(relato_vault::VaultError::RecordCorrupt { .. }) => id,
                        Err(e) => return Err(e.into()),
                    };
                    vec![(id.clone(), vault.verify_chain(&id))]
                }
                None => vault.verify_all()?,
            };
            let mut failed = 0;
            let mut report = Vec::new();
            for (chain, result) in results {
                match result {
                    Ok(summary) => {
                        ctx.say(
                            "cli.verify_ok",
                            &[("chain", chain.clone()), ("lines", summary.lines.to_string()), ("head", summary.head.clone())],
                        );
                        report.push(serde_json::json!({ "chain": chain, "ok": true, "lines": summary.lines, "head": summary.head }));
                    }
                    Err(e) => {
                        failed += 1;
                        ctx.warn(&e);
                        report.push(serde_json::json!({
                            "chain": chain, "ok": false,
                            "error": { "code": e.code(), "message": ctx.cat.format(e.code(), &e.args()), "args": e.args() }
                        }));
                    }
                }
            }
            if ctx.json() {
                ctx.print_json(&report);
            }
            if failed > 0 {
                return Err(CliError::Partial { code: "cli.verify_failed", count: failed });
            }
        }
        LogCommand::Show { case_id } => {
            let chain = match case_id {
                Some(id) => vault.case(&id)?.id,
                None => VAULT_CHAIN.to_owned(),
            };
            let lines = vault.custody_lines(&chain)?;
            if ctx.json() {
                ctx.print_json(&lines);
            } else {
                for l in lines {
                    outln!("{}", l.line);
                }
            }
        }
    }
    Ok(())
}

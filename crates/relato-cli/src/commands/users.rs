//! `relato user …`

use relato_vault::{KdfParams, Role};

use crate::args::UserCommand;
use crate::context::Ctx;
use crate::error::CliError;
use crate::output;
use crate::secrets;

pub fn run(ctx: &Ctx, command: UserCommand) -> Result<(), CliError> {
    let vault = ctx.unlock()?;
    match command {
        UserCommand::Add { name, role, new_passphrase_file, institution } => {
            let role: Role = role.parse()?;
            let passphrase = secrets::read_secret_file(&new_passphrase_file)?;
            let user = vault.add_user(&name, role, &passphrase, institution.as_deref(), KdfParams::default())?;
            if ctx.json() {
                ctx.print_json(&user);
            } else {
                ctx.say("cli.user_added", &[("name", user.name), ("role", ctx.t(&format!("cli.role.{}", user.role))), ("key_id", user.key_id)]);
            }
        }
        UserCommand::List => {
            let users = vault.users()?;
            if ctx.json() {
                ctx.print_json(&users);
            } else {
                let yes_no = |b: bool| ctx.t(if b { "cli.label.yes" } else { "cli.label.no" });
                let header = ["cli.label.name", "cli.label.role", "cli.label.institution", "cli.label.key", "cli.label.active"]
                    .map(|k| ctx.t(k));
                let rows: Vec<Vec<String>> = users
                    .into_iter()
                    .map(|u| vec![u.name, ctx.t(&format!("cli.role.{}", u.role)), u.institution, u.key_id, yes_no(u.active)])
                    .collect();
                output::table(&header, &rows);
            }
        }
        UserCommand::Passwd { name, new_passphrase_file } => {
            let passphrase = secrets::new_secret(&ctx.cat, new_passphrase_file.as_deref())?;
            let own = name.as_deref().is_none_or(|n| n.trim().eq_ignore_ascii_case(vault.me().name.trim()));
            if own {
                vault.change_own_passphrase(&passphrase, KdfParams::default())?;
                let me = vault.user(&vault.me().name)?;
                if ctx.json() {
                    ctx.print_json(&me);
                } else {
                    ctx.say("cli.passphrase_changed", &[("name", me.name)]);
                }
            } else {
                let user = vault.reset_passphrase(name.as_deref().unwrap_or_default(), &passphrase, KdfParams::default())?;
                if ctx.json() {
                    ctx.print_json(&user);
                } else {
                    ctx.say("cli.passphrase_reset", &[("name", user.name), ("key_id", user.key_id)]);
                }
            }
        }
        UserCommand::Revoke { name } => {
            let user = vault.revoke_user(&name)?;
            if ctx.json() {
                ctx.print_json(&user);
            } else {
                ctx.say("cli.user_revoked", &[("name", user.name)]);
            }
        }
    }
    Ok(())
}

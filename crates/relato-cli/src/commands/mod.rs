//! One module per subject; each function unlocks, calls the vault, prints.

pub mod annotations;
pub mod audio;
pub mod cases;
pub mod evidence;
pub mod log;
pub mod record;
pub mod sessions;
pub mod transcripts;
pub mod users;
pub mod vault;

use crate::context::Ctx;

/// Optional text for display: the value, or a dash.
pub(crate) fn or_dash(ctx: &Ctx, v: &Option<String>) -> String {
    v.clone().unwrap_or_else(|| ctx.t("cli.label.none"))
}

/// The readable items of a listing. Each damaged one is reported on stderr
/// (naming it) and counted; the others are returned.
pub(crate) fn readable<T>(ctx: &Ctx, results: Vec<relato_vault::Result<T>>) -> (Vec<T>, usize) {
    let mut damaged = 0;
    let items = results
        .into_iter()
        .filter_map(|r| r.map_err(|e| {
            ctx.warn(&e);
            damaged += 1;
        }).ok())
        .collect();
    (items, damaged)
}

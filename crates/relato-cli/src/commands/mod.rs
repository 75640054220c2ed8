//! One module per subject; each function unlocks, calls the vault, prints.

pub mod audio;
pub mod cases;
pub mod log;
pub mod record;
pub mod sessions;
pub mod users;
pub mod vault;

use crate::context::Ctx;

/// Optional text for display: the value, or a dash.
pub(crate) fn or_dash(ctx: &Ctx, v: &Option<String>) -> String {
    v.clone().unwrap_or_else(|| ctx.t("cli.label.none"))
}

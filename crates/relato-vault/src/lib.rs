//! placeholder during bring-up
#![forbid(unsafe_code)]
mod error;
mod store;
pub use error::{CustodyFault, Result, StreamFault, VaultError};
pub use store::{VaultProbe, FORMAT_VERSION};
use std::path::{Path, PathBuf};

/// The default vault location: `<platform data dir>/relato/vault.relato`.
pub fn default_vault_path() -> Result<PathBuf> {
    dirs::data_dir()
        .map(|d| d.join("relato").join("vault.relato"))
        .ok_or_else(|| VaultError::invalid("vault path", "the platform has no data directory; pass --vault"))
}

/// Says whether a vault exists at `path` and is free to open, without
/// unlocking or changing anything.
pub fn probe(path: &Path) -> Result<VaultProbe> {
    store::probe(path)
}

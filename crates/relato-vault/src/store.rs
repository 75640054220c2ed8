//! The vault file: opening, the process lock, pragmas and migrations.
//!
//! A vault is one SQLite database (WAL, `synchronous=FULL`, `secure_delete`)
//! plus an empty `<vault>.lock` file that the open process holds an exclusive
//! `flock` on, so that a second process gets [`VaultError::InUse`] instead of
//! interleaving custody lines. The lock is released by the kernel when the
//! process dies, so a crash never leaves the vault stuck.
//!
//! The schema version lives in `PRAGMA user_version`; migrations run in order
//! inside one transaction each. `PRAGMA application_id` marks the file as a
//! Relato vault so that any other SQLite file is refused by name.

use std::fs::{File, OpenOptions, TryLockError};
use std::path::{Path, PathBuf};

use rusqlite::{Connection, OpenFlags};

use crate::error::{Result, VaultError};

/// `PRAGMA application_id`: "RLTO".
const APPLICATION_ID: i32 = 0x524C_544F;

/// The newest schema this build writes and understands.
pub const FORMAT_VERSION: u32 = 5;

/// Ordered migrations; `MIGRATIONS[i]` brings a vault from version `i` to `i + 1`.
const MIGRATIONS: &[&str] =
    &[
        include_str!("migrations/0001_initial.sql"),
        include_str!("migrations/0002_recordings.sql"),
        include_str!("migrations/0003_review.sql"),
        include_str!("migrations/0004_vocabulary.sql"),
        include_str!("migrations/0005_received.sql"),
    ];

/// An open vault file and the lock that makes this process its only writer.
pub(crate) struct Store {
    pub(crate) conn: Connection,
    path: PathBuf,
    _lock: File,
}

impl Store {
    /// Creates a new, empty vault at `path`. Fails if anything is there.
    pub(crate) fn create(path: &Path) -> Result<Store> {
        if path.exists() {
            return Err(VaultError::AlreadyExists(path.to_owned()));
        }
        if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(parent).map_err(|e| VaultError::io(parent, e))?;
        }
        let lock = acquire_lock(path)?;
        let conn = Connection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_CREATE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )
        .map_err(|e| VaultError::Storage(e.to_string()))?;
        configure(&conn)?;
        conn.pragma_update(None, "application_id", APPLICATION_ID)?;
        let mut store = Store { conn, path: path.to_owned(), _lock: lock };
        store.migrate(0)?;
        Ok(store)
    }

    /// Opens an existing vault for reading and writing, holding its lock.
    /// Nothing is written until [`Store::upgrade`] (after a successful
    /// unlock), so a failed unlock leaves the file exactly as it was.
    pub(crate) fn open(path: &Path) -> Result<Store> {
        check_is_file(path)?;
        let lock = acquire_lock(path)?;
        let conn = Connection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )
        .map_err(|e| classify_open_error(path, e))?;
        identify(&conn, path)?;
        configure(&conn)?;
        Ok(Store { conn, path: path.to_owned(), _lock: lock })
    }

    /// Brings an older vault up to [`FORMAT_VERSION`].
    pub(crate) fn upgrade(&mut self) -> Result<()> {
        let version = identify(&self.conn, &self.path)?;
        self.migrate(version)
    }

    pub(crate) fn path(&self) -> &Path {
        &self.path
    }

    fn migrate(&mut self, from: u32) -> Result<()> {
        for (i, sql) in MIGRATIONS.iter().enumerate().skip(from as usize) {
            let tx = self.conn.transaction()?;
            tx.execute_batch(sql)?;
            tx.pragma_update(None, "user_version", i as u32 + 1)?;
            tx.commit()?;
        }
        Ok(())
    }
}

/// What [`probe`](crate::probe) found at a path, without unlocking anything.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum VaultProbe {
    /// Nothing there yet: the first run creates it.
    Missing,
    /// A vault that is closed (locked) and free to open.
    Locked { vault_id: String, format_version: u32 },
}

pub(crate) fn probe(path: &Path) -> Result<VaultProbe> {
    if !path.exists() {
        return Ok(VaultProbe::Missing);
    }
    check_is_file(path)?;
    // Holding the lock for a moment tells us whether another process has it.
    let _lock = acquire_lock(path)?;
    let conn = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .map_err(|e| classify_open_error(path, e))?;
    let format_version = identify(&conn, path)?;
    let vault_id: String = conn
        .query_row("SELECT value FROM meta WHERE key = 'vault_id'", [], |r| r.get(0))
        .map_err(|_| VaultError::NotAVault(path.to_owned()))?;
    Ok(VaultProbe::Locked { vault_id, format_version })
}

fn check_is_file(path: &Path) -> Result<()> {
    match std::fs::metadata(path) {
        Ok(m) if m.is_file() => Ok(()),
        Ok(_) => Err(VaultError::NotAVault(path.to_owned())),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Err(VaultError::NotFound(path.to_owned())),
        Err(e) => Err(VaultError::io(path, e)),
    }
}

fn lock_path(path: &Path) -> PathBuf {
    let mut name = path.file_name().unwrap_or_default().to_owned();
    name.push(".lock");
    path.with_file_name(name)
}

fn acquire_lock(path: &Path) -> Result<File> {
    let lock_path = lock_path(path);
    let file = OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&lock_path)
        .map_err(|e| VaultError::io(&lock_path, e))?;
    match file.try_lock() {
        Ok(()) => Ok(file),
        Err(TryLockError::WouldBlock) => Err(VaultError::InUse(path.to_owned())),
        Err(TryLockError::Error(e)) => Err(VaultError::io(&lock_path, e)),
    }
}

/// Checks the application id and returns the schema version.
fn identify(conn: &Connection, path: &Path) -> Result<u32> {
    let app_id: i32 = conn
        .pragma_query_value(None, "application_id", |r| r.get(0))
        .map_err(|e| classify_open_error(path, e))?;
    if app_id != APPLICATION_ID {
        return Err(VaultError::NotAVault(path.to_owned()));
    }
    let version: u32 = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
    if version > FORMAT_VERSION {
        return Err(VaultError::NewerFormat { found: version, supported: FORMAT_VERSION });
    }
    Ok(version)
}

fn configure(conn: &Connection) -> Result<()> {
    conn.busy_timeout(std::time::Duration::from_secs(5))?;
    // WAL keeps readers and the writer apart; FULL makes each commit survive
    // power loss, which is what "a crash loses at most the last second" needs.
    let mode: String = conn.pragma_update_and_check(None, "journal_mode", "wal", |r| r.get(0))?;
    if !mode.eq_ignore_ascii_case("wal") {
        return Err(VaultError::Storage(format!("journal_mode is {mode}, expected wal")));
    }
    conn.pragma_update(None, "synchronous", "FULL")?;
    conn.pragma_update(None, "foreign_keys", true)?;
    // Freed pages (revoked key slots) are zeroed, not left behind.
    conn.pragma_update(None, "secure_delete", true)?;
    // Sorts and temporary indices stay in memory: no temporary files.
    conn.pragma_update(None, "temp_store", "MEMORY")?;
    Ok(())
}

fn classify_open_error(path: &Path, e: rusqlite::Error) -> VaultError {
    use rusqlite::ffi::ErrorCode;
    match e.sqlite_error_code() {
        Some(ErrorCode::NotADatabase) => VaultError::NotAVault(path.to_owned()),
        Some(ErrorCode::CannotOpen) | Some(ErrorCode::PermissionDenied) => VaultError::io(
            path,
            std::io::Error::new(std::io::ErrorKind::PermissionDenied, e.to_string()),
        ),
        Some(ErrorCode::DatabaseBusy) | Some(ErrorCode::DatabaseLocked) => VaultError::InUse(path.to_owned()),
        _ => VaultError::Storage(e.to_string()),
    }
}

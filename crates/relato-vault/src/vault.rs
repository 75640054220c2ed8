//! The unlocked vault: who is acting, and the sealed-row and custody
//! machinery every operation goes through.
//!
//! A [`Vault`] exists only while unlocked: it holds the subkeys and the
//! actor's signing key, and dropping it (or [`Vault::lock`]) wipes them.
//! Every write happens in one SQLite transaction together with the custody
//! line that records it, so the log and the data cannot disagree after a
//! crash.
//!
//! Operations are grouped by subject in `users.rs`, `cases.rs` and
//! `streams.rs`; this file holds what they share.

use std::path::Path;

use ed25519_dalek::{SigningKey, VerifyingKey};
use rusqlite::{params, Connection, OptionalExtension};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use crate::crypto::{self, Key, RowAd, Subkeys};
use crate::custody::{self, Actor, ChainSummary, Entry, Event, KnownKey, SignedLine, GENESIS_PREV, VAULT_CHAIN};
use crate::error::{Result, VaultError};
use crate::identity::{self, Role, SignedCertificate};
use crate::keyslot::{self, KdfParams, SlotKdf, SlotPayload};
use crate::recovery::RecoveryCode;
use crate::store::{Store, FORMAT_VERSION};

/// The person (or the recovery identity) the vault was unlocked as.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Me {
    pub user_id: String,
    pub name: String,
    pub role: Role,
    pub institution: String,
    pub key_id: String,
}

/// What the `users` table seals.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct UserBody {
    pub(crate) name: String,
    pub(crate) role: Role,
    pub(crate) institution: String,
    pub(crate) created_at: String,
}

/// An unlocked vault.
pub struct Vault {
    pub(crate) store: Store,
    pub(crate) vault_id: String,
    pub(crate) master: Key,
    pub(crate) keys: Subkeys,
    pub(crate) org_public: VerifyingKey,
    pub(crate) me: Me,
    pub(crate) slot_id: i64,
    pub(crate) signing: SigningKey,
}

/// What [`Vault::create`] needs.
pub struct NewVault<'a> {
    /// Organisation name, as it appears in certificates and the annex.
    pub organisation: &'a str,
    pub admin_name: &'a str,
    pub admin_passphrase: &'a str,
    pub kdf: KdfParams,
}

pub(crate) const RECOVERY_NAME: &str = "recovery";

impl Vault {
    /// Creates a vault with its organisation key, the first administrator
    /// and the recovery slot. The recovery code is returned once and stored
    /// nowhere.
    pub fn create(path: &Path, new: NewVault<'_>) -> Result<(Vault, RecoveryCode)> {
        keyslot::check_passphrase_strength(new.admin_passphrase)?;
        check_name(new.admin_name)?;
        if new.organisation.trim().is_empty() {
            return Err(VaultError::Empty { field: "organisation" });
        }
        let store = Store::create(path)?;
        let result = Self::initialise(store, new);
        if result.is_err() {
            // Nothing of value is in a half-created vault; leave no debris.
            for suffix in ["", "-wal", "-shm", ".lock"] {
                let mut p = path.as_os_str().to_owned();
                p.push(suffix);
                let _ = std::fs::remove_file(p);
            }
        }
        result
    }

    fn initialise(store: Store, new: NewVault<'_>) -> Result<(Vault, RecoveryCode)> {
        let vault_id = crypto::new_id("vault");
        let master = Key::random();
        let keys = Subkeys::derive(&master, &vault_id);
        let org_secret = identity::new_signing_secret();
        let org = identity::signing_key(&org_secret);
        let institution = new.organisation.trim().to_owned();

        let admin_id = crypto::new_id("user");
        let admin_secret = identity::new_signing_secret();
        let admin_signing = identity::signing_key(&admin_secret);
        let me = Me {
            user_id: admin_id.clone(),
            name: new.admin_name.trim().to_owned(),
            role: Role::Administrator,
            institution: institution.clone(),
            key_id: identity::key_id(&admin_signing.verifying_key()),
        };
        let vault = Vault {
            store,
            vault_id: vault_id.clone(),
            master: master.clone(),
            keys,
            org_public: org.verifying_key(),
            me,
            slot_id: 1,
            signing: admin_signing,
        };

        // Derive both slot keys before touching the file.
        let admin_kdf = SlotKdf::new(new.kdf);
        let admin_kek = admin_kdf.derive(new.admin_passphrase.as_bytes())?;
        let code = RecoveryCode::generate();
        let recovery_kdf = SlotKdf::new(new.kdf);
        let recovery_kek = recovery_kdf.derive(&code.secret())?;
        let recovery_secret = identity::new_signing_secret();

        let tx = vault.store.conn.unchecked_transaction()?;
        tx.execute("INSERT INTO meta (key, value) VALUES ('vault_id', ?1)", [&vault_id])?;
        tx.execute(
            "INSERT INTO meta (key, value) VALUES ('org_public_key', ?1)",
            [org.verifying_key().as_bytes().to_vec()],
        )?;
        let org_body = vault.seal_row("secrets", "org", &identity::b64(&org_secret.0));
        tx.execute(
            "INSERT INTO secrets (id, sv, body) VALUES ('org', ?1, ?2)",
            params![FORMAT_VERSION, org_body],
        )?;

        vault.log(
            &tx,
            VAULT_CHAIN,
            Event::new("VAULT_CREATED")
                .detail("vault_id", vault_id.clone())
                .detail("format", FORMAT_VERSION)
                .detail("org_key", identity::key_id(&org.verifying_key()))
                .detail("organisation", institution.clone()),
        )?;
        let admin = UserBody {
            name: vault.me.name.clone(),
            role: Role::Administrator,
            institution: institution.clone(),
            created_at: now(),
        };
        vault.insert_user(&tx, &org, &admin_id, &admin, &admin_secret)?;
        vault.insert_slot(&tx, 1, "user", &admin_id, Some(&admin.name), &admin_kdf, &admin_kek, &admin_secret)?;

        let recovery_id = crypto::new_id("user");
        let recovery = UserBody {
            name: RECOVERY_NAME.into(),
            role: Role::Recovery,
            institution,
            created_at: now(),
        };
        vault.insert_user(&tx, &org, &recovery_id, &recovery, &recovery_secret)?;
        vault.insert_slot(&tx, 2, "recovery", &recovery_id, None, &recovery_kdf, &recovery_kek, &recovery_secret)?;
        tx.commit()?;
        Ok((vault, code))
    }

    /// Unlocks as a named user with their passphrase. A wrong passphrase
    /// changes nothing on disk.
    pub fn unlock(path: &Path, name: &str, passphrase: &str) -> Result<Vault> {
        let store = Store::open(path)?;
        let vault_id = read_vault_id(&store.conn)?;
        let tag = keyslot::name_tag(&vault_id, name);
        let slot: Option<(i64, String, Option<Vec<u8>>)> = store
            .conn
            .query_row(
                "SELECT id, kdf, wrapped FROM key_slots WHERE kind = 'user' AND name_tag = ?1",
                [tag],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .optional()?;
        let (slot_id, kdf, wrapped) = slot.ok_or_else(|| VaultError::UnknownUser(name.trim().to_owned()))?;
        let wrapped = wrapped.ok_or_else(|| VaultError::SlotRevoked(name.trim().to_owned()))?;
        let kdf: SlotKdf = serde_json::from_str(&kdf).map_err(|e| VaultError::Storage(format!("key slot {slot_id}: {e}")))?;
        let kek = kdf.derive(passphrase.as_bytes())?;
        let payload = keyslot::unwrap(&kek, &vault_id, slot_id, &wrapped).ok_or(VaultError::WrongPassphrase)?;
        Self::finish_unlock(store, vault_id, slot_id, payload, "passphrase")
    }

    /// Unlocks with the recovery code, as the recovery identity (which may
    /// only restore access: reset a passphrase or add an administrator).
    pub fn unlock_with_recovery(path: &Path, code: &RecoveryCode) -> Result<Vault> {
        let store = Store::open(path)?;
        let vault_id = read_vault_id(&store.conn)?;
        let (slot_id, kdf, wrapped): (i64, String, Option<Vec<u8>>) = store.conn.query_row(
            "SELECT id, kdf, wrapped FROM key_slots WHERE kind = 'recovery' ORDER BY id DESC LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )?;
        let wrapped = wrapped.ok_or(VaultError::BadRecoveryCode)?;
        let kdf: SlotKdf = serde_json::from_str(&kdf).map_err(|e| VaultError::Storage(format!("key slot {slot_id}: {e}")))?;
        let kek = kdf.derive(&code.secret())?;
        let payload = keyslot::unwrap(&kek, &vault_id, slot_id, &wrapped).ok_or(VaultError::BadRecoveryCode)?;
        Self::finish_unlock(store, vault_id, slot_id, payload, "recovery_code")
    }

    fn finish_unlock(mut store: Store, vault_id: String, slot_id: i64, payload: SlotPayload, method: &str) -> Result<Vault> {
        store.upgrade()?;
        let keys = Subkeys::derive(&payload.master, &vault_id);
        let org_bytes: Vec<u8> =
            store.conn.query_row("SELECT value FROM meta WHERE key = 'org_public_key'", [], |r| r.get(0))?;
        let org_public = identity::public_from_bytes(&org_bytes)
            .ok_or_else(|| VaultError::RecordCorrupt { record: "meta/org_public_key".into() })?;
        let user_id: String = store.conn.query_row("SELECT user_id FROM key_slots WHERE id = ?1", [slot_id], |r| r.get(0))?;
        let signing = identity::signing_key(&payload.signing_secret);
        let placeholder = Me {
            user_id: user_id.clone(),
            name: String::new(),
            role: Role::Reviewer,
            institution: String::new(),
            key_id: identity::key_id(&signing.verifying_key()),
        };
        let mut vault =
            Vault { store, vault_id, master: payload.master.clone(), keys, org_public, me: placeholder, slot_id, signing };
        let body: UserBody = vault.read_user_body(&user_id)?;
        vault.me.name = body.name;
        vault.me.role = body.role;
        vault.me.institution = body.institution;
        let tx = vault.store.conn.unchecked_transaction()?;
        vault.log(&tx, VAULT_CHAIN, Event::new("VAULT_UNLOCKED").detail("method", method))?;
        tx.commit()?;
        Ok(vault)
    }

    /// Locks the vault: the keys are wiped and the file lock released.
    pub fn lock(self) {}

    /// Who the vault is unlocked as.
    pub fn me(&self) -> &Me {
        &self.me
    }

    pub fn vault_id(&self) -> &str {
        &self.vault_id
    }

    pub fn path(&self) -> &Path {
        self.store.path()
    }

    /// The organisation's public key (raw 32 bytes) and its key id.
    pub fn organisation_key(&self) -> (VerifyingKey, String) {
        (self.org_public, identity::key_id(&self.org_public))
    }

    pub(crate) fn require(&self, allowed: bool, action: &'static str) -> Result<()> {
        if allowed {
            Ok(())
        } else {
            Err(VaultError::NotPermitted { role: self.me.role.to_string(), action })
        }
    }

    // ---- sealed rows -------------------------------------------------------

    pub(crate) fn seal_row<T: Serialize + ?Sized>(&self, table: &str, row_id: &str, value: &T) -> Vec<u8> {
        let plain = zeroize::Zeroizing::new(serde_json::to_vec(value).expect("records serialise"));
        let ad = RowAd { vault_id: &self.vault_id, table, row_id, schema_version: FORMAT_VERSION }.bytes();
        crypto::seal(&self.keys.records, &ad, &plain)
    }

    /// Seals `body` as revision `rev` of `id` in a `*_revisions` table and
    /// returns the SHA-256 of its plaintext, for the custody line.
    pub(crate) fn insert_revision<T: Serialize>(
        &self,
        conn: &Connection,
        table: &str,
        owner_column: &str,
        id: &str,
        rev: u32,
        body: &T,
    ) -> Result<String> {
        let digest = crypto::sha256_hex(&serde_json::to_vec(body).expect("records serialise"));
        conn.execute(
            &format!("INSERT INTO {table} ({owner_column}, rev, sv, body) VALUES (?1, ?2, ?3, ?4)"),
            params![id, rev, FORMAT_VERSION, self.seal_row(table, &format!("{id}/{rev}"), body)],
        )?;
        Ok(digest)
    }

    /// Opens a sealed row; a failure names the row and affects nothing else.
    pub(crate) fn open_row<T: DeserializeOwned>(&self, table: &str, row_id: &str, sv: u32, body: &[u8]) -> Result<T> {
        let corrupt = || VaultError::RecordCorrupt { record: format!("{table}/{row_id}") };
        let ad = RowAd { vault_id: &self.vault_id, table, row_id, schema_version: sv }.bytes();
        let plain = crypto::open(&self.keys.records, &ad, body).ok_or_else(corrupt)?;
        serde_json::from_slice(&plain).map_err(|_| corrupt())
    }

    // ---- custody ---------------------------------------------------------

    fn actor(&self) -> Actor {
        Actor {
            key: self.me.key_id.clone(),
            name: self.me.name.clone(),
            role: self.me.role.to_string(),
            institution: self.me.institution.clone(),
        }
    }

    /// Appends a signed line to `chain` inside the caller's transaction.
    pub(crate) fn log(&self, conn: &Connection, chain: &str, event: Event) -> Result<Entry> {
        let last: Option<(u64, u32, Vec<u8>)> = conn
            .query_row(
                "SELECT seq, sv, body FROM custody WHERE chain = ?1 ORDER BY seq DESC LIMIT 1",
                [chain],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .optional()?;
        let (seq, prev) = match last {
            None => (1, GENESIS_PREV.to_owned()),
            Some((seq, sv, body)) => {
                let line: SignedLine = self.open_row("custody", &format!("{chain}/{seq}"), sv, &body)?;
                (seq + 1, crypto::sha256_hex(line.line.as_bytes()))
            }
        };
        let entry = Entry::build(seq, prev, event, self.actor());
        let line = entry.to_line();
        let sig = identity::sign_b64(&self.signing, line.as_bytes());
        let body = self.seal_row("custody", &format!("{chain}/{seq}"), &SignedLine { line, sig });
        conn.execute(
            "INSERT INTO custody (chain, seq, sv, body) VALUES (?1, ?2, ?3, ?4)",
            params![chain, seq, FORMAT_VERSION, body],
        )?;
        Ok(entry)
    }

    /// The lines of a chain, decrypted, in order. A line whose seal fails is
    /// reported by number.
    pub fn custody_lines(&self, chain: &str) -> Result<Vec<SignedLine>> {
        self.custody_rows(chain)?.into_iter().map(|(_, line)| line).collect()
    }

    /// Every stored row of a chain, in order, each opened on its own: a row
    /// whose seal fails is an error in its place (naming it), and the rows
    /// around it still open — for showing what can be read of a damaged
    /// chain.
    pub fn custody_rows(&self, chain: &str) -> Result<Vec<(u64, Result<SignedLine>)>> {
        let mut stmt = self.store.conn.prepare("SELECT seq, sv, body FROM custody WHERE chain = ?1 ORDER BY seq")?;
        let rows = stmt.query_map([chain], |r| Ok((r.get::<_, u64>(0)?, r.get::<_, u32>(1)?, r.get::<_, Vec<u8>>(2)?)))?;
        let mut out = Vec::new();
        for row in rows {
            let (seq, sv, body) = row?;
            let line = self.open_row("custody", &format!("{chain}/{seq}"), sv, &body).map_err(|_| VaultError::Custody {
                chain: chain.to_owned(),
                line: seq,
                fault: crate::error::CustodyFault::Malformed("the stored entry was altered or moved".into()),
            });
            out.push((seq, line));
        }
        Ok(out)
    }

    /// Verifies one chain: `vault`, or a case id.
    pub fn verify_chain(&self, chain: &str) -> Result<ChainSummary> {
        let lines = self.custody_lines(chain)?;
        let book = self.key_book()?;
        custody::verify_chain(chain, &lines, &book)
    }

    /// Verifies the vault chain and every case chain; one result per chain.
    pub fn verify_all(&self) -> Result<Vec<(String, Result<ChainSummary>)>> {
        let mut chains = vec![VAULT_CHAIN.to_owned()];
        let mut stmt = self.store.conn.prepare("SELECT id FROM cases ORDER BY rowid")?;
        for id in stmt.query_map([], |r| r.get::<_, String>(0))? {
            chains.push(id?);
        }
        let book = self.key_book()?;
        Ok(chains
            .into_iter()
            .map(|c| {
                let result = self.custody_lines(&c).and_then(|lines| custody::verify_chain(&c, &lines, &book));
                (c, result)
            })
            .collect())
    }

    /// Every signing key with its certificate checked against the
    /// organisation key and its revocation time from the vault chain.
    pub fn key_book(&self) -> Result<impl custody::KeyBook> {
        let revoked = match self.custody_lines(VAULT_CHAIN) {
            Ok(lines) => custody::revocations(&lines),
            Err(_) => Vec::new(),
        };
        let mut stmt = self.store.conn.prepare("SELECT key_id, public_key, sv, body FROM signing_keys")?;
        let rows = stmt.query_map([], |r| {
            Ok((r.get::<_, String>(0)?, r.get::<_, Vec<u8>>(1)?, r.get::<_, u32>(2)?, r.get::<_, Vec<u8>>(3)?))
        })?;
        let mut known = std::collections::HashMap::new();
        for row in rows {
            let (key_id, public, sv, body) = row?;
            let Some(public) = identity::public_from_bytes(&public) else { continue };
            let certificate = self
                .open_row::<SignedCertificate>("signing_keys", &key_id, sv, &body)
                .map_err(|_| crate::error::CertificateFault::Unreadable)
                .and_then(|c| c.verify(&self.org_public, &public).map(|_| ()));
            let revoked_at = revoked.iter().find(|(k, _)| *k == key_id).map(|(_, at)| *at);
            known.insert(key_id, KnownKey { public, certificate, revoked_at });
        }
        Ok(move |id: &str| known.get(id).cloned())
    }

    // ---- users (shared by users.rs) ---------------------------------------

    pub(crate) fn read_user_body(&self, user_id: &str) -> Result<UserBody> {
        let (sv, body): (u32, Vec<u8>) = self
            .store
            .conn
            .query_row("SELECT sv, body FROM users WHERE id = ?1", [user_id], |r| Ok((r.get(0)?, r.get(1)?)))
            .optional()?
            .ok_or_else(|| VaultError::RecordNotFound { kind: "user", id: user_id.to_owned() })?;
        self.open_row("users", user_id, sv, &body)
    }

    pub(crate) fn insert_user(
        &self,
        conn: &Connection,
        org: &SigningKey,
        user_id: &str,
        body: &UserBody,
        signing_secret: &Key,
    ) -> Result<()> {
        conn.execute(
            "INSERT INTO users (id, sv, body) VALUES (?1, ?2, ?3)",
            params![user_id, FORMAT_VERSION, self.seal_row("users", user_id, body)],
        )?;
        let key_id = self.certify_key(conn, org, user_id, body, signing_secret)?;
        self.log(
            conn,
            VAULT_CHAIN,
            Event::new("USER_ADDED")
                .detail("user_id", user_id)
                .detail("name", body.name.clone())
                .detail("role", body.role.as_str())
                .detail("key_id", key_id),
        )?;
        Ok(())
    }

    /// Issues and stores the organisation's certificate for a signing key.
    pub(crate) fn certify_key(
        &self,
        conn: &Connection,
        org: &SigningKey,
        user_id: &str,
        body: &UserBody,
        signing_secret: &Key,
    ) -> Result<String> {
        let public = identity::signing_key(signing_secret).verifying_key();
        let key_id = identity::key_id(&public);
        let cert = identity::Certificate {
            kind: "relato-signer-certificate".into(),
            org_key: identity::key_id(&org.verifying_key()),
            key_id: key_id.clone(),
            public_key: identity::b64(public.as_bytes()),
            user_id: user_id.to_owned(),
            name: body.name.clone(),
            role: body.role,
            institution: body.institution.clone(),
            issued: now(),
        };
        let signed = SignedCertificate::issue(org, &cert);
        conn.execute(
            "INSERT INTO signing_keys (key_id, user_id, public_key, sv, body) VALUES (?1, ?2, ?3, ?4, ?5)",
            params![key_id, user_id, public.as_bytes().to_vec(), FORMAT_VERSION, self.seal_row("signing_keys", &key_id, &signed)],
        )?;
        self.log(
            conn,
            VAULT_CHAIN,
            Event::new("KEY_CERTIFIED")
                .object("certificate", &key_id, crypto::sha256_hex(signed.line.as_bytes()))
                .detail("user_id", user_id)
                .detail("key_id", key_id.clone()),
        )?;
        Ok(key_id)
    }

    #[allow(clippy::too_many_arguments)]
    pub(crate) fn insert_slot(
        &self,
        conn: &Connection,
        slot_id: i64,
        kind: &str,
        user_id: &str,
        login: Option<&str>,
        kdf: &SlotKdf,
        kek: &Key,
        signing_secret: &Key,
    ) -> Result<()> {
        let payload = SlotPayload { master: self.master.clone(), signing_secret: signing_secret.clone() };
        let wrapped = keyslot::wrap(kek, &self.vault_id, slot_id, &payload);
        let tag = login.map(|n| keyslot::name_tag(&self.vault_id, n));
        conn.execute(
            "INSERT INTO key_slots (id, kind, user_id, name_tag, kdf, wrapped) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![slot_id, kind, user_id, tag, serde_json::to_string(kdf).expect("kdf serialises"), wrapped],
        )?;
        Ok(())
    }

    pub(crate) fn org_signing_key(&self) -> Result<SigningKey> {
        let (sv, body): (u32, Vec<u8>) =
            self.store.conn.query_row("SELECT sv, body FROM secrets WHERE id = 'org'", [], |r| Ok((r.get(0)?, r.get(1)?)))?;
        let b64: zeroize::Zeroizing<String> = zeroize::Zeroizing::new(self.open_row("secrets", "org", sv, &body)?);
        let raw = zeroize::Zeroizing::new(
            base64::Engine::decode(&base64::engine::general_purpose::STANDARD, b64.as_bytes())
                .map_err(|_| VaultError::RecordCorrupt { record: "secrets/org".into() })?,
        );
        let arr: [u8; 32] =
            raw.as_slice().try_into().map_err(|_| VaultError::RecordCorrupt { record: "secrets/org".into() })?;
        Ok(SigningKey::from_bytes(&arr))
    }

    pub(crate) fn next_slot_id(&self, conn: &Connection) -> Result<i64> {
        Ok(conn.query_row("SELECT COALESCE(MAX(id), 0) + 1 FROM key_slots", [], |r| r.get(0))?)
    }
}

fn read_vault_id(conn: &Connection) -> Result<String> {
    Ok(conn.query_row("SELECT value FROM meta WHERE key = 'vault_id'", [], |r| r.get(0))?)
}

pub(crate) fn check_name(name: &str) -> Result<()> {
    let n = name.trim();
    if n.is_empty() {
        return Err(VaultError::Empty { field: "name" });
    }
    if n.chars().count() > 80 {
        return Err(VaultError::TooLong { field: "name", max: 80 });
    }
    if n.chars().any(|c| c.is_control()) {
        return Err(VaultError::ControlCharacters { field: "name" });
    }
    if n.eq_ignore_ascii_case(RECOVERY_NAME) {
        return Err(VaultError::ReservedName(n.to_owned()));
    }
    Ok(())
}

pub(crate) fn now() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}

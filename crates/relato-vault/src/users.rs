//! People and their access: adding users, changing and resetting
//! passphrases, revoking access. Every change is a line in the `vault`
//! custody chain, signed by whoever made it.
//!
//! Changing one's own passphrase re-wraps the same master key and signing
//! key under a new Argon2id salt. Resetting someone else's passphrase cannot
//! recover their signing key (only their slot holds it), so the reset issues
//! a new certified key and revokes the old one; signatures made before the
//! revocation stay valid.

use rusqlite::{params, OptionalExtension};
use serde::Serialize;

use crate::custody::{Event, VAULT_CHAIN};
use crate::error::{Result, VaultError};
use crate::identity::{self, Role};
use crate::keyslot::{self, KdfParams, SlotKdf};
use crate::vault::{check_name, now, UserBody, Vault};
use crate::crypto;

/// A user as listed to administrators.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct UserInfo {
    pub id: String,
    pub name: String,
    pub role: Role,
    pub institution: String,
    /// The key the user currently signs with.
    pub key_id: String,
    /// False once the user's access was revoked.
    pub active: bool,
}

struct SlotRow {
    id: i64,
    user_id: String,
    active: bool,
}

impl Vault {
    /// Adds a person with a role and their own passphrase.
    pub fn add_user(
        &self,
        name: &str,
        role: Role,
        passphrase: &str,
        institution: Option<&str>,
        kdf: KdfParams,
    ) -> Result<UserInfo> {
        self.require(self.me.role.may_manage_users(), "add_users")?;
        check_name(name)?;
        keyslot::check_passphrase_strength(passphrase)?;
        if role == Role::Recovery {
            return Err(VaultError::UnknownRole(role.to_string()));
        }
        if self.slot_for(name)?.is_some() {
            return Err(VaultError::UserExists(name.trim().to_owned()));
        }
        let slot_kdf = SlotKdf::new(kdf);
        let kek = slot_kdf.derive(passphrase.as_bytes())?;
        let user_id = crypto::new_id("user");
        let body = UserBody {
            name: name.trim().to_owned(),
            role,
            institution: institution.map(str::trim).filter(|s| !s.is_empty()).unwrap_or(&self.me.institution).to_owned(),
            created_at: now(),
        };
        let secret = identity::new_signing_secret();
        let org = self.org_signing_key()?;
        let tx = self.store.conn.unchecked_transaction()?;
        self.insert_user(&tx, &org, &user_id, &body, &secret)?;
        let slot_id = self.next_slot_id(&tx)?;
        self.insert_slot(&tx, slot_id, "user", &user_id, Some(&body.name), &slot_kdf, &kek, &secret)?;
        tx.commit()?;
        self.user(name)
    }

    /// All users, including revoked ones and the recovery identity.
    /// Maps user ids to login names, for showing who did something; an id
    /// the role may not look up (or an unknown one) is shown as itself.
    pub fn user_names(&self) -> impl Fn(&str) -> String {
        let users = self.users().unwrap_or_default();
        move |id: &str| users.iter().find(|u| u.id == id).map(|u| u.name.clone()).unwrap_or_else(|| id.to_owned())
    }

    pub fn users(&self) -> Result<Vec<UserInfo>> {
        self.require(self.me.role.may_manage_users() || self.me.role.may_read_cases(), "list_users")?;
        let ids: Vec<String> = {
            let mut stmt = self.store.conn.prepare("SELECT id FROM users ORDER BY rowid")?;
            let rows = stmt.query_map([], |r| r.get(0))?;
            rows.collect::<rusqlite::Result<_>>()?
        };
        ids.iter().map(|id| self.user_by_id(id)).collect()
    }

    /// One user by login name.
    pub fn user(&self, name: &str) -> Result<UserInfo> {
        let slot = self.slot_for(name)?.ok_or_else(|| VaultError::UnknownUser(name.trim().to_owned()))?;
        self.user_by_id(&slot.user_id)
    }

    pub(crate) fn user_by_id(&self, user_id: &str) -> Result<UserInfo> {
        let body = self.read_user_body(user_id)?;
        let key_id: String = self.store.conn.query_row(
            "SELECT key_id FROM signing_keys WHERE user_id = ?1 ORDER BY rowid DESC LIMIT 1",
            [user_id],
            |r| r.get(0),
        )?;
        let active: bool = self.store.conn.query_row(
            "SELECT COUNT(*) > 0 FROM key_slots WHERE user_id = ?1 AND wrapped IS NOT NULL",
            [user_id],
            |r| r.get(0),
        )?;
        Ok(UserInfo { id: user_id.to_owned(), name: body.name, role: body.role, institution: body.institution, key_id, active })
    }

    /// Changes the passphrase of the user the vault is unlocked as.
    pub fn change_own_passphrase(&self, new_passphrase: &str, kdf: KdfParams) -> Result<()> {
        if self.me.role == Role::Recovery {
            return Err(VaultError::NotPermitted { role: self.me.role.to_string(), action: "change_own_passphrase" });
        }
        keyslot::check_passphrase_strength(new_passphrase)?;
        let slot_kdf = SlotKdf::new(kdf);
        let kek = slot_kdf.derive(new_passphrase.as_bytes())?;
        let secret = crypto::Key(self.signing.to_bytes());
        let payload = keyslot::SlotPayload { master: self.master.clone(), signing_secret: secret };
        let wrapped = keyslot::wrap(&kek, &self.vault_id, self.slot_id, &payload);
        let tx = self.store.conn.unchecked_transaction()?;
        tx.execute(
            "UPDATE key_slots SET kdf = ?1, wrapped = ?2 WHERE id = ?3 AND wrapped IS NOT NULL",
            params![serde_json::to_string(&slot_kdf).expect("kdf serialises"), wrapped, self.slot_id],
        )?;
        self.log(&tx, VAULT_CHAIN, Event::new("PASSPHRASE_CHANGED").detail("user_id", self.me.user_id.clone()))?;
        tx.commit()?;
        Ok(())
    }

    /// Sets a new passphrase for another user (administrators and the
    /// recovery identity). The user gets a new signing key; the old one is
    /// revoked from now on. A revoked user is re-activated.
    pub fn reset_passphrase(&self, name: &str, new_passphrase: &str, kdf: KdfParams) -> Result<UserInfo> {
        self.require(self.me.role.may_manage_users(), "reset_passphrases")?;
        keyslot::check_passphrase_strength(new_passphrase)?;
        let slot = self.slot_for(name)?.ok_or_else(|| VaultError::UnknownUser(name.trim().to_owned()))?;
        if slot.user_id == self.me.user_id {
            // One's own passphrase changes without a new key.
            self.change_own_passphrase(new_passphrase, kdf)?;
            return self.user_by_id(&slot.user_id);
        }
        let body = self.read_user_body(&slot.user_id)?;
        let old = self.user_by_id(&slot.user_id)?;
        let slot_kdf = SlotKdf::new(kdf);
        let kek = slot_kdf.derive(new_passphrase.as_bytes())?;
        let secret = identity::new_signing_secret();
        let org = self.org_signing_key()?;
        let payload = keyslot::SlotPayload { master: self.master.clone(), signing_secret: secret.clone() };
        let wrapped = keyslot::wrap(&kek, &self.vault_id, slot.id, &payload);
        let tx = self.store.conn.unchecked_transaction()?;
        self.log(
            &tx,
            VAULT_CHAIN,
            Event::new("KEY_REVOKED")
                .detail("user_id", slot.user_id.clone())
                .detail("key_id", old.key_id.clone())
                .detail("reason", "passphrase_reset"),
        )?;
        let new_key = self.certify_key(&tx, &org, &slot.user_id, &body, &secret)?;
        tx.execute(
            "UPDATE key_slots SET kdf = ?1, wrapped = ?2 WHERE id = ?3",
            params![serde_json::to_string(&slot_kdf).expect("kdf serialises"), wrapped, slot.id],
        )?;
        self.log(
            &tx,
            VAULT_CHAIN,
            Event::new("PASSPHRASE_RESET").detail("user_id", slot.user_id.clone()).detail("key_id", new_key),
        )?;
        tx.commit()?;
        self.user_by_id(&slot.user_id)
    }

    /// Revokes a user's access: their slot is erased and their key revoked.
    /// Past signatures stay valid; the records they made stay.
    pub fn revoke_user(&self, name: &str) -> Result<UserInfo> {
        self.require(self.me.role.may_manage_users(), "revoke_users")?;
        let slot = self.slot_for(name)?.ok_or_else(|| VaultError::UnknownUser(name.trim().to_owned()))?;
        if !slot.active {
            return Err(VaultError::SlotRevoked(name.trim().to_owned()));
        }
        if slot.user_id == self.me.user_id {
            return Err(VaultError::CannotRevokeSelf);
        }
        let target = self.user_by_id(&slot.user_id)?;
        if target.role == Role::Administrator {
            let admins = self.users()?.into_iter().filter(|u| u.active && u.role == Role::Administrator).count();
            if admins <= 1 {
                return Err(VaultError::LastAdministrator);
            }
        }
        let tx = self.store.conn.unchecked_transaction()?;
        tx.execute("UPDATE key_slots SET wrapped = NULL WHERE id = ?1", [slot.id])?;
        self.log(
            &tx,
            VAULT_CHAIN,
            Event::new("KEY_REVOKED")
                .detail("user_id", target.id.clone())
                .detail("key_id", target.key_id.clone())
                .detail("reason", "access_revoked"),
        )?;
        tx.commit()?;
        self.user_by_id(&slot.user_id)
    }

    fn slot_for(&self, name: &str) -> Result<Option<SlotRow>> {
        let tag = keyslot::name_tag(&self.vault_id, name);
        Ok(self
            .store
            .conn
            .query_row(
                "SELECT id, user_id, wrapped IS NOT NULL FROM key_slots WHERE kind = 'user' AND name_tag = ?1",
                [tag],
                |r| Ok(SlotRow { id: r.get(0)?, user_id: r.get(1)?, active: r.get(2)? }),
            )
            .optional()?)
    }
}

//! The custody log: hash-chained, signed JSON lines.
//!
//! Each chain (one per case, plus `vault` for users and keys) is a sequence
//! of lines. Line *n* is one JSON object whose `prev` is the SHA-256 (hex)
//! of line *n−1*'s exact bytes — 64 zeros for the first line — and whose
//! `seq` is *n* (from 1). Beside each line is a base64 Ed25519 signature by
//! the acting user's key over those same bytes. The bytes are stored as
//! written and never re-serialised, so anyone can check a chain with
//! `sha256sum` and `openssl pkeyutl -verify -rawin`.
//!
//! No child's name or identifying detail ever goes into a line; objects are
//! named by id and SHA-256 only.
//!
//! [`verify_chain`] is pure: it takes the lines and a [`KeyBook`], so the
//! same code checks a vault's chains and, later, an exported bundle.

use chrono::{DateTime, Local, SecondsFormat, Utc};
use ed25519_dalek::VerifyingKey;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::crypto::sha256_hex;
use crate::error::{CertificateFault, CustodyFault, Result, VaultError};
use crate::identity::verify_b64;

/// `prev` of the first line.
pub const GENESIS_PREV: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// The chain that holds user and key events.
pub const VAULT_CHAIN: &str = "vault";

/// Who acted, as the custody line records it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Actor {
    pub key: String,
    pub name: String,
    pub role: String,
    pub institution: String,
}

/// Something the event touched, by id and content hash.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ObjectRef {
    pub kind: String,
    pub id: String,
    pub sha256: String,
}

/// One custody entry. Field order is the serialised order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Entry {
    pub seq: u64,
    pub prev: String,
    pub event: String,
    /// UTC, RFC 3339 with milliseconds.
    pub time: String,
    /// The local UTC offset when the entry was written, `±HH:MM`.
    pub offset: String,
    /// Where the time came from. Offline, it is the operating system clock.
    pub clock: String,
    pub actor: Actor,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub objects: Vec<ObjectRef>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub purpose: Option<String>,
    #[serde(default, skip_serializing_if = "Map::is_empty")]
    pub details: Map<String, Value>,
    pub host: String,
    pub app: String,
}

/// What an event is about, before the chain fields are filled in.
#[derive(Debug, Clone, Default)]
pub struct Event {
    pub name: String,
    pub objects: Vec<ObjectRef>,
    pub purpose: Option<String>,
    pub details: Map<String, Value>,
}

impl Event {
    pub fn new(name: &str) -> Event {
        Event { name: name.to_owned(), ..Event::default() }
    }

    pub fn object(mut self, kind: &str, id: &str, sha256: String) -> Event {
        self.objects.push(ObjectRef { kind: kind.into(), id: id.into(), sha256 });
        self
    }

    pub fn detail(mut self, key: &str, value: impl Into<Value>) -> Event {
        self.details.insert(key.into(), value.into());
        self
    }

    pub fn purpose(mut self, purpose: impl Into<String>) -> Event {
        self.purpose = Some(purpose.into());
        self
    }
}

/// A line as stored and exported: exact bytes plus signature.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SignedLine {
    pub line: String,
    pub sig: String,
}

impl Entry {
    pub(crate) fn build(seq: u64, prev: String, event: Event, actor: Actor) -> Entry {
        let now = Utc::now();
        Entry {
            seq,
            prev,
            event: event.name,
            time: now.to_rfc3339_opts(SecondsFormat::Millis, true),
            offset: Local::now().offset().to_string(),
            clock: "system".into(),
            actor,
            objects: event.objects,
            purpose: event.purpose,
            details: event.details,
            host: gethostname::gethostname().to_string_lossy().into_owned(),
            app: concat!("relato ", env!("CARGO_PKG_VERSION")).into(),
        }
    }

    pub(crate) fn to_line(&self) -> String {
        serde_json::to_string(self).expect("custody entries serialise")
    }
}

/// The verifier's view of a signing key.
#[derive(Debug, Clone)]
pub struct KnownKey {
    pub public: VerifyingKey,
    /// Whether the organisation certificate of the key checks out.
    pub certificate: std::result::Result<(), CertificateFault>,
    /// When the key was revoked, if it was.
    pub revoked_at: Option<DateTime<Utc>>,
}

/// Looks keys up by id.
pub trait KeyBook {
    fn key(&self, key_id: &str) -> Option<KnownKey>;
}

impl<F: Fn(&str) -> Option<KnownKey>> KeyBook for F {
    fn key(&self, key_id: &str) -> Option<KnownKey> {
        self(key_id)
    }
}

/// A chain that verified.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ChainSummary {
    pub chain: String,
    pub lines: u64,
    /// SHA-256 of the last line, `GENESIS_PREV` for an empty chain.
    pub head: String,
}

/// Parts of a line the verifier needs; everything else is carried as is.
#[derive(Deserialize)]
struct LineView {
    seq: u64,
    prev: String,
    event: String,
    time: String,
    actor: ActorView,
    #[serde(default)]
    details: Map<String, Value>,
}

#[derive(Deserialize)]
struct ActorView {
    key: String,
}

/// Checks a whole chain: sequence, links, signatures, certificates and
/// revocations. The error names the first line (1-based) that fails.
///
/// A key counts as revoked for a line if the key book says it was revoked at
/// or before the line's time, or if an earlier line of this same chain is a
/// `KEY_REVOKED` for it (which a backdated line cannot escape).
pub fn verify_chain(chain: &str, lines: &[SignedLine], keys: &dyn KeyBook) -> Result<ChainSummary> {
    let mut prev = GENESIS_PREV.to_owned();
    let mut revoked_here: Vec<String> = Vec::new();
    for (i, signed) in lines.iter().enumerate() {
        let n = i as u64 + 1;
        let fail = |fault| VaultError::Custody { chain: chain.to_owned(), line: n, fault };
        let view: LineView =
            serde_json::from_str(&signed.line).map_err(|e| fail(CustodyFault::Malformed(e.to_string())))?;
        if signed.line.contains('\n') {
            return Err(fail(CustodyFault::Malformed("line contains a newline".into())));
        }
        if view.seq != n {
            return Err(fail(CustodyFault::Sequence { expected: n, found: view.seq }));
        }
        if view.prev != prev {
            return Err(fail(CustodyFault::Chain));
        }
        let time = DateTime::parse_from_rfc3339(&view.time)
            .map_err(|e| fail(CustodyFault::Malformed(format!("time: {e}"))))?
            .with_timezone(&Utc);
        let key = keys.key(&view.actor.key).ok_or_else(|| fail(CustodyFault::UnknownKey(view.actor.key.clone())))?;
        if !verify_b64(&key.public, signed.line.as_bytes(), &signed.sig) {
            return Err(fail(CustodyFault::Signature));
        }
        if let Err(fault) = key.certificate {
            return Err(fail(CustodyFault::Certificate { key: view.actor.key.clone(), fault }));
        }
        let revoked_by_time = key.revoked_at.is_some_and(|at| at <= time);
        if revoked_by_time || revoked_here.contains(&view.actor.key) {
            return Err(fail(CustodyFault::RevokedKey(view.actor.key.clone())));
        }
        if view.event == "KEY_REVOKED" {
            if let Some(Value::String(k)) = view.details.get("key_id") {
                revoked_here.push(k.clone());
            }
        }
        prev = sha256_hex(signed.line.as_bytes());
    }
    Ok(ChainSummary { chain: chain.to_owned(), lines: lines.len() as u64, head: prev })
}

/// Revocation times announced by `KEY_REVOKED` lines of a (verified) chain.
pub fn revocations(lines: &[SignedLine]) -> Vec<(String, DateTime<Utc>)> {
    lines
        .iter()
        .filter_map(|l| serde_json::from_str::<LineView>(&l.line).ok())
        .filter(|v| v.event == "KEY_REVOKED")
        .filter_map(|v| {
            let key = v.details.get("key_id")?.as_str()?.to_owned();
            let at = DateTime::parse_from_rfc3339(&v.time).ok()?.with_timezone(&Utc);
            Some((key, at))
        })
        .collect()
}

//! Domain records: cases and sessions, and the rules their fields follow.
//!
//! Both are stored as sealed revisions; an edit adds a revision and the
//! earlier ones stay. Nothing here holds a child's name: a session names the
//! child by a *code* (which must contain a digit, so that a name typed by
//! habit is refused) and an age in years.

use serde::{Deserialize, Serialize};

use crate::error::{Result, VaultError};

/// A case groups the sessions of one matter. Place and institution are free
/// text; later they group cases for pattern analysis.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Case {
    pub id: String,
    pub rev: u32,
    pub reference: String,
    pub place: Option<String>,
    pub institution: Option<String>,
    pub created_at: String,
    /// User id of whoever wrote this revision.
    pub author: String,
}

/// Fields for a new case, or the new values of an edit.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseFields {
    pub reference: String,
    pub place: Option<String>,
    pub institution: Option<String>,
}

impl CaseFields {
    pub(crate) fn validate(&self) -> Result<()> {
        text("reference", &self.reference, 1, 80)?;
        opt_text("place", &self.place, 200)?;
        opt_text("institution", &self.institution, 200)
    }
}

/// Spoken language of the interview.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Language {
    Es,
    En,
}

impl std::str::FromStr for Language {
    type Err = VaultError;
    fn from_str(s: &str) -> Result<Language> {
        match s.trim().to_lowercase().as_str() {
            "es" | "es-mx" => Ok(Language::Es),
            "en" => Ok(Language::En),
            other => Err(VaultError::UnknownValue { field: "language", value: other.to_owned(), allowed: "es, en".into() }),
        }
    }
}

impl Language {
    pub fn as_str(self) -> &'static str {
        match self {
            Language::Es => "es",
            Language::En => "en",
        }
    }
}

/// Who was in the room or behind the mirror, by role (never by name).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PresentRole {
    Interviewer,
    Psychologist,
    Guardian,
    LegalRepresentative,
    PublicProsecutor,
    ChildRightsAdvocate,
    Interpreter,
    Other,
}

impl PresentRole {
    pub const ALL: [PresentRole; 8] = [
        PresentRole::Interviewer,
        PresentRole::Psychologist,
        PresentRole::Guardian,
        PresentRole::LegalRepresentative,
        PresentRole::PublicProsecutor,
        PresentRole::ChildRightsAdvocate,
        PresentRole::Interpreter,
        PresentRole::Other,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            PresentRole::Interviewer => "interviewer",
            PresentRole::Psychologist => "psychologist",
            PresentRole::Guardian => "guardian",
            PresentRole::LegalRepresentative => "legal_representative",
            PresentRole::PublicProsecutor => "public_prosecutor",
            PresentRole::ChildRightsAdvocate => "child_rights_advocate",
            PresentRole::Interpreter => "interpreter",
            PresentRole::Other => "other",
        }
    }
}

impl std::str::FromStr for PresentRole {
    type Err = VaultError;
    fn from_str(s: &str) -> Result<PresentRole> {
        let wanted = s.trim().to_lowercase().replace('-', "_");
        PresentRole::ALL.into_iter().find(|r| r.as_str() == wanted).ok_or_else(|| {
            let all: Vec<&str> = PresentRole::ALL.iter().map(|r| r.as_str()).collect();
            VaultError::UnknownValue { field: "persons_present", value: s.to_owned(), allowed: all.join(", ") }
        })
    }
}

/// One interview with one child.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Session {
    pub id: String,
    pub case_id: String,
    pub rev: u32,
    #[serde(flatten)]
    pub fields: SessionFields,
    pub created_at: String,
    pub author: String,
}

/// The editable metadata of a session.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionFields {
    pub child_code: String,
    pub age_years: u8,
    pub language: Language,
    /// User id of the interviewer.
    pub interviewer: String,
    pub persons_present: Vec<PresentRole>,
    pub protocol: Option<String>,
    pub consent_reference: Option<String>,
    /// General location (municipality, office), never an address.
    pub location: Option<String>,
}

/// Oldest age accepted: the product serves children and adolescents.
pub const MAX_AGE_YEARS: u8 = 17;

impl SessionFields {
    pub(crate) fn validate(&self) -> Result<()> {
        let code = self.child_code.trim();
        text("child_code", code, 1, 32)?;
        if !code.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
            || !code.chars().any(|c| c.is_ascii_digit())
        {
            return Err(VaultError::NotAChildCode);
        }
        if self.age_years > MAX_AGE_YEARS {
            return Err(VaultError::AgeOutOfRange { age: self.age_years, max: MAX_AGE_YEARS });
        }
        opt_text("protocol", &self.protocol, 120)?;
        opt_text("consent_reference", &self.consent_reference, 120)?;
        opt_text("location", &self.location, 200)
    }
}

fn text(field: &'static str, value: &str, min: usize, max: usize) -> Result<()> {
    let n = value.trim().chars().count();
    if n < min {
        return Err(VaultError::Empty { field });
    }
    if n > max {
        return Err(VaultError::TooLong { field, max });
    }
    if value.chars().any(|c| c.is_control()) {
        return Err(VaultError::ControlCharacters { field });
    }
    Ok(())
}

fn opt_text(field: &'static str, value: &Option<String>, max: usize) -> Result<()> {
    match value {
        Some(v) => text(field, v, 1, max),
        None => Ok(()),
    }
}

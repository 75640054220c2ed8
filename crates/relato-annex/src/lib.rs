//! Printable annexes: a Typst template and a JSON document of data, typeset
//! into a PDF offline.
//!
//! The template is ordinary [Typst](https://typst.app) markup, kept in
//! `assets/` so that an institution can adapt the wording of its forms
//! without touching code. It reads its data with `json("data.json")`; this
//! crate serves exactly two files to the compiler, the template and that
//! JSON, and nothing else: no file system, no packages, no network
//! (Architecture Invariant: a template cannot reach outside what it is
//! given).
//!
//! Fonts come from `typst-assets` (Libertinus Serif, New Computer Modern,
//! DejaVu Sans Mono), compiled into the binary and subset into the PDF, so
//! the same annex looks the same on every machine and in every viewer.
//!
//! The output is deterministic: the PDF's identifier and dates come from
//! the caller, so the same data gives the same bytes.
#![forbid(unsafe_code)]

use std::sync::LazyLock;

use typst::diag::{FileError, FileResult, Severity, SourceDiagnostic};
use typst::foundations::{Bytes, Datetime, Smart};
use typst::syntax::{FileId, RootedPath, Source, VirtualPath, VirtualRoot};
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;
use typst::{Library, LibraryExt, World};
use typst_layout::PagedDocument;

/// Why an annex could not be typeset.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum AnnexError {
    /// The template has an error, or failed on this data (first message).
    #[error("the annex template failed: {message}")]
    Template { message: String },
    /// The PDF writer refused the laid-out document.
    #[error("the annex could not be written as PDF: {message}")]
    Pdf { message: String },
}

/// When the document was made, for its metadata and `datetime.today()`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Made {
    pub year: i32,
    pub month: u8,
    pub day: u8,
    pub hour: u8,
    pub minute: u8,
    pub second: u8,
}

/// What to typeset.
#[derive(Debug, Clone)]
pub struct Annex<'a> {
    /// Typst markup; reads its data with `json("data.json")`.
    pub template: &'a str,
    pub data: &'a serde_json::Value,
    /// A stable identifier of this document (e.g. the bundle's manifest
    /// hash), from which the PDF's `/ID` is derived.
    pub ident: &'a str,
    /// UTC.
    pub made: Made,
}

/// Typesets `annex` into PDF bytes.
pub fn render(annex: &Annex<'_>) -> Result<Vec<u8>, AnnexError> {
    let world = AnnexWorld::new(annex)?;
    let compiled = typst::compile::<PagedDocument>(&world);
    let document = compiled.output.map_err(|errors: typst::ecow::EcoVec<SourceDiagnostic>| AnnexError::Template { message: first_message(&errors) })?;
    let made = datetime(annex.made).ok_or_else(|| AnnexError::Template { message: "invalid date".into() })?;
    let options = typst_pdf::PdfOptions {
        ident: Smart::Custom(annex.ident.to_owned()),
        creator: Smart::Custom(Some(format!("Relato {}", env!("CARGO_PKG_VERSION")))),
        timestamp: Some(typst_pdf::Timestamp::new_utc(made)),
        ..Default::default()
    };
    typst_pdf::pdf(&document, &options).map_err(|errors: typst::ecow::EcoVec<SourceDiagnostic>| AnnexError::Pdf { message: first_message(&errors) })
}

fn first_message(errors: &[SourceDiagnostic]) -> String {
    errors
        .iter()
        .find(|d| d.severity == Severity::Error)
        .or(errors.first())
        .map_or_else(|| "unknown error".into(), |d| d.message.to_string())
}

fn datetime(m: Made) -> Option<Datetime> {
    Datetime::from_ymd_hms(m.year, m.month, m.day, m.hour, m.minute, m.second)
}

/// The fonts, parsed once per process.
static FONTS: LazyLock<(LazyHash<FontBook>, Vec<Font>)> = LazyLock::new(|| {
    let fonts: Vec<Font> = typst_assets::fonts().flat_map(|data| Font::iter(Bytes::new(data))).collect();
    (LazyHash::new(FontBook::from_fonts(&fonts)), fonts)
});

static LIBRARY: LazyLock<LazyHash<Library>> = LazyLock::new(|| LazyHash::new(Library::default()));

/// The compiler's whole world: the template as `/main.typ`, the data as
/// `/data.json`.
struct AnnexWorld {
    main: Source,
    data_id: FileId,
    data: Bytes,
    today: Option<Datetime>,
}

impl AnnexWorld {
    fn new(annex: &Annex<'_>) -> Result<Self, AnnexError> {
        let id = |path: &str| -> Result<FileId, AnnexError> {
            let vpath = VirtualPath::new(path).map_err(|e| AnnexError::Template { message: format!("{e:?}") })?;
            Ok(RootedPath::new(VirtualRoot::Project, vpath).intern())
        };
        let data = serde_json::to_vec(annex.data).expect("JSON values serialise");
        Ok(Self {
            main: Source::new(id("/main.typ")?, annex.template.to_owned()),
            data_id: id("/data.json")?,
            data: Bytes::new(data),
            today: datetime(annex.made),
        })
    }
}

impl World for AnnexWorld {
    fn library(&self) -> &LazyHash<Library> {
        &LIBRARY
    }

    fn book(&self) -> &LazyHash<FontBook> {
        &FONTS.0
    }

    fn main(&self) -> FileId {
        self.main.id()
    }

    fn source(&self, id: FileId) -> FileResult<Source> {
        if id == self.main.id() {
            Ok(self.main.clone())
        } else {
            Err(not_served(id))
        }
    }

    fn file(&self, id: FileId) -> FileResult<Bytes> {
        if id == self.data_id {
            Ok(self.data.clone())
        } else if id == self.main.id() {
            Ok(Bytes::from_string(self.main.text().to_owned()))
        } else {
            Err(not_served(id))
        }
    }

    fn font(&self, index: usize) -> Option<Font> {
        FONTS.1.get(index).cloned()
    }

    fn today(&self, _offset: Option<typst::foundations::Duration>) -> Option<Datetime> {
        self.today
    }
}

fn not_served(id: FileId) -> FileError {
    FileError::NotFound(id.vpath().get_without_slash().into())
}

#[cfg(test)]
mod tests {
    use super::*;

    const MADE: Made = Made { year: 2026, month: 11, day: 30, hour: 10, minute: 0, second: 0 };

    fn render_str(template: &str, data: serde_json::Value) -> Result<Vec<u8>, AnnexError> {
        render(&Annex { template, data: &data, ident: "test", made: MADE })
    }

    #[test]
    fn typesets_data_into_a_pdf() {
        let pdf = render_str("#let d = json(\"data.json\")\n= #d.title\n#d.hash", serde_json::json!({"title": "Año", "hash": "ab"})).unwrap();
        assert!(pdf.starts_with(b"%PDF-"), "not a PDF");
        assert!(pdf.windows(8).any(|w| w == b"FontFile"), "fonts are embedded");
    }

    #[test]
    fn same_data_same_bytes() {
        let a = render_str("Hola", serde_json::json!({})).unwrap();
        let b = render_str("Hola", serde_json::json!({})).unwrap();
        assert_eq!(a, b);
    }

    #[test]
    fn a_template_error_is_reported() {
        let e = render_str("#let x = (", serde_json::json!({})).unwrap_err();
        assert!(matches!(e, AnnexError::Template { .. }), "{e:?}");
    }

    #[test]
    fn nothing_outside_the_two_files_is_served() {
        for reach in ["#read(\"/etc/passwd\")", "#image(\"/etc/hostname\")", "#import \"@preview/cetz:0.3.0\""] {
            let e = render_str(reach, serde_json::json!({})).unwrap_err();
            assert!(matches!(e, AnnexError::Template { .. }), "{reach}: {e:?}");
        }
    }
}

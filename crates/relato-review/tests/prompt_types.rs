//! The suggester against tables of real-style utterances
//! (`prompt_types_<lang>.tsv`). Every row must match; all mismatches are
//! reported at once so a rule change shows its whole effect.

use std::collections::BTreeMap;
use std::path::Path;

use relato_review::{suggest_after, Lang, PromptType};

/// Rows per language the table must hold, and per label.
const MIN_ROWS: usize = 60;
const MIN_PER_LABEL: usize = 5;

fn check(file: &str, lang: Lang) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests").join(file);
    let table = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut rows = 0;
    let mut per_label: BTreeMap<&str, usize> = BTreeMap::new();
    let mut mismatches = Vec::new();
    for (n, line) in table.lines().enumerate() {
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        let mut fields = line.split('\t');
        let label = fields.next().unwrap_or_default();
        let utterance = fields.next().unwrap_or_else(|| panic!("{file}:{}: no utterance", n + 1));
        let child_said = fields.next().filter(|s| !s.is_empty());
        assert!(fields.next().is_none(), "{file}:{}: too many columns", n + 1);
        let expected = match label {
            "none" => None,
            code => Some(PromptType::from_code(code).unwrap_or_else(|| panic!("{file}:{}: unknown label {code:?}", n + 1))),
        };
        rows += 1;
        *per_label.entry(label).or_default() += 1;
        let got = suggest_after(utterance, child_said, lang);
        if got.map(|s| s.kind) != expected {
            mismatches.push(format!(
                "{file}:{}: {utterance:?}{} expected {label}, got {}",
                n + 1,
                child_said.map(|c| format!(" (after {c:?})")).unwrap_or_default(),
                got.map_or("none".to_owned(), |s| format!("{} by {}", s.kind.code(), s.rule)),
            ));
        }
    }
    println!("{file}: {rows} rows, {} correct, by label {per_label:?}", rows - mismatches.len());
    assert!(rows >= MIN_ROWS, "{file}: only {rows} rows");
    for kind in PromptType::ALL {
        let count = per_label.get(kind.code()).copied().unwrap_or(0);
        assert!(count >= MIN_PER_LABEL, "{file}: only {count} rows labelled {}", kind.code());
    }
    assert!(mismatches.is_empty(), "{} of {rows} mismatched:\n{}", mismatches.len(), mismatches.join("\n"));
}

#[test]
fn spanish_table() {
    check("prompt_types_es.tsv", Lang::Es);
}

#[test]
fn english_table() {
    check("prompt_types_en.tsv", Lang::En);
}

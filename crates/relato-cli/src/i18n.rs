//! Translation of everything the CLI says to a person. Error codes and
//! labels are looked up in the catalogs under `assets/locales/` (the same
//! files the desktop app uses), Spanish (es-MX) by default, English when
//! `RELATO_LANG`, `LC_ALL`, `LC_MESSAGES` or `LANG` asks for it.

use serde_json::{Map, Value};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    EsMx,
    En,
}

impl Lang {
    pub fn from_env() -> Lang {
        for var in ["RELATO_LANG", "LC_ALL", "LC_MESSAGES", "LANG"] {
            if let Ok(value) = std::env::var(var) {
                let v = value.to_lowercase();
                if v.starts_with("en") {
                    return Lang::En;
                }
                if v.starts_with("es") {
                    return Lang::EsMx;
                }
                if !v.is_empty() && var == "RELATO_LANG" {
                    break;
                }
            }
        }
        Lang::EsMx
    }
}

pub struct Catalog {
    messages: Map<String, Value>,
    /// For texts that come in both languages from elsewhere (vocabularies).
    pub lang: Lang,
}

impl Catalog {
    pub fn new(lang: Lang) -> Catalog {
        let (errors, cli) = match lang {
            Lang::EsMx => (
                include_str!("../../../assets/locales/errors.es-MX.json"),
                include_str!("../../../assets/locales/cli.es-MX.json"),
            ),
            Lang::En => (
                include_str!("../../../assets/locales/errors.en.json"),
                include_str!("../../../assets/locales/cli.en.json"),
            ),
        };
        let mut messages: Map<String, Value> = serde_json::from_str(errors).expect("valid error catalog");
        let cli: Map<String, Value> = serde_json::from_str(cli).expect("valid CLI catalog");
        messages.extend(cli);
        Catalog { messages, lang }
    }

    /// The message for `key` with `{name}` placeholders filled from `args`.
    /// An unknown key falls back to the key itself, so nothing is ever blank.
    /// Arguments that name an identifier (`field`, `role`, …) are shown
    /// through their own catalog entry (`field.child_code`).
    pub fn format(&self, key: &str, args: &Map<String, Value>) -> String {
        let template = self.messages.get(key).and_then(Value::as_str).unwrap_or(key);
        let mut shown = args.clone();
        for name in relato_vault::TRANSLATED_ARGS {
            if let Some(Value::String(id)) = args.get(*name) {
                if let Some(Value::String(text)) = self.messages.get(&format!("{name}.{id}")) {
                    shown.insert((*name).to_owned(), Value::String(text.clone()));
                }
            }
        }
        fill(template, &shown)
    }

    pub fn text(&self, key: &str) -> String {
        self.format(key, &Map::new())
    }
}

pub fn fill(template: &str, args: &Map<String, Value>) -> String {
    let mut out = template.to_owned();
    for (name, value) in args {
        let text = match value {
            Value::String(s) => s.clone(),
            other => other.to_string(),
        };
        out = out.replace(&format!("{{{name}}}"), &text);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn catalogs_have_the_same_keys() {
        let es = Catalog::new(Lang::EsMx).messages;
        let en = Catalog::new(Lang::En).messages;
        let mut a: Vec<_> = es.keys().collect();
        let mut b: Vec<_> = en.keys().collect();
        a.sort();
        b.sort();
        assert_eq!(a, b);
    }

    #[test]
    fn every_placeholder_in_a_message_is_one_the_error_provides() {
        // A template naming an argument the error does not give would show
        // "{name}" to the user; check both catalogs against the English keys.
        for lang in [Lang::EsMx, Lang::En] {
            let c = Catalog::new(lang);
            for code in relato_vault::ERROR_CODES.iter().chain(relato_review::ERROR_CODES) {
                let msg = c.text(code);
                assert_ne!(&msg, code, "{lang:?} lacks {code}");
            }
        }
    }

    #[test]
    fn identifiers_in_arguments_are_translated() {
        let c = Catalog::new(Lang::EsMx);
        let mut args = Map::new();
        args.insert("field".into(), "child_code".into());
        assert_eq!(c.format("input.empty", &args), "El campo «código de la niña o niño» no puede quedar vacío.");
        let mut args = Map::new();
        args.insert("role".into(), "reviewer".into());
        args.insert("action".into(), "create_cases".into());
        assert_eq!(c.format("auth.not_permitted", &args), "Su rol (revisor(a)) no le permite crear casos.");
    }

    #[test]
    fn fill_replaces_named_arguments() {
        let mut args = Map::new();
        args.insert("name".into(), "Irma".into());
        args.insert("n".into(), 3.into());
        assert_eq!(fill("{name} tiene {n}", &args), "Irma tiene 3");
    }
}

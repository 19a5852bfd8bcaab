//! A practice's text written once for every language or once per language, for the keys that
//! a practice printing in several languages needs in each (a number's caption, the tagline,
//! the logo's alternative text):
//!
//! ```toml
//! tagline = "Kinesitherapie De Linde"                  # the same in every language
//! logo-alt = { nl = "Logo van De Linde", fr = "Logo de De Linde" }
//! ```
//!
//! A document in a language the table lacks is not built: the plan reports it at the key.

use std::collections::BTreeMap;

use super::config::Origin;
use crate::diag::Diagnostic;

/// The text of one key, for every language or per language code.
#[derive(Debug, Clone)]
pub enum Localized {
    /// The same text in every language (a proper name, or a practice in one language).
    All(String),
    /// Per language code.
    PerLang(BTreeMap<String, String>),
}

impl Localized {
    /// The text in `lang`, if the key gives one.
    pub fn get(&self, lang: &str) -> Option<&str> {
        match self {
            Localized::All(s) => Some(s),
            Localized::PerLang(m) => m.get(lang).map(String::as_str),
        }
    }

    /// Every text the key may print.
    pub fn texts(&self) -> Vec<&String> {
        match self {
            Localized::All(s) => vec![s],
            Localized::PerLang(m) => m.values().collect(),
        }
    }

    /// The error for `lang`, which the table lacks: `subject` says whose text it is (`local
    /// number 056 00 00 01 has no caption`), `key` is the key as written.
    pub fn missing(&self, at: &Origin, lang: &str, subject: &str, key: &str) -> Diagnostic {
        let have = match self {
            Localized::All(_) => String::new(),
            Localized::PerLang(m) => m.keys().map(|k| format!("`{k}`")).collect::<Vec<_>>().join(", "),
        };
        at.error(format!("{subject} in `{lang}`")).hint(format!(
            "`{key}` gives {have}; add `{lang} = \"…\"` to it, or write one text for every language: `{key} = \"…\"`"
        ))
    }
}

/// The problem with one text, if any: given the text (trimmed) and `""` or "in `nl` ", a
/// message and a hint.
pub type Check<'a> = &'a dyn Fn(&str, &str) -> Option<(String, String)>;

/// Reads a key's `value`, written at `at`, as one text or a table of texts per language,
/// trimmed; `check` returns the problem with one text (`what` is `""` or "in `nl` "), if any,
/// as a message and a hint, reported at `at`.
/// Every problem goes to `problems`; none is returned only for a value of the wrong kind.
pub fn parse(
    value: toml::Value,
    at: &Origin,
    key: &str,
    example: &str,
    check: Check<'_>,
    problems: &mut Vec<Diagnostic>,
) -> Option<Localized> {
    let mut text = |s: &str, what: &str| {
        let s = s.trim();
        problems.extend(check(s, what).map(|(message, hint)| at.error(message).hint(hint)));
        s.to_owned()
    };
    match value {
        toml::Value::String(s) => Some(Localized::All(text(&s, ""))),
        toml::Value::Table(t) if !t.is_empty() => {
            let mut m = BTreeMap::new();
            let mut wrong = Vec::new();
            for (lang, v) in t {
                match v {
                    toml::Value::String(s) => {
                        let s = text(&s, &format!("in `{lang}` "));
                        m.insert(lang, s);
                    }
                    _ => wrong.push(at.error(format!("`{key}` in `{lang}` is not text")).hint(format!(
                        "write the texts per language: `{key} = {{ nl = \"…\", en = \"…\" }}`"
                    ))),
                }
            }
            problems.extend(wrong);
            Some(Localized::PerLang(m))
        }
        _ => {
            problems
                .push(at.error(format!("`{key}` is neither text nor a table of languages")).hint(format!(
                "write `{key} = \"{example}\"` for every language, or `{key} = {{ nl = \"…\", en = \"…\" }}`"
            )));
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn origin() -> Origin {
        Origin { path: "leafpress.toml".into(), text: std::sync::Arc::from("x"), range: 0..0 }
    }

    fn read(toml: &str) -> (Option<Localized>, Vec<String>) {
        let value: toml::Table = toml::from_str(toml).unwrap();
        let value = value["key"].clone();
        let mut problems = Vec::new();
        let check = |s: &str, what: &str| s.is_empty().then(|| (format!("blank {what}"), String::new()));
        let parsed = parse(value, &origin(), "key", "Logo", &check, &mut problems);
        (parsed, problems.iter().map(|p| p.message.clone()).collect())
    }

    #[test]
    fn one_text_serves_every_language_and_a_table_only_its_own() {
        let (all, problems) = read("key = \" Logo \"");
        let all = all.unwrap();
        assert!(problems.is_empty());
        assert_eq!((all.get("nl"), all.get("ar")), (Some("Logo"), Some("Logo")));
        let (per, problems) = read("key = { nl = \"Logo van X\", de = \"Logo von X\" }");
        let per = per.unwrap();
        assert!(problems.is_empty());
        assert_eq!((per.get("de"), per.get("fr")), (Some("Logo von X"), None));
        let missing = per.missing(&origin(), "fr", "the logo has no alternative text", "logo-alt");
        assert_eq!(missing.message, "the logo has no alternative text in `fr`");
        assert!(missing.hints.iter().any(|h| h.contains("`de`, `nl`") && h.contains("fr = \"…\"")));
    }

    #[test]
    fn every_text_is_checked_and_a_wrong_kind_is_reported() {
        let (per, problems) = read("key = { nl = \" \", de = 3 }");
        assert!(per.is_some());
        assert_eq!(problems, ["blank in `nl` ", "`key` in `de` is not text"]);
        let (none, problems) = read("key = 3");
        assert!(none.is_none());
        assert_eq!(problems, ["`key` is neither text nor a table of languages"]);
    }
}

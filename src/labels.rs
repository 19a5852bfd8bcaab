//! Fixed strings the templates print, one table per language (`labels/<lang>.toml`).
//!
//! leafpress has tables for nl, en, fr and de built in. A project may add its own
//! `labels/<lang>.toml`, which replaces the built-in table of that language or adds a
//! language; every key must be present.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use crate::diag::{Diagnostic, Result};

/// The built-in tables, by language code.
const TABLES: [(&str, &str); 4] = [
    ("nl", include_str!("../labels/nl.toml")),
    ("en", include_str!("../labels/en.toml")),
    ("fr", include_str!("../labels/fr.toml")),
    ("de", include_str!("../labels/de.toml")),
];

/// Where projects keep their own label tables.
pub const LABELS_DIR: &str = "labels";

/// Every label a template may print.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields, rename_all(deserialize = "kebab-case"))]
pub struct Labels {
    /// How a date is written, with `{day}`, `{month}` and `{year}`.
    pub date: String,
    /// Month names, January first, for dates in running text.
    pub months: [String; 12],
    /// Heading of a section's key message.
    pub key_message: String,
    /// Title of the emergency card's number strip.
    pub emergency: String,
    /// "Call now", before the emergency number.
    pub call_now: String,
    /// Name for the emergency number.
    pub emergency_number: String,
    /// "or", between two emergency numbers.
    pub also: String,
    /// The out-of-hours doctor service.
    pub out_of_hours: String,
    /// Heading of the governance block.
    pub about_heading: String,
    /// "Version".
    pub version: String,
    /// "Published".
    pub published: String,
    /// "Review by".
    pub review_by: String,
    /// "Written by".
    pub authors: String,
    /// "Reviewed by".
    pub reviewers: String,
    /// This leaflet does not replace personal advice.
    pub disclaimer: String,
    /// Offer of large print and other languages.
    pub other_formats: String,
    /// Invitation to give feedback.
    pub feedback: String,
    /// Heading of the contact block.
    pub contact: String,
    /// "Phone".
    pub phone: String,
    /// "E-mail".
    pub email: String,
    /// "Website".
    pub website: String,
    /// "Page" in the footer.
    pub page: String,
    /// "of" in "page 1 of 4".
    pub page_of: String,
    /// Heading of the reference list.
    pub references: String,
    /// Invitation under a QR code.
    pub scan: String,
    /// Heading of a page for the reader's own notes.
    pub notes: String,
    /// Title of the closing slide.
    pub questions: String,
    /// Marks a slide that continues the previous one.
    pub continued: String,
    /// Where the sources are, for formats too small for a reference list.
    pub sources_elsewhere: String,
}

/// The languages that have a built-in label table.
pub fn languages() -> impl Iterator<Item = &'static str> {
    TABLES.iter().map(|(l, _)| *l)
}

/// The labels for `lang`: the project's `labels/<lang>.toml` if it has one, else the
/// built-in table.
pub fn for_lang(root: &Path, lang: &str) -> Result<Labels> {
    let own = root.join(LABELS_DIR).join(format!("{lang}.toml"));
    if own.is_file() {
        crate::project::assets::confine(root, &own).map_err(|e| {
            Diagnostic::error(format!("failed to read {} ({e})", crate::diag::display_path(&own)))
        })?;
        let bytes = std::fs::read(&own).map_err(|e| {
            Diagnostic::error(format!("failed to read {} ({e})", crate::diag::display_path(&own)))
        })?;
        let text = crate::diag::decode_utf8(&own, bytes, "a label table")?;
        return parse(lang, &own, &text);
    }
    let Some((_, text)) = TABLES.iter().find(|(l, _)| *l == lang) else {
        let known: Vec<_> = languages().collect();
        return Err(Diagnostic::error(format!("no labels for language `{lang}`"))
            .hint(format!(
                "leafpress has labels for {}; add labels/{lang}.toml to the project for another language",
                known.join(", ")
            ))
            .into());
    };
    parse(lang, &PathBuf::from(format!("<built-in labels>/{lang}.toml")), &Arc::from(*text))
}

/// Parses a label table, naming the language and the key in every error.
fn parse(lang: &str, path: &Path, text: &Arc<str>) -> Result<Labels> {
    toml::from_str(text).map_err(|e| {
        let message = e.message().trim();
        let cause = match message.strip_prefix("missing field ") {
            Some(key) => format!("the labels for `{lang}` have no {key}"),
            None => format!("failed to read the labels for `{lang}` ({message})"),
        };
        Diagnostic::error(cause)
            .at(path, text, e.span().unwrap_or(0..0))
            .hint("every label table has the same keys as leafpress's built-in labels/en.toml")
            .into()
    })
}

impl Labels {
    /// A date in running text, e.g. "2 november 2026" or "2. November 2026".
    pub fn date(&self, d: chrono::NaiveDate) -> String {
        use chrono::Datelike;
        self.date
            .replace("{day}", &d.day().to_string())
            .replace("{month}", &self.months[d.month0() as usize])
            .replace("{year}", &d.year().to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn builtin(lang: &str) -> Result<Labels> {
        let empty = tempfile::tempdir().unwrap();
        for_lang(empty.path(), lang)
    }

    #[test]
    fn every_table_is_complete() {
        for lang in languages() {
            builtin(lang).unwrap_or_else(|e| panic!("{lang}: {e}"));
        }
    }

    #[test]
    fn dates_follow_the_language() {
        let d = chrono::NaiveDate::from_ymd_opt(2026, 11, 2).unwrap();
        let date = |l| builtin(l).unwrap().date(d);
        assert_eq!(
            [date("nl"), date("en"), date("fr"), date("de")],
            ["2 november 2026", "2 November 2026", "2 novembre 2026", "2. November 2026"]
        );
    }

    #[test]
    fn unknown_language() {
        assert_eq!(builtin("xx").unwrap_err().0[0].message, "no labels for language `xx`");
    }

    #[test]
    fn a_project_table_missing_a_key_names_language_and_key() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().canonicalize().unwrap();
        std::fs::create_dir(root.join(LABELS_DIR)).unwrap();
        let en = TABLES[1].1.replace("scan = \"Scan for more information\"\n", "");
        std::fs::write(root.join("labels/tr.toml"), en).unwrap();
        let err = for_lang(&root, "tr").unwrap_err();
        assert_eq!(err.0[0].message, "the labels for `tr` have no `scan`");
        assert!(err.0[0].location.is_some());
    }
}

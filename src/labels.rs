//! Fixed strings the templates print, one table per language (`labels/<lang>.toml`).

use serde::{Deserialize, Serialize};

use crate::diag::{Diagnostic, Result};

/// The built-in tables, by language code.
const TABLES: [(&str, &str); 1] = [("nl", include_str!("../labels/nl.toml"))];

/// Every label a template may print.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields, rename_all(deserialize = "kebab-case"))]
pub struct Labels {
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

/// The languages that have a label table.
pub fn languages() -> impl Iterator<Item = &'static str> {
    TABLES.iter().map(|(l, _)| *l)
}

/// The labels for `lang`.
pub fn for_lang(lang: &str) -> Result<Labels> {
    let Some((_, text)) = TABLES.iter().find(|(l, _)| *l == lang) else {
        let known: Vec<_> = languages().collect();
        return Err(Diagnostic::error(format!("no labels for language `{lang}`"))
            .hint(format!("leafpress has labels for: {}", known.join(", ")))
            .into());
    };
    toml::from_str(text).map_err(|e| {
        Diagnostic::error(format!("failed to read the labels for `{lang}` ({})", e.message().trim())).into()
    })
}

impl Labels {
    /// A date in running text, e.g. "2 november 2026".
    pub fn date(&self, d: chrono::NaiveDate) -> String {
        use chrono::Datelike;
        format!("{} {} {}", d.day(), self.months[d.month0() as usize], d.year())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_table_is_complete() {
        for lang in languages() {
            for_lang(lang).unwrap_or_else(|e| panic!("{lang}: {e}"));
        }
    }

    #[test]
    fn dutch_dates() {
        let l = for_lang("nl").unwrap();
        assert_eq!(l.date(chrono::NaiveDate::from_ymd_opt(2026, 11, 2).unwrap()), "2 november 2026");
    }

    #[test]
    fn unknown_language() {
        assert_eq!(for_lang("xx").unwrap_err().0[0].message, "no labels for language `xx`");
    }
}

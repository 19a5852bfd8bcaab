//! Fixed strings the templates print, one table per language (`labels/<lang>.toml`).
//!
//! leafpress has tables for nl, en, fr, de, tr, pl and ar built in. A project may add its own
//! `labels/<lang>.toml`: for a built-in language it overrides the keys it names (the others
//! keep their built-in text); a table for another language must have every key.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde::{Deserialize, Serialize};
use toml::Spanned;

use crate::diag::{Diagnostic, Result, Sink};

/// The built-in tables, by language code.
const TABLES: [(&str, &str); 7] = [
    ("nl", include_str!("../labels/nl.toml")),
    ("en", include_str!("../labels/en.toml")),
    ("fr", include_str!("../labels/fr.toml")),
    ("de", include_str!("../labels/de.toml")),
    ("tr", include_str!("../labels/tr.toml")),
    ("pl", include_str!("../labels/pl.toml")),
    ("ar", include_str!("../labels/ar.toml")),
];

/// Languages written right to left: the templates (`data.rtl`), the HTML edition and the
/// booklet's imposition mirror their layout.
pub const RIGHT_TO_LEFT: [&str; 4] = ["ar", "he", "fa", "ur"];

/// Whether `lang` is written right to left.
pub fn is_rtl(lang: &str) -> bool {
    RIGHT_TO_LEFT.contains(&lang)
}

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
    /// Said in place of the reviewers when no one reviewed the content.
    pub not_reviewed: String,
    /// The mark on every page of a translation whose source changed since it was accepted.
    pub draft_stale: String,
    /// The mark on every page of a leaflet past its review date (`expired = "draft"`).
    pub draft_expired: String,
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
    /// Visible label of a `> [!NOTE]` box.
    pub note: String,
    /// Visible label of a `> [!TIP]` box.
    pub tip: String,
    /// Visible label of a `> [!WARNING]` box.
    pub warning: String,
    /// Visible label of a `> [!CAUTION]` box.
    pub caution: String,
    /// Start of the sentence pointing to the page with every warning sign; the template adds
    /// the page number.
    pub warning_signs_page: String,
    /// On the trifold's back cover, where the card with every warning sign stands inside.
    pub warning_signs_inside: String,
    /// Where the rest is, for formats that leave out text, tables and figures.
    pub more_elsewhere: String,
    /// The HTML edition's heading over the links to its PDFs.
    pub print_heading: String,
    /// What each PDF format is for, as the HTML edition links to it.
    pub format_handout: String,
    /// See `format_handout`.
    pub format_large_print: String,
    /// See `format_handout`.
    pub format_booklet: String,
    /// See `format_handout`.
    pub format_booklet_imposed: String,
    /// See `format_handout`.
    pub format_trifold: String,
    /// See `format_handout`.
    pub format_poster: String,
    /// See `format_handout`.
    pub format_slides: String,
    /// See `format_handout`.
    pub format_slides_handout: String,
    /// The project's own table these labels were read from (its path and text), to locate
    /// problems with what it says; `None` for a built-in table.
    #[serde(skip)]
    pub source: Option<(PathBuf, Arc<str>)>,
}

impl Labels {
    /// What a PDF format is for, as the HTML edition links to it (none for the HTML edition).
    pub fn format(&self, format: crate::format::Format) -> Option<&str> {
        use crate::format::Format;
        Some(match format {
            Format::Handout => &self.format_handout,
            Format::LargePrint => &self.format_large_print,
            Format::Booklet => &self.format_booklet,
            Format::BookletImposed => &self.format_booklet_imposed,
            Format::Trifold => &self.format_trifold,
            Format::Poster => &self.format_poster,
            Format::Slides => &self.format_slides,
            Format::SlidesHandout => &self.format_slides_handout,
            Format::Html => return None,
        })
    }
}

/// `leafpress labels LANG`: the built-in table for `lang` (the English one for a language
/// without one) to stdout, under a comment that says how to use it.
pub fn print_table(lang: &str) -> Result<()> {
    let valid = (2..=3).contains(&lang.len()) && lang.chars().all(|c| c.is_ascii_lowercase());
    if !valid {
        return Err(Diagnostic::error(format!("`{lang}` is not a language code"))
            .hint("write a two- or three-letter ISO 639 code in lower case, e.g. `nl`, `tr` or `ar`")
            .usage()
            .into());
    }
    let (head, text) = match TABLES.iter().find(|(l, _)| *l == lang) {
        Some((_, text)) => (
            format!(
                "# leafpress's built-in labels for `{lang}`. Saved as labels/{lang}.toml in a project, the\n\
                 # keys it keeps replace the built-in text and the keys it leaves out keep it: delete\n\
                 # every key you do not change.\n"
            ),
            *text,
        ),
        None => (
            format!(
                "# leafpress has no labels for `{lang}`: these are the English ones. Save them as\n\
                 # labels/{lang}.toml in a project and translate every value; a table for a new\n\
                 # language needs every key. Keep {{day}}, {{month}}, {{year}} and {{profession}}\n\
                 # as they are: leafpress fills them in.\n"
            ),
            TABLES.iter().find(|(l, _)| *l == "en").map_or("", |(_, t)| *t),
        ),
    };
    crate::report::stdout_bytes(format!("{head}\n{text}").as_bytes());
    Ok(())
}

/// The languages that have a built-in label table.
pub fn languages() -> impl Iterator<Item = &'static str> {
    TABLES.iter().map(|(l, _)| *l)
}

/// The labels for `lang`: the built-in table, with the keys the project's own
/// `labels/<lang>.toml` sets in its place.
pub fn for_lang(root: &Path, lang: &str) -> Result<Labels> {
    let builtin = TABLES.iter().find(|(l, _)| *l == lang).map(|(_, text)| *text);
    let own = root.join(LABELS_DIR).join(format!("{lang}.toml"));
    if own.exists() && !own.is_file() {
        return Err(Diagnostic::error(format!(
            "{} is not a file, so the labels for `{lang}` cannot be read from it",
            crate::diag::display_path(&own)
        ))
        .hint(format!("labels/{lang}.toml is a TOML file of labels; remove the folder or make it a file"))
        .into());
    }
    if own.is_file() {
        crate::project::assets::confine(root, &own).map_err(|e| {
            Diagnostic::error(format!("failed to read {} ({e})", crate::diag::display_path(&own)))
        })?;
        let limit = crate::project::assets::limits::SETTINGS_BYTES;
        let bytes = crate::project::assets::read_limited(&own, limit, "a label table")?;
        let text = crate::diag::decode_utf8(&own, bytes, "a label table")?;
        return parse_own(lang, &own, &text, builtin);
    }
    let Some(text) = builtin else {
        let known: Vec<_> = languages().collect();
        return Err(Diagnostic::error(format!("no labels for language `{lang}`"))
            .hint(format!(
                "leafpress has labels for {}; add labels/{lang}.toml to the project for another language",
                known.join(", ")
            ))
            .into());
    };
    parse(lang, &PathBuf::from(format!("<built-in labels>/{lang}.toml")), &Arc::from(text), "")
}

/// Every key a label table has: those of the built-in English table, which the tests keep
/// complete.
fn keys() -> Vec<String> {
    let en: toml::Table = toml::from_str(TABLES[1].1).unwrap_or_default();
    en.keys().cloned().collect()
}

/// A project's table: unknown keys are errors, missing keys come from the built-in table of
/// `lang` if there is one, and are one error listing them all if there is none.
fn parse_own(lang: &str, path: &Path, text: &Arc<str>, builtin: Option<&str>) -> Result<Labels> {
    let own: BTreeMap<Spanned<String>, Spanned<toml::Value>> =
        toml::from_str(text).map_err(|e| read_error(lang, path, text, e))?;
    let keys = keys();
    let mut sink = Sink::default();
    for key in own.keys() {
        if !keys.contains(key.get_ref()) {
            let close = keys.iter().max_by(|a, b| {
                strsim::jaro_winkler(a, key.get_ref()).total_cmp(&strsim::jaro_winkler(b, key.get_ref()))
            });
            let hint = match close.filter(|c| strsim::jaro_winkler(c, key.get_ref()) > 0.8) {
                Some(c) => {
                    format!("did you mean `{c}`? the keys are those of leafpress's built-in labels/en.toml")
                }
                None => "the keys are those of leafpress's built-in labels/en.toml".to_owned(),
            };
            sink.push(
                Diagnostic::error(format!("unknown label `{}` in the labels for `{lang}`", key.get_ref()))
                    .at(path, text, key.span())
                    .hint(hint),
            );
        }
    }
    for (key, value) in &own {
        let blank = match value.get_ref() {
            toml::Value::String(s) => s.trim().is_empty(),
            toml::Value::Array(items) => {
                items.iter().any(|i| i.as_str().is_some_and(|s| s.trim().is_empty()))
            }
            _ => false,
        };
        if blank {
            sink.push(
                Diagnostic::error(format!("label `{}` in the labels for `{lang}` is blank", key.get_ref()))
                    .at(path, text, value.span())
                    .hint("every label is printed: write the text, or leave the key out to keep leafpress's own"),
            );
        }
        let allowed: &[&str] = if key.get_ref() == "date" { &["day", "month", "year"] } else { &[] };
        let Some(written) = value.get_ref().as_str() else { continue };
        // The value's span includes its quotes; a basic string without escapes maps 1:1.
        let start = value.span().start + 1;
        for (name, range) in crate::content::vars::unknown_in(written, allowed) {
            let exact = text.get(start + range.start..start + range.end) == Some(&written[range.clone()]);
            let span = if exact { start + range.start..start + range.end } else { value.span() };
            let mut known: Vec<&str> = crate::content::vars::NAMES.to_vec();
            known.extend(allowed);
            sink.push(
                Diagnostic::error(format!("unknown variable `{{{name}}}` in label `{}`", key.get_ref()))
                    .at(path, text, span)
                    .hint(format!(
                        "labels may use {}; write the word itself for anything else",
                        known.iter().map(|n| format!("`{{{n}}}`")).collect::<Vec<_>>().join(", ")
                    )),
            );
        }
    }
    let missing: Vec<&String> = keys.iter().filter(|k| !own.contains_key(k.as_str())).collect();
    let mut fallback = toml::Table::new();
    match builtin {
        Some(builtin) => {
            let builtin: toml::Table = toml::from_str(builtin).unwrap_or_default();
            for key in missing {
                if let Some(v) = builtin.get(key) {
                    fallback.insert(key.clone(), v.clone());
                }
            }
        }
        None if !missing.is_empty() => {
            let names: Vec<String> = missing.iter().map(|k| format!("`{k}`")).collect();
            sink.push(
                Diagnostic::error(format!("the labels for `{lang}` have no {}", names.join(", ")))
                    .at(path, text, 0..0)
                    .hint("a table for a language leafpress has no labels for needs every key of the built-in labels/en.toml"),
            );
        }
        None => {}
    }
    sink.finish()?;
    // The built-in keys go after the project's own text, so every error in what the user
    // wrote keeps its place in the file.
    let appended = toml::to_string(&fallback).unwrap_or_default();
    let mut labels = parse(lang, path, text, &appended)?;
    labels.source = Some((path.to_owned(), text.clone()));
    Ok(labels)
}

/// Parses a label table (`text` followed by `appended`), naming the language and the key in
/// every error.
fn parse(lang: &str, path: &Path, text: &Arc<str>, appended: &str) -> Result<Labels> {
    toml::from_str(&format!("{text}\n{appended}")).map_err(|e| read_error(lang, path, text, e))
}

/// A TOML error in a label table, at its place in the file.
fn read_error(lang: &str, path: &Path, text: &Arc<str>, e: toml::de::Error) -> crate::diag::Diagnostics {
    let message = e.message().trim();
    let cause = match message.strip_prefix("missing field ") {
        Some(key) => format!("the labels for `{lang}` have no {key}"),
        None => format!("failed to read the labels for `{lang}` ({message})"),
    };
    Diagnostic::error(cause)
        .at(path, text, e.span().unwrap_or(0..0))
        .hint("every label table has the same keys as leafpress's built-in labels/en.toml")
        .into()
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

    /// A project with `labels/<lang>.toml` holding `toml`.
    fn project(lang: &str, toml: &str) -> (tempfile::TempDir, PathBuf) {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().canonicalize().unwrap();
        std::fs::create_dir(root.join(LABELS_DIR)).unwrap();
        std::fs::write(root.join(format!("labels/{lang}.toml")), toml).unwrap();
        (dir, root)
    }

    #[test]
    fn a_new_language_reports_every_missing_key_at_once() {
        let en =
            TABLES[1].1.replace("scan = \"Scan for more information\"\n", "").replace("tip = \"Tip\"\n", "");
        let (_dir, root) = project("es", &en);
        let err = for_lang(&root, "es").unwrap_err();
        assert_eq!(err.0.len(), 1);
        assert_eq!(err.0[0].message, "the labels for `es` have no `scan`, `tip`");
        assert_eq!(err.0[0].location.as_ref().map(|l| l.range.clone()), Some(0..0));
    }

    #[test]
    fn a_built_in_language_keeps_the_keys_a_project_leaves_out() {
        let (_dir, root) = project("nl", "scan = \"Scan mij\"\n");
        let labels = for_lang(&root, "nl").unwrap();
        assert_eq!((labels.scan.as_str(), labels.note.as_str()), ("Scan mij", "Opmerking"));
    }

    #[test]
    fn unknown_and_mistyped_keys_are_located() {
        let (_dir, root) = project("nl", "scna = \"Scan mij\"\nnotes = 3\n");
        let err = for_lang(&root, "nl").unwrap_err();
        let rendered = crate::diag::render_plain(&err.0);
        assert!(rendered.starts_with("error: unknown label `scna` in the labels for `nl`\n"), "{rendered}");
        assert!(rendered.contains("= hint: did you mean `scan`?"), "{rendered}");
        let (_dir, root) = project("nl", "scan = \"Scan mij\"\nnotes = 3\n");
        let err = for_lang(&root, "nl").unwrap_err();
        assert!(
            err.0[0].message.starts_with("failed to read the labels for `nl` (invalid type: integer `3`"),
            "{}",
            err.0[0].message
        );
        assert_eq!(err.0[0].location.as_ref().map(|l| l.range.clone()), Some(26..27));
    }

    #[test]
    fn unknown_variables_in_a_label_are_located() {
        let (_dir, root) =
            project("nl", "scan = \"Scan {practcie} of bel {phone}\"\ndate = \"{day} {month} {year}\"\n");
        let err = for_lang(&root, "nl").unwrap_err();
        assert_eq!(err.0.len(), 1);
        assert_eq!(err.0[0].message, "unknown variable `{practcie}` in label `scan`");
        assert_eq!(err.0[0].location.as_ref().map(|l| l.range.clone()), Some(13..23));
    }

    #[test]
    fn a_label_folder_is_an_error() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().canonicalize().unwrap();
        std::fs::create_dir_all(root.join("labels/nl.toml")).unwrap();
        let err = for_lang(&root, "nl").unwrap_err();
        assert!(err.0[0].message.ends_with("is not a file, so the labels for `nl` cannot be read from it"));
    }

    #[test]
    fn labels_reach_templates_in_snake_case() {
        let v = serde_json::to_value(builtin("en").unwrap()).unwrap();
        assert_eq!(v["warning_signs_page"], "All warning signs are on page");
        assert_eq!(v["more_elsewhere"], "More explanation, tables and drawings are in the full leaflet.");
        assert_eq!(
            [&v["note"], &v["tip"], &v["warning"], &v["caution"]],
            ["Note", "Tip", "Warning", "Caution"]
        );
    }
}

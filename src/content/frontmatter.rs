//! The TOML front matter between `+++` lines at the top of a content file.

use std::collections::BTreeMap;
use std::ops::Range;
use std::path::Path;
use std::sync::Arc;

use chrono::{Months, NaiveDate};
use serde::Deserialize;
use toml::Spanned;
use toml::value::Datetime;

use crate::diag::{Diagnostic, Result, Sink};

/// Leaflets must be reviewed at least this often (PIF TICK, NHS leaflet policies).
pub const MAX_REVIEW_MONTHS: u32 = 36;

/// The fields a front matter must have.
const REQUIRED: [crate::project::toml_help::Required; 6] = {
    use crate::project::toml_help::Required as R;
    [
        R { key: "title", what: "the leaflet's title", example: "title = \"Low back pain\"" },
        R { key: "lang", what: "the language, as in the file name", example: "lang = \"en\"" },
        R { key: "version", what: "printed with the dates", example: "version = \"1.0\"" },
        R { key: "published", what: "the date of this version", example: "published = 2026-12-01" },
        R { key: "review-by", what: "at most 3 years after published", example: "review-by = 2029-12-01" },
        R { key: "authors", what: "who wrote it", example: "authors = [\"Name, profession\"]" },
    ]
};

fn no_reviewers() -> Spanned<Vec<String>> {
    Spanned::new(0..0, Vec::new())
}

/// The front matter as written.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawFront {
    title: Spanned<String>,
    subtitle: Option<Spanned<String>>,
    lang: Spanned<String>,
    region: Option<Spanned<String>>,
    version: Spanned<String>,
    published: Spanned<Datetime>,
    review_by: Spanned<Datetime>,
    authors: Spanned<Vec<String>>,
    /// Optional: a leaflet without reviewers says so in its governance block.
    #[serde(default = "no_reviewers")]
    reviewers: Spanned<Vec<String>>,
    /// The image of the figure the cover shows.
    cover: Option<Spanned<String>>,
    /// In a translation: per source section id, the fingerprint of the source text it was
    /// translated from.
    #[serde(default)]
    translated_from: BTreeMap<String, Spanned<String>>,
}

/// Validated front matter.
#[derive(Debug, Clone, PartialEq)]
pub struct FrontMatter {
    /// Document title.
    pub title: String,
    /// Optional subtitle.
    pub subtitle: Option<String>,
    /// ISO 639-1 language code, lowercase.
    pub lang: String,
    /// ISO 3166-1 region of the language variant (e.g. `BE` for Flemish), uppercase.
    pub region: Option<String>,
    /// Content version.
    pub version: String,
    /// Date of publication.
    pub published: NaiveDate,
    /// Date by which the content must be reviewed.
    pub review_by: NaiveDate,
    /// Who wrote it.
    pub authors: Vec<String>,
    /// Who reviewed it.
    pub reviewers: Vec<String>,
    /// The image path of the figure the cover shows, as written, and where (absolute byte
    /// range in the file); checked against the content's figures when the body is parsed.
    pub cover: Option<(String, Range<usize>)>,
    /// In a translation: per source section id, the fingerprint of the source section it
    /// was made from, and where that is written (absolute byte range in the file).
    pub translated_from: BTreeMap<String, (String, Range<usize>)>,
}

/// A TOML date without a time as a calendar date; none for anything else.
pub fn calendar_date(value: &Datetime) -> Option<NaiveDate> {
    match (value.date, value.time) {
        (Some(date), None) => {
            NaiveDate::from_ymd_opt(i32::from(date.year), u32::from(date.month), u32::from(date.day))
        }
        _ => None,
    }
}

/// The language tag of a document in `lang` (and `region`), both as checked here (lower-case
/// language, upper-case region): `nl-BE`, `en`. The HTML page's `lang` and the CSL locale in
/// which Typst renders the PDFs' citations (and the HTML edition its own) alike.
pub fn language_tag(lang: &str, region: Option<&str>) -> String {
    match region {
        Some(region) => format!("{lang}-{region}"),
        None => lang.to_owned(),
    }
}

/// The error for a region that is not a two-letter upper-case code, if it is not one.
pub fn region_problem(value: &str) -> Option<(String, &'static str)> {
    (value.len() != 2 || !value.chars().all(|c| c.is_ascii_uppercase())).then(|| {
        (format!("`{value}` is not a region code"), "use a two-letter ISO 3166-1 code such as `BE` or `NL`")
    })
}

/// Splits `text` into the front matter's TOML (with its byte offset) and the body's offset.
pub fn split(path: &Path, text: &Arc<str>) -> Result<(Range<usize>, usize)> {
    let missing = || {
        Diagnostic::error("failed to read front matter (the file does not start with `+++`)")
            .at(path, text, 0..text.lines().next().map_or(0, str::len))
            .hint(
                "start the file with a `+++` line, the TOML fields (title, lang, …), and another `+++` line",
            )
    };
    let first_end = text.find('\n').ok_or_else(missing)?;
    // A byte-order mark (which some Windows editors write) is not part of the first line.
    if text[..first_end].trim_start_matches('\u{feff}').trim_end() != "+++" {
        return Err(missing().into());
    }
    let start = first_end + 1;
    let mut pos = start;
    for line in text[start..].split_inclusive('\n') {
        if line.trim_end() == "+++" {
            return Ok((start..pos, pos + line.len()));
        }
        pos += line.len();
    }
    Err(Diagnostic::error("failed to read front matter (no closing `+++` line)")
        .at(path, text, 0..first_end)
        .hint("end the front matter with a line holding only `+++`")
        .into())
}

/// Parses and validates the front matter at `range` of `text`; `stem` is the file's language.
pub fn parse(path: &Path, text: &Arc<str>, range: Range<usize>, stem: &str) -> Result<FrontMatter> {
    let offset = range.start;
    let shift = |r: Range<usize>| r.start + offset..r.end + offset;
    // Every missing field at once, before serde would report them one per run.
    if let Ok(doc) = toml::from_str::<toml::Table>(&text[range.clone()]) {
        let known = [
            "title",
            "subtitle",
            "lang",
            "region",
            "version",
            "published",
            "review-by",
            "authors",
            "reviewers",
            "cover",
            "translated-from",
        ];
        let mut problems = Vec::new();
        let front = &text[range.clone()];
        for (key, close, at) in
            crate::project::toml_help::unknown_keys(&doc, front, &[], None, &known, &REQUIRED)
        {
            let list = known.iter().map(|k| format!("`{k}`")).collect::<Vec<_>>().join(", ");
            let d = Diagnostic::error(format!("unknown field `{key}` in the front matter")).at(
                path,
                text,
                shift(at),
            );
            problems.push(match close {
                Some(c) => d.hint(format!("did you mean `{c}`? the fields are {list}")),
                None => d.hint(format!("the fields are {list}")),
            });
        }
        let lacking = crate::project::toml_help::missing(&doc, &[], &REQUIRED, &known);
        if !lacking.is_empty() {
            let (message, hints) = crate::project::toml_help::missing_message("the front matter", &lacking);
            let opening = text[..range.start].rfind("+++").map_or(0..0, |i| i..i + 3);
            let mut d = Diagnostic::error(message).at(path, text, opening);
            for h in hints {
                d = d.hint(h);
            }
            problems.push(d);
        }
        if !problems.is_empty() {
            return Err(crate::diag::Diagnostics(problems));
        }
    }
    let raw: RawFront = toml::from_str(&text[range.clone()]).map_err(|e| {
        let span = e.span().map_or(range.clone(), shift);
        let message = e.message().trim();
        let hint = crate::project::toml_help::type_hint(text, &span, message)
            .or_else(|| crate::project::toml_help::did_you_mean(message))
            .unwrap_or_else(|| {
            "front matter fields: title, subtitle, lang, region, version, published, review-by, authors, reviewers, cover, translated-from".to_owned()
        });
        Diagnostic::error(format!(
            "failed to read front matter ({})",
            crate::project::toml_help::plain_message(message)
        ))
        .at(path, text, span)
        .hint(hint)
    })?;
    let mut sink = Sink::default();
    let at = |r: Range<usize>| (path, text, shift(r));
    let error = |(p, t, r): (&Path, &Arc<str>, Range<usize>), m: String| Diagnostic::error(m).at(p, t, r);

    let lang = raw.lang.get_ref().clone();
    if lang.len() != 2 || !lang.chars().all(|c| c.is_ascii_lowercase()) {
        sink.push(
            error(at(raw.lang.span()), format!("`{lang}` is not a language code"))
                .hint("use a two-letter ISO 639-1 code such as `nl`, `en`, `fr` or `de`"),
        );
    } else if lang != stem {
        sink.push(
            error(at(raw.lang.span()), format!("lang `{lang}` does not match the file name `{stem}.md`"))
                .hint(format!("rename the file to `{lang}.md` or set `lang = \"{stem}\"`")),
        );
    }
    let region = raw.region.map(|r| {
        let v = r.get_ref().clone();
        if let Some((message, hint)) = region_problem(&v) {
            sink.push(error(at(r.span()), message).hint(hint));
        }
        v
    });
    let mut date = |d: &Spanned<Datetime>, name: &str| -> Option<NaiveDate> {
        let parsed = calendar_date(d.get_ref());
        if parsed.is_none() {
            sink.push(
                error(at(d.span()), format!("`{name}` must be a date like 2026-11-02"))
                    .hint("write the date without quotes and without a time"),
            );
        }
        parsed
    };
    let published = date(&raw.published, "published");
    let review_by = date(&raw.review_by, "review-by");
    if let (Some(p), Some(r)) = (published, review_by) {
        let limit = p.checked_add_months(Months::new(MAX_REVIEW_MONTHS)).unwrap_or(p);
        if r <= p || r > limit {
            sink.push(
                error(
                    at(raw.review_by.span()),
                    format!("review-by {r} must fall after published {p} and at most 3 years later"),
                )
                .hint(format!(
                    "patient information is reviewed at least every 3 years: use a date up to {limit}"
                )),
            );
        }
    }
    for (list, name) in [(&raw.authors, "authors"), (&raw.reviewers, "reviewers")] {
        if let Some(i) = list.get_ref().iter().position(|a| a.trim().is_empty())
            // All-blank authors are reported below as "names no author".
            && (name == "reviewers" || list.get_ref().iter().any(|a| !a.trim().is_empty()))
        {
            sink.push(
                error(at(list.span()), format!("entry {} of `{name}` is blank", i + 1)).hint(
                    "every entry is printed in the governance block: write a name, or remove the entry",
                ),
            );
        }
    }
    if let Some(subtitle) = &raw.subtitle
        && subtitle.get_ref().trim().is_empty()
    {
        sink.push(
            error(at(subtitle.span()), "the subtitle is blank".into())
                .hint("write a subtitle, or leave the `subtitle` line out"),
        );
    }
    if raw.authors.get_ref().iter().all(|a| a.trim().is_empty()) {
        sink.push(
            error(at(raw.authors.span()), "the front matter names no author".into())
                .hint("add `authors = [\"Name, profession\"]`"),
        );
    }
    let long_run = |s: &str| {
        s.split(char::is_whitespace)
            .find(|run| run.chars().nth(crate::content::breaks::LONG_RUN).is_some())
            .map(str::to_owned)
    };
    for (value, name) in
        std::iter::once((&raw.title, "title")).chain(raw.subtitle.as_ref().map(|s| (s, "subtitle")))
    {
        if let Some(run) = long_run(value.get_ref()) {
            sink.push(
                error(at(value.span()), format!(
                    "the {name} has a word of {} characters, too long for a line in large type",
                    run.chars().count()
                ))
                .hint(format!(
                    "titles are set large and broken inside a word only at its syllables: keep words under {} characters, and put web addresses in the text",
                    crate::content::breaks::LONG_RUN + 1
                )),
            );
        }
    }
    for (value, name, example) in [
        (&raw.title, "title", "title = \"Hernia in the lower back\""),
        (&raw.version, "version", "version = \"1.0\""),
    ] {
        if value.get_ref().trim().is_empty() {
            sink.push(
                error(at(value.span()), format!("the {name} is blank"))
                    .hint(format!("every printed format shows it: write e.g. `{example}`")),
            );
        }
    }
    sink.finish()?;
    let (Some(published), Some(review_by)) = (published, review_by) else {
        unreachable!("invalid dates recorded an error above")
    };
    Ok(FrontMatter {
        title: raw.title.into_inner().trim().to_owned(),
        subtitle: raw.subtitle.map(Spanned::into_inner),
        lang,
        region,
        version: raw.version.into_inner().trim().to_owned(),
        published,
        review_by,
        authors: raw.authors.into_inner(),
        reviewers: raw.reviewers.into_inner(),
        cover: raw.cover.map(|c| {
            let r = shift(c.span());
            (c.into_inner(), r)
        }),
        translated_from: raw
            .translated_from
            .into_iter()
            .map(|(id, v)| {
                let r = shift(v.span());
                (id, (v.into_inner(), r))
            })
            .collect(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const FRONT: &str = "+++\ntitle = \"T\"\nlang = \"nl\"\nregion = \"BE\"\nversion = \"1\"\npublished = 2026-11-02\nreview-by = 2029-11-02\nauthors = [\"A\"]\nreviewers = []\n+++\nBody\n";

    fn run(src: &str, stem: &str) -> Result<FrontMatter> {
        let text: Arc<str> = Arc::from(src);
        let (range, body) = split(Path::new("x.md"), &text)?;
        assert_eq!(&src[body..], "Body\n");
        parse(Path::new("x.md"), &text, range, stem)
    }

    #[test]
    fn parses_valid_front_matter() {
        let f = run(FRONT, "nl").unwrap();
        assert_eq!(f.region.as_deref(), Some("BE"));
        assert_eq!(f.review_by, NaiveDate::from_ymd_opt(2029, 11, 2).unwrap());
    }

    #[test]
    fn missing_field_is_named() {
        let err = run(&FRONT.replace("title = \"T\"\n", ""), "nl").unwrap_err();
        assert_eq!(err.0[0].message, "the front matter has no `title` (the leaflet's title)");
    }

    #[test]
    fn review_date_too_late() {
        let err = run(&FRONT.replace("2029-11-02", "2030-01-01"), "nl").unwrap_err();
        assert_eq!(
            err.0[0].message,
            "review-by 2030-01-01 must fall after published 2026-11-02 and at most 3 years later"
        );
    }

    #[test]
    fn lang_must_match_file() {
        let err = run(FRONT, "fr").unwrap_err();
        assert_eq!(err.0[0].message, "lang `nl` does not match the file name `fr.md`");
    }

    #[test]
    fn a_byte_order_mark_is_not_part_of_the_first_line() {
        let f = run(&format!("\u{feff}{FRONT}"), "nl").unwrap();
        assert_eq!(f.region.as_deref(), Some("BE"));
    }

    #[test]
    fn no_front_matter() {
        let err = run("# Title\n", "nl").unwrap_err();
        assert_eq!(err.0[0].message, "failed to read front matter (the file does not start with `+++`)");
    }
}

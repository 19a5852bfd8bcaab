//! A deck file's front matter: TOML between `+++` lines, like a content file's.

use std::collections::BTreeMap;
use std::ops::Range;
use std::path::Path;
use std::sync::Arc;

use chrono::NaiveDate;
use serde::Deserialize;
use toml::Spanned;
use toml::value::Datetime;

use crate::diag::{Diagnostic, Result, Sink};

/// The longest talk a deck may say it lasts, in minutes (a full teaching day).
pub const MAX_DURATION_MIN: i64 = 480;

/// The fields, for messages.
const FIELDS: &str =
    "title, subtitle, lang, region, presenter, course, date, brand, duration, translated-from";

/// The front matter as written.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct Raw {
    title: Spanned<String>,
    subtitle: Option<Spanned<String>>,
    lang: Option<Spanned<String>>,
    region: Option<Spanned<String>>,
    presenter: Option<Spanned<String>>,
    course: Option<Spanned<String>>,
    date: Option<Spanned<Datetime>>,
    brand: Option<Spanned<String>>,
    duration: Option<Spanned<i64>>,
    #[serde(default)]
    translated_from: BTreeMap<String, Spanned<String>>,
}

/// A deck's front matter, validated.
#[derive(Debug, Clone, PartialEq)]
pub struct DeckFront {
    /// The title slide's title.
    pub title: String,
    /// Its subtitle.
    pub subtitle: Option<String>,
    /// Language (the file name's).
    pub lang: String,
    /// Region of the language variant (`BE`).
    pub region: Option<String>,
    /// Who gives the talk.
    pub presenter: Option<String>,
    /// The course or occasion.
    pub course: Option<String>,
    /// The day of the talk.
    pub date: Option<NaiveDate>,
    /// The brand the deck is built under (its id, where written); every brand without one.
    pub brand: Option<(String, Range<usize>)>,
    /// How long the talk lasts, in minutes (for the presenter console's timer).
    pub duration: Option<u32>,
    /// In a translation: per written slide id, the fingerprint of the source it was made from.
    pub translated_from: BTreeMap<String, (String, Range<usize>)>,
}

/// Parses the front matter at `range` of `text`; `stem` is the file's language.
pub fn parse(path: &Path, text: &Arc<str>, range: Range<usize>, stem: &str) -> Result<DeckFront> {
    let offset = range.start;
    let shift = |r: Range<usize>| r.start + offset..r.end + offset;
    let raw: Raw = toml::from_str(&text[range.clone()]).map_err(|e| {
        let span = e.span().map_or(range.clone(), shift);
        let message = e.message().trim();
        let hint = crate::project::toml_help::type_hint(text, &span, message)
            .or_else(|| crate::project::toml_help::did_you_mean(message))
            .unwrap_or_else(|| format!("a deck's front matter fields: {FIELDS}"));
        Diagnostic::error(format!(
            "failed to read the deck's front matter ({})",
            crate::project::toml_help::plain_message(message)
        ))
        .at(path, text, span)
        .hint(hint)
    })?;
    let mut sink = Sink::default();
    let error = |r: Range<usize>, m: String| Diagnostic::error(m).at(path, text, shift(r));
    if raw.title.get_ref().trim().is_empty() {
        sink.push(
            error(raw.title.span(), "the deck's title is blank".into()).hint("the title slide shows it"),
        );
    }
    if let Some(l) = &raw.lang
        && l.get_ref() != stem
    {
        sink.push(
            error(l.span(), format!("lang `{}` does not match the file name `{stem}.md`", l.get_ref()))
                .hint(format!("rename the file or set `lang = \"{stem}\"`")),
        );
    }
    let region = raw.region.as_ref().map(|r| {
        let v = r.get_ref().clone();
        if let Some((message, hint)) = crate::content::frontmatter::region_problem(&v) {
            sink.push(error(r.span(), message).hint(hint));
        }
        v
    });
    let date = raw.date.as_ref().and_then(|d| {
        let parsed = crate::content::frontmatter::calendar_date(d.get_ref());
        if parsed.is_none() {
            sink.push(
                error(d.span(), "`date` must be a date like 2027-02-15".into())
                    .hint("write the day of the talk without quotes and without a time"),
            );
        }
        parsed
    });
    let duration =
        raw.duration.as_ref().and_then(|d| {
            let v = *d.get_ref();
            if (1..=MAX_DURATION_MIN).contains(&v) {
                u32::try_from(v).ok()
            } else {
                sink.push(error(d.span(), format!("a duration of {v} minutes is out of range")).hint(
                    format!("`duration` is the talk's length in whole minutes, 1 to {MAX_DURATION_MIN}"),
                ));
                None
            }
        });
    let blank = |v: &Option<Spanned<String>>| {
        v.as_ref().map(|s| s.get_ref().trim().to_owned()).filter(|s| !s.is_empty())
    };
    sink.finish()?;
    Ok(DeckFront {
        title: raw.title.get_ref().trim().to_owned(),
        subtitle: blank(&raw.subtitle),
        lang: stem.to_owned(),
        region,
        presenter: blank(&raw.presenter),
        course: blank(&raw.course),
        date,
        brand: raw.brand.map(|b| {
            let r = shift(b.span());
            (b.into_inner(), r)
        }),
        duration,
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

    fn run(front: &str) -> Result<DeckFront> {
        let text: Arc<str> = Arc::from(format!("+++\n{front}+++\n"));
        let range = 4..4 + front.len();
        parse(Path::new("decks/d/nl.md"), &text, range, "nl")
    }

    #[test]
    fn reads_every_field() {
        let f = run("title = \"Les\"\npresenter = \"An\"\ncourse = \"Kine 2\"\ndate = 2027-02-15\nbrand = \"x\"\nduration = 50\n").unwrap();
        assert_eq!(f.title, "Les");
        assert_eq!(f.presenter.as_deref(), Some("An"));
        assert_eq!(f.date, NaiveDate::from_ymd_opt(2027, 2, 15));
        assert_eq!(f.duration, Some(50));
        assert_eq!(f.brand.as_ref().map(|b| b.0.as_str()), Some("x"));
    }

    #[test]
    fn rejects_unknown_fields_and_bad_values_where_written() {
        let e = run("title = \"Les\"\nspeaker = \"An\"\n").unwrap_err();
        assert!(e.0[0].message.contains("unknown field `speaker`"), "{:?}", e.0[0].message);
        let e = run("title = \"Les\"\nduration = 0\ndate = 2027-02-15T10:00:00\n").unwrap_err();
        assert_eq!(e.0.len(), 2);
        assert!(e.0.iter().any(|d| d.message.contains("duration of 0 minutes")));
    }
}

//! A practice's own numbers for the red-flag card (`[[brand.numbers]]`): the ones its patients
//! need that no national table knows, such as the regional huisartsenpost in the Netherlands or
//! a hospital's own line. They follow the country's emergency numbers, which cannot be removed.
//!
//! ```toml
//! [[brand.numbers]]
//! number = "088 130 96 70"
//! caption = { nl = "Huisartsenpost Utrecht", en = "GP out-of-hours service, Utrecht" }
//!
//! [[brand.numbers]]
//! number = "09 332 21 11"
//! caption = "UZ Gent"            # the same caption in every language
//! ```

use std::collections::BTreeMap;

use serde::Deserialize;
use toml::Spanned;

use super::config::Origin;
use crate::diag::Sink;

/// The most numbers a practice may add: the card must keep room for its warning signs, and
/// the national emergency number must stay the one that stands out.
pub const MAX: usize = 3;

/// The longest caption, in characters: a caption is a name, not a sentence.
pub const MAX_CAPTION: usize = 60;

/// One `[[brand.numbers]]` entry as written.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawNumber {
    number: Spanned<String>,
    caption: Spanned<toml::Value>,
}

/// A validated local number.
#[derive(Debug, Clone)]
pub struct LocalNumber {
    /// The number as printed.
    pub number: String,
    /// What it is, per language or for all of them.
    pub caption: Caption,
    /// The caption as written, to locate a missing language.
    pub origin: Origin,
}

/// A local number's caption.
#[derive(Debug, Clone)]
pub enum Caption {
    /// The same text in every language (a proper name).
    All(String),
    /// Per language code.
    PerLang(BTreeMap<String, String>),
}

impl LocalNumber {
    /// The caption in `lang`, if the entry gives one.
    pub fn caption(&self, lang: &str) -> Option<&str> {
        match &self.caption {
            Caption::All(s) => Some(s),
            Caption::PerLang(m) => m.get(lang).map(String::as_str),
        }
    }

    /// Every text the entry may print: the number and its captions.
    pub fn texts(&self) -> Vec<&String> {
        let mut out = vec![&self.number];
        match &self.caption {
            Caption::All(s) => out.push(s),
            Caption::PerLang(m) => out.extend(m.values()),
        }
        out
    }

    /// The error for a language the caption table lacks.
    pub fn missing_caption(&self, lang: &str) -> crate::diag::Diagnostic {
        let have = match &self.caption {
            Caption::All(_) => String::new(),
            Caption::PerLang(m) => m.keys().map(|k| format!("`{k}`")).collect::<Vec<_>>().join(", "),
        };
        self.origin
            .error(format!("local number {} has no caption in `{lang}`", self.number))
            .hint(format!(
                "the caption gives {have}; add `{lang} = \"…\"` to it, or write one caption for every language: `caption = \"…\"`"
            ))
    }
}

/// Validates the entries, reporting every problem to `sink`; the valid ones.
pub(super) fn validate(
    raw: Vec<Spanned<RawNumber>>,
    at: &dyn Fn(std::ops::Range<usize>) -> Origin,
    sink: &mut Sink,
) -> Vec<LocalNumber> {
    if let Some(extra) = raw.get(MAX) {
        sink.push(
            at(extra.span())
                .error(format!("a practice may add at most {MAX} local numbers; this is number {}", MAX + 1))
                .hint(
                    "the red-flag card keeps room for its warning signs: keep the numbers patients need most",
                ),
        );
    }
    let mut out = Vec::new();
    for entry in raw.into_iter().take(MAX) {
        let RawNumber { number, caption } = entry.into_inner();
        let mut ok = true;
        let n = number.get_ref().trim();
        if !n.chars().any(|c| c.is_ascii_digit()) {
            ok = false;
            sink.push(
                at(number.span())
                    .error(format!("local number `{n}` has no digits"))
                    .hint("write the number as patients dial it, e.g. `088 130 96 70`"),
            );
        } else if n.chars().count() > 20 {
            ok = false;
            sink.push(
                at(number.span())
                    .error(format!("local number `{n}` is longer than 20 characters"))
                    .hint("write the number alone; say what it is in `caption`"),
            );
        }
        let mut problems = Vec::new();
        let span = caption.span();
        let parsed = match caption.into_inner() {
            toml::Value::String(s) => {
                Some(Caption::All(caption_text(&s, at(span.clone()), "", &mut problems)))
            }
            toml::Value::Table(t) if !t.is_empty() => {
                let mut m = BTreeMap::new();
                for (lang, v) in t {
                    match v {
                        toml::Value::String(s) => {
                            let what = format!("in `{lang}` ");
                            m.insert(lang, caption_text(&s, at(span.clone()), &what, &mut problems));
                        }
                        _ => {
                            problems.push(at(span.clone()).error(format!("the caption in `{lang}` is not text")).hint(
                                "write the captions as text per language: `caption = { nl = \"…\", en = \"…\" }`",
                            ));
                        }
                    }
                }
                Some(Caption::PerLang(m))
            }
            _ => {
                problems.push(at(span.clone()).error("the caption is neither text nor a table of languages").hint(
                    "write `caption = \"UZ Gent\"` for every language, or `caption = { nl = \"…\", en = \"…\" }`",
                ));
                None
            }
        };
        ok &= problems.is_empty();
        for p in problems {
            sink.push(p);
        }
        if let (true, Some(caption)) = (ok, parsed) {
            out.push(LocalNumber { number: n.to_owned(), caption, origin: at(span) });
        }
    }
    out
}

/// A caption's text, trimmed; a blank or overlong one adds a problem at `at`.
fn caption_text(s: &str, at: Origin, what: &str, problems: &mut Vec<crate::diag::Diagnostic>) -> String {
    let s = s.trim();
    let problem = if s.is_empty() {
        Some(format!("the caption {what}is blank"))
    } else if s.chars().count() > MAX_CAPTION {
        Some(format!("the caption {what}is longer than {MAX_CAPTION} characters"))
    } else {
        None
    };
    if let Some(p) = problem {
        problems.push(at.error(p).hint("name the service in a few words, e.g. `Huisartsenpost Utrecht`"));
    }
    s.to_owned()
}

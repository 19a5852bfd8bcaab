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

use serde::Deserialize;
use toml::Spanned;

use super::config::Origin;
use super::localized::{self, Localized};
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
    pub caption: Localized,
    /// The caption as written, to locate a missing language.
    pub origin: Origin,
}

impl LocalNumber {
    /// The caption in `lang`, if the entry gives one.
    pub fn caption(&self, lang: &str) -> Option<&str> {
        self.caption.get(lang)
    }

    /// Every text the entry may print: the number and its captions.
    pub fn texts(&self) -> Vec<&String> {
        std::iter::once(&self.number).chain(self.caption.texts()).collect()
    }

    /// The error for a language the caption table lacks.
    pub fn missing_caption(&self, lang: &str) -> crate::diag::Diagnostic {
        let subject = format!("local number {} has no caption", self.number);
        self.caption.missing(&self.origin, lang, &subject, "caption")
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
        let origin = at(caption.span());
        let parsed = localized::parse(
            caption.into_inner(),
            &origin,
            "caption",
            "UZ Gent",
            &caption_problem,
            &mut problems,
        );
        ok &= problems.is_empty();
        for p in problems {
            sink.push(p);
        }
        if let (true, Some(caption)) = (ok, parsed) {
            out.push(LocalNumber { number: n.to_owned(), caption, origin });
        }
    }
    out
}

/// The problem with a caption's text (trimmed), if it is blank or too long.
fn caption_problem(s: &str, what: &str) -> Option<(String, String)> {
    let problem = if s.is_empty() {
        format!("the caption {what}is blank")
    } else if s.chars().count() > MAX_CAPTION {
        format!("the caption {what}is longer than {MAX_CAPTION} characters")
    } else {
        return None;
    };
    Some((problem, "name the service in a few words, e.g. `Huisartsenpost Utrecht`".into()))
}

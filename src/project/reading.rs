//! `[project] max-sentence-words` and `min-readability`: the project's readability limits.

use std::collections::BTreeMap;

use serde::Deserialize;
use toml::Spanned;

use super::config::Origin;
use crate::diag::Sink;
use crate::readability::Lang;
use crate::readability::lint::{Limits, SENTENCE_WORDS_RANGE};

/// `min-readability` as written: one score, or a table of scores per language.
#[derive(Debug, Deserialize)]
#[serde(
    untagged,
    expecting = "a score from 0 to 100, or a table of scores per language like { nl = 60, de = 50 }"
)]
pub enum RawMin {
    /// One score for every language.
    All(f64),
    /// A score per language.
    PerLang(BTreeMap<String, f64>),
}

/// Checks the written limits; problems go to `sink` and leave the defaults.
pub fn validate(
    max_words: Option<Spanned<i64>>,
    min: Option<Spanned<RawMin>>,
    at: &dyn Fn(std::ops::Range<usize>) -> Origin,
    sink: &mut Sink,
) -> Limits {
    let mut limits = Limits::default();
    if let Some(max) = max_words {
        let span = max.span();
        match usize::try_from(*max.get_ref()) {
            Ok(n) if SENTENCE_WORDS_RANGE.contains(&n) => limits.max_sentence_words = n,
            _ => sink.push(
                at(span)
                    .error(format!(
                        "max-sentence-words must be from {} to {} (it is {})",
                        SENTENCE_WORDS_RANGE.start(),
                        SENTENCE_WORDS_RANGE.end(),
                        max.get_ref()
                    ))
                    .hint("`check` warns at sentences longer than this; plain (B1) texts keep sentences to 15–20 words, and 25 (the default) flags the ones most in need of splitting"),
            ),
        }
    }
    let Some(min) = min else { return limits };
    let span = min.span();
    let score = |lang: &str,
                 value: f64,
                 span: std::ops::Range<usize>,
                 limits: &mut Limits,
                 sink: &mut Sink| {
        if (0.0..=100.0).contains(&value) {
            limits.min_readability.insert(lang.to_owned(), value);
        } else {
            sink.push(
                at(span)
                    .error(format!("min-readability must be a score from 0 to 100 (it is {value})"))
                    .hint("scores run from 0 (very difficult) to 100 (very easy); 60 is the edge of \"standard\""),
            );
        }
    };
    match min.into_inner() {
        RawMin::All(value) => score("*", value, span, &mut limits, sink),
        RawMin::PerLang(table) => {
            // Values inside an either-or type carry no place of their own: the table is it.
            let text = at(0..0).text;
            for (lang, value) in table {
                let span = key_in(&text, span.clone(), &lang);
                if Lang::of(&lang).is_some() {
                    score(&lang, value, span, &mut limits, sink);
                } else {
                    sink.push(
                        at(span)
                            .error(format!("min-readability has no formula for the language `{lang}`"))
                            .hint("readability is scored for nl (Flesch–Douma), en (Flesch), fr (Kandel & Moles) and de (Amstad)"),
                    );
                }
            }
        }
    }
    limits
}

/// Where `key = ` is written inside `span` of `text` (the whole span if it cannot be found).
fn key_in(text: &str, span: std::ops::Range<usize>, key: &str) -> std::ops::Range<usize> {
    let Some(inside) = text.get(span.clone()) else { return span };
    inside
        .match_indices(key)
        .find(|(i, _)| {
            let before = inside[..*i].chars().next_back();
            before.is_none_or(|c| c == '{' || c == ',' || c.is_whitespace())
                && inside[i + key.len()..].trim_start().starts_with('=')
        })
        .map_or(span.clone(), |(i, _)| span.start + i..span.start + i + key.len())
}

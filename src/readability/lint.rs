//! What `check` says about readability: the longest sentences over the project's limit, at
//! their line, and scores under the project's minimum. Advice only: warnings, which
//! `--strict` leaves warnings (no score proves a text plain or not).

use std::collections::BTreeMap;
use std::ops::Range;

use super::extract::{self, Piece};
use super::{Lang, Measure, sentences};
use crate::content::Content;
use crate::diag::Diagnostic;
use crate::format::Format;

/// Default of `[project] max-sentence-words`: B1 guidance keeps sentences to 15–20 words;
/// 25 flags the ones that most need splitting without flagging every longer sentence.
pub const MAX_SENTENCE_WORDS: usize = 25;

/// The range `max-sentence-words` may take.
pub const SENTENCE_WORDS_RANGE: std::ops::RangeInclusive<usize> = 8..=60;

/// At most this many long sentences are reported per content file, longest first; the rest
/// are counted in the last one's hint.
pub const REPORTED_SENTENCES: usize = 5;

/// The project's readability settings.
#[derive(Debug, Clone, PartialEq)]
pub struct Limits {
    /// `[project] max-sentence-words`.
    pub max_sentence_words: usize,
    /// `[project] min-readability`: one score for every language (`"*"`) or one per language.
    pub min_readability: BTreeMap<String, f64>,
}

impl Default for Limits {
    fn default() -> Self {
        Limits { max_sentence_words: MAX_SENTENCE_WORDS, min_readability: BTreeMap::new() }
    }
}

impl Limits {
    /// The minimum score for `lang`, if the project sets one.
    pub fn min_for(&self, lang: &str) -> Option<f64> {
        self.min_readability.get(lang).or_else(|| self.min_readability.get("*")).copied()
    }
}

/// The warnings for `content`, whose documents measure `measured` (formats with what they
/// print, measured; formats that print the same text together).
pub fn lint(content: &Content, measured: &[(Vec<Format>, Measure)], limits: &Limits) -> Vec<Diagnostic> {
    let Some(lang) = Lang::of(&content.front.lang) else { return Vec::new() };
    let mut out = long_sentences(content, lang, limits.max_sentence_words);
    if let Some(min) = limits.min_for(&content.front.lang) {
        for (formats, m) in measured.iter().filter(|(_, m)| m.score < min) {
            let names: Vec<&str> = formats.iter().map(|f| f.name()).collect();
            out.push(
                Diagnostic::warning(format!(
                    "readability of the {} text is {:.0} ({}, {}), under min-readability {min}",
                    names.join(", "),
                    m.score,
                    m.formula,
                    m.band
                ))
                .at(&content.path, &content.text, title_range(&content.text))
                .hint(format!(
                    "{:.1} words per sentence, {} of {} sentences over {} words: shorter sentences and shorter words raise the score (`leafpress status` shows it per document)",
                    m.words_per_sentence,
                    m.long_sentences,
                    m.sentences,
                    super::LONG_SENTENCE_WORDS
                )),
            );
        }
    }
    out
}

/// The sentences of more than `max` words in every text of `content`, longest first.
fn long_sentences(content: &Content, lang: Lang, max: usize) -> Vec<Diagnostic> {
    let pieces = extract::all_pieces(content);
    // (words, reading order, section, sentence) of every sentence over the limit.
    let mut long: Vec<(usize, usize, Option<usize>, &str)> = Vec::new();
    for Piece { text, section } in &pieces {
        for s in sentences::split(text, lang) {
            if s.words.len() > max {
                long.push((s.words.len(), long.len(), *section, s.text));
            }
        }
    }
    // Longest first, equal lengths in reading order; only those shown are looked for in the
    // file, in reading order (each search goes on from the last), so a file of a thousand
    // long sentences costs one pass.
    long.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    let more = long.len().saturating_sub(REPORTED_SENTENCES);
    long.truncate(REPORTED_SENTENCES);
    long.sort_by_key(|l| l.1);
    let mut finder = Finder::new(content);
    let mut long: Vec<(usize, usize, Range<usize>, String)> = long
        .into_iter()
        .map(|(words, order, section, text)| (words, order, finder.find(section, text), shorten(text)))
        .collect();
    long.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    let shown = long.len();
    let long: Vec<(usize, Range<usize>, String)> = long.into_iter().map(|(w, _, at, t)| (w, at, t)).collect();
    long.into_iter()
        .take(REPORTED_SENTENCES)
        .enumerate()
        .map(|(i, (words, at, text))| {
            let mut d =
                Diagnostic::warning(format!("sentence of {words} words (max-sentence-words is {max})"))
                    .at(&content.path, &content.text, at)
                    .hint(format!("“{text}”: plain (B1) texts keep sentences to 15–20 words; split it"));
            if i + 1 == shown {
                if more > 0 {
                    d = d.hint(format!(
                        "{more} more sentence{} of this file {} over {max} words",
                        if more == 1 { "" } else { "s" },
                        if more == 1 { "is" } else { "are" }
                    ));
                }
                d = d.hint("`[project] max-sentence-words` in leafpress.toml sets the limit");
            }
            d
        })
        .collect()
}

/// The first words of a sentence, for a hint.
fn shorten(text: &str) -> String {
    let words: Vec<&str> = text.split_whitespace().collect();
    if words.len() <= 12 { words.join(" ") } else { format!("{} …", words[..10].join(" ")) }
}

/// The `title = …` line of the front matter, where whole-file findings point.
fn title_range(text: &str) -> Range<usize> {
    let mut at = 0;
    for line in text.split_inclusive('\n') {
        if line.trim_start().starts_with("title") {
            return at..at + line.trim_end().len();
        }
        at += line.len();
    }
    0..text.lines().next().map_or(0, str::len)
}

/// Finds sentences in the Markdown they were parsed from: by their first words, in the
/// region of their section, in reading order. Markup between the words (`**`, `[`, a
/// variable's braces) is skipped; where the words cannot be found (a variable filled in,
/// a link's address in between) the section's heading is the place.
struct Finder<'a> {
    text: &'a str,
    /// Each region's range (the lead, then each section) and how far the search got.
    regions: BTreeMap<Option<usize>, (Range<usize>, usize)>,
}

impl<'a> Finder<'a> {
    fn new(content: &'a Content) -> Self {
        let text: &str = &content.text;
        let starts: Vec<usize> = content.section_ranges.iter().map(|r| r.start).collect();
        let mut regions = BTreeMap::new();
        let first = starts.first().copied().unwrap_or(text.len());
        regions.insert(None, (0..first, 0));
        for (i, &s) in starts.iter().enumerate() {
            let end = starts.get(i + 1).copied().unwrap_or(text.len());
            regions.insert(Some(i), (s..end, s));
        }
        Finder { text, regions }
    }

    fn find(&mut self, section: Option<usize>, sentence: &str) -> Range<usize> {
        let Some((region, cursor)) = self.regions.get_mut(&section) else { return 0..0 };
        let fallback = match section {
            None => region.start..region.start,
            Some(_) => {
                region.start..self.text[region.clone()].find('\n').map_or(region.end, |n| region.start + n)
            }
        };
        let wanted: Vec<&str> = tokens(sentence).take(6).map(|(_, t)| t).collect();
        let length = tokens(sentence).count();
        let start = (*cursor).max(region.start);
        let hay: Vec<(usize, &str)> =
            tokens(&self.text[start..region.end]).map(|(i, t)| (start + i, t)).collect();
        for k in [6, 4, 2] {
            let k = k.min(wanted.len());
            if k == 0 {
                break;
            }
            if let Some(pos) =
                hay.windows(k).position(|w| w.iter().map(|(_, t)| *t).eq(wanted[..k].iter().copied()))
            {
                let (from, _) = hay[pos];
                let (last, t) = hay[pos + k - 1];
                // The next sentence starts after this one's words at the earliest.
                let (end, e) = hay[(pos + length.max(k) - 1).min(hay.len() - 1)];
                *cursor = end + e.len();
                return from..last + t.len();
            }
        }
        fallback
    }
}

/// Runs of letters and digits with their byte offsets.
fn tokens(text: &str) -> impl Iterator<Item = (usize, &str)> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|t| !t.is_empty())
        .map(move |t| (t.as_ptr() as usize - text.as_ptr() as usize, t))
}

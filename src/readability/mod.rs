//! Readability: each language's own formula over the text a document prints.
//!
//! Scores come from words per sentence (ASL) and syllables per word (ASW); see
//! [`sentences`] for what counts as either and [`syllables`] for the count. Which text counts
//! (paragraphs, list items and key messages, not headings, tables or alt text) is in
//! [`extract`]; what `check` says about it in [`lint`]. No score proves a text is plain
//! (there is no official mapping to B1): scores are reported, outliers flagged, and nothing
//! here is ever an error.

pub mod extract;
pub mod lint;
pub mod sentences;
pub mod syllables;

use serde::Serialize;

use crate::content::Content;
use crate::format::Format;

/// A language with a readability formula.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    /// Dutch (Flesch–Douma).
    Nl,
    /// English (Flesch Reading Ease).
    En,
    /// French (Kandel & Moles).
    Fr,
    /// German (Amstad).
    De,
}

impl Lang {
    /// The language of an ISO 639-1 code, if it has a formula.
    pub fn of(code: &str) -> Option<Lang> {
        match code {
            "nl" => Some(Lang::Nl),
            "en" => Some(Lang::En),
            "fr" => Some(Lang::Fr),
            "de" => Some(Lang::De),
            _ => None,
        }
    }

    /// The language's formula: `a − b·ASL − c·ASW`.
    pub fn formula(self) -> Formula {
        match self {
            Lang::Nl => Formula { name: "Flesch–Douma", a: 206.84, b: 0.93, c: 77.0 },
            Lang::En => Formula { name: "Flesch Reading Ease", a: 206.835, b: 1.015, c: 84.6 },
            Lang::Fr => Formula { name: "Kandel & Moles", a: 207.0, b: 1.015, c: 73.6 },
            Lang::De => Formula { name: "Amstad", a: 180.0, b: 1.0, c: 58.5 },
        }
    }
}

/// A reading-ease formula of the Flesch family.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Formula {
    /// Its name, as reported.
    pub name: &'static str,
    a: f64,
    b: f64,
    c: f64,
}

impl Formula {
    /// The score for `asl` words per sentence and `asw` syllables per word (it may leave
    /// 0–100; [`band`] and displays clamp).
    pub fn score(self, asl: f64, asw: f64) -> f64 {
        self.a - self.b * asl - self.c * asw
    }
}

/// The band a score falls in (the same bands for all four formulas): "very easy" (90–100) to
/// "very difficult" (0–30).
pub fn band(score: f64) -> &'static str {
    match score {
        s if s >= 90.0 => "very easy",
        s if s >= 80.0 => "easy",
        s if s >= 70.0 => "fairly easy",
        s if s >= 60.0 => "standard",
        s if s >= 50.0 => "fairly difficult",
        s if s >= 30.0 => "difficult",
        _ => "very difficult",
    }
}

/// Words per sentence above which a sentence counts as long in the reported share.
pub const LONG_SENTENCE_WORDS: usize = 20;

/// What a text measures.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Measure {
    /// The formula's name.
    pub formula: &'static str,
    /// Its score, to one decimal.
    pub score: f64,
    /// The score's band.
    pub band: &'static str,
    /// Sentences counted.
    pub sentences: usize,
    /// Words counted.
    pub words: usize,
    /// Syllables counted.
    pub syllables: usize,
    /// Words per sentence, to one decimal.
    pub words_per_sentence: f64,
    /// Sentences of more than [`LONG_SENTENCE_WORDS`] words.
    pub long_sentences: usize,
}

/// The syllables of one counted word.
pub fn word_syllables(word: &str, lang: Lang) -> usize {
    if word.chars().any(char::is_alphabetic) {
        syllables::count(word, lang)
    } else {
        // A number: one syllable per digit, at most four (112 is "één één twee").
        word.chars().filter(char::is_ascii_digit).count().clamp(1, 4)
    }
}

/// Measures `pieces` of text in `lang`; `None` when they hold no word.
pub fn measure<'a>(pieces: impl IntoIterator<Item = &'a str>, lang: Lang) -> Option<Measure> {
    let (mut sentences, mut words, mut syllables, mut long) = (0, 0, 0, 0);
    for piece in pieces {
        for s in sentences::split(piece, lang) {
            sentences += 1;
            words += s.words.len();
            long += usize::from(s.words.len() > LONG_SENTENCE_WORDS);
            syllables += s.words.iter().map(|w| word_syllables(w.text, lang)).sum::<usize>();
        }
    }
    if words == 0 {
        return None;
    }
    let asl = words as f64 / sentences as f64;
    let asw = syllables as f64 / words as f64;
    let formula = lang.formula();
    let score = formula.score(asl, asw);
    Some(Measure {
        formula: formula.name,
        score: (score * 10.0).round() / 10.0,
        band: band(score),
        sentences,
        words,
        syllables,
        words_per_sentence: (asl * 10.0).round() / 10.0,
        long_sentences: long,
    })
}

/// Measures the documents of `content` (each format with the positions of the sections it
/// shows); formats that print the same text are measured once, together, in the order given.
/// Empty when the language has no formula.
pub fn by_document(
    content: &Content,
    documents: impl IntoIterator<Item = (Format, Vec<usize>)>,
) -> Vec<(Vec<Format>, Measure)> {
    let Some(lang) = Lang::of(&content.front.lang) else { return Vec::new() };
    // What is printed (scope and sections), and the formats that print it.
    type Text = (extract::Scope, Vec<usize>);
    let mut groups: Vec<(Text, Vec<Format>)> = Vec::new();
    for (format, sections) in documents {
        let key = (extract::Scope::of(format), sections);
        match groups.iter_mut().find(|(k, _)| *k == key) {
            Some((_, formats)) => formats.push(format),
            None => groups.push((key, vec![format])),
        }
    }
    groups
        .into_iter()
        .filter_map(|((scope, sections), formats)| {
            let pieces = extract::pieces(content, &sections, scope);
            measure(pieces.iter().map(|p| p.text.as_str()), lang).map(|m| (formats, m))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_as_published() {
        // ASL 10, ASW 1.5.
        let at = |l: Lang, expected: f64| (l.formula().score(10.0, 1.5) - expected).abs() < 1e-9;
        assert!(at(Lang::En, 206.835 - 10.15 - 126.9));
        assert!(at(Lang::Nl, 206.84 - 9.3 - 115.5));
        assert!(at(Lang::Fr, 207.0 - 10.15 - 110.4));
        assert!(at(Lang::De, 180.0 - 10.0 - 87.75));
    }

    #[test]
    fn bands_at_their_edges() {
        assert_eq!(band(100.3), "very easy");
        assert_eq!(band(90.0), "very easy");
        assert_eq!(band(89.9), "easy");
        assert_eq!(band(60.0), "standard");
        assert_eq!(band(49.99), "difficult");
        assert_eq!(band(-12.0), "very difficult");
    }

    #[test]
    fn a_short_plain_text_scores_higher_than_a_long_one() {
        let plain = measure(["Je rug doet pijn. Blijf bewegen. Dat helpt."], Lang::Nl).unwrap();
        let hard = measure(
            ["Indien de neurologische uitvalsverschijnselen progressief verergeren, is een chirurgische decompressie van de betrokken zenuwwortel geïndiceerd, ongeacht de duur van de voorafgaande conservatieve behandeling."],
            Lang::Nl,
        )
        .unwrap();
        assert_eq!((plain.sentences, plain.words), (3, 8));
        assert_eq!((hard.sentences, hard.words, hard.long_sentences), (1, 23, 1));
        assert!(plain.score > 80.0 && hard.score < 30.0, "{plain:?} {hard:?}");
        assert_eq!(plain.band, band(plain.score));
    }

    #[test]
    fn numbers_count_a_syllable_per_digit() {
        assert_eq!(word_syllables("112", Lang::Nl), 3);
        assert_eq!(word_syllables("2029", Lang::Nl), 4);
        assert_eq!(word_syllables("1234567", Lang::Nl), 4);
        assert!(measure(["…"], Lang::Nl).is_none());
    }
}

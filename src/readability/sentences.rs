//! Sentences and words of a piece of text, as the readability formulas count them.
//!
//! - A sentence ends at `.`, `!`, `?` or `…` followed by a space and a capital, a digit or
//!   an opening quote, and at the end of the piece (a list item or key message without a full
//!   stop is a sentence). Colons and semicolons do not end one. A full stop after a single
//!   letter (initials, `z. B.`) or a known abbreviation (`bv.`, `Dr.`, `e.g.`) does not end one.
//! - A word is a run of letters and digits, joined by apostrophes, hyphens, full stops and
//!   commas inside it (`auto's`, `L5-S1`, `o.a.`, `1,5`). Web and e-mail addresses are left
//!   out: they are read, not pronounced.

use super::Lang;

/// A word as it counts.
#[derive(Debug, Clone, PartialEq)]
pub struct Word<'a> {
    /// The word, without the punctuation around it.
    pub text: &'a str,
}

/// One sentence of a piece.
#[derive(Debug, Clone, PartialEq)]
pub struct Sentence<'a> {
    /// The sentence as written, trimmed.
    pub text: &'a str,
    /// Its words.
    pub words: Vec<Word<'a>>,
}

/// Abbreviations (lower case, without their last full stop) after which a full stop does not end
/// a sentence, per language.
fn abbreviations(lang: Lang) -> &'static [&'static str] {
    match lang {
        Lang::Nl => &[
            "bv", "bijv", "o.a", "d.w.z", "dr", "dhr", "mevr", "mw", "prof", "nr", "ca", "evt", "m.a.w",
            "i.p.v", "incl", "excl", "max", "min", "resp", "zgn", "t.o.v", "vs",
        ],
        Lang::En => {
            &["dr", "mr", "mrs", "ms", "prof", "e.g", "i.e", "no", "st", "vs", "approx", "incl", "cf"]
        }
        Lang::Fr => &["dr", "pr", "mme", "mlle", "p.ex", "cf", "n°", "env", "max", "min", "vol", "p"],
        Lang::De => &[
            "dr", "prof", "z.b", "bzw", "d.h", "ca", "nr", "u.a", "evtl", "ggf", "bspw", "inkl", "max",
            "min", "vgl", "s.o", "s.u",
        ],
    }
}

/// Splits `text` into sentences with their words; sentences without a word are left out.
pub fn split(text: &str, lang: Lang) -> Vec<Sentence<'_>> {
    let mut out = Vec::new();
    let mut start = 0;
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let mut k = 0;
    while k < chars.len() {
        let (i, c) = chars[k];
        if matches!(c, '.' | '!' | '?' | '…') {
            // Take the whole run of end marks and closing quotes or brackets.
            let mut m = k + 1;
            while m < chars.len()
                && matches!(chars[m].1, '.' | '!' | '?' | '…' | ')' | ']' | '"' | '”' | '’' | '»' | '\'')
            {
                m += 1;
            }
            let end = chars.get(m).map_or(text.len(), |&(j, _)| j);
            let next = chars[m..].iter().find(|(_, c)| !c.is_whitespace()).map(|&(_, c)| c);
            let spaced = chars.get(m).is_none_or(|(_, c)| c.is_whitespace());
            let starts_new =
                next.is_none_or(|n| n.is_uppercase() || n.is_ascii_digit() || "\"“„«‘'([".contains(n));
            if spaced && starts_new && !(c == '.' && abbreviation_before(&text[start..i], lang)) {
                push(&mut out, &text[start..end]);
                start = end;
            }
            k = m;
            continue;
        }
        let _ = i;
        k += 1;
    }
    push(&mut out, &text[start..]);
    out
}

fn push<'a>(out: &mut Vec<Sentence<'a>>, piece: &'a str) {
    let text = piece.trim();
    let words = words(text);
    if !words.is_empty() {
        out.push(Sentence { text, words });
    }
}

/// Whether the text before a full stop ends in an abbreviation or a single letter.
fn abbreviation_before(before: &str, lang: Lang) -> bool {
    let last = before.rsplit(|c: char| c.is_whitespace() || c == '(').next().unwrap_or("");
    let last = last.trim_start_matches(|c: char| !c.is_alphanumeric());
    if last.chars().count() == 1 && last.chars().all(char::is_alphabetic) {
        return true;
    }
    let lower = last.to_lowercase();
    abbreviations(lang).contains(&lower.as_str())
}

/// The words of `text`.
pub fn words(text: &str) -> Vec<Word<'_>> {
    text.split(|c: char| c.is_whitespace() || c == '/' || c == '—')
        .filter(|t| !is_address(t))
        .filter_map(|t| {
            // Punctuation around the word is not part of it; inside it joins (o.a., 1,5, L5-S1).
            let t = t.trim_matches(|c: char| !c.is_alphanumeric());
            (!t.is_empty()).then_some(Word { text: t })
        })
        .collect()
}

fn is_address(token: &str) -> bool {
    token.contains("://") || token.starts_with("www.") || (token.contains('@') && token.contains('.'))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(s: &str, lang: Lang) -> Vec<&str> {
        split(s, lang).into_iter().map(|s| s.text).collect()
    }

    #[test]
    fn full_stops_end_sentences_before_a_capital() {
        assert_eq!(
            texts("Rust helpt. Blijf bewegen! Gaat het niet? Bel 112.", Lang::Nl),
            ["Rust helpt.", "Blijf bewegen!", "Gaat het niet?", "Bel 112."]
        );
    }

    #[test]
    fn abbreviations_initials_and_numbers_do_not() {
        assert_eq!(
            texts("Neem bv. paracetamol. Dr. Peeters weet het.", Lang::Nl),
            ["Neem bv. paracetamol.", "Dr. Peeters weet het."]
        );
        assert_eq!(texts("Das ist z. B. Ibuprofen. Gut.", Lang::De), ["Das ist z. B. Ibuprofen.", "Gut."]);
        assert_eq!(
            texts("Take 1.5 tablets, e.g. Paracetamol.", Lang::En),
            ["Take 1.5 tablets, e.g. Paracetamol."]
        );
        assert_eq!(texts("Wacht niet... zoek hulp.", Lang::Nl), ["Wacht niet... zoek hulp."]);
    }

    #[test]
    fn a_piece_without_a_full_stop_is_one_sentence() {
        assert_eq!(
            texts("Verlies van controle over plassen", Lang::Nl),
            ["Verlies van controle over plassen"]
        );
        assert!(split("  — ", Lang::Nl).is_empty());
    }

    #[test]
    fn quotes_close_a_sentence() {
        assert_eq!(
            texts("Hij zei: „Rust.” Daarna liep hij.", Lang::Nl),
            ["Hij zei: „Rust.”", "Daarna liep hij."]
        );
    }

    #[test]
    fn words_keep_inner_joins_and_skip_addresses() {
        let w: Vec<&str> =
            words("Zie www.example.org of (auto's), L5-S1 en 1,5 mg.").iter().map(|w| w.text).collect();
        assert_eq!(w, ["Zie", "of", "auto's", "L5-S1", "en", "1,5", "mg"]);
    }
}

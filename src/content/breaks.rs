//! Break opportunities in words too long for a line.
//!
//! Typst breaks lines only at spaces, hyphenation points and the places Unicode allows; a
//! long web address or a run of letters with none of those would run past the column, over
//! a trifold's fold or off a poster. Such runs get zero-width spaces: an address (a run with
//! `/` or `@`, or starting `www.`) longer than [`LONG_ADDRESS`] characters after the
//! characters that end its parts (`/`, `.`, `-`, `?`, …); any run longer than [`LONG_RUN`]
//! (no word of any language leafpress serves is that long) every [`MAX_PART`] characters.
//! Words are left to hyphenation: German compounds of 40 letters break at their syllables.

use std::borrow::Cow;

/// A run of more characters than this, without a space, is no word: it gets break
/// opportunities wherever needed.
pub const LONG_RUN: usize = 60;

/// An address longer than this gets break opportunities after its parts.
pub const LONG_ADDRESS: usize = 30;

/// The longest part between break opportunities in such a run.
pub const MAX_PART: usize = 15;

/// The zero-width space: a break opportunity that prints nothing.
pub const ZWSP: char = '\u{200b}';

/// Characters after which an address may break.
const AFTER: &[char] = &['/', '.', '-', '_', '?', '&', '=', '#', ',', ';', ':', '+', '~', '@', '|'];

/// `text` with break opportunities in every run of more than [`LONG_RUN`] characters.
pub fn breakable(text: &str) -> Cow<'_, str> {
    let long = text.split(char::is_whitespace).any(needs_breaks);
    if !long {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + text.len() / 8);
    let mut rest = text;
    while !rest.is_empty() {
        let end = rest.find(char::is_whitespace).unwrap_or(rest.len());
        push_run(&mut out, &rest[..end]);
        let after = rest[end..].find(|c: char| !c.is_whitespace()).map_or(rest.len(), |i| end + i);
        out.push_str(&rest[end..after]);
        rest = &rest[after..];
    }
    Cow::Owned(out)
}

/// Whether `run` looks like a web or e-mail address.
fn is_address(run: &str) -> bool {
    run.contains(['/', '@']) || run.starts_with("www.")
}

/// Whether a run without whitespace needs break opportunities.
fn needs_breaks(run: &str) -> bool {
    let limit = if is_address(run) { LONG_ADDRESS } else { LONG_RUN };
    run.chars().nth(limit).is_some()
}

/// Appends one run without whitespace, with break opportunities if it needs them.
fn push_run(out: &mut String, run: &str) {
    if !needs_breaks(run) {
        out.push_str(run);
        return;
    }
    let address = is_address(run);
    let mut part = 0;
    let mut chars = run.chars().peekable();
    while let Some(c) = chars.next() {
        if part >= MAX_PART {
            out.push(ZWSP);
            part = 0;
        }
        out.push(c);
        part += 1;
        if address && AFTER.contains(&c) && chars.peek().is_some() {
            out.push(ZWSP);
            part = 0;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_words_are_left_alone() {
        assert!(matches!(breakable("Bel meteen 112 als je plots niet kunt plassen."), Cow::Borrowed(_)));
        assert!(matches!(breakable("Bandscheibenvorfallbehandlung"), Cow::Borrowed(_)));
        let compound = "Schwangerschaftsbeckengürtelschmerzen-Behandlung:";
        assert!(matches!(breakable(compound), Cow::Borrowed(_)), "words are left to hyphenation");
    }

    #[test]
    fn addresses_break_after_their_parts() {
        let url = "https://www.example.org/patient-information/low-back-pain?lang=nl";
        let text = format!("See {url} now");
        let got = breakable(&text);
        assert_eq!(got.replace(ZWSP, ""), text);
        assert!(
            got.contains("https:\u{200b}/\u{200b}/\u{200b}www.\u{200b}example.\u{200b}org/\u{200b}"),
            "{got}"
        );
        assert!(got.ends_with("nl now"));
    }

    #[test]
    fn long_runs_without_separators_break_every_part() {
        let run = "a".repeat(300);
        let got = breakable(&run);
        assert_eq!(got.replace(ZWSP, ""), run);
        assert!(got.split(ZWSP).all(|p| p.chars().count() <= MAX_PART));
        assert_eq!(got.matches(ZWSP).count(), 300 / MAX_PART - 1);
    }

    #[test]
    fn whitespace_is_kept() {
        let text = format!("x\u{a0}{}\ty\nz", "b".repeat(40));
        assert_eq!(breakable(&text).replace(ZWSP, ""), text);
    }
}

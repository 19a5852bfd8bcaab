//! Fixed-size formats (trifold, poster, slides) report from their templates how their content
//! fitted. Content that does not fit at the smallest allowed type is an error here, never
//! silent clipping or an extra page. Handout and booklet flow onto more pages; they report
//! only a piece of the red-flag card that is never split and is taller than a page.

use std::path::Path;

use serde::Deserialize;

use crate::diag::{Diagnostic, Result, display_path};
use crate::engine::Marker;
use crate::format::Format;

/// What a template reports with `metadata(..) <leafpress>`.
#[derive(Debug, Deserialize)]
#[serde(tag = "kind", rename_all = "kebab-case", rename_all_fields = "kebab-case")]
enum Report {
    /// The body size the content was set at, and what the template chose (where the
    /// red-flag card went, how much text is shown).
    Fit {
        size: f64,
        #[serde(default)]
        note: Option<String>,
    },
    /// Content that did not fit at the smallest size, with the template's advice when it
    /// knows the cause.
    Overflow {
        place: String,
        by_mm: f64,
        size: f64,
        #[serde(default)]
        hint: Option<String>,
    },
    /// Large print: an SVG figure whose smallest label prints under the body size.
    SmallLabels { src: String, printed: f64, body: f64 },
    /// Anything else (slide boundaries, …) is not about fit.
    #[serde(other)]
    Other,
}

/// Warnings about the fit of one document that do not fail it: figures whose own labels print
/// smaller than large print's body.
pub fn warnings(markers: &[Marker], source: &Path) -> Vec<Diagnostic> {
    let mut seen = std::collections::BTreeSet::new();
    markers
        .iter()
        .filter_map(|m| match serde_json::from_value::<Report>(m.value.clone()) {
            Ok(Report::SmallLabels { src, printed, body }) if seen.insert(src.clone()) => Some(
                Diagnostic::warning(format!(
                    "large print: the labels of {} print at {printed} pt, under the body's {body} pt",
                    src.trim_start_matches('/')
                ))
                .in_file(source)
                .hint(format!(
                    "leafpress draws it as large as the page allows; draw its labels at least {:.0}% larger",
                    (body / printed - 1.0) * 100.0
                )),
            ),
            _ => None,
        })
        .collect()
}

/// The place the built-in care card (handout, booklet) reports when one of the pieces it is
/// split between is taller than a page.
const CARD_PIECE_PLACE: &str = "the red-flag card (one warning sign is taller than a page)";

/// How a format makes room for long content, which decides how its overflow is worded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Room {
    /// The type shrinks to a floor (trifold, poster).
    Shrinks,
    /// Text flows onto more pages; only what is never split can overflow (handout, booklet).
    Pages,
    /// Each slide holds what it holds (slides and their handout).
    Slides,
}

fn room(format: Format) -> Room {
    match format {
        Format::Trifold | Format::Poster => Room::Shrinks,
        Format::Handout | Format::LargePrint | Format::Html | Format::Booklet | Format::BookletImposed => {
            Room::Pages
        }
        Format::Slides | Format::SlidesHandout => Room::Slides,
    }
}

/// Turns overflow reports into one error; returns a note on the type size chosen, if any.
pub fn check(markers: &[Marker], format: Format, lang: &str, source: &Path) -> Result<Option<String>> {
    let mut chosen = None;
    let mut overflows = Vec::new();
    for m in markers {
        match serde_json::from_value::<Report>(m.value.clone()) {
            Ok(Report::Fit { size, note }) => chosen = Some((size, note)),
            Ok(Report::Overflow { place, by_mm, size, hint }) => overflows.push((place, by_mm, size, hint)),
            _ => {}
        }
    }
    if overflows.is_empty() {
        return Ok(chosen.map(|(size, note)| match note {
            Some(note) => format!("type {size} pt, {note}"),
            None => format!("type {size} pt"),
        }));
    }
    let room = room(format);
    let card_piece = |place: &str| room == Room::Pages && place == CARD_PIECE_PLACE;
    // The care card reports each of its too-tall pieces: one entry for them all.
    let pieces: Vec<String> =
        overflows.iter().filter(|o| card_piece(&o.0)).map(|(_, by, ..)| format!("{by:.1}")).collect();
    let mut places: Vec<String> = overflows
        .iter()
        .filter(|o| !card_piece(&o.0))
        .map(|(place, by, ..)| format!("{place} overflows by {by:.1} mm"))
        .collect();
    let breaks = "the card breaks only between its pieces: the key message, paragraphs, single warning signs";
    match pieces.as_slice() {
        [] => {}
        [by] => places
            .insert(0, format!("one piece of the red-flag card is {by} mm too tall for a page ({breaks})")),
        [rest @ .., last] => places.insert(
            0,
            format!(
                "{} pieces of the red-flag card are too tall for a page, by {} and {last} mm ({breaks})",
                pieces.len(),
                rest.join(", ")
            ),
        ),
    }
    let size = overflows[0].2;
    let at = match room {
        Room::Shrinks => format!("at the smallest allowed type size of {size} pt"),
        Room::Pages => format!("its pages at {size} pt"),
        Room::Slides => format!("its slides at {size} pt"),
    };
    // The built-in templates know the cause and say what to do; a project's own template
    // override may not, and gets a general word.
    let hint = overflows.iter().find_map(|o| o.3.clone()).unwrap_or_else(|| match room {
        Room::Shrinks => format!(
            "shorten the text, or choose fewer sections with [layout.{}] sections",
            format.layout_format()
        ),
        Room::Pages if overflows.iter().any(|o| card_piece(&o.0)) => "each piece must fit on one page with the card's \
            heading and the emergency numbers; most likely a warning sign is that long: split it into shorter \
            warning signs, and give the explanation its own section before the card"
            .to_owned(),
        Room::Pages => "text flows onto more pages, but this is never split across a page turn: shorten it".to_owned(),
        Room::Slides => "shorten the text on that slide (the full text belongs in the presenter notes)".to_owned(),
    });
    let d = Diagnostic::error(format!("{format} ({lang}) does not fit {at}: {}", places.join("; ")))
        .hint(format!("the content comes from {}", display_path(source)))
        .hint(hint);
    Err(d.into())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn overflow(place: &str, by: f64) -> Marker {
        let value = serde_json::json!({ "kind": "overflow", "place": place, "by-mm": by, "size": 13.0 });
        Marker { page: 1, value }
    }

    fn message(format: Format, markers: &[Marker]) -> (String, Vec<String>) {
        let e = check(markers, format, "nl", Path::new("nl.md")).unwrap_err();
        (e.0[0].message.clone(), e.0[0].hints.clone())
    }

    #[test]
    fn each_kind_of_format_has_its_wording() {
        let (m, hints) = message(Format::Handout, &[overflow(CARD_PIECE_PLACE, 12.34)]);
        assert_eq!(
            m,
            "handout (nl) does not fit its pages at 13 pt: one piece of the red-flag card is 12.3 mm too tall for a page (the card breaks only between its pieces: the key message, paragraphs, single warning signs)"
        );
        assert!(hints[1].contains("split it into shorter warning signs"), "{hints:?}");
        for format in [Format::Booklet, Format::BookletImposed] {
            let (m, hints) =
                message(format, &[overflow(CARD_PIECE_PLACE, 1.0), overflow(CARD_PIECE_PLACE, 2.0)]);
            assert!(m.contains("its pages at 13 pt: 2 pieces of the red-flag card are too tall for a page, by 1.0 and 2.0 mm"), "{m}");
            assert!(!hints.iter().any(|h| h.contains("slide")), "{hints:?}");
        }
        let (m, hints) = message(Format::Slides, &[overflow("slide `list` of section `a`", 3.0)]);
        assert!(
            m.contains("does not fit its slides at 13 pt: slide `list` of section `a` overflows by 3.0 mm"),
            "{m}"
        );
        assert!(hints[1].contains("presenter notes"), "{hints:?}");
        let (m, hints) = message(Format::Poster, &[overflow("the A3 page", 3.0)]);
        assert!(m.contains("does not fit at the smallest allowed type size of 13 pt"), "{m}");
        assert!(hints[1].contains("[layout.poster] sections"), "{hints:?}");
        // A template override's own place in a page format: no word about slides or the card.
        let (m, hints) = message(Format::Handout, &[overflow("my box", 3.0)]);
        assert!(m.ends_with("its pages at 13 pt: my box overflows by 3.0 mm"), "{m}");
        assert!(hints[1].contains("never split across a page turn"), "{hints:?}");
    }
}

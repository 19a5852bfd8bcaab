//! Fixed-size formats (trifold, poster, slides) report from their templates how their content
//! fitted. Content that does not fit at the smallest allowed type is an error here, never
//! silent clipping or an extra page.

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
    /// Anything else (slide boundaries, …) is not about fit.
    #[serde(other)]
    Other,
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
    let places: Vec<String> =
        overflows.iter().map(|(place, by, ..)| format!("{place} overflows by {by:.1} mm")).collect();
    let size = overflows[0].2;
    let at = if format.shrinks_to_fit() {
        format!("at the smallest allowed type size of {size} pt")
    } else {
        format!("its slides at {size} pt")
    };
    // The built-in templates know the cause and say what to do; a project's own template
    // override may not, and gets a general word.
    let hint = overflows.iter().find_map(|o| o.3.clone()).unwrap_or_else(|| {
        if format.shrinks_to_fit() {
            format!(
                "shorten the text, or choose fewer sections with [layout.{}] sections",
                format.layout_format()
            )
        } else {
            "shorten the text on that slide (the full text belongs in the presenter notes)".to_owned()
        }
    });
    let d = Diagnostic::error(format!("{format} ({lang}) does not fit {at}: {}", places.join("; ")))
        .hint(format!("the content comes from {}", display_path(source)))
        .hint(hint);
    Err(d.into())
}

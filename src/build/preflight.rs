//! Checks that need the fonts, run by `check` and by `build` before anything is compiled, so
//! that what `check` passes, `build` accepts: every brand's font family is there, and every
//! character the documents print has a glyph in some font.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::sync::Arc;

use super::{BuildConfig, Planned, plan};
use crate::diag::{Diagnostic, Result, Sink};
use crate::engine::Engine;
use crate::project::Project;

/// At most this many characters without a glyph are reported per file; the rest are counted.
const MAX_GLYPH_ERRORS: usize = 10;

/// Runs every check that needs the fonts; all problems are reported at once.
pub fn run(config: &BuildConfig, project: &Project, engine: &Engine, plan: &[Planned]) -> Result<()> {
    let mut sink = Sink::default();
    for problem in engine.font_problems() {
        sink.push(problem.clone());
    }
    let brands = project.config.brands.iter().filter(|b| plan::wanted(&config.brands, &b.id));
    for brand in brands.clone() {
        let family = &brand.font;
        if !engine.has_family(family) {
            sink.push(
                brand
                    .font_origin
                    .error(format!("font family `{family}` not found"))
                    .hint(format!(
                        "available: {}; for another family, put its font files (.ttf or .otf) in the project's fonts/ folder",
                        engine.families().join(", ")
                    )),
            );
        }
    }
    template_overrides(&project.root, &mut sink);
    // Each content file once, however many documents it gives.
    let mut seen = BTreeSet::new();
    for doc in plan.iter().filter(|d| seen.insert(d.source.clone())) {
        let mut printed = BTreeSet::new();
        collect(&serde_json::to_value(&doc.content.body).unwrap_or_default(), &mut printed);
        let front = &doc.content.front;
        for s in [&front.title, &front.version].into_iter().chain(&front.subtitle) {
            printed.extend(s.chars());
        }
        for s in front.authors.iter().chain(&front.reviewers) {
            printed.extend(s.chars());
        }
        missing_glyphs(engine, &doc.content.path, &doc.content.text, &printed, &mut sink);
    }
    for brand in brands {
        let printed: BTreeSet<char> = [&brand.name, &brand.phone, &brand.email]
            .into_iter()
            .chain(&brand.website)
            .chain(brand.tagline.iter().flat_map(|(t, _)| t.texts()))
            .chain(&brand.address)
            .chain(brand.numbers.iter().flat_map(|n| n.texts()))
            .flat_map(|s| s.chars())
            .collect();
        let origin = &brand.font_origin;
        missing_glyphs(engine, &origin.path, &origin.text, &printed, &mut sink);
    }
    // A project's own label tables (the built-in ones are covered by the built-in fonts).
    let mut langs = BTreeSet::new();
    for doc in plan.iter().filter(|d| langs.insert(d.content.front.lang.clone())) {
        let Some((path, text)) = &doc.labels.source else { continue };
        let mut printed = BTreeSet::new();
        collect(&serde_json::to_value(&*doc.labels).unwrap_or_default(), &mut printed);
        missing_glyphs(engine, path, text, &printed, &mut sink);
    }
    sink.finish().map(drop)
}

/// The largest template override leafpress reads (the built-in templates are under 100 KB).
pub const MAX_TEMPLATE_BYTES: u64 = 1024 * 1024;

/// Checks the project's template overrides (`templates/*.typ`): regular files inside the
/// project, of Typst text that is not blank. What they say is checked when they compile.
fn template_overrides(root: &Path, sink: &mut Sink) {
    let dir = root.join(crate::engine::loader::OVERRIDE_DIR);
    let Ok(entries) = std::fs::read_dir(&dir) else { return };
    let mut paths: Vec<_> = entries.flatten().map(|e| e.path()).collect();
    paths.sort();
    for path in paths.iter().filter(|p| p.extension().is_some_and(|e| e == "typ")) {
        let shown = crate::diag::display_path(path);
        let problem = match crate::project::assets::confine(root, path) {
            Err(e) => Some(e),
            Ok(real) => match std::fs::metadata(&real) {
                Err(e) => Some(format!("cannot read it ({e})")),
                Ok(m) if !m.is_file() => Some("it is not a regular file".to_owned()),
                Ok(m) if m.len() > MAX_TEMPLATE_BYTES => Some(format!(
                    "it is {} KB; a template may be at most {} KB",
                    m.len() / 1024,
                    MAX_TEMPLATE_BYTES / 1024
                )),
                Ok(_) => match std::fs::read(&real) {
                    Err(e) => Some(format!("cannot read it ({e})")),
                    Ok(bytes) => match String::from_utf8(bytes) {
                        Err(e) => Some(format!(
                            "it is not UTF-8 text (byte {} is not)",
                            e.utf8_error().valid_up_to()
                        )),
                        Ok(text) if text.trim().is_empty() => Some("it is empty".to_owned()),
                        Ok(_) => None,
                    },
                },
            },
        };
        if let Some(problem) = problem {
            sink.push(
                Diagnostic::error(format!("template override {} cannot be used: {problem}", shown))
                    .in_file(path)
                    .hint("a file in templates/ replaces leafpress's built-in template of the same name; delete it to use the built-in one"),
            );
        }
    }
}

/// Every character in the strings of `value`, except those of image paths.
fn collect(value: &serde_json::Value, chars: &mut BTreeSet<char>) {
    match value {
        serde_json::Value::String(s) => chars.extend(s.chars()),
        serde_json::Value::Array(items) => items.iter().for_each(|i| collect(i, chars)),
        serde_json::Value::Object(map) => {
            map.iter().filter(|(k, _)| k.as_str() != "src").for_each(|(_, v)| collect(v, chars))
        }
        _ => {}
    }
}

/// Characters that are not drawn, or that Typst handles without a glyph of their own.
fn needs_glyph(c: char) -> bool {
    !(c.is_whitespace()
        || c.is_control()
        || matches!(c, '\u{00ad}' | '\u{200b}'..='\u{200f}' | '\u{2060}'..='\u{2064}' | '\u{fe00}'..='\u{fe0f}' | '\u{feff}'))
}

/// Control characters (a NUL, a form feed) cannot be printed.
fn is_stray_control(c: char) -> bool {
    c.is_control() && !matches!(c, '\t' | '\n' | '\r')
}

/// An error for each character of `printed` that no font has, at its first place in `text`,
/// and for each control character.
fn missing_glyphs(engine: &Engine, path: &Path, text: &Arc<str>, printed: &BTreeSet<char>, sink: &mut Sink) {
    for &c in printed.iter().filter(|&&c| is_stray_control(c)) {
        let d = Diagnostic::error(format!("a control character (U+{:04X}) in the text", c as u32));
        let d = match text.find(c) {
            Some(at) => d.at(path, text, at..at + c.len_utf8()),
            None => d.in_file(path),
        };
        sink.push(d.hint(
            "it prints nothing and cannot be read aloud; delete it (it often comes with text copied from another program)",
        ));
    }
    let missing: Vec<char> =
        printed.iter().copied().filter(|&c| needs_glyph(c) && !engine.covers(c)).collect();
    // Report in the order they appear in the file.
    let mut placed: BTreeMap<usize, char> = BTreeMap::new();
    let mut unplaced = Vec::new();
    for c in missing {
        match text.find(c) {
            Some(at) => {
                placed.insert(at, c);
            }
            None => unplaced.push(c),
        }
    }
    let total = placed.len() + unplaced.len();
    let all = placed.into_iter().map(|(at, c)| (Some(at), c)).chain(unplaced.into_iter().map(|c| (None, c)));
    for (i, (at, c)) in all.enumerate() {
        if i == MAX_GLYPH_ERRORS {
            sink.push(
                Diagnostic::error(format!(
                    "{} more characters in {} have no glyph in any font",
                    total - MAX_GLYPH_ERRORS,
                    crate::diag::display_path(path)
                ))
                .hint("the first ones are reported above"),
            );
            break;
        }
        let d = Diagnostic::error(format!("no font has a glyph for `{c}` (U+{:04X})", c as u32));
        let d = match at {
            Some(at) => d.at(path, text, at..at + c.len_utf8()),
            None => d.in_file(path),
        };
        sink.push(d.hint(
            "the PDF cannot show this character: leave it out or write it in words, or add a font that has it to fonts/ (emoji are not printed)",
        ));
    }
}

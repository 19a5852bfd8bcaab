//! Content files: one Markdown file per language with TOML front matter, parsed and checked.

pub mod attrs;
pub mod bibliography;
pub mod breaks;
pub mod citations;
pub mod frontmatter;
pub mod html;
pub mod links;
pub mod markdown;
pub mod model;
pub mod review;
pub mod vars;

use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use bibliography::Bibliography;
use frontmatter::FrontMatter;
use model::Body;

use crate::diag::{Diagnostic, Result, Severity, Sink};
use crate::project::assets;

/// One language of a topic, parsed and validated.
#[derive(Debug, Clone)]
pub struct Content {
    /// The Markdown file.
    pub path: PathBuf,
    /// Its text.
    pub text: Arc<str>,
    /// The front matter.
    pub front: FrontMatter,
    /// The body.
    pub body: Body,
    /// Where each section's heading is in the file, parallel to `body.sections`.
    pub section_ranges: Vec<Range<usize>>,
    /// The `src` of the figure the front matter's `cover` names, if it names one.
    pub cover: Option<String>,
    /// For a teaching deck: what its title slide and presenter console show.
    pub deck: Option<DeckInfo>,
}

/// What a teaching deck adds to its content.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct DeckInfo {
    /// Who gives the talk.
    pub presenter: Option<String>,
    /// The course or occasion.
    pub course: Option<String>,
    /// The day of the talk.
    #[serde(skip)]
    pub date: Option<chrono::NaiveDate>,
    /// The talk's length in minutes.
    pub duration: Option<u32>,
}

/// The range of the first word at or after `from`, to mark where the body starts.
fn first_word(text: &str, from: usize) -> Range<usize> {
    let start = text[from..].find(|c: char| !c.is_whitespace()).map_or(from, |i| from + i);
    let end = text[start..].find(char::is_whitespace).map_or(text.len(), |i| start + i);
    start..end
}

/// Reads, parses and checks the content file at `path` (inside `root`, canonical).
pub fn load(root: &Path, path: &Path, bibliography: Option<&Bibliography>) -> Result<Content> {
    assets::confine(root, path).map_err(|e| Diagnostic::error(format!("failed to read content ({e})")))?;
    let bytes = assets::read_limited(path, assets::limits::CONTENT_BYTES, "a content file")
        .map_err(|e| e.hint("a content file is one leaflet's text in Markdown"))?;
    let text = crate::diag::decode_utf8(path, bytes, "content")?;
    let stem = path.file_stem().and_then(|s| s.to_str()).unwrap_or_default();
    let (front_range, body_offset) = frontmatter::split(path, &text)?;
    let mut sink = Sink::default();
    let front = sink.take(frontmatter::parse(path, &text, front_range, stem));

    let dir = path.parent().unwrap_or(root);
    // Each image is read and decoded once, however often the content shows it.
    let checked = std::cell::RefCell::new(std::collections::HashMap::new());
    let resolve = |reference: &str| {
        if let Some(known) = checked.borrow().get(reference) {
            return Clone::clone(known);
        }
        let result = assets::resolve_image(root, &[dir, root], reference).map(|a| a.virtual_path);
        checked.borrow_mut().insert(reference.to_owned(), result.clone());
        result
    };
    let parsed = markdown::parse(path, &text, body_offset, &resolve, &mut sink);

    let mut unknown = 0;
    for cite in &parsed.citations {
        let known = bibliography.is_some_and(|b| b.keys.contains(&cite.key));
        if known {
            continue;
        }
        unknown += 1;
        if unknown > markdown::MAX_ERRORS {
            continue;
        }
        let d = Diagnostic::error(format!("unknown citation key `{}`", cite.key)).at(
            path,
            &text,
            cite.range.clone(),
        );
        let d = match bibliography {
            None => d.hint(format!(
                "add a {} (or references.bib) beside this file that defines `{}`",
                bibliography::FILE,
                cite.key
            )),
            Some(b) => match b.closest(&cite.key) {
                Some(close) => d.hint(format!(
                    "did you mean `{close}`? keys are defined in {}",
                    crate::diag::display_path(&b.path)
                )),
                None => d.hint(format!("define `{}` in {}", cite.key, crate::diag::display_path(&b.path))),
            },
        };
        sink.push(d);
    }

    if unknown > markdown::MAX_ERRORS {
        let more = unknown - markdown::MAX_ERRORS;
        sink.push(
            Diagnostic::error(format!(
                "{more} more unknown citation key{} in {}",
                if more == 1 { "" } else { "s" },
                crate::diag::display_path(path)
            ))
            .in_file(path)
            .hint(format!("the first {} are reported above", markdown::MAX_ERRORS)),
        );
    }

    let cover = front.as_ref().and_then(|f| f.cover.as_ref()).and_then(|(written, range)| {
        let resolved = resolve(written).ok();
        let found =
            parsed.figures.iter().find(|f| &f.written == written || resolved.as_ref() == Some(&f.src));
        if found.is_none() {
            sink.push(cover_error(path, &text, written, range.clone(), &parsed.figures));
        }
        found.map(|f| f.src.clone())
    });

    let urgent: Vec<usize> =
        parsed.body.sections.iter().enumerate().filter(|(_, s)| s.urgent).map(|(i, _)| i).collect();
    // A section whose id says it is the red-flag section, but lacks `.urgent` (a translation
    // that lost it, say).
    let likely = parsed.body.sections.iter().position(|s| {
        ["red-flag", "urgent", "alarm", "warning-sign", "emergency", "when-to-call", "get-help"]
            .iter()
            .any(|w| s.id.contains(w))
    });
    match urgent.as_slice() {
        [] if !sink.has_errors() => sink.push(match likely {
            Some(i) => Diagnostic::error("the content has no red-flag section")
                .at(path, &text, parsed.section_ranges[i].clone())
                .hint(format!(
                    "if this is it, mark it `.urgent`: `{{#{} .urgent}}`; it becomes the emergency card",
                    parsed.body.sections[i].id
                )),
            None => Diagnostic::error("the content has no red-flag section")
                .at(path, &text, first_word(&text, body_offset))
                .hint("mark the section on when to seek urgent help with `.urgent`, e.g. `## When to get help now {#red-flags .urgent}`"),
        }),
        [_, second, ..] => sink.push(
            Diagnostic::error("more than one red-flag section")
                .at(path, &text, parsed.section_ranges[*second].clone())
                .hint("mark exactly one section `.urgent`; it becomes the emergency card"),
        ),
        _ => {}
    }

    sink.finish()?;
    let Some(front) = front else { unreachable!("a front-matter error was recorded above") };
    Ok(Content {
        path: path.to_owned(),
        text,
        front,
        body: parsed.body,
        section_ranges: parsed.section_ranges,
        cover,
        deck: None,
    })
}

/// The error for a `cover` that is none of the content's figures.
fn cover_error(
    path: &Path,
    text: &Arc<str>,
    written: &str,
    range: Range<usize>,
    figures: &[markdown::FigureRef],
) -> Diagnostic {
    let d = Diagnostic::error(format!("cover `{written}` is not one of the content's figures"))
        .at(path, text, range);
    let closest = figures
        .iter()
        .map(|f| (strsim::normalized_levenshtein(&f.written, written), &f.written))
        .max_by(|a, b| a.0.total_cmp(&b.0));
    match closest {
        None => d.hint(
            "the content has no figure: add one with `![alt text](images/x.svg)`, or leave `cover` out",
        ),
        Some((score, close)) if score >= 0.5 => {
            d.hint(format!("did you mean `{close}`? the cover is one of the images the content shows"))
        }
        Some(_) => {
            let all: Vec<String> = figures.iter().map(|f| format!("`{}`", f.written)).collect();
            d.hint(format!("the cover is one of the images the content shows: {}", all.join(", ")))
        }
    }
}

/// A warning (an error when `severity` says so, with `check --strict`) at the heading of each
/// section other than the red-flag one that has no key message: the formats with little room
/// show sections by their key message and leave such a section out.
pub fn key_message_warnings(content: &Content, severity: Severity) -> Vec<Diagnostic> {
    let sections = content.body.sections.iter().zip(&content.section_ranges);
    sections
        .filter(|(s, _)| !s.urgent && s.key_message.is_none())
        .map(|(s, range)| {
            Diagnostic::new(severity, format!("section `{}` has no key message", s.id))
                .at(&content.path, &content.text, range.clone())
                .hint("the poster shows sections by their key message and leaves this one out; add a one- or two-sentence `> [!IMPORTANT]`")
        })
        .collect()
}

//! A deck file's body: written slides (Markdown, as in content files), topic includes
//! (`{{< topic id sections="a b" >}}` on a line of its own) and presenter notes
//! (`::: notes` … `:::`).
//!
//! Includes and notes are found line by line (outside code fences) and blanked out (every
//! byte a space, so offsets stay) before the Markdown parser sees the body; each written
//! slide and include is placed by where it is written, and notes go with the slide or
//! include above them.

use std::ops::Range;
use std::path::Path;
use std::sync::Arc;

use super::front::DeckFront;
use crate::content::markdown::{self, CiteRef, ImageResolver};
use crate::content::model::Body;
use crate::diag::{Diagnostic, Result, Sink};

/// The most includes one deck file may hold.
pub const MAX_INCLUDES: usize = 200;

/// A deck file, parsed.
#[derive(Debug)]
pub struct DeckFile {
    /// The file.
    pub path: std::path::PathBuf,
    /// Its text.
    pub text: Arc<str>,
    /// Its front matter.
    pub front: DeckFront,
    /// The written slides, as sections (the lead: the title slide's notes).
    pub body: Body,
    /// Where each written slide's heading is, parallel to `body.sections`.
    pub section_ranges: Vec<Range<usize>>,
    /// Every citation in the written slides.
    pub citations: Vec<CiteRef>,
    /// What the deck holds, in order.
    pub items: Vec<Item>,
}

/// One thing a deck holds.
#[derive(Debug, Clone, PartialEq)]
pub struct Item {
    /// What it is.
    pub kind: ItemKind,
    /// Where it is written.
    pub range: Range<usize>,
    /// The presenter's notes written under it.
    pub notes: Option<String>,
}

/// A written slide or an include.
#[derive(Debug, Clone, PartialEq)]
pub enum ItemKind {
    /// The written slide `body.sections[i]`.
    Written(usize),
    /// A topic, whole or the sections named (each with where it is written).
    Topic { id: String, sections: Option<Vec<(String, Range<usize>)>> },
}

/// Reads a deck file's front matter and body. `text` is the whole file.
pub fn parse(path: &Path, text: &Arc<str>, images: &ImageResolver) -> Result<DeckFile> {
    let stem = path.file_stem().and_then(|s| s.to_str()).unwrap_or_default();
    let (front_range, body_offset) = crate::content::frontmatter::split(path, text)?;
    let mut sink = Sink::default();
    let front = sink.take(super::front::parse(path, text, front_range, stem));
    let scan = scan(path, text, body_offset, &mut sink);
    let blanked: Arc<str> = Arc::from(scan.blanked.as_str());
    let parsed = markdown::parse(path, &blanked, body_offset, images, &mut sink);
    let mut items: Vec<Item> = parsed
        .section_ranges
        .iter()
        .enumerate()
        .map(|(i, r)| Item { kind: ItemKind::Written(i), range: r.clone(), notes: None })
        .chain(scan.includes)
        .collect();
    items.sort_by_key(|i| i.range.start);
    for (range, notes) in scan.notes {
        match items.iter_mut().rev().find(|i| i.range.start < range.start) {
            Some(item) => {
                let joined = match item.notes.take() {
                    Some(before) => format!("{before}\n\n{notes}"),
                    None => notes,
                };
                item.notes = Some(joined);
            }
            None => {
                sink.push(Diagnostic::error("these notes come before any slide").at(path, text, range).hint(
                    "put a `::: notes` block under the slide (`## Title {#id}`) or the include it is for",
                ))
            }
        }
    }
    if items.is_empty() {
        sink.push(
            Diagnostic::error("the deck holds no slides")
                .at(path, text, body_offset..body_offset)
                .hint("write a slide (`## Title {#id}`) or include a topic: {{< topic hernia >}}"),
        );
    }
    sink.finish()?;
    let Some(front) = front else { unreachable!("a front matter error was recorded above") };
    Ok(DeckFile {
        path: path.to_owned(),
        text: Arc::clone(text),
        front,
        body: parsed.body,
        section_ranges: parsed.section_ranges,
        citations: parsed.citations,
        items,
    })
}

/// What the line scan finds.
struct Scan {
    /// The text with includes and notes blanked out.
    blanked: String,
    /// The includes.
    includes: Vec<Item>,
    /// Each notes block: where it is, and its text.
    notes: Vec<(Range<usize>, String)>,
}

fn scan(path: &Path, text: &Arc<str>, offset: usize, sink: &mut Sink) -> Scan {
    let mut bytes = text.as_bytes().to_vec();
    let mut blank = |r: Range<usize>| {
        for b in &mut bytes[r] {
            if *b != b'\n' {
                *b = b' ';
            }
        }
    };
    let mut includes = Vec::new();
    let mut notes = Vec::new();
    // The open notes block: where it starts and its lines.
    let mut open: Option<(Range<usize>, Vec<&str>)> = None;
    let mut fence: Option<&str> = None;
    // Where the last include ends, while nothing but notes and blank lines came after it.
    let mut after_include = false;
    let mut pos = offset;
    for raw in text[offset..].split_inclusive('\n') {
        let start = pos;
        pos += raw.len();
        let line = raw.trim_end_matches(['\n', '\r']);
        let range = start..start + line.len();
        let trimmed = line.trim();
        if let Some((opened, lines)) = open.as_mut() {
            if trimmed == ":::" {
                let whole = opened.start..range.end;
                notes.push((whole.clone(), note_text(lines)));
                blank(whole);
                open = None;
                continue;
            }
            // A slide, include or block inside notes: the notes were never closed (they would
            // swallow the slides up to the next `:::`).
            let starts =
                trimmed.starts_with("## ") || trimmed.starts_with("{{<") || trimmed.starts_with(":::");
            if !starts {
                lines.push(line);
                continue;
            }
            sink.push(
                Diagnostic::error("the notes block is not closed")
                    .at(path, text, opened.clone())
                    .hint("end the presenter's notes with a line holding only `:::` before the next slide"),
            );
            let whole = opened.start..start;
            blank(whole);
            open = None;
        }
        if let Some(f) = fence {
            if trimmed.starts_with(f) {
                fence = None;
            }
            continue;
        }
        if trimmed.starts_with("```") || trimmed.starts_with("~~~") {
            fence = Some(&trimmed[..3]);
            continue;
        }
        if let Some(kind) = trimmed.strip_prefix(":::") {
            if kind.trim() == "notes" {
                open = Some((range, Vec::new()));
            } else {
                sink.push(
                    Diagnostic::error(format!("unknown block `::: {}`", kind.trim()))
                        .at(path, text, range)
                        .hint("a deck knows `::: notes` … `:::` for the presenter's notes"),
                );
            }
            continue;
        }
        if trimmed.starts_with("{{<") {
            let indent = line.len() - line.trim_start().len();
            match directive(trimmed, range.start + indent) {
                Ok(kind) => {
                    if includes.len() == MAX_INCLUDES {
                        sink.push(
                            Diagnostic::error(format!("a deck holds at most {MAX_INCLUDES} includes"))
                                .at(path, text, range.clone())
                                .hint("split the lesson into several decks"),
                        );
                    }
                    includes.push(Item { kind, range: range.clone(), notes: None });
                    after_include = true;
                }
                Err((message, at, hint)) => {
                    sink.push(Diagnostic::error(message).at(path, text, at).hint(hint))
                }
            }
            blank(range);
            continue;
        }
        // A thematic break is reported by the Markdown parser.
        let rule = ["---", "***", "___"].iter().any(|r| {
            trimmed.starts_with(r) && trimmed.chars().all(|c| c == r.as_bytes()[0] as char || c == ' ')
        });
        if trimmed.starts_with("## ") || trimmed == "##" {
            after_include = false;
        } else if after_include && !trimmed.is_empty() && !rule {
            let heading = trimmed.starts_with('#');
            let (message, hint) = if heading {
                (
                    "a slide after an include starts with a level-2 heading",
                    "write the slide's heading as `## Title {#id}`",
                )
            } else {
                (
                    "this text follows an include and belongs to no slide",
                    "start a written slide above it (`## Title {#id}`), or put it in a `::: notes` block for the presenter",
                )
            };
            sink.push(Diagnostic::error(message).at(path, text, range).hint(hint));
            after_include = false;
        }
    }
    if let Some((opened, _)) = open {
        sink.push(
            Diagnostic::error("the notes block is not closed")
                .at(path, text, opened)
                .hint("end the presenter's notes with a line holding only `:::`"),
        );
    }
    let blanked = String::from_utf8(bytes).unwrap_or_default();
    Scan { blanked, includes, notes }
}

/// Notes as plain text: each paragraph's lines joined, paragraphs a blank line apart.
fn note_text(lines: &[&str]) -> String {
    let mut paragraphs: Vec<String> = Vec::new();
    let mut current: Vec<&str> = Vec::new();
    for line in lines.iter().map(|l| l.trim()) {
        if line.is_empty() {
            if !current.is_empty() {
                paragraphs.push(current.join(" "));
                current.clear();
            }
        } else if line.starts_with("- ") || line.starts_with("* ") {
            // A list item starts a line of its own.
            if !current.is_empty() {
                paragraphs.push(current.join(" "));
                current.clear();
            }
            current.push(line);
            paragraphs.push(current.join(" "));
            current.clear();
        } else {
            current.push(line);
        }
    }
    if !current.is_empty() {
        paragraphs.push(current.join(" "));
    }
    paragraphs.join("\n\n").replace("\n\n- ", "\n- ").replace("\n\n* ", "\n* ")
}

/// Why a directive could not be read: message, where, hint.
type DirectiveError = (String, Range<usize>, String);

/// Reads `{{< topic id sections="a b" >}}` written at `at` (the first `{`).
fn directive(line: &str, at: usize) -> std::result::Result<ItemKind, DirectiveError> {
    let whole = at..at + line.len();
    let usage = "an include is `{{< topic hernia >}}`, or `{{< topic hernia sections=\"what-is red-flags\" >}}` for chosen sections".to_owned();
    let Some(inner) = line.strip_prefix("{{<").and_then(|l| l.strip_suffix(">}}")) else {
        if let Some(end) = line.find(">}}") {
            let after = at + end + 3..at + line.len();
            return Err((
                "text after the include on its line".into(),
                after,
                "an include stands on a line of its own; put the text on a slide or in a `::: notes` block"
                    .into(),
            ));
        }
        return Err(("an include must end with `>}}` on its line".into(), whole, usage));
    };
    let base = at + 3;
    // Words with where each is.
    let mut words: Vec<(&str, Range<usize>)> = Vec::new();
    let mut i = 0;
    let bytes = inner.as_bytes();
    while i < bytes.len() {
        if bytes[i].is_ascii_whitespace() {
            i += 1;
            continue;
        }
        let s = i;
        let mut quoted = false;
        while i < bytes.len() && (quoted || !bytes[i].is_ascii_whitespace()) {
            if bytes[i] == b'"' {
                quoted = !quoted;
            }
            i += 1;
        }
        words.push((&inner[s..i], base + s..base + i));
    }
    let mut words = words.into_iter();
    match words.next() {
        Some(("topic", _)) => {}
        Some((other, r)) => {
            return Err((format!("unknown include `{other}`"), r, usage));
        }
        None => return Err(("the include names nothing".into(), whole, usage)),
    }
    let Some((id, _)) = words.next() else {
        return Err(("the include names no topic".into(), whole, usage));
    };
    let mut sections = None;
    for (word, r) in words {
        let Some(value) = word.strip_prefix("sections=") else {
            return Err((format!("unknown setting `{word}` in the include"), r, usage));
        };
        let value_at = r.start + "sections=".len();
        let (value, value_at) = match value.strip_prefix('"').and_then(|v| v.strip_suffix('"')) {
            Some(v) => (v, value_at + 1),
            None => (value, value_at),
        };
        let mut ids = Vec::new();
        let mut k = 0;
        for part in value.split([' ', ',']) {
            if !part.is_empty() {
                ids.push((part.to_owned(), value_at + k..value_at + k + part.len()));
            }
            k += part.len() + 1;
        }
        if ids.is_empty() {
            return Err(("`sections` names no section".into(), r, usage));
        }
        sections = Some(ids);
    }
    Ok(ItemKind::Topic { id: id.to_owned(), sections })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn deck(body: &str) -> Result<DeckFile> {
        let text: Arc<str> = Arc::from(format!("+++\ntitle = \"Les\"\n+++\n{body}"));
        parse(Path::new("decks/les/nl.md"), &text, &|r: &str| Ok(r.to_owned()))
    }

    #[test]
    fn reads_slides_includes_and_notes_in_order() {
        let d = deck(
            "Welkom.\n\n## Leerdoelen {#goals}\n\n- Een\n- Twee\n\n::: notes\nZeg dit\neerst.\n\nDan dit.\n:::\n\n{{< topic hernia sections=\"what-is red-flags\" >}}\n\n::: notes\nExtra.\n:::\n\n{{< topic neck >}}\n\n## Vraag {#quiz}\n\nWat denk je?\n",
        )
        .unwrap();
        assert_eq!(d.body.sections.len(), 2);
        let kinds: Vec<&ItemKind> = d.items.iter().map(|i| &i.kind).collect();
        assert!(matches!(kinds[0], ItemKind::Written(0)));
        let ItemKind::Topic { id, sections: Some(s) } = kinds[1] else { panic!("{kinds:?}") };
        assert_eq!(id, "hernia");
        assert_eq!(s.iter().map(|x| x.0.as_str()).collect::<Vec<_>>(), ["what-is", "red-flags"]);
        assert_eq!(&d.text[s[1].1.clone()], "red-flags");
        assert!(matches!(kinds[2], ItemKind::Topic { sections: None, .. }));
        assert!(matches!(kinds[3], ItemKind::Written(1)));
        assert_eq!(d.items[0].notes.as_deref(), Some("Zeg dit eerst.\n\nDan dit."));
        assert_eq!(d.items[1].notes.as_deref(), Some("Extra."));
        // The notes are not part of the slide.
        assert_eq!(d.body.sections[0].blocks.len(), 1);
    }

    #[test]
    fn problems_are_located() {
        let e = deck("## A {#a}\n\n{{< topik hernia >}}\n").unwrap_err();
        assert!(e.0[0].message.contains("unknown include `topik`"), "{}", e.0[0].message);
        let e = deck("## A {#a}\n\n::: notes\nopen\n").unwrap_err();
        assert!(e.0[0].message.contains("not closed"));
        let e = deck("{{< topic hernia >}}\nStray text.\n").unwrap_err();
        assert!(e.0[0].message.contains("belongs to no slide"));
        let e = deck("::: notes\nToo early.\n:::\n## A {#a}\n").unwrap_err();
        assert!(e.0[0].message.contains("before any slide"));
        let e = deck("{{< topic hernia >}}\n### Quiz {#quiz}\n").unwrap_err();
        assert!(e.0[0].message.contains("level-2 heading"), "{}", e.0[0].message);
        let e = deck("{{< topic hernia >}} Zie ook.\n").unwrap_err();
        assert_eq!(e.0[0].message, "text after the include on its line");
        // A rule after an include: the Markdown parser's one error, not a second.
        let e = deck("{{< topic hernia >}}\n\n---\n\n## A {#a}\n").unwrap_err();
        assert_eq!(e.0.len(), 1, "{:?}", e.0.iter().map(|d| &d.message).collect::<Vec<_>>());
    }
}

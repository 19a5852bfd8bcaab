//! Presenter notes for the slides: a `<deck>.pdfpc` file (pdfpc format 2) beside the PDF,
//! with one entry per page. The slide template marks each page with its section and the parts
//! of it (title, key message, blocks, runs of list items or table rows) its note stands for
//! (see `attribute` in deck.typ); each page's note is the full text of those parts, citations
//! written out as author and year, so that every sentence of the section is in the notes once
//! and a continuation slide never repeats. A deck's `duration` goes to the file too.

use serde::{Deserialize, Serialize};

use crate::content::Content;
use crate::content::model::{Block, CiteText as Cite, Inline};
use crate::engine::Marker;

/// The `.pdfpc` file.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct Pdfpc {
    pdfpc_format: u32,
    /// The talk's length in minutes, for the console's timer.
    #[serde(skip_serializing_if = "Option::is_none")]
    duration: Option<u32>,
    disable_markdown: bool,
    pages: Vec<PdfpcPage>,
}

/// One page of the deck.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct PdfpcPage {
    idx: usize,
    label: String,
    overlay: u32,
    forced_overlay: bool,
    hidden: bool,
    note: String,
}

/// What the slide template says about one slide.
#[derive(Debug, Deserialize)]
struct SlideMark {
    kind: String,
    /// What the slide shows: `title`, `section` (its key message or opening text, or a run
    /// of one of its lists), `written` (a deck's own slide), `figure`, `table`, `quote`,
    /// `urgent`, `references` (the first of the pages the list flows over), `closing`.
    role: String,
    /// The section shown, if any.
    section: Option<String>,
    /// What of the section the slide's note holds (the template's `attribute`).
    #[serde(default)]
    parts: Vec<Part>,
}

/// A part of a section.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum Part {
    /// `"title"` or `"key"`: the section's title or key message.
    Named(Named),
    /// The section's block `block`: whole, or its items (rows) `from` to `to` - 1.
    Block { block: usize, from: Option<usize>, to: Option<usize> },
}

/// The parts named by a string.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "lowercase")]
enum Named {
    Title,
    Key,
}

/// Builds the `.pdfpc` JSON for a deck of `pages` pages.
pub fn write(markers: &[Marker], content: &Content, pages: usize, cite: Cite) -> Result<String, String> {
    let mut slides: Vec<Option<SlideMark>> = (0..pages).map(|_| None).collect();
    for m in markers {
        let Ok(mark) = serde_json::from_value::<SlideMark>(m.value.clone()) else { continue };
        if mark.kind != "slide" {
            continue;
        }
        let slot = slides.get_mut(m.page.wrapping_sub(1)).ok_or("a slide marker is on no page")?;
        if slot.is_some() {
            return Err(format!("page {} holds two slides", m.page));
        }
        *slot = Some(mark);
    }
    let mut pages_out: Vec<PdfpcPage> = Vec::with_capacity(pages);
    let mut previous_role = None;
    for (idx, slide) in slides.iter().enumerate() {
        let note = match (slide, previous_role) {
            (Some(s), _) => note(s, content, cite),
            // The reference list flows over several pages: each continues the first.
            (None, Some("references")) => String::new(),
            _ => return Err(format!("page {} is not a slide of its own", idx + 1)),
        };
        if let Some(s) = slide {
            previous_role = Some(s.role.as_str());
        }
        pages_out.push(PdfpcPage {
            idx,
            label: (idx + 1).to_string(),
            overlay: 0,
            forced_overlay: false,
            hidden: false,
            note,
        });
    }
    let duration = content.deck.as_ref().and_then(|d| d.duration);
    let file = Pdfpc { pdfpc_format: 2, duration, disable_markdown: true, pages: pages_out };
    serde_json::to_string_pretty(&file).map_err(|e| e.to_string())
}

/// A slide's note: the text of the parts the template gave it (so each part of the text is
/// in one note, and a continuation slide never repeats the one before), citations written
/// out. The title slide has the title and the lead. Notes a deck writes for a slide of its
/// own stand in place of its text; for an included section they come before its text.
fn note(slide: &SlideMark, content: &Content, cite: Cite) -> String {
    if slide.role == "title" {
        let front = &content.front;
        let mut parts = vec![front.title.clone()];
        parts.extend(front.subtitle.clone());
        parts.push(blocks_text(&content.body.lead, cite));
        return join(parts);
    }
    let Some(section) =
        slide.section.as_ref().and_then(|id| content.body.sections.iter().find(|s| &s.id == id))
    else {
        return String::new();
    };
    let mut out = Vec::new();
    for part in &slide.parts {
        match part {
            Part::Named(Named::Title) => {
                out.push(section.title.clone());
                if let Some(notes) = &section.notes {
                    out.push(notes.clone());
                    if section.written {
                        return join(out);
                    }
                }
                out.push(blocks_text(&section.intro, cite));
            }
            Part::Named(Named::Key) => {
                out.extend(section.key_message.as_deref().map(|k| tidy(&Inline::plain_with(k, cite))))
            }
            Part::Block { block, from, to } => {
                let Some(b) = section.blocks.get(*block) else { continue };
                out.push(match (from, to) {
                    (Some(a), Some(z)) => part_text(b, *a, *z, cite),
                    _ => blocks_text(std::slice::from_ref(b), cite),
                });
            }
        }
    }
    join(out)
}

/// The items (or table rows, the header with the first) `from` to `to` - 1 of a list or table.
fn part_text(b: &Block, from: usize, to: usize, cite: Cite) -> String {
    match b {
        Block::List { ordered, start, items } => items
            .iter()
            .enumerate()
            .take(to)
            .skip(from)
            .map(|(i, item)| item_line(*ordered, *start as usize + i, item, cite))
            .collect::<Vec<_>>()
            .join("\n"),
        Block::Table { header, rows, .. } => {
            let head = (from == 0).then_some(header);
            head.into_iter()
                .chain(rows.iter().take(to).skip(from))
                .map(|row| row_line(row, cite))
                .collect::<Vec<_>>()
                .join("\n")
        }
        other => blocks_text(std::slice::from_ref(other), cite),
    }
}

fn item_line(ordered: bool, number: usize, item: &[Block], cite: Cite) -> String {
    let marker = if ordered { format!("{number}.") } else { "-".into() };
    format!("{marker} {}", blocks_text(item, cite).replace("\n\n", " "))
}

fn row_line(row: &[Vec<Inline>], cite: Cite) -> String {
    row.iter().map(|cell| tidy(&Inline::plain_with(cell, cite))).collect::<Vec<_>>().join(" | ")
}

/// Blocks as plain text: paragraphs separated by blank lines, list items on their own lines.
fn blocks_text(blocks: &[Block], cite: Cite) -> String {
    let mut parts = Vec::new();
    for b in blocks {
        match b {
            Block::Para { inlines } | Block::Heading { inlines } => {
                parts.push(tidy(&Inline::plain_with(inlines, cite)))
            }
            Block::List { .. } | Block::Table { .. } => parts.push(part_text(b, 0, usize::MAX, cite)),
            Block::Quote { blocks } | Block::Callout { blocks, .. } => parts.push(blocks_text(blocks, cite)),
            Block::Figure { caption, alt, .. } => parts.push(caption.clone().unwrap_or_else(|| alt.clone())),
            Block::Code { text } => parts.push(text.clone()),
            Block::ByCountry { otherwise, .. } => {
                parts.push(blocks_text(std::slice::from_ref(otherwise), cite))
            }
        }
    }
    join(parts)
}

/// Text without the spaces left where citations were.
fn tidy(s: &str) -> String {
    // Break opportunities in long words are for the page, not for a presenter's screen.
    let s = s.replace(crate::content::breaks::ZWSP, "");
    let collapsed = s.split_whitespace().collect::<Vec<_>>().join(" ");
    collapsed.replace(" .", ".").replace(" ,", ",").replace(" ;", ";").replace(" :", ":")
}

fn join(parts: Vec<String>) -> String {
    parts.into_iter().filter(|p| !p.is_empty()).collect::<Vec<_>>().join("\n\n")
}

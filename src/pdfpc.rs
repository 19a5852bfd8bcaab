//! Presenter notes for the slides: a `<deck>.pdfpc` file (pdfpc format 2) beside the PDF,
//! with one entry per page. The slide template marks each page with the section and the parts
//! of it (key message, blocks, runs of list items or table rows) it shows; each page's note is
//! the full text of those parts, citations written out as author and year, so that every
//! sentence of the section is in the notes once and a continuation slide never repeats.

use serde::{Deserialize, Serialize};

use crate::content::Content;
use crate::content::model::{Block, CiteText as Cite, Inline};
use crate::engine::Marker;

/// The `.pdfpc` file.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct Pdfpc {
    pdfpc_format: u32,
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
    /// of one of its lists), `figure`, `table`, `quote`, `urgent`, `references` (the first of
    /// the pages the list flows over), `closing`.
    role: String,
    /// The section shown, if any.
    section: Option<String>,
    /// What of the section the slide shows.
    #[serde(default)]
    shows: Vec<Shown>,
}

/// A part of a section shown on a slide.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum Shown {
    /// The section's key message (`"key"`).
    Key(KeyMessage),
    /// The section's block `block`: whole, or its items (rows) `from` to `to` - 1.
    Block { block: usize, from: Option<usize>, to: Option<usize> },
}

/// The string `"key"`.
#[derive(Debug, Deserialize)]
enum KeyMessage {
    #[serde(rename = "key")]
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
    // The reference list flows over several pages: each continues the first, with no note.
    let mut marks: Vec<&SlideMark> = Vec::with_capacity(pages);
    for (idx, slide) in slides.iter().enumerate() {
        match (slide, marks.last()) {
            (Some(s), _) => marks.push(s),
            (None, Some(p)) if p.role == "references" => marks.push(p),
            _ => return Err(format!("page {} is not a slide of its own", idx + 1)),
        }
    }
    let notes = notes(&marks, slides.iter().map(Option::is_some), content, cite);
    let out = notes
        .into_iter()
        .enumerate()
        .map(|(idx, note)| PdfpcPage {
            idx,
            label: (idx + 1).to_string(),
            overlay: 0,
            forced_overlay: false,
            hidden: false,
            note,
        })
        .collect();
    let file = Pdfpc { pdfpc_format: 2, disable_markdown: true, pages: out };
    serde_json::to_string_pretty(&file).map_err(|e| e.to_string())
}

/// Each slide's note: only what belongs to that slide. The title slide has the title and the
/// lead; a section's first slide its title; each slide the text of what it shows, a list or
/// table split over slides giving each slide its own items or rows. Text no slide shows (a
/// paragraph between lists, say) goes with the next slide that shows a later part of its
/// section, or the section's last slide. Every part of the text is in exactly one note.
fn notes(
    marks: &[&SlideMark],
    own: impl Iterator<Item = bool>,
    content: &Content,
    cite: Cite,
) -> Vec<String> {
    let mut notes: Vec<Vec<String>> = vec![Vec::new(); marks.len()];
    for (idx, (mark, own)) in marks.iter().zip(own).enumerate() {
        if own && mark.role == "title" {
            let front = &content.front;
            notes[idx].push(front.title.clone());
            notes[idx].extend(front.subtitle.clone());
            notes[idx].push(blocks_text(&content.body.lead, cite));
        }
    }
    for section in &content.body.sections {
        let shown: Vec<usize> = (0..marks.len())
            .filter(|&i| marks[i].section.as_deref() == Some(&section.id) && marks[i].role != "references")
            .collect();
        let (Some(&first), Some(&last)) = (shown.first(), shown.last()) else { continue };
        notes[first].push(section.title.clone());
        if let Some(key) = &section.key_message {
            let slide = shown
                .iter()
                .copied()
                .find(|&i| marks[i].shows.iter().any(|s| matches!(s, Shown::Key(_))))
                .unwrap_or(first);
            notes[slide].push(tidy(&Inline::plain_with(key, cite)));
        }
        // The first slide showing block i, and the runs of its items shown slide by slide.
        let whole = |i: usize| {
            shown.iter().copied().find(|&s| {
                marks[s]
                    .shows
                    .iter()
                    .any(|x| matches!(x, Shown::Block { block, from: None, .. } if *block == i))
            })
        };
        let runs = |i: usize| -> Vec<(usize, usize, usize)> {
            shown
                .iter()
                .flat_map(|&s| {
                    marks[s].shows.iter().filter_map(move |x| match x {
                        Shown::Block { block, from: Some(a), to: Some(b) } if *block == i => {
                            Some((s, *a, *b))
                        }
                        _ => None,
                    })
                })
                .collect()
        };
        let blocks = &section.blocks;
        for (i, b) in blocks.iter().enumerate() {
            let parts = runs(i);
            if !parts.is_empty() {
                for (s, from, to) in parts {
                    notes[s].push(part_text(b, from, to, cite));
                }
                continue;
            }
            let slide = whole(i)
                .or_else(|| {
                    (i + 1..blocks.len()).find_map(|j| whole(j).or_else(|| runs(j).first().map(|r| r.0)))
                })
                .unwrap_or(last);
            notes[slide].push(blocks_text(std::slice::from_ref(b), cite));
        }
    }
    notes.into_iter().map(join).collect()
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

//! Presenter notes for the slides: a `<deck>.pdfpc` file (pdfpc format 2) beside the PDF,
//! with one entry per page. The slide template marks each page with the section it shows;
//! the notes are that section's full text, citations written out as author and year.

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
    /// the pages the list flows over), `closing`. Every role with a section gets that
    /// section's full text as its note.
    role: String,
    /// The section shown, if any.
    section: Option<String>,
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
    let mut out: Vec<PdfpcPage> = Vec::with_capacity(pages);
    let mut previous: Option<SlideMark> = None;
    for (idx, slide) in slides.into_iter().enumerate() {
        let slide = match (slide, previous.take()) {
            (Some(s), _) => s,
            // The reference list flows over several pages: each continues the first.
            (None, Some(p)) if p.role == "references" => p,
            _ => return Err(format!("page {} is not a slide of its own", idx + 1)),
        };
        out.push(PdfpcPage {
            idx,
            label: (idx + 1).to_string(),
            overlay: 0,
            forced_overlay: false,
            hidden: false,
            note: note(&slide, content, cite),
        });
        previous = Some(slide);
    }
    let file = Pdfpc { pdfpc_format: 2, disable_markdown: true, pages: out };
    serde_json::to_string_pretty(&file).map_err(|e| e.to_string())
}

/// The presenter's note for one slide: the full text behind it.
fn note(slide: &SlideMark, content: &Content, cite: Cite) -> String {
    let front = &content.front;
    match (slide.role.as_str(), &slide.section) {
        ("title", _) => {
            let mut parts = vec![front.title.clone()];
            parts.extend(front.subtitle.clone());
            parts.push(blocks_text(&content.body.lead, cite));
            join(parts)
        }
        (_, Some(id)) => match content.body.sections.iter().find(|s| &s.id == id) {
            Some(s) => {
                let mut parts = vec![s.title.clone()];
                parts.extend(s.key_message.as_deref().map(|k| tidy(&Inline::plain_with(k, cite))));
                parts.push(blocks_text(&s.blocks, cite));
                join(parts)
            }
            None => String::new(),
        },
        _ => String::new(),
    }
}

/// Blocks as plain text: paragraphs separated by blank lines, list items on their own lines.
fn blocks_text(blocks: &[Block], cite: Cite) -> String {
    let mut parts = Vec::new();
    for b in blocks {
        match b {
            Block::Para { inlines } | Block::Heading { inlines } => {
                parts.push(tidy(&Inline::plain_with(inlines, cite)))
            }
            Block::List { ordered, start, items } => {
                let lines: Vec<String> = items
                    .iter()
                    .enumerate()
                    .map(|(i, item)| {
                        let marker = if *ordered { format!("{}.", *start as usize + i) } else { "-".into() };
                        format!("{marker} {}", blocks_text(item, cite).replace("\n\n", " "))
                    })
                    .collect();
                parts.push(lines.join("\n"));
            }
            Block::Quote { blocks } | Block::Callout { blocks, .. } => parts.push(blocks_text(blocks, cite)),
            Block::Figure { caption, .. } => parts.extend(caption.clone()),
            Block::Code { text } => parts.push(text.clone()),
            Block::ByCountry { otherwise, .. } => {
                parts.push(blocks_text(std::slice::from_ref(otherwise), cite))
            }
            Block::Table { header, rows, .. } => parts.push(
                std::iter::once(header)
                    .chain(rows)
                    .map(|row| {
                        row.iter()
                            .map(|cell| tidy(&Inline::plain_with(cell, cite)))
                            .collect::<Vec<_>>()
                            .join(" | ")
                    })
                    .collect::<Vec<_>>()
                    .join("\n"),
            ),
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

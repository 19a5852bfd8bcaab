//! The text a document prints, as the readability formulas read it.
//!
//! The formulas were made for running prose. So they count the lead, paragraphs, list
//! items, quotations, callouts and key messages, each list item and key message a sentence of
//! its own even without a full stop. They leave out headings and captions (labels, not
//! sentences), tables (fragments in cells), alt text (a description for screen readers, not
//! the leaflet's text), code and citations.
//!
//! Which text depends on the format: the handout and the booklet print every chosen section
//! in full; the trifold too, but for its red-flag card; the poster and the slides print key
//! messages (a section without one shows its text) and the red-flag card. The card, in those
//! three, holds the section's key message, its warning signs (list items) and the sentence
//! that leads into them; the rest of its text is in the full leaflet.

use crate::content::Content;
use crate::content::model::{Block, Inline, Section};
use crate::format::Format;

/// Which text of a section a format prints.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Scope {
    /// The lead and the sections in full.
    Full,
    /// The lead and the sections in full, the red-flag section as a card.
    Trifold,
    /// Key messages, and the red-flag card.
    Short,
}

impl Scope {
    /// What `format` prints.
    pub fn of(format: Format) -> Scope {
        match format {
            Format::Handout
            | Format::LargePrint
            | Format::Html
            | Format::Booklet
            | Format::BookletImposed => Scope::Full,
            Format::Trifold => Scope::Trifold,
            Format::Poster | Format::Slides | Format::SlidesHandout => Scope::Short,
        }
    }
}

/// A piece of text: a paragraph, a list item or a key message.
#[derive(Debug, Clone, PartialEq)]
pub struct Piece {
    /// Its plain text.
    pub text: String,
    /// The section it is in (an index into the content's sections); `None` for the lead.
    pub section: Option<usize>,
}

/// The pieces a format with `scope` prints of `content`, showing the sections at `chosen`
/// (indices into its sections) in that order.
pub fn pieces(content: &Content, chosen: &[usize], scope: Scope) -> Vec<Piece> {
    let mut out = Vec::new();
    if scope != Scope::Short {
        blocks(&content.body.lead, None, &mut out);
    }
    for &i in chosen {
        let Some(section) = content.body.sections.get(i) else { continue };
        section_pieces(section, i, scope, &mut out);
    }
    out
}

/// Every piece of `content`: what the longest format prints.
pub fn all_pieces(content: &Content) -> Vec<Piece> {
    let every: Vec<usize> = (0..content.body.sections.len()).collect();
    pieces(content, &every, Scope::Full)
}

fn section_pieces(section: &Section, i: usize, scope: Scope, out: &mut Vec<Piece>) {
    if let Some(key) = &section.key_message {
        push(Inline::plain(key), Some(i), out);
    }
    if section.urgent && scope != Scope::Full {
        card(&section.blocks, i, out);
    } else if scope != Scope::Short || section.key_message.is_none() {
        blocks(&section.blocks, Some(i), out);
    }
}

/// The red-flag card's text: each list's items, and the sentence leading into a list.
fn card(list: &[Block], i: usize, out: &mut Vec<Piece>) {
    for (k, b) in list.iter().enumerate() {
        match b {
            Block::List { items, .. } => items.iter().for_each(|item| blocks(item, Some(i), out)),
            Block::Para { inlines } if matches!(list.get(k + 1), Some(Block::List { .. })) => {
                let text = Inline::plain(inlines);
                let trimmed = text.trim_end();
                let start = [". ", "! ", "? "].iter().filter_map(|e| trimmed.rfind(e).map(|at| at + 2)).max();
                push(trimmed[start.unwrap_or(0)..].to_owned(), Some(i), out);
            }
            _ => {}
        }
    }
}

fn blocks(list: &[Block], section: Option<usize>, out: &mut Vec<Piece>) {
    for b in list {
        match b {
            Block::Para { inlines } => push(Inline::plain(inlines), section, out),
            Block::List { items, .. } => items.iter().for_each(|item| blocks(item, section, out)),
            Block::Quote { blocks: inner } | Block::Callout { blocks: inner, .. } => {
                blocks(inner, section, out)
            }
            // Unresolved content reads as most practices get it.
            Block::ByCountry { otherwise, .. } => blocks(std::slice::from_ref(otherwise), section, out),
            Block::Heading { .. } | Block::Figure { .. } | Block::Table { .. } | Block::Code { .. } => {}
        }
    }
}

fn push(text: String, section: Option<usize>, out: &mut Vec<Piece>) {
    if !text.trim().is_empty() {
        out.push(Piece { text, section });
    }
}

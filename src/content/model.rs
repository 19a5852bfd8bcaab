//! The content model: what a leaflet says, independent of any layout.
//!
//! These types are serialised to JSON for the Typst templates; their shape is the contract
//! between Rust and `templates/*.typ`.

use serde::Serialize;

/// Inline text.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Inline {
    /// Literal text, printed exactly as written.
    Text {
        /// The characters.
        text: String,
    },
    /// Bold.
    Strong {
        /// What is bold.
        children: Vec<Inline>,
    },
    /// Emphasis (set as bold-italic is avoided: the template decides).
    Emph {
        /// What is emphasised.
        children: Vec<Inline>,
    },
    /// A hyperlink.
    Link {
        /// Target URL.
        url: String,
        /// Link text.
        children: Vec<Inline>,
    },
    /// A citation of one or more bibliography entries.
    Cite {
        /// Bibliography keys, in the order written.
        keys: Vec<String>,
        /// `normal` gives "(Author, 2020)", `year` gives "(2020)" after a name in the text.
        form: CiteForm,
    },
    /// Inline code, printed literally in a monospace font.
    Code {
        /// The characters.
        text: String,
    },
    /// A forced line break.
    Linebreak,
    /// A value the brand supplies, `{name}`; replaced by text before a template sees it.
    Var { name: String },
}

/// Writes a citation's keys as text in some output (`(Brinjikji et al., 2015)`); none leaves
/// the citation out.
pub type CiteText<'a> = &'a dyn Fn(&[String], CiteForm) -> Option<String>;

/// How a citation is printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum CiteForm {
    /// Author and year in parentheses.
    Normal,
    /// The year only, in parentheses, after the authors named in the text.
    Year,
}

/// A block of content.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Block {
    /// A paragraph.
    Para {
        /// Its text.
        inlines: Vec<Inline>,
    },
    /// A subheading inside a section (`###`).
    Heading {
        /// The heading text.
        inlines: Vec<Inline>,
    },
    /// A bulleted or numbered list.
    List {
        /// Whether items are numbered.
        ordered: bool,
        /// The first number of a numbered list.
        start: u64,
        /// Each item's blocks.
        items: Vec<Vec<Block>>,
    },
    /// A quotation set off from the text.
    Quote {
        /// The quoted blocks.
        blocks: Vec<Block>,
    },
    /// A GitHub-style alert other than the key message (`> [!NOTE]`, `> [!WARNING]`, …).
    Callout {
        /// `note`, `tip`, `warning` or `caution`.
        tone: String,
        /// Its blocks.
        blocks: Vec<Block>,
    },
    /// An image with its alternative text.
    Figure {
        /// Path as Typst sees it (root-relative, leading `/`).
        src: String,
        /// Alternative text for screen readers.
        alt: String,
        /// Optional visible caption (the Markdown image title).
        caption: Option<String>,
        /// Width as a fraction of the text column (0 < w <= 1), from `{width=NN%}` after the
        /// image; `None` leaves the size to the template.
        width: Option<f64>,
    },
    /// A table (GitHub-style Markdown table).
    Table {
        /// The header row's cells, one per column.
        header: Vec<Vec<Inline>>,
        /// How each column is aligned.
        align: Vec<Align>,
        /// The body rows; every row has exactly one cell per column.
        rows: Vec<Vec<Vec<Inline>>>,
    },
    /// Preformatted text, printed literally.
    Code {
        /// The characters.
        text: String,
    },
    /// A paragraph for practices in some countries (`{country=UK}` at its end), in place of
    /// the block before it. Resolved per practice with the variables, before a template sees
    /// the content; everything else reads `otherwise`, the text every other practice gets.
    ByCountry {
        /// Country codes, as `Country` prints them (`UK`, `NL`).
        countries: Vec<String>,
        /// What those practices get.
        block: Box<Block>,
        /// What every other practice gets: the paragraph before, or another variant.
        otherwise: Box<Block>,
    },
}

/// How a table column is aligned (`:--`, `:-:`, `--:` in the delimiter row).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Align {
    /// `:--`.
    Left,
    /// `:-:`.
    Center,
    /// `--:`.
    Right,
    /// `---`: the template decides.
    Auto,
}

/// A section: a `##` heading and what follows it up to the next one.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Section {
    /// Stable id, identical across languages (`{#id}` on the heading).
    pub id: String,
    /// Heading text.
    pub title: String,
    /// The heading as written, with its variables, from which `title` is made for each
    /// brand (a `\{` written in it stays a brace).
    #[serde(skip)]
    pub title_inlines: Vec<Inline>,
    /// Whether this is the red-flag / emergency section (`.urgent`).
    pub urgent: bool,
    /// One or two sentences for formats with little room (`> [!IMPORTANT]`).
    pub key_message: Option<Vec<Inline>>,
    /// The section's content, in order.
    pub blocks: Vec<Block>,
    /// A slide written in a teaching deck (shown on one slide where it fits), not a section
    /// of a topic.
    pub written: bool,
    /// The presenter's notes a deck writes for it: a written slide's notes in place of its
    /// text, an included section's before its own text.
    #[serde(skip)]
    pub notes: Option<String>,
    /// The introduction of a topic a deck includes whole, for the notes of its first slide.
    #[serde(skip)]
    pub intro: Vec<Block>,
}

/// The body of a content file.
#[derive(Debug, Clone, PartialEq, Serialize, Default)]
pub struct Body {
    /// Blocks before the first section: the lead.
    pub lead: Vec<Block>,
    /// The sections, in order.
    pub sections: Vec<Section>,
}

impl Inline {
    /// The plain text of inlines, citations left out.
    pub fn plain(inlines: &[Inline]) -> String {
        Inline::plain_with(inlines, &|_, _| None)
    }

    /// Plain text with each citation as `cite` writes it (none: left out).
    pub fn plain_with(inlines: &[Inline], cite: CiteText) -> String {
        let mut out = String::new();
        for i in inlines {
            match i {
                Inline::Text { text } | Inline::Code { text } => out.push_str(text),
                Inline::Strong { children } | Inline::Emph { children } | Inline::Link { children, .. } => {
                    out.push_str(&Inline::plain_with(children, cite))
                }
                Inline::Cite { keys, form } => {
                    if let Some(c) = cite(keys, *form) {
                        out.push_str(&c);
                    }
                }
                Inline::Linebreak => out.push(' '),
                Inline::Var { name } => {
                    out.push('{');
                    out.push_str(name);
                    out.push('}');
                }
            }
        }
        out
    }
}

/// What a string of the content is to the templates (see [`Block::visit_text`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextRole {
    /// A run of text or code, printed as one string.
    Run,
    /// A figure's alternative text or caption.
    Figure,
}

impl Block {
    /// Calls `f` with every printed string of `blocks` (and the figures' alternative texts),
    /// in order; link addresses and citation keys are not among them.
    pub fn visit_text<'a>(blocks: &'a [Block], f: &mut dyn FnMut(&'a str, TextRole)) {
        for b in blocks {
            match b {
                Block::Para { inlines } | Block::Heading { inlines } => Inline::visit_text(inlines, f),
                Block::List { items, .. } => items.iter().for_each(|item| Block::visit_text(item, f)),
                Block::Quote { blocks } | Block::Callout { blocks, .. } => Block::visit_text(blocks, f),
                Block::Figure { alt, caption, .. } => {
                    f(alt, TextRole::Figure);
                    if let Some(c) = caption {
                        f(c, TextRole::Figure);
                    }
                }
                Block::Table { header, rows, .. } => {
                    header.iter().chain(rows.iter().flatten()).for_each(|cell| Inline::visit_text(cell, f))
                }
                Block::Code { text } => f(text, TextRole::Run),
                Block::ByCountry { block, otherwise, .. } => {
                    Block::visit_text(std::slice::from_ref(block), f);
                    Block::visit_text(std::slice::from_ref(otherwise), f);
                }
            }
        }
    }
}

impl Inline {
    /// Calls `f` with every text and code run of `inlines`, in order.
    pub fn visit_text<'a>(inlines: &'a [Inline], f: &mut dyn FnMut(&'a str, TextRole)) {
        for i in inlines {
            match i {
                Inline::Text { text } | Inline::Code { text } => f(text, TextRole::Run),
                Inline::Strong { children } | Inline::Emph { children } | Inline::Link { children, .. } => {
                    Inline::visit_text(children, f)
                }
                Inline::Cite { .. } | Inline::Linebreak | Inline::Var { .. } => {}
            }
        }
    }
}

/// Removes citations from inline content, with the space that stood before each, for
/// formats that have no reference list.
pub fn strip_citations(inlines: &[Inline]) -> Vec<Inline> {
    let mut out: Vec<Inline> = Vec::with_capacity(inlines.len());
    for i in inlines {
        match i {
            Inline::Cite { .. } => {
                if let Some(Inline::Text { text }) = out.last_mut() {
                    let trimmed = text.trim_end().len();
                    text.truncate(trimmed);
                }
            }
            Inline::Strong { children } => out.push(Inline::Strong { children: strip_citations(children) }),
            Inline::Emph { children } => out.push(Inline::Emph { children: strip_citations(children) }),
            Inline::Link { url, children } => {
                out.push(Inline::Link { url: url.clone(), children: strip_citations(children) })
            }
            other => out.push(other.clone()),
        }
    }
    out
}

/// [`strip_citations`] over blocks.
pub fn strip_block_citations(blocks: &[Block]) -> Vec<Block> {
    blocks
        .iter()
        .map(|b| match b {
            Block::Para { inlines } => Block::Para { inlines: strip_citations(inlines) },
            Block::Heading { inlines } => Block::Heading { inlines: strip_citations(inlines) },
            Block::List { ordered, start, items } => Block::List {
                ordered: *ordered,
                start: *start,
                items: items.iter().map(|item| strip_block_citations(item)).collect(),
            },
            Block::Quote { blocks } => Block::Quote { blocks: strip_block_citations(blocks) },
            Block::Callout { tone, blocks } => {
                Block::Callout { tone: tone.clone(), blocks: strip_block_citations(blocks) }
            }
            Block::Table { header, align, rows } => Block::Table {
                header: header.iter().map(|cell| strip_citations(cell)).collect(),
                align: align.clone(),
                rows: rows.iter().map(|row| row.iter().map(|cell| strip_citations(cell)).collect()).collect(),
            },
            Block::ByCountry { countries, block, otherwise } => Block::ByCountry {
                countries: countries.clone(),
                block: Box::new(strip_block_citations(std::slice::from_ref(block)).remove(0)),
                otherwise: Box::new(strip_block_citations(std::slice::from_ref(otherwise)).remove(0)),
            },
            other => other.clone(),
        })
        .collect()
}

impl Section {
    /// This section without citations.
    pub fn without_citations(&self) -> Section {
        Section {
            key_message: self.key_message.as_deref().map(strip_citations),
            blocks: strip_block_citations(&self.blocks),
            ..self.clone()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(s: &str) -> Inline {
        Inline::Text { text: s.into() }
    }

    #[test]
    fn stripping_citations_takes_the_space_before_them() {
        let cite = Inline::Cite { keys: vec!["a".into()], form: CiteForm::Normal };
        let strong = Inline::Strong { children: vec![text("Rest:")] };
        let got = strip_citations(&[strong.clone(), text(" slows recovery "), cite, text(".")]);
        assert_eq!(got, vec![strong, text(" slows recovery"), text(".")]);
        assert_eq!(Inline::plain(&got), "Rest: slows recovery.");
    }
}

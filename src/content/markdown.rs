//! The Markdown body of a content file, parsed with pulldown-cmark into the content model.
//!
//! Conventions on top of CommonMark: `## Title {#id}` starts a section, `{#id .urgent}` marks
//! the red-flag section, `> [!IMPORTANT]` inside a section is its key message, `[@key]` cites,
//! an image standing alone in a paragraph is a figure and needs alt text, `{width=50%}` right
//! after it sizes it. GitHub-style tables become tables. Everything else the user types is
//! literal text, and Markdown that leafpress cannot print (HTML other than comments,
//! footnotes, task lists, strikethrough, thematic breaks) is an error rather than lost.

use std::iter::Peekable;
use std::ops::Range;
use std::path::Path;
use std::sync::Arc;

use pulldown_cmark::{
    Alignment, BlockQuoteKind, Event, HeadingLevel, LinkType, OffsetIter, Options, Parser, Tag, TagEnd,
};

use super::citations::{self, Piece};
use super::html::{self, Html};
use super::model::{Align, Block, Body, Inline, Section};
use super::{attrs, links};
use crate::diag::{Diagnostic, Sink};
use crate::project::assets;

/// A citation found in the text, for checking against the bibliography.
#[derive(Debug, Clone)]
pub struct CiteRef {
    /// The key.
    pub key: String,
    /// Where it was written, in the whole file.
    pub range: Range<usize>,
}

/// A figure as written, for finding the cover the front matter names.
#[derive(Debug, Clone)]
pub struct FigureRef {
    /// The image path as written in the Markdown.
    pub written: String,
    /// The figure's `src` in the model.
    pub src: String,
}

/// Everything parsing a body yields.
#[derive(Debug, Default)]
pub struct Parsed {
    /// The model.
    pub body: Body,
    /// Every citation, in order.
    pub citations: Vec<CiteRef>,
    /// Every figure, in order.
    pub figures: Vec<FigureRef>,
    /// Where each section's heading is, parallel to `body.sections`.
    pub section_ranges: Vec<Range<usize>>,
}

/// Maps an image reference to the path Typst should load, or says why it can't be used.
pub type ImageResolver<'a> = dyn Fn(&str) -> Result<String, assets::ImageError> + 'a;

/// The alert types pulldown-cmark recognises, as written in `> [!TYPE]`.
const ALERTS: [&str; 5] = ["NOTE", "TIP", "IMPORTANT", "WARNING", "CAUTION"];

/// Parses `text[offset..]` (the body after the front matter) of the file at `path`.
pub fn parse(path: &Path, text: &Arc<str>, offset: usize, images: &ImageResolver, sink: &mut Sink) -> Parsed {
    // Footnotes and task lists are recognised only to report them: leafpress prints neither.
    let opts = Options::ENABLE_HEADING_ATTRIBUTES
        | Options::ENABLE_GFM
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_TASKLISTS;
    let body = &text[offset..];
    let mut p = BodyParser {
        path,
        text,
        offset,
        images,
        sink,
        events: Parser::new_ext(body, opts).into_offset_iter().peekable(),
        citations: Vec::new(),
        figures: Vec::new(),
        open_html: Vec::new(),
        depth: 0,
        inline_depth: 0,
        errors: 0,
    };
    let parsed = p.document();
    if p.errors > MAX_ERRORS {
        p.sink.push(
            Diagnostic::error(format!(
                "{} more error{} in {}",
                p.errors - MAX_ERRORS,
                if p.errors - MAX_ERRORS == 1 { "" } else { "s" },
                crate::diag::display_path(path)
            ))
            .in_file(path)
            .hint(format!("the first {MAX_ERRORS} are reported above; they often share one cause")),
        );
    }
    parsed
}

/// The most sections a content file may have: a leaflet has a handful, the longest demo topic
/// eight; the limit keeps every per-section step of a build small.
pub const MAX_SECTIONS: usize = 100;

/// The most errors reported for one content file; the rest are counted in one line.
pub const MAX_ERRORS: usize = 50;

/// The longest paragraph or list item, in characters: a leaflet's paragraphs stay under a
/// thousand, and Typst's line breaking of one paragraph grows faster than its length.
pub const MAX_PARAGRAPH_CHARS: usize = 10_000;

/// State while walking the event stream.
struct BodyParser<'a, 'b> {
    path: &'a Path,
    text: &'a Arc<str>,
    offset: usize,
    images: &'a ImageResolver<'b>,
    sink: &'a mut Sink,
    events: Peekable<OffsetIter<'a>>,
    citations: Vec<CiteRef>,
    figures: Vec<FigureRef>,
    /// Names of inline HTML tags already reported, so their closing tags are not reported again.
    open_html: Vec<String>,
    /// How many lists and quotes enclose the current block.
    depth: usize,
    /// How many bold, emphasis and link spans enclose the current inline.
    inline_depth: usize,
    /// Errors found so far (only the first [`MAX_ERRORS`] are reported).
    errors: usize,
}

/// The deepest lists and quotes may nest (a list in a list in a quote is 3). Patient leaflets
/// need two or three; the limit keeps deeply nested input from exhausting the stack here or
/// Typst's recursion limit in the templates.
pub const MAX_NESTING: usize = 8;

/// The deepest bold, emphasis and links may nest (`***x***` is 2). More says nothing a
/// reader could see, and would only deepen the data the templates walk.
pub const MAX_INLINE_NESTING: usize = 6;

impl BodyParser<'_, '_> {
    /// An error at a range of the body.
    fn error(&mut self, range: Range<usize>, message: impl Into<String>, hint: impl Into<String>) {
        self.errors += 1;
        if self.errors > MAX_ERRORS {
            return;
        }
        let whole = range.start + self.offset..range.end + self.offset;
        self.sink.push(Diagnostic::error(message).at(self.path, self.text, whole).hint(hint));
    }

    /// Reports a paragraph (or list item) at `range` longer than [`MAX_PARAGRAPH_CHARS`].
    fn check_length(&mut self, inlines: &[Inline], range: Range<usize>) {
        let n = Inline::plain(inlines).chars().count();
        if n > MAX_PARAGRAPH_CHARS {
            self.error(
                first_line(self.body(), range),
                format!("a paragraph of {n} characters; paragraphs may have at most {MAX_PARAGRAPH_CHARS}"),
                "split it into paragraphs with blank lines; a leaflet's paragraphs are a few sentences",
            );
        }
    }

    /// The body: the text after the front matter.
    fn body(&self) -> &str {
        &self.text[self.offset..]
    }

    /// The whole body: lead blocks, then sections.
    fn document(&mut self) -> Parsed {
        let mut body = Body::default();
        let mut section_ranges: Vec<Range<usize>> = Vec::new();
        // After a section heading that was rejected (reported), what follows belongs to that
        // broken section: no follow-on errors about being before the first section.
        let mut in_rejected = false;
        // Section ids seen so far, and the index of the section that has each.
        let mut seen_ids: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
        while let Some((event, range)) = self.events.next() {
            if let Event::Start(Tag::Heading { level, id, classes, attrs }) = &event
                && *level <= HeadingLevel::H2
            {
                let range = first_line(self.body(), range);
                let (id, classes, attrs) = (id.clone(), classes.clone(), attrs.clone());
                let title_inlines = self.inlines(TagEnd::Heading(*level));
                let title = Inline::plain(&title_inlines).trim().to_owned();
                if *level == HeadingLevel::H1 {
                    self.error(
                        range.clone(),
                        "a `#` heading in the body",
                        "the title comes from the front matter; start sections with `## Title {#id}`",
                    );
                    in_rejected = true;
                    continue;
                }
                let Some(id) = id else {
                    self.error(range.clone(), format!("section `{title}` has no id"), format!(
                        "add a stable id that is the same in every language, e.g. `## {title} {{#what-is}}`"
                    ));
                    in_rejected = true;
                    continue;
                };
                in_rejected = false;
                let mut urgent = false;
                for class in classes.iter() {
                    match class.as_ref() {
                        "urgent" => urgent = true,
                        other => self.error(
                            range.clone(),
                            format!("unknown section class `.{other}`"),
                            "the only section class is `.urgent`, for the red-flag section",
                        ),
                    }
                }
                if let Some((name, _)) = attrs.first() {
                    self.error(
                        range.clone(),
                        format!("unknown section attribute `{name}`"),
                        "a section heading takes `{#id}` and optionally `.urgent`",
                    );
                }
                if body.sections.len() == MAX_SECTIONS {
                    self.error(
                        range.clone(),
                        format!("more than {MAX_SECTIONS} sections"),
                        "a leaflet has a handful of sections; split the text into several topics",
                    );
                }
                if let Some(&first) = seen_ids.get(id.as_ref()) {
                    let first_line = line_of(self.text, section_ranges[first].start);
                    self.error(
                        range.clone(),
                        format!("duplicate section id `{id}`"),
                        format!(
                            "`{id}` is already used on line {first_line}; every section needs its own id"
                        ),
                    );
                }
                if title.is_empty() {
                    self.error(
                        range.clone(),
                        format!("section `{id}` has no title"),
                        format!("write the heading's words before its id, e.g. `## What is it? {{#{id}}}`"),
                    );
                }
                seen_ids.entry(id.to_string()).or_insert(body.sections.len());
                section_ranges.push(range.start + self.offset..range.end + self.offset);
                body.sections.push(Section {
                    id: id.to_string(),
                    title,
                    title_inlines,
                    urgent,
                    key_message: None,
                    blocks: vec![],
                    written: false,
                    notes: None,
                    intro: Vec::new(),
                });
                continue;
            }
            if let Some(block) = self.block(event, range.clone()) {
                match (block, body.sections.last_mut()) {
                    (BlockOrKey::Key(inlines), Some(section)) => {
                        if section.key_message.is_some() {
                            self.error(
                                range,
                                format!("section `{}` has two key messages", section.id),
                                "keep one `> [!IMPORTANT]` per section",
                            );
                        } else {
                            section.key_message = Some(inlines);
                        }
                    }
                    (_, _) if in_rejected => {}
                    (BlockOrKey::Key(_), None) => self.error(
                        range,
                        "a key message before the first section",
                        "put `> [!IMPORTANT]` inside a `##` section",
                    ),
                    (BlockOrKey::Block(b), Some(section)) => section.blocks.push(b),
                    (BlockOrKey::Variant { countries, block, range }, Some(section)) => {
                        self.place(&mut section.blocks, countries, block, range)
                    }
                    (BlockOrKey::Variant { countries, block, range }, None) => {
                        self.place(&mut body.lead, countries, block, range)
                    }
                    (BlockOrKey::Block(Block::Heading { .. }), None) => self.error(
                        first_line(self.body(), range),
                        "a `###` subheading before the first section",
                        "the text before the first `##` section is the introduction, without headings; start a section with `## Title {#id}`",
                    ),
                    (BlockOrKey::Block(b), None) => body.lead.push(b),
                }
            }
        }
        Parsed {
            body,
            citations: std::mem::take(&mut self.citations),
            figures: std::mem::take(&mut self.figures),
            section_ranges,
        }
    }

    /// One block starting with `event`; `None` for things that produce nothing (comments,
    /// and whatever was reported as an error).
    fn block(&mut self, event: Event, range: Range<usize>) -> Option<BlockOrKey> {
        match event {
            Event::Start(Tag::Paragraph) => self.paragraph(range.clone()).map(|b| self.variant(b, range)),
            Event::Start(Tag::Heading { level, .. }) => {
                let inlines = self.inlines(TagEnd::Heading(level));
                if level == HeadingLevel::H3 && Inline::plain(&inlines).trim().is_empty() {
                    self.error(
                        first_line(self.body(), range),
                        "a `###` subheading without words",
                        "write the subheading after `### `, or remove the line",
                    );
                    None
                } else if level == HeadingLevel::H3 {
                    Some(BlockOrKey::Block(Block::Heading { inlines }))
                } else {
                    self.error(
                        range,
                        "headings deeper than `###` are not supported",
                        "use `###` for subheadings inside a section",
                    );
                    None
                }
            }
            Event::Start(Tag::List(_) | Tag::BlockQuote(_)) if self.depth >= MAX_NESTING => {
                self.error(
                    range,
                    format!("lists and quotes nested more than {MAX_NESTING} deep"),
                    "a leaflet reads best with at most two or three levels; write the rest as its own list or paragraph",
                );
                self.skip_subtree();
                None
            }
            Event::Start(Tag::List(start)) => {
                self.depth += 1;
                let mut items = Vec::new();
                while let Some((ev, r)) = self.events.next() {
                    match ev {
                        Event::End(TagEnd::List(_)) => break,
                        Event::Start(Tag::Item) => items.push(self.blocks(TagEnd::Item, r, true)),
                        _ => {}
                    }
                }
                self.depth -= 1;
                Some(BlockOrKey::Block(Block::List {
                    ordered: start.is_some(),
                    start: start.unwrap_or(1),
                    items,
                }))
            }
            Event::Start(Tag::BlockQuote(kind)) => {
                self.depth += 1;
                let quote = self.quote(kind, range);
                self.depth -= 1;
                quote
            }
            Event::Start(Tag::CodeBlock(_)) => {
                let mut text = String::new();
                for (ev, _) in self.events.by_ref() {
                    match ev {
                        Event::End(TagEnd::CodeBlock) => break,
                        Event::Text(t) => text.push_str(&t),
                        _ => {}
                    }
                }
                Some(BlockOrKey::Block(Block::Code { text }))
            }
            Event::Start(Tag::HtmlBlock) => {
                self.html_block();
                None
            }
            Event::Start(Tag::Table(align)) => Some(BlockOrKey::Block(self.table(&align))),
            Event::Start(Tag::FootnoteDefinition(label)) => {
                self.skip(TagEnd::FootnoteDefinition);
                let marker = format!("[^{label}]:");
                let at = self.body()[range.clone()]
                    .find(&marker)
                    .map_or(range.clone(), |i| range.start + i..range.start + i + marker.len());
                self.error(at, format!("footnotes are not supported (`{marker}`)"), FOOTNOTE_HINT);
                None
            }
            Event::Rule => {
                self.error(
                    first_line(self.body(), range),
                    "a thematic break (`---`) is not printed",
                    "sections are separated by their `##` headings; leave the line out",
                );
                None
            }
            Event::Start(other) => {
                self.error(
                    range,
                    format!("unsupported Markdown element ({other:?})"),
                    "use paragraphs, lists, quotes, tables, images and `##` sections",
                );
                self.skip(other.to_end());
                None
            }
            _ => None,
        }
    }

    /// A block quote: a plain quotation, the section's key message (`[!IMPORTANT]`) or a boxed
    /// note (`[!NOTE]`, `[!TIP]`, `[!WARNING]`, `[!CAUTION]`).
    fn quote(&mut self, kind: Option<BlockQuoteKind>, range: Range<usize>) -> Option<BlockOrKey> {
        if kind.is_none()
            && let Some((Event::Start(Tag::Paragraph), first)) = self.events.peek()
        {
            let first = first.start;
            self.check_alert_marker(first);
        }
        let blocks = self.blocks(TagEnd::BlockQuote(kind), range.clone(), false);
        match kind {
            None => Some(BlockOrKey::Block(Block::Quote { blocks })),
            Some(BlockQuoteKind::Important) => {
                let mut inlines = Vec::new();
                let only_text = blocks.iter().all(|b| matches!(b, Block::Para { .. }));
                for b in blocks {
                    match b {
                        Block::Para { inlines: more } => {
                            if !inlines.is_empty() {
                                inlines.push(Inline::Text { text: " ".into() });
                            }
                            inlines.extend(more);
                        }
                        Block::ByCountry { .. } => self.error(
                            range.clone(),
                            "a key message with a `{country=…}` variant",
                            "key messages are the same for every practice; put the country's wording in the section's text, where it can replace a paragraph",
                        ),
                        _ => self.error(
                            range.clone(),
                            "a key message may only hold text",
                            "write the key message as one or two plain sentences",
                        ),
                    }
                }
                if only_text && Inline::plain(&inlines).trim().is_empty() {
                    self.error(
                        first_line(self.body(), range.clone()),
                        "the key message is empty",
                        "write the section's one or two most important sentences after `> [!IMPORTANT]`, on lines starting with `>`",
                    );
                }
                Some(BlockOrKey::Key(inlines))
            }
            Some(other) => {
                let tone = format!("{other:?}").to_lowercase();
                Some(BlockOrKey::Block(Block::Callout { tone, blocks }))
            }
        }
    }

    /// Reports a `[!WORD]` at the start of a plain quote (starting at body byte `at`): an alert
    /// pulldown-cmark did not recognise, which would otherwise print literally.
    fn check_alert_marker(&mut self, at: usize) {
        let line = self.body()[at..].lines().next().unwrap_or_default();
        let Some(close) = line.strip_prefix("[!").and_then(|rest| rest.find(']')) else { return };
        let word = &line[2..close + 2];
        // `[!text](url)` is a link, not an alert marker.
        if word.trim().is_empty() || line[close + 3..].starts_with(['(', '[']) {
            return;
        }
        let marker = &line[..close + 3];
        let range = at..at + marker.len();
        let upper = word.to_uppercase();
        if ALERTS.contains(&upper.as_str()) {
            let (message, hint) = (
                format!("`{marker}` must stand on a line of its own"),
                format!("write `> [!{upper}]` alone on its line, and the text on the `>` lines below it"),
            );
            self.error(range, message, hint);
            return;
        }
        let hint = match closest_alert(&upper) {
            Some(close) => format!("did you mean `[!{close}]`? {ALERT_LIST}"),
            None => ALERT_LIST.to_owned(),
        };
        self.error(range, format!("unknown alert type `{marker}`"), hint);
    }

    /// Blocks up to `end`; inside list items, loose text (tight lists) becomes a paragraph.
    fn blocks(&mut self, end: TagEnd, range: Range<usize>, in_item: bool) -> Vec<Block> {
        let mut out = Vec::new();
        while let Some((event, r)) = self.events.peek().cloned() {
            if event == Event::End(end) {
                self.events.next();
                break;
            }
            if in_item && !starts_block(&event) && !matches!(event, Event::End(_)) {
                let inlines = self.inlines_until_block(end);
                self.check_length(&inlines, r.clone());
                self.no_variant_in_item(&inlines, r.clone());
                out.push(Block::Para { inlines });
                continue;
            }
            self.events.next();
            match self.block(event, r.clone()) {
                Some(BlockOrKey::Block(Block::Figure { src, .. })) if in_item => self.error(
                    first_line(self.body(), r),
                    format!("image `{src}` inside a list item", src = src.trim_start_matches('/')),
                    "put the image in a paragraph of its own, before or after the list",
                ),
                Some(BlockOrKey::Block(b)) => out.push(b),
                Some(BlockOrKey::Variant { countries, block, range }) => {
                    self.place(&mut out, countries, block, range)
                }
                Some(BlockOrKey::Key(_)) => self.error(
                    range.clone(),
                    "a key message inside a list or quote",
                    "put `> [!IMPORTANT]` directly inside the section",
                ),
                None => {}
            }
        }
        out
    }

    /// An HTML block: dropped if it holds only comments, an error otherwise.
    fn html_block(&mut self) {
        // Lines inside a quote or list lose their `>` or indent: map back through a run.
        let mut raw = Run::default();
        for (ev, r) in self.events.by_ref() {
            match ev {
                Event::End(TagEnd::HtmlBlock) => break,
                Event::Html(t) | Event::Text(t) => raw.push(&t, r, &self.text[self.offset..]),
                _ => {}
            }
        }
        self.report_html(&raw, false);
    }

    /// Reports raw HTML unless it is only comments. `inline` HTML tags whose opening tag was
    /// reported are not reported again at their closing tag.
    fn report_html(&mut self, raw: &Run, inline: bool) {
        match html::classify(&raw.text) {
            Html::Comments => {}
            Html::Unclosed(r) => self.error(
                raw.source(r),
                "unclosed comment `<!--`",
                "end the comment with `-->`; until then everything after it is left out",
            ),
            Html::TextAfterComment(r) => self.error(
                raw.source(r),
                "text after a comment on the same line",
                "put the comment on a line of its own: the rest of its line is not printed",
            ),
            Html::Tag { text, name, closing, range } => {
                if inline
                    && closing
                    && let Some(open) = self.open_html.iter().rposition(|n| *n == name)
                {
                    self.open_html.remove(open);
                    return;
                }
                if inline && !closing {
                    self.open_html.push(name.clone());
                }
                self.error(raw.source(range), format!("HTML is not supported (`{text}`)"), html::hint(&name));
            }
        }
    }

    /// A table: its header row, column alignments and body rows, each padded (or cut) to the
    /// header's width as GitHub does.
    fn table(&mut self, align: &[Alignment]) -> Block {
        let mut header = Vec::new();
        let mut rows = Vec::new();
        while let Some((ev, r)) = self.events.next() {
            match ev {
                Event::End(TagEnd::Table) => break,
                Event::Start(Tag::TableHead) => header = self.cells(TagEnd::TableHead, r),
                Event::Start(Tag::TableRow) => rows.push(self.cells(TagEnd::TableRow, r)),
                _ => {}
            }
        }
        for row in &mut rows {
            row.resize(header.len(), Vec::new());
        }
        let align = align
            .iter()
            .map(|a| match a {
                Alignment::None => Align::Auto,
                Alignment::Left => Align::Left,
                Alignment::Center => Align::Center,
                Alignment::Right => Align::Right,
            })
            .collect();
        Block::Table { header, align, rows }
    }

    /// The cells of a table row (at `row` in the body), up to `end`. Cells beyond the
    /// header's, which GitHub and pulldown-cmark drop, are an error.
    fn cells(&mut self, end: TagEnd, row: Range<usize>) -> Vec<Vec<Inline>> {
        let mut cells = Vec::new();
        let mut last = row.start;
        while let Some((ev, r)) = self.events.next() {
            match ev {
                Event::End(e) if e == end => break,
                Event::Start(Tag::TableCell) => {
                    last = r.end;
                    cells.push(self.inlines(TagEnd::TableCell));
                }
                _ => {}
            }
        }
        let rest = first_line(self.body(), last..row.end);
        let extra = &self.body()[rest.clone()];
        let extra_start = extra.find(|c: char| c != '|' && !c.is_whitespace());
        if let Some(i) = extra_start {
            let len = extra.trim_end().trim_end_matches('|').trim_end().len();
            self.error(
                rest.start + i..rest.start + len.max(i + 1),
                "a table row with more cells than the header",
                "give the header a cell for every column; a row may have fewer cells, not more",
            );
        }
        cells
    }

    /// A paragraph: inlines, or a figure if it holds a lone image (and its attributes).
    /// A paragraph ending in `{country=UK}` (or `{country=UK,IE}`) becomes a variant for
    /// practices in those countries, without the marker; any other block stays as it is.
    fn variant(&mut self, block: Block, range: Range<usize>) -> BlockOrKey {
        let Block::Para { mut inlines } = block else { return BlockOrKey::Block(block) };
        let Some(open) = country_marker(&inlines) else { return BlockOrKey::Block(Block::Para { inlines }) };
        let source = &self.body()[range.clone()];
        let at = source.rfind(COUNTRY_MARKER).map_or(range.clone(), |i| {
            let end = source[i..].find('}').map_or(source.len(), |j| i + j + 1);
            range.start + i..range.start + end
        });
        let Some(Inline::Text { text }) = inlines.last_mut() else {
            // country_marker found the marker in this text; nothing else gets here.
            return BlockOrKey::Block(Block::Para { inlines });
        };
        let inner = text.trim_end()[open + COUNTRY_MARKER.len()..].trim_end_matches('}').to_owned();
        text.truncate(open);
        let kept = text.trim_end().len();
        text.truncate(kept);
        if text.is_empty() {
            inlines.pop();
        }
        let mut countries = Vec::new();
        for code in inner.split(',').map(str::trim) {
            match code.parse::<crate::project::country::Country>() {
                Ok(c) if !countries.contains(&c.to_string()) => countries.push(c.to_string()),
                Ok(_) => self.error(at.clone(), format!("country `{code}` is given twice"), COUNTRY_HINT),
                Err(_) => self.error(
                    at.clone(),
                    format!("unknown country `{code}` in `{{country=…}}`"),
                    format!(
                        "the countries are {}, as in a practice's `country`",
                        crate::project::country::ALL.map(|c| c.to_string()).join(", ")
                    ),
                ),
            }
        }
        if Inline::plain(&inlines).trim().is_empty() {
            self.error(at.clone(), "a `{country=…}` paragraph without text", COUNTRY_HINT);
        }
        BlockOrKey::Variant { countries, block: Block::Para { inlines }, range: at }
    }

    /// Puts a country variant in `list`, in place of the paragraph before it.
    fn place(&mut self, list: &mut Vec<Block>, countries: Vec<String>, block: Block, range: Range<usize>) {
        match list.pop() {
            Some(prev @ (Block::Para { .. } | Block::ByCountry { .. })) => {
                let mut chain = &prev;
                while let Block::ByCountry { countries: earlier, otherwise, .. } = chain {
                    if let Some(c) = countries.iter().find(|c| earlier.contains(c)) {
                        self.error(
                            range.clone(),
                            format!("two `{{country=…}}` paragraphs for {c}"),
                            COUNTRY_HINT,
                        );
                    }
                    chain = otherwise;
                }
                list.push(Block::ByCountry { countries, block: Box::new(block), otherwise: Box::new(prev) });
            }
            other => {
                let message = match &other {
                    None => "a `{country=…}` paragraph with no paragraph before it".to_owned(),
                    Some(b) => {
                        format!("a `{{country=…}}` paragraph after {}, not a paragraph", block_name(b))
                    }
                };
                list.extend(other);
                self.error(range, message, COUNTRY_HINT);
            }
        }
    }

    /// Reports `{country=…}` at the end of a list item: variants are whole paragraphs.
    fn no_variant_in_item(&mut self, inlines: &[Inline], range: Range<usize>) {
        if country_marker(inlines).is_some() {
            let source = &self.body()[range.clone()];
            let at = source.rfind(COUNTRY_MARKER).map_or(range.clone(), |i| range.start + i..range.end);
            self.error(
                at,
                "`{country=…}` in a list item",
                "country variants replace whole paragraphs, not list items: keep lists the same for every practice, and put what differs in a paragraph",
            );
        }
    }

    fn paragraph(&mut self, range: Range<usize>) -> Option<Block> {
        let mut image = None;
        let mut inlines = Vec::new();
        let mut run = Run::default();
        // Text right after the image, read raw: `{width=50%}` is not a variable.
        let mut after = Run::default();
        let mut more = false;
        while let Some((event, r)) = self.events.next() {
            match event {
                Event::End(TagEnd::Paragraph) => break,
                Event::Start(Tag::Image { dest_url, title, .. }) => {
                    self.flush(&mut run, &mut inlines);
                    let alt = Inline::plain(&self.inlines(TagEnd::Image));
                    if image.is_some() {
                        self.error(
                            r.clone(),
                            "two images in one paragraph",
                            "give each image a paragraph of its own",
                        );
                    }
                    image = Some((dest_url.to_string(), title.to_string(), alt, r));
                }
                Event::Text(t) if image.is_some() && !more => after.push(&t, r, &self.text[self.offset..]),
                Event::SoftBreak if image.is_some() && !more => {
                    after.push("\n", r, &self.text[self.offset..])
                }
                other => {
                    more |= image.is_some();
                    self.inline(other, r, &mut run, &mut inlines);
                }
            }
        }
        self.flush(&mut run, &mut inlines);
        let Some((src, title, alt, r)) = image else {
            self.check_length(&inlines, range);
            return Some(Block::Para { inlines });
        };
        let width = self.figure_width(&after);
        if !Inline::plain(&inlines).trim().is_empty() || width.is_err() {
            if width != Err(true) {
                self.error(
                    range,
                    "an image inside running text",
                    "put the image in a paragraph of its own, with a blank line before and after",
                );
            }
            return None;
        }
        if alt.trim().is_empty() {
            self.error(
                r,
                format!("image `{src}` has no alt text"),
                "describe the picture between the brackets: `![what the picture shows](path)`",
            );
            return None;
        }
        match (self.images)(&src) {
            Ok(path) => {
                self.figures.push(FigureRef { written: src, src: path.clone() });
                Some(Block::Figure {
                    src: path,
                    alt: alt.trim().to_owned(),
                    caption: (!title.trim().is_empty()).then(|| title.trim().to_owned()),
                    width: width.ok().flatten(),
                })
            }
            Err(e) => {
                let message = match &e {
                    assets::ImageError::Path(m) => format!("failed to use image ({m})"),
                    assets::ImageError::File(m) => format!("failed to use image `{src}` ({m})"),
                };
                self.error(r, message, e.hint());
                None
            }
        }
    }

    /// The width in `{width=NN%}` at the start of the text after an image. `Err(true)` when
    /// the braces are wrong (reported here), `Err(false)` when other text follows the image.
    fn figure_width(&mut self, after: &Run) -> Result<Option<f64>, bool> {
        let text = after.text.as_str();
        let start = text.len() - text.trim_start().len();
        if start == text.len() {
            return Ok(None);
        }
        if !text[start..].starts_with('{') {
            return Err(false);
        }
        match attrs::width(&text[start..]) {
            Ok((width, used)) if text[start + used..].trim().is_empty() => Ok(Some(width)),
            Ok(_) => Err(false),
            Err(e) => {
                let r = e.range.start + start..e.range.end + start;
                self.error(after.source(r), e.message, attrs::HINT);
                Err(true)
            }
        }
    }

    /// Inlines up to `end`.
    fn inlines(&mut self, end: TagEnd) -> Vec<Inline> {
        let mut out = Vec::new();
        let mut run = Run::default();
        self.inline_depth += 1;
        while let Some((event, r)) = self.events.next() {
            if event == Event::End(end) {
                break;
            }
            self.inline(event, r, &mut run, &mut out);
        }
        self.inline_depth -= 1;
        self.flush(&mut run, &mut out);
        out
    }

    /// Inlines of a tight list item, up to the next block or the item's end.
    fn inlines_until_block(&mut self, end: TagEnd) -> Vec<Inline> {
        let mut out = Vec::new();
        let mut run = Run::default();
        while let Some((event, _)) = self.events.peek() {
            if *event == Event::End(end) || starts_block(event) {
                break;
            }
            let Some((event, r)) = self.events.next() else { break };
            self.inline(event, r, &mut run, &mut out);
        }
        self.flush(&mut run, &mut out);
        out
    }

    /// Adds one inline event to `out`, merging text into `run` so citations split across
    /// events are found.
    fn inline(&mut self, event: Event, r: Range<usize>, run: &mut Run, out: &mut Vec<Inline>) {
        if matches!(event, Event::Start(_)) && self.inline_depth > MAX_INLINE_NESTING {
            self.error(
                first_line(self.body(), r),
                format!("bold, emphasis and links nested more than {MAX_INLINE_NESTING} deep"),
                "write `**bold**` or `*emphasis*` once; leafpress prints both in bold",
            );
            self.skip_subtree();
            return;
        }
        match event {
            Event::Text(t) => run.push(&t, r, &self.text[self.offset..]),
            Event::SoftBreak => run.push(" ", r, &self.text[self.offset..]),
            Event::InlineHtml(t) => {
                let mut raw = Run::default();
                raw.push(&t, r, &self.text[self.offset..]);
                self.report_html(&raw, true);
            }
            Event::FootnoteReference(label) => {
                self.error(r, format!("footnotes are not supported (`[^{label}]`)"), FOOTNOTE_HINT)
            }
            Event::TaskListMarker(_) => self.error(
                r,
                "task-list checkboxes are not supported",
                "write a plain list item without `[ ]` or `[x]`; leafpress prints no checkboxes",
            ),
            other => {
                self.flush(run, out);
                match other {
                    Event::Code(t) => out.push(Inline::Code { text: t.to_string() }),
                    Event::HardBreak => out.push(Inline::Linebreak),
                    Event::Start(Tag::Strong) => {
                        out.push(Inline::Strong { children: self.inlines(TagEnd::Strong) })
                    }
                    Event::Start(Tag::Emphasis) => {
                        out.push(Inline::Emph { children: self.inlines(TagEnd::Emphasis) })
                    }
                    Event::Start(Tag::Strikethrough) => {
                        self.error(
                            r,
                            "struck-through text is not supported",
                            "leave the words out, or write `\\~` for a literal tilde",
                        );
                        out.extend(self.inlines(TagEnd::Strikethrough));
                    }
                    Event::Start(Tag::Link { link_type, dest_url, .. }) => {
                        let children = self.inlines(TagEnd::Link);
                        let url = self.link_target(link_type, &dest_url, r);
                        out.push(Inline::Link { url, children });
                    }
                    Event::Start(Tag::Image { dest_url, .. }) => {
                        self.skip(TagEnd::Image);
                        self.error(
                            r,
                            format!("image `{dest_url}` inside a link, heading, list or table"),
                            "put the image in a paragraph of its own",
                        );
                    }
                    Event::Start(tag) => {
                        let end = tag.to_end();
                        out.extend(self.inlines(end));
                    }
                    _ => {}
                }
            }
        }
    }

    /// A link's target, checked (see [`links`]); `r` is where the link is written.
    fn link_target(&mut self, link_type: LinkType, url: &str, r: Range<usize>) -> String {
        if link_type == LinkType::Email {
            return format!("mailto:{url}");
        }
        if let Err(problem) = links::check(url) {
            // Point at the culprit in the target when it is written there, else at the link.
            let written = &self.body()[r.clone()];
            let at = written
                .rfind("](")
                .and_then(|open| written[open..].find(&problem.culprit).map(|i| open + i))
                .filter(|_| !problem.culprit.is_empty())
                .map_or(r.clone(), |i| r.start + i..r.start + i + problem.culprit.len());
            self.error(at, problem.message, links::HINT);
        }
        url.to_owned()
    }

    /// Turns the pending text run into text and citation inlines.
    fn flush(&mut self, run: &mut Run, out: &mut Vec<Inline>) {
        if run.text.is_empty() {
            return;
        }
        let taken = std::mem::take(run);
        // pulldown-cmark hands over a `<!--` it could not close, and a footnote reference
        // without a definition, as text.
        for (i, _) in taken.text.match_indices("<!--") {
            if !taken.escaped(i) {
                self.error(
                    taken.source(i..i + 4),
                    "unclosed comment `<!--`",
                    "end the comment with `-->`, or write `\\<!--` to print it",
                );
            }
        }
        for (i, _) in taken.text.match_indices("[^") {
            // Footnote labels are short; looking further would make this quadratic.
            let after = &taken.text[i + 2..];
            let Some(close) = after.bytes().take(100).position(|b| b == b']') else { continue };
            let label = &after[..close];
            let closed = true;
            if closed && !label.is_empty() && !label.contains(char::is_whitespace) && !taken.escaped(i) {
                let r = taken.source(i..i + label.len() + 3);
                self.error(r, format!("footnotes are not supported (`[^{label}]`)"), FOOTNOTE_HINT);
            }
        }
        for piece in citations::split(&taken.text, |i| taken.escaped(i)) {
            match piece {
                Piece::Text(text) => match out.last_mut() {
                    Some(Inline::Text { text: prev }) => prev.push_str(&text),
                    _ => out.push(Inline::Text { text }),
                },
                Piece::Cite { keys, form } => {
                    for (key, range) in &keys {
                        let whole = taken.source(range.clone());
                        self.citations.push(CiteRef {
                            key: key.clone(),
                            range: whole.start + self.offset..whole.end + self.offset,
                        });
                    }
                    out.push(Inline::Cite { keys: keys.into_iter().map(|(k, _)| k).collect(), form });
                }
                Piece::Var { name, range } => {
                    if super::vars::NAMES.contains(&name.as_str()) {
                        out.push(Inline::Var { name });
                    } else {
                        let r = taken.source(range);
                        self.error(
                            r,
                            format!("unknown variable `{{{name}}}`"),
                            format!(
                                "variables: {}; write `\\{{` for a literal brace",
                                super::vars::NAMES.map(|n| format!("{{{n}}}")).join(", ")
                            ),
                        );
                        out.push(Inline::Text { text: format!("{{{name}}}") });
                    }
                }
                Piece::Unclosed { range } => {
                    let r = taken.source(range.clone());
                    let shown: String = taken.text[range.start..].chars().take(20).collect();
                    self.error(
                        r,
                        format!("unclosed citation `{}`", shown.trim_end()),
                        "end the citation with `]`, e.g. `[@key]`; write `\\[` for a literal bracket",
                    );
                    let text = taken.text[range].to_owned();
                    match out.last_mut() {
                        Some(Inline::Text { text: prev }) => prev.push_str(&text),
                        _ => out.push(Inline::Text { text }),
                    }
                }
                Piece::Malformed { text, range } => {
                    let r = taken.source(range);
                    self.error(r, format!("malformed citation `{text}`"), "write `[@key]`, `[@key1; @key2]`, or `[-@key]` after the authors' names; write `\\[` for a literal bracket");
                    out.push(Inline::Text { text });
                }
            }
        }
    }

    /// Skips the rest of the element whose start was just read, however deeply it nests.
    fn skip_subtree(&mut self) {
        let mut open = 1usize;
        for (ev, _) in self.events.by_ref() {
            match ev {
                Event::Start(_) => open += 1,
                Event::End(_) => open -= 1,
                _ => {}
            }
            if open == 0 {
                break;
            }
        }
    }

    /// Skips events up to and including `end`.
    fn skip(&mut self, end: TagEnd) {
        for (ev, _) in self.events.by_ref() {
            if ev == Event::End(end) {
                break;
            }
        }
    }
}

/// The hint for footnote references and definitions.
const FOOTNOTE_HINT: &str =
    "cite a source with `[@key]`, or say it in the text itself; leafpress prints no footnotes";

/// The alert types, for hints.
const ALERT_LIST: &str = "boxed notes are `[!NOTE]`, `[!TIP]`, `[!WARNING]` and `[!CAUTION]`; `[!IMPORTANT]` is the section's key message";

/// The alert type closest to `word` (upper-case), if any is close.
fn closest_alert(word: &str) -> Option<&'static str> {
    let letters: String = word.chars().filter(char::is_ascii_alphabetic).collect();
    if letters.starts_with("KEY") {
        return Some("IMPORTANT");
    }
    ALERTS
        .iter()
        .map(|a| (strsim::normalized_damerau_levenshtein(&letters, a), *a))
        .filter(|(score, _)| *score >= 0.5)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, a)| a)
}

/// Whether `event` starts a block, which ends the loose text of a tight list item.
fn starts_block(event: &Event) -> bool {
    match event {
        Event::Start(tag) => !matches!(
            tag,
            Tag::Emphasis
                | Tag::Strong
                | Tag::Strikethrough
                | Tag::Superscript
                | Tag::Subscript
                | Tag::Link { .. }
                | Tag::Image { .. }
        ),
        Event::Rule => true,
        _ => false,
    }
}

/// A block, or a section's key message.
enum BlockOrKey {
    Block(Block),
    Key(Vec<Inline>),
    /// A paragraph for some countries (`{country=UK}`), to stand in for the block before it.
    Variant {
        countries: Vec<String>,
        block: Block,
        range: Range<usize>,
    },
}

/// How a country variant's paragraph ends: `{country=UK}`.
const COUNTRY_MARKER: &str = "{country=";

/// The syntax, for every error about it.
const COUNTRY_HINT: &str = "a paragraph ending in `{country=UK}` (or `{country=UK,IE}`) replaces the paragraph right before it for practices in those countries; write the text every other practice gets first";

/// What a block is, in an error message.
fn block_name(b: &Block) -> &'static str {
    match b {
        Block::Para { .. } | Block::ByCountry { .. } => "a paragraph",
        Block::Heading { .. } => "a subheading",
        Block::List { .. } => "a list",
        Block::Quote { .. } => "a quotation",
        Block::Callout { .. } => "a callout",
        Block::Figure { .. } => "an image",
        Block::Table { .. } => "a table",
        Block::Code { .. } => "a code block",
    }
}

/// Where `{country=` starts in the last text of `inlines`, if they end with `{country=…}`.
fn country_marker(inlines: &[Inline]) -> Option<usize> {
    let Some(Inline::Text { text }) = inlines.last() else { return None };
    let trimmed = text.trim_end();
    let open = trimmed.rfind(COUNTRY_MARKER)?;
    (trimmed.ends_with('}') && !trimmed[open..].contains(char::is_whitespace)).then_some(open)
}

/// Consecutive text events merged, remembering where each came from in the body.
#[derive(Default)]
struct Run {
    text: String,
    /// (start in `text`, source range, whether the source was a backslash escape)
    pieces: Vec<(usize, Range<usize>, bool)>,
}

impl Run {
    fn push(&mut self, t: &str, source: Range<usize>, body: &str) {
        // pulldown-cmark starts a new text event at the character a backslash escapes, just
        // after the backslash; a backslash the previous event holds was itself escaped.
        let after_backslash = source.start > 0 && body.as_bytes().get(source.start - 1) == Some(&b'\\');
        let escaped =
            after_backslash && self.pieces.last().is_none_or(|(_, prev, _)| prev.end < source.start);
        self.pieces.push((self.text.len(), source, escaped));
        self.text.push_str(t);
    }

    /// The piece holding byte `i` of the run.
    fn piece(&self, i: usize) -> Option<&(usize, Range<usize>, bool)> {
        // The pieces are in order of their start: a binary search keeps long runs linear.
        let after = self.pieces.partition_point(|(start, _, _)| *start <= i);
        after.checked_sub(1).map(|k| &self.pieces[k])
    }

    fn escaped(&self, i: usize) -> bool {
        self.piece(i).is_some_and(|(start, _, esc)| *esc && *start == i)
    }

    /// Maps a range of the run back to the body, exactly where the text was copied verbatim.
    fn source(&self, range: Range<usize>) -> Range<usize> {
        let map = |i: usize| match self.piece(i) {
            Some((start, src, _)) => (src.start + (i - start)).min(src.end),
            None => 0,
        };
        let start = map(range.start);
        let end = map(range.end.saturating_sub(1)) + 1;
        start..end.max(start)
    }
}

/// `range` cut at the end of its first line, so a heading is marked on its own line.
fn first_line(text: &str, range: Range<usize>) -> Range<usize> {
    let slice = &text[range.clone()];
    let end = slice.find('\n').map_or(range.end, |i| range.start + i);
    range.start..end
}

/// The 1-based line number of byte `at` in `text`.
fn line_of(text: &str, at: usize) -> usize {
    text[..at.min(text.len())].matches('\n').count() + 1
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::model::CiteForm;

    fn parse_str(src: &str) -> (Parsed, Vec<String>) {
        let text: Arc<str> = Arc::from(src);
        let mut sink = Sink::default();
        let resolver = |s: &str| {
            if s.contains("missing") {
                Err(assets::ImageError::Path("not found".into()))
            } else {
                Ok(format!("/{s}"))
            }
        };
        let parsed = parse(Path::new("t.md"), &text, 0, &resolver, &mut sink);
        let errors = match sink.finish() {
            Ok(_) => vec![],
            Err(d) => d.0.into_iter().map(|d| d.message).collect(),
        };
        (parsed, errors)
    }

    #[test]
    fn sections_key_messages_and_citations() {
        let (p, errors) = parse_str(
            "Lead text.\n\n## One {#one}\n\n> [!IMPORTANT]\n> Key.\n\nBody [@a; @b].\n\n## Two {#two .urgent}\n\n- x\n- y\n",
        );
        assert!(errors.is_empty(), "{errors:?}");
        let b = &p.body;
        assert_eq!(b.lead.len(), 1);
        assert_eq!(b.sections.len(), 2);
        assert_eq!(b.sections[0].key_message, Some(vec![Inline::Text { text: "Key.".into() }]));
        assert_eq!(
            b.sections[0].blocks[0],
            Block::Para {
                inlines: vec![
                    Inline::Text { text: "Body ".into() },
                    Inline::Cite { keys: vec!["a".into(), "b".into()], form: CiteForm::Normal },
                    Inline::Text { text: ".".into() },
                ]
            }
        );
        assert!(b.sections[1].urgent);
        assert_eq!(p.citations.len(), 2);
    }

    #[test]
    fn citation_ranges_point_at_the_key() {
        let src = "## S {#s}\n\nText [@abc].\n";
        let (p, _) = parse_str(src);
        assert_eq!(&src[p.citations[0].range.clone()], "@abc");
    }

    #[test]
    fn markup_characters_stay_literal() {
        let (p, errors) = parse_str("## S {#s}\n\n#panic(\"x\") $x$ @key \\<b> \\\\ end\n");
        assert!(errors.is_empty(), "{errors:?}");
        let Block::Para { inlines } = &p.body.sections[0].blocks[0] else { panic!() };
        assert_eq!(Inline::plain(inlines), "#panic(\"x\") $x$ @key <b> \\ end");
    }

    #[test]
    fn backslash_escapes_keep_brackets_and_braces_literal() {
        let (p, errors) = parse_str("## S {#s}\n\n\\{beroep} en \\[@a] blijven tekst; \\\\[@b] citeert.\n");
        assert_eq!(errors, Vec::<String>::new());
        let Block::Para { inlines } = &p.body.sections[0].blocks[0] else { panic!() };
        assert_eq!(
            inlines,
            &vec![
                Inline::Text { text: "{beroep} en [@a] blijven tekst; \\".into() },
                Inline::Cite { keys: vec!["b".into()], form: CiteForm::Normal },
                Inline::Text { text: " citeert.".into() },
            ]
        );
    }

    #[test]
    fn reports_structural_errors() {
        let (_, errors) = parse_str("## A\n\n## B {#b}\n\n## C {#b}\n\n![](img.svg)\n\n![x](missing.svg)\n");
        assert_eq!(
            errors,
            vec![
                "section `A` has no id",
                "duplicate section id `b`",
                "image `img.svg` has no alt text",
                "failed to use image (not found)",
            ]
        );
    }

    #[test]
    fn odd_markdown_never_panics() {
        let inputs = [
            "",
            "##",
            "## {#x}",
            "## T {#a .urgent}\n\n> [!IMPORTANT]\n> - a list\n",
            "[@",
            "[@]",
            "[-@a; @b]",
            "## T {#t}\n\n| a | b |\n|---|---|\n| 1 | 2 |\n",
            "## T {#t}\n\nfoot[^1]\n\n[^1]: note\n",
            "## T {#t}\n\n[![alt](x.svg)](http://a)\n",
            "## T {#t}\n\n- a\n  - b\n    1. c\n\n> > nested\n\n```\ncode\n```\n\n<div>html</div>\n",
            "## T {#t}\n\n#### deep\n\n# top\n\n***\n\nline  \nbreak `code` <!-- c -->\n",
            "é[@ké]ü \\[@x] ![",
        ];
        for input in inputs {
            let _ = parse_str(input);
        }
    }

    #[test]
    fn figure_with_caption() {
        let (p, _) = parse_str("## S {#s}\n\n![Alt text](images/a.svg \"Caption\")\n");
        assert_eq!(
            p.body.sections[0].blocks[0],
            Block::Figure {
                src: "/images/a.svg".into(),
                alt: "Alt text".into(),
                caption: Some("Caption".into()),
                width: None,
            }
        );
    }

    /// Every diagnostic for `src`, rendered as the user sees it.
    fn rendered(src: &str) -> String {
        let text: Arc<str> = Arc::from(src);
        let mut sink = Sink::default();
        let resolver = |s: &str| Ok::<_, assets::ImageError>(format!("/{s}"));
        parse(Path::new("t.md"), &text, 0, &resolver, &mut sink);
        match sink.finish() {
            Ok(_) => String::new(),
            Err(d) => crate::diag::render_plain(&d.0),
        }
    }

    /// The blocks of the first section of `## S {#s}` followed by `body`, which must parse
    /// without errors.
    fn blocks_of(body: &str) -> Vec<Block> {
        let (p, errors) = parse_str(&format!("## S {{#s}}\n\n{body}"));
        assert!(errors.is_empty(), "{errors:?}");
        p.body.sections[0].blocks.clone()
    }

    fn text(s: &str) -> Vec<Inline> {
        vec![Inline::Text { text: s.into() }]
    }

    #[test]
    fn tables_have_header_alignment_and_padded_rows() {
        let blocks = blocks_of(
            "| Oefening | Hoe vaak | Door |\n|:--|:-:|--:|\n| Brug [@a] | **3×** per dag | je {profession} |\n| Kat |\n",
        );
        assert_eq!(
            blocks,
            vec![Block::Table {
                header: vec![text("Oefening"), text("Hoe vaak"), text("Door")],
                align: vec![Align::Left, Align::Center, Align::Right],
                rows: vec![
                    vec![
                        vec![
                            Inline::Text { text: "Brug ".into() },
                            Inline::Cite { keys: vec!["a".into()], form: CiteForm::Normal },
                        ],
                        vec![
                            Inline::Strong { children: text("3×") },
                            Inline::Text { text: " per dag".into() },
                        ],
                        vec![Inline::Text { text: "je ".into() }, Inline::Var { name: "profession".into() }],
                    ],
                    vec![text("Kat"), vec![], vec![]],
                ],
            }]
        );
        let json = serde_json::to_value(&blocks[0]).unwrap();
        assert_eq!(json["kind"], "table");
        assert_eq!(json["align"], serde_json::json!(["left", "center", "right"]));
        assert_eq!(json["rows"][1][1], serde_json::json!([]));
    }

    #[test]
    fn tables_in_lists_and_quotes_but_not_in_key_messages() {
        let table = "| a | b |\n|---|---|\n| 1 | 2 |\n";
        let indented = table.lines().map(|l| format!("  {l}\n")).collect::<String>();
        let blocks = blocks_of(&format!("- item\n\n{indented}"));
        let Block::List { items, .. } = &blocks[0] else { panic!("{blocks:?}") };
        assert!(matches!(items[0][1], Block::Table { .. }), "{items:?}");
        let quoted = table.lines().map(|l| format!("> {l}\n")).collect::<String>();
        let blocks = blocks_of(&quoted);
        let Block::Quote { blocks } = &blocks[0] else { panic!("{blocks:?}") };
        assert!(matches!(blocks[0], Block::Table { .. }));
        assert_eq!(
            rendered("| a | b |\n|---|---|\n| 1 | 2 | 3 | 4 |\n"),
            "error: a table row with more cells than the header
  ┌─ t.md:3:11
  │
3 │ | 1 | 2 | 3 | 4 |
  │           ^^^^^
  │
  = hint: give the header a cell for every column; a row may have fewer cells, not more

"
        );
        let (_, errors) = parse_str(&format!("## S {{#s}}\n\n> [!IMPORTANT]\n{quoted}"));
        assert_eq!(errors, vec!["a key message may only hold text"]);
    }

    #[test]
    fn figure_width_from_attributes() {
        let figure = |src: &str| blocks_of(src).remove(0);
        let Block::Figure { width, caption, .. } = figure("![Alt](images/a.svg \"Cap\"){width=50%}\n") else {
            panic!()
        };
        assert_eq!((width, caption.as_deref()), (Some(0.5), Some("Cap")));
        let Block::Figure { width, .. } = figure("![Alt](images/a.svg) { width=100% }\n") else { panic!() };
        assert_eq!(width, Some(1.0));
        let Block::Figure { width, .. } = figure("![Alt](images/a.svg)\n") else { panic!() };
        assert_eq!(width, None);
        let json = serde_json::to_value(figure("![Alt](images/a.svg){width=40%}\n")).unwrap();
        assert_eq!(
            json,
            serde_json::json!({"kind": "figure", "src": "/images/a.svg", "alt": "Alt", "caption": null, "width": 0.4})
        );
    }

    #[test]
    fn figure_attribute_errors_point_into_the_braces() {
        assert_eq!(
            rendered("![Alt](a.svg){width=150%}\n"),
            "error: figure width `150%` is outside 5% to 100%
  ┌─ t.md:1:15
  │
1 │ ![Alt](a.svg){width=150%}
  │               ^^^^^^^^^^
  │
  = hint: size a figure with `{width=NN%}` (NN from 5 to 100) right after the image: `![alt](images/x.svg \"caption\"){width=50%}`

"
        );
        let first_line = |src: &str| rendered(src).lines().next().unwrap_or_default().to_owned();
        assert_eq!(first_line("![Alt](a.svg){height=3cm}\n"), "error: unknown figure attribute `height=3cm`");
        assert_eq!(
            first_line("![Alt](a.svg){width=50}\n"),
            "error: figure width `50` is not a whole percentage"
        );
        assert_eq!(
            first_line("![Alt](a.svg){width=50%\n"),
            "error: malformed figure attributes `{width=50%` (no closing `}`)"
        );
        assert_eq!(first_line("![Alt](a.svg){width=50%} and text\n"), "error: an image inside running text");
        assert_eq!(first_line("![Alt](a.svg) and text\n"), "error: an image inside running text");
    }

    #[test]
    fn unknown_alert_types_are_errors_with_a_suggestion() {
        assert_eq!(
            rendered("## S {#s}\n\n> [!IMPORTANTT]\n> Kern.\n"),
            "error: unknown alert type `[!IMPORTANTT]`
  ┌─ t.md:3:3
  │
3 │ > [!IMPORTANTT]
  │   ^^^^^^^^^^^^^
  │
  = hint: did you mean `[!IMPORTANT]`? boxed notes are `[!NOTE]`, `[!TIP]`, `[!WARNING]` and `[!CAUTION]`; `[!IMPORTANT]` is the section's key message

"
        );
        let hint = |src: &str| {
            let (_, errors) = parse_str(src);
            let all = rendered(src);
            (errors, all.lines().find(|l| l.contains("hint:")).unwrap_or_default().trim().to_owned())
        };
        let (errors, h) = hint("> [!KEY]\n> Kern.\n");
        assert_eq!(errors, vec!["unknown alert type `[!KEY]`"]);
        assert!(h.starts_with("= hint: did you mean `[!IMPORTANT]`?"), "{h}");
        let (errors, h) = hint("> [!Tip:]\n> Drink water.\n");
        assert_eq!(errors, vec!["unknown alert type `[!Tip:]`"]);
        assert!(h.starts_with("= hint: did you mean `[!TIP]`?"), "{h}");
        let (_, h) = hint("> [!DANGER]\n> Bel 112.\n");
        assert!(h.starts_with("= hint: boxed notes are"), "{h}");
        let (errors, h) = hint("> [!note] Drink water.\n");
        assert_eq!(errors, vec!["`[!note]` must stand on a line of its own"]);
        assert_eq!(h, "= hint: write `> [!NOTE]` alone on its line, and the text on the `>` lines below it");
        let (p, errors) = parse_str(
            "> [!tip]\n> Drink water.\n\n> [x] and [!] stay text\n\n> [!link](https://a.example)\n",
        );
        assert!(errors.is_empty(), "{errors:?}");
        assert!(matches!(&p.body.lead[0], Block::Callout { tone, .. } if tone == "tip"));
    }

    #[test]
    fn variables_in_link_targets() {
        let blocks = blocks_of(
            "[onze website]({website}), [mail ons]({email}), [bel]({phone}) of <info@x.example>.\n",
        );
        let Block::Para { inlines } = &blocks[0] else { panic!() };
        let urls: Vec<&str> = inlines
            .iter()
            .filter_map(|i| match i {
                Inline::Link { url, .. } => Some(url.as_str()),
                _ => None,
            })
            .collect();
        assert_eq!(urls, ["{website}", "{email}", "{phone}", "mailto:info@x.example"]);
        assert_eq!(
            rendered("[site]({webstie})\n"),
            "error: unknown variable `{webstie}` in a link target
  ┌─ t.md:1:8
  │
1 │ [site]({webstie})
  │        ^^^^^^^^^
  │
  = hint: write a full address (`https://…`, `mailto:…`, `tel:…`), or `{website}` (optionally followed by a path, `{website}/contact`), `{email}` or `{phone}` for the practice's own

"
        );
        let (_, errors) =
            parse_str("[a](www.example.org) [b](#what-is) [c]({practice}) <https://ok.example>\n");
        assert_eq!(
            errors,
            vec![
                "link target `www.example.org` is not a web, e-mail or phone address",
                "link target `#what-is` is not a web, e-mail or phone address",
                "`{practice}` is not an address a link can go to",
            ]
        );
    }

    #[test]
    fn html_is_an_error_with_advice() {
        assert_eq!(
            rendered("Tekst met <b>vet</b> en<br>een regel.\n\n<div class=\"x\">\nblok\n</div>\n"),
            "error: HTML is not supported (`<b>`)
  ┌─ t.md:1:11
  │
1 │ Tekst met <b>vet</b> en<br>een regel.
  │           ^^^
  │
  = hint: write **bold** in Markdown instead

error: HTML is not supported (`<br>`)
  ┌─ t.md:1:24
  │
1 │ Tekst met <b>vet</b> en<br>een regel.
  │                        ^^^^
  │
  = hint: end the line with a backslash `\\` for a line break, or leave a blank line for a new paragraph

error: HTML is not supported (`<div class=\"x\">`)
  ┌─ t.md:3:1
  │
3 │ <div class=\"x\">
  │ ^^^^^^^^^^^^^^^
  │
  = hint: leafpress prints no HTML: write plain Markdown, or `\\<` for a literal `<`

"
        );
        let (_, errors) = parse_str("<b>vet<br></b> en <i>schuin</i>\n");
        assert_eq!(
            errors,
            vec![
                "HTML is not supported (`<b>`)",
                "HTML is not supported (`<br>`)",
                "HTML is not supported (`<i>`)"
            ]
        );
        let (_, errors) = parse_str("> <span>x</span>\n\n- <img src=\"a.png\">\n");
        assert_eq!(
            errors,
            vec!["HTML is not supported (`<span>`)", "HTML is not supported (`<img src=\"a.png\">`)"]
        );
    }

    #[test]
    fn comments_are_dropped_everywhere() {
        let src = "<!-- lead comment -->\nLead <!-- inline --> text.\n\n## S {#s}\n\n- item <!-- c -->\n- <!-- only -->\n\n  <!-- in item -->\n\n> quote\n>\n> <!-- in quote\n> over lines -->\n\n<!-- a --> <!-- b -->\n";
        let (p, errors) = parse_str(src);
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!(p.body.lead, vec![Block::Para { inlines: text("Lead  text.") }]);
        let s = &p.body.sections[0];
        assert_eq!(s.blocks.len(), 2, "{:?}", s.blocks);
        assert_eq!(s.blocks[1], Block::Quote { blocks: vec![Block::Para { inlines: text("quote") }] });
    }

    #[test]
    fn broken_comments_are_errors() {
        assert_eq!(
            rendered("Tekst.\n\n<!-- nooit gesloten\n\n## S {#s}\n"),
            "error: unclosed comment `<!--`
  ┌─ t.md:3:1
  │
3 │ <!-- nooit gesloten
  │ ^^^^
  │
  = hint: end the comment with `-->`; until then everything after it is left out

"
        );
        assert_eq!(
            rendered("<!-- x --> Zie ook de website.\n"),
            "error: text after a comment on the same line
  ┌─ t.md:1:12
  │
1 │ <!-- x --> Zie ook de website.
  │            ^^^^^^^^^^^^^^^^^^^
  │
  = hint: put the comment on a line of its own: the rest of its line is not printed

"
        );
        let (_, errors) = parse_str("Tekst <!-- niet gesloten.\n\n> <!-- x --> y\n");
        assert_eq!(errors, vec!["unclosed comment `<!--`", "text after a comment on the same line"]);
    }

    #[test]
    fn what_looks_like_html_but_is_not_stays_text() {
        let blocks = blocks_of("a < b, <3 en \\<b> en <https://example.org>.\n");
        let Block::Para { inlines } = &blocks[0] else { panic!() };
        assert_eq!(Inline::plain(inlines), "a < b, <3 en <b> en https://example.org.");
        assert!(matches!(&inlines[1], Inline::Link { url, .. } if url == "https://example.org"));
    }

    #[test]
    fn footnotes_task_lists_rules_and_strikethrough_are_errors() {
        assert_eq!(
            rendered("Tekst[^1].\n\n[^1]: Een voetnoot.\n"),
            "error: footnotes are not supported (`[^1]`)
  ┌─ t.md:1:6
  │
1 │ Tekst[^1].
  │      ^^^^
  │
  = hint: cite a source with `[@key]`, or say it in the text itself; leafpress prints no footnotes

error: footnotes are not supported (`[^1]:`)
  ┌─ t.md:3:1
  │
3 │ [^1]: Een voetnoot.
  │ ^^^^^
  │
  = hint: cite a source with `[@key]`, or say it in the text itself; leafpress prints no footnotes

"
        );
        let (_, errors) = parse_str("Zonder definitie[^2], maar \\[^3] is tekst.\n");
        assert_eq!(errors, vec!["footnotes are not supported (`[^2]`)"]);
        let (_, errors) = parse_str("- [ ] oefenen\n- [x] rusten\n\n---\n\nNiet ~~meer~~ doen.\n");
        assert_eq!(
            errors,
            vec![
                "task-list checkboxes are not supported",
                "task-list checkboxes are not supported",
                "a thematic break (`---`) is not printed",
                "struck-through text is not supported",
            ]
        );
    }
}

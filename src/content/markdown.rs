//! The Markdown body of a content file, parsed with pulldown-cmark into the content model.
//!
//! Conventions on top of CommonMark: `## Title {#id}` starts a section, `{#id .urgent}` marks
//! the red-flag section, `> [!IMPORTANT]` inside a section is its key message, `[@key]` cites,
//! an image standing alone in a paragraph is a figure and needs alt text. Everything else the
//! user types is literal text.

use std::iter::Peekable;
use std::ops::Range;
use std::path::Path;
use std::sync::Arc;

use pulldown_cmark::{BlockQuoteKind, Event, HeadingLevel, OffsetIter, Options, Parser, Tag, TagEnd};

use super::citations::{self, Piece};
use super::model::{Block, Body, Inline, Section};
use crate::diag::{Diagnostic, Sink};

/// A citation found in the text, for checking against the bibliography.
#[derive(Debug, Clone)]
pub struct CiteRef {
    /// The key.
    pub key: String,
    /// Where it was written, in the whole file.
    pub range: Range<usize>,
}

/// Everything parsing a body yields.
#[derive(Debug, Default)]
pub struct Parsed {
    /// The model.
    pub body: Body,
    /// Every citation, in order.
    pub citations: Vec<CiteRef>,
    /// Where each section's heading is, parallel to `body.sections`.
    pub section_ranges: Vec<Range<usize>>,
}

/// Maps an image reference to the path Typst should load, or says why it can't be used.
pub type ImageResolver<'a> = dyn Fn(&str) -> Result<String, String> + 'a;

/// Parses `text[offset..]` (the body after the front matter) of the file at `path`.
pub fn parse(path: &Path, text: &Arc<str>, offset: usize, images: &ImageResolver, sink: &mut Sink) -> Parsed {
    let opts = Options::ENABLE_HEADING_ATTRIBUTES | Options::ENABLE_GFM | Options::ENABLE_STRIKETHROUGH;
    let body = &text[offset..];
    let mut p = BodyParser {
        path,
        text,
        offset,
        images,
        sink,
        events: Parser::new_ext(body, opts).into_offset_iter().peekable(),
        citations: Vec::new(),
    };
    p.document()
}

/// State while walking the event stream.
struct BodyParser<'a, 'b> {
    path: &'a Path,
    text: &'a Arc<str>,
    offset: usize,
    images: &'a ImageResolver<'b>,
    sink: &'a mut Sink,
    events: Peekable<OffsetIter<'a>>,
    citations: Vec<CiteRef>,
}

impl BodyParser<'_, '_> {
    /// An error at a range of the body.
    fn error(&mut self, range: Range<usize>, message: impl Into<String>, hint: impl Into<String>) {
        let whole = range.start + self.offset..range.end + self.offset;
        self.sink.push(Diagnostic::error(message).at(self.path, self.text, whole).hint(hint));
    }

    /// The whole body: lead blocks, then sections.
    fn document(&mut self) -> Parsed {
        let mut body = Body::default();
        let mut section_ranges: Vec<Range<usize>> = Vec::new();
        while let Some((event, range)) = self.events.next() {
            if let Event::Start(Tag::Heading { level, id, classes, attrs }) = &event
                && *level <= HeadingLevel::H2
            {
                let range = first_line(&self.text[self.offset..], range);
                let (id, classes, attrs) = (id.clone(), classes.clone(), attrs.clone());
                let title = Inline::plain(&self.inlines(TagEnd::Heading(*level)));
                let title = title.trim().to_owned();
                if *level == HeadingLevel::H1 {
                    self.error(
                        range.clone(),
                        "a `#` heading in the body",
                        "the title comes from the front matter; start sections with `## Title {#id}`",
                    );
                    continue;
                }
                let Some(id) = id else {
                    self.error(range.clone(), format!("section `{title}` has no id"), format!(
                        "add a stable id that is the same in every language, e.g. `## {title} {{#what-is}}`"
                    ));
                    continue;
                };
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
                if let Some(first) = body.sections.iter().position(|s| s.id == id.as_ref()) {
                    let first_line = line_of(self.text, section_ranges[first].start);
                    self.error(
                        range.clone(),
                        format!("duplicate section id `{id}`"),
                        format!(
                            "`{id}` is already used on line {first_line}; every section needs its own id"
                        ),
                    );
                }
                section_ranges.push(range.start + self.offset..range.end + self.offset);
                body.sections.push(Section {
                    id: id.to_string(),
                    title,
                    urgent,
                    key_message: None,
                    blocks: vec![],
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
                    (BlockOrKey::Key(_), None) => self.error(
                        range,
                        "a key message before the first section",
                        "put `> [!IMPORTANT]` inside a `##` section",
                    ),
                    (BlockOrKey::Block(b), Some(section)) => section.blocks.push(b),
                    (BlockOrKey::Block(b), None) => body.lead.push(b),
                }
            }
        }
        Parsed { body, citations: std::mem::take(&mut self.citations), section_ranges }
    }

    /// One block starting with `event`; `None` for things that produce nothing (comments).
    fn block(&mut self, event: Event, range: Range<usize>) -> Option<BlockOrKey> {
        match event {
            Event::Start(Tag::Paragraph) => self.paragraph(range).map(BlockOrKey::Block),
            Event::Start(Tag::Heading { level, .. }) => {
                let inlines = self.inlines(TagEnd::Heading(level));
                if level == HeadingLevel::H3 {
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
            Event::Start(Tag::List(start)) => {
                let mut items = Vec::new();
                while let Some((ev, r)) = self.events.next() {
                    match ev {
                        Event::End(TagEnd::List(_)) => break,
                        Event::Start(Tag::Item) => items.push(self.blocks(TagEnd::Item, r, true)),
                        _ => {}
                    }
                }
                Some(BlockOrKey::Block(Block::List {
                    ordered: start.is_some(),
                    start: start.unwrap_or(1),
                    items,
                }))
            }
            Event::Start(Tag::BlockQuote(kind)) => {
                let end = TagEnd::BlockQuote(kind);
                let blocks = self.blocks(end, range.clone(), false);
                match kind {
                    None => Some(BlockOrKey::Block(Block::Quote { blocks })),
                    Some(BlockQuoteKind::Important) => {
                        let mut inlines = Vec::new();
                        for b in blocks {
                            match b {
                                Block::Para { inlines: more } => {
                                    if !inlines.is_empty() {
                                        inlines.push(Inline::Text { text: " ".into() });
                                    }
                                    inlines.extend(more);
                                }
                                _ => self.error(
                                    range.clone(),
                                    "a key message may only hold text",
                                    "write the key message as one or two plain sentences",
                                ),
                            }
                        }
                        Some(BlockOrKey::Key(inlines))
                    }
                    Some(other) => {
                        let tone = format!("{other:?}").to_lowercase();
                        Some(BlockOrKey::Block(Block::Callout { tone, blocks }))
                    }
                }
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
                let mut raw = String::new();
                for (ev, _) in self.events.by_ref() {
                    match ev {
                        Event::End(TagEnd::HtmlBlock) => break,
                        Event::Html(t) | Event::Text(t) => raw.push_str(&t),
                        _ => {}
                    }
                }
                let trimmed = raw.trim();
                if trimmed.starts_with("<!--") && trimmed.ends_with("-->") {
                    None
                } else {
                    Some(BlockOrKey::Block(Block::Para {
                        inlines: vec![Inline::Text { text: trimmed.to_owned() }],
                    }))
                }
            }
            Event::Rule => None,
            Event::Start(other) => {
                self.error(
                    range,
                    format!("unsupported Markdown element ({other:?})"),
                    "use paragraphs, lists, quotes, images and `##` sections",
                );
                self.skip(other.to_end());
                None
            }
            _ => None,
        }
    }

    /// Blocks up to `end`; inside list items, loose text (tight lists) becomes a paragraph.
    fn blocks(&mut self, end: TagEnd, range: Range<usize>, in_item: bool) -> Vec<Block> {
        let mut out = Vec::new();
        while let Some((event, r)) = self.events.peek().cloned() {
            if event == Event::End(end) {
                self.events.next();
                break;
            }
            let is_inline = matches!(
                event,
                Event::Text(_)
                    | Event::Code(_)
                    | Event::SoftBreak
                    | Event::HardBreak
                    | Event::InlineHtml(_)
                    | Event::Start(Tag::Strong | Tag::Emphasis | Tag::Link { .. } | Tag::Strikethrough)
            );
            if in_item && is_inline {
                let inlines = self.inlines_until_block(end);
                out.push(Block::Para { inlines });
                continue;
            }
            self.events.next();
            match self.block(event, r) {
                Some(BlockOrKey::Block(b)) => out.push(b),
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

    /// A paragraph: inlines, or a figure if it holds a lone image.
    fn paragraph(&mut self, range: Range<usize>) -> Option<Block> {
        let mut image = None;
        let mut inlines = Vec::new();
        let mut run = Run::default();
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
                other => self.inline(other, r, &mut run, &mut inlines),
            }
        }
        self.flush(&mut run, &mut inlines);
        let Some((src, title, alt, r)) = image else {
            return Some(Block::Para { inlines });
        };
        if !Inline::plain(&inlines).trim().is_empty() {
            self.error(
                range,
                "an image inside running text",
                "put the image in a paragraph of its own, with a blank line before and after",
            );
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
            Ok(path) => Some(Block::Figure {
                src: path,
                alt: alt.trim().to_owned(),
                caption: (!title.trim().is_empty()).then(|| title.trim().to_owned()),
            }),
            Err(e) => {
                self.error(
                    r,
                    format!("failed to use image ({e})"),
                    "image paths are relative to this file or to the project folder, and must stay inside it",
                );
                None
            }
        }
    }

    /// Inlines up to `end`.
    fn inlines(&mut self, end: TagEnd) -> Vec<Inline> {
        let mut out = Vec::new();
        let mut run = Run::default();
        while let Some((event, r)) = self.events.next() {
            if event == Event::End(end) {
                break;
            }
            self.inline(event, r, &mut run, &mut out);
        }
        self.flush(&mut run, &mut out);
        out
    }

    /// Inlines of a tight list item, up to the next block or the item's end.
    fn inlines_until_block(&mut self, end: TagEnd) -> Vec<Inline> {
        let mut out = Vec::new();
        let mut run = Run::default();
        while let Some((event, _)) = self.events.peek() {
            let stop = *event == Event::End(end)
                || matches!(
                    event,
                    Event::Start(
                        Tag::List(_)
                            | Tag::Paragraph
                            | Tag::BlockQuote(_)
                            | Tag::CodeBlock(_)
                            | Tag::Heading { .. }
                            | Tag::HtmlBlock
                    )
                );
            if stop {
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
        match event {
            Event::Text(t) => run.push(&t, r, &self.text[self.offset..]),
            Event::SoftBreak => run.push(" ", r, &self.text[self.offset..]),
            Event::InlineHtml(t) => {
                if !(t.starts_with("<!--") && t.ends_with("-->")) {
                    run.push(&t, r, &self.text[self.offset..]);
                }
            }
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
                    Event::Start(Tag::Strikethrough) => out.extend(self.inlines(TagEnd::Strikethrough)),
                    Event::Start(Tag::Link { dest_url, .. }) => {
                        let children = self.inlines(TagEnd::Link);
                        out.push(Inline::Link { url: dest_url.to_string(), children });
                    }
                    Event::Start(Tag::Image { dest_url, .. }) => {
                        self.skip(TagEnd::Image);
                        self.error(
                            r,
                            format!("image `{dest_url}` inside a link, heading or list"),
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

    /// Turns the pending text run into text and citation inlines.
    fn flush(&mut self, run: &mut Run, out: &mut Vec<Inline>) {
        if run.text.is_empty() {
            return;
        }
        let taken = std::mem::take(run);
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
                Piece::Malformed { text, range } => {
                    let r = taken.source(range);
                    self.error(r, format!("malformed citation `{text}`"), "write `[@key]`, `[@key1; @key2]`, or `[-@key]` after the authors' names; write `\\[` for a literal bracket");
                    out.push(Inline::Text { text });
                }
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

/// A block, or a section's key message.
enum BlockOrKey {
    Block(Block),
    Key(Vec<Inline>),
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
        self.pieces.iter().rev().find(|(start, _, _)| *start <= i)
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
        let resolver =
            |s: &str| if s.contains("missing") { Err("not found".to_string()) } else { Ok(format!("/{s}")) };
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
        let (p, errors) = parse_str("## S {#s}\n\n#panic(\"x\") $x$ @key <b> \\\\ end\n");
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
                caption: Some("Caption".into())
            }
        );
    }
}

//! Structure parity between a translation and its source.

use crate::content::Content;
use crate::content::model::{Block, Inline, Section};
use crate::diag::{Diagnostic, Sink, display_path};

use super::{line_of, section_place};

/// What a section is made of, as far as a translation must match it.
#[derive(Debug, Default, PartialEq)]
struct Shape {
    key_message: bool,
    /// Items per list, in order.
    lists: Vec<usize>,
    quotes: usize,
    figures: usize,
    /// Body rows and columns per table, in order.
    tables: Vec<(usize, usize)>,
    /// Citation keys, sorted.
    cites: Vec<String>,
}

impl Shape {
    fn of(key_message: Option<&[Inline]>, blocks: &[Block]) -> Self {
        let mut shape = Shape { key_message: key_message.is_some(), ..Shape::default() };
        if let Some(k) = key_message {
            cites(k, &mut shape.cites);
        }
        shape.add(blocks);
        shape.cites.sort();
        shape
    }

    fn add(&mut self, blocks: &[Block]) {
        for b in blocks {
            match b {
                Block::Para { inlines } | Block::Heading { inlines } => cites(inlines, &mut self.cites),
                Block::List { items, .. } => {
                    self.lists.push(items.len());
                    items.iter().for_each(|i| self.add(i));
                }
                Block::Quote { blocks } => {
                    self.quotes += 1;
                    self.add(blocks);
                }
                Block::Callout { blocks, .. } => self.add(blocks),
                Block::Figure { .. } => self.figures += 1,
                Block::Code { .. } => {}
                // The text for every practice stands for the source's paragraph.
                Block::ByCountry { otherwise, .. } => self.add(std::slice::from_ref(otherwise)),
                Block::Table { header, rows, .. } => {
                    self.tables.push((rows.len(), header.len()));
                    for cell in header.iter().chain(rows.iter().flatten()) {
                        cites(cell, &mut self.cites);
                    }
                }
            }
        }
    }
}

fn cites(inlines: &[Inline], out: &mut Vec<String>) {
    for i in inlines {
        match i {
            Inline::Cite { keys, .. } => out.extend(keys.iter().cloned()),
            Inline::Strong { children } | Inline::Emph { children } | Inline::Link { children, .. } => {
                cites(children, out)
            }
            _ => {}
        }
    }
}

/// Reports every way `translation` differs in structure from `source`.
pub fn check(source: &Content, translation: &Content, sink: &mut Sink) {
    let src = display_path(&source.path);
    let at = |range: std::ops::Range<usize>, message: String| {
        Diagnostic::error(message).at(&translation.path, &translation.text, range)
    };
    let find = |c: &Content, id: &str| c.body.sections.iter().position(|s| s.id == id);

    for (i, s) in source.body.sections.iter().enumerate() {
        let line = line_of(source, source.section_ranges[i].start);
        let Some(j) = find(translation, &s.id) else {
            // Report it where it belongs: at the next source section the translation has.
            let next = source.body.sections[i + 1..].iter().find(|n| find(translation, &n.id).is_some());
            let place = next.map_or_else(
                || translation.text.len().saturating_sub(1)..translation.text.len(),
                |n| section_place(translation, &n.id),
            );
            let what = if s.urgent { "the red-flag section" } else { "section" };
            sink.push(
                at(
                    place,
                    format!("{what} `{}` of {src} (line {line}) is missing from this translation", s.id),
                )
                .hint(format!("translate it here, with the same id: `## … {{#{}}}`", s.id)),
            );
            continue;
        };
        let t = &translation.body.sections[j];
        let place = translation.section_ranges[j].clone();
        if s.urgent != t.urgent {
            let (msg, hint) = if s.urgent {
                (
                    format!(
                        "section `{}` is the red-flag section in {src} but is not marked `.urgent` here",
                        s.id
                    ),
                    format!("write `{{#{} .urgent}}`", s.id),
                )
            } else {
                (
                    format!("section `{}` is marked `.urgent` here but not in {src}", s.id),
                    "only the source's red-flag section may be marked `.urgent`".to_owned(),
                )
            };
            sink.push(at(place.clone(), msg).hint(hint));
        }
        compare(s, t, &src, line, |m| sink.push(at(place.clone(), m)));
    }
    for (j, t) in translation.body.sections.iter().enumerate() {
        if find(source, &t.id).is_none() {
            sink.push(
                at(translation.section_ranges[j].clone(), format!("section `{}` is not in {src}", t.id))
                    .hint("sections are matched by id: use the source's ids, and add new sections to the source first"),
            );
        }
    }
    let (order_s, order_t): (Vec<&str>, Vec<&str>) = (
        source
            .body
            .sections
            .iter()
            .map(|s| s.id.as_str())
            .filter(|id| find(translation, id).is_some())
            .collect(),
        translation
            .body
            .sections
            .iter()
            .map(|s| s.id.as_str())
            .filter(|id| find(source, id).is_some())
            .collect(),
    );
    if order_s != order_t
        && let Some((_, t)) = order_s.iter().zip(&order_t).find(|(a, b)| a != b)
    {
        sink.push(
            at(section_place(translation, t), format!("the sections are not in the order of {src}"))
                .hint(format!("order: {}", order_s.join(", "))),
        );
    }
    let (ls, lt) = (Shape::of(None, &source.body.lead), Shape::of(None, &translation.body.lead));
    if ls != lt {
        sink.push(
            at(
                super::first_heading(translation),
                format!("the introduction differs in structure from {src}"),
            )
            .hint(differences(&ls, &lt).join("; ")),
        );
    }
}

/// Compares one section's shape, reporting each difference.
fn compare(s: &Section, t: &Section, src: &str, line: usize, mut report: impl FnMut(String)) {
    let (a, b) =
        (Shape::of(s.key_message.as_deref(), &s.blocks), Shape::of(t.key_message.as_deref(), &t.blocks));
    for d in differences(&a, &b) {
        report(format!("section `{}` {d} ({src}, line {line})", s.id));
    }
}

/// What `t` lacks or has more of than `s`, in words.
fn differences(s: &Shape, t: &Shape) -> Vec<String> {
    let mut out = Vec::new();
    if s.key_message != t.key_message {
        out.push(
            if s.key_message {
                "has no key message where the source has one"
            } else {
                "has a key message the source does not have"
            }
            .to_owned(),
        );
    }
    if s.lists.len() != t.lists.len() {
        out.push(format!("has {} list(s) where the source has {}", t.lists.len(), s.lists.len()));
    } else {
        for (k, (a, b)) in s.lists.iter().zip(&t.lists).enumerate() {
            if a != b {
                out.push(format!("has {b} items in list {} where the source has {a}", k + 1));
            }
        }
    }
    if s.quotes != t.quotes {
        out.push(format!("has {} quote(s) where the source has {}", t.quotes, s.quotes));
    }
    if s.tables.len() != t.tables.len() {
        out.push(format!("has {} table(s) where the source has {}", t.tables.len(), s.tables.len()));
    } else {
        for (k, ((ra, ca), (rb, cb))) in s.tables.iter().zip(&t.tables).enumerate() {
            if (ra, ca) != (rb, cb) {
                out.push(format!(
                    "has {rb} rows × {cb} columns in table {} where the source has {ra} × {ca}",
                    k + 1
                ));
            }
        }
    }
    if s.figures != t.figures {
        out.push(format!("has {} figure(s) where the source has {}", t.figures, s.figures));
    }
    if s.cites != t.cites {
        let missing: Vec<&str> =
            s.cites.iter().filter(|k| !t.cites.contains(k)).map(String::as_str).collect();
        let extra: Vec<&str> = t.cites.iter().filter(|k| !s.cites.contains(k)).map(String::as_str).collect();
        let mut parts = Vec::new();
        if !missing.is_empty() {
            parts.push(format!("lacks the citation(s) {}", missing.join(", ")));
        }
        if !extra.is_empty() {
            parts.push(format!("cites {} which the source does not", extra.join(", ")));
        }
        if parts.is_empty() {
            parts.push("cites the same works a different number of times".to_owned());
        }
        out.push(parts.join(" and "));
    }
    out
}

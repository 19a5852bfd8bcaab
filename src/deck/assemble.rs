//! A parsed deck made into content: its written slides and the included sections in order,
//! the included topics' bibliographies merged into one, checked where the deck names them.

use std::collections::{BTreeSet, HashMap};
use std::ops::Range;
use std::path::PathBuf;
use std::sync::Arc;

use chrono::{Months, NaiveDate};

use super::parse::{DeckFile, ItemKind};
use crate::content::bibliography::{self, Bibliography};
use crate::content::frontmatter::{FrontMatter, MAX_REVIEW_MONTHS};
use crate::content::{self, Content, DeckInfo};
use crate::diag::{Diagnostic, Result, Severity, Sink, display_path};
use crate::project::TopicFiles;

/// The virtual path of a deck's merged bibliography (served from memory, see
/// [`crate::engine::Job::bibliography`]).
pub const MERGED_BIBLIOGRAPHY: &str = "/_leafpress/references.yml";

/// A deck made into content.
#[derive(Debug)]
pub struct Assembled {
    /// Everything the deck shows, as one content.
    pub content: Content,
    /// Only the written slides, for checking a translation against its source.
    pub written: Content,
    /// The bibliography of every topic it includes, merged.
    pub bibliography: Option<Arc<Bibliography>>,
    /// The topic files it draws on (content and bibliographies).
    pub drawn_from: Vec<PathBuf>,
}

/// Whether the build reports the problems of a topic's file itself (topic, language; `None`
/// for the bibliography): those are not reported again for a deck.
pub type Reported<'a> = &'a dyn Fn(&str, Option<&str>) -> bool;

/// Topic files the build has read already (content before its values are filled in, and
/// bibliographies), keyed as [`Topics`] keeps them; `None` for a file that failed (the build
/// reported it).
#[derive(Default)]
pub struct Read {
    /// By (topic, language).
    pub content: HashMap<(String, String), Option<Arc<Content>>>,
    /// By topic.
    pub bibliographies: HashMap<String, Option<Arc<Bibliography>>>,
}

/// The topics' content and bibliographies, each read once for all decks (and not again where
/// the build read it for the leaflets, see [`Topics::knowing`]).
pub struct Topics<'a> {
    root: &'a std::path::Path,
    topics: &'a [TopicFiles],
    reported: Reported<'a>,
    content: HashMap<(String, String), Option<Arc<Content>>>,
    bibliographies: HashMap<String, Option<Arc<Bibliography>>>,
}

impl<'a> Topics<'a> {
    /// The project's topics, nothing read yet.
    pub fn new(root: &'a std::path::Path, topics: &'a [TopicFiles], reported: Reported<'a>) -> Self {
        Self { root, topics, reported, content: HashMap::new(), bibliographies: HashMap::new() }
    }

    /// With the files the build read already: a deck draws on them without reading and parsing
    /// them again.
    pub fn knowing(mut self, read: Read) -> Self {
        self.content = read.content;
        self.bibliographies = read.bibliographies;
        self
    }

    /// Keeps a step's value; its errors go to `sink` unless the build reports them already.
    fn take<T>(&self, result: Result<T>, topic: &str, lang: Option<&str>, sink: &mut Sink) -> Option<T> {
        match result {
            Ok(v) => Some(v),
            Err(e) => {
                if !(self.reported)(topic, lang) {
                    sink.extend(e);
                }
                None
            }
        }
    }

    fn bibliography(&mut self, topic: &TopicFiles, sink: &mut Sink) -> Option<Arc<Bibliography>> {
        if let Some(b) = self.bibliographies.get(&topic.id) {
            return b.clone();
        }
        let b = topic.bibliography.as_ref().and_then(|path| {
            let vpath = crate::project::assets::virtual_path(self.root, path);
            self.take(bibliography::load(self.root, path, vpath), &topic.id, None, sink).map(Arc::new)
        });
        self.bibliographies.insert(topic.id.clone(), b.clone());
        b
    }

    /// The topic's content in `lang`; its errors (in the topic's files) go to `sink` once.
    fn content(&mut self, topic: &TopicFiles, lang: &str, sink: &mut Sink) -> Option<Arc<Content>> {
        let key = (topic.id.clone(), lang.to_owned());
        if let Some(c) = self.content.get(&key) {
            return c.clone();
        }
        let path = &topic.languages.iter().find(|(l, _)| l == lang)?.1;
        let bib = self.bibliography(topic, sink);
        let c = self
            .take(content::load(self.root, path, bib.as_deref()), &topic.id, Some(lang), sink)
            .map(Arc::new);
        self.content.insert(key, c.clone());
        c
    }
}

/// Makes `deck` into content, drawing on `topics`; `today` dates a deck without a date.
pub fn assemble(deck: &DeckFile, topics: &mut Topics, today: NaiveDate) -> Result<Assembled> {
    let mut sink = Sink::default();
    let lang = deck.front.lang.as_str();
    let mut sections = Vec::new();
    let mut ranges = Vec::new();
    let mut seen = BTreeSet::new();
    let mut bibs: Vec<(Arc<Bibliography>, Range<usize>)> = Vec::new();
    let mut drawn_from = BTreeSet::new();
    // (topic, red-flag section id, where the topic is first included).
    let mut drawn: Vec<(String, String, Range<usize>)> = Vec::new();
    // Topics without the deck's language, reported.
    let mut lacking = BTreeSet::new();
    // Whether an included topic could not be read (its errors reported with the topic).
    let mut unread = false;
    let mut review_by: Option<NaiveDate> = None;
    let mut published: Option<NaiveDate> = None;
    for item in &deck.items {
        match &item.kind {
            ItemKind::Written(i) => {
                let mut s = deck.body.sections[*i].clone();
                s.written = true;
                s.notes = item.notes.clone();
                ranges.push(deck.section_ranges[*i].clone());
                sections.push(s);
            }
            ItemKind::Topic { id, sections: chosen } => {
                let id_at = deck.text[item.range.clone()]
                    .find(id.as_str())
                    .map_or(item.range.clone(), |k| item.range.start + k..item.range.start + k + id.len());
                let Some(topic) = topics.topics.iter().find(|t| &t.id == id) else {
                    let ids: Vec<&str> = topics.topics.iter().map(|t| t.id.as_str()).collect();
                    let d =
                        Diagnostic::error(format!("unknown topic `{id}`")).at(&deck.path, &deck.text, id_at);
                    sink.push(match closest(id, &ids) {
                        Some(c) => {
                            d.hint(format!("did you mean `{c}`? the topics are the folders under leaflets/"))
                        }
                        None => {
                            d.hint(format!("the topics are the folders under leaflets/: {}", ids.join(", ")))
                        }
                    });
                    continue;
                };
                let Some(content) = topics.content(topic, lang, &mut sink) else {
                    unread = true;
                    // Said once per topic, at its first include.
                    if !topic.languages.iter().any(|(l, _)| l == lang) && lacking.insert(id.clone()) {
                        let have: Vec<&str> = topic.languages.iter().map(|(l, _)| l.as_str()).collect();
                        sink.push(
                            Diagnostic::error(format!("topic `{id}` has no `{lang}` text"))
                                .at(&deck.path, &deck.text, id_at)
                                .hint(format!(
                                    "the deck is in `{lang}`; the topic is written in {} (add leaflets/{id}/{lang}.md)",
                                    have.join(", ")
                                )),
                        );
                    }
                    continue;
                };
                drawn_from.insert(content.path.clone());
                for s in content.body.sections.iter().filter(|s| s.urgent) {
                    if !drawn.iter().any(|(t, u, _)| t == id && *u == s.id) {
                        drawn.push((id.clone(), s.id.clone(), id_at.clone()));
                    }
                }
                review_by =
                    Some(review_by.map_or(content.front.review_by, |d| d.min(content.front.review_by)));
                published =
                    Some(published.map_or(content.front.published, |d| d.max(content.front.published)));
                if let Some(b) = topics.bibliography(topic, &mut sink) {
                    drawn_from.insert(b.path.clone());
                    if !bibs.iter().any(|(x, _)| Arc::ptr_eq(x, &b)) {
                        bibs.push((b, id_at.clone()));
                    }
                }
                let all: Vec<(String, Range<usize>)> =
                    content.body.sections.iter().map(|s| (s.id.clone(), id_at.clone())).collect();
                let mut first = true;
                for (sid, sid_at) in chosen.as_ref().unwrap_or(&all) {
                    let Some(s) = content.body.sections.iter().find(|s| &s.id == sid) else {
                        let ids: Vec<&str> = content.body.sections.iter().map(|s| s.id.as_str()).collect();
                        let d = Diagnostic::error(format!("topic `{id}` has no section `{sid}`")).at(
                            &deck.path,
                            &deck.text,
                            sid_at.clone(),
                        );
                        sink.push(match closest(sid, &ids) {
                            Some(c) => {
                                d.hint(format!("did you mean `{c}`? its sections are {}", ids.join(", ")))
                            }
                            None => d.hint(format!("its sections are {}", ids.join(", "))),
                        });
                        continue;
                    };
                    let full = format!("{id}.{sid}");
                    if !seen.insert(full.clone()) {
                        sink.push(
                            Diagnostic::error(format!("section `{sid}` of topic `{id}` is in the deck twice"))
                                .at(&deck.path, &deck.text, sid_at.clone())
                                .hint("a deck shows each section once; remove it here or where it is first included"),
                        );
                        continue;
                    }
                    let mut s = s.clone();
                    s.id = full;
                    if std::mem::replace(&mut first, false) {
                        s.notes = item.notes.clone();
                        // A whole topic brings its introduction, for the presenter.
                        if chosen.is_none() {
                            s.intro = content.body.lead.clone();
                        }
                    }
                    ranges.push(item.range.clone());
                    sections.push(s);
                }
            }
        }
    }
    // The red-flag section is never dropped: a deck that draws on a topic shows its warning
    // signs too.
    // (Checked when every include was read: a misspelt red-flag id is reported once, as such.)
    let misread = unread || sink.has_errors();
    for (topic, urgent, at) in drawn.iter().filter(|_| !misread) {
        if !seen.contains(&format!("{topic}.{urgent}")) {
            sink.push(
                Diagnostic::error(format!("the deck leaves out the red-flag section `{urgent}` of topic `{topic}`"))
                    .at(&deck.path, &deck.text, at.clone())
                    .hint(format!(
                        "a deck that shows part of a topic shows its warning signs too: add `{urgent}` to sections=\"…\" here or include it elsewhere in the deck"
                    )),
            );
        }
    }
    let bibliography = merge(deck, &bibs, &mut sink);
    // Keys are checked against every included topic's bibliography: not when one failed.
    for cite in deck.citations.iter().filter(|_| !misread) {
        if !bibliography.as_ref().is_some_and(|b| b.keys.contains(&cite.key)) {
            sink.push(
                Diagnostic::error(format!("unknown citation key `{}`", cite.key))
                    .at(&deck.path, &deck.text, cite.range.clone())
                    .hint("a deck cites from the bibliographies of the topics it includes"),
            );
        }
    }
    sink.finish()?;
    let front = &deck.front;
    let published = front.date.or(published).unwrap_or(today);
    let review_by = review_by
        .unwrap_or_else(|| published.checked_add_months(Months::new(MAX_REVIEW_MONTHS)).unwrap_or(published));
    let matter = FrontMatter {
        title: front.title.clone(),
        subtitle: front.subtitle.clone(),
        lang: front.lang.clone(),
        region: front.region.clone(),
        version: "1".into(),
        published,
        review_by,
        authors: front.presenter.iter().cloned().collect(),
        reviewers: Vec::new(),
        cover: None,
        translated_from: front.translated_from.clone(),
    };
    let info = DeckInfo {
        presenter: front.presenter.clone(),
        course: front.course.clone(),
        date: front.date,
        duration: front.duration,
    };
    let written = Content {
        path: deck.path.clone(),
        text: Arc::clone(&deck.text),
        front: matter.clone(),
        body: deck.body.clone(),
        section_ranges: deck.section_ranges.clone(),
        cover: None,
        deck: Some(info.clone()),
    };
    let mut body = deck.body.clone();
    body.sections = sections;
    let content = Content { body, section_ranges: ranges, ..written.clone() };
    Ok(Assembled { content, written, bibliography, drawn_from: drawn_from.into_iter().collect() })
}

/// The included topics' bibliographies as one: the one itself when there is one; else their
/// entries together, an entry two topics share (same key, same data) once, served from
/// memory. Two different entries under one key are an error at the include that brings the
/// second.
fn merge(
    deck: &DeckFile,
    bibs: &[(Arc<Bibliography>, Range<usize>)],
    sink: &mut Sink,
) -> Option<Arc<Bibliography>> {
    match bibs {
        [] => return None,
        [(one, _)] => return Some(Arc::clone(one)),
        _ => {}
    }
    let mut library = hayagriva::Library::new();
    let mut entries = Vec::new();
    for (b, include) in bibs {
        for (entry, e) in b.library.iter().zip(&b.entries) {
            match library.get(entry.key()) {
                Some(existing) if existing == entry => {}
                Some(_) => sink.push(
                    Diagnostic::error(format!("two included topics define reference `{}` differently", entry.key()))
                        .at(&deck.path, &deck.text, include.clone())
                        .hint(format!(
                            "{} and a topic included before it both define `{}`; give one entry another key, or make the two the same",
                            display_path(&b.path),
                            entry.key()
                        )),
                ),
                None => {
                    library.push(entry);
                    entries.push(e.clone());
                }
            }
        }
    }
    let text = match hayagriva::io::to_yaml_str(&library) {
        Ok(t) => t,
        Err(e) => {
            sink.push(
                Diagnostic::new(Severity::Error, format!("failed to merge the deck's bibliographies ({e})"))
                    .in_file(&deck.path),
            );
            return None;
        }
    };
    Some(Arc::new(Bibliography {
        path: deck.path.clone(),
        virtual_path: MERGED_BIBLIOGRAPHY.into(),
        keys: library.keys().map(str::to_owned).collect(),
        format: bibliography::Format::Yaml,
        text: Arc::from(text),
        entries,
        library,
    }))
}

/// The candidate closest to `word`, if one is close.
fn closest<'a>(word: &str, candidates: &[&'a str]) -> Option<&'a str> {
    candidates
        .iter()
        .map(|c| (strsim::damerau_levenshtein(c, word), *c))
        .filter(|(d, c)| *d <= 3.max(c.len() / 3))
        .min()
        .map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_deck_draws_on_content_the_build_read_without_reading_it_again() {
        let root = std::env::temp_dir().join(format!("leafpress-known-{}", std::process::id()));
        let dir = root.join("leaflets/topic");
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("nl.md");
        let text = "+++\ntitle = \"Testfolder\"\nlang = \"nl\"\nregion = \"BE\"\nversion = \"1.0\"\n\
                    published = 2026-01-15\nreview-by = 2028-01-15\nauthors = [\"Auteur\"]\n\
                    reviewers = [\"Nalezer\"]\n+++\n\nEen korte inleiding.\n\n## Eerste deel {#first}\n\n\
                    Een zin.\n\n## Wanneer dringend hulp zoeken {#red-flags .urgent}\n\n\
                    - Plots verlies van controle over de blaas.\n";
        std::fs::write(&path, text).unwrap();
        let root = root.canonicalize().unwrap();
        let path = root.join("leaflets/topic/nl.md");
        let read = Arc::new(content::load(&root, &path, None).unwrap());
        // Gone from disk: only the content the build read can serve the deck.
        std::fs::remove_dir_all(&root).unwrap();
        let topics = [TopicFiles {
            id: "topic".into(),
            dir: root.join("leaflets/topic"),
            languages: vec![("nl".into(), path)],
            bibliography: None,
        }];
        let mut known = Read::default();
        known.content.insert(("topic".into(), "nl".into()), Some(Arc::clone(&read)));
        known.bibliographies.insert("topic".into(), None);
        let mut sink = Sink::default();
        let mut with = Topics::new(&root, &topics, &|_, _| false).knowing(known);
        let drawn = with.content(&topics[0], "nl", &mut sink).expect("the content the build read");
        assert!(Arc::ptr_eq(&drawn, &read) && !sink.has_errors());
        // Without it, the deck reads the file itself (and here finds it gone).
        let mut without = Topics::new(&root, &topics, &|_, _| false);
        assert!(without.content(&topics[0], "nl", &mut sink).is_none() && sink.has_errors());
    }
}

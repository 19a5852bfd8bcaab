//! `leafpress accept TOPIC LANG [PART]…`: records that a translation matches its source again.
//! Writes the source parts' fingerprints under `[translated-from]` in the translation's front
//! matter, keeping every other byte of the file as it was (format-preserving TOML editing),
//! and the accepted source text beside it (see [`super::accepted`]) for later diffs. Refuses
//! while the translation has parity errors: a translation that lacks a warning sign is never
//! recorded as current.

use std::collections::BTreeMap;
use std::path::Path;

use super::accepted::{self, Accepted};
use super::stale::fingerprint;
use crate::content::{self, Content, bibliography};
use crate::diag::{Diagnostic, Diagnostics, Result, Sink, display_path};
use crate::project::{self, Project};

/// What `accept` did.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Report {
    /// Parts whose fingerprint was written (it was missing or another).
    pub updated: Vec<String>,
    /// Parts asked for whose fingerprint was current already.
    pub current: Vec<String>,
}

/// Accepts `parts` (all when empty) of the `lang` translation of `topic` in the project at
/// `root`.
pub fn run(root: &Path, topic: &str, lang: &str, parts: &[String]) -> Result<Report> {
    let project = project::open(root)?;
    let (source_lang, files) = locate(&project, topic, lang)?;
    let source_path = &files.iter().find(|(l, _)| l == &source_lang).expect("located").1;
    let path = &files.iter().find(|(l, _)| l == lang).expect("located").1;
    let (source, translation) = match project.topics.iter().find(|t| t.id == topic) {
        Some(topic_files) => {
            let bib = match &topic_files.bibliography {
                Some(p) => Some(bibliography::load(
                    &project.root,
                    p,
                    project::assets::virtual_path(&project.root, p),
                )?),
                None => None,
            };
            (
                content::load(&project.root, source_path, bib.as_ref())?,
                content::load(&project.root, path, bib.as_ref())?,
            )
        }
        // A deck: its written slides are what is translated.
        None => (
            crate::build::decks::written(&project, source_path)?,
            crate::build::decks::written(&project, path)?,
        ),
    };
    let mut sink = Sink::default();
    super::parity::check(&source, &translation, &mut sink);
    if let Err(mut errors) = sink.finish() {
        errors.0.push(
            Diagnostic::error(format!("nothing was accepted: {} differs from the source in structure", display_path(path)))
                .hint("a translation is accepted once it has every section, key message, list item, quote and citation of the source; fix the errors above first"),
        );
        return Err(errors);
    }
    let all = super::parts(&source);
    let wanted: Vec<&(String, &str, usize)> = if parts.is_empty() {
        all.iter().collect()
    } else {
        let mut problems = Vec::new();
        let mut chosen = Vec::new();
        for p in parts {
            match all.iter().find(|(id, _, _)| id == p) {
                Some(part) => chosen.push(part),
                None => problems.push(unknown_part(p, &all, &source)),
            }
        }
        if !problems.is_empty() {
            return Err(Diagnostics(problems));
        }
        chosen
    };
    let mut done = Report::default();
    let mut fingerprints = Vec::new();
    let mut texts = BTreeMap::new();
    for (id, text, _) in wanted {
        let fp = fingerprint(text);
        let current = translation.front.translated_from.get(id).is_some_and(|(recorded, _)| *recorded == fp);
        if current {
            done.current.push(id.clone());
        } else {
            done.updated.push(id.clone());
            fingerprints.push((id.clone(), fp.clone()));
        }
        // The text is recorded for current parts too: a later diff needs it.
        texts.insert(id.clone(), Accepted { fingerprint: fp, text: (*text).to_owned() });
    }
    if !fingerprints.is_empty() {
        let edited = with_fingerprints(&translation, &fingerprints)?;
        verify(&translation, &edited, &fingerprints)?;
        crate::output::write_atomic(path, edited.as_bytes())
            .map_err(|e| Diagnostic::error(format!("failed to write {} ({e})", display_path(path))))?;
    }
    accepted::write(path, source_path, texts).map_err(|e| {
        Diagnostic::error(format!("failed to write {} ({e})", display_path(&accepted::path_for(path))))
    })?;
    Ok(done)
}

/// The source language and the topic's content files, or a usage error naming what exists.
fn locate(project: &Project, topic: &str, lang: &str) -> Result<(String, Vec<(String, std::path::PathBuf)>)> {
    let Some(source_lang) = project.config.source_language.clone() else {
        return Err(Diagnostic::error(
            "leafpress.toml names no source language, so there is nothing to accept against",
        )
        .hint("add under [project]: source-language = \"nl\" (the language the others are translated from)")
        .into());
    };
    let files = project
        .topics
        .iter()
        .find(|t| t.id == topic)
        .map(|t| &t.languages)
        .or_else(|| project.decks.iter().find(|d| d.id() == topic).map(|d| &d.languages));
    let Some(languages) = files else {
        let ids: Vec<String> =
            project.topics.iter().map(|t| t.id.clone()).chain(project.decks.iter().map(|d| d.id())).collect();
        return Err(Diagnostic::error(format!("the project has no topic `{topic}`"))
            .hint(format!("the topics (and decks) are {}", ids.join(", ")))
            .usage()
            .into());
    };
    let langs: Vec<&str> = languages.iter().map(|(l, _)| l.as_str()).filter(|l| *l != source_lang).collect();
    if lang == source_lang {
        return Err(Diagnostic::error(format!(
            "`{lang}` is the source language: only translations are accepted"
        ))
        .hint(format!("the translations of `{topic}` are {}", list(&langs)))
        .usage()
        .into());
    }
    if !languages.iter().any(|(l, _)| l == lang) || !languages.iter().any(|(l, _)| *l == source_lang) {
        return Err(Diagnostic::error(format!(
            "topic `{topic}` has no {lang}.md translation of {source_lang}.md"
        ))
        .hint(format!("the translations of `{topic}` are {}", list(&langs)))
        .usage()
        .into());
    }
    Ok((source_lang, languages.clone()))
}

fn list(items: &[&str]) -> String {
    if items.is_empty() { "none yet".to_owned() } else { items.join(", ") }
}

/// A usage error for a part id the source does not have, with the closest one.
fn unknown_part(p: &str, all: &[(String, &str, usize)], source: &Content) -> Diagnostic {
    let ids: Vec<&str> = all.iter().map(|(id, _, _)| id.as_str()).collect();
    let close = super::did_you_mean(&ids, p);
    Diagnostic::error(format!("{} has no part `{p}`", display_path(&source.path)))
        .hint(format!("{close}the parts are {}", ids.join(", ")))
        .usage()
}

/// The translation's text with `fingerprints` written under `[translated-from]`: existing
/// keys get the new value (keeping their comments), new keys are appended to the table
/// (which is added at the end of the front matter if missing). Nothing else changes.
fn with_fingerprints(translation: &Content, fingerprints: &[(String, String)]) -> Result<String> {
    let text = &translation.text;
    let (range, _) = content::frontmatter::split(&translation.path, text)?;
    let front = &text[range.clone()];
    let mut doc: toml_edit::DocumentMut = front.parse().map_err(|e| {
        Diagnostic::error(format!(
            "failed to read the front matter of {} ({e})",
            display_path(&translation.path)
        ))
    })?;
    if !doc.contains_key("translated-from") {
        // A new table goes after everything written, comments included, as text: the
        // editor would move a trailing comment.
        let mut added = String::from(if front.ends_with("\n\n") || front.is_empty() { "" } else { "\n" });
        added.push_str("[translated-from]\n");
        for (id, fp) in fingerprints {
            added.push_str(&format!("{id} = \"{fp}\"\n"));
        }
        let sep = if front.ends_with('\n') || front.is_empty() { "" } else { "\n" };
        return Ok(format!("{}{sep}{added}{}", &text[..range.end], &text[range.end..]));
    }
    let table = doc
        .get_mut("translated-from")
        .expect("checked above")
        .as_table_like_mut()
        .ok_or_else(|| {
            Diagnostic::error("`translated-from` in the front matter is not a table")
                .at(&translation.path, text, content::review::front_key(translation, "translated-from"))
                .hint("write it as a table: a line `[translated-from]`, then `section-id = \"fingerprint\"` lines")
        })?;
    for (id, fp) in fingerprints {
        match table.get_mut(id).and_then(toml_edit::Item::as_value_mut) {
            Some(v) => {
                let decor = v.decor().clone();
                *v = toml_edit::Value::from(fp.as_str());
                *v.decor_mut() = decor;
            }
            None => {
                table.insert(id, toml_edit::value(fp.as_str()));
            }
        }
    }
    Ok(format!("{}{}{}", &text[..range.start], doc, &text[range.end..]))
}

/// Reads the edited file's front matter back before anything is written: every other field
/// as before and the fingerprints as recorded, or a leafpress bug is reported and the file
/// is left alone.
fn verify(translation: &Content, edited: &str, fingerprints: &[(String, String)]) -> Result<()> {
    let text: std::sync::Arc<str> = edited.into();
    let stem = translation.front.lang.as_str();
    if translation.deck.is_some() {
        return verify_deck(translation, &text, fingerprints);
    }
    let read = content::frontmatter::split(&translation.path, &text)
        .and_then(|(range, _)| content::frontmatter::parse(&translation.path, &text, range, stem));
    let ok = read.is_ok_and(|front| {
        let mut expected = translation.front.clone();
        for (id, fp) in fingerprints {
            let range = front.translated_from.get(id).map(|(_, r)| r.clone()).unwrap_or_default();
            expected.translated_from.insert(id.clone(), (fp.clone(), range));
        }
        // Ranges of other keys may move (a longer value before them); compare the values.
        let values = |f: &content::frontmatter::FrontMatter| {
            f.translated_from.iter().map(|(k, (v, _))| (k.clone(), v.clone())).collect::<Vec<_>>()
        };
        values(&front) == values(&expected)
            && content::frontmatter::FrontMatter { translated_from: Default::default(), ..front }
                == content::frontmatter::FrontMatter { translated_from: Default::default(), ..expected }
    });
    read_back(translation, ok)
}

/// [`verify`] for a deck file, whose front matter has a deck's fields.
fn verify_deck(
    translation: &Content,
    text: &std::sync::Arc<str>,
    fingerprints: &[(String, String)],
) -> Result<()> {
    let stem = translation.front.lang.as_str();
    let read = |t: &std::sync::Arc<str>| {
        content::frontmatter::split(&translation.path, t)
            .and_then(|(range, _)| crate::deck::front::parse(&translation.path, t, range, stem))
    };
    let ok = match (read(text), read(&translation.text)) {
        (Ok(edited), Ok(before)) => {
            let values = |f: &crate::deck::front::DeckFront| {
                f.translated_from.iter().map(|(k, (v, _))| (k.clone(), v.clone())).collect::<BTreeMap<_, _>>()
            };
            let mut expected = values(&before);
            expected.extend(fingerprints.iter().cloned());
            let bare = |f: crate::deck::front::DeckFront| crate::deck::front::DeckFront {
                translated_from: Default::default(),
                brand: f.brand.map(|(b, _)| (b, 0..0)),
                ..f
            };
            values(&edited) == expected && bare(edited) == bare(before)
        }
        _ => false,
    };
    read_back(translation, ok)
}

fn read_back(translation: &Content, ok: bool) -> Result<()> {
    if ok {
        Ok(())
    } else {
        Err(Diagnostic::error(format!(
            "failed to record the fingerprints in {}: the edited front matter does not read back as written",
            display_path(&translation.path)
        ))
        .hint("this is a leafpress bug; nothing was written. Write the lines `check` suggests under [translated-from] by hand")
        .into())
    }
}

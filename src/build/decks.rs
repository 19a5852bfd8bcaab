//! Planning teaching decks (`decks/<name>/<lang>.md`): each language read, assembled from its
//! topics and checked against the source language's deck, then one document per brand and
//! slide format under `decks/<name>/<lang>/`.

use std::collections::BTreeSet;
use std::path::Path;
use std::sync::Arc;

use super::BuildConfig;
use super::plan::{Planned, Withheld, wanted};
use super::policy;
use crate::deck::assemble::{Read, Topics};
use crate::deck::{self, DeckFiles, parse::DeckFile};
use crate::diag::{Diagnostic, Result, Sink};
use crate::format::Format;
use crate::project::{Project, assets};
use crate::{content, labels, manifest, select};

/// The formats a deck is made in.
pub const DECK_FORMATS: [Format; 2] = [Format::Slides, Format::SlidesHandout];

/// What planning a deck needs from the build.
pub(super) struct Context<'a> {
    pub config: &'a BuildConfig,
    pub project: &'a Project,
    pub formats: &'a [Format],
    pub out_root: &'a Path,
    pub shared: &'a [String],
}

/// Where planning puts what it finds.
pub(super) struct Found<'a> {
    pub sink: &'a mut Sink,
    pub plan: &'a mut Vec<Planned>,
    pub withheld: &'a mut Vec<Withheld>,
    pub held: &'a mut Vec<Diagnostic>,
}

/// Reads a deck file (inside the project, of a bounded size) and parses it.
fn read(root: &Path, path: &Path) -> Result<DeckFile> {
    assets::confine(root, path).map_err(|e| Diagnostic::error(format!("failed to read the deck ({e})")))?;
    let bytes = assets::read_limited(path, assets::limits::CONTENT_BYTES, "a deck file")
        .map_err(|e| e.hint("a deck file is one lesson's slides and includes in Markdown"))?;
    let text = crate::diag::decode_utf8(path, bytes, "deck")?;
    let dir = path.parent().unwrap_or(root);
    let images =
        |reference: &str| assets::resolve_image(root, &[dir, root], reference).map(|a| a.virtual_path);
    deck::parse::parse(path, &text, &images)
}

/// The written slides of the deck file at `path`, as content (what a translation of it is
/// checked and accepted against).
pub fn written(project: &Project, path: &Path) -> Result<content::Content> {
    let file = read(&project.root, path)?;
    let mut topics = Topics::new(&project.root, &project.topics, &|_, _| false);
    let today = super::config::today(None);
    Ok(deck::assemble::assemble(&file, &mut topics, today)?.written)
}

/// Plans every deck the filters select, in every slide format asked for.
pub(super) fn plan(cx: &Context, found: Found, known: Read) {
    let Found { sink, plan, withheld, held } = found;
    let formats: Vec<Format> = cx.formats.iter().copied().filter(|f| DECK_FORMATS.contains(f)).collect();
    if formats.is_empty() {
        return;
    }
    let project = cx.project;
    // The topics the build plans report their files' problems; a deck does not again.
    let planned = |topic: &str, lang: Option<&str>| {
        wanted(&cx.config.topics, topic) && lang.is_none_or(|l| wanted(&cx.config.langs, l))
    };
    let mut topics = Topics::new(&project.root, &project.topics, &planned).knowing(known);
    let source_lang = project.config.source_language.as_deref();
    for files in &project.decks {
        if !cx.config.topics.is_empty() && !cx.config.topics.contains(&files.id()) {
            continue;
        }
        // The source language's deck, read whether or not it is built, to check the others.
        let source = files
            .languages
            .iter()
            .find(|(l, _)| Some(l.as_str()) == source_lang)
            .and_then(|(_, p)| sink.take(read(&project.root, p)))
            .and_then(|d| Some((sink.take(deck::assemble::assemble(&d, &mut topics, cx.config.today))?, d)));
        for (lang, path) in &files.languages {
            if !wanted(&cx.config.langs, lang) {
                continue;
            }
            let is_source = Some(lang.as_str()) == source_lang;
            let own;
            let (assembled, file) = if is_source {
                match &source {
                    Some((a, d)) => (a, d),
                    None => continue,
                }
            } else {
                let Some(d) = sink.take(read(&project.root, path)) else { continue };
                if let Some(why) = blocked(files.id(), &d, lang, withheld) {
                    withheld.push(why);
                    continue;
                }
                let Some(a) = sink.take(deck::assemble::assemble(&d, &mut topics, cx.config.today)) else {
                    continue;
                };
                own = (a, d);
                (&own.0, &own.1)
            };
            if is_source && let Some(why) = blocked(files.id(), file, lang, withheld) {
                withheld.push(why);
                continue;
            }
            let of = source.as_ref().filter(|_| !is_source);
            let before = held.len();
            if let Some((_, src_file)) = of {
                includes_parity(src_file, file, held);
            }
            let verdict = if held.len() > before {
                policy::Verdict::Withhold("parity errors")
            } else {
                policy::translation(
                    cx.config.strict,
                    project.config.stale_translations,
                    of.map(|(a, _)| &a.written),
                    &assembled.written,
                    sink,
                    held,
                )
            };
            let (draft, stale) = match verdict {
                policy::Verdict::Build(draft, stale) => (draft, stale),
                policy::Verdict::Withhold(reason) => {
                    withheld.push(Withheld {
                        topic: files.id(),
                        lang: lang.clone(),
                        path: path.clone(),
                        reason,
                        errors: held.len() - before,
                    });
                    continue;
                }
            };
            let untracked = source_lang.is_none() && files.languages.len() > 1;
            let translation = super::plan::translation_state(of.is_some(), stale, untracked);
            let Some(labels) = sink.take(labels::for_lang(&project.root, lang)) else { continue };
            let labels = Arc::new(labels);
            let brands = match brands(cx, files, file) {
                Ok(b) => b,
                Err(d) => {
                    sink.push(d);
                    continue;
                }
            };
            let several = project.config.brands.len() > 1;
            for b in brands {
                let brand = &project.config.brands[b];
                if !brand.missing_in(lang).is_empty() {
                    // The topics' plan reports what the practice lacks in this language.
                    continue;
                }
                let values = content::vars::Values::new(brand, lang);
                let Some(content) = sink.take(content::vars::resolve(&assembled.content, &values)) else {
                    continue;
                };
                let content = Arc::new(content);
                let dir = if several { cx.out_root.join(&brand.id) } else { cx.out_root.to_owned() };
                for &format in &formats {
                    let out = dir.join(deck::DECKS_DIR).join(&files.name).join(lang).join(format.file_name());
                    let mut doc = Planned {
                        key: manifest::relative(cx.out_root, &out),
                        inputs: Vec::new(),
                        topic: files.id(),
                        brand: b,
                        format,
                        chosen: select::Chosen::all(&content),
                        content: Arc::clone(&content),
                        labels: Arc::clone(&labels),
                        bibliography: assembled.bibliography.clone(),
                        source: path.clone(),
                        out,
                        draft,
                        translation,
                    };
                    let mut inputs: BTreeSet<String> =
                        super::plan::inputs(project, cx.shared, brand, &doc).into_iter().collect();
                    inputs.extend(assembled.drawn_from.iter().map(|p| manifest::relative(&project.root, p)));
                    inputs.retain(|i| !i.starts_with("_leafpress/"));
                    doc.inputs = inputs.into_iter().collect();
                    plan.push(doc);
                }
            }
        }
    }
}

/// A deck that includes a topic whose text in its language is held back (its errors
/// reported with the topic) is held back too, without errors of its own.
fn blocked(id: String, file: &DeckFile, lang: &str, withheld: &[Withheld]) -> Option<Withheld> {
    let included = |t: &str| {
        file.items.iter().any(|i| matches!(&i.kind, deck::parse::ItemKind::Topic { id, .. } if id == t))
    };
    withheld.iter().find(|w| w.lang == lang && included(&w.topic)).map(|_| Withheld {
        topic: id,
        lang: lang.to_owned(),
        path: file.path.clone(),
        reason: "a topic it includes is withheld",
        errors: 0,
    })
}

/// The brands a deck is built under: the one its front matter names, else every brand the
/// command line selects.
fn brands(cx: &Context, files: &DeckFiles, file: &DeckFile) -> std::result::Result<Vec<usize>, Diagnostic> {
    let all = &cx.project.config.brands;
    match &file.front.brand {
        Some((id, at)) => match all.iter().position(|b| &b.id == id) {
            Some(i) => Ok(if wanted(&cx.config.brands, id) { vec![i] } else { Vec::new() }),
            None => {
                let ids: Vec<&str> = all.iter().map(|b| b.id.as_str()).collect();
                Err(Diagnostic::error(format!("deck `{}` names unknown brand `{id}`", files.name))
                    .at(&file.path, &file.text, at.clone())
                    .hint(format!("the brands in leafpress.toml: {}", ids.join(", "))))
            }
        },
        None => Ok((0..all.len()).filter(|&i| wanted(&cx.config.brands, &all[i].id)).collect()),
    }
}

/// A translated deck must include the same topics and sections in the same places as its
/// source; each difference is an error at the translation's include.
fn includes_parity(source: &DeckFile, deck: &DeckFile, held: &mut Vec<Diagnostic>) {
    use deck::parse::ItemKind;
    let shape = |d: &DeckFile| -> Vec<String> {
        d.items
            .iter()
            .map(|i| match &i.kind {
                ItemKind::Written(k) => format!("slide `{}`", d.body.sections[*k].id),
                ItemKind::Topic { id, sections: None } => format!("topic `{id}`"),
                ItemKind::Topic { id, sections: Some(s) } => {
                    let ids: Vec<&str> = s.iter().map(|x| x.0.as_str()).collect();
                    format!("topic `{id}` (sections {})", ids.join(" "))
                }
            })
            .collect()
    };
    let (want, have) = (shape(source), shape(deck));
    // The first difference: what the translation has there, or what it lacks at its end.
    let Some(i) = (0..want.len().max(have.len())).find(|&i| want.get(i) != have.get(i)) else { return };
    let source_name = crate::diag::display_path(&source.path);
    let d = match (have.get(i), want.get(i)) {
        (Some(here), Some(there)) => Diagnostic::error(format!(
            "the translation has {here} here; the source has {there}"
        ))
        .at(&deck.path, &deck.text, deck.items[i].range.clone()),
        (Some(here), None) => Diagnostic::error(format!(
            "the translation has {here} here; the source ends before it"
        ))
        .at(&deck.path, &deck.text, deck.items[i].range.clone()),
        (None, Some(there)) => Diagnostic::error(format!("the translation lacks {there} at its end")).at(
            &deck.path,
            &deck.text,
            deck.text.len()..deck.text.len(),
        ),
        (None, None) => return,
    };
    held.push(d.hint(format!(
        "a deck's translations hold the same slides and includes in the same order as {source_name}"
    )));
}

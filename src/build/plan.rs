//! Planning a build: which documents the matrix holds, their content loaded and checked,
//! where each goes and which project files it is built from.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::BuildConfig;
use super::policy::{self, Draft};
use crate::content::{self, Content, bibliography};
use crate::diag::{Diagnostic, Diagnostics, Result, Severity, Sink, display_path};
use crate::format::Format;
use crate::labels::{self, Labels};
use crate::project::{self, Project};
use crate::{manifest, select};

/// Whether `id` passes a filter (`wanted` empty means everything).
pub(crate) fn wanted(wanted: &[String], id: &str) -> bool {
    wanted.is_empty() || wanted.iter().any(|w| w == id)
}

/// One document of the matrix, loaded and ready to compile.
pub struct Planned {
    /// Topic id.
    pub topic: String,
    /// Index of the brand in the project's brands.
    pub brand: usize,
    /// The sections this format shows (checked against the layout while planning).
    pub chosen: select::Chosen,
    /// Format.
    pub format: Format,
    /// Parsed content, shared by the formats of one language.
    pub content: Arc<Content>,
    /// Labels in the content's language.
    pub labels: Arc<Labels>,
    /// The topic's bibliography, read once for all its documents.
    pub bibliography: Option<Arc<bibliography::Bibliography>>,
    /// The content file.
    pub source: PathBuf,
    /// Where the PDF goes.
    pub out: PathBuf,
    /// The PDF's path relative to the output folder (`hernia/nl/handout.pdf`): the document's
    /// name in messages, the manifest and the preview page.
    pub key: String,
    /// Project files it is built from, relative to the project folder, sorted.
    pub inputs: Vec<String>,
    /// Why it is built as a draft, if it is.
    pub draft: Option<Draft>,
    /// Where its text stands with the source, for the manifest.
    pub translation: manifest::Translation,
}

/// The matrix a build will make, and the translations it holds back.
#[derive(Default)]
pub struct Plan {
    /// The documents, in matrix order.
    pub docs: Vec<Planned>,
    /// Content files held back by a policy (their errors reported): none of their documents
    /// is built, while the other languages are.
    pub withheld: Vec<Withheld>,
}

/// A content file none of whose documents is built (see [`super::policy`]).
#[derive(Debug, Clone)]
pub struct Withheld {
    /// Topic id.
    pub topic: String,
    /// Language.
    pub lang: String,
    /// The content file.
    pub path: PathBuf,
    /// Why: "parity errors", "stale translation", "past its review date".
    pub reason: &'static str,
    /// How many errors say why.
    pub errors: usize,
}

impl Withheld {
    /// `hernia/de (parity errors)`, as the summary names it.
    pub fn key(&self) -> String {
        format!("{}/{} ({})", self.topic, self.lang, self.reason)
    }
}

/// Fails when `--topic`, `--brand` or `--lang` names something the project does not have:
/// usage errors (exit 2), all of them at once, before any content is read.
pub fn check_filters(config: &BuildConfig, project: &Project) -> Result<()> {
    let mut sink = Sink::default();
    let list = |ids: Vec<&str>| ids.join(", ");
    for wanted in &config.topics {
        if !project.topics.iter().any(|t| &t.id == wanted) && !project.decks.iter().any(|d| &d.id() == wanted)
        {
            let known = list(project.topics.iter().map(|t| t.id.as_str()).collect());
            let decks: Vec<String> = project.decks.iter().map(|d| d.id()).collect();
            let decks =
                if decks.is_empty() { String::new() } else { format!("; decks: {}", decks.join(", ")) };
            sink.push(
                Diagnostic::error(format!("no topic `{wanted}`"))
                    .hint(format!("topics: {known} (the folders under leaflets/ that hold content){decks}"))
                    .usage(),
            );
        }
    }
    for wanted in &config.brands {
        if !project.config.brands.iter().any(|b| &b.id == wanted) {
            let known = list(project.config.brands.iter().map(|b| b.id.as_str()).collect());
            sink.push(
                Diagnostic::error(format!("no brand `{wanted}`")).hint(format!("brands: {known}")).usage(),
            );
        }
    }
    // Languages only count in the topics selected (when the topics themselves are right).
    if !sink.has_errors() {
        let selected: Vec<_> = project.topics.iter().filter(|t| wanted(&config.topics, &t.id)).collect();
        let decks = project.decks.iter().filter(|d| wanted(&config.topics, &d.id()));
        let have: BTreeSet<&str> = selected
            .iter()
            .flat_map(|t| t.languages.iter().map(|(l, _)| l.as_str()))
            .chain(decks.flat_map(|d| d.languages.iter().map(|(l, _)| l.as_str())))
            .collect();
        for lang in &config.langs {
            if have.contains(lang.as_str()) {
                continue;
            }
            let (message, hint) = match config.topics.as_slice() {
                [] => (format!("no content in language `{lang}`"), "languages with content".to_owned()),
                [topic] => (
                    format!("topic `{topic}` has no content in language `{lang}`"),
                    format!("languages of topic `{topic}`"),
                ),
                _ => (
                    format!("the topics chosen with --topic have no content in language `{lang}`"),
                    "their languages".to_owned(),
                ),
            };
            let hint = format!(
                "{hint}: {} (a language is a leaflets/<topic>/<lang>.md file)",
                list(have.iter().copied().collect())
            );
            sink.push(Diagnostic::error(message).hint(hint).usage());
        }
    }
    sink.finish().map(|_| ())
}

/// The formats a build makes: those the command line names, else the project's defaults.
pub fn formats(config: &BuildConfig, project: &Project) -> Vec<Format> {
    if config.formats.is_empty() { project.config.layout.default_formats() } else { config.formats.clone() }
}

/// Selects the matrix and loads every content file it needs, reporting all problems at once.
/// A translation with parity errors is withheld (its errors reported) rather than failing
/// the build, unless something else fails it.
pub fn plan(config: &BuildConfig, project: &Project) -> Result<Plan> {
    check_filters(config, project)?;
    let mut sink = Sink::default();
    let formats = formats(config, project);
    let out_root = config.out_root(&project.root);
    let shared = shared_inputs(&project.root);
    let mut plan = Vec::new();
    let mut withheld = Vec::new();
    // The errors of withheld content files, reported without failing the build.
    let mut held = Vec::new();
    // (topic, language) of content that records no [translated-from]: likely the source.
    let mut originals = BTreeSet::new();
    // (brand, language) of practices reported as lacking a text in that language (tagline,
    // logo alt text, a number's caption), to say it once.
    let mut untranslated = std::collections::BTreeSet::new();
    // The topic files read, for the decks that draw on them.
    let mut read = crate::deck::assemble::Read::default();
    for topic in &project.topics {
        if !config.topics.is_empty() && !config.topics.contains(&topic.id) {
            continue;
        }
        let bib = match &topic.bibliography {
            Some(path) => {
                let vpath = project::assets::virtual_path(&project.root, path);
                // Without a readable bibliography every citation would be reported as
                // unknown: report the bibliography alone.
                match sink.take(bibliography::load(&project.root, path, vpath)) {
                    Some(b) => {
                        // An entry without author or date: a warning, an error with --strict.
                        let severity = if config.strict { Severity::Error } else { Severity::Warning };
                        for d in bibliography::warnings(&b, severity) {
                            sink.push(d);
                        }
                        let b = Arc::new(b);
                        read.bibliographies.insert(topic.id.clone(), Some(Arc::clone(&b)));
                        Some(b)
                    }
                    None => {
                        read.bibliographies.insert(topic.id.clone(), None);
                        continue;
                    }
                }
            }
            None => None,
        };
        // The source language's content, for checking translations against it.
        let source_lang = project.config.source_language.as_deref();
        let source =
            topic.languages.iter().find(|(l, _)| Some(l.as_str()) == source_lang).and_then(|(l, p)| {
                let c = sink.take(content::load(&project.root, p, bib.as_deref())).map(Arc::new);
                read.content.insert((topic.id.clone(), l.clone()), c.clone());
                c
            });
        // A source language the topic does not have would silently switch translation
        // checks off.
        if let (Some(lang), Some(origin)) = (source_lang, &project.config.source_language_origin)
            && topic.languages.len() > 1
            && !topic.languages.iter().any(|(l, _)| l == lang)
        {
            let have: Vec<&str> = topic.languages.iter().map(|(l, _)| l.as_str()).collect();
            sink.push(
                origin
                    .error(format!("source language `{lang}` has no content file in topic `{}`", topic.id))
                    .hint(format!(
                        "the topic has {}; translations are checked against the source language",
                        have.join(", ")
                    )),
            );
        }
        // The layout's section choices are the same for every language and brand (parity
        // keeps the ids equal): report problems with them once per topic.
        let mut choices_reported = false;
        for (lang, path) in &topic.languages {
            if !config.langs.is_empty() && !config.langs.contains(lang) {
                continue;
            }
            let labels =
                sink.take(labels::for_lang(&project.root, lang).map_err(|e| locate_at_file(e, path)));
            let content = if Some(lang.as_str()) == source_lang {
                source.clone()
            } else {
                let c = sink.take(content::load(&project.root, path, bib.as_deref())).map(Arc::new);
                read.content.insert((topic.id.clone(), lang.clone()), c.clone());
                c
            };
            let Some(content) = content else { continue };
            if content.front.translated_from.is_empty() {
                originals.insert((topic.id.clone(), lang.clone()));
            }
            // Like staleness, what a format will leave out is a warning, an error with --strict.
            let severity = if config.strict { Severity::Error } else { Severity::Warning };
            for d in content::key_message_warnings(&content, severity)
                .into_iter()
                .chain(content::review::review_warning(&content, severity))
            {
                sink.push(d);
            }
            let is_source = Some(lang.as_str()) == source_lang;
            let policies = (project.config.stale_translations, project.config.expired);
            let of = source.as_deref().filter(|_| !is_source);
            let before = held.len();
            let (draft, stale) = match policy::judge(
                (config.today, config.strict),
                policies,
                of,
                &content,
                &mut sink,
                &mut held,
            ) {
                policy::Verdict::Build(draft, stale) => (draft, stale),
                policy::Verdict::Withhold(reason) => {
                    let errors = held.len() - before;
                    withheld.push(Withheld {
                        topic: topic.id.clone(),
                        lang: lang.clone(),
                        path: path.clone(),
                        reason,
                        errors,
                    });
                    continue;
                }
            };
            let untracked = source_lang.is_none() && topic.languages.len() > 1;
            let translation = translation_state(of.is_some(), stale, untracked);
            let Some(labels) = labels else { continue };
            let labels = Arc::new(labels);
            let several = project.config.brands.len() > 1;
            let mut first = true;
            for (b, brand) in project.config.brands.iter().enumerate() {
                if !wanted(&config.brands, &brand.id) {
                    continue;
                }
                let report = std::mem::replace(&mut first, false) && !choices_reported;
                // A text the practice writes per language (tagline, logo's alternative text, a
                // number's caption) that lacks this one: reported once per practice and language.
                let missing = brand.missing_in(lang);
                if !missing.is_empty() {
                    if untranslated.insert((b, lang.clone())) {
                        missing.into_iter().for_each(|d| sink.push(d));
                    }
                    continue;
                }
                let values = content::vars::Values::new(brand, lang);
                let Some(content) = sink.take(content::vars::resolve(&content, &values)) else { continue };
                let content = Arc::new(content);
                let dir = if several { out_root.join(&brand.id) } else { out_root.clone() };
                for &format in &formats {
                    // Choices are per format, not per brand: report them once.
                    let choice = select::select(&project.config.layout, format, &content, path);
                    let chosen = match choice {
                        Ok(s) => select::Chosen::of(&content, &s),
                        Err(e) => {
                            if report {
                                sink.extend(e);
                            }
                            continue;
                        }
                    };
                    let out = dir.join(&topic.id).join(lang).join(format.file_name());
                    let mut doc = Planned {
                        key: manifest::relative(&out_root, &out),
                        inputs: Vec::new(),
                        topic: topic.id.clone(),
                        brand: b,
                        format,
                        chosen,
                        content: Arc::clone(&content),
                        labels: Arc::clone(&labels),
                        bibliography: bib.clone(),
                        source: path.clone(),
                        out,
                        draft,
                        translation,
                    };
                    doc.inputs = inputs(project, &shared, brand, &doc);
                    plan.push(doc);
                }
                choices_reported |= report;
            }
        }
    }
    // Several languages and no source language: translations are not checked, silently.
    if project.config.source_language.is_none()
        && let Some(topic) = project.topics.iter().find(|t| t.languages.len() > 1)
        && let Some(first) = project.config.brands.first()
    {
        let langs: Vec<&str> = topic.languages.iter().map(|(l, _)| l.as_str()).collect();
        // The one language that records no [translated-from] is the likely source.
        let source: Vec<&str> = langs
            .iter()
            .copied()
            .filter(|l| originals.contains(&(topic.id.clone(), (*l).to_owned())))
            .collect();
        let suggested = if source.len() == 1 { source[0] } else { langs[0] };
        let (path, text) = (&first.font_origin.path, &first.font_origin.text);
        let has_table = text.lines().any(|l| l.trim() == "[project]");
        let at = if has_table { project::toml_help::header(text, "project") } else { 0..0 };
        let add = if has_table {
            format!("add under [project]: source-language = \"{suggested}\"")
        } else {
            format!("add a [project] table to leafpress.toml with source-language = \"{suggested}\"")
        };
        sink.push(
            Diagnostic::warning(format!(
                "translations are not checked: topic `{}` has {} and leafpress.toml names no source language",
                topic.id,
                langs.join(", ")
            ))
            .at(path, text, at)
            .hint(format!(
                "{add} (the language the others are translated from); then check reports sections that differ or changed since translation"
            )),
        );
    }
    let cx =
        super::decks::Context { config, project, formats: &formats, out_root: &out_root, shared: &shared };
    super::decks::plan(
        &cx,
        super::decks::Found { sink: &mut sink, plan: &mut plan, withheld: &mut withheld, held: &mut held },
        read,
    );
    // The filters were checked above, and a topic or language that fails to load is an error:
    // this is a safety net, and only the command line can select nothing.
    if plan.is_empty() && withheld.is_empty() && !sink.has_errors() {
        sink.push(
            Diagnostic::error(
                "nothing to build: no document matches --topic, --lang, --brand and --format together",
            )
            .usage(),
        );
    }
    let mut shown = match sink.finish() {
        Ok(warnings) => warnings,
        Err(mut errors) => {
            errors.0.extend(held);
            return Err(errors);
        }
    };
    shown.extend(held);
    crate::diag::emit(&shown);
    Ok(Plan { docs: plan, withheld })
}

/// Where a content file's text stands with its source, for the manifest: a translation
/// (checked against a source) is stale or current; else it is the source, or untracked when
/// there are several languages and no source language.
pub(super) fn translation_state(translated: bool, stale: bool, untracked: bool) -> manifest::Translation {
    match (translated, stale) {
        (true, true) => manifest::Translation::Stale,
        (true, false) => manifest::Translation::Current,
        (false, _) if untracked => manifest::Translation::Untracked,
        (false, _) => manifest::Translation::Source,
    }
}

/// The project files a document is built from, relative to the project folder, sorted.
pub(super) fn inputs(
    project: &Project,
    shared: &[String],
    brand: &project::brand::Brand,
    doc: &Planned,
) -> Vec<String> {
    let root = &project.root;
    let mut files: BTreeSet<String> = shared.iter().cloned().collect();
    let rel = |p: &Path| manifest::relative(root, p);
    files.insert(rel(&brand.font_origin.path));
    files.insert(rel(&doc.source));
    files.insert(brand.logo.virtual_path.trim_start_matches('/').to_owned());
    if let Some(b) = &doc.bibliography {
        files.insert(b.virtual_path.trim_start_matches('/').to_owned());
    }
    let body = &doc.content.body;
    let mut figures = Vec::new();
    collect_figures(&body.lead, &mut figures);
    for s in &body.sections {
        collect_figures(&s.blocks, &mut figures);
    }
    files.extend(figures.into_iter().map(|f| f.trim_start_matches('/').to_owned()));
    let labels = root.join(labels::LABELS_DIR).join(format!("{}.toml", doc.content.front.lang));
    if labels.is_file() {
        files.insert(rel(&labels));
    }
    files.into_iter().collect()
}

/// The inputs of every document: leafpress.toml, the project's fonts and template overrides.
pub(super) fn shared_inputs(root: &Path) -> Vec<String> {
    let mut files = vec![crate::project::config::CONFIG_FILE.to_owned()];
    for (dir, kinds) in
        [("fonts", ["ttf", "otf", "ttc", "otc"].as_slice()), ("templates", ["typ"].as_slice())]
    {
        if let Ok(entries) = std::fs::read_dir(root.join(dir)) {
            let ours = |p: &PathBuf| {
                p.is_file() && p.extension().and_then(|e| e.to_str()).is_some_and(|e| kinds.contains(&e))
            };
            files.extend(
                entries.flatten().map(|e| e.path()).filter(ours).map(|p| manifest::relative(root, &p)),
            );
        }
    }
    files
}

/// The image paths of every figure in `blocks`.
fn collect_figures(blocks: &[crate::content::model::Block], out: &mut Vec<String>) {
    use crate::content::model::Block;
    for b in blocks {
        match b {
            Block::Figure { src, .. } => out.push(src.clone()),
            Block::List { items, .. } => items.iter().for_each(|i| collect_figures(i, out)),
            Block::Quote { blocks } | Block::Callout { blocks, .. } => collect_figures(blocks, out),
            _ => {}
        }
    }
}

/// Points a diagnostic without location at the start of `path`.
fn locate_at_file(mut e: Diagnostics, path: &Path) -> Diagnostics {
    for d in &mut e.0 {
        if d.location.is_none() {
            d.message = format!("{} ({})", d.message, display_path(path));
        }
    }
    e
}

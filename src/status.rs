//! `leafpress status`: per topic, every language's version, dates, review state, translation
//! state and the documents it yields, in one table (or JSON lines): what a practice looks at
//! first. It reports; the problems themselves are `check`'s.

use std::path::Path;

use serde::Serialize;
use serde_json::json;

use crate::build::config::review_day;
use crate::build::policy::{self, Verdict};
use crate::content::review;
use crate::content::{self, Content, bibliography};
use crate::diag::{Result, Sink};
use crate::project::{self, Project};
use crate::{readability, report, select, translation};

/// One language of one topic.
#[derive(Debug, Serialize)]
pub struct Row {
    /// Topic id.
    pub topic: String,
    /// Language.
    pub lang: String,
    /// Content version.
    pub version: String,
    /// Publication date.
    pub published: String,
    /// Review-by date.
    pub review_by: String,
    /// Days until review-by (negative: past it).
    pub days_left: i64,
    /// `source`, `current`, `stale`, `parity-errors`, `untracked` or `unreadable`.
    pub translation: &'static str,
    /// Stale parts (sections or the introduction) of a translation.
    pub stale: usize,
    /// Parity errors of a translation.
    pub parity_errors: usize,
    /// What a build makes of it: `build`, `draft` or `withheld`.
    pub build: &'static str,
    /// The documents a build writes for it (brands × formats; 0 when withheld).
    pub documents: usize,
    /// How readable its documents are, formats that print the same text together (empty
    /// when the language has no formula).
    pub readability: Vec<Reading>,
}

/// The readability of the documents of some formats.
#[derive(Debug, Serialize)]
pub struct Reading {
    /// The formats that print this text.
    pub formats: Vec<&'static str>,
    /// What it measures.
    #[serde(flatten)]
    pub measure: readability::Measure,
}

/// Prints the status of the project at `root` (only `topics` and `langs` when given).
pub fn run(root: &Path, topics: &[String], langs: &[String]) -> Result<()> {
    let project = project::open(root)?;
    let rows = rows(&project, topics, langs, review_day())?;
    if report::is_json() {
        for row in &rows {
            report::event("status", json!(row));
        }
    } else {
        report::stdout_bytes(table(&rows).as_bytes());
    }
    Ok(())
}

/// The rows, topic by topic, the source language first.
pub fn rows(
    project: &Project,
    topics: &[String],
    langs: &[String],
    today: chrono::NaiveDate,
) -> Result<Vec<Row>> {
    let source_lang = project.config.source_language.as_deref();
    let documents = project.config.brands.len() * project.config.layout.default_formats().len();
    let mut out = Vec::new();
    for t in project.topics.iter().filter(|t| topics.is_empty() || topics.contains(&t.id)) {
        let bib = match &t.bibliography {
            Some(p) => {
                bibliography::load(&project.root, p, project::assets::virtual_path(&project.root, p)).ok()
            }
            None => None,
        };
        let load = |p: &Path| content::load(&project.root, p, bib.as_ref()).ok();
        let source =
            t.languages.iter().find(|(l, _)| Some(l.as_str()) == source_lang).and_then(|(_, p)| load(p));
        let mut order: Vec<&(String, std::path::PathBuf)> = t.languages.iter().collect();
        order.sort_by_key(|(l, _)| (Some(l.as_str()) != source_lang, l.clone()));
        for (lang, path) in order {
            if !langs.is_empty() && !langs.contains(lang) {
                continue;
            }
            // The source was loaded above.
            let loaded = if Some(lang.as_str()) == source_lang { source.clone() } else { load(path) };
            let Some(content) = loaded else {
                out.push(unreadable(&t.id, lang));
                continue;
            };
            out.push(row(
                project,
                &t.id,
                &content,
                source.as_ref().filter(|_| Some(lang.as_str()) != source_lang),
                source_lang.is_some(),
                documents,
                today,
            ));
        }
    }
    Ok(out)
}

fn row(
    project: &Project,
    topic: &str,
    content: &Content,
    source: Option<&Content>,
    tracked: bool,
    documents: usize,
    today: chrono::NaiveDate,
) -> Row {
    let front = &content.front;
    // What a build makes of it, decided as the build decides (its messages are check's).
    let policies = (project.config.stale_translations, project.config.expired);
    let verdict =
        policy::judge((today, false), policies, source, content, &mut Sink::default(), &mut Vec::new());
    let (mut translation, mut stale, mut parity_errors) = ("source", 0, 0);
    if let Some(source) = source {
        // The column is a fact of its own (a file past review is withheld before parity).
        let mut parity = Sink::default();
        translation::parity::check(source, content, &mut parity);
        parity_errors = parity.finish().err().map_or(0, |e| e.0.len());
        let mut s = Sink::default();
        translation::stale::check(source, content, crate::diag::Severity::Warning, &mut s);
        stale = s.finish().map_or_else(|e| e.0.len(), |w| w.len());
        translation = if parity_errors > 0 {
            "parity-errors"
        } else if stale > 0 {
            "stale"
        } else {
            "current"
        };
    } else if !tracked && project.topics.iter().any(|t| t.id == topic && t.languages.len() > 1) {
        translation = "untracked";
    }
    let build = match verdict {
        Verdict::Withhold(_) => "withheld",
        Verdict::Build(Some(_), _) => "draft",
        Verdict::Build(None, _) => "build",
    };
    Row {
        topic: topic.to_owned(),
        lang: front.lang.clone(),
        version: front.version.clone(),
        published: front.published.to_string(),
        review_by: front.review_by.to_string(),
        days_left: (front.review_by - today).num_days(),
        translation,
        stale,
        parity_errors,
        build,
        documents: if build == "withheld" { 0 } else { documents },
        readability: reading(project, content),
    }
}

/// The readability of each document of `content`, as the first brand prints it.
fn reading(project: &Project, content: &Content) -> Vec<Reading> {
    let resolved = project.config.brands.first().and_then(|b| {
        content::vars::resolve(content, &content::vars::Values::new(b, &content.front.lang)).ok()
    });
    let content = resolved.as_ref().unwrap_or(content);
    let documents = project.config.layout.default_formats().into_iter().filter_map(|f| {
        let chosen = select::select(&project.config.layout, f, content, &content.path).ok()?;
        Some((f, select::Chosen::of(content, &chosen).sections().to_vec()))
    });
    readability::by_document(content, documents)
        .into_iter()
        .map(|(formats, measure)| Reading { formats: formats.iter().map(|f| f.name()).collect(), measure })
        .collect()
}

fn unreadable(topic: &str, lang: &str) -> Row {
    Row {
        topic: topic.to_owned(),
        lang: lang.to_owned(),
        version: String::new(),
        published: String::new(),
        review_by: String::new(),
        days_left: 0,
        translation: "unreadable",
        stale: 0,
        parity_errors: 0,
        build: "withheld",
        documents: 0,
        readability: Vec::new(),
    }
}

/// The rows as a table per topic, for people.
pub fn table(rows: &[Row]) -> String {
    let mut out = String::new();
    let mut topic = None;
    for (k, r) in rows.iter().enumerate() {
        if topic != Some(&r.topic) {
            if topic.is_some() {
                out.push('\n');
            }
            out.push_str(&format!("{}\n", r.topic));
            out.push_str(&format!(
                "  {:<4} {:<8} {:<10}  {:<26} {:<24} {}\n",
                "lang", "version", "published", "review-by", "translation", "documents"
            ));
            topic = Some(&r.topic);
        }
        if r.translation == "unreadable" {
            out.push_str(&format!("  {:<4} (cannot be read: run leafpress check)\n", r.lang));
            continue;
        }
        let review = match r.days_left {
            d if d < 0 => format!("{} (expired {} d ago)", r.review_by, -d),
            d if d <= review::DUE_SOON_DAYS => format!("{} (due in {d} d)", r.review_by),
            d => format!("{} ({d} d left)", r.review_by),
        };
        let translation = match r.translation {
            "stale" => format!("{} stale part{}", r.stale, if r.stale == 1 { "" } else { "s" }),
            "parity-errors" => {
                format!("{} parity error{}", r.parity_errors, if r.parity_errors == 1 { "" } else { "s" })
            }
            other => other.to_owned(),
        };
        let docs = match r.build {
            "withheld" => "0 (withheld)".to_owned(),
            "draft" => format!("{} (drafts)", r.documents),
            _ => r.documents.to_string(),
        };
        out.push_str(&format!(
            "  {:<4} {:<8} {:<10}  {:<26} {:<24} {}\n",
            r.lang, r.version, r.published, review, translation, docs
        ));
        if rows.get(k + 1).is_none_or(|next| next.topic != r.topic) {
            readability_table(rows.iter().filter(|o| o.topic == r.topic), &mut out);
        }
    }
    out
}

/// The readability lines of one topic's rows.
fn readability_table<'a>(rows: impl Iterator<Item = &'a Row>, out: &mut String) {
    let mut header = false;
    for r in rows {
        for m in &r.readability {
            if !std::mem::replace(&mut header, true) {
                out.push_str(&format!(
                    "\n  {:<4} {:<5} {:<17} {:<15} {:<10} {:<20} {}\n",
                    "lang", "score", "band", "words/sentence", ">20 words", "formula", "documents"
                ));
            }
            let m_ = &m.measure;
            let long = format!("{:.0} %", 100.0 * m_.long_sentences as f64 / m_.sentences.max(1) as f64);
            out.push_str(&format!(
                "  {:<4} {:>5.0} {:<17} {:>14.1} {:>10} {:<20} {}\n",
                r.lang,
                m_.score.clamp(0.0, 100.0),
                m_.band,
                m_.words_per_sentence,
                long,
                m_.formula,
                m.formats.join(", ")
            ));
        }
    }
}

//! Keeping translations in step with the source language declared in leafpress.toml:
//! structure parity (an error when a translation lacks or adds a section, list item, quote,
//! key message, citation or the red-flag section) and staleness (a warning, or an error
//! with `--strict`, when a source section changed after it was translated).

pub mod accept;
pub mod accepted;
pub mod diff;
pub mod parity;
pub mod stale;

use std::ops::Range;

use crate::content::Content;

/// The byte range of section `i` of `content`: from its heading to the next heading (or the
/// end of the file).
pub fn section_text(content: &Content, i: usize) -> &str {
    let start = content.section_ranges[i].start;
    let end = content.section_ranges.get(i + 1).map_or(content.text.len(), |r| r.start);
    &content.text[start..end]
}

/// Where to report something about section `id` of `content`: its heading, or, if it has no
/// such section, the first line of the body.
pub fn section_place(content: &Content, id: &str) -> Range<usize> {
    match content.body.sections.iter().position(|s| s.id == id) {
        Some(i) => content.section_ranges[i].clone(),
        None => first_heading(content),
    }
}

/// The first section heading (or the start of the file).
pub fn first_heading(content: &Content) -> Range<usize> {
    content.section_ranges.first().cloned().unwrap_or(0..0)
}

/// 1-based line of byte `at` in `content`.
pub fn line_of(content: &Content, at: usize) -> usize {
    content.text[..at.min(content.text.len())].matches('\n').count() + 1
}

/// "did you mean `x`? " for the id of `ids` closest to `word`, or nothing when none is close.
pub fn did_you_mean(ids: &[&str], word: &str) -> String {
    ids.iter()
        .map(|k| (strsim::jaro_winkler(k, word), *k))
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .filter(|(score, _)| *score > 0.8)
        .map(|(_, k)| format!("did you mean `{k}`? "))
        .unwrap_or_default()
}

/// The parts of `source` a translation records a fingerprint for, in order: the
/// introduction (the text before the first section, when there is any) and each section, as
/// (id, Markdown text, byte offset in the file).
pub fn parts(source: &Content) -> Vec<(String, &str, usize)> {
    let mut out = Vec::new();
    if let Some(intro) = stale::introduction(source)
        && !source.body.lead.is_empty()
    {
        out.push((stale::INTRODUCTION.to_owned(), &source.text[intro.clone()], intro.start));
    }
    for (i, s) in source.body.sections.iter().enumerate() {
        out.push((s.id.clone(), section_text(source, i), source.section_ranges[i].start));
    }
    out
}

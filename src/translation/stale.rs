//! Staleness: each translation records, per section, a fingerprint of the source text it was
//! made from (`[translated-from]` in its front matter). When the source section changes, its
//! fingerprint changes and the translation's section is stale.

use sha2::{Digest, Sha256};

use crate::content::Content;
use crate::diag::{Diagnostic, Severity, Sink, display_path};

use super::{line_of, section_place};

/// The fingerprint of a source section: 12 hex digits of the SHA-256 of its Markdown with
/// runs of whitespace made one space, so re-wrapping a paragraph changes nothing.
pub fn fingerprint(text: &str) -> String {
    let normalised = text.split_whitespace().collect::<Vec<_>>().join(" ");
    let digest = Sha256::digest(normalised.as_bytes());
    digest.iter().take(6).map(|b| format!("{b:02x}")).collect()
}

/// Reports each section of `translation` whose source changed since it was translated, or
/// that records no fingerprint; `severity` is a warning, or an error with `--strict`.
pub fn check(source: &Content, translation: &Content, severity: Severity, sink: &mut Sink) {
    let src = display_path(&source.path);
    // The introduction (before the first section) counts as a part of its own; a section
    // the translation lacks is for parity to report.
    let parts: Vec<(String, &str, String, usize)> = super::parts(source)
        .into_iter()
        .filter(|(id, _, _)| id == INTRODUCTION || translation.body.sections.iter().any(|t| &t.id == id))
        .map(|(id, text, at)| (id, text, fingerprint(text), at))
        .collect();
    // A recorded key that names no part of the source: a typo, or a section since removed.
    for (id, (_, range)) in &translation.front.translated_from {
        let known = id == INTRODUCTION || source.body.sections.iter().any(|s| &s.id == id);
        if !known {
            let ids: Vec<&str> = std::iter::once(INTRODUCTION)
                .chain(source.body.sections.iter().map(|s| s.id.as_str()))
                .collect();
            let close = super::did_you_mean(&ids, id);
            // The key sits just before its value on the same line.
            let line_start = translation.text[..range.start].rfind('\n').map_or(0, |i| i + 1);
            sink.push(
                Diagnostic::error(format!("[translated-from] names `{id}`, which is no part of {src}"))
                    .at(&translation.path, &translation.text, line_start..range.end)
                    .hint(format!(
                        "{close}the keys are `introduction` and the source's section ids: {}",
                        ids.join(", ")
                    )),
            );
        }
    }
    let (topic, lang) = super::accepted::topic_and_lang(&translation.path);
    // Read only when a part is stale: the common case reads nothing.
    let mut accepted = None;
    for (id, now, current, at) in parts {
        let line = line_of(source, at);
        let fix = format!(
            "when the translation matches the source again, run `leafpress accept {topic} {lang} {id}` (it writes `{id} = \"{current}\"` under [translated-from])"
        );
        let d = match translation.front.translated_from.get(&id) {
            Some((recorded, _)) if *recorded == current => continue,
            Some((recorded, range)) => {
                let d = Diagnostic::new(
                    severity,
                    format!("{} is stale: {src} (line {line}) changed since it was translated", what(&id)),
                )
                .at(&translation.path, &translation.text, range.clone());
                // What changed, when the text accepted then is kept beside the translation.
                let accepted = accepted.get_or_insert_with(|| super::accepted::read(&translation.path));
                match accepted.get(&id).filter(|a| a.fingerprint == *recorded) {
                    Some(then) => super::diff::hints(&then.text, now).into_iter().fold(d, Diagnostic::hint),
                    None => d,
                }
            }
            None => Diagnostic::new(
                severity,
                format!("{} records no fingerprint of the source text it was translated from", what(&id)),
            )
            .at(&translation.path, &translation.text, section_place(translation, &id)),
        };
        sink.push(d.hint(fix));
    }
}

/// How a part is named in messages.
fn what(id: &str) -> String {
    if id == INTRODUCTION { "the introduction".to_owned() } else { format!("section `{id}`") }
}

/// The key under `[translated-from]` for the text before the first section.
pub const INTRODUCTION: &str = "introduction";

/// The byte range of the introduction: from the end of the front matter to the first
/// section heading.
pub(super) fn introduction(content: &Content) -> Option<std::ops::Range<usize>> {
    let (_, body) = crate::content::frontmatter::split(&content.path, &content.text).ok()?;
    let end = content.section_ranges.first().map_or(content.text.len(), |r| r.start);
    let text = content.text.get(body..end)?;
    let start = body + (text.len() - text.trim_start().len());
    Some(start..end)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fingerprints_ignore_rewrapping_but_not_words() {
        let a = fingerprint("## Titel {#x}\n\nEen zin\nover twee regels.\n");
        assert_eq!(a, fingerprint("## Titel {#x}\n\nEen zin over   twee regels."));
        assert_ne!(a, fingerprint("## Titel {#x}\n\nEen zin over drie regels."));
        assert_eq!(a.len(), 12);
    }
}

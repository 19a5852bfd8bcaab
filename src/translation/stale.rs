//! Staleness: each translation records, per section, a fingerprint of the source text it was
//! made from (`[translated-from]` in its front matter). When the source section changes, its
//! fingerprint changes and the translation's section is stale.

use sha2::{Digest, Sha256};

use crate::content::Content;
use crate::diag::{Diagnostic, Severity, Sink, display_path};

use super::{line_of, section_place, section_text};

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
    for (i, s) in source.body.sections.iter().enumerate() {
        if !translation.body.sections.iter().any(|t| t.id == s.id) {
            continue; // parity reports it
        }
        let current = fingerprint(section_text(source, i));
        let line = line_of(source, source.section_ranges[i].start);
        let fix = format!(
            "when the translation matches the source again, write `{} = \"{current}\"` under [translated-from] in the front matter",
            s.id
        );
        let d = match translation.front.translated_from.get(&s.id) {
            Some((recorded, _)) if *recorded == current => continue,
            Some((_, range)) => Diagnostic::new(
                severity,
                format!("section `{}` is stale: {src} (line {line}) changed since it was translated", s.id),
            )
            .at(&translation.path, &translation.text, range.clone()),
            None => Diagnostic::new(
                severity,
                format!(
                    "section `{}` records no fingerprint of the source text it was translated from",
                    s.id
                ),
            )
            .at(&translation.path, &translation.text, section_place(translation, &s.id)),
        };
        sink.push(d.hint(fix));
    }
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

//! `check`'s readability warnings for the content a plan builds (see [`crate::readability`]).

use std::collections::BTreeMap;

use super::plan::{Plan, Planned};
use crate::diag::Diagnostic;
use crate::project::Project;
use crate::readability;

/// The warnings for each content file of `plan`, measured as the first brand's documents
/// print it (variables filled in).
pub fn warnings(project: &Project, plan: &Plan) -> Vec<Diagnostic> {
    // Each content file's documents for its first brand, in matrix order.
    let mut files: BTreeMap<(&str, &str), Vec<&Planned>> = BTreeMap::new();
    for doc in &plan.docs {
        let docs = files.entry((doc.topic.as_str(), doc.content.front.lang.as_str())).or_default();
        if docs.first().is_none_or(|first| first.brand == doc.brand) {
            docs.push(doc);
        }
    }
    let mut out = Vec::new();
    for docs in files.values() {
        let content = &docs[0].content;
        if content.deck.is_some() {
            // A deck's included sections are measured with their topics: its own text only.
            let mut own = (**content).clone();
            let written: Vec<bool> = own.body.sections.iter().map(|s| s.written).collect();
            let mut keep = written.iter();
            own.section_ranges.retain(|_| keep.next().copied().unwrap_or(false));
            own.body.sections.retain(|s| s.written);
            let all: Vec<usize> = (0..own.body.sections.len()).collect();
            let measured = readability::by_document(&own, docs.iter().map(|d| (d.format, all.clone())));
            out.extend(readability::lint::lint(&own, &measured, &project.config.readability));
            continue;
        }
        let measured =
            readability::by_document(content, docs.iter().map(|d| (d.format, d.chosen.sections().to_vec())));
        out.extend(readability::lint::lint(content, &measured, &project.config.readability));
    }
    out
}

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
        let measured =
            readability::by_document(content, docs.iter().map(|d| (d.format, d.chosen.sections().to_vec())));
        out.extend(readability::lint::lint(content, &measured, &project.config.readability));
    }
    out
}

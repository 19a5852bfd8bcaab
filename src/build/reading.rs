//! `check`'s readability warnings for the content a plan builds (see [`crate::readability`]).

use super::plan::Plan;
use crate::diag::Diagnostic;
use crate::project::Project;
use crate::readability;

/// The warnings for each content file of `plan`, measured as the first brand's documents
/// print it (variables filled in).
pub fn warnings(project: &Project, plan: &Plan) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let mut done = std::collections::BTreeSet::new();
    for first in &plan.docs {
        let lang = first.content.front.lang.as_str();
        if !done.insert((first.topic.as_str(), lang)) {
            continue;
        }
        let docs = plan.docs.iter().filter(|d| {
            d.topic == first.topic
                && d.brand == first.brand
                && d.content.front.lang == first.content.front.lang
        });
        let measured =
            readability::by_document(&first.content, docs.map(|d| (d.format, d.chosen.sections().to_vec())));
        out.extend(readability::lint::lint(&first.content, &measured, &project.config.readability));
    }
    out
}

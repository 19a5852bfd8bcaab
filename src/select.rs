//! Which sections each format shows, and in what order: the content's own order unless
//! `[layout.<format>] sections` chooses. The red-flag section can never be left out.

use std::path::Path;

use crate::content::Content;
use crate::content::model::Section;
use crate::diag::{Diagnostic, Result, Sink, display_path};
use crate::document::Selection;
use crate::format::Format;
use crate::project::layout::{Layout, SectionChoice};

/// How many key messages a poster shows when the layout does not choose.
pub const POSTER_MESSAGES: usize = 4;

/// The sections `format` shows for `content` (read from `path`), checked against the layout.
pub fn select<'a>(
    layout: &Layout,
    format: Format,
    content: &'a Content,
    path: &Path,
) -> Result<Selection<'a>> {
    let l = layout.get(format);
    let all = &content.body.sections;
    let mut sink = Sink::default();
    let sections = match &l.sections {
        // A poster has room for a few key messages: by default the first four, and the
        // red-flag card.
        None if format == Format::Poster => {
            let mut messages = 0;
            all.iter()
                .filter(|s| {
                    let keep = s.urgent || (s.key_message.is_some() && messages < POSTER_MESSAGES);
                    messages += usize::from(keep && !s.urgent);
                    keep
                })
                .collect()
        }
        None => all.iter().collect(),
        Some(choice) => {
            let chosen = resolve(choice, all, format, path, &mut sink);
            if let Some(urgent) = all.iter().find(|s| s.urgent)
                && !chosen.iter().any(|s| s.urgent)
            {
                sink.push(
                    choice
                        .origin
                        .error(format!(
                            "[layout.{}] sections leaves out the red-flag section `{}`",
                            format.layout_format(),
                            urgent.id
                        ))
                        .hint(format!(
                            "the red-flag section must appear in every format: add \"{}\"",
                            urgent.id
                        )),
                );
            }
            chosen
        }
    };
    let lists = match &l.lists {
        None => Vec::new(),
        Some(choice) => {
            resolve(choice, all, format, path, &mut sink).into_iter().map(|s| s.id.as_str()).collect()
        }
    };
    sink.finish()?;
    Ok(Selection { sections, lists })
}

/// Looks up each chosen id, reporting unknown and repeated ones.
fn resolve<'a>(
    choice: &SectionChoice,
    all: &'a [Section],
    format: Format,
    path: &Path,
    sink: &mut Sink,
) -> Vec<&'a Section> {
    let mut out: Vec<&Section> = Vec::new();
    for (id, origin) in &choice.ids {
        match all.iter().find(|s| &s.id == id) {
            Some(s) if out.iter().any(|o| o.id == s.id) => {
                sink.push(origin.error(format!("section `{id}` is listed twice")));
            }
            Some(s) => out.push(s),
            None => {
                let ids: Vec<&str> = all.iter().map(|s| s.id.as_str()).collect();
                let mut d: Diagnostic = origin.error(format!(
                    "[layout.{}] names section `{id}`, which {} does not have",
                    format.layout_format(),
                    display_path(path)
                ));
                if let Some(near) = ids.iter().copied().min_by_key(|c| strsim::levenshtein(c, id))
                    && strsim::levenshtein(near, id) <= 3
                {
                    d = d.hint(format!("did you mean `{near}`?"));
                }
                sink.push(d.hint(format!("sections: {}", ids.join(", "))));
            }
        }
    }
    out
}

/// A [`Selection`] kept as positions in the content's sections, so a plan can hold it without
/// borrowing the content.
#[derive(Debug, Clone)]
pub struct Chosen {
    sections: Vec<usize>,
    lists: Vec<usize>,
}

impl Chosen {
    /// Records `selection`, made from `content`.
    pub fn of(content: &Content, selection: &Selection<'_>) -> Self {
        let all = &content.body.sections;
        // Maps built once: a content file may have many sections.
        let index: std::collections::HashMap<*const Section, usize> =
            all.iter().enumerate().map(|(i, s)| (s as *const Section, i)).collect();
        let ids: std::collections::HashMap<&str, usize> =
            all.iter().enumerate().map(|(i, s)| (s.id.as_str(), i)).collect();
        let at = |s: &Section| index.get(&(s as *const Section)).copied();
        let by_id = |id: &str| ids.get(id).copied();
        Chosen {
            sections: selection.sections.iter().filter_map(|s| at(s)).collect(),
            lists: selection.lists.iter().filter_map(|id| by_id(id)).collect(),
        }
    }

    /// Every section, in the content's order (a deck's own choice).
    pub fn all(content: &Content) -> Self {
        Chosen { sections: (0..content.body.sections.len()).collect(), lists: Vec::new() }
    }

    /// The positions of the chosen sections in the content, in the order shown.
    pub fn sections(&self) -> &[usize] {
        &self.sections
    }

    /// The selection again, from the same content.
    pub fn selection<'a>(&self, content: &'a Content) -> Selection<'a> {
        let all = &content.body.sections;
        Selection {
            sections: self.sections.iter().map(|&i| &all[i]).collect(),
            lists: self.lists.iter().map(|&i| all[i].id.as_str()).collect(),
        }
    }
}

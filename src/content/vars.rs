//! Variables in content and labels: `{practice}`, `{profession}`, `{phone}`, `{email}` and
//! `{website}`, which the brand (and its country) fill in as plain text. The same content
//! thus says "kinesitherapeut" for a Flemish practice and "fysiotherapeut" for a Dutch one.

use std::collections::BTreeMap;

use super::Content;
use super::model::{Block, Inline, Section};
use crate::diag::{Diagnostic, Result};
use crate::project::brand::Brand;

/// Every variable content may use.
pub const NAMES: [&str; 5] = ["practice", "profession", "phone", "email", "website"];

/// The values of the variables for one brand and language.
#[derive(Debug, Clone)]
pub struct Values {
    map: BTreeMap<&'static str, String>,
    /// For errors: the language and country when a value is missing.
    lang: String,
    country: String,
}

impl Values {
    /// The values `brand` gives in `lang`.
    pub fn new(brand: &Brand, lang: &str) -> Self {
        let mut map = BTreeMap::new();
        map.insert("practice", brand.name.clone());
        map.insert("phone", brand.phone.clone());
        map.insert("email", brand.email.clone());
        map.insert("website", brand.website_label().to_owned());
        if let Some(p) = brand.country.profession(lang) {
            map.insert("profession", p.to_owned());
        }
        Self { map, lang: lang.to_owned(), country: brand.country.to_string() }
    }

    fn get(&self, name: &str) -> Option<&str> {
        self.map.get(name).map(String::as_str)
    }

    /// Replaces every `{name}` of a known variable in `s`.
    pub fn fill(&self, s: &str) -> String {
        let mut out = s.to_owned();
        for (name, value) in &self.map {
            out = out.replace(&format!("{{{name}}}"), value);
        }
        out
    }
}

/// `content` with every variable replaced by its value. A variable without a value for this
/// language and country is an error at the content file.
pub fn resolve(content: &Content, values: &Values) -> Result<Content> {
    let mut missing = Vec::new();
    let mut out = content.clone();
    out.body.lead = blocks(&content.body.lead, values, &mut missing);
    out.body.sections = content.body.sections.iter().map(|s| section(s, values, &mut missing)).collect();
    if let Some(name) = missing.first() {
        return Err(Diagnostic::error(format!(
            "{} uses `{{{name}}}`, which has no value in `{}` for a practice in {}",
            crate::diag::display_path(&content.path),
            values.lang,
            values.country
        ))
        .hint("leafpress names the profession in nl, fr, de and en; write the word itself in other languages")
        .into());
    }
    Ok(out)
}

fn section(s: &Section, values: &Values, missing: &mut Vec<String>) -> Section {
    Section {
        title: values.fill(&s.title),
        key_message: s.key_message.as_deref().map(|k| inlines(k, values, missing)),
        blocks: blocks(&s.blocks, values, missing),
        ..s.clone()
    }
}

fn blocks(bs: &[Block], values: &Values, missing: &mut Vec<String>) -> Vec<Block> {
    bs.iter()
        .map(|b| match b {
            Block::Para { inlines: i } => Block::Para { inlines: inlines(i, values, missing) },
            Block::Heading { inlines: i } => Block::Heading { inlines: inlines(i, values, missing) },
            Block::List { ordered, start, items } => Block::List {
                ordered: *ordered,
                start: *start,
                items: items.iter().map(|item| blocks(item, values, missing)).collect(),
            },
            Block::Quote { blocks: inner } => Block::Quote { blocks: blocks(inner, values, missing) },
            Block::Callout { tone, blocks: inner } => {
                Block::Callout { tone: tone.clone(), blocks: blocks(inner, values, missing) }
            }
            other => other.clone(),
        })
        .collect()
}

fn inlines(is: &[Inline], values: &Values, missing: &mut Vec<String>) -> Vec<Inline> {
    let mut out: Vec<Inline> = Vec::with_capacity(is.len());
    for i in is {
        let next = match i {
            Inline::Var { name } => match values.get(name) {
                Some(v) => Inline::Text { text: v.to_owned() },
                None => {
                    missing.push(name.clone());
                    Inline::Text { text: format!("{{{name}}}") }
                }
            },
            Inline::Strong { children } => Inline::Strong { children: inlines(children, values, missing) },
            Inline::Emph { children } => Inline::Emph { children: inlines(children, values, missing) },
            Inline::Link { url, children } => {
                Inline::Link { url: url.clone(), children: inlines(children, values, missing) }
            }
            other => other.clone(),
        };
        // Keep text runs whole, as the parser does.
        match (out.last_mut(), next) {
            (Some(Inline::Text { text: prev }), Inline::Text { text }) => prev.push_str(&text),
            (_, next) => out.push(next),
        }
    }
    out
}

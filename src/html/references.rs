//! Citations and the reference list of the HTML edition (and the presenter notes), in APA as
//! the PDFs print them: the same hayagriva, the same archived APA style and the same locale
//! (the document's language and region) Typst uses.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use hayagriva::archive::{ArchivedStyle, locales};
use hayagriva::citationberg::{IndependentStyle, LocaleCode, Style};
use hayagriva::{
    BibliographyDriver, BibliographyRequest, CitationItem, CitationRequest, CitePurpose, ElemChild,
    ElemChildren,
};

use super::text::{esc, safe_url};
use crate::content::bibliography::Bibliography;
use crate::content::model::{Block, CiteForm, Inline, Section};

/// The rendered citations of one document and its reference list, as HTML.
#[derive(Debug, Default, Clone)]
pub struct References {
    /// Each citation as written in the content (keys and form) → its text.
    pub citations: HashMap<(Vec<String>, CiteForm), String>,
    /// The list, one HTML fragment per entry, in APA order.
    pub list: Vec<String>,
}

/// The APA style and the locales, decoded once per run.
fn apa() -> Option<&'static (IndependentStyle, Vec<hayagriva::citationberg::Locale>)> {
    static APA: std::sync::OnceLock<Option<(IndependentStyle, Vec<hayagriva::citationberg::Locale>)>> =
        std::sync::OnceLock::new();
    APA.get_or_init(|| match ArchivedStyle::AmericanPsychologicalAssociation.get() {
        Style::Independent(style) => Some((style, locales())),
        _ => None,
    })
    .as_ref()
}

/// Renders every citation of `lead` and `sections` and the list of what they cite, in the CSL
/// `locale`: the document's language tag (`content::frontmatter::language_tag`), as Typst
/// makes it for the PDFs (it sets the style's terms and punctuation: a Dutch page range takes
/// a hyphen).
pub fn render(
    bibliography: &Bibliography,
    locale: &str,
    lead: &[Block],
    sections: &[&Section],
) -> References {
    let library = &bibliography.library;
    let Some((style, locales)) = apa() else { return References::default() };
    let mut cites = Vec::new();
    collect(lead, &mut cites);
    for s in sections {
        if let Some(k) = &s.key_message {
            collect_inlines(k, &mut cites);
        }
        collect(&s.blocks, &mut cites);
    }
    let mut unique: Vec<(Vec<String>, CiteForm)> = Vec::new();
    for c in cites {
        if !unique.contains(&c) {
            unique.push(c);
        }
    }
    // The same text cites the same way for every practice that prints it (and in every format
    // of a language): rendered once per run.
    type Key = (Arc<str>, String, Vec<(Vec<String>, CiteForm)>);
    static RENDERED: Mutex<Option<HashMap<Key, References>>> = Mutex::new(None);
    let key = (Arc::clone(&bibliography.text), locale.to_owned(), unique);
    if let Some(hit) = RENDERED.lock().ok().and_then(|c| c.as_ref()?.get(&key).cloned()) {
        return hit;
    }
    let out = render_uncached(library, style, LocaleCode(key.1.clone()), locales, &key.2);
    if let Ok(mut cache) = RENDERED.lock() {
        let cache = cache.get_or_insert_with(HashMap::new);
        // A long watch session edits the text again and again: keep the cache small.
        if cache.len() >= 64 {
            cache.clear();
        }
        cache.insert(key, out.clone());
    }
    out
}

/// [`render`] without the cache: `unique` are the content's citations, each once, in order.
fn render_uncached(
    library: &hayagriva::Library,
    style: &IndependentStyle,
    locale: LocaleCode,
    locales: &[hayagriva::citationberg::Locale],
    unique: &[(Vec<String>, CiteForm)],
) -> References {
    let mut driver = BibliographyDriver::new();
    let mut rendered_keys = Vec::new();
    for (keys, form) in unique {
        let items: Vec<_> = keys
            .iter()
            .filter_map(|k| library.get(k))
            .map(|e| {
                let item = CitationItem::with_entry(e);
                if *form == CiteForm::Year { item.kind(CitePurpose::Year) } else { item }
            })
            .collect();
        if items.is_empty() {
            continue;
        }
        driver.citation(CitationRequest::new(items, style, Some(locale.clone()), locales, None));
        rendered_keys.push((keys.clone(), *form));
    }
    let rendered = driver.finish(BibliographyRequest::new(style, Some(locale), locales));
    let mut citations = HashMap::new();
    for ((keys, form), c) in rendered_keys.into_iter().zip(rendered.citations) {
        let text = html(&c.citation);
        // The year form is bare; the PDFs put it in parentheses after the names.
        let text = if form == CiteForm::Year { format!("({text})") } else { text };
        citations.insert((keys, form), text);
    }
    let list =
        rendered.bibliography.map(|b| b.items.iter().map(|i| html(&i.content)).collect()).unwrap_or_default();
    References { citations, list }
}

fn collect(blocks: &[Block], out: &mut Vec<(Vec<String>, CiteForm)>) {
    for b in blocks {
        match b {
            Block::Para { inlines } | Block::Heading { inlines } => collect_inlines(inlines, out),
            Block::List { items, .. } => items.iter().for_each(|i| collect(i, out)),
            Block::Quote { blocks } | Block::Callout { blocks, .. } => collect(blocks, out),
            Block::Table { header, rows, .. } => {
                header.iter().chain(rows.iter().flatten()).for_each(|c| collect_inlines(c, out))
            }
            Block::ByCountry { otherwise, .. } => collect(std::slice::from_ref(otherwise), out),
            Block::Figure { .. } | Block::Code { .. } => {}
        }
    }
}

fn collect_inlines(inlines: &[Inline], out: &mut Vec<(Vec<String>, CiteForm)>) {
    for i in inlines {
        match i {
            Inline::Cite { keys, form } => out.push((keys.clone(), *form)),
            Inline::Strong { children } | Inline::Emph { children } | Inline::Link { children, .. } => {
                collect_inlines(children, out)
            }
            _ => {}
        }
    }
}

/// Hayagriva's output as escaped HTML (its own HTML writer does not escape text).
fn html(children: &ElemChildren) -> String {
    let mut out = String::new();
    write_children(&mut out, &children.0);
    out
}

fn write_children(out: &mut String, children: &[ElemChild]) {
    for child in children {
        match child {
            ElemChild::Text(t) => formatted(out, &t.text, t.formatting),
            ElemChild::Elem(e) => write_children(out, &e.children.0),
            ElemChild::Markup(m) => out.push_str(&esc(m)),
            ElemChild::Link { text, url } if safe_url(url) => {
                out.push_str(&format!("<a href=\"{}\">", esc(url)));
                formatted(out, &text.text, text.formatting);
                out.push_str("</a>");
            }
            ElemChild::Link { text, .. } => formatted(out, &text.text, text.formatting),
            ElemChild::Transparent { .. } => {}
        }
    }
}

fn formatted(out: &mut String, text: &str, f: hayagriva::Formatting) {
    let italic = f.font_style == hayagriva::citationberg::FontStyle::Italic;
    if italic {
        out.push_str("<i>");
    }
    out.push_str(&esc(text));
    if italic {
        out.push_str("</i>");
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::frontmatter::language_tag;

    fn demo() -> Bibliography {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).canonicalize().unwrap();
        let path = root.join("leaflets/hernia/references.yml");
        crate::content::bibliography::load(&root, &path, "/leaflets/hernia/references.yml".into()).unwrap()
    }

    fn cite(keys: &[&str], form: CiteForm) -> Inline {
        Inline::Cite { keys: keys.iter().map(|k| k.to_string()).collect(), form }
    }

    #[test]
    fn citations_and_list_are_apa_and_escaped() {
        let lead = vec![Block::Para {
            inlines: vec![
                cite(&["urban2003"], CiteForm::Normal),
                cite(&["adams2005"], CiteForm::Year),
                cite(&["urban2003", "adams2005"], CiteForm::Normal),
            ],
        }];
        let r = render(&demo(), "en", &lead, &[]);
        assert_eq!(r.citations[&(vec!["urban2003".into()], CiteForm::Normal)], "(Urban &amp; Roberts, 2003)");
        assert_eq!(r.citations[&(vec!["adams2005".into()], CiteForm::Year)], "(2005)");
        assert_eq!(
            r.citations[&(vec!["urban2003".into(), "adams2005".into()], CiteForm::Normal)],
            "(Adams &amp; Dolan, 2005; Urban &amp; Roberts, 2003)"
        );
        assert_eq!(r.list.len(), 2, "only what is cited: {:?}", r.list);
        assert!(r.list[0].starts_with("Adams, M. A., &amp; Dolan, P. (2005)."), "{}", r.list[0]);
        assert!(r.list[0].contains("<i>"), "journal titles in italics: {}", r.list[0]);
    }

    #[test]
    fn the_documents_locale_sets_the_terms_and_punctuation() {
        // As in the PDFs, which Typst renders in the document's language: a Dutch page range
        // takes a hyphen, an English one an en dash.
        let lead = vec![Block::Para { inlines: vec![cite(&["adams2005"], CiteForm::Normal)] }];
        let dutch = render(&demo(), &language_tag("nl", Some("BE")), &lead, &[]);
        assert!(dutch.list[0].contains("1972-1983"), "{}", dutch.list[0]);
        let english = render(&demo(), &language_tag("en", None), &lead, &[]);
        assert!(english.list[0].contains("1972–1983"), "{}", english.list[0]);
    }
}

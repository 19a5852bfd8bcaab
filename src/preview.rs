//! Previews for review: every page rendered to PNG with typst-render, and one static page,
//! `out/index.html`, showing every document's pages grouped by topic, brand, language and
//! format, each linking to its PDF.

use std::collections::BTreeMap;
use std::fmt::Write;
use std::path::{Path, PathBuf};

use tiny_skia as sk;
use typst::foundations::Smart;
use typst_layout::{Page, PagedDocument};
use typst_render::RenderOptions;

use crate::format;
use crate::html::text::esc;
use crate::manifest::Entry;
use crate::project::brand::Brand;

/// The review page's file name in the output folder.
pub const INDEX: &str = "index.html";

/// Folder under the output folder that holds the page images.
pub const DIR: &str = "preview";

/// Where page `n` (1-based) of the document `key` (`hernia/nl/handout.pdf`) is previewed.
pub fn page_path(out: &Path, key: &str, n: usize) -> PathBuf {
    let stem = key.strip_suffix(".pdf").unwrap_or(key);
    out.join(DIR).join(format!("{stem}-{n}.png"))
}

/// Renders the pages as the PDF shows them, each to PNG, at `pixel_per_pt`; the trim only,
/// without bleed. `groups` gives, for each PDF page, the laid-out pages (1-based) it draws on
/// top of each other: the imposed booklet's two halves of a sheet side, the trifold's back
/// cover over its outside.
pub fn render(document: &PagedDocument, groups: &[Vec<usize>], pixel_per_pt: f32) -> Vec<Vec<u8>> {
    let options = RenderOptions { pixel_per_pt: f64::from(pixel_per_pt).into(), render_bleed: false };
    let pages = document.pages();
    let paint = sk::PixmapPaint::default();
    groups
        .iter()
        .filter_map(|group| {
            let (first, rest) = group.split_first()?;
            let mut pixmap = typst_render::render(pages.get(first - 1)?, &options);
            for &n in rest {
                let layer = typst_render::render(&transparent(pages.get(n - 1)?), &options);
                pixmap.draw_pixmap(0, 0, layer.as_ref(), &paint, sk::Transform::identity(), None);
            }
            // Encoding a pixmap tiny-skia made itself cannot fail; an empty file would show
            // as a broken image on the review page, not pass unseen.
            Some(pixmap.encode_png().unwrap_or_default())
        })
        .collect()
}

/// A copy of `page` without its background, for laying over another page.
fn transparent(page: &Page) -> Page {
    Page { fill: Smart::Custom(None), ..page.clone() }
}

/// What the review page says beside the documents: the source language (listed first), the
/// content files withheld and the documents that failed, and the run's messages (one line
/// each, starting with the file they are about).
#[derive(Debug, Default)]
pub struct Review<'a> {
    /// The project's source language.
    pub source_lang: Option<&'a str>,
    /// Withheld content: (topic, language, reason).
    pub withheld: Vec<(&'a str, &'a str, &'a str)>,
    /// Keys of the documents that failed (`de-linde/hernia/nl/trifold.pdf`).
    pub failed: Vec<String>,
    /// Messages: (is an error, `file:line:col: message`).
    pub messages: Vec<(bool, String)>,
}

impl Review<'_> {
    /// The messages about `leaflets/<topic>/<lang>.md` (and the accepted text beside it), or
    /// a deck's `decks/<name>/<lang>.md` (its topic is `decks/<name>`).
    fn messages_for(&self, topic: &str, lang: &str) -> Vec<&(bool, String)> {
        let file = if topic.starts_with(crate::deck::DECKS_DIR) && topic.contains('/') {
            format!("{topic}/{lang}.md:")
        } else {
            format!("leaflets/{topic}/{lang}.md:")
        };
        self.messages.iter().filter(|(_, m)| m.contains(&file)).collect()
    }
}

/// The review page for the documents of a build.
pub fn index_html(brands: &[Brand], entries: &[Entry], review: &Review) -> String {
    // topic → brand → language → documents, in format order.
    let mut groups: BTreeMap<&str, BTreeMap<&str, BTreeMap<&str, Vec<&Entry>>>> = BTreeMap::new();
    for e in entries {
        groups.entry(&e.topic).or_default().entry(&e.brand).or_default().entry(&e.lang).or_default().push(e);
    }
    // Withheld languages get their section too, with no documents, under every brand the
    // topic is built for (or the first one).
    for &(topic, lang, _) in &review.withheld {
        let by_brand = groups.entry(topic).or_default();
        if by_brand.is_empty() {
            by_brand.insert(brands.first().map_or("", |b| b.id.as_str()), BTreeMap::new());
        }
        for by_lang in by_brand.values_mut() {
            by_lang.entry(lang).or_default();
        }
    }
    let order = |e: &&Entry| format::every().position(|f| f.name() == e.format);
    let brand_name = |id: &str| brands.iter().find(|b| b.id == id).map_or(id.to_owned(), |b| b.name.clone());
    let pages: usize = entries.iter().map(|e| previews(e).count()).sum();
    let mut h = String::new();
    let _ = write!(
        h,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>leafpress previews: {} documents</title>\n<style>{STYLE}</style>\n</head>\n\
         <body data-images=\"{pages}\">\n<header><h1>Previews</h1><p>{} documents, {pages} pages. \
         Click a page to open the PDF there.</p><p id=\"broken\" hidden></p></header>\n",
        entries.len(),
        entries.len()
    );
    // Contents: every topic and practice, with its number of documents, linked.
    h.push_str("<nav><ul>\n");
    for (topic, by_brand) in &groups {
        let _ = write!(h, "<li><a href=\"#{0}\">{0}</a>:", esc(topic));
        for (brand, by_lang) in by_brand {
            let n: usize = by_lang.values().map(Vec::len).sum();
            let _ = write!(
                h,
                " <a href=\"#{}--{}\">{}</a> ({n})",
                esc(topic),
                esc(brand),
                esc(&brand_name(brand))
            );
        }
        h.push_str("</li>\n");
    }
    h.push_str("</ul></nav>\n");
    for (topic, by_brand) in &groups {
        let _ = writeln!(h, "<section class=\"topic\" id=\"{0}\">\n<h2>{0}</h2>", esc(topic));
        for (brand, by_lang) in by_brand {
            let _ = writeln!(
                h,
                "<section class=\"brand\" id=\"{}--{}\"><h3>{}</h3>",
                esc(topic),
                esc(brand),
                esc(&brand_name(brand))
            );
            // The source language first, then the others alphabetically.
            let mut langs: Vec<(&&str, &Vec<&Entry>)> = by_lang.iter().collect();
            langs.sort_by_key(|(l, _)| (Some(**l) != review.source_lang, **l));
            for (lang, docs) in langs {
                let mut docs = docs.clone();
                docs.sort_by_key(order);
                let title = docs.first().map_or("", |e| e.title.as_str());
                let (state, label) = lang_state(review, topic, lang, &docs);
                let _ = writeln!(
                    h,
                    "<section class=\"lang\" lang=\"{0}\" data-state=\"{state}\"><h4><span>{0}</span> {1} <b class=\"state {state}\">{2}</b></h4>",
                    esc(lang),
                    esc(title),
                    esc(&label)
                );
                let messages = review.messages_for(topic, lang);
                if !messages.is_empty() {
                    h.push_str("<ul class=\"messages\">");
                    for (error, m) in messages {
                        let class = if *error { "error" } else { "warning" };
                        let _ = write!(h, "<li class=\"{class}\">{class}: {}</li>", esc(m));
                    }
                    h.push_str("</ul>\n");
                }
                for e in docs {
                    document(&mut h, e);
                }
                for key in review.failed.iter().filter(|k| is_doc_of(k, brand, topic, lang)) {
                    let _ = writeln!(
                        h,
                        "<p class=\"doc failed\"><b class=\"state failed\">failed</b> {}: see the errors above; the previous file, if any, is unchanged</p>",
                        esc(key)
                    );
                }
                h.push_str("</section>\n");
            }
            h.push_str("</section>\n");
        }
        h.push_str("</section>\n");
    }
    h.push_str(SCRIPT);
    h.push_str("</body>\n</html>\n");
    h
}

/// Whether the document `key` belongs to `brand`, `topic` and `lang` (`[brand/]topic/lang/…`).
fn is_doc_of(key: &str, brand: &str, topic: &str, lang: &str) -> bool {
    key.starts_with(&format!("{brand}/{topic}/{lang}/")) || key.starts_with(&format!("{topic}/{lang}/"))
}

/// The state of a language's documents, as a class and a label: ok, draft (why), stale,
/// expired, withheld (why), failed.
fn lang_state(review: &Review, topic: &str, lang: &str, docs: &[&Entry]) -> (&'static str, String) {
    if let Some((_, _, why)) = review.withheld.iter().find(|(t, l, _)| *t == topic && *l == lang) {
        return ("withheld", format!("withheld: {why}"));
    }
    if review.failed.iter().any(|k| k.contains(&format!("{topic}/{lang}/"))) {
        return ("failed", "some documents failed".to_owned());
    }
    match docs.iter().find_map(|e| e.draft) {
        Some(crate::content::review::Draft::StaleTranslation) => {
            ("stale", "draft: stale translation".to_owned())
        }
        Some(crate::content::review::Draft::Expired) => ("expired", "draft: past its review date".to_owned()),
        None if Some(lang) == review.source_lang => ("ok", "ok (source)".to_owned()),
        None => ("ok", "ok".to_owned()),
    }
}

/// One document: its format, pages and size, linking to the PDF, and its page thumbnails.
fn document(h: &mut String, e: &Entry) {
    // `./` keeps a path that looks like a scheme (`x:`) a relative link.
    let pdf = format!("./{}", esc(&e.path));
    let kb = e.bytes.div_ceil(1024);
    let plural = if e.pages == 1 { "" } else { "s" };
    let _ = writeln!(
        h,
        "<figure class=\"doc\"><figcaption><a href=\"{pdf}\">{}</a> {} page{plural}, {kb} KB</figcaption>\
         <div class=\"pages\">",
        esc(&e.format),
        e.pages
    );
    for (i, png) in previews(e).enumerate() {
        let n = i + 1;
        let _ = write!(
            h,
            "<a href=\"{pdf}#page={n}\"><img src=\"{}\" alt=\"{} {} {}, page {n}\"></a>",
            esc(png),
            esc(&e.topic),
            esc(&e.lang),
            esc(&e.format)
        );
    }
    h.push_str("</div></figure>\n");
}

/// The preview images of a document.
fn previews(e: &Entry) -> impl Iterator<Item = &String> {
    e.extra.iter().filter(|p| p.starts_with(DIR) && p.ends_with(".png"))
}

const STYLE: &str = "body{font-family:system-ui,sans-serif;margin:0 2rem 3rem;color:#1d1d1f;background:#f4f4f2}\
header{position:sticky;top:0;background:#f4f4f2;padding:.5rem 0;border-bottom:1px solid #ccc;z-index:1}\
h1{margin:.3rem 0}h2{margin-top:2.5rem;border-bottom:2px solid #555}\
h3{margin:1.5rem 0 .5rem}h4{margin:1rem 0 .3rem;color:#444}h4 span{text-transform:uppercase;color:#fff;background:#555;padding:0 .3rem;border-radius:3px}\
.doc{margin:.3rem 0 1.2rem}.doc figcaption{margin-bottom:.3rem;color:#555}\
.doc figcaption a{font-weight:bold;color:#0b5cad}\
.pages{display:flex;gap:.6rem;overflow-x:auto;padding-bottom:.4rem}\
.pages img{height:300px;width:auto;background:#fff;box-shadow:0 1px 4px rgba(0,0,0,.3)}\
nav ul{margin:.5rem 0;padding-left:1.2rem}nav a{color:#0b5cad}\
#broken{color:#fff;background:#b00020;padding:.4rem .8rem}\
.state{font-size:.8rem;padding:0 .4rem;border-radius:3px;color:#fff;background:#2e7d32}\
.state.stale,.state.expired{background:#b26a00}.state.withheld,.state.failed{background:#b00020}\
.messages{margin:.2rem 0 .6rem;padding-left:1.2rem;font-size:.9rem}.messages .error{color:#b00020}.messages .warning{color:#8a5300}";

/// Marks pages whose image failed to load, so a missing preview is seen, not overlooked.
const SCRIPT: &str = "<script>\
window.addEventListener('load',function(){\
var imgs=document.querySelectorAll('.pages img'),bad=0;\
imgs.forEach(function(i){if(!i.complete||i.naturalWidth===0){bad++;i.alt+=' (missing)';i.style.outline='3px solid #b00020';}});\
document.body.dataset.loaded=String(imgs.length-bad);document.body.dataset.broken=String(bad);\
if(bad){var b=document.getElementById('broken');b.hidden=false;b.textContent=bad+' page image(s) failed to load';}\
});\
</script>\n";

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(topic: &str, format: &str, title: &str) -> Entry {
        Entry {
            topic: topic.into(),
            title: title.into(),
            brand: "b".into(),
            lang: "nl".into(),
            format: format.into(),
            path: format!("{topic}/nl/{format}.pdf"),
            extra: vec![format!("preview/{topic}/nl/{format}-1.png")],
            pages: 1,
            bytes: 2048,
            sha256: String::new(),
            inputs: vec![],
            version: "1".into(),
            review_by: "2030-01-01".into(),
            translation: crate::manifest::Translation::Source,
            draft: None,
        }
    }

    #[test]
    fn groups_documents_in_format_order_and_escapes_text() {
        let entries = [entry("t", "poster", "A <b> & \"c\""), entry("t", "handout", "A <b> & \"c\"")];
        let html = index_html(&[], &entries, &Review::default());
        assert!(html.contains("A &lt;b&gt; &amp; &quot;c&quot;"), "{html}");
        let (handout, poster) = (html.find(">handout</a>").unwrap(), html.find(">poster</a>").unwrap());
        assert!(handout < poster);
        assert!(
            html.contains("<a href=\"./t/nl/handout.pdf#page=1\"><img src=\"preview/t/nl/handout-1.png\"")
        );
        assert!(html.contains("data-images=\"2\""));
    }

    #[test]
    fn page_paths_mirror_the_pdf() {
        let p = page_path(Path::new("/o"), "de-linde/hernia/nl/booklet-imposed.pdf", 3);
        assert_eq!(p, Path::new("/o/preview/de-linde/hernia/nl/booklet-imposed-3.png"));
    }
}

//! One leaflet as one self-contained HTML page: the brand's font and every image inlined, the
//! stylesheet inline, no script and no request to anywhere.

use std::fmt::Write;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use serde_json::Value;

use super::STYLE;
use super::references::References;
use super::text::{Writer, esc};
use crate::content::model::{Block, Inline, Section};
use crate::content::vars::tel;
use crate::document::DocumentData;

/// A face of the brand's font family, embedded with `@font-face`.
pub struct FontFace {
    /// Its family.
    pub family: String,
    /// 400 regular, 700 bold.
    pub weight: u16,
    /// Whether it is the italic.
    pub italic: bool,
    /// The font file (TrueType or OpenType).
    pub data: Vec<u8>,
}

/// What a page needs beside the document's data.
pub struct Assets<'a> {
    /// The bytes of a root-relative path (`/images/logo.svg`), read inside the project.
    pub read: &'a dyn Fn(&str) -> Option<Vec<u8>>,
    /// The brand font's faces.
    pub fonts: &'a [FontFace],
    /// The document's PDFs: what each is for (in the document's language) and its file name.
    pub pdfs: &'a [(String, String)],
    /// Citations and the reference list, if the topic has a bibliography.
    pub references: Option<&'a References>,
}

/// The label `key` of the document's language.
fn label<'a>(data: &'a DocumentData, key: &str) -> &'a str {
    data.labels.get(key).and_then(Value::as_str).unwrap_or_default()
}

/// The MIME type of an image path.
fn mime(path: &str) -> &'static str {
    let lower = path.to_ascii_lowercase();
    match lower.rsplit('.').next().unwrap_or_default() {
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        _ => "application/octet-stream",
    }
}

fn data_url(assets: &Assets, path: &str) -> String {
    match (assets.read)(path) {
        Some(bytes) => format!("data:{};base64,{}", mime(path), BASE64.encode(bytes)),
        None => String::new(),
    }
}

/// Writes the page.
pub fn write(data: &DocumentData, assets: &Assets) -> String {
    let mut out = String::with_capacity(64 * 1024);
    let lang = crate::content::frontmatter::language_tag(data.lang, data.region);
    let title = match &data.draft {
        Some(d) => format!("{d}: {}", data.meta.title),
        None => data.meta.title.to_owned(),
    };
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"{}{}\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{} · {}</title>\n",
        esc(&lang),
        if data.rtl { "\" dir=\"rtl" } else { "" },
        esc(&title),
        esc(data.brand.name)
    );
    if let Some(s) = data.meta.subtitle {
        let _ = writeln!(out, "<meta name=\"description\" content=\"{}\">", esc(s));
    }
    let _ = writeln!(out, "<meta name=\"author\" content=\"{}\">", esc(&data.meta.authors.join(", ")));
    out.push_str("<style>\n");
    style(&mut out, data, assets);
    out.push_str("</style>\n</head>\n<body>\n<div class=\"page\">\n");
    masthead(&mut out, data, assets);

    let cite = |keys: &[String], form| assets.references?.citations.get(&(keys.to_vec(), form)).cloned();
    let w = Writer { cite: &cite, figure: &|out: &mut String, b: &Block| figure(out, b, assets) };

    out.push_str("<main>\n");
    if let Some(d) = &data.draft {
        let _ = writeln!(out, "<p class=\"draft\">{}</p>", esc(d));
    }
    let _ = writeln!(out, "<h1>{}</h1>", esc(data.meta.title));
    if let Some(s) = data.meta.subtitle {
        let _ = writeln!(out, "<p class=\"subtitle\">{}</p>", esc(s));
    }
    out.push_str("<div class=\"lead\">\n");
    w.blocks(&mut out, &data.lead);
    out.push_str("</div>\n");
    for section in &data.sections {
        section_html(&mut out, data, section, &w);
    }
    if let Some(r) = assets.references.filter(|r| !r.list.is_empty()) {
        let _ = writeln!(
            out,
            "<section aria-labelledby=\"references\">\n<h2 id=\"references\">{}</h2>\n<ul class=\"references\">",
            esc(label(data, "references"))
        );
        for entry in &r.list {
            let _ = writeln!(out, "<li>{entry}</li>");
        }
        out.push_str("</ul>\n</section>\n");
    }
    if !assets.pdfs.is_empty() {
        let _ = writeln!(
            out,
            "<nav class=\"formats\" aria-labelledby=\"print\">\n<h2 id=\"print\">{}</h2>\n<ul>",
            esc(label(data, "print_heading"))
        );
        for (what, file) in assets.pdfs {
            let _ = writeln!(out, "<li><a href=\"{}\">{}</a> (PDF)</li>", esc(file), esc(what));
        }
        out.push_str("</ul>\n</nav>\n");
    }
    out.push_str("</main>\n");
    about(&mut out, data);
    out.push_str("</div>\n</body>\n</html>\n");
    out
}

fn style(out: &mut String, data: &DocumentData, assets: &Assets) {
    for face in assets.fonts {
        let _ = writeln!(
            out,
            "@font-face {{ font-family: \"{}\"; font-weight: {}; font-style: {}; font-display: swap; \
             src: url(data:font/ttf;base64,{}); }}",
            esc(&face.family),
            face.weight,
            if face.italic { "italic" } else { "normal" },
            BASE64.encode(&face.data)
        );
    }
    let c = &data.brand.colors;
    let _ = writeln!(
        out,
        ":root {{ --font: {}; --primary: {}; --accent: {}; --text: {}; --muted: {}; --background: {}; \
         --urgent: {}; --urgent-text: {}; --tint: {}; --urgent-tint: {}; --rule: {}; }}",
        fonts(assets),
        c.primary,
        c.accent,
        c.text,
        c.text,
        c.background,
        c.urgent,
        c.urgent_text,
        c.tint,
        c.urgent_tint,
        c.accent
    );
    out.push_str(STYLE);
}

/// The `font-family` list: the brand's family, then the others embedded for scripts it lacks.
fn fonts(assets: &Assets) -> String {
    let mut families: Vec<&str> = Vec::new();
    for f in assets.fonts {
        if !families.contains(&f.family.as_str()) {
            families.push(&f.family);
        }
    }
    families.iter().map(|f| format!("\"{}\"", esc(f))).collect::<Vec<_>>().join(", ")
}

fn masthead(out: &mut String, data: &DocumentData, assets: &Assets) {
    let b = &data.brand;
    let _ = write!(
        out,
        "<header class=\"masthead\">\n<img src=\"{}\" alt=\"{}\">\n<p><span class=\"practice\">{}</span>",
        data_url(assets, b.logo),
        esc(b.logo_alt),
        esc(b.name)
    );
    if let Some(t) = b.tagline {
        let _ = write!(out, "<br>{}", esc(t));
    }
    let _ = write!(out, "<br><a href=\"{}\" dir=\"ltr\">{}</a>", esc(&tel(b.phone)), esc(b.phone));
    if let (Some(url), Some(shown)) = (b.website, b.website_label) {
        let _ = write!(out, " · <a href=\"{}\">{}</a>", esc(url), esc(shown));
    }
    out.push_str("</p>\n</header>\n");
}

fn figure(out: &mut String, b: &Block, assets: &Assets) {
    let Block::Figure { src, alt, caption, width } = b else { return };
    let size = width.map(|w| format!(" style=\"width: {:.0}%\"", w * 100.0)).unwrap_or_default();
    let _ = write!(out, "<figure>\n<img src=\"{}\" alt=\"{}\"{size}>\n", data_url(assets, src), esc(alt));
    if let Some(c) = caption {
        let _ = writeln!(out, "<figcaption>{}</figcaption>", esc(c));
    }
    out.push_str("</figure>\n");
}

fn key_message(out: &mut String, data: &DocumentData, key: &[Inline], w: &Writer) {
    let _ =
        write!(out, "<div class=\"key\"><span class=\"label\">{}</span><p>", esc(label(data, "key_message")));
    w.inlines(out, key);
    out.push_str("</p></div>\n");
}

fn section_html(out: &mut String, data: &DocumentData, section: &Section, w: &Writer) {
    let id = format!("s-{}", esc(&section.id));
    let class = if section.urgent { " class=\"card\"" } else { "" };
    let _ = write!(out, "<section{class} aria-labelledby=\"{id}\">\n<h2 id=\"{id}\">");
    w.inlines(out, &section.title_inlines);
    out.push_str("</h2>\n");
    if section.urgent {
        out.push_str("<div class=\"body\">\n");
    }
    if let Some(k) = &section.key_message {
        key_message(out, data, k, w);
    }
    w.blocks(out, &section.blocks);
    if section.urgent {
        out.push_str("</div>\n");
        numbers(out, data);
    }
    out.push_str("</section>\n");
}

/// The card's numbers, each a `tel:` link.
fn numbers(out: &mut String, data: &DocumentData) {
    let link = |n: &str| format!("<a href=\"{}\" dir=\"ltr\">{}</a>", esc(&tel(n)), esc(n));
    let e = &data.emergency;
    out.push_str("<div class=\"numbers\">\n");
    let _ = write!(out, "<p>{} {}", esc(label(data, "call_now")), link(e.emergency));
    if let Some(also) = e.also {
        let _ = write!(out, "<span>{}</span> {}", esc(label(data, "also")), link(also));
    }
    out.push_str("</p>\n");
    if let Some(n) = e.out_of_hours {
        let _ = writeln!(out, "<p>{} {}</p>", esc(label(data, "out_of_hours")), link(n));
    }
    for n in &data.local_numbers {
        let _ = writeln!(out, "<p class=\"local\">{} {}</p>", esc(n.caption), link(n.number));
    }
    out.push_str("</div>\n");
}

/// Contact, governance and the closing lines, as the page's footer.
fn about(out: &mut String, data: &DocumentData) {
    let b = &data.brand;
    let m = &data.meta;
    let _ = write!(
        out,
        "<footer class=\"about\">\n<h2>{}</h2>\n<address><strong>{}</strong><br>{}<br>{}: <a href=\"{}\" dir=\"ltr\">{}</a><br>{}: <a href=\"mailto:{}\" dir=\"ltr\">{}</a>",
        esc(label(data, "about_heading")),
        esc(b.name),
        b.address.iter().map(|l| esc(l)).collect::<Vec<_>>().join("<br>"),
        esc(label(data, "phone")),
        esc(&tel(b.phone)),
        esc(b.phone),
        esc(label(data, "email")),
        esc(b.email),
        esc(b.email)
    );
    if let (Some(url), Some(shown)) = (b.website, b.website_label) {
        let _ =
            write!(out, "<br>{}: <a href=\"{}\">{}</a>", esc(label(data, "website")), esc(url), esc(shown));
    }
    out.push_str("</address>\n<dl>\n");
    let mut row = |term: &str, value: &str| {
        let _ = writeln!(out, "<dt>{}</dt><dd>{}</dd>", esc(term), esc(value));
    };
    row(label(data, "version"), m.version);
    row(label(data, "published"), &m.published);
    row(label(data, "review_by"), &m.review_by);
    row(label(data, "authors"), &m.authors.join(", "));
    if m.reviewers.is_empty() {
        row(label(data, "reviewers"), label(data, "not_reviewed"));
    } else {
        row(label(data, "reviewers"), &m.reviewers.join(", "));
    }
    let _ = write!(
        out,
        "</dl>\n<p><strong>{}</strong></p>\n<p>{} {}</p>\n</footer>\n",
        esc(label(data, "disclaimer")),
        esc(label(data, "other_formats")),
        esc(label(data, "feedback"))
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phone_numbers_become_tel_links_of_their_digits() {
        assert_eq!(tel("09 123 45 67"), "tel:091234567");
        assert_eq!(tel("+32 9 123 45 67"), "tel:+3291234567");
        assert_eq!(tel("112"), "tel:112");
    }
}

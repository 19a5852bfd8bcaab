//! The content model as HTML: inlines and blocks, every character of content escaped.
//! Content stays data here too: nothing in it becomes markup but what the model says.

use std::fmt::Write;

use crate::content::model::{Align, Block, Inline};

/// Escapes text for an element's content or a quoted attribute value.
pub fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// The text of an HTML fragment: tags removed, the entities `esc` writes turned back.
pub fn unescape_text(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => in_tag = false,
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    out.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
}

/// Whether a link target may be written as `href`: web, mail and phone links only (a
/// `javascript:` or `data:` URL in content never becomes a link).
pub fn safe_url(url: &str) -> bool {
    let lower = url.trim_start().to_ascii_lowercase();
    ["https://", "http://", "mailto:", "tel:"].iter().any(|p| lower.starts_with(p))
}

/// Writes content as HTML; `cite` renders a citation's keys (none where citations are left
/// out), `figure` writes a figure block.
pub struct Writer<'a> {
    /// The rendered citations.
    pub cite: crate::content::model::CiteText<'a>,
    /// Writes a figure (the page inlines its image).
    pub figure: &'a dyn Fn(&mut String, &Block),
}

impl Writer<'_> {
    /// Writes `inlines`.
    pub fn inlines(&self, out: &mut String, inlines: &[Inline]) {
        for i in inlines {
            match i {
                Inline::Text { text } | Inline::Var { name: text } => out.push_str(&esc(text)),
                Inline::Strong { children } => self.wrap(out, "strong", children),
                Inline::Emph { children } => self.wrap(out, "em", children),
                Inline::Link { url, children } if safe_url(url) => {
                    let _ = write!(out, "<a href=\"{}\">", esc(url));
                    self.inlines(out, children);
                    out.push_str("</a>");
                }
                Inline::Link { children, .. } => self.inlines(out, children),
                Inline::Cite { keys, form } => {
                    if let Some(c) = (self.cite)(keys, *form) {
                        out.push_str(&c);
                    }
                }
                Inline::Code { text } => {
                    let _ = write!(out, "<code>{}</code>", esc(text));
                }
                Inline::Linebreak => out.push_str("<br>"),
            }
        }
    }

    fn wrap(&self, out: &mut String, tag: &str, children: &[Inline]) {
        let _ = write!(out, "<{tag}>");
        self.inlines(out, children);
        let _ = write!(out, "</{tag}>");
    }

    /// Writes `blocks`; subheadings inside a section are `h3`.
    pub fn blocks(&self, out: &mut String, blocks: &[Block]) {
        for b in blocks {
            match b {
                Block::Para { inlines } => {
                    out.push_str("<p>");
                    self.inlines(out, inlines);
                    out.push_str("</p>\n");
                }
                Block::Heading { inlines } => {
                    out.push_str("<h3>");
                    self.inlines(out, inlines);
                    out.push_str("</h3>\n");
                }
                Block::List { ordered, start, items } => {
                    match (ordered, start) {
                        (true, 1) => out.push_str("<ol>\n"),
                        (true, n) => {
                            let _ = writeln!(out, "<ol start=\"{n}\">");
                        }
                        (false, _) => out.push_str("<ul>\n"),
                    }
                    for item in items {
                        out.push_str("<li>");
                        match item.as_slice() {
                            [Block::Para { inlines }] => self.inlines(out, inlines),
                            blocks => self.blocks(out, blocks),
                        }
                        out.push_str("</li>\n");
                    }
                    out.push_str(if *ordered { "</ol>\n" } else { "</ul>\n" });
                }
                Block::Quote { blocks } => {
                    out.push_str("<blockquote>\n");
                    self.blocks(out, blocks);
                    out.push_str("</blockquote>\n");
                }
                Block::Callout { tone, blocks } => {
                    let _ = writeln!(out, "<div class=\"callout {}\">", esc(tone));
                    self.blocks(out, blocks);
                    out.push_str("</div>\n");
                }
                Block::Figure { .. } => (self.figure)(out, b),
                Block::Table { header, align, rows } => self.table(out, header, align, rows),
                Block::Code { text } => {
                    let _ = writeln!(out, "<pre><code>{}</code></pre>", esc(text));
                }
                // Resolved per practice before a page is written; the text every other
                // practice gets, should one remain.
                Block::ByCountry { otherwise, .. } => self.blocks(out, std::slice::from_ref(otherwise)),
            }
        }
    }

    fn table(&self, out: &mut String, header: &[Vec<Inline>], align: &[Align], rows: &[Vec<Vec<Inline>>]) {
        let class = |i: usize| match align.get(i) {
            Some(Align::Center) => " class=\"center\"",
            Some(Align::Right) => " class=\"right\"",
            _ => "",
        };
        out.push_str("<div class=\"table\"><table>\n<thead><tr>");
        for (i, cell) in header.iter().enumerate() {
            let _ = write!(out, "<th scope=\"col\"{}>", class(i));
            self.inlines(out, cell);
            out.push_str("</th>");
        }
        out.push_str("</tr></thead>\n<tbody>\n");
        for row in rows {
            out.push_str("<tr>");
            for (i, cell) in row.iter().enumerate() {
                let _ = write!(out, "<td{}>", class(i));
                self.inlines(out, cell);
                out.push_str("</td>");
            }
            out.push_str("</tr>\n");
        }
        out.push_str("</tbody>\n</table></div>\n");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(s: &str) -> Inline {
        Inline::Text { text: s.to_owned() }
    }

    #[test]
    fn content_is_escaped_and_only_safe_links_are_links() {
        let w = Writer { cite: &|_, _| None, figure: &|_, _| {} };
        let mut out = String::new();
        w.inlines(
            &mut out,
            &[
                text("<script>alert(1)</script> & \"x\""),
                Inline::Link { url: "javascript:alert(1)".into(), children: vec![text("bad")] },
                Inline::Link { url: "https://a.example/?q=1&r=\"2\"".into(), children: vec![text("good")] },
            ],
        );
        assert_eq!(
            out,
            "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;x&quot;bad\
             <a href=\"https://a.example/?q=1&amp;r=&quot;2&quot;\">good</a>"
        );
    }

    #[test]
    fn tables_have_header_cells_and_alignment() {
        let w = Writer { cite: &|_, _| None, figure: &|_, _| {} };
        let mut out = String::new();
        let block = Block::Table {
            header: vec![vec![text("A")], vec![text("B")]],
            align: vec![Align::Left, Align::Right],
            rows: vec![vec![vec![text("1")], vec![text("2")]]],
        };
        w.blocks(&mut out, &[block]);
        assert!(out.contains("<th scope=\"col\">A</th><th scope=\"col\" class=\"right\">B</th>"), "{out}");
        assert!(out.contains("<td>1</td><td class=\"right\">2</td>"), "{out}");
    }
}

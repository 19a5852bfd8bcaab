//! HTML in content files. leafpress prints no HTML: a comment (`<!-- … -->`) is dropped, and
//! anything else is an error whose hint says what to write in Markdown instead.

use std::ops::Range;

/// What a piece of raw HTML (an HTML block, or inline HTML) is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Html {
    /// Nothing but comments and white space: dropped.
    Comments,
    /// A `<!--` that is never closed; the range is the `<!--`.
    Unclosed(Range<usize>),
    /// Text after a comment's `-->` on its line (CommonMark makes it part of the HTML block,
    /// so it would be lost); the range is that text, up to the end of its line.
    TextAfterComment(Range<usize>),
    /// An HTML tag (or other markup); the range is the tag up to its `>` or the end of the line.
    Tag {
        /// The tag as written, e.g. `<div class="x">` or `</b>`.
        text: String,
        /// Its name, lower-case (`div`, `b`); empty for things like `<?php` or `<!DOCTYPE`.
        name: String,
        /// Whether it is a closing tag (`</b>`).
        closing: bool,
        /// Where it is in the raw text.
        range: Range<usize>,
    },
}

/// Classifies raw HTML as pulldown-cmark hands it over.
pub fn classify(raw: &str) -> Html {
    let mut i = 0;
    let mut seen_comment = false;
    loop {
        i += raw[i..].len() - raw[i..].trim_start().len();
        let rest = &raw[i..];
        if rest.is_empty() {
            return Html::Comments;
        }
        if let Some(after) = rest.strip_prefix("<!--") {
            // CommonMark counts `<!-->` and `<!--->` as (empty) comments.
            let end = if after.starts_with('>') {
                Some(1)
            } else if after.starts_with("->") {
                Some(2)
            } else {
                after.find("-->").map(|e| e + 3)
            };
            let Some(end) = end else { return Html::Unclosed(i..i + 4) };
            i += 4 + end;
            seen_comment = true;
            continue;
        }
        let line_end = rest.find('\n').map_or(raw.len(), |e| i + e);
        if seen_comment {
            return Html::TextAfterComment(i..line_end);
        }
        let tag_end = rest[..line_end - i].find('>').map_or(line_end, |e| i + e + 1);
        let closing = rest.starts_with("</");
        let name: String = rest[if closing { 2 } else { 1 }..]
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '-')
            .collect();
        return Html::Tag {
            text: raw[i..tag_end].to_owned(),
            name: name.to_ascii_lowercase(),
            closing,
            range: i..tag_end,
        };
    }
}

/// What to write instead of the HTML tag `name`.
pub fn hint(name: &str) -> &'static str {
    match name {
        "b" | "strong" => "write **bold** in Markdown instead",
        "i" | "em" | "u" | "mark" => "write *emphasis* in Markdown instead (leafpress sets it in bold)",
        "br" => {
            "end the line with a backslash `\\` for a line break, or leave a blank line for a new paragraph"
        }
        "a" => "write a link as `[text](https://…)`",
        "img" | "figure" | "picture" | "svg" => {
            "write an image as `![alt text](images/x.svg \"caption\")` in a paragraph of its own"
        }
        "table" | "thead" | "tbody" | "tr" | "td" | "th" => {
            "write a Markdown table: a `| a | b |` header row, a `|---|---|` line, then one `| … |` line per row"
        }
        "ul" | "ol" | "li" => "write a Markdown list with `-` or `1.` at the start of each item",
        "h1" | "h2" | "h3" | "h4" | "h5" | "h6" => {
            "start a section with `## Title {#id}`, or a subheading with `###`"
        }
        "blockquote" => "write a quotation with `>` at the start of each line",
        "hr" => "sections are separated by their `##` headings; leave the line out",
        "sup" | "sub" => "write the text without raising or lowering it (`m2`, `CO2`)",
        _ => "leafpress prints no HTML: write plain Markdown, or `\\<` for a literal `<`",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn comments_alone_are_dropped() {
        assert_eq!(classify("<!-- a -->\n"), Html::Comments);
        assert_eq!(classify("  <!-- a\n  b --> <!-- c -->\n"), Html::Comments);
        assert_eq!(classify("<!---->"), Html::Comments);
        assert_eq!(classify("<!-->"), Html::Comments);
    }

    #[test]
    fn unclosed_comment_and_text_after_one() {
        assert_eq!(classify("<!-- a\nb\n"), Html::Unclosed(0..4));
        assert_eq!(classify("<!-- a --> <!-- b"), Html::Unclosed(11..15));
        let raw = "<!-- a --> Zie ook\nmeer";
        assert_eq!(classify(raw), Html::TextAfterComment(11..18));
    }

    #[test]
    fn tags_are_named() {
        let Html::Tag { text, name, closing, range } = classify("<div class=\"x\">hi</div>\n") else {
            panic!()
        };
        assert_eq!(
            (text.as_str(), name.as_str(), closing, range),
            ("<div class=\"x\">", "div", false, 0..15)
        );
        let Html::Tag { name, closing, .. } = classify("</B>") else { panic!() };
        assert_eq!((name.as_str(), closing), ("b", true));
        let Html::Tag { name, text, .. } = classify("<?php echo\n") else { panic!() };
        assert_eq!((name.as_str(), text.as_str()), ("", "<?php echo"));
    }
}

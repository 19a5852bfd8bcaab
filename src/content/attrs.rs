//! Attributes after an image, pandoc-style: `![alt](images/x.svg "caption"){width=50%}`. The
//! only attribute is the figure's width, a percentage of the text column.

use std::ops::Range;

/// The smallest and largest width, in percent of the text column.
pub const WIDTH_PERCENT: (u32, u32) = (5, 100);

/// The hint every attribute error carries: the syntax.
pub const HINT: &str = "size a figure with `{width=NN%}` (NN from 5 to 100) right after the image: `![alt](images/x.svg \"caption\"){width=50%}`";

/// A mistake in the braces, with where it is in the text given to [`width`].
#[derive(Debug, Clone, PartialEq)]
pub struct AttrError {
    /// What is wrong, one lowercase line.
    pub message: String,
    /// Where.
    pub range: Range<usize>,
}

/// Reads the `{…}` at the start of `s`: the width as a fraction of the text column, and how
/// many bytes the braces take.
pub fn width(s: &str) -> Result<(f64, usize), AttrError> {
    let line = s.find('\n').unwrap_or(s.len());
    let Some(close) = s[..line].find('}') else {
        return Err(AttrError {
            message: format!("malformed figure attributes `{}` (no closing `}}`)", s[..line].trim_end()),
            range: 0..line,
        });
    };
    let inner = &s[1..close];
    let mut width = None;
    let mut pos = 1;
    for token in inner.split(' ') {
        let range = pos..pos + token.len();
        pos += token.len() + 1;
        if token.is_empty() {
            continue;
        }
        let err = |message: String| Err(AttrError { message, range: range.clone() });
        let Some(value) = token.strip_prefix("width=") else {
            return err(format!("unknown figure attribute `{token}`"));
        };
        let percent = value
            .strip_suffix('%')
            .filter(|n| !n.is_empty() && n.len() <= 3 && n.bytes().all(|b| b.is_ascii_digit()))
            .and_then(|n| n.parse::<u32>().ok());
        let Some(percent) = percent else {
            return err(format!("figure width `{value}` is not a whole percentage"));
        };
        if !(WIDTH_PERCENT.0..=WIDTH_PERCENT.1).contains(&percent) {
            return err(format!("figure width `{value}` is outside 5% to 100%"));
        }
        if width.replace(f64::from(percent) / 100.0).is_some() {
            return err("the figure width is given twice".to_owned());
        }
    }
    match width {
        Some(w) => Ok((w, close + 1)),
        None => Err(AttrError { message: "empty figure attributes `{}`".to_owned(), range: 0..close + 1 }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn message(s: &str) -> (String, &str) {
        let e = width(s).unwrap_err();
        (e.message, &s[e.range])
    }

    #[test]
    fn reads_a_percentage() {
        assert_eq!(width("{width=50%} rest"), Ok((0.5, 11)));
        assert_eq!(width("{ width=100% }"), Ok((1.0, 14)));
        assert_eq!(width("{width=5%}"), Ok((0.05, 10)));
    }

    #[test]
    fn explains_every_mistake() {
        assert_eq!(
            message("{width=50%"),
            ("malformed figure attributes `{width=50%` (no closing `}`)".into(), "{width=50%")
        );
        assert_eq!(message("{height=3cm}"), ("unknown figure attribute `height=3cm`".into(), "height=3cm"));
        assert_eq!(message("{.small}"), ("unknown figure attribute `.small`".into(), ".small"));
        assert_eq!(message("{width=50}"), ("figure width `50` is not a whole percentage".into(), "width=50"));
        assert_eq!(
            message("{width=7.5%}"),
            ("figure width `7.5%` is not a whole percentage".into(), "width=7.5%")
        );
        assert_eq!(
            message("{width=150%}"),
            ("figure width `150%` is outside 5% to 100%".into(), "width=150%")
        );
        assert_eq!(message("{width=4%}"), ("figure width `4%` is outside 5% to 100%".into(), "width=4%"));
        assert_eq!(message("{width=50% width=60%}"), ("the figure width is given twice".into(), "width=60%"));
        assert_eq!(message("{}"), ("empty figure attributes `{}`".into(), "{}"));
    }
}

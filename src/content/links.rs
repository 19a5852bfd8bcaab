//! Link targets. A PDF can only follow a full address, so a target is `https://…`, `http://…`,
//! `mailto:…` or `tel:…`, or starts with a variable the brand fills in: `{website}` (optionally
//! followed by a path, `{website}/contact`), `{email}` or `{phone}`.

use super::vars::{NAMES, URL_NAMES};

/// The hint every link-target error carries.
pub const HINT: &str = "write a full address (`https://…`, `mailto:…`, `tel:…`), or `{website}` (optionally followed by a path, `{website}/contact`), `{email}` or `{phone}` for the practice's own";

/// Why a link target cannot be used: a message, lowercase, and the part of the target at fault.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// What is wrong.
    pub message: String,
    /// The offending text in the target (a variable, or the whole target).
    pub culprit: String,
}

/// Checks a link target as written (variables not yet filled in).
pub fn check(url: &str) -> Result<(), Problem> {
    let problem = |message: String, culprit: &str| Err(Problem { message, culprit: culprit.to_owned() });
    if url.trim().is_empty() {
        return problem("a link without a target".to_owned(), url);
    }
    if let Some(inner) = url.strip_prefix('{')
        && let Some(close) = inner.find('}')
    {
        let name = &inner[..close];
        let var = &url[..close + 2];
        let rest = &inner[close + 1..];
        if !NAMES.contains(&name) {
            return problem(format!("unknown variable `{var}` in a link target"), var);
        }
        if !URL_NAMES.contains(&name) {
            return problem(format!("`{var}` is not an address a link can go to"), var);
        }
        let fits = !rest.contains('{')
            && match name {
                "website" => rest.is_empty() || rest.starts_with(['/', '?', '#']),
                "email" => rest.is_empty() || rest.starts_with('?'),
                _ => rest.is_empty(),
            };
        return if fits { Ok(()) } else { problem(format!("malformed link target `{url}`"), url) };
    }
    if let Some(open) = url.find('{')
        && let Some(len) = url[open..].find('}')
    {
        let var = &url[open..=open + len];
        return problem(format!("`{var}` can only stand at the start of a link target"), var);
    }
    let lower = url.to_ascii_lowercase();
    let full = ["https://", "http://", "mailto:", "tel:"]
        .iter()
        .any(|s| lower.starts_with(s) && lower.len() > s.len());
    if full {
        Ok(())
    } else {
        problem(format!("link target `{url}` is not a web, e-mail or phone address"), url)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn message(url: &str) -> String {
        check(url).unwrap_err().message
    }

    #[test]
    fn full_addresses_and_brand_variables_pass() {
        for ok in [
            "https://example.org/a?b#c",
            "HTTP://example.org",
            "mailto:info@example.org",
            "tel:+3291234567",
            "{website}",
            "{website}/afspraak",
            "{email}",
            "{email}?subject=Vraag",
            "{phone}",
        ] {
            assert_eq!(check(ok), Ok(()), "{ok}");
        }
    }

    #[test]
    fn everything_else_is_named() {
        assert_eq!(message("{webstie}"), "unknown variable `{webstie}` in a link target");
        assert_eq!(message("{practice}"), "`{practice}` is not an address a link can go to");
        assert_eq!(message("{phone}/x"), "malformed link target `{phone}/x`");
        assert_eq!(message("{website}/{practice}"), "malformed link target `{website}/{practice}`");
        assert_eq!(message("https://{website}"), "`{website}` can only stand at the start of a link target");
        assert_eq!(
            message("www.example.org"),
            "link target `www.example.org` is not a web, e-mail or phone address"
        );
        assert_eq!(message("#what-is"), "link target `#what-is` is not a web, e-mail or phone address");
        assert_eq!(message(""), "a link without a target");
        assert_eq!(message("https://"), "link target `https://` is not a web, e-mail or phone address");
    }
}

//! Governance of a leaflet as a document: who reviewed it and by when it must be reviewed
//! again. A leaflet past its review-by date is withdrawn or re-approved (NHS trusts, PIF
//! TICK); leafpress warns 90 days ahead and, past the date, withholds it or marks it a draft
//! (`[project] expired`).

use std::ops::Range;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::Content;
use crate::diag::{Diagnostic, Severity};

/// Why a document is built as a draft, with a mark on every page.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Draft {
    /// The translation's source changed since it was accepted.
    StaleTranslation,
    /// The leaflet is past its review-by date.
    Expired,
}

impl Draft {
    /// The reason in words, for messages.
    pub fn describe(self) -> &'static str {
        match self {
            Draft::StaleTranslation => "the translation's source changed since it was accepted",
            Draft::Expired => "past its review date",
        }
    }

    /// The reason as the manifest and the summary write it.
    pub fn name(self) -> &'static str {
        match self {
            Draft::StaleTranslation => "stale-translation",
            Draft::Expired => "expired",
        }
    }
}

/// How many days before review-by `check` and `build` start to warn.
pub const DUE_SOON_DAYS: i64 = 90;

/// Where a leaflet stands against its review-by date on `today`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReviewState {
    /// More than [`DUE_SOON_DAYS`] to go.
    Current,
    /// Due within [`DUE_SOON_DAYS`]: this many days left (0 on the day itself).
    DueSoon(i64),
    /// Past the date by this many days.
    Expired(i64),
}

/// The state of `content` on `today`.
pub fn state(content: &Content, today: NaiveDate) -> ReviewState {
    let left = (content.front.review_by - today).num_days();
    if left < 0 {
        ReviewState::Expired(-left)
    } else if left <= DUE_SOON_DAYS {
        ReviewState::DueSoon(left)
    } else {
        ReviewState::Current
    }
}

/// The message for a state other than current, at the review-by line: an error (or a
/// warning, when the policy builds the leaflet as a draft) past the date, a warning before.
pub fn diagnostic(content: &Content, state: ReviewState, severity: Severity) -> Option<Diagnostic> {
    let file = crate::diag::display_path(&content.path);
    let date = content.front.review_by;
    let (d, hint) = match state {
        ReviewState::Current => return None,
        ReviewState::DueSoon(left) => (
            Diagnostic::warning(format!(
                "`{file}` is due for review in {left} day{} (review-by {date})",
                plural(left)
            )),
            "have it reviewed, then set a new `version`, `published` and `review-by` (at most 3 years on)",
        ),
        ReviewState::Expired(ago) => (
            Diagnostic::new(
                severity,
                format!(
                    "`{file}` is past its review date: review-by {date} was {ago} day{} ago",
                    plural(ago)
                ),
            ),
            "a leaflet past review is withdrawn until it is reviewed again: review it, then set a new `version`, `published` and `review-by`; or set `expired = \"draft\"` under [project] to print it marked as a draft meanwhile",
        ),
    };
    Some(d.at(&content.path, &content.text, front_key(content, "review-by")).hint(hint))
}

fn plural(n: i64) -> &'static str {
    if n == 1 { "" } else { "s" }
}

/// Where the front matter writes `key = …` (the key), or else its opening `+++`.
pub fn front_key(content: &Content, key: &str) -> Range<usize> {
    let text = &content.text;
    let end = text.get(3..).and_then(|t| t.find("+++")).map_or(0, |i| i + 3);
    text[..end]
        .match_indices(key)
        .find(|(i, _)| {
            (*i == 0 || text[..*i].ends_with('\n')) && text[i + key.len()..].trim_start().starts_with('=')
        })
        .map_or(text.find("+++").map_or(0..0, |i| i..i + 3), |(i, k)| i..i + k.len())
}

/// A warning (an error with `severity` so) when no one reviewed the content: the governance
/// block then says the leaflet was not reviewed. At the `reviewers` line, or else at the
/// front matter's opening.
pub fn review_warning(content: &Content, severity: Severity) -> Option<Diagnostic> {
    if !content.front.reviewers.is_empty() {
        return None;
    }
    Some(
        Diagnostic::new(severity, format!("`{}` names no reviewers", crate::diag::display_path(&content.path)))
            .at(&content.path, &content.text, front_key(content, "reviewers"))
            .hint("patient information is checked by a second clinician before it is printed; the leaflet says it was not reviewed until `reviewers = [\"Name, profession\"]` names them"),
    )
}

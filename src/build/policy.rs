//! What the project's policies make of one content file before it is planned: built as it
//! is, built as a draft (a mark on every page, recorded in the manifest), or withheld while
//! the rest of the matrix builds.
//!
//! - A translation with parity errors is withheld: its structure differs from the source.
//! - A stale translation follows `[project] stale-translations` (draft by default).
//! - A leaflet past its review-by date follows `[project] expired` (withheld by default);
//!   one due within 90 days gets a warning.

use crate::content::Content;
pub use crate::content::review::Draft;
use crate::content::review::{self, ReviewState};
use crate::diag::{Diagnostic, Severity, Sink};
use crate::project::config::{ExpiredPolicy, StalePolicy};
use crate::translation;

/// The policies' verdict on one content file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// Build it, as a draft for the reason given, if any; `true` when it is a translation
    /// whose source changed since it was accepted (a draft or not, by the policy).
    Build(Option<Draft>, bool),
    /// Build none of its documents, for this reason (its errors are in `held`).
    Withhold(&'static str),
}

/// Judges `content` (a translation of `source` when that is given) on `today`; `strict`
/// makes warnings errors. Problems that fail the whole build and warnings go to `sink`; the
/// errors that withhold this file go to `held`. `build` and `status` both decide by it.
pub fn judge(
    (today, strict): (chrono::NaiveDate, bool),
    policies: (StalePolicy, ExpiredPolicy),
    source: Option<&Content>,
    content: &Content,
    sink: &mut Sink,
    held: &mut Vec<Diagnostic>,
) -> Verdict {
    let (stale_policy, expired_policy) = policies;
    let severity = if strict { Severity::Error } else { Severity::Warning };
    let mut draft = None;
    match review::state(content, today) {
        ReviewState::Current => {}
        state @ ReviewState::DueSoon(_) => {
            // Not made an error by --strict: CI should not fail months ahead of the date.
            sink.extend(crate::diag::Diagnostics(
                review::diagnostic(content, state, Severity::Warning).into_iter().collect(),
            ));
        }
        state @ ReviewState::Expired(_) => match expired_policy {
            ExpiredPolicy::Error => {
                held.extend(review::diagnostic(content, state, Severity::Error));
                return Verdict::Withhold("past its review date");
            }
            ExpiredPolicy::Draft => {
                sink.extend(crate::diag::Diagnostics(
                    review::diagnostic(content, state, severity).into_iter().collect(),
                ));
                draft = Some(Draft::Expired);
            }
        },
    }
    match translation(strict, stale_policy, source, content, sink, held) {
        Verdict::Build(stale_draft, stale) => Verdict::Build(draft.or(stale_draft), stale),
        withheld => withheld,
    }
}

/// Checks a translation against its source (`None`: it is the source): parity errors hold it
/// back; staleness warns, makes a draft or holds it back as the policy says.
pub fn translation(
    strict: bool,
    stale_policy: StalePolicy,
    source: Option<&Content>,
    content: &Content,
    sink: &mut Sink,
    held: &mut Vec<Diagnostic>,
) -> Verdict {
    let severity = if strict { Severity::Error } else { Severity::Warning };
    let mut draft = None;
    let Some(source) = source else { return Verdict::Build(draft, false) };
    let mut parity = Sink::default();
    translation::parity::check(source, content, &mut parity);
    if let Err(errors) = parity.finish() {
        held.extend(errors.0);
        return Verdict::Withhold("parity errors");
    }
    let stale_severity = if stale_policy == StalePolicy::Error { Severity::Error } else { severity };
    let mut stale = Sink::default();
    translation::stale::check(source, content, stale_severity, &mut stale);
    let stale = stale.finish();
    let is_stale = stale.as_ref().map_or(true, |w| !w.is_empty());
    match (stale, stale_policy) {
        (Err(errors), StalePolicy::Error) => {
            held.extend(errors.0);
            return Verdict::Withhold("stale translation");
        }
        (Err(errors), _) => sink.extend(errors),
        (Ok(warnings), policy) => {
            if !warnings.is_empty() && policy == StalePolicy::Draft {
                draft = draft.or(Some(Draft::StaleTranslation));
            }
            warnings.into_iter().for_each(|w| sink.push(w));
        }
    }
    Verdict::Build(draft, is_stale)
}

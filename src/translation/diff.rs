//! What changed in a source part since its translation was accepted, as a word diff short
//! enough for a warning: each change with a few words around it, `[-removed-]{+added+}`.

use similar::{ChangeTag, TextDiff};

/// Words of context on each side of a change.
const CONTEXT: usize = 5;

/// The longest a diff may take before it settles for a coarser result.
const DEADLINE: std::time::Duration = std::time::Duration::from_millis(200);

/// The most changes shown; the rest are counted.
const MAX_CHANGES: usize = 4;

/// One hint per change from `then` to `now` (whitespace differences ignored), at most
/// [`MAX_CHANGES`], then one that counts the rest.
pub fn hints(then: &str, now: &str) -> Vec<String> {
    let (then, now) = (normalise(then), normalise(now));
    // A deadline keeps a rewritten 500 KB section from taking long: past it, the diff is
    // coarser, never wrong.
    let diff = TextDiff::configure().timeout(DEADLINE).diff_words(then.as_str(), now.as_str());
    // Tokens: (tag, text), whitespace tokens kept so the snippet reads naturally.
    let tokens: Vec<(ChangeTag, &str)> = diff.iter_all_changes().map(|c| (c.tag(), c.value())).collect();
    let mut changes = Vec::new();
    let mut i = 0;
    while i < tokens.len() {
        if tokens[i].0 == ChangeTag::Equal {
            i += 1;
            continue;
        }
        let start = i;
        // A change runs on over whitespace between changed words.
        let mut end = i;
        while end < tokens.len()
            && (tokens[end].0 != ChangeTag::Equal
                || (tokens[end].1.trim().is_empty()
                    && tokens.get(end + 1).is_some_and(|t| t.0 != ChangeTag::Equal)))
        {
            end += 1;
        }
        changes.push((start, end));
        i = end;
    }
    let total = changes.len();
    let mut out: Vec<String> = changes
        .iter()
        .take(MAX_CHANGES)
        .map(|&(start, end)| {
            let before = words_before(&tokens[..start]);
            let after = words_after(&tokens[end..]);
            let removed: String =
                tokens[start..end].iter().filter(|t| t.0 != ChangeTag::Insert).map(|t| t.1).collect();
            let added: String =
                tokens[start..end].iter().filter(|t| t.0 != ChangeTag::Delete).map(|t| t.1).collect();
            let mut mid = String::new();
            if !removed.trim().is_empty() {
                mid.push_str(&format!("[-{}-]", removed.trim()));
            }
            if !added.trim().is_empty() {
                mid.push_str(&format!("{{+{}+}}", added.trim()));
            }
            let after = after.trim_end();
            let space = |s: &str, at_start: bool| {
                let edge = if at_start { s.chars().next() } else { s.chars().last() };
                if edge.is_some_and(|c| !c.is_whitespace() && c != '…') { " " } else { "" }
            };
            let (lead, gap) = (space(&before, false), space(after, true));
            format!("source change: “{before}{lead}{mid}{gap}{after}”")
        })
        .collect();
    if total > MAX_CHANGES {
        out.push(format!(
            "and {} more change{} in the source of this part",
            total - MAX_CHANGES,
            plural(total - MAX_CHANGES)
        ));
    }
    out
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

/// Runs of whitespace as one space, so re-wrapping is no change (as for fingerprints).
fn normalise(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The last [`CONTEXT`] words (with their spaces) before a change, as the source reads now
/// (an earlier change's new words included).
fn words_before(tokens: &[(ChangeTag, &str)]) -> String {
    let kept: Vec<&str> = tokens.iter().filter(|t| t.0 != ChangeTag::Delete).map(|t| t.1).collect();
    let mut words = 0;
    let mut from = kept.len();
    while from > 0 && words < CONTEXT {
        from -= 1;
        if !kept[from].trim().is_empty() {
            words += 1;
        }
    }
    let text: String = kept[from..].concat();
    if from > 0 { format!("…{text}") } else { text }
}

/// The first [`CONTEXT`] words after a change.
fn words_after(tokens: &[(ChangeTag, &str)]) -> String {
    let mut out = String::new();
    let mut words = 0;
    for t in tokens.iter().take_while(|t| t.0 == ChangeTag::Equal) {
        if !t.1.trim().is_empty() {
            if words == CONTEXT {
                out.truncate(out.trim_end().len());
                out.push('…');
                return out;
            }
            words += 1;
        }
        out.push_str(t.1);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shows_each_change_in_its_words() {
        let then = "## Titel {#x}\n\nEen hernia is niet\ngevaarlijk. Beweeg zoveel je kan.";
        let now =
            "## Titel {#x}\n\nEen hernia is meestal niet gevaarlijk. Beweeg zoveel je kan, ook met pijn.";
        assert_eq!(
            hints(then, now),
            [
                "source change: “…Titel {#x} Een hernia is {+meestal+} niet gevaarlijk. Beweeg zoveel je”",
                "source change: “…niet gevaarlijk. Beweeg zoveel je [-kan.-]{+kan, ook met pijn.+}”",
            ]
        );
        assert!(hints("Een zin\nover twee regels.", "Een zin over twee regels.").is_empty());
    }

    #[test]
    fn counts_what_it_does_not_show() {
        let then = "a b c d e f g h i j k l m n o p q r s t u v w x y z";
        let now = "A b c d e F g h i j K l m n o P q r s t U v w x y Z";
        let h = hints(then, now);
        assert_eq!(h.len(), MAX_CHANGES + 1);
        assert_eq!(h.last().unwrap(), "and 2 more changes in the source of this part");
    }
}

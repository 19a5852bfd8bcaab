//! A YAML document as a tree of nodes that know where they are written, for pointing at a
//! field of `references.yml`: Hayagriva's parser (serde) keeps no positions and ignores the
//! fields it does not know.

use std::ops::Range;

use yaml_rust::parser::{Event, MarkedEventReceiver, Parser};
use yaml_rust::scanner::{Marker, TScalarStyle};

/// How deep a tree may nest before it is not built (Hayagriva refuses such a file anyway; this
/// keeps the walks over the tree shallow).
const MAX_DEPTH: usize = 64;

/// One node and where it starts.
#[derive(Debug, Clone)]
pub struct Node {
    /// What it is.
    pub value: Value,
    /// Byte offset of its first character in the file.
    pub start: usize,
}

/// A node's value.
#[derive(Debug, Clone)]
pub enum Value {
    /// A scalar as written (without quotes); `plain` when it was not quoted.
    Scalar { text: String, plain: bool },
    /// A sequence.
    Seq(Vec<Node>),
    /// A mapping, in the order written.
    Map(Vec<(Node, Node)>),
    /// An alias (`*name`), not followed.
    Alias,
}

impl Node {
    /// The scalar's text, if the node is a scalar.
    pub fn text(&self) -> Option<&str> {
        match &self.value {
            Value::Scalar { text, .. } => Some(text),
            _ => None,
        }
    }

    /// The mapping's pairs, if the node is a mapping.
    pub fn pairs(&self) -> Option<&[(Node, Node)]> {
        match &self.value {
            Value::Map(pairs) => Some(pairs),
            _ => None,
        }
    }

    /// The value of `key` in a mapping.
    pub fn get(&self, key: &str) -> Option<&Node> {
        self.pairs()?.iter().find(|(k, _)| k.text() == Some(key)).map(|(_, v)| v)
    }

    /// The items of a sequence, or the node itself (Hayagriva's "one or many").
    pub fn one_or_many(&self) -> Vec<&Node> {
        match &self.value {
            Value::Seq(items) => items.iter().collect(),
            _ => vec![self],
        }
    }

    /// The byte range to mark for this node in `text`: a scalar on one line whole, anything
    /// else its first character.
    pub fn range(&self, text: &str) -> Range<usize> {
        let rest = &text[self.start.min(text.len())..];
        let line = &rest[..rest.find(['\n', '\r']).unwrap_or(rest.len())];
        let len = match &self.value {
            Value::Scalar { text: written, .. } if line.starts_with(written.as_str()) => written.len(),
            Value::Scalar { .. } if line.starts_with(['"', '\'']) => {
                let quote = line.as_bytes()[0] as char;
                line[1..].find(quote).map_or(1, |end| end + 2)
            }
            _ => line.chars().next().map_or(0, char::len_utf8),
        };
        self.start..self.start + len.max(1)
    }

    /// The node as JSON, with plain scalars typed as YAML types them (null, booleans,
    /// numbers): what Hayagriva's deserializer would see.
    pub fn to_json(&self) -> serde_json::Value {
        use serde_json::Value as J;
        match &self.value {
            Value::Scalar { text, plain: false } => J::String(text.clone()),
            Value::Scalar { text, plain: true } => plain_scalar(text),
            Value::Seq(items) => J::Array(items.iter().map(Node::to_json).collect()),
            Value::Map(pairs) => J::Object(
                pairs.iter().filter_map(|(k, v)| Some((k.text()?.to_owned(), v.to_json()))).collect(),
            ),
            Value::Alias => J::Null,
        }
    }
}

/// A plain scalar as YAML resolves it.
fn plain_scalar(text: &str) -> serde_json::Value {
    use serde_json::Value as J;
    match text {
        "" | "~" | "null" | "Null" | "NULL" => return J::Null,
        "true" | "True" | "TRUE" => return J::Bool(true),
        "false" | "False" | "FALSE" => return J::Bool(false),
        _ => {}
    }
    if let Ok(n) = text.parse::<i64>() {
        return J::from(n);
    }
    if let Ok(n) = text.parse::<u64>() {
        return J::from(n);
    }
    let numeric = text.chars().all(|c| c.is_ascii_digit() || "+-.eE".contains(c))
        && text.chars().any(|c| c.is_ascii_digit());
    match text.parse::<f64>() {
        Ok(f) if numeric && f.is_finite() => J::from(f),
        _ => J::String(text.to_owned()),
    }
}

/// Parses the first document of `text`; `None` when it is not YAML this parser reads, or
/// nests too deep.
pub fn parse(text: &str) -> Option<Node> {
    let offsets = text.char_indices().map(|(b, _)| b).chain([text.len()]).collect();
    let mut builder = Builder { offsets, stack: Vec::new(), root: None, too_deep: false };
    Parser::new(text.chars()).load(&mut builder, false).ok()?;
    if builder.too_deep {
        return None;
    }
    builder.root
}

/// A sequence or mapping being built.
enum Frame {
    Seq(usize, Vec<Node>),
    Map(usize, Vec<(Node, Node)>, Option<Node>),
}

/// Builds the tree from the parser's events.
struct Builder {
    /// Byte offset of each character (the parser counts characters).
    offsets: Vec<usize>,
    stack: Vec<Frame>,
    root: Option<Node>,
    too_deep: bool,
}

impl Builder {
    fn byte(&self, mark: Marker) -> usize {
        self.offsets.get(mark.index()).copied().unwrap_or_else(|| self.offsets.last().copied().unwrap_or(0))
    }

    fn push(&mut self, node: Node) {
        match self.stack.last_mut() {
            None => {
                if self.root.is_none() {
                    self.root = Some(node);
                }
            }
            Some(Frame::Seq(_, items)) => items.push(node),
            Some(Frame::Map(_, pairs, key)) => match key.take() {
                None => *key = Some(node),
                Some(k) => pairs.push((k, node)),
            },
        }
    }

    fn open(&mut self, frame: Frame) {
        if self.stack.len() >= MAX_DEPTH {
            self.too_deep = true;
        }
        self.stack.push(frame);
    }
}

impl MarkedEventReceiver for Builder {
    fn on_event(&mut self, event: Event, mark: Marker) {
        let start = self.byte(mark);
        match event {
            Event::Scalar(text, style, _, _) => {
                let plain = style == TScalarStyle::Plain;
                self.push(Node { value: Value::Scalar { text, plain }, start });
            }
            Event::Alias(_) => self.push(Node { value: Value::Alias, start }),
            Event::SequenceStart(_) => self.open(Frame::Seq(start, Vec::new())),
            Event::MappingStart(_) => self.open(Frame::Map(start, Vec::new(), None)),
            Event::SequenceEnd | Event::MappingEnd => {
                // A block collection's event may be marked after its first item (at the
                // `:` of its first key): it starts where its first item does, if earlier.
                let node = match self.stack.pop() {
                    Some(Frame::Seq(start, items)) => {
                        let start = items.first().map_or(start, |i| i.start.min(start));
                        Node { value: Value::Seq(items), start }
                    }
                    Some(Frame::Map(start, pairs, _)) => {
                        let start = pairs.first().map_or(start, |(k, _)| k.start.min(start));
                        Node { value: Value::Map(pairs), start }
                    }
                    None => return,
                };
                self.push(node);
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_know_where_they_are() {
        let text = "a:\n  type: article\n  \"title\": Tëst: x\n  parent: {type: periodical, title: T}\n";
        let text = text.replace("Tëst: x", "\"Tëst: x\"");
        let root = parse(&text).unwrap();
        let (key, entry) = &root.pairs().unwrap()[0];
        assert_eq!(key.text(), Some("a"));
        assert_eq!(key.range(&text), 0..1);
        let pairs = entry.pairs().unwrap();
        assert_eq!(&text[pairs[0].0.range(&text)], "type");
        assert_eq!(&text[pairs[1].0.range(&text)], "\"title\"");
        assert_eq!(&text[pairs[1].1.range(&text)], "\"Tëst: x\"");
        let parent = entry.get("parent").unwrap();
        assert_eq!(&text[parent.get("title").unwrap().range(&text)], "T");
        assert_eq!(parent.to_json(), serde_json::json!({"type": "periodical", "title": "T"}));
    }

    #[test]
    fn plain_scalars_are_typed() {
        assert_eq!(plain_scalar("2020"), serde_json::json!(2020));
        assert_eq!(plain_scalar("2020-03-15"), serde_json::json!("2020-03-15"));
        assert_eq!(plain_scalar("120-130"), serde_json::json!("120-130"));
        assert_eq!(plain_scalar("1.5"), serde_json::json!(1.5));
        assert_eq!(plain_scalar("~"), serde_json::Value::Null);
        assert_eq!(plain_scalar("inf"), serde_json::json!("inf"));
    }

    #[test]
    fn too_deep_is_not_built() {
        let text = format!("{}{}", "[".repeat(100), "]".repeat(100));
        assert!(parse(&text).is_none());
        assert!(parse("a: [[[1]]]").is_some());
    }
}

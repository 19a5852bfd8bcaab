//! A page's content stream made fit to share a sheet side: its resources renamed and its
//! marked-content ids shifted, token by token, every other byte as it was. Reading the stream
//! into operations and writing it out again (lopdf's `Content`) costs several times as much
//! and is kept for what this does not read (an inline image, an escaped name).

use super::Renames;

/// `content` with the resources its operators name renamed as `names` says (per category)
/// and the marked-content ids of its `BDC`/`DP` property lists raised by `offset`; `None` for
/// a stream this does not read (an inline image, a name with `#` escapes, an unbalanced or
/// unknown delimiter): the caller parses that one in full.
pub(super) fn rewrite(content: &[u8], names: &Renames, offset: i64) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(content.len() + 64);
    // Bytes of `content` already in `out`.
    let mut copied = 0;
    // The tokens since the last operator, its operands.
    let mut operands: Vec<Token> = Vec::new();
    let mut depth = 0usize;
    let mut i = 0;
    let n = content.len();
    while i < n {
        let c = content[i];
        if is_white(c) {
            i += 1;
            continue;
        }
        let start = i;
        match c {
            b'%' => {
                while i < n && content[i] != b'\n' && content[i] != b'\r' {
                    i += 1;
                }
            }
            b'(' => {
                i = literal_string_end(content, i)?;
                operands.push(Token { start, end: i, kind: Kind::Other, depth });
            }
            b'<' if content.get(i + 1) == Some(&b'<') => {
                operands.push(Token { start, end: i + 2, kind: Kind::Open, depth });
                depth += 1;
                i += 2;
            }
            b'>' if content.get(i + 1) == Some(&b'>') => {
                depth = depth.checked_sub(1)?;
                i += 2;
            }
            b'<' => {
                i += content[i..].iter().position(|&b| b == b'>')? + 1;
                operands.push(Token { start, end: i, kind: Kind::Other, depth });
            }
            b'[' => {
                operands.push(Token { start, end: i + 1, kind: Kind::Open, depth });
                depth += 1;
                i += 1;
            }
            b']' => {
                depth = depth.checked_sub(1)?;
                i += 1;
            }
            b'/' => {
                i += 1;
                while i < n && !is_white(content[i]) && !is_delimiter(content[i]) {
                    i += 1;
                }
                if content[start..i].contains(&b'#') {
                    return None;
                }
                operands.push(Token { start, end: i, kind: Kind::Name, depth });
            }
            b')' | b'>' | b'{' | b'}' => return None,
            _ => {
                while i < n && !is_white(content[i]) && !is_delimiter(content[i]) {
                    i += 1;
                }
                let word = &content[start..i];
                let kind = if word.iter().all(|b| b.is_ascii_digit() || matches!(b, b'+' | b'-' | b'.')) {
                    Kind::Number
                } else if depth > 0 || matches!(word, b"true" | b"false" | b"null") {
                    Kind::Other
                } else {
                    // An operator: rename and shift its operands, then start the next.
                    if matches!(word, b"BI" | b"ID" | b"EI") {
                        return None;
                    }
                    for (at, new) in edits(content, word, &operands, names, offset) {
                        let t = &operands[at];
                        out.extend_from_slice(&content[copied..t.start]);
                        out.extend_from_slice(&new);
                        copied = t.end;
                    }
                    operands.clear();
                    continue;
                };
                operands.push(Token { start, end: i, kind, depth });
            }
        }
    }
    if depth != 0 {
        return None;
    }
    out.extend_from_slice(&content[copied..]);
    Some(out)
}

/// What a token is, as far as renaming and shifting need to know.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Name,
    Number,
    /// `<<` or `[`: the start of an operand that is a dictionary or an array.
    Open,
    Other,
}

/// One token of the content stream.
struct Token {
    start: usize,
    end: usize,
    kind: Kind,
    /// Inside how many dictionaries and arrays.
    depth: usize,
}

/// The operands of `operator` to replace (index into `operands`, new bytes), in order.
fn edits(
    content: &[u8],
    operator: &[u8],
    operands: &[Token],
    names: &Renames,
    offset: i64,
) -> Vec<(usize, Vec<u8>)> {
    // The operands themselves, not what is inside a dictionary or array operand.
    let top: Vec<usize> = (0..operands.len()).filter(|&k| operands[k].depth == 0).collect();
    let rename = |k: usize, category: &[u8]| -> Option<(usize, Vec<u8>)> {
        let t = &operands[k];
        if t.kind != Kind::Name {
            return None;
        }
        let new = names.get(category)?.get(&content[t.start + 1..t.end])?;
        Some((k, [b"/".as_slice(), new].concat()))
    };
    let first = |category: &[u8]| top.first().and_then(|&k| rename(k, category)).into_iter().collect();
    match operator {
        b"Tf" => first(b"Font"),
        b"Do" => first(b"XObject"),
        b"gs" => first(b"ExtGState"),
        b"cs" | b"CS" => first(b"ColorSpace"),
        b"sh" => first(b"Shading"),
        b"scn" | b"SCN" => top.iter().filter_map(|&k| rename(k, b"Pattern")).collect(),
        b"BDC" | b"DP" => match top.get(1) {
            Some(&k) if operands[k].kind == Kind::Name => rename(k, b"Properties").into_iter().collect(),
            Some(&k) if operands[k].kind == Kind::Open && offset != 0 => {
                // The property list's `/MCID n`, directly inside it.
                let inside = |j: usize| operands[j].depth == 1;
                (k + 1..operands.len().saturating_sub(1))
                    .filter(|&j| {
                        inside(j)
                            && operands[j].kind == Kind::Name
                            && &content[operands[j].start..operands[j].end] == b"/MCID"
                    })
                    .filter_map(|j| {
                        let v = &operands[j + 1];
                        let mcid: i64 = std::str::from_utf8(&content[v.start..v.end]).ok()?.parse().ok()?;
                        (inside(j + 1) && v.kind == Kind::Number)
                            .then(|| (j + 1, (mcid + offset).to_string().into_bytes()))
                    })
                    .collect()
            }
            _ => Vec::new(),
        },
        _ => Vec::new(),
    }
}

/// The index just past the literal string that starts at `at` (balanced parentheses,
/// backslash escapes), if it ends.
fn literal_string_end(content: &[u8], at: usize) -> Option<usize> {
    let mut level = 0usize;
    let mut i = at;
    loop {
        match content.get(i)? {
            b'\\' => i += 2,
            b'(' => {
                level += 1;
                i += 1;
            }
            b')' => {
                level -= 1;
                i += 1;
                if level == 0 {
                    return Some(i);
                }
            }
            _ => i += 1,
        }
    }
}

fn is_white(c: u8) -> bool {
    matches!(c, b'\0' | b'\t' | b'\n' | b'\x0c' | b'\r' | b' ')
}

fn is_delimiter(c: u8) -> bool {
    matches!(c, b'(' | b')' | b'<' | b'>' | b'[' | b']' | b'{' | b'}' | b'/' | b'%')
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use lopdf::content::Content;

    use super::*;

    fn names() -> Renames {
        let mut names = Renames::new();
        for (category, old) in
            [("Font", "f0"), ("XObject", "x0"), ("Properties", "m0"), ("Pattern", "p0"), ("ExtGState", "g0")]
        {
            names.insert(
                category.as_bytes().to_vec(),
                BTreeMap::from([(old.as_bytes().to_vec(), format!("P1{old}").into_bytes())]),
            );
        }
        names
    }

    #[test]
    fn renames_the_resources_operators_name_and_shifts_marked_content_ids() {
        let content = b"/P <</MCID 3>> BDC BT /f0 12 Tf [<0012> -20 (a\\) /f0 (b)c)] TJ ET EMC\n\
                        /Span <</Lang (nl) /MCID 0 /Alt (/MCID 9)>> BDC /x0 Do EMC /OC /m0 BDC /g0 gs \
                        /Pattern cs /p0 scn % /f0 Tf in a comment\n/Artifact BMC /f0 Tf EMC";
        let out = String::from_utf8(rewrite(content, &names(), 10).unwrap()).unwrap();
        assert_eq!(
            out,
            "/P <</MCID 13>> BDC BT /P1f0 12 Tf [<0012> -20 (a\\) /f0 (b)c)] TJ ET EMC\n\
             /Span <</Lang (nl) /MCID 10 /Alt (/MCID 9)>> BDC /P1x0 Do EMC /OC /P1m0 BDC /P1g0 gs \
             /Pattern cs /P1p0 scn % /f0 Tf in a comment\n/Artifact BMC /P1f0 Tf EMC"
        );
        // The same operations, as the full parse reads them.
        let operators = |bytes: &[u8]| -> Vec<String> {
            Content::decode(bytes).unwrap().operations.into_iter().map(|o| o.operator).collect()
        };
        assert_eq!(operators(out.as_bytes()), operators(content));
        assert_eq!(operators(content).len(), 16);
    }

    #[test]
    fn leaves_a_stream_it_does_not_read_to_the_full_parse() {
        for content in
            [&b"BI /W 1 /H 1 ID \x00 EI"[..], b"/f#30 12 Tf", b"<< /MCID 1 BDC", b"(open Tj", b"{ }"]
        {
            assert!(rewrite(content, &names(), 1).is_none(), "{}", String::from_utf8_lossy(content));
        }
        // Nothing to rename and no shift: the same bytes.
        let same = b"q 1 0 0 1 0 0 cm /f9 10 Tf (x) Tj Q";
        assert_eq!(rewrite(same, &names(), 0).unwrap(), same);
    }
}

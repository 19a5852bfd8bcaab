//! Every mark on every page is tagged or an artifact (PDF/UA-1, ISO 14289-1, 7.1): a walk
//! over every content stream of every demo output, independent of Typst's own export checks.
//! Each text, path, image and shading operator must sit inside a marked-content sequence whose
//! MCID the structure tree's parent tree references for that page (or form), or inside an
//! artifact. Forms without their own `StructParents` are walked in the context of the `Do`
//! that draws them.

mod common;

use std::collections::BTreeMap;

use common::{Pdf, Project, built_demo, squash};
use lopdf::content::Content;
use lopdf::{Dictionary, Document, Object, ObjectId};

/// Operators that put marks on the page.
const PAINTING: &[&str] =
    &["Tj", "TJ", "'", "\"", "f", "F", "f*", "S", "s", "B", "B*", "b", "b*", "sh", "BI", "Do"];

/// One open marked-content sequence.
#[derive(Clone)]
struct Marked {
    artifact: bool,
    mcid: Option<i64>,
}

struct Walker<'a> {
    doc: &'a Document,
    /// StructParents key → the MCIDs the parent tree references.
    parents: BTreeMap<i64, Vec<bool>>,
    findings: Vec<String>,
}

impl Walker<'_> {
    fn walk(&mut self, content: &[u8], resources: &Dictionary, key: Option<i64>, outer: &[Marked], at: &str) {
        let ops = match Content::decode(content) {
            Ok(c) => c.operations,
            Err(e) => {
                self.findings.push(format!("{at}: content does not decode ({e})"));
                return;
            }
        };
        let mut stack: Vec<Marked> = outer.to_vec();
        for op in ops {
            match op.operator.as_str() {
                "BMC" => {
                    let tag = op.operands.first().and_then(|o| o.as_name().ok()).unwrap_or_default();
                    stack.push(Marked { artifact: tag == b"Artifact", mcid: None });
                }
                "BDC" => {
                    let tag = op.operands.first().and_then(|o| o.as_name().ok()).unwrap_or_default();
                    let props = match op.operands.get(1) {
                        Some(Object::Dictionary(d)) => Some(d.clone()),
                        Some(Object::Name(n)) => resources
                            .get(b"Properties")
                            .ok()
                            .and_then(|p| self.resolve_dict(p))
                            .and_then(|p| p.get(n).ok().and_then(|o| self.resolve_dict(o))),
                        _ => None,
                    };
                    let mcid = props.as_ref().and_then(|d| d.get(b"MCID").ok()).and_then(|o| o.as_i64().ok());
                    stack.push(Marked { artifact: tag == b"Artifact", mcid });
                }
                "EMC" => {
                    if stack.len() <= outer.len() {
                        self.findings.push(format!("{at}: EMC without BMC/BDC"));
                    } else {
                        stack.pop();
                    }
                }
                painting if PAINTING.contains(&painting) => {
                    let form = (painting == "Do").then(|| self.form(&op.operands, resources)).flatten();
                    if let Some((stream, form_resources, own_key)) = &form {
                        // A form with its own StructParents is checked on its own; one without
                        // is part of what draws it.
                        let inner_key = own_key.or(key);
                        let context = if own_key.is_some() { Vec::new() } else { stack.clone() };
                        if own_key.is_some() || !self.covered(&stack, key) {
                            let content = stream.clone();
                            self.walk(&content, form_resources, inner_key, &context, &format!("{at} > form"));
                            if own_key.is_some() {
                                // The Do itself is a mark of the page.
                                if !self.covered(&stack, key) {
                                    self.findings
                                        .push(format!("{at}: `Do` of a tagged form outside marked content"));
                                }
                            }
                        }
                        continue;
                    }
                    if !self.covered(&stack, key) {
                        self.findings
                            .push(format!("{at}: `{painting}` outside any tagged or artifact sequence"));
                    }
                }
                _ => {}
            }
        }
    }

    /// Whether marks made under `stack` are an artifact or tagged content the parent tree
    /// references.
    fn covered(&self, stack: &[Marked], key: Option<i64>) -> bool {
        if stack.iter().any(|m| m.artifact) {
            return true;
        }
        let Some(mcid) = stack.iter().rev().find_map(|m| m.mcid) else { return false };
        let Some(key) = key else { return false };
        self.parents.get(&key).and_then(|v| v.get(mcid as usize)).copied().unwrap_or(false)
    }

    /// A form XObject named by a `Do`: its decoded content, resources and StructParents.
    fn form(
        &self,
        operands: &[Object],
        resources: &Dictionary,
    ) -> Option<(Vec<u8>, Dictionary, Option<i64>)> {
        let name = operands.first()?.as_name().ok()?;
        let xobjects = self.resolve_dict(resources.get(b"XObject").ok()?)?;
        let id = xobjects.get(name).ok()?.as_reference().ok()?;
        let Object::Stream(s) = self.doc.get_object(id).ok()? else { return None };
        if s.dict.get(b"Subtype").ok()?.as_name().ok()? != b"Form" {
            return None;
        }
        let content = s.decompressed_content().unwrap_or_else(|_| s.content.clone());
        let res = s.dict.get(b"Resources").ok().and_then(|r| self.resolve_dict(r)).unwrap_or_default();
        let key = s.dict.get(b"StructParents").ok().and_then(|o| o.as_i64().ok());
        Some((content, res, key))
    }

    fn resolve_dict(&self, o: &Object) -> Option<Dictionary> {
        match o {
            Object::Dictionary(d) => Some(d.clone()),
            Object::Reference(id) => self.doc.get_object(*id).ok().and_then(|o| o.as_dict().ok()).cloned(),
            _ => None,
        }
    }
}

/// The parent tree: StructParents key → which MCIDs have a structure element.
fn parent_tree(doc: &Document) -> BTreeMap<i64, Vec<bool>> {
    let mut out = BTreeMap::new();
    let deref = |o: &Object| -> Option<Object> {
        match o {
            Object::Reference(id) => doc.get_object(*id).ok().cloned(),
            other => Some(other.clone()),
        }
    };
    let Some(root) = doc.catalog().ok().and_then(|c| c.get(b"StructTreeRoot").ok()).and_then(deref) else {
        return out;
    };
    let Some(tree) = root.as_dict().ok().and_then(|r| r.get(b"ParentTree").ok()).and_then(deref) else {
        return out;
    };
    let mut nodes = vec![tree];
    while let Some(node) = nodes.pop() {
        let Ok(d) = node.as_dict() else { continue };
        if let Ok(kids) = d.get(b"Kids").and_then(Object::as_array) {
            nodes.extend(kids.iter().filter_map(deref));
        }
        if let Ok(nums) = d.get(b"Nums").and_then(Object::as_array) {
            for pair in nums.chunks(2) {
                let (Ok(key), Some(value)) = (pair[0].as_i64(), pair.get(1).and_then(deref)) else {
                    continue;
                };
                let referenced = match value {
                    Object::Array(items) => items.iter().map(|i| !matches!(i, Object::Null)).collect(),
                    // A single element: an annotation or a form's whole content.
                    _ => vec![true],
                };
                out.insert(key, referenced);
            }
        }
    }
    out
}

/// The findings for one PDF.
fn findings(path: &std::path::Path) -> Vec<String> {
    let doc = Document::load(path).expect("a PDF");
    let mut w = Walker { doc: &doc, parents: parent_tree(&doc), findings: Vec::new() };
    let pages: Vec<(u32, ObjectId)> = doc.get_pages().into_iter().collect();
    for (n, id) in pages {
        let page = doc.get_dictionary(id).expect("a page");
        let content = doc.get_page_content(id);
        let resources = page.get(b"Resources").ok().and_then(|r| w.resolve_dict(r)).unwrap_or_default();
        let key = page.get(b"StructParents").ok().and_then(|o| o.as_i64().ok());
        w.walk(&content, &resources, key, &[], &format!("page {n}"));
    }
    w.findings
}

#[test]
fn every_mark_of_every_demo_output_is_tagged_or_an_artifact() {
    let demo = built_demo();
    let mut report = Vec::new();
    let mut checked = 0;
    for pdf in demo.pdfs() {
        checked += 1;
        let found = findings(&pdf);
        if !found.is_empty() {
            let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
            for f in &found {
                *counts.entry(f.split_once(": ").map_or(f.as_str(), |(_, m)| m)).or_default() += 1;
            }
            report.push(format!("{}: {counts:?}", pdf.strip_prefix(&demo.root).unwrap_or(&pdf).display()));
        }
    }
    // 56 leaflet documents and the teaching deck's 4.
    assert_eq!(checked, 60);
    assert!(report.is_empty(), "{} of {checked} PDFs:\n{}", report.len(), report.join("\n"));
}

#[test]
fn the_assembled_sheets_of_every_corpus_topic_are_tagged_too() {
    // Short and long topics, tables, twelve and sixteen warning signs, three languages: the
    // formats whose sheets leafpress assembles after Typst.
    let p = Project::fixture("corpus");
    let run = p.run(&["build", "--format", "booklet-imposed", "--format", "trifold"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let pdfs = p.pdfs();
    assert_eq!(pdfs.len(), 44, "11 content files, two practices, two formats");
    assert_tagged(&pdfs);
}

#[test]
fn every_pdf_in_turkish_polish_and_arabic_is_tagged_too() {
    // Right to left (the mirrored trifold, the booklet bound on the right) and Arabic shaping.
    let p = Project::fixture("languages");
    let run = p.run(&["build"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let pdfs = p.pdfs();
    assert_eq!(pdfs.len(), 24, "3 languages × 8 PDF formats (and an HTML page each)");
    assert_tagged(&pdfs);
}

/// Fails with every PDF that has findings, and the first of each.
fn assert_tagged(pdfs: &[std::path::PathBuf]) {
    let report: Vec<String> = pdfs
        .iter()
        .filter_map(|pdf| {
            let found = findings(pdf);
            (!found.is_empty())
                .then(|| format!("{}: {} findings, first: {}", pdf.display(), found.len(), found[0]))
        })
        .collect();
    assert!(report.is_empty(), "{}", report.join("\n"));
}

#[test]
fn each_language_gets_the_practices_tagline_and_logo_alt_text_in_that_language() {
    // The demo's practices write both per language: a screen reader reads the German PDF's
    // logo with German rules, so its alternative text must be German, and so is the tagline
    // under the name.
    let demo = built_demo();
    for (lang, tagline, alt) in [
        ("nl", "Praktijk voor kinesitherapie en rugrevalidatie", "Logo van Kinesitherapie De Linde"),
        ("en", "Practice for physiotherapy and back rehabilitation", "Logo of Kinesitherapie De Linde"),
        ("fr", "Cabinet de kinésithérapie et de revalidation du dos", "Logo de Kinesitherapie De Linde"),
        ("de", "Praxis für Physiotherapie und Rückenrehabilitation", "Logo von Kinesitherapie De Linde"),
    ] {
        for format in ["handout", "trifold", "slides"] {
            let pdf = Pdf::open(&demo.path(&format!("out/de-linde/hernia/{lang}/{format}.pdf")));
            assert!(squash(&pdf.text()).contains(&squash(tagline)), "{lang} {format}: no `{tagline}`");
            let alts = pdf.alt_texts();
            assert!(alts.iter().any(|a| a.starts_with(alt)), "{lang} {format}: {alts:?}");
            let mut others =
                ["Logo van", "Logo of", "Logo de", "Logo von"].into_iter().filter(|o| !alt.starts_with(o));
            assert!(others.all(|o| alts.iter().all(|a| !a.starts_with(o))), "{lang} {format}: {alts:?}");
        }
    }
}

//! Output for review and hand-tuning: page previews with the review page (checked in headless
//! Chromium where it is installed), and standalone Typst folders (compiled with the Typst CLI
//! where it is installed).

mod common;

use std::path::Path;
use std::process::Command;

use common::{Pdf, Project};

/// The first of `names` that runs with `--version`, if any.
fn installed(names: &[&str]) -> Option<String> {
    names
        .iter()
        .find(|n| Command::new(n).arg("--version").output().is_ok_and(|o| o.status.success()))
        .map(|n| n.to_string())
}

#[test]
fn previews_show_every_page_and_the_review_page_links_them() {
    let p = Project::demo();
    let run = p.run(&["preview", "--lang", "nl", "--brand", "de-linde", "--preview-dpi", "36"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    // The seven formats and the teaching deck's slides and handout.
    assert!(run.stderr.contains("wrote out/index.html (previews of 9 documents)"), "{}", run.stderr);
    let html = p.read("out/index.html");
    let docs = p.manifest("out");
    assert_eq!(docs.len(), 9);
    let mut images = 0;
    for doc in &docs {
        let pdf = doc["path"].as_str().unwrap();
        let pngs: Vec<&str> = doc["extra"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|e| e.as_str())
            .filter(|e| e.ends_with(".png"))
            .collect();
        // One image per page of the PDF, as the PDF shows it (imposed sheets, the trifold's
        // two sides).
        assert_eq!(pngs.len() as u64, doc["pages"].as_u64().unwrap(), "{pdf}");
        let sizes = Pdf::open(&p.path(&format!("out/{pdf}"))).page_sizes();
        for (png, (w, h)) in pngs.iter().zip(sizes) {
            let img = image::open(p.path(&format!("out/{png}"))).unwrap_or_else(|e| panic!("{png}: {e}"));
            // 36 dpi of the trim; the PDF's media box may add bleed and slug, never less.
            let (pw, ph) = (f64::from(img.width()) * 2.0, f64::from(img.height()) * 2.0);
            assert!(pw <= w + 2.0 && ph <= h + 2.0 && pw > w * 0.8, "{png}: {pw}×{ph} pt vs {w}×{h}");
            assert!(html.contains(&format!("<img src=\"{png}\"")), "{png} is not on the review page");
            images += 1;
        }
        assert!(html.contains(&format!("<a href=\"./{pdf}\">")), "{pdf} is not linked");
    }
    assert!(html.contains(&format!("data-images=\"{images}\"")));

    let Some(chromium) = installed(&["chromium", "chromium-browser", "google-chrome"]) else {
        eprintln!("skipped: the review page was not opened in a browser (install Debian's `chromium`)");
        return;
    };
    let profile = tempfile::tempdir().unwrap();
    let out = Command::new(&chromium)
        .args(["--headless", "--no-sandbox", "--disable-gpu", "--enable-logging=stderr", "--v=0"])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .args(["--virtual-time-budget=10000", "--dump-dom"])
        .arg(format!("file://{}", p.path("out/index.html").display()))
        .output()
        .expect("run chromium");
    let dom = String::from_utf8_lossy(&out.stdout);
    let log = String::from_utf8_lossy(&out.stderr);
    assert!(
        dom.contains(&format!("data-loaded=\"{images}\"")),
        "not every image loaded:\n{}",
        &dom[..dom.len().min(600)]
    );
    assert!(dom.contains("data-broken=\"0\""));
    let console: Vec<&str> = log.lines().filter(|l| l.contains("CONSOLE")).collect();
    assert!(console.is_empty(), "console messages: {console:?}");
}

#[test]
fn ejected_folders_are_standalone_and_the_typst_cli_compiles_them() {
    let p = Project::demo();
    let args = ["build", "--lang", "nl", "--brand", "de-linde", "--emit", "typst", "--emit", "pdf"];
    let run = p.run(&[&args[..], &["--format", "handout", "--format", "trifold"]].concat());
    assert_eq!(run.code, 0, "{}", run.stderr);
    let dir = p.path("out/de-linde/hernia/nl/handout");
    for file in
        ["main.typ", "fonts.txt", "_leafpress/data.json", "_leafpress/handout.typ", "_leafpress/common.typ"]
    {
        assert!(dir.join(file).is_file(), "{file} is missing");
    }
    // The images and bibliography it reads, at their project paths; not the content source.
    for file in ["images/logo-de-linde.svg", "images/hernia-disc.nl.svg", "leaflets/hernia/references.yml"] {
        assert_eq!(std::fs::read(dir.join(file)).unwrap(), std::fs::read(p.path(file)).unwrap(), "{file}");
    }
    assert!(!dir.join("leaflets/hernia/nl.md").exists() && !dir.join("leafpress.toml").exists());
    assert!(
        p.read("out/de-linde/hernia/nl/handout/fonts.txt").contains("fonts/AtkinsonHyperlegible-Regular.ttf")
    );
    let main = p.read("out/de-linde/hernia/nl/handout/main.typ");
    assert!(main.contains("#include \"_leafpress/handout.typ\""), "{main}");
    assert!(
        p.read("out/de-linde/hernia/nl/trifold/main.typ").contains("lays the third (the back cover) over")
    );

    // Ejecting alone compiles nothing.
    let only = Project::demo();
    let run =
        only.run(&["build", "--lang", "nl", "--brand", "de-linde", "--format", "poster", "--emit", "typst"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(only.pdfs().is_empty() && only.path("out/de-linde/hernia/nl/poster/main.typ").is_file());

    let Some(typst) = installed(&["typst"]) else {
        eprintln!(
            "skipped: the ejected folder was not compiled (install the Typst CLI: cargo install typst-cli --version 0.15.1)"
        );
        return;
    };
    // The command main.typ gives, run from the project folder.
    let line = main.lines().find(|l| l.contains("--creation-timestamp")).unwrap();
    let epoch = line.split("--creation-timestamp ").nth(1).unwrap().split(' ').next().unwrap();
    let rel = "out/de-linde/hernia/nl/handout";
    let out = Command::new(typst)
        .args(["compile", "--root", rel, "--font-path", "fonts", "--ignore-system-fonts"])
        .args(["--creation-timestamp", epoch, "--pdf-standard", "ua-1", &format!("{rel}/main.typ")])
        .current_dir(&p.root)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let theirs = Pdf::open(&dir.join("main.pdf"));
    let ours = Pdf::open(Path::new(&p.path("out/de-linde/hernia/nl/handout.pdf")));
    assert_eq!(theirs.pages(), ours.pages());
    assert_eq!(theirs.page_sizes(), ours.page_sizes());
    assert_eq!(theirs.text(), ours.text(), "the Typst CLI's PDF says something else");
}

//! The repository's documentation as tests read it: a recipe is the fenced code block after
//! an HTML comment `<!-- recipe:<name> -->` in the README or any Markdown file under docs/,
//! so it can move there without touching its test.

use std::path::{Path, PathBuf};

/// The repository's root (two levels above this crate).
pub fn repository() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .ancestors()
        .nth(2)
        .expect("the repository root")
        .to_owned()
}

/// The code block after `<!-- recipe:<name> -->`, wherever it is documented (exactly once).
pub fn recipe(name: &str) -> String {
    let root = repository();
    let mut files = vec![root.join("README.md")];
    if let Ok(entries) = std::fs::read_dir(root.join("docs")) {
        files.extend(
            entries
                .filter_map(|entry| entry.ok().map(|entry| entry.path()))
                .filter(|path| path.extension().is_some_and(|ext| ext == "md")),
        );
    }
    let marker = format!("<!-- recipe:{name} -->");
    let mut found: Vec<String> = Vec::new();
    for file in files {
        let text = std::fs::read_to_string(&file).unwrap_or_default();
        for (at, _) in text.match_indices(&marker) {
            let after = &text[at + marker.len()..];
            let fence = after.find("```").expect("a code block after the marker");
            let code = &after[fence..];
            let body_start = code.find('\n').expect("a fence line") + 1;
            let body_end = code[body_start..].find("\n```").expect("a closing fence") + body_start;
            found.push(code[body_start..=body_end].to_owned());
        }
    }
    assert_eq!(found.len(), 1, "recipe {name} is documented exactly once");
    found.remove(0)
}

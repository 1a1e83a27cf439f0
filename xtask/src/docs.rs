//! The docs: sections some commands generate (between `<!-- name:start -->` and
//! `<!-- name:end -->`), and the checks that keep them true to the tree (its tests): the
//! layout table of `docs/architecture.md` lists every file git tracks, the README stays
//! short and links every page, and every relative link leads somewhere.

use crate::cmd::{root, Result};

/// Replaces what is between the section's markers in `page` (relative to the repository
/// root) with `content`.
pub fn write_section(page: &str, name: &str, content: &str) -> Result {
    let path = root().join(page);
    let text = std::fs::read_to_string(&path).map_err(|e| format!("cannot read {path:?}: {e}"))?;
    let (start, end) = (
        format!("<!-- {name}:start -->"),
        format!("<!-- {name}:end -->"),
    );
    let missing = || format!("{page} needs the markers {start} and {end}");
    let from = text.find(&start).ok_or_else(missing)? + start.len();
    let to = from + text[from..].find(&end).ok_or_else(missing)?;
    let updated = format!("{}\n{}\n{}", &text[..from], content.trim_end(), &text[to..]);
    std::fs::write(&path, updated).map_err(|e| format!("cannot write {path:?}: {e}"))
}

#[cfg(test)]
mod tests {
    use std::path::Path;
    use std::process::Command;

    use super::*;

    const README_MAX_LINES: usize = 250;

    fn read(page: &str) -> String {
        std::fs::read_to_string(root().join(page)).expect("the page exists")
    }

    /// The paths in the first column of the layout table (`| `path` | what |`).
    fn layout_rows() -> Vec<String> {
        read("docs/architecture.md")
            .lines()
            .filter_map(|line| line.strip_prefix("| `"))
            .filter_map(|rest| rest.split_once("` |").map(|(path, _)| path.to_owned()))
            .collect()
    }

    fn tracked_files() -> Vec<String> {
        let output = Command::new("git")
            .arg("ls-files")
            .current_dir(root())
            .output()
            .expect("git runs");
        String::from_utf8(output.stdout)
            .expect("paths are UTF-8")
            .lines()
            .map(str::to_owned)
            .collect()
    }

    #[test]
    fn the_layout_table_lists_every_tracked_file_and_nothing_else() {
        let rows = layout_rows();
        let listed = |file: &str| {
            rows.iter().any(|row| match row.strip_suffix('*') {
                Some(folder) => file.starts_with(folder),
                None => row == file,
            })
        };
        let missing: Vec<String> = tracked_files()
            .into_iter()
            .filter(|file| !listed(file))
            .collect();
        assert!(
            missing.is_empty(),
            "not in docs/architecture.md: {missing:?}"
        );
        let gone: Vec<&String> = rows
            .iter()
            .filter(|row| !root().join(row.trim_end_matches('*')).exists())
            .collect();
        assert!(gone.is_empty(), "listed but not in the tree: {gone:?}");
    }

    #[test]
    fn the_readme_is_short_and_links_every_page() {
        let readme = read("README.md");
        let lines = readme.lines().count();
        assert!(lines <= README_MAX_LINES, "README.md has {lines} lines");
        for page in std::fs::read_dir(root().join("docs")).expect("docs/") {
            let name = page.expect("an entry").file_name();
            let name = name.to_string_lossy();
            if name.ends_with(".md") {
                assert!(
                    readme.contains(&format!("](docs/{name}")),
                    "README.md does not link docs/{name}"
                );
            }
        }
    }

    #[test]
    fn every_relative_link_leads_to_a_file() {
        let mut pages = vec!["README.md".to_owned(), "npm/README.md".to_owned()];
        for page in std::fs::read_dir(root().join("docs")).expect("docs/") {
            let name = page.expect("an entry").file_name();
            if name.to_string_lossy().ends_with(".md") {
                pages.push(format!("docs/{}", name.to_string_lossy()));
            }
        }
        for page in pages {
            let text = read(&page);
            let dir = Path::new(&page).parent().unwrap_or(Path::new(""));
            for link in text.split("](").skip(1) {
                let target = link.split(')').next().unwrap_or_default();
                let file = target.split('#').next().unwrap_or_default();
                if file.is_empty() || file.contains("://") || file.starts_with("mailto:") {
                    continue;
                }
                assert!(
                    root().join(dir).join(file).exists(),
                    "{page} links {target}, which is not there"
                );
            }
        }
    }
}

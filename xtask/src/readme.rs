//! Generated sections of README.md, between `<!-- name:start -->` and `<!-- name:end -->`.

use crate::cmd::{root, Result};

/// Replaces what is between the section's markers with `content`.
pub fn write_section(name: &str, content: &str) -> Result {
    let path = root().join("README.md");
    let text = std::fs::read_to_string(&path).map_err(|e| format!("cannot read {path:?}: {e}"))?;
    let (start, end) = (
        format!("<!-- {name}:start -->"),
        format!("<!-- {name}:end -->"),
    );
    let missing = || format!("README.md needs the markers {start} and {end}");
    let from = text.find(&start).ok_or_else(missing)? + start.len();
    let to = from + text[from..].find(&end).ok_or_else(missing)?;
    let updated = format!("{}\n{}\n{}", &text[..from], content.trim_end(), &text[to..]);
    std::fs::write(&path, updated).map_err(|e| format!("cannot write {path:?}: {e}"))
}

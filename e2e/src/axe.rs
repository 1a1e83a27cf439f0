//! Accessibility checks with axe-core (npm's `axe-core`, installed by
//! `cargo xtask setup` into `.tools/`), injected through WebDriver: a driver's
//! scripts are not subject to the page's CSP. axe reads open shadow roots, so the
//! widget is checked inside its shadow DOM together with the page around it.

use std::time::Duration;

use fantoccini::wd::TimeoutConfiguration;
use fantoccini::Client;
use serde_json::{json, Value};

use crate::process::repo_root;
use crate::Result;

/// WCAG 2.1 level A and AA rules.
pub const WCAG_21_AA: [&str; 4] = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"];

/// How long one `axe.run` may take.
const AXE_TIMEOUT: Duration = Duration::from_secs(120);

fn source() -> Result<String> {
    let path = repo_root().join(".tools/node_modules/axe-core/axe.min.js");
    std::fs::read_to_string(&path)
        .map_err(|e| format!("cannot read {path:?} ({e}): run `cargo xtask setup`"))
}

/// The WCAG 2.1 AA violations on the current page: `{id, impact, help, targets}` each.
pub async fn violations(client: &Client) -> Result<Vec<Value>> {
    let injected = client
        .execute(&format!("{}\nreturn typeof axe.run;", source()?), vec![])
        .await
        .map_err(|e| format!("cannot inject axe-core: {e}"))?;
    if injected != json!("function") {
        return Err(format!("axe-core did not load: {injected}"));
    }
    // A long page (500 codes) takes axe a while, more so in a throttled CI; the browser
    // keeps its own timeouts for whatever the test does next.
    let timeouts = client
        .get_timeouts()
        .await
        .map_err(|e| format!("cannot read the script timeout: {e}"))?;
    set_timeouts(
        client,
        TimeoutConfiguration::new(Some(AXE_TIMEOUT), None, None),
    )
    .await?;
    // axe reads the colours of the moment: a button mid-way through its 120 ms hover
    // transition (the pointer rests where the test clicked, and a re-render can move
    // another button under it) has neither its resting nor its hover contrast. So the
    // page's finite animations and transitions, in the widget's shadow roots too, end
    // first; infinite ones (the skeleton's pulse) are left running.
    let result = client
        .execute_async(
            "const [tags, done] = arguments;\n\
             const roots = [document, ...[...document.querySelectorAll('*')]\n\
               .map((element) => element.shadowRoot).filter(Boolean)];\n\
             const finite = [...new Set(roots.flatMap((root) => root.getAnimations()))]\n\
               .filter((animation) => animation.effect?.getComputedTiming().endTime !== Infinity);\n\
             Promise.all(finite.map((animation) => animation.finished.catch(() => {})))\n\
               .then(() => axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] })\n\
               .then((result) => done(result.violations.map((v) => ({\n\
                  id: v.id, impact: v.impact, help: v.help,\n\
                  targets: v.nodes.map((node) => node.target) }))),\n\
                 (error) => done({ error: String(error) })));",
            vec![json!(WCAG_21_AA)],
        )
        .await
        .map_err(|e| format!("axe.run failed: {e}"));
    set_timeouts(client, timeouts).await?;
    let result = result?;
    match result {
        Value::Array(violations) => Ok(violations),
        other => Err(format!("axe.run failed: {other}")),
    }
}

async fn set_timeouts(client: &Client, timeouts: TimeoutConfiguration) -> Result {
    client
        .update_timeouts(timeouts)
        .await
        .map_err(|e| format!("cannot set the script timeout: {e}"))
}

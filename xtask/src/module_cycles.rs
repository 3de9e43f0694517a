//! The layering check: within a crate, no module uses a module that uses it back. Read from the
//! `use` lines and the inline `crate::`/`super::` paths of every source file: for each module
//! with children (the crate root included), its children form a graph (an edge from one child
//! to another when any file under the first names anything under the second), and that graph
//! must have no cycle. A child naming its parent's own items, and a parent re-exporting its
//! children, are how Rust modules are built and are not edges.

use anyhow::anyhow;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use crate::shell::Result;

/// The modules of a crate (`a::b`, the root is empty) with the source of each.
type Sources = BTreeMap<String, String>;

/// Reads every module of the crate whose `src/` is `src`; `main.rs` is a crate of its own.
fn sources(src: &Path) -> Result<Sources> {
    let mut found = Sources::new();
    let mut folders = vec![src.to_path_buf()];
    while let Some(folder) = folders.pop() {
        let entries = std::fs::read_dir(&folder)
            .map_err(|error| anyhow!("cannot read {}: {error}", folder.display()))?;
        for entry in entries {
            let path = entry
                .map_err(|error| anyhow!("cannot read {}: {error}", folder.display()))?
                .path();
            if path.is_dir() {
                folders.push(path);
                continue;
            }
            if path.extension().is_none_or(|extension| extension != "rs") {
                continue;
            }
            let relative = path
                .strip_prefix(src)
                .expect("found under src")
                .with_extension("");
            let mut parts: Vec<String> = relative
                .iter()
                .map(|part| part.to_string_lossy().into_owned())
                .collect();
            if parts == ["main"] {
                continue;
            }
            if matches!(parts.last().map(String::as_str), Some("mod" | "lib")) {
                parts.pop();
            }
            let text = std::fs::read_to_string(&path)
                .map_err(|error| anyhow!("cannot read {}: {error}", path.display()))?;
            found.insert(parts.join("::"), without_comments(&text));
        }
    }
    Ok(found)
}

/// The source without its comments: a doc link to a module above is no use of it.
fn without_comments(text: &str) -> String {
    text.lines()
        .map(|line| line.split_once("//").map_or(line, |(code, _)| code))
        .collect::<Vec<_>>()
        .join("\n")
}

/// The module paths a source names, absolute (`a::b::Item`), from `crate::` and `super::`
/// paths, grouped imports (`use crate::{a, b::c}`) included.
fn named_paths(module: &str, text: &str) -> Vec<String> {
    let parent = module.rsplit_once("::").map_or("", |(parent, _)| parent);
    let mut paths = Vec::new();
    for (prefix, base) in [("crate::", ""), ("super::", parent)] {
        let mut rest = text;
        while let Some(at) = rest.find(prefix) {
            let preceded_by_path = rest[..at]
                .chars()
                .last()
                .is_some_and(|c| c.is_alphanumeric() || c == '_' || c == ':');
            rest = &rest[at + prefix.len()..];
            if preceded_by_path {
                continue;
            }
            for path in expand(rest) {
                let absolute = if base.is_empty() {
                    path
                } else {
                    format!("{base}::{path}")
                };
                paths.push(absolute);
            }
        }
    }
    paths
}

/// The paths a `use` tree starting at `text` names: `a::b`, or `{a, b::c}` one level deep.
fn expand(text: &str) -> Vec<String> {
    let identifier = |text: &str| -> String {
        text.chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_' || *c == ':')
            .collect()
    };
    if let Some(group) = text.strip_prefix('{') {
        let end = matching_brace(group);
        return split_top_level(&group[..end])
            .into_iter()
            .map(|part| identifier(part.trim()).trim_end_matches(':').to_string())
            .filter(|path| !path.is_empty() && path != "self")
            .collect();
    }
    let path = identifier(text);
    let path = path.trim_end_matches(':');
    let path = match text[path.len()..].trim_start_matches(':').strip_prefix('{') {
        Some(group) => {
            let end = matching_brace(group);
            return split_top_level(&group[..end])
                .into_iter()
                .map(|part| identifier(part.trim()).trim_end_matches(':').to_string())
                .filter(|part| !part.is_empty())
                .map(|part| {
                    if part == "self" {
                        path.to_string()
                    } else {
                        format!("{path}::{part}")
                    }
                })
                .collect();
        }
        None => path,
    };
    vec![path.to_string()]
}

/// Where the brace that closes an opened group is.
fn matching_brace(text: &str) -> usize {
    let mut depth = 0;
    for (at, c) in text.char_indices() {
        match c {
            '{' => depth += 1,
            '}' if depth == 0 => return at,
            '}' => depth -= 1,
            _ => {}
        }
    }
    text.len()
}

/// The comma-separated parts of a group, nested groups kept whole.
fn split_top_level(text: &str) -> Vec<&str> {
    let mut parts = Vec::new();
    let (mut depth, mut start) = (0, 0);
    for (at, c) in text.char_indices() {
        match c {
            '{' => depth += 1,
            '}' => depth -= 1,
            ',' if depth == 0 => {
                parts.push(&text[start..at]);
                start = at + 1;
            }
            _ => {}
        }
    }
    parts.push(&text[start..]);
    parts
}

/// The module a path lies in: its longest prefix that is a module of the crate.
fn module_of<'a>(path: &str, modules: &'a Sources) -> Option<&'a str> {
    let mut candidate = path;
    loop {
        if let Some((module, _)) = modules.get_key_value(candidate) {
            return Some(module);
        }
        candidate = candidate.rsplit_once("::")?.0;
    }
}

/// `module`'s child of `parent` (its ancestor), if `module` is under `parent` at all.
fn child_of(parent: &str, module: &str) -> Option<String> {
    let rest = if parent.is_empty() {
        module
    } else {
        module.strip_prefix(parent)?.strip_prefix("::")?
    };
    let child = rest.split("::").next().filter(|child| !child.is_empty())?;
    Some(if parent.is_empty() {
        child.to_string()
    } else {
        format!("{parent}::{child}")
    })
}

/// Every cycle among sibling modules, each as the modules around it.
fn cycles(modules: &Sources) -> Vec<Vec<String>> {
    let mut edges: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let parents: BTreeSet<&str> = modules
        .keys()
        .filter_map(|module| {
            module
                .rsplit_once("::")
                .map(|(parent, _)| parent)
                .or((!module.is_empty()).then_some(""))
        })
        .collect();
    for (module, text) in modules {
        for path in named_paths(module, text) {
            let Some(target) = module_of(&path, modules) else {
                continue;
            };
            for parent in &parents {
                if let (Some(from), Some(to)) = (child_of(parent, module), child_of(parent, target))
                    && from != to
                {
                    edges.entry(from).or_default().insert(to);
                }
            }
        }
    }
    let mut found: Vec<Vec<String>> = Vec::new();
    for start in edges.keys() {
        let mut stack = vec![(start.clone(), vec![start.clone()])];
        while let Some((at, trail)) = stack.pop() {
            for next in edges.get(&at).into_iter().flatten() {
                if next == start {
                    let mut cycle = trail.clone();
                    let smallest = (0..cycle.len()).min_by_key(|&i| &cycle[i]).unwrap_or(0);
                    cycle.rotate_left(smallest);
                    if !found.contains(&cycle) {
                        found.push(cycle);
                    }
                } else if !trail.contains(next) && next > start {
                    let mut longer = trail.clone();
                    longer.push(next.clone());
                    stack.push((next.clone(), longer));
                }
            }
        }
    }
    found
}

/// Fails, naming each cycle, when a module of the crate at `src` uses a module that uses it
/// back.
pub fn check(crate_name: &str, src: &Path) -> Result {
    let found = cycles(&sources(src)?);
    if found.is_empty() {
        println!("==> {crate_name}: no module uses a module that uses it back");
        return Ok(());
    }
    let listed: Vec<String> = found
        .iter()
        .map(|cycle| format!("{} -> {}", cycle.join(" -> "), cycle[0]))
        .collect();
    Err(anyhow!(
        "{crate_name}: modules that use each other (move the shared part below both):\n  {}",
        listed.join("\n  ")
    ))
}

/// The crates checked, with their `src/` under the workspace root.
pub const LAYERED: [(&str, &str); 7] = [
    ("bankident-app", "src"),
    ("bankident-domain", "crates/domain/src"),
    ("solaris-contract", "crates/solaris-contract/src"),
    ("bankident-backend", "crates/backend/src"),
    ("solaris-sandbox", "crates/solaris-sandbox/src"),
    ("bankident-test-support", "crates/test-support/src"),
    ("xtask", "xtask/src"),
];

/// `cargo xtask layers`, and a gate of the test command: fails when a crate has a cycle.
pub fn check_all(root: &Path) -> Result {
    let failed: Vec<String> = LAYERED
        .iter()
        .filter_map(|(name, src)| check(name, &root.join(src)).err())
        .map(|error| error.to_string())
        .collect();
    if failed.is_empty() {
        Ok(())
    } else {
        Err(anyhow!(failed.join("\n")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn crate_of(files: &[(&str, &str)]) -> Sources {
        files
            .iter()
            .map(|(module, text)| (module.to_string(), text.to_string()))
            .collect()
    }

    #[test]
    fn grouped_and_nested_imports_name_each_path() {
        assert_eq!(
            named_paths("a::b", "use crate::{x::Y, z};\nuse super::{Store, c::D};"),
            ["x::Y", "z", "a::Store", "a::c::D"]
        );
        assert_eq!(
            named_paths("a", "use crate::store::{self, Onboarding};"),
            ["store", "store::Onboarding"]
        );
        assert_eq!(
            named_paths(
                "a",
                "let x = crate::config::host_of(url); // not my_crate::x"
            ),
            ["config::host_of"]
        );
    }

    #[test]
    fn modules_that_use_each_other_are_found_and_layers_are_not() {
        let circle = crate_of(&[
            ("", "mod api; mod api_mode; mod store;"),
            (
                "api",
                "use crate::api_mode::first_step; use crate::store::Store;",
            ),
            ("api_mode", "use crate::api::{held, JsonBody};"),
            ("store", ""),
        ]);
        assert_eq!(
            cycles(&circle),
            [vec!["api".to_string(), "api_mode".to_string()]]
        );
        let layered = crate_of(&[
            ("", "mod http; mod onboarding; mod store;"),
            (
                "http",
                "use crate::onboarding::Onboardings; use crate::store::Store;",
            ),
            ("onboarding", "use crate::store::Store;"),
            (
                "onboarding::opening",
                "use super::Onboardings; use crate::store::Onboarding;",
            ),
            ("store", "pub use onboarding_row::Onboarding;"),
            ("store::onboarding_row", "use super::Store;"),
        ]);
        assert!(cycles(&layered).is_empty(), "{:?}", cycles(&layered));
    }

    #[test]
    fn siblings_inside_a_module_are_checked_too() {
        let circle = crate_of(&[
            ("", "mod engine;"),
            ("engine", "mod state; mod sessions;"),
            ("engine::state", "use super::sessions::Session;"),
            ("engine::sessions", "use crate::engine::state::State;"),
        ]);
        assert_eq!(
            cycles(&circle),
            [vec![
                "engine::sessions".to_string(),
                "engine::state".to_string()
            ]]
        );
    }
}

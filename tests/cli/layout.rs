//! The house: no file of `src/` imports, directly or through others, a file that imports it.
//!
//! Each file is a node; `use crate::a::b` and `use super::x` (and paths written out in code,
//! `crate::a::f()`) are edges to the file that defines the module named. A parent's `mod x;`
//! is no edge, but a child naming anything of its parent's file is one, so a parent that uses
//! a child while the child uses it is a cycle.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Module path (`["ingest", "worker"]`) of every source file of the library.
fn modules(src: &Path) -> BTreeMap<Vec<String>, PathBuf> {
    let mut found = BTreeMap::new();
    let mut stack = vec![src.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            if path.extension().is_none_or(|ext| ext != "rs") {
                continue;
            }
            let relative = path.strip_prefix(src).unwrap();
            let mut parts: Vec<String> = relative
                .iter()
                .map(|part| part.to_string_lossy().trim_end_matches(".rs").to_string())
                .collect();
            if parts
                .last()
                .is_some_and(|last| last == "mod" || last == "lib")
            {
                parts.pop();
            }
            if parts == ["main"] || parts.first().is_some_and(|first| first == "bin") {
                continue; // the binary is not part of the library's graph
            }
            found.insert(parts, path);
        }
    }
    found
}

/// The code of a file without its tests module, comments and string contents.
fn code(path: &Path) -> String {
    let text = std::fs::read_to_string(path).unwrap();
    let text = match text.find("#[cfg(test)]\nmod tests") {
        Some(at) => &text[..at],
        None => &text[..],
    };
    text.lines()
        .map(|line| line.split("//").next().unwrap_or(""))
        .collect::<Vec<_>>()
        .join("\n")
}

/// The longest known module that `path` (already made absolute) names or lies in.
fn resolve(known: &BTreeMap<Vec<String>, PathBuf>, path: &[String]) -> Option<Vec<String>> {
    (0..=path.len())
        .rev()
        .map(|n| path[..n].to_vec())
        .find(|prefix| known.contains_key(prefix))
}

/// The names of the modules a file declares (`mod x;`, `pub mod x;`).
fn declared(code: &str) -> Vec<String> {
    code.lines()
        .filter_map(|line| {
            let line = line.trim();
            let rest = line.strip_prefix("pub ").unwrap_or(line);
            let rest = rest.strip_prefix("pub(crate) ").unwrap_or(rest);
            rest.strip_prefix("mod ")?
                .strip_suffix(';')
                .map(str::to_string)
        })
        .collect()
}

/// Every module path a file's code names: `crate::…`, `super::…`, a declared child's
/// `child::…`, and each item of a `use …::{a, b::c}` group.
fn named_paths(code: &str, module: &[String]) -> Vec<Vec<String>> {
    let children = declared(code);
    // White space folded to single spaces, so that paths and groups read the same however
    // they were wrapped.
    let compact = code.split_whitespace().collect::<Vec<_>>().join(" ");
    let is_path_char = |c: char| c.is_alphanumeric() || c == '_' || c == ':';
    let mut paths = Vec::new();
    let mut at = 0;
    while at < compact.len() {
        let rest = &compact[at..];
        let starts_path = rest.starts_with("crate::")
            || rest.starts_with("super::")
            || children.iter().any(|child| {
                rest.starts_with(child.as_str()) && rest[child.len()..].starts_with("::")
            });
        let boundary = at == 0 || !compact[..at].ends_with(is_path_char);
        if !(starts_path && boundary) {
            at += rest.chars().next().map_or(1, char::len_utf8);
            continue;
        }
        let end = rest.find(|c: char| !is_path_char(c)).unwrap_or(rest.len());
        let head = &rest[..end];
        at += end;
        let mut base: Vec<String> = module.to_vec();
        let mut segments: Vec<&str> = head.split("::").filter(|s| !s.is_empty()).collect();
        match segments.first() {
            Some(&"crate") => {
                base.clear();
                segments.remove(0);
            }
            Some(&"super") => {
                while segments.first() == Some(&"super") {
                    base.pop();
                    segments.remove(0);
                }
            }
            _ => {} // a declared child, relative to this module
        }
        base.extend(segments.iter().map(|s| s.to_string()));
        let after = &compact[at..];
        if let Some(group) = after.strip_prefix('{') {
            let close = group.find('}').unwrap_or(group.len());
            let group: String = group[..close]
                .chars()
                .filter(|c| !c.is_whitespace())
                .collect();
            for item in group.split(',') {
                let mut full = base.clone();
                full.extend(
                    item.split("::")
                        .filter(|s| !s.is_empty() && *s != "self" && !s.contains('{'))
                        .map(str::to_string),
                );
                paths.push(full);
            }
        } else {
            paths.push(base);
        }
    }
    paths
}

fn edges(src: &Path) -> BTreeMap<Vec<String>, BTreeSet<Vec<String>>> {
    let known = modules(src);
    let mut graph = BTreeMap::new();
    for (module, path) in &known {
        let mut targets = BTreeSet::new();
        for named in named_paths(&code(path), module) {
            if let Some(target) = resolve(&known, &named) {
                // A file naming what it declares itself, or its own children through its own
                // path, is no edge.
                if target != *module {
                    targets.insert(target);
                }
            }
        }
        graph.insert(module.clone(), targets);
    }
    graph
}

/// A cycle in the graph, if there is one.
fn find_cycle(graph: &BTreeMap<Vec<String>, BTreeSet<Vec<String>>>) -> Option<Vec<Vec<String>>> {
    fn visit(
        node: &Vec<String>,
        graph: &BTreeMap<Vec<String>, BTreeSet<Vec<String>>>,
        state: &mut BTreeMap<Vec<String>, u8>,
        stack: &mut Vec<Vec<String>>,
    ) -> Option<Vec<Vec<String>>> {
        state.insert(node.clone(), 1);
        stack.push(node.clone());
        for next in graph.get(node).into_iter().flatten() {
            match state.get(next).copied().unwrap_or(0) {
                1 => {
                    let start = stack.iter().position(|n| n == next).unwrap();
                    let mut cycle = stack[start..].to_vec();
                    cycle.push(next.clone());
                    return Some(cycle);
                }
                0 => {
                    if let Some(cycle) = visit(next, graph, state, stack) {
                        return Some(cycle);
                    }
                }
                _ => {}
            }
        }
        stack.pop();
        state.insert(node.clone(), 2);
        None
    }
    let mut state = BTreeMap::new();
    for node in graph.keys() {
        if state.get(node).copied().unwrap_or(0) == 0 {
            if let Some(cycle) = visit(node, graph, &mut state, &mut Vec::new()) {
                return Some(cycle);
            }
        }
    }
    None
}

fn show(cycle: &[Vec<String>]) -> String {
    cycle
        .iter()
        .map(|m| {
            if m.is_empty() {
                "lib".to_string()
            } else {
                m.join("::")
            }
        })
        .collect::<Vec<_>>()
        .join(" -> ")
}

#[test]
fn the_source_files_import_each_other_without_cycles() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let graph = edges(&src);
    assert!(graph.len() > 20, "found only {} files", graph.len());
    if let Some(cycle) = find_cycle(&graph) {
        panic!("import cycle: {}", show(&cycle));
    }
}

#[test]
fn the_cycle_finder_sees_a_parent_and_child_importing_each_other() {
    let dir = tempfile::tempdir().unwrap();
    let src = dir.path();
    std::fs::create_dir_all(src.join("a")).unwrap();
    std::fs::write(src.join("lib.rs"), "pub mod a;\npub mod b;\n").unwrap();
    std::fs::write(
        src.join("a/mod.rs"),
        "mod child;\nuse child::Thing;\npub struct Shared;\n",
    )
    .unwrap();
    std::fs::write(src.join("a/child.rs"), "use super::{Shared, other};\n").unwrap();
    std::fs::write(src.join("b.rs"), "use crate::a::child;\n").unwrap();
    let graph = edges(src);
    let module = |path: &str| path.split("::").map(str::to_string).collect::<Vec<_>>();
    assert!(graph[&module("a::child")].contains(&module("a")));
    assert!(graph[&module("b")].contains(&module("a::child")));
    let cycle = find_cycle(&graph).expect("a cycle");
    assert_eq!(show(&cycle), "a -> a::child -> a");
    // The child taking what it shares from a file of its own breaks the cycle.
    std::fs::write(src.join("a/shared.rs"), "pub struct Shared;\n").unwrap();
    std::fs::write(
        src.join("a/mod.rs"),
        "mod child;\nmod shared;\nuse child::Thing;\n",
    )
    .unwrap();
    std::fs::write(src.join("a/child.rs"), "use super::shared::Shared;\n").unwrap();
    assert_eq!(find_cycle(&edges(src)), None);
}

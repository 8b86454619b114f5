//! Page goals: `"goals": [{"name", "path"}]` on `PATCH /api/sites/{id}`. Every accepted view of a
//! matching path is also an event of that goal.
//!
//! A path is exact (`/thanks`) or ends in `*` for any rest (`/docs/*`, `/*`); it starts with `/`
//! and has no other `*`. The query and fragment play no part: views are counted by page (`page`
//! is the URL without them). The hot worker matches every view against the site's page goals,
//! which travel with the site record it already holds (no read per view), so matching is a scan
//! of at most [`MAX_PAGE_GOALS`] short strings.

use super::fields::GoalName;
use crate::{Error, Result};
use serde::{Deserialize, Serialize};

/// Most page goals per site.
pub const MAX_PAGE_GOALS: usize = 20;
/// Longest page-goal path.
pub const MAX_PATH: usize = 512;

/// One page goal, validated.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PageGoal {
    pub name: String,
    pub path: String,
}

/// A site's page goals, validated: at most 20, each with a goal name and a path pattern.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PageGoals(Vec<PageGoal>);

impl PageGoals {
    /// Validates the `goals` field of a PATCH.
    ///
    /// # Errors
    /// `bad_field` (`goals`) for a list that is not an array of `{name, path}` objects, over 20
    /// entries, a bad name or a bad path.
    pub fn parse(raw: &serde_json::Value) -> Result<PageGoals> {
        let list = raw.as_array().ok_or_else(|| Error::field("goals", "goals must be an array of {\"name\", \"path\"}"))?;
        if list.len() > MAX_PAGE_GOALS {
            return Err(Error::field("goals", format!("at most {MAX_PAGE_GOALS} page goals")));
        }
        let goals = list
            .iter()
            .map(|item| {
                let text = |key: &str| item.get(key).and_then(serde_json::Value::as_str);
                let (Some(name), Some(path)) = (text("name"), text("path")) else {
                    return Err(Error::field("goals", "each goal is {\"name\": string, \"path\": string}"));
                };
                let name = GoalName::parse(name).map_err(|e| Error::field("goals", format!("goal {name:?}: {e}")))?;
                check_path(path)?;
                Ok(PageGoal { name: name.as_str().to_owned(), path: path.to_owned() })
            })
            .collect::<Result<Vec<_>>>()?;
        Ok(PageGoals(goals))
    }

    /// Page goals as stored with the site (JSON text written by [`PageGoals::stored`]); anything
    /// unreadable is no goals, never an error on the view path.
    pub fn from_stored(text: &str) -> PageGoals {
        if text.is_empty() {
            return PageGoals::default();
        }
        serde_json::from_str::<Vec<PageGoal>>(text).map(PageGoals).unwrap_or_default()
    }

    /// The stored form (a JSON array).
    pub fn stored(&self) -> String {
        serde_json::to_string(&self.0).unwrap_or_else(|_| "[]".into())
    }

    pub fn list(&self) -> &[PageGoal] {
        &self.0
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The names of the goals a page matches, each once, in the order they were set.
    pub fn matching(&self, page: &str) -> Vec<&str> {
        if self.0.is_empty() {
            return Vec::new();
        }
        let path = path_of(page);
        let mut names: Vec<&str> = Vec::new();
        for goal in &self.0 {
            if matches(&goal.path, path) && !names.contains(&goal.name.as_str()) {
                names.push(&goal.name);
            }
        }
        names
    }
}

fn check_path(path: &str) -> Result<()> {
    let bad = |why: &str| Err(Error::field("goals", format!("path {path:?}: {why}")));
    if !path.starts_with('/') {
        return bad("a path starts with /");
    }
    if path.len() > MAX_PATH {
        return bad("too long");
    }
    if path.trim_end_matches('*').contains('*') || path.ends_with("**") {
        return bad("* is only allowed once, at the end");
    }
    if path.contains(['?', '#']) || path.chars().any(char::is_whitespace) {
        return bad("a path has no query, fragment or space");
    }
    Ok(())
}

/// The path of a page URL (`https://e.com/a/b` → `/a/b`; a bare origin → `/`).
fn path_of(page: &str) -> &str {
    let after_scheme = page.split_once("://").map_or(page, |(_, rest)| rest);
    let path = after_scheme.find('/').map_or("/", |i| &after_scheme[i..]);
    path.split(['?', '#']).next().unwrap_or("/")
}

fn matches(pattern: &str, path: &str) -> bool {
    match pattern.strip_suffix('*') {
        Some(prefix) => path.starts_with(prefix),
        None => pattern == path,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn goals(raw: serde_json::Value) -> PageGoals {
        PageGoals::parse(&raw).unwrap()
    }

    #[test]
    fn an_exact_path_matches_that_page_alone() {
        let g = goals(json!([{"name": "thanks", "path": "/thanks"}]));
        assert_eq!(g.matching("https://e.com/thanks"), vec!["thanks"]);
        assert!(g.matching("https://e.com/thanks/more").is_empty());
        assert!(g.matching("https://e.com/thank").is_empty());
        assert!(g.matching("https://e.com/").is_empty());
    }

    #[test]
    fn a_star_matches_any_rest() {
        let g = goals(json!([{"name": "docs", "path": "/docs/*"}, {"name": "all", "path": "/*"}]));
        assert_eq!(g.matching("https://e.com/docs/a/b"), vec!["docs", "all"]);
        assert_eq!(g.matching("https://e.com/docs/"), vec!["docs", "all"]);
        assert_eq!(g.matching("https://e.com"), vec!["all"]);
        assert_eq!(g.matching("https://e.com/doc"), vec!["all"]);
    }

    #[test]
    fn one_name_on_two_paths_counts_once_per_view() {
        let g = goals(json!([{"name": "signup", "path": "/welcome"}, {"name": "signup", "path": "/welcome*"}]));
        assert_eq!(g.matching("https://e.com/welcome"), vec!["signup"]);
    }

    #[test]
    fn bad_lists_are_refused_with_a_reason() {
        let many: Vec<_> = (0..21).map(|i| json!({"name": format!("g{i}"), "path": "/"})).collect();
        for bad in [
            json!({"name": "x"}),
            json!(many),
            json!([{"name": "x"}]),
            json!([{"name": "", "path": "/"}]),
            json!([{"name": "a/b", "path": "/"}]),
            json!([{"name": "x", "path": "thanks"}]),
            json!([{"name": "x", "path": "/a*b"}]),
            json!([{"name": "x", "path": "/a**"}]),
            json!([{"name": "x", "path": "/a?b=1"}]),
            json!([{"name": "x", "path": 3}]),
        ] {
            match PageGoals::parse(&bad) {
                Err(Error::BadField { field: "goals", .. }) => {}
                other => panic!("{bad} gave {other:?}"),
            }
        }
        assert!(PageGoals::parse(&json!([])).unwrap().is_empty(), "an empty list clears the goals");
    }

    #[test]
    fn the_stored_form_reads_back_and_garbage_is_no_goals() {
        let g = goals(json!([{"name": "a b", "path": "/x*"}]));
        assert_eq!(PageGoals::from_stored(&g.stored()), g);
        assert!(PageGoals::from_stored("not json").is_empty());
        assert!(PageGoals::from_stored("").is_empty());
    }
}

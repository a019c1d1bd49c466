//! Every lint rule, one file per rule, grouped by family folders; the folder is the rule's
//! category. A rule file is `<family>/dlNNNN_<rule_name>.rs` and declares its metadata
//! ([`crate::lint::RuleMeta`]) and one `impl Rule for <Type>`; its family's `mod.rs` declares the
//! module and lists the rule (committed code, so rustfmt and rust-analyzer see every rule).
//! `scripts/new-rule` creates the file, its page and a test stub, and edits those lists.
//!
//! - `layers`: layer structure (unchained RUN, COPY ordering)
//! - `cache`: leftover package-manager caches
//! - `packages`: package-manager usage (version pins, non-interactive flags)
//! - `shell`: other RUN-body checks (cd, sudo, wget, pipes, comments swallowing commands)
//! - `correctness`: instructions that do not do what they seem to
//! - `best_practice`: FROM tags, exec form, WORKDIR, MAINTAINER, ...
//! - `security`: users, trusted registries, secrets
//! - `labels`: label schema checks
//! - `shellcheck`: ShellCheck's checks on RUN bodies (`scNNNN_<name>.rs`, ShellCheck's codes)

pub mod best_practice;
pub mod cache;
pub mod correctness;
pub mod labels;
pub mod layers;
pub mod packages;
pub mod security;
pub mod shell;
pub mod shellcheck;

use crate::lint::{Registry, Rule, RuleWithCategory};
use std::sync::OnceLock;

/// A family's `rules()`: its rules, in the order of its list.
type FamilyRules = fn() -> Vec<Box<dyn Rule>>;

/// Every family folder with its category name and its rule list.
const FAMILIES: [(&str, FamilyRules); 9] = [
    ("best-practice", best_practice::rules),
    ("cache", cache::rules),
    ("correctness", correctness::rules),
    ("labels", labels::rules),
    ("layers", layers::rules),
    ("packages", packages::rules),
    ("security", security::rules),
    ("shell", shell::rules),
    ("shellcheck", shellcheck::rules),
];

/// Every rule dlint knows, with its family folder as category (`best_practice` is
/// `best-practice`), in family and file order.
pub fn all() -> Vec<RuleWithCategory> {
    FAMILIES
        .iter()
        .flat_map(|&(category, rules)| {
            rules()
                .into_iter()
                .map(move |rule| RuleWithCategory { category, rule })
        })
        .collect()
}

/// The registry over [`all`], built once.
pub fn registry() -> &'static Registry {
    static REG: OnceLock<Registry> = OnceLock::new();
    REG.get_or_init(|| Registry::new(all()))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every `src/rules/<family>/{dl,sc}NNNN_*.rs` file is declared in its family's `mod.rs`
    /// and registered: a file missing from the lists would silently not be compiled.
    #[test]
    fn every_rule_file_is_declared() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/rules");
        let mut files = 0;
        for (category, _) in FAMILIES {
            let dir = root.join(category.replace('-', "_"));
            let module_list = std::fs::read_to_string(dir.join("mod.rs")).expect("family mod.rs");
            for entry in std::fs::read_dir(&dir).expect("family folder").flatten() {
                let name = entry.file_name().to_string_lossy().into_owned();
                let Some(stem) = name.strip_suffix(".rs") else {
                    continue;
                };
                let b = stem.as_bytes();
                let is_rule = b.len() > 7
                    && (stem.starts_with("dl") || stem.starts_with("sc"))
                    && b[2..6].iter().all(u8::is_ascii_digit)
                    && b[6] == b'_';
                if !is_rule {
                    continue;
                }
                files += 1;
                assert!(
                    module_list.contains(&format!("\npub mod {stem};\n")),
                    "{category}/{name} is not declared in its mod.rs (run scripts/new-rule or add `pub mod {stem};`)"
                );
                assert!(
                    module_list.contains(&format!("Box::new({stem}::")),
                    "{category}/{name} is not in its family's rules() list"
                );
            }
        }
        let dirs = std::fs::read_dir(&root)
            .expect("src/rules")
            .flatten()
            .filter(|e| e.path().is_dir())
            .count();
        assert_eq!(
            dirs,
            FAMILIES.len(),
            "a family folder is missing from FAMILIES"
        );
        assert_eq!(files, registry().rules().len());
    }

    #[test]
    fn buildkit_names_map_to_rules() {
        let reg = registry();
        assert_eq!(reg.buildkit_rules("JSONArgsRecommended"), ["DL3025"]);
        assert!(reg.buildkit_rules("jsonargsrecommended").is_empty());
        let mut multi = reg.buildkit_rules("MultipleInstructionsDisallowed");
        multi.sort_unstable();
        assert_eq!(multi, ["DL3012", "DL4003", "DL4004"]);
        assert!(reg.has_buildkit_name("DL3064"));
        assert!(!reg.has_buildkit_name("DL3009"));
    }

    #[test]
    fn former_ids_and_buildkit_names_are_looked_up_as_aliases() {
        let reg = registry();
        for key in [
            "DL3064",
            "dl5108",
            "DL5108",
            "SecretsUsedInArgOrEnv",
            "secrets-in-arg-or-env",
        ] {
            assert_eq!(reg.lookup(key).map(|i| i.id), Some("DL3064"), "{key}");
        }
        let info = reg.lookup("DL5108").expect("alias");
        assert_eq!(info.former_ids().collect::<Vec<_>>(), ["DL5108"]);
        assert_eq!(
            info.buildkit_names().collect::<Vec<_>>(),
            ["SecretsUsedInArgOrEnv"]
        );
        assert!(info.explain().contains("formerly DL5108"));
        assert_eq!(reg.suggest("DL5I08"), Some("DL5108"));
        // a config written for the old id resolves to the new one
        let cfg = crate::lint::Config::parse(
            "ignored: [DL5108]\noverride:\n  error: [SecretsUsedInArgOrEnv]\n",
            std::path::Path::new(".dlint.yaml"),
            reg,
        )
        .expect("config");
        assert!(cfg.ignored.contains("DL3064"));
        assert_eq!(
            cfg.overrides.get("DL3064"),
            Some(&crate::lint::Severity::Error)
        );
    }

    #[test]
    fn inline_ignores_accept_the_former_id() {
        let cfg = crate::lint::Config::default();
        for src in [
            "FROM a\n# hadolint ignore=DL5108\nARG GITHUB_TOKEN\n",
            "FROM a\n# dlint ignore=DL5108\nARG GITHUB_TOKEN\n",
            "FROM a\n# check=skip=SecretsUsedInArgOrEnv\nARG GITHUB_TOKEN\n",
        ] {
            let d = crate::lint::lint_source(registry(), src, &cfg);
            assert!(d.iter().all(|d| d.rule != "DL3064"), "{src}: {d:?}");
        }
        let d = crate::lint::lint_source(registry(), "FROM a\nARG GITHUB_TOKEN\n", &cfg);
        assert!(d.iter().any(|d| d.rule == "DL3064"));
    }

    #[test]
    fn every_rule_is_registered_once_with_its_family() {
        let reg = registry();
        let infos: Vec<_> = reg.infos().iter().filter(|i| i.is_rule).collect();
        assert_eq!(infos.len(), reg.rules().len());
        let mut ids: Vec<&str> = infos.iter().map(|i| i.id).collect();
        ids.dedup();
        assert_eq!(ids.len(), infos.len(), "duplicate rule id");
        let dl3009 = reg.lookup("DL3009").map(|i| i.category);
        assert_eq!(dl3009, Some("cache"));
        assert!(!reg.default_enabled("DL3057"));
        assert!(reg.default_enabled("DL3009"));
    }
}

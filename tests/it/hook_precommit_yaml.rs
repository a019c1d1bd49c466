//! `.pre-commit-hooks.yaml`: well-formed, runs a valid dlint command, selects the same files
//! as dlint's own discovery.

use dlint::lint::discover::is_dockerfile_name;

#[derive(serde::Deserialize)]
struct Hook {
    id: String,
    entry: String,
    language: String,
    files: String,
    exclude: String,
}

#[test]
fn pre_commit_hook_definition() {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/.pre-commit-hooks.yaml"
    ))
    .expect("read .pre-commit-hooks.yaml");
    let hooks: Vec<Hook> = serde_saphyr::from_str(&text).expect("yaml");
    let ids: Vec<(&str, &str, &str)> = hooks
        .iter()
        .map(|h| (h.id.as_str(), h.entry.as_str(), h.language.as_str()))
        .collect();
    // `language: python`: pre-commit installs the `dlint-docker` package (pyproject.toml).
    assert_eq!(
        ids,
        [
            ("dlint", "dlint lint", "python"),
            ("dlint-fix", "dlint fix", "python"),
            ("dlint-fmt", "dlint fmt", "python")
        ]
    );
    for h in &hooks {
        // pre-commit appends the file names to the entry.
        let mut argv: Vec<&str> = h.entry.split_whitespace().collect();
        argv.extend(["Dockerfile", "svc/api.Dockerfile"]);
        let cli = dlint::cli::Cli::try_parse_from_args(argv);
        assert!(cli.is_ok(), "{}: {:?}", h.id, cli.err());
        assert_eq!((&h.files, &h.exclude), (&hooks[0].files, &hooks[0].exclude));
    }
    let h = &hooks[0];

    let files = regex::Regex::new(&h.files).expect("files regex");
    let exclude = regex::Regex::new(&h.exclude).expect("exclude regex");
    let selected = |p: &str| files.is_match(p) && !exclude.is_match(p);
    for name in [
        "Dockerfile",
        "Dockerfile.dev",
        "Dockerfile.alpine.arm64",
        "api.Dockerfile",
        "api.dockerfile",
        "Containerfile",
        "Containerfile.rhel",
        "Dockerfile.dockerignore",
        "Dockerfile.md",
        "Dockerfiles",
        ".Dockerfile",
        "MyDockerfile",
        "docker-compose.yml",
        "Dockerfile.orig",
    ] {
        for dir in ["", "svc/web/"] {
            let path = format!("{dir}{name}");
            assert_eq!(selected(&path), is_dockerfile_name(name), "{path}");
        }
    }
}

#[derive(serde::Deserialize)]
struct LocalConfig {
    repos: Vec<LocalRepo>,
}

#[derive(serde::Deserialize)]
struct LocalRepo {
    repo: String,
    hooks: Vec<LocalHook>,
}

#[derive(serde::Deserialize)]
struct LocalHook {
    id: String,
    entry: String,
    language: String,
    files: String,
    exclude: String,
}

/// The `repo: local` block of docs/ci-and-hooks.md runs an installed dlint on the same files as
/// the hook definition, and nothing points at a repository URL that does not exist.
#[test]
fn documented_local_hook_matches_the_definition() {
    let root = env!("CARGO_MANIFEST_DIR");
    let readme = std::fs::read_to_string(format!("{root}/docs/ci-and-hooks.md")).expect("docs");
    let hooks_yaml =
        std::fs::read_to_string(format!("{root}/.pre-commit-hooks.yaml")).expect("hooks");
    for (name, text) in [
        ("docs/ci-and-hooks.md", &readme),
        (".pre-commit-hooks.yaml", &hooks_yaml),
    ] {
        assert!(
            !text.contains("github.com/dlint"),
            "{name} names a repository that does not exist"
        );
    }
    let block = readme
        .split("```yaml\n")
        .skip(1)
        .filter_map(|b| b.split("```").next())
        .find(|b| b.contains("repo: local"))
        .expect("a `repo: local` pre-commit block in docs/ci-and-hooks.md");
    let cfg: LocalConfig = serde_saphyr::from_str(block).expect("the documented block is YAML");
    let repo = &cfg.repos[0];
    assert_eq!(repo.repo, "local");
    let local = &repo.hooks[0];
    let def: Vec<Hook> = serde_saphyr::from_str(&hooks_yaml).expect("yaml");
    assert_eq!(local.id, def[0].id);
    assert_eq!(local.entry, def[0].entry);
    assert_eq!(local.language, "system");
    assert_eq!(local.files, def[0].files);
    assert_eq!(local.exclude, def[0].exclude);
}

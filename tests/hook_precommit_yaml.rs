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
    assert_eq!(hooks.len(), 1);
    let h = &hooks[0];
    assert_eq!((h.id.as_str(), h.language.as_str()), ("dlint", "rust"));
    assert_eq!(h.entry, "dlint lint");
    // pre-commit appends the file names to the entry.
    let mut argv: Vec<&str> = h.entry.split_whitespace().collect();
    argv.extend(["Dockerfile", "svc/api.Dockerfile"]);
    let cli = dlint::cli::Cli::try_parse_from_args(argv);
    assert!(cli.is_ok(), "{:?}", cli.err());

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

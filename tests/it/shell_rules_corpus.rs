//! The shell-based rules on real corpus files: known true positives stay found, and the false
//! positives fixed while reading findings by hand stay fixed.

use dlint::lint::{self, Config};

fn rules_on(file: &str) -> Vec<&'static str> {
    let path = crate::shared::dir("corpus/dockerfiles")
        .expect("checked by the test")
        .join(file);
    let source =
        std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    lint::lint_source(dlint::rules::registry(), &source, &Config::default())
        .iter()
        .map(|d| d.rule)
        .collect()
}

#[test]
fn apt_lists_rule_on_real_files() {
    if crate::shared::dir("corpus/dockerfiles").is_none() {
        return;
    }
    // `apt-get dist-clean` removes the lists (hadolint flags these).
    assert!(
        !rules_on("docker-library__ruby__3.4__trixie__Dockerfile.Dockerfile").contains(&"DL3009")
    );
    // `rm -rf /opt/kismet` is not an apt cleanup (hadolint accepts any `rm -rf`).
    assert!(rules_on("vimagick__dockerfiles__kismet__Dockerfile.Dockerfile").contains(&"DL3009"));
    // A typo'd cleanup path (`/var/lib/apt/list/*`) leaves the lists.
    assert!(rules_on("vimagick__dockerfiles__portia__Dockerfile.Dockerfile").contains(&"DL3009"));
}

#[test]
fn apk_cache_rule_on_real_files() {
    if crate::shared::dir("corpus/dockerfiles").is_none() {
        return;
    }
    // `apk add --no-network` fetches no index.
    assert!(
        !rules_on("docker-library__redis__7.2__alpine__Dockerfile.Dockerfile").contains(&"DL3019")
    );
    // `apk add -U x && rm -rf /var/cache/apk/*` in one RUN leaves no cache.
    assert!(!rules_on("vimagick__dockerfiles__pdnsd__Dockerfile.Dockerfile").contains(&"DL3019"));
}

#[test]
fn pip_cache_rule_skips_builder_stages() {
    if crate::shared::dir("corpus/dockerfiles").is_none() {
        return;
    }
    // `pip install` only in a builder stage whose files are not copied into the final image.
    assert!(
        !rules_on("jessfraz__dockerfiles__registry-auth__Dockerfile.Dockerfile")
            .contains(&"DL3042")
    );
    assert!(rules_on("jessfraz__dockerfiles__gixy__Dockerfile.Dockerfile").contains(&"DL3042"));
}

#[test]
fn simulated_install_needs_no_yes() {
    if crate::shared::dir("corpus/dockerfiles").is_none() {
        return;
    }
    // `apt-get install -s pkg` only simulates (postgres checks whether the JIT package exists).
    assert!(
        !rules_on("docker-library__postgres__18__bookworm__Dockerfile.Dockerfile")
            .contains(&"DL3014")
    );
}

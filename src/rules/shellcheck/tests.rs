//! The built-in checks run together through the engine, as a lint run does.

use crate::dockerfile::Span;
use crate::shell::builtin_checks::{Dialect, ScChecks, ScSetup};
use crate::shell::{Mapping, parse_script_as};

/// The codes the checks `enabled` (every built-in one when `None`) find in `script` checked
/// as `dialect` (by dash when `dash`), with `declared` names known literal and `ENV_DEPS` a word
/// list.
fn run(
    script: &str,
    enabled: Option<&[&str]>,
    dialect: Dialect,
    declared: &[&str],
    dash: bool,
) -> Vec<&'static str> {
    let known = |name: &str| declared.contains(&name).then_some(true);
    let checks = ScChecks::new(
        super::all_checks()
            .into_iter()
            .filter(|(c, _)| enabled.is_none_or(|e| e.contains(c))),
    );
    let setup = ScSetup {
        checks: &checks,
        dialect,
        declared: &known,
        dash,
        word_list: &|name: &str| name == "ENV_DEPS",
    };
    let parsed = parse_script_as(script, Mapping::Fixed(Span::new(0, 0)), Some(setup));
    parsed.sc.iter().map(|f| f.code).collect()
}

/// The codes found in `script` checked as `dialect`, with `declared` names known literal.
fn codes_with(script: &str, dialect: Dialect, declared: &[&str]) -> Vec<&'static str> {
    run(script, None, dialect, declared, false)
}

fn codes(script: &str) -> Vec<&'static str> {
    codes_with(script, Dialect::Sh, &[])
}

#[test]
fn every_kind_a_check_visits_exists_in_the_grammar() {
    let unknown = ScChecks::unknown_kinds(&super::all_checks());
    assert!(unknown.is_empty(), "{unknown:?}");
}

/// A disabled code is not run: with only SC2006 enabled, nothing else is found, and with none
/// no finding at all.
#[test]
fn only_enabled_checks_run() {
    let script = "echo $x `date`; [[ -f a ]]";
    let only = |codes: &[&str]| run(script, Some(codes), Dialect::Sh, &[], false);
    assert_eq!(only(&["SC2086", "SC2006", "SC3010"]).len(), 3);
    assert_eq!(only(&["SC2006"]), ["SC2006"]);
    assert!(only(&[]).is_empty());
    // parse-error codes: the classifier's code only when enabled
    let broken = |codes: &[&str]| {
        run(
            "if true; then echo a; fi fi",
            Some(codes),
            Dialect::Sh,
            &[],
            false,
        )
    };
    assert_eq!(broken(&["SC1089"]), ["SC1089"]);
    assert!(broken(&["SC1072"]).is_empty());
}

#[test]
fn dialect_of_programs_and_shebangs() {
    assert_eq!(Dialect::of_program("/bin/sh"), Some(Dialect::Sh));
    assert_eq!(Dialect::of_program("/usr/bin/bash"), Some(Dialect::Bash));
    assert_eq!(Dialect::of_program("powershell"), None);
    assert_eq!(
        Dialect::of_shebang("#!/usr/bin/env bash"),
        Some(Some(Dialect::Bash))
    );
    assert_eq!(Dialect::of_shebang("#!/usr/bin/python3"), Some(None));
    assert_eq!(Dialect::of_shebang("echo hi"), None);
}

#[test]
fn unquoted_expansions_are_reported_where_they_split() {
    assert_eq!(codes("echo $x"), ["SC2086"]);
    assert_eq!(codes("n=4; echo $n"), Vec::<&str>::new());
    assert_eq!(codes("echo \"$x\" $# $? ${#x}; y=$x"), ["SC2034"]);
    assert_eq!(codes("for i in 1 2; do echo $i; done"), Vec::<&str>::new());
    assert_eq!(codes("for i in $(ls); do echo $i; done"), ["SC2086"]);
    // Declared by the Dockerfile with a literal value: known, as in hadolint.
    assert!(codes_with("echo $VERSION", Dialect::Sh, &["VERSION"]).is_empty());
    // `export x=$y` splits in sh, not in bash.
    assert_eq!(codes("export A=$B"), ["SC2086"]);
    assert!(codes_with("export A=$B", Dialect::Bash, &[]).is_empty());
}

#[test]
fn bashisms_only_in_sh() {
    let script = "[[ -f a ]] && echo {a,b} && source /x && cat <<< $y";
    let sh = codes(script);
    for code in ["SC3010", "SC3009", "SC3046", "SC3011"] {
        assert!(sh.contains(&code), "{code} missing from {sh:?}");
    }
    let bash = codes_with(script, Dialect::Bash, &[]);
    assert!(bash.iter().all(|c| !c.starts_with("SC3")), "{bash:?}");
}

#[test]
fn negation_needs_errexit_and_a_statement_position() {
    assert_eq!(codes("set -e; ! grep a f; echo"), ["SC2251"]);
    assert!(codes("! grep a f; echo").is_empty());
    assert!(codes("set -e; echo; ! grep a f").is_empty());
    assert!(codes("set -e; if ! grep a f; then echo; fi").is_empty());
}

#[test]
fn cd_is_checked_by_lists_and_errexit() {
    assert_eq!(codes("cd /x; make"), ["SC2164"]);
    assert!(codes("cd /x && make").is_empty());
    assert!(codes("a && b && cd /x && make").is_empty());
    assert!(codes("set -e; cd /x; make").is_empty());
}

#[test]
fn shellcheck_directives_silence_the_next_statement_or_the_script() {
    assert!(codes("# shellcheck disable=SC2086\necho $x").is_empty());
    assert_eq!(
        codes("echo ok\n# shellcheck disable=SC2086\necho $x\necho $y"),
        ["SC2086"]
    );
    assert_eq!(
        codes("echo ok\n# shellcheck disable=SC2046,SC2086\necho $x $(ls)\necho $y"),
        ["SC2086"]
    );
}

#[test]
fn single_quotes_for_other_interpreters_are_fine() {
    assert_eq!(codes("echo '$HOME'"), ["SC2016"]);
    assert!(codes("awk '{print $1}' f; sh -c 'echo $0'; sudo sh -c 'id $USER'").is_empty());
    assert!(codes("sed 's/a$//' f").is_empty());
}

#[test]
fn pipelines_and_commands() {
    assert_eq!(codes("find . -name x | xargs rm"), ["SC2038"]);
    assert!(codes("find . -print0 | xargs -0 rm").is_empty());
    assert_eq!(codes("ls | xargs rm"), ["SC2011"]);
    assert_eq!(codes("cat f | grep a"), ["SC2002"]);
    assert_eq!(codes("egrep a f"), ["SC2196"]);
    assert_eq!(codes("ln -s /a"), ["SC2226"]);
    assert_eq!(codes("FOO = bar"), ["SC2283"]);
    assert_eq!(codes("echo a >> f; echo b >> f; echo c >> f"), ["SC2129"]);
    assert_eq!(codes("[ a = b -o c = d ]"), ["SC2166"]);
    assert_eq!(codes("find -name '*.pyc' -delete"), ["SC2185"]);
    assert_eq!(codes("find -L -type f"), ["SC2185"]);
    assert_eq!(codes("find"), ["SC2185"]);
    assert!(
        codes("find / -name x; find -L . -name x; find --help; find \"$D\" -name x").is_empty()
    );
    assert_eq!(codes(". \"$NVM_DIR/nvm.sh\""), ["SC1090"]);
    assert!(
        codes(". \"$HOME/.cargo/env\"")
            .iter()
            .all(|c| *c != "SC1090")
    );
    assert_eq!(codes("tr '[a-z]' A-Z < f"), ["SC2021"]);
    assert!(codes("tr -d '[:space:]' < f; tr a-z A-Z < f; tr -d '[]' < f").is_empty());
    assert_eq!(codes("a && b || c"), ["SC2015"]);
    assert_eq!(
        codes("apt-get update && apt-get install -y x || true"),
        ["SC2015"]
    );
    for fine in [
        "a && b || echo n",
        "a && b || exit 1",
        "a && b || z=3",
        "a && b || c || d",
        "a && b || c && d",
        "if a && b || c; then :; fi",
        "cd /tmp && for s in a b; do gpg x && break || :; done && echo ok",
        "a || b",
    ] {
        assert!(!codes(fine).contains(&"SC2015"), "{fine}");
    }
    assert_eq!(codes("for v in 1.2; do echo \"$v\"; done"), ["SC2043"]);
    assert!(codes("for v in 1 2; do echo \"$v\"; done; for f in *.txt; do echo \"$f\"; done; for a in $L; do echo \"$a\"; done").is_empty());
}

#[test]
fn spans_map_into_the_dockerfile() {
    let df = crate::dockerfile::parse("FROM debian:12\nRUN set -e; \\\n    echo $x\n");
    let checks = ScChecks::new(super::all_checks());
    let bases = crate::semantic::StageBases::default();
    let model = crate::lint::SemanticModel::with_checks(&df, None, &bases, &checks);
    let run = model.analysis().runs.first().expect("one RUN");
    let finding = run
        .script
        .as_ref()
        .and_then(|s| s.sc.first())
        .expect("SC2086");
    assert_eq!(finding.code, "SC2086");
    let src = "FROM debian:12\nRUN set -e; \\\n    echo $x\n";
    assert_eq!(&src[finding.span.start..finding.span.end], "$x");
}

/// A script that does not parse gets one parse-error finding, under ShellCheck's code for the
/// kind of error, and no other finding.
#[test]
fn parse_errors_are_classified_as_shellcheck_does() {
    assert_eq!(codes("greet(name) { echo \"$1\"; }; greet x"), ["SC1065"]);
    assert_eq!(codes("echo value (default)"), ["SC1088"]);
    assert_eq!(codes("if true; then echo a; fi fi"), ["SC1089"]);
    assert_eq!(codes("echo a) b"), ["SC1089"]);
    assert_eq!(
        codes("apt-get update\n  && apt-get install -y curl"),
        ["SC1133"]
    );
    assert_eq!(codes("echo \"unterminated $x"), ["SC1072"]);
}

/// Valid shell tree-sitter-bash cannot parse (`done done`) is not reported; the quoted `done`
/// is a word, not a keyword.
#[test]
fn valid_shell_tree_sitter_rejects_is_not_a_parse_error() {
    let script = "for a in 1 2; do for b in 3 4; do echo \"=== done ===\"; done done && echo ok";
    assert_eq!(codes(script), Vec::<&str>::new());
}

/// A reserved word right after a compound command's closer is valid shell (dash and bash accept
/// it); the script is checked as if a `;` stood there, so its other findings are not lost.
#[test]
fn reserved_word_after_a_closer_is_checked_not_a_parse_error() {
    for script in [
        "if [ a = b ]; then ( echo $x ) else echo b; fi",
        "if x; then { echo $x; } else echo b; fi",
        "if a; then \\\n  if b; then echo $x; fi \\\n fi",
        "for a in 1 2; do case $a in 1) echo $x;; esac done",
        "if ( true ) then echo $x; fi",
        "while ( false ) do echo $x; done",
        "{ { echo $x; } }",
        "if a; then while b; do echo $x; done fi",
    ] {
        assert_eq!(codes(script), ["SC2086"], "{script}");
    }
    // still parse errors: the closer is a word, or a keyword closes nothing
    assert_eq!(codes("if a; then echo done fi"), ["SC1072"]);
    assert_eq!(codes("if a; then ( echo a ) fi fi"), ["SC1088"]);
    assert_eq!(codes("echo a) else"), ["SC1089"]);
}

/// sed's `$` is the last-line address: `'$d'`, `'$a text'` are no expansions (as ShellCheck).
#[test]
fn sed_last_line_address_is_no_expression() {
    for script in [
        "sed -i '$a[provider_sect]\\ndefault=x' f",
        "sed '$d' f",
        "sed -n '$p' f",
        "sed '$s/a/b/' f",
        "sed '${/x/d}' f",
        "sed 's/$HOME/x/;$d' f",
    ] {
        assert_eq!(codes(script), Vec::<&str>::new(), "{script}");
    }
    for script in ["sed 's/$HOME/x/' f", "sed '$aFOO' f", "echo '$d'"] {
        assert_eq!(codes(script), ["SC2016"], "{script}");
    }
}

/// dash's echo expands `\n`: no SC2028 when the shell is dash, in sh scripts only.
#[test]
fn echo_escapes_are_fine_in_dash() {
    let with = |script: &str, dialect, dash| run(script, None, dialect, &[], dash);
    let script = "echo \"#!/bin/sh\\nexit 101\" > /usr/sbin/policy-rc.d";
    assert_eq!(with(script, Dialect::Sh, false), ["SC2028"]);
    assert_eq!(with(script, Dialect::Sh, true), Vec::<&str>::new());
    assert_eq!(with(script, Dialect::Bash, true), ["SC2028"]);
}

/// A variable holding a plain word list, passed whole to a package manager, is meant to split.
#[test]
fn package_lists_meant_to_split_are_not_sc2086() {
    for script in [
        "fetchDeps='ca-certificates wget'; apt-get install -y --no-install-recommends $fetchDeps",
        "deps=\"gcc make\"; apk add --no-cache --virtual .build $deps && apk del $deps",
        "savedAptMark=\"$(apt-mark showmanual)\"; apt-mark auto '.*'; apt-mark manual $savedAptMark",
        "apt-get install -y ${ENV_DEPS}",
        "pkgs='a b'; sudo dnf install -y $pkgs",
        "pkgs='a b'; pip install $pkgs; apt-get purge -y --auto-remove $pkgs",
        "p=\" nginx=${V}-r${R} \\\n njs=$V \"; apk add --no-cache $p",
        "runDeps=\"$(scanelf --needed /usr/local | sort -u)\"; apk add --no-cache $runDeps",
        // set by the base image
        "apk add --virtual .build $PHPIZE_DEPS",
    ] {
        assert_eq!(codes(script), Vec::<&str>::new(), "{script}");
    }
    for script in [
        // not a package operand
        "deps='a b'; echo $deps",
        "deps='a*'; apt-get install -y $deps",
        "deps=\"a ${V:-x}\"; apt-get install -y $deps",
        // reassigned from input
        "deps='a b'; read deps; apt-get install -y $deps",
        // part of a word
        "deps='a b'; apt-get install -y php-$deps",
    ] {
        assert!(codes(script).contains(&"SC2086"), "{script}");
    }
}

/// echo/printf writing a file: its `$` is meant for whoever reads the file.
#[test]
fn single_quotes_written_to_a_file_are_literal() {
    for script in [
        "echo 'export PATH=/opt/bin:$PATH' >> /root/.bashrc",
        "{ echo '[repo]'; echo 'baseurl=https://x/$basearch/'; } > /etc/yum.repos.d/x.repo",
        "echo 'export A=$B' | tee -a /etc/profile",
        "printf '%s\\n' 'x=$y' > /etc/x.conf",
    ] {
        assert_eq!(codes(script), Vec::<&str>::new(), "{script}");
    }
    for script in [
        "echo '$HOME'",
        "echo 'a $b' > /dev/null",
        "echo '$HOME' >&2",
    ] {
        assert_eq!(codes(script), ["SC2016"], "{script}");
    }
}

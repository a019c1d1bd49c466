use super::pkg::{Manager, invocations};
use super::*;
use crate::dockerfile::SourceMap;

fn parse(text: &str) -> Script {
    let map = SourceMap::identity(100, text.len());
    parse_script(text, Mapping::Map { map: &map, base: 0 })
}

fn names(s: &Script) -> Vec<String> {
    s.commands
        .iter()
        .map(|c| c.name().unwrap_or("?").to_string())
        .collect()
}

#[test]
fn chain_with_operators_and_spans() {
    let text = "apt-get update && apt-get install -y curl || true; echo 'a b' | grep a &";
    let s = parse(text);
    assert!(!s.tolerant);
    assert_eq!(names(&s), ["apt-get", "apt-get", "true", "echo", "grep"]);
    let ops: Vec<_> = s.commands.iter().map(|c| c.op_before).collect();
    assert_eq!(
        ops,
        [
            None,
            Some(Op::And),
            Some(Op::Or),
            Some(Op::Seq),
            Some(Op::Pipe)
        ]
    );
    assert!(s.has_pipes);
    // spans are mapped through the source map (offset 100)
    let inst = &s.commands[1];
    assert_eq!(inst.span.start, 100 + text.find("apt-get install").unwrap());
    assert_eq!(inst.args()[2].value, "curl");
    assert_eq!(s.commands[3].args()[0].value, "a b");
    assert!(s.commands[3].args()[0].is_static);
}

#[test]
fn quotes_and_expansions() {
    let s = parse(r#"pip install "foo==1.0" bar\ baz "$PKG" x${V}y"#);
    let a = s.commands[0].args();
    assert_eq!(a[1].value, "foo==1.0");
    assert!(a[1].is_static);
    assert_eq!(a[2].value, "bar baz");
    assert!(!a[3].is_static);
    assert!(!a[4].is_static);
}

#[test]
fn subshells_groups_and_substitutions() {
    let s = parse("(cd /x && make) && { rm -rf /tmp/*; } && echo $(uname -m)");
    assert_eq!(names(&s), ["cd", "make", "rm", "echo", "uname"]);
    assert!(s.commands[4].nested);
    assert!(!s.commands[3].nested);
    assert!(!s.has_pipes);
    assert!(s.removes("/tmp/foo"));
}

#[test]
fn wrappers_are_skipped() {
    let s = parse("sudo -u root env DEBIAN_FRONTEND=noninteractive apt-get install -y x");
    assert_eq!(s.commands[0].name(), Some("apt-get"));
    assert_eq!(s.commands[0].words[0].value, "sudo");
    let s = parse("DEBIAN_FRONTEND=noninteractive apt-get -qq install x");
    assert_eq!(
        s.commands[0].assignments,
        ["DEBIAN_FRONTEND=noninteractive"]
    );
    assert_eq!(s.commands[0].name(), Some("apt-get"));
}

#[test]
fn sh_c_is_parsed_recursively_with_exact_spans() {
    let text = "sh -c 'apk add curl && rm -rf /var/cache/apk/*'";
    let s = parse(text);
    assert_eq!(names(&s), ["sh", "apk", "rm"]);
    assert!(s.commands[1].from_sh_c);
    assert_eq!(s.commands[1].span.start, 100 + text.find("apk").unwrap());
    assert!(s.removes("/var/cache/apk"));
    let s = parse(r#"bash -ec "set -o pipefail; curl x | sh""#);
    assert_eq!(names(&s), ["bash", "set", "curl", "sh"]);
    assert!(s.pipefail, "pipefail");
    assert!(s.has_pipes, "pipes");
}

#[test]
fn set_flags() {
    assert!(parse("set -eux; make").errexit);
    assert!(parse("set -o pipefail && a | b").pipefail);
    assert!(parse("set -euxo pipefail").pipefail);
    assert!(!parse("make").errexit);
}

#[test]
fn comments_are_recorded() {
    let s = parse("pip install x #&&  apk del .deps");
    assert_eq!(names(&s), ["pip"]);
    assert_eq!(s.comments.len(), 1);
    assert!(s.comments[0].text.contains("apk del"));
}

#[test]
fn tolerant_fallback_on_unterminated_quote() {
    let s = parse("apt-get install -y 'curl && echo \"x");
    assert!(s.tolerant);
    assert_eq!(s.commands[0].name(), Some("apt-get"));
    let s = parse("if [ -f x ]; then apk add y; fi; echo \"unterminated");
    assert!(s.tolerant);
    assert!(s.any("apk", &["add", "y"]));
}

#[test]
fn control_flow_commands_are_found() {
    let s = parse("for p in a b; do pip install $p; done; if true; then npm ci; fi");
    assert!(s.any("pip", &["install"]));
    assert!(s.any("npm", &["ci"]));
}

#[test]
fn path_cover() {
    assert!(path_covers("/var/lib/apt/lists/*", "/var/lib/apt/lists"));
    assert!(path_covers("/var/lib/apt/lists", "/var/lib/apt/lists"));
    assert!(path_covers("/var/lib/apt/*", "/var/lib/apt/lists"));
    assert!(path_covers("~/.cache", "/root/.cache/pip"));
    assert!(!path_covers(
        "/var/lib/apt/lists/partial",
        "/var/lib/apt/lists"
    ));
    assert!(path_covers("/var/*", "/var/lib/apt/lists"));
    assert!(!path_covers("/root/*", "/root/.cache/pip"));
    assert!(path_covers("/root/.cache/*", "/root/.cache/pip"));
    assert!(!path_covers("/tmp/*", "/var/lib/apt/lists"));
}

#[test]
fn package_model() {
    let s = parse(
        "apt-get -o Dpkg::Options::=--force-confold install -y --no-install-recommends curl=7.1 git \
         && apk add --no-cache --virtual .deps gcc 'musl-dev>1' \
         && python3 -m pip install --no-cache-dir -r req.txt flask==2.0 requests \
         && npm install -g @scope/pkg@1.2 left-pad \
         && yum install -y httpd-2.4.6 gcc-c++ \
         && gem install rails:7.0 \
         && yarn",
    );
    let inv = invocations(&s);
    let apt = &inv[0];
    assert_eq!(apt.manager, Manager::AptGet);
    assert_eq!(apt.sub(), "install");
    assert!(apt.has(&["-y"]));
    let pk = apt.packages();
    assert_eq!(pk.len(), 2);
    assert_eq!(pk[0].name, "curl");
    assert_eq!(pk[0].version.as_deref(), Some("7.1"));
    assert_eq!(pk[1].version, None);

    let apk = &inv[1];
    assert_eq!(apk.value(&["--virtual"]), Some(".deps"));
    let pk = apk.packages();
    assert_eq!(
        pk.iter().map(|p| p.name.as_str()).collect::<Vec<_>>(),
        ["gcc", "musl-dev"]
    );
    assert!(pk[1].version.is_some());

    let pip = &inv[2];
    assert_eq!(pip.manager, Manager::Pip);
    assert_eq!(pip.value(&["-r"]), Some("req.txt"));
    let pk = pip.packages();
    assert_eq!(pk.len(), 2);
    assert_eq!(pk[0].version.as_deref(), Some("2.0"));
    assert_eq!(pk[1].version, None);

    let npm = &inv[3];
    let pk = npm.packages();
    assert_eq!(pk[0].name, "@scope/pkg");
    assert_eq!(pk[0].version.as_deref(), Some("1.2"));
    assert_eq!(pk[1].version, None);

    let yum = &inv[4];
    let pk = yum.packages();
    assert_eq!(pk[0].name, "httpd");
    assert_eq!(pk[1].version, None);

    assert_eq!(inv[5].packages()[0].version.as_deref(), Some("7.0"));
    assert_eq!(inv[6].manager, Manager::Yarn);
    assert!(inv[6].is_install());
}

#[test]
fn simulated_apt_install_is_not_an_install() {
    let s = parse("apt-get install -s foo >/dev/null && apt-get install -y bar");
    let inv = invocations(&s);
    assert!(!inv[0].is_install());
    assert!(inv[1].is_install());
}

#[test]
fn short_option_clusters() {
    let s = parse("apt-get install -qy curl && rm -rf /x");
    let inv = invocations(&s);
    assert!(inv[0].has(&["-y"]));
    assert!(s.commands[1].has_option(Some('r'), Some("recursive")));
}

#[test]
fn never_panics_on_odd_input() {
    for t in [
        "",
        "&&",
        "|||",
        "'",
        "\"",
        "\\",
        "$(",
        "`",
        "((",
        "{ ;",
        "a\\",
        "# only",
        "é'ü",
        "a &>/dev/null",
        "a 2>&1 | b",
        ";;",
        "case x in a) b;; esac",
    ] {
        let _ = parse(t);
        let map = SourceMap::identity(0, t.len());
        let _ = tokenize::parse(t, Mapping::Map { map: &map, base: 0 });
    }
}

proptest::proptest! {
    #[test]
    fn parse_never_panics(text in "[a-z &|;'\"\\\\$(){}#<>\n\t=é-]{0,80}") {
        let s = parse(&text);
        for c in &s.commands {
            // spans stay inside the mapped range
            proptest::prop_assert!(c.span.start >= 100 && c.span.end <= 100 + text.len());
        }
        let map = SourceMap::identity(0, text.len());
        let _ = tokenize::parse(&text, Mapping::Map { map: &map, base: 0 });
        let _ = invocations(&s);
    }
}

#[test]
fn parser_maps_continuations() {
    use crate::dockerfile::{InstructionKind, ShellOrExec};
    let src = "FROM debian AS base\nRUN apt-get update \\\n # c\n && rm -rf /x\n";
    let df = crate::dockerfile::parse(src);
    assert_eq!(df.instructions.len(), 2);
    let InstructionKind::Run(ShellOrExec::Shell(t)) = &df.instructions[1].kind else {
        panic!("not a shell RUN");
    };
    assert!(t.text.contains("update ") && t.text.contains("&& rm"));
    let p = t.text.find("rm").unwrap();
    assert_eq!(t.map.to_source(p), src.find("rm").unwrap());
}

/// Stack the deepest walk is tested with: half of a rayon worker's 2 MiB.
const STACK_KIB: usize = 1024;

/// Runs `f` on a thread with a `kib` KiB stack (rayon's workers get 2 MiB): a stack overflow
/// aborts the whole test binary, so passing proves the walk fits.
fn on_small_stack<T: Send + 'static>(kib: usize, f: impl FnOnce() -> T + Send + 'static) -> T {
    std::thread::Builder::new()
        .stack_size(kib * 1024)
        .spawn(f)
        .expect("spawn")
        .join()
        .expect("no panic")
}

#[test]
fn nesting_just_below_the_limit_is_walked_on_a_small_stack() {
    // 126 substitutions are 253 tree levels, the deepest that is walked (127 are flagged);
    // the walk needs less than STACK_KIB of stack in a debug build.
    let n = 126;
    let text = format!("{}x{}", "echo $(".repeat(n), ")".repeat(n));
    let s = on_small_stack(STACK_KIB, move || parse(&text));
    assert_eq!(s.limit, None);
    assert!(!s.tolerant);
    assert_eq!(s.commands.len(), n + 1);
    let text = format!("{}x{}", "echo $(".repeat(n + 1), ")".repeat(n + 1));
    assert!(parse(&text).limit.is_some());
    let n = 253;
    let text = format!("{}true{}", "( ".repeat(n), " )".repeat(n));
    let s = on_small_stack(STACK_KIB, move || parse(&text));
    assert_eq!(s.limit, None);
    assert_eq!(names(&s), ["true"]);
}

#[test]
fn deep_nesting_is_tokenized_and_flagged_not_overflowed() {
    for (open, close) in [
        ("echo $(", ")"),
        ("( ", " )"),
        ("{ ", "; }"),
        ("if true; then ", "; fi"),
    ] {
        let n = 100_000;
        let text = format!("{}true{}", open.repeat(n), close.repeat(n));
        let start = std::time::Instant::now();
        let s = on_small_stack(STACK_KIB, move || parse(&text));
        let span = s.limit.expect("limit reported").span();
        assert!(span.start >= 100, "span inside the script: {span:?}");
        assert!(s.tolerant, "{open}: tokenizer used");
        assert!(!s.commands.is_empty(), "{open}: commands still found");
        // Generous: about 0.5 s in a debug build on a loaded machine.
        assert!(
            start.elapsed().as_secs() < 20,
            "{open}: {:?}",
            start.elapsed()
        );
    }
}

#[test]
fn sh_c_nesting_shares_the_depth_budget() {
    // A deep script inside `sh -c '...'` counts from the sh -c command's level.
    let inner = format!("{}true{}", "( ".repeat(300), " )".repeat(300));
    let text = format!("apt-get update && sh -c '{inner}'");
    let s = on_small_stack(STACK_KIB, move || parse(&text));
    assert!(s.limit.is_some());
    assert_eq!(names(&s).first().map(String::as_str), Some("apt-get"));
}

fn writes(s: &Script) -> Vec<Vec<(String, bool)>> {
    s.commands
        .iter()
        .map(|c| {
            c.writes
                .iter()
                .map(|w| (w.value.clone(), w.is_static))
                .collect()
        })
        .collect()
}

fn w(v: &str) -> (String, bool) {
    (v.to_string(), true)
}

#[test]
fn output_redirect_targets() {
    let s = parse(
        "mkdir -p /tmp/b && head -c 3 /dev/zero > /tmp/b/blob.bin 2>/tmp/err.log; echo x >> \"/etc/a b\"",
    );
    assert!(!s.tolerant);
    assert_eq!(
        writes(&s),
        [
            vec![],
            vec![w("/tmp/b/blob.bin"), w("/tmp/err.log")],
            vec![w("/etc/a b")]
        ]
    );
    // duplications and input redirects are not files written; prefix redirects are
    let s = parse("cmd 2>&1 < /etc/in && >/tmp/out echo hi &> /tmp/all");
    assert_eq!(writes(&s), [vec![], vec![w("/tmp/out"), w("/tmp/all")]]);
    // a redirected group or loop: its first command; a heredoc's redirect; inside a pipeline
    let s = parse("{ echo a; echo b; } > /tmp/g && cat <<EOF > /tmp/h\nx\nEOF\n");
    assert_eq!(writes(&s), [vec![w("/tmp/g")], vec![], vec![w("/tmp/h")]]);
    let s =
        parse("curl -s https://e.com | tar -x > /tmp/t.log; for f in a; do echo $f; done >/tmp/l");
    assert_eq!(
        writes(&s),
        [vec![], vec![w("/tmp/t.log")], vec![w("/tmp/l")]]
    );
    // a dynamic target is kept, not static; a substitution in it is still walked
    let s = parse("echo x > \"$D/f\" && echo y > $(mktemp)");
    assert_eq!(s.commands[0].writes[0].value, "$D/f");
    assert!(!s.commands[0].writes[0].is_static);
    assert_eq!(names(&s), ["echo", "echo", "mktemp"]);
    assert!(s.commands[2].nested);
    assert_eq!(s.commands[1].writes.len(), 1);
    // inside sh -c
    let s = parse("sh -c 'echo a > /tmp/in-sh'");
    assert_eq!(writes(&s), [vec![], vec![w("/tmp/in-sh")]]);
}

#[test]
fn output_redirect_targets_tolerant() {
    let s = parse("echo \"unterminated > /x && echo a > /tmp/a 2>/tmp/e >&2");
    assert!(s.tolerant);
    let s = parse("echo a > /tmp/a 2>/tmp/e >&2 1>>/tmp/b && echo 'oops");
    assert!(s.tolerant);
    assert_eq!(writes(&s)[0], [w("/tmp/a"), w("/tmp/e"), w("/tmp/b")]);
}

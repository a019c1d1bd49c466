//! Property test: on generated Dockerfiles full of fixable cache and package findings (every
//! package manager, `&&` / `;` / `||` / pipes, `set -e`, continuation lines in both operator
//! styles, comment lines inside continuations, heredocs, `sh -c`, CRLF, `# escape=\``,
//! consecutive RUNs, state-changing RUNs), `fix --unsafe-fixes` converges, a second run changes
//! nothing, no parse error appears and no fixable finding is left.

use dlint::dockerfile;
use dlint::lint::Config;
use dlint::lint::fix::{FixMode, MAX_ROUNDS, fix_with};
use proptest::prelude::*;

fn command() -> impl Strategy<Value = &'static str> {
    prop_oneof![
        Just("apt-get update"),
        Just("apt-get install curl"),
        Just("apt-get install -y --no-install-recommends git"),
        Just("apt install -q ca-certificates"),
        Just("apk update"),
        Just("apk add curl"),
        Just("apk upgrade"),
        Just("pip install flask"),
        Just("python3 -m pip install -r requirements.txt"),
        Just("yum install httpd"),
        Just("dnf install git"),
        Just("microdnf install -y tar"),
        Just("zypper install vim"),
        Just("npm ci"),
        Just("yarn install"),
        Just("pnpm install"),
        Just("gem install rake"),
        Just("go build -o /app ."),
        Just("composer install"),
        Just("uv pip install --system x"),
        Just("conda install -y numpy"),
        Just("cd /tmp"),
        Just("export A=1"),
        Just("echo \"a; b && c\""),
        Just("true"),
        Just("sh -c 'apt-get update && apt-get install x'"),
        Just("rm -rf /var/lib/apt/lists/*"),
    ]
}

fn separator() -> impl Strategy<Value = &'static str> {
    prop_oneof![
        Just(" && "),
        Just("; "),
        Just(" || "),
        Just(" | "),
        Just(" \\\n    && "),
        Just(" && \\\n    "),
        Just("; \\\n    "),
        Just(" \\\n# a comment line\n    && "),
    ]
}

#[derive(Debug, Clone)]
enum Run {
    Shell {
        set_e: bool,
        first: &'static str,
        rest: Vec<(&'static str, &'static str)>,
    },
    Heredoc {
        set_e: bool,
        lines: Vec<&'static str>,
    },
}

fn run() -> impl Strategy<Value = Run> {
    prop_oneof![
        (
            any::<bool>(),
            command(),
            prop::collection::vec((separator(), command()), 0..4)
        )
            .prop_map(|(set_e, first, rest)| Run::Shell { set_e, first, rest }),
        (any::<bool>(), prop::collection::vec(command(), 1..4))
            .prop_map(|(set_e, lines)| Run::Heredoc { set_e, lines }),
    ]
}

fn render(runs: &[Run], crlf: bool, backtick: bool, base: &str) -> String {
    let mut s = String::new();
    if backtick {
        s.push_str("# escape=`\n");
    }
    s.push_str(&format!("FROM {base}\n"));
    for r in runs {
        match r {
            Run::Shell { set_e, first, rest } => {
                s.push_str("RUN ");
                if *set_e {
                    s.push_str("set -eux; ");
                }
                s.push_str(first);
                for (sep, c) in rest {
                    s.push_str(sep);
                    s.push_str(c);
                }
                s.push('\n');
            }
            Run::Heredoc { set_e, lines } => {
                s.push_str("RUN <<EOF\n");
                if *set_e {
                    s.push_str("set -e\n");
                }
                for l in lines {
                    s.push_str(l);
                    s.push('\n');
                }
                s.push_str("EOF\n");
            }
        }
    }
    if backtick {
        s = s.replace("\\\n", "`\n");
    }
    if crlf {
        s = s.replace('\n', "\r\n");
    }
    s
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    #[test]
    fn fixes_converge_and_are_idempotent(
        runs in prop::collection::vec(run(), 1..4),
        crlf in any::<bool>(),
        backtick in any::<bool>(),
        base in prop_oneof![Just("debian:12"), Just("alpine:3.20"), Just("node:20")],
    ) {
        let src = render(&runs, crlf, backtick, base);
        let cfg = Config::default();
        let mode = FixMode { unsafe_fixes: true };
        let path = dlint::rules::registry();
        let fixed = fix_with(path, &src, &cfg, mode);
        prop_assert!(fixed.converged, "no convergence in {} rounds:\n{src}\n->\n{}", MAX_ROUNDS, fixed.source);
        let again = fix_with(path, &fixed.source, &cfg, mode);
        prop_assert_eq!(&again.source, &fixed.source, "second run changed:\n{}", src);
        prop_assert_eq!(again.applied, 0);
        let before = dockerfile::parse(&src).errors.len();
        let after = dockerfile::parse(&fixed.source).errors.len();
        prop_assert!(after <= before, "new parse errors:\n{src}\n->\n{}", fixed.source);
        let left: Vec<_> = fixed.remaining.iter().filter(|d| d.fix.is_some()).map(|d| d.rule).collect();
        prop_assert!(left.is_empty(), "fixable findings left {left:?}:\n{}", fixed.source);
        if crlf {
            // every line still ends in CRLF
            prop_assert!(!fixed.source.replace("\r\n", "").contains('\n'), "a bare LF:\n{:?}", fixed.source);
        }
    }
}

/// The generator produces files the fixes act on (the property above is not vacuous).
#[test]
fn generated_files_get_fixed() {
    let runs = vec![
        Run::Shell {
            set_e: true,
            first: "apt-get update",
            rest: vec![(" \\\n    && ", "apt-get install curl"), ("; ", "npm ci")],
        },
        Run::Heredoc {
            set_e: false,
            lines: vec!["apk add curl", "pip install flask"],
        },
    ];
    let src = render(&runs, true, true, "debian:12");
    let f = fix_with(
        dlint::rules::registry(),
        &src,
        &Config::default(),
        FixMode { unsafe_fixes: true },
    );
    assert!(f.applied >= 6, "{} fixes:\n{}", f.applied, f.source);
    // DL5158's unsafe fix drops the dev dependencies of `npm ci` in the final image
    assert_eq!(
        f.source,
        "# escape=`\r\nFROM debian:12\r\nRUN set -eux; apt-get update `\r\n    && apt-get install --no-install-recommends -y curl; npm ci --omit=dev; `\r\n    rm -rf /var/lib/apt/lists/*; `\r\n    npm cache clean --force\r\nRUN <<EOF\r\napk add --no-cache curl\r\npip install --no-cache-dir flask\r\nEOF\r\n"
    );
}

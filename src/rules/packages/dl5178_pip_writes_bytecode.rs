//! DL5178: `pip install` without `--no-compile` where the stage sets `PYTHONDONTWRITEBYTECODE`.
//! pip compiles every module it installs with `compileall`, which does not read that variable
//! (only the interpreter's implicit writes at import do), so `__pycache__/*.pyc` lands in the
//! layer although the author asked for no bytecode. Measured with pip 23.2.1 and 26.3:
//! `PYTHONDONTWRITEBYTECODE=1 pip install` writes the same `.pyc` files as without it;
//! `--no-compile` (or `PIP_NO_COMPILE=0`) writes none, and `PIP_NO_COMPILE=1` still compiles
//! (pip reads the variables of its `--no-*` options inverted).

use crate::dockerfile::InstructionKind;
use crate::lint::{Applicability, Context, Fix, Rule, RuleMeta, Severity};
use crate::semantic::SemanticModel;
use crate::shell::Script;
use crate::shell::pkg::{Invocation, Manager, assigned_before, invocations};
use crate::shell::run::{Run, truthy};

/// DL5178 `pip-writes-bytecode`.
pub struct PipWritesBytecode;

impl Rule for PipWritesBytecode {
    fn meta(&self) -> RuleMeta {
        RuleMeta {
            id: "DL5178",
            name: "pip-writes-bytecode",
            severity: Severity::Info,
            summary: "pip install compiles __pycache__/*.pyc into the layer although \
                      PYTHONDONTWRITEBYTECODE says no bytecode (add --no-compile)",
            fix: Some(Applicability::Unsafe),
            ..RuleMeta::DEFAULT
        }
    }

    fn check(&self, cx: &mut Context<'_>) {
        let df = cx.dockerfile;
        let model = cx.model();
        let a = cx.analysis();
        let sets = dont_write_envs(df);
        for run in a.runs.iter().filter(|r| !r.onbuild) {
            let Some(script) = &run.script else { continue };
            for inv in invocations(script) {
                if inv.manager != Manager::Pip
                    || inv.sub() != "install"
                    // uv compiles only when asked (`--compile-bytecode`)
                    || inv.is_uv()
                    || inv.has(&["--no-compile"])
                {
                    continue;
                }
                let no_compile = value_of(model, run, script, &inv, "PIP_NO_COMPILE");
                if no_compile.as_deref().is_some_and(falsy) {
                    continue;
                }
                let Some(meant) = dont_write_meant(model, run, script, &inv, &sets) else {
                    continue;
                };
                let trap = match no_compile {
                    Some(v) if truthy(&v) => format!(
                        " (PIP_NO_COMPILE={v} does not turn it off: pip reads the variable of a \
                         `--no-*` option inverted; PIP_NO_COMPILE=0 does)"
                    ),
                    _ => String::new(),
                };
                let message = format!(
                    "`pip install` compiles what it installs to __pycache__/*.pyc in this \
                     layer although {meant}: pip compiles with compileall, which does not read \
                     it{trap}; add `--no-compile`"
                );
                let fix = crate::shell::edit::insert_option(df, &inv, "--no-compile").map(|e| {
                    Fix::unsafe_edit(
                        "add `--no-compile` (the program then starts without bytecode and, \
                         with PYTHONDONTWRITEBYTECODE, compiles its modules at every start)",
                        vec![e],
                    )
                });
                cx.report_with_fix(inv.cmd.span, message, fix);
            }
        }
    }
}

/// `0`, `false`, `no`, `off`: the values of `PIP_NO_COMPILE` that turn compiling off.
fn falsy(v: &str) -> bool {
    matches!(
        v.trim_matches(['"', '\'']).to_ascii_lowercase().as_str(),
        "0" | "false" | "no" | "off"
    )
}

/// The value of `name` for the command: an assignment on it, an earlier one in the script,
/// or an ENV/ARG in scope.
fn value_of(
    model: &SemanticModel<'_>,
    run: &Run,
    script: &Script,
    inv: &Invocation<'_>,
    name: &str,
) -> Option<String> {
    let prefix = format!("{name}=");
    inv.cmd
        .assignments
        .iter()
        .find_map(|a| a.strip_prefix(&prefix))
        .map(|v| v.trim_matches(['"', '\'']).to_string())
        .or_else(|| assigned_before(script, inv.index, name))
        .or_else(|| model.var(run.index, name))
}

const NAME: &str = "PYTHONDONTWRITEBYTECODE";

/// The ENV instructions (indices, ascending) that set `PYTHONDONTWRITEBYTECODE` to a non-empty
/// value: computed once per file, so a long stage of pip installs stays linear.
fn dont_write_envs(df: &crate::dockerfile::Dockerfile) -> Vec<usize> {
    df.instructions
        .iter()
        .enumerate()
        .filter(|(_, x)| match &x.kind {
            InstructionKind::Env(kvs) => kvs.iter().any(|kv| {
                kv.key.value == NAME && kv.value.as_ref().is_some_and(|v| !v.value.is_empty())
            }),
            _ => false,
        })
        .map(|(i, _)| i)
        .collect()
}

/// Where the stage says it wants no bytecode: `PYTHONDONTWRITEBYTECODE` set to a non-empty
/// value (what Python checks) for the command, or by an ENV later in the same stage.
fn dont_write_meant(
    model: &SemanticModel<'_>,
    run: &Run,
    script: &Script,
    inv: &Invocation<'_>,
    sets: &[usize],
) -> Option<String> {
    if value_of(model, run, script, inv, NAME).is_some_and(|v| !v.is_empty()) {
        return Some(format!("{NAME} is set"));
    }
    let df = model.dockerfile();
    // `sets` is ascending: the first ENV after the RUN, if it is in the RUN's stage
    let later_env = *sets.get(sets.partition_point(|&i| i <= run.index))?;
    if df.instructions.get(later_env).and_then(|x| x.stage) != run.stage {
        return None;
    }
    let line = df
        .instructions
        .get(later_env)
        .map(|x| df.lines.line_col(&df.source, x.span.start).line)?;
    Some(format!("the stage sets {NAME} later (line {line})"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::testing::{fixed, lines};

    #[test]
    fn flags_pip_compiling_where_no_bytecode_is_meant() {
        for (src, want) in [
            (
                "FROM python:3.12\nENV PYTHONDONTWRITEBYTECODE=1\nRUN pip install -r r.txt\n",
                vec![3],
            ),
            // set only after the install
            (
                "FROM python:3.12\nRUN pip3 install flask\nENV PYTHONDONTWRITEBYTECODE=1\n",
                vec![2],
            ),
            (
                "FROM python:3.12\nRUN export PYTHONDONTWRITEBYTECODE=1 && python -m pip install x\n",
                vec![2],
            ),
            (
                "FROM python:3.12\nRUN PYTHONDONTWRITEBYTECODE=1 pip install x\n",
                vec![2],
            ),
            // PIP_NO_COMPILE=1 does not turn compiling off
            (
                "FROM python:3.12\nENV PYTHONDONTWRITEBYTECODE=1 PIP_NO_COMPILE=1\nRUN pip install x\n",
                vec![3],
            ),
        ] {
            assert_eq!(lines(&PipWritesBytecode, src), want, "{src}");
        }
    }

    #[test]
    fn accepts_no_compile_other_tools_and_stages_that_do_not_ask() {
        for src in [
            "FROM python:3.12\nENV PYTHONDONTWRITEBYTECODE=1\nRUN pip install --no-compile x\n",
            "FROM python:3.12\nENV PYTHONDONTWRITEBYTECODE=1 PIP_NO_COMPILE=0\nRUN pip install x\n",
            "FROM python:3.12\nENV PYTHONDONTWRITEBYTECODE=1\nRUN uv pip install --system x\n",
            "FROM python:3.12\nENV PYTHONDONTWRITEBYTECODE=1\nRUN pip download x && pip wheel x\n",
            "FROM python:3.12\nRUN pip install x\n",
            "FROM python:3.12\nENV PYTHONDONTWRITEBYTECODE=\nRUN pip install x\n",
            // another stage's ENV is not this one's
            "FROM python:3.12 AS a\nENV PYTHONDONTWRITEBYTECODE=1\nFROM python:3.12\nRUN pip install x\n",
        ] {
            assert!(lines(&PipWritesBytecode, src).is_empty(), "{src}");
        }
    }

    #[test]
    fn fix_adds_no_compile() {
        let src = "FROM python:3.12\nENV PYTHONDONTWRITEBYTECODE=1\nRUN pip install -r r.txt\n";
        assert_eq!(
            fixed(&PipWritesBytecode, src),
            "FROM python:3.12\nENV PYTHONDONTWRITEBYTECODE=1\nRUN pip install --no-compile -r r.txt\n"
        );
    }
}

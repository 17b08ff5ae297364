//! One module per command.

mod adopt;
mod apply;
mod completions;
mod deploy;
mod fmt;
mod graph;
mod import;
mod output;
mod plan;
mod stack;
mod unlock;
mod validate;

use std::process::ExitCode;

use crate::args::{Cli, Command, Format, Import, OutputFormat};
use crate::import::task_definition::Given;

/// Runs a parsed command line; the exit code follows the CLI contract.
pub fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    match cli.command {
        Command::Validate { dir, vars } => validate::run(&dir, &vars),
        Command::Fmt { dir, check } => fmt::run(&dir, check),
        Command::Lsp => Ok(berth_lsp::run_stdio()?),
        Command::Plan {
            dir,
            vars,
            out,
            format,
            json,
            detailed_exitcode,
            stats,
            max_chars,
            full_plan_url,
        } => plan::run(
            &cli.global,
            &dir,
            &vars,
            plan::Output {
                out,
                format: if json { Format::Json } else { format },
                detailed_exitcode,
                stats,
                max_chars,
                full_plan: full_plan_url,
            },
        ),
        Command::Apply {
            target,
            vars,
            auto_approve,
            parallelism,
            stats,
            wait,
        } => {
            let how = apply::How {
                auto_approve,
                parallelism: parallelism.into(),
                stats,
                destroy: false,
                wait,
            };
            apply::run(&cli.global, &target, &vars, how)
        }
        Command::Destroy {
            dir,
            vars,
            auto_approve,
            parallelism,
            stats,
        } => {
            let how = apply::How {
                auto_approve,
                parallelism: parallelism.into(),
                stats,
                destroy: true,
                wait: false,
            };
            apply::run(&cli.global, &dir, &vars, how)
        }
        Command::Graph { dir, vars } => graph::run(&dir, &vars),
        Command::Deploy {
            dir,
            vars,
            service,
            image,
            container,
            wait,
        } => deploy::run(
            &cli.global,
            &dir,
            &vars,
            deploy::Deploy {
                service,
                image,
                container,
                wait,
            },
        ),
        Command::Import {
            what:
                Some(Import::TaskDefinition {
                    file,
                    family,
                    cpu,
                    memory,
                    execution_role,
                    task_role,
                }),
            ..
        } => {
            let given = Given {
                family,
                cpu,
                memory,
                execution_role,
                task_role,
            };
            import::task_definition(&file, &given)
        }
        Command::Import {
            what: None,
            address,
            id,
            dir,
            vars,
            dry_run,
        } => {
            let (Some(address), Some(id)) = (address, id) else {
                anyhow::bail!("berth import needs an ADDRESS and an ID (or `task-definition FILE`)");
            };
            let what = adopt::Adopt {
                address: &address,
                id: &id,
                dir: &dir,
                vars: &vars,
                dry_run,
            };
            adopt::run(&cli.global, &what)
        }
        Command::Unlock { dir, vars, force } => unlock::run(&cli.global, &dir, &vars, force),
        Command::Output {
            dir,
            vars,
            format,
            json,
        } => {
            let format = if json { OutputFormat::Json } else { format };
            output::run(&cli.global, &dir, &vars, format)
        }
        Command::Completions { shell } => completions::run(shell),
    }
}

//! Command-line arguments.

use std::path::PathBuf;

use clap::{Parser, Subcommand, ValueEnum};

#[derive(Debug, Parser)]
#[command(
    name = "berth",
    version,
    about = "Infrastructure as code for container stacks on AWS"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
    #[command(flatten)]
    pub global: Global,
}

#[derive(Debug, clap::Args)]
pub struct Global {
    /// Where resources live: the embedded local cloud, or AWS.
    #[arg(long, global = true, env = "BERTH_CLOUD", value_enum, default_value_t = Cloud::Local)]
    pub cloud: Cloud,
    /// The local cloud's file (default: DIR/.berth/local-cloud.json).
    #[arg(long, global = true, value_name = "PATH")]
    pub local_state: Option<PathBuf>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Cloud {
    Local,
    Aws,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check a stack: syntax, references, schema and AWS's rules.
    Validate {
        #[arg(default_value = ".")]
        dir: PathBuf,
        #[command(flatten)]
        vars: Vars,
    },
    /// Rewrite .berth files in the canonical layout.
    Fmt {
        #[arg(default_value = ".")]
        dir: PathBuf,
        /// Change nothing; list the files that would change and exit 1 if any.
        #[arg(long)]
        check: bool,
    },
    /// Run the language server over stdio (for editors).
    Lsp,
}

/// Variable settings shared by the commands that evaluate a stack.
#[derive(Debug, Clone, clap::Args)]
pub struct Vars {
    /// Set a variable: NAME=VALUE (repeatable). Non-string values are written
    /// as in a .berth file: --var 'zones=["us-east-1a", "us-east-1b"]'.
    #[arg(long = "var", value_name = "NAME=VALUE", value_parser = parse_var)]
    pub vars: Vec<(String, String)>,
    /// Read variables from a file of `NAME = VALUE` lines (berth syntax).
    #[arg(long = "var-file", value_name = "FILE")]
    pub var_files: Vec<PathBuf>,
}

fn parse_var(s: &str) -> Result<(String, String), String> {
    let (name, value) = s
        .split_once('=')
        .ok_or_else(|| format!("`{s}` is not NAME=VALUE"))?;
    if name.is_empty() {
        return Err(format!("`{s}` has no variable name"));
    }
    Ok((name.trim().to_owned(), value.to_owned()))
}

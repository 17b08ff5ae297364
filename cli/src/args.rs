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
    /// The local cloud's file (default: DIR/.berth/local-cloud.json). Stacks
    /// that look each other up share one file.
    #[arg(long, global = true, env = "BERTH_LOCAL_STATE", value_name = "PATH", value_parser = any_path)]
    pub local_state: Option<PathBuf>,
    /// At most N AWS API calls per second over the whole run (AWS only;
    /// berth also keeps at most 64 calls in flight and slows down a service
    /// that throttles).
    #[arg(long, global = true, value_name = "N", value_parser = positive_rate)]
    pub max_rps: Option<f64>,
    /// How long to wait for the stack's lock while another run holds it
    /// (`30s`, `10m`); by default, fail at once naming the holder.
    #[arg(long, global = true, env = "BERTH_LOCK_TIMEOUT", value_name = "DURATION", default_value = "0s", value_parser = humantime::parse_duration)]
    pub lock_timeout: std::time::Duration,
    /// Errors in full: the AWS SDK's own account of what failed (every
    /// credential provider tried, ...), not only berth's one-line summary.
    #[arg(short, long, global = true)]
    pub verbose: bool,
    /// No colour in any output (also when the NO_COLOR variable is set).
    #[arg(long, global = true)]
    pub no_color: bool,
}

/// A rate of calls per second: a positive number.
fn positive_rate(text: &str) -> Result<f64, String> {
    match text.parse::<f64>() {
        Ok(r) if r.is_finite() && r > 0.0 => Ok(r),
        _ => Err(format!("`{text}` is not a positive number of calls per second")),
    }
}

/// `--max-chars`: room for the summary and the notes of what is left out.
fn at_least_1000(text: &str) -> Result<usize, String> {
    match text.parse::<usize>() {
        Ok(n) if n >= 1000 => Ok(n),
        _ => Err(format!("`{text}` is not a number of characters of at least 1000")),
    }
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
    /// Show what apply would change: diff the stack against the cloud.
    Plan {
        #[arg(default_value = ".")]
        dir: PathBuf,
        #[command(flatten)]
        vars: Vars,
        /// Save the plan, to apply exactly it with `berth apply FILE`.
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
        /// `--format json` (Terraform's `-json`).
        #[arg(long, conflicts_with = "format")]
        json: bool,
        /// Exit 0 when there are no changes, 2 when there are, 1 on errors.
        #[arg(long)]
        detailed_exitcode: bool,
        /// Print the API calls made, by service and operation.
        #[arg(long)]
        stats: bool,
        /// The markdown comment has at most N characters (GitHub takes
        /// 65,536): what does not fit is left out, and the comment says so.
        #[arg(long, value_name = "N", default_value_t = berth_planner::render::DEFAULT_MAX_CHARS,
              value_parser = at_least_1000)]
        max_chars: usize,
        /// Where the whole plan can be seen (say, the CI run's artifacts), for
        /// the markdown comment to link when it leaves something out.
        #[arg(long, value_name = "URL")]
        full_plan_url: Option<String>,
    },
    /// Make the cloud match the stack (or apply a saved plan file).
    Apply {
        /// A stack directory, or a plan file from `berth plan --out`.
        #[arg(default_value = ".")]
        target: PathBuf,
        #[command(flatten)]
        vars: Vars,
        /// Do not ask for confirmation.
        #[arg(long)]
        auto_approve: bool,
        /// How many operations run at once.
        #[arg(long, default_value_t = 10, value_parser = clap::value_parser!(u16).range(1..))]
        parallelism: u16,
        /// Print the API calls made, by service and operation.
        #[arg(long)]
        stats: bool,
        /// After applying, wait until changed ECS services run their desired
        /// count of tasks on a single deployment (off by default, as in
        /// Terraform's ECS service).
        #[arg(long)]
        wait: bool,
    },
    /// Delete every resource the stack owns.
    Destroy {
        #[arg(default_value = ".")]
        dir: PathBuf,
        #[command(flatten)]
        vars: Vars,
        /// Do not ask for confirmation.
        #[arg(long)]
        auto_approve: bool,
        /// How many operations run at once.
        #[arg(long, default_value_t = 10, value_parser = clap::value_parser!(u16).range(1..))]
        parallelism: u16,
        /// Print the API calls made, by service and operation.
        #[arg(long)]
        stats: bool,
    },
    /// Print the stack's outputs, read from the cloud.
    Output {
        #[arg(default_value = ".")]
        dir: PathBuf,
        #[command(flatten)]
        vars: Vars,
        #[arg(long, value_enum, default_value_t = OutputFormat::Text)]
        format: OutputFormat,
        /// `--format json`, spelt as Terraform's flag (the document is
        /// berth's: the outputs are under `outputs`).
        #[arg(long, conflicts_with = "format")]
        json: bool,
    },
    /// Ship a new image: register a new revision of a service's task
    /// definition with IMAGE, move the service to it. The next plan keeps
    /// the deployed image until the configuration names another one.
    Deploy {
        #[arg(default_value = ".")]
        dir: PathBuf,
        #[command(flatten)]
        vars: Vars,
        /// The service: its name in the stack (`login` or `service.login`)
        /// or in ECS.
        #[arg(long, value_name = "NAME")]
        service: String,
        /// The image to run, e.g. `123456789012.dkr.ecr.us-east-1.amazonaws.com/app:1.4.2`.
        #[arg(long, value_name = "IMAGE")]
        image: String,
        /// The container to change, when the task runs several.
        #[arg(long, value_name = "NAME")]
        container: Option<String>,
        /// Wait until the service runs its desired count on the new revision.
        #[arg(long)]
        wait: bool,
    },
    /// Bring what exists outside berth into a stack: `berth import ADDRESS
    /// ID [DIR]` adopts a live resource (tags it as the stack's block at
    /// ADDRESS); `berth import task-definition FILE.json` prints a block.
    #[command(args_conflicts_with_subcommands = true, subcommand_negates_reqs = true)]
    Import {
        #[command(subcommand)]
        what: Option<Import>,
        /// The block the resource becomes: `vpc.main`, `service.api["x"]`.
        #[arg(required = true)]
        address: Option<String>,
        /// The resource as AWS names it: `vpc-0abc...`, a role name, a
        /// cluster name or ARN, a log group name...
        #[arg(required = true)]
        id: Option<String>,
        #[arg(default_value = ".")]
        dir: PathBuf,
        #[command(flatten)]
        vars: Vars,
        /// Show what would be tagged and the differences; change nothing.
        #[arg(long)]
        dry_run: bool,
    },
    /// Release the stack's lock left by a run that died. Without --force,
    /// only a lock whose holder is gone: silent for two minutes, or a
    /// process of this host that has ended.
    Unlock {
        #[arg(default_value = ".")]
        dir: PathBuf,
        #[command(flatten)]
        vars: Vars,
        /// Release the lock even though its holder still shows signs of life.
        #[arg(long)]
        force: bool,
    },
    /// Print the stack's dependency graph as Graphviz DOT.
    Graph {
        #[arg(default_value = ".")]
        dir: PathBuf,
        #[command(flatten)]
        vars: Vars,
    },
    /// Print a shell completion script: `berth completions bash > ...`.
    Completions {
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
}

/// What `berth import` brings in.
#[derive(Debug, Subcommand)]
pub enum Import {
    /// Print a `task_definition` block for a task definition's JSON (a
    /// RegisterTaskDefinition input or `aws ecs describe-task-definition`
    /// output), to paste into a stack.
    TaskDefinition {
        /// The JSON file: a whole task definition, or a list of container
        /// definitions (Terraform's `container_definitions` file) with
        /// --cpu and --memory.
        file: PathBuf,
        /// The task's family (set over the file's).
        #[arg(long)]
        family: Option<String>,
        /// The task's CPU units (`256`) or vCPUs (`"1 vCPU"`), set over the
        /// file's.
        #[arg(long)]
        cpu: Option<String>,
        /// The task's memory in MiB (`512`) or GB (`"2 GB"`), set over the
        /// file's.
        #[arg(long)]
        memory: Option<String>,
        /// The ARN of the task's execution role (set over the file's).
        #[arg(long, value_name = "ARN")]
        execution_role: Option<String>,
        /// The ARN of the task's role (set over the file's).
        #[arg(long, value_name = "ARN")]
        task_role: Option<String>,
    },
}

/// How `plan` prints the plan.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Text,
    Markdown,
    Json,
}

/// How `output` prints the outputs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum OutputFormat {
    Text,
    Json,
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

/// A path as given, empty too: `BERTH_LOCAL_STATE=` (set, but to nothing)
/// is the default file, not "a value is required for --local-state".
fn any_path(text: &str) -> Result<PathBuf, std::convert::Infallible> {
    Ok(PathBuf::from(text))
}

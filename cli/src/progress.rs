//! Shows apply progress: a live line per resource on a terminal
//! (indicatif), plain lines otherwise.

use std::io::IsTerminal;
use std::sync::Mutex;
use std::time::Duration;

use berth_lang::diagnostic::redact_text;
use berth_planner::execute::{Hook, Outcome};
use berth_planner::order::{Op, OpKind};
use berth_provider::{Address, ProviderError};
use indicatif::{MultiProgress, ProgressBar, ProgressStyle};

/// Live bars: the display and one spinner per running operation.
type Bars = (MultiProgress, Mutex<Vec<(Op, ProgressBar)>>);

/// The progress display for one apply or destroy.
pub struct Progress {
    bars: Option<Bars>,
    /// Texts of sensitive values: an API error may quote what was sent.
    secrets: Vec<String>,
}

impl Progress {
    /// Live bars on a terminal (stderr), plain lines otherwise.
    pub fn new(secrets: Vec<String>) -> Self {
        let bars = std::io::stderr()
            .is_terminal()
            .then(|| (MultiProgress::new(), Mutex::new(Vec::new())));
        Progress { bars, secrets }
    }

    fn line(&self, text: String) {
        let text = redact_text(&text, &self.secrets);
        match &self.bars {
            Some((multi, _)) => {
                let _ = multi.println(text);
            }
            None => say!("{text}"),
        }
    }
}

fn verb(kind: OpKind) -> (&'static str, &'static str) {
    match kind {
        OpKind::Move => ("Moving to its new address...", "Move complete"),
        OpKind::Create => ("Creating...", "Creation complete"),
        OpKind::Update => ("Modifying...", "Modifications complete"),
        OpKind::Revoke => ("Revoking rules that name groups...", "Rules revoked"),
        OpKind::Delete => ("Destroying...", "Destruction complete"),
    }
}

impl Hook for Progress {
    fn started(&self, op: &Op, address: &Address) {
        let (doing, _) = verb(op.kind);
        match &self.bars {
            Some((multi, bars)) => {
                let bar = multi.add(ProgressBar::new_spinner());
                bar.set_style(
                    ProgressStyle::with_template("{spinner} {msg} [{elapsed}]")
                        .unwrap_or_else(|_| ProgressStyle::default_spinner()),
                );
                bar.set_message(format!("{address}: {doing}"));
                bar.enable_steady_tick(Duration::from_millis(120));
                bars.lock().unwrap_or_else(|p| p.into_inner()).push((*op, bar));
            }
            None => say!("{address}: {doing}"),
        }
    }

    fn retrying(&self, _op: &Op, address: &Address, error: &ProviderError, attempt: u32, delay: Duration) {
        self.line(format!(
            "{address}: {error}; no answer: looking for what it did in {:.1}s (recovery {attempt})",
            delay.as_secs_f64()
        ));
    }

    fn finished(&self, op: &Op, address: &Address, outcome: &Outcome, elapsed: Duration) {
        if let Some((_, bars)) = &self.bars {
            let mut bars = bars.lock().unwrap_or_else(|p| p.into_inner());
            if let Some(i) = bars.iter().position(|(o, _)| o == op) {
                bars.remove(i).1.finish_and_clear();
            }
        }
        let (_, done) = verb(op.kind);
        self.line(match outcome {
            Outcome::Done => format!("{address}: {done} after {:.1}s", elapsed.as_secs_f64()),
            Outcome::Failed(e) => format!("{address}: failed: {e}"),
            // A replacement's delete waits for its own create.
            Outcome::Skipped { because } if because == address && op.kind == OpKind::Delete => {
                format!("{address}: the old one is kept because its replacement failed")
            }
            // A group's rules naming groups made alongside wait for its create.
            Outcome::Skipped { because } if because == address => {
                format!("{address}: not finished because its create failed")
            }
            Outcome::Skipped { because } => format!("{address}: skipped because {because} failed"),
        });
    }
}

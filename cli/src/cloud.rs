//! Opening the cloud a command works on (the embedded local cloud or AWS),
//! and holding the stack's lock while a command changes it.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::Context;
use berth_aws::{AwsProvider, Limits};
use berth_local::{LocalCloud, LocalError};
use berth_planner::lock::{self, LockError};
use berth_provider::{Address, Kind, LockInfo, Provider, ROLLED_BACK, Resource};
use tokio::runtime::{Handle, Runtime};
use tokio::task::JoinHandle;

use crate::args::{Cloud as CloudArg, Global};
use crate::interrupt::{Interrupted, OnInterrupt};

/// The cloud a command talks to.
pub struct Cloud {
    provider: Arc<dyn Provider>,
}

impl Cloud {
    /// Opens the cloud chosen by `--cloud` for the stack in `dir`. AWS uses
    /// the standard credential chain and `AWS_ENDPOINT_URL`; the stack's
    /// region wins over `AWS_REGION`. The local cloud's file is locked for
    /// as long as the cloud is open: while another run holds it, this waits
    /// up to `--lock-timeout`.
    pub fn open(global: &Global, dir: &Path, region: &str, runtime: &Runtime) -> anyhow::Result<Cloud> {
        let provider: Arc<dyn Provider> = match global.cloud {
            CloudArg::Local => Arc::new(open_local(
                &local_state_path(global, dir),
                region,
                global.lock_timeout,
            )?),
            CloudArg::Aws => {
                let limits = Limits {
                    max_rps: global.max_rps,
                    ..Limits::default()
                };
                let aws = runtime
                    .block_on(AwsProvider::from_env(region))
                    .context("cannot configure AWS")?
                    .with_limits(limits)
                    .verbose(global.verbose);
                Arc::new(aws)
            }
        };
        Ok(Cloud { provider })
    }

    pub fn provider(&self) -> &dyn Provider {
        self.provider.as_ref()
    }

    /// Takes `stack`'s lock for `command` (waiting up to `timeout` while
    /// another run holds it) and keeps it alive until the returned guard is
    /// dropped. `dir` is named in the message telling how to release it.
    /// From the start Ctrl-C is handled as `on_interrupt` says
    /// ([`crate::interrupt`]); one pressed before the lock is held lets it
    /// go again ([`Interrupted`]).
    pub fn lock(
        &self,
        runtime: &Runtime,
        stack: &str,
        command: &str,
        timeout: Duration,
        dir: &Path,
        on_interrupt: OnInterrupt,
    ) -> anyhow::Result<StackLock> {
        crate::interrupt::watch(runtime);
        let me = lock::holder(command);
        let taken = runtime.block_on(async {
            tokio::select! {
                taken = lock::acquire(self.provider(), stack, &me, timeout) => Some(taken),
                () = crate::interrupt::requested() => None,
            }
        });
        let Some(taken) = taken else {
            // The write may have reached the cloud with its answer lost:
            // let go of what may be ours.
            let _ = runtime.block_on(self.provider.release_lock(stack, &me));
            return Err(Interrupted.into());
        };
        taken.map_err(|e| locked(e, dir))?;
        if on_interrupt == OnInterrupt::Release {
            crate::interrupt::release_on_interrupt(Arc::clone(&self.provider), stack, &me);
        }
        let provider = Arc::clone(&self.provider);
        let (beat_stack, beat_me) = (stack.to_owned(), me.clone());
        let beat = runtime.spawn(async move {
            lock::keep_alive(provider.as_ref(), &beat_stack, &beat_me).await;
            say!(
                "warning: the lock of stack {beat_stack:?} was released by someone else (`berth unlock --force`); \
                 another run may now change the stack too"
            );
        });
        let held = StackLock {
            provider: Arc::clone(&self.provider),
            stack: stack.to_owned(),
            me,
            beat,
            runtime: runtime.handle().clone(),
            released: false,
        };
        if crate::interrupt::interrupted() {
            drop(held);
            return Err(Interrupted.into());
        }
        Ok(held)
    }

    /// Waits until every resource among `resources` is ready (an ECS
    /// service steady: as many tasks running as desired, one deployment),
    /// printing the service events ECS reports meanwhile.
    async fn wait_until_ready(&self, resources: &[Resource], timeout: Duration) -> anyhow::Result<()> {
        let events = |address: &Address, message: &str| say!("{address}: {message}");
        for service in resources.iter().filter(|r| r.address.kind == Kind::Service) {
            say!("{}: waiting for a steady state...", service.address);
            match self.provider().wait_until_ready(service, timeout, &events).await {
                Ok(()) => say!("{}: steady", service.address),
                Err(e) if e.code == ROLLED_BACK => {
                    return Err(RolledBack {
                        service: service.address.clone(),
                        why: e.message,
                    }
                    .into());
                }
                Err(e) => {
                    return Err(e)
                        .with_context(|| format!("{} did not reach a steady state", service.address));
                }
            }
        }
        Ok(())
    }

    /// [`Cloud::wait_until_ready`], ended by a Ctrl-C (or a cancelled
    /// job's SIGTERM): `None` then. The wait changes nothing, so a signal
    /// need not wait for it.
    pub fn wait_unless_interrupted(
        &self,
        runtime: &Runtime,
        resources: &[Resource],
        timeout: Duration,
    ) -> Option<anyhow::Result<()>> {
        runtime.block_on(async {
            tokio::select! {
                waited = self.wait_until_ready(resources, timeout) => Some(waited),
                () = crate::interrupt::requested() => None,
            }
        })
    }
}

/// A wait that ended with ECS rolling the service's deployment back (the
/// circuit breaker fired): the service runs its previous task definition.
#[derive(Debug, thiserror::Error)]
#[error("{service}: deployment rolled back: {why}")]
pub struct RolledBack {
    pub service: Address,
    pub why: String,
}

/// A stack's lock, held (and refreshed every [`lock::HEARTBEAT`]) until
/// dropped, which releases it.
pub struct StackLock {
    provider: Arc<dyn Provider>,
    stack: String,
    me: LockInfo,
    beat: JoinHandle<()>,
    runtime: Handle,
    /// Set once [`StackLock::release`] has let go, so that the drop does
    /// not try again.
    released: bool,
}

impl StackLock {
    /// Whether the lock is still this run's: `berth unlock --force` may
    /// have taken it while the run waited at its prompt, and another run
    /// may be changing the stack since. Read only: a refresh writes the
    /// lock back, and one racing the release would take it again.
    pub fn still_held(&self) -> anyhow::Result<bool> {
        self.runtime
            .block_on(self.provider.read_lock(&self.stack))
            .map(|held| held.is_some_and(|h| h.id == self.me.id))
            .with_context(|| format!("cannot check the lock of stack {:?}", self.stack))
    }

    /// Releases the lock at the end of a run. A lock left in the cloud
    /// (the release failed) refuses the next run, maybe another host's,
    /// so the run fails with it, as Terraform's "Error releasing the
    /// state lock" does, rather than let a pipeline go on.
    pub fn release(mut self) -> anyhow::Result<()> {
        self.released = true;
        self.let_go().map_err(|e| {
            anyhow::anyhow!(
                "cannot release the lock of stack {:?}: {e}; the run's changes are done, but the next run \
                 is refused until `berth unlock` releases it",
                self.stack
            )
        })
    }

    /// Stops the heartbeat and deletes the lock; taken by force during
    /// the run is said, not an error: the run is over either way.
    fn let_go(&self) -> Result<(), berth_provider::ProviderError> {
        self.beat.abort();
        crate::interrupt::finish_on_interrupt();
        let released = self
            .runtime
            .block_on(self.provider.release_lock(&self.stack, &self.me))?;
        if !released {
            // Said at the end, however short the run (the heartbeat that
            // warns comes every 30 s).
            say!(
                "warning: the lock of stack {:?} was released by someone else during this run \
                 (`berth unlock --force`); another run may have changed the stack too: `berth plan` shows where it stands",
                self.stack
            );
        }
        Ok(())
    }
}

impl Drop for StackLock {
    /// A run that ends early (an error) lets go here; the error it ends
    /// with is the one to say, so a failed release only warns.
    fn drop(&mut self) {
        if self.released {
            return;
        }
        if let Err(e) = self.let_go() {
            say!(
                "warning: cannot release the lock of stack {:?}: {e}; `berth unlock` releases it",
                self.stack
            );
        }
    }
}

/// Opens the local cloud at `path`, asking again every second while another
/// process has it open, for at most `timeout`.
fn open_local(path: &Path, region: &str, timeout: Duration) -> anyhow::Result<LocalCloud> {
    let start = Instant::now();
    loop {
        match LocalCloud::open(path, region) {
            Err(LocalError::Locked {
                holder: Some(holder), ..
            }) if start.elapsed() >= timeout => {
                let what = format!("the local cloud {}", path.display());
                let waited = start.elapsed();
                return Err(anyhow::anyhow!(held_message(
                    &LockError::Held { what, holder, waited },
                    None
                )));
            }
            Err(e @ LocalError::Locked { .. }) if start.elapsed() >= timeout => {
                return Err(e).with_context(|| format!("cannot open the local cloud at {}", path.display()));
            }
            Err(LocalError::Locked { .. }) => std::thread::sleep(Duration::from_secs(1).min(timeout)),
            other => {
                return other.with_context(|| format!("cannot open the local cloud at {}", path.display()));
            }
        }
    }
}

/// The error for a lock that could not be taken.
fn locked(e: LockError, dir: &Path) -> anyhow::Error {
    match &e {
        LockError::Held { .. } => anyhow::anyhow!(held_message(&e, Some(dir))),
        LockError::Cloud { .. } => anyhow::Error::new(e),
    }
}

/// The `berth unlock` that releases the stack's lock in the cloud (the
/// AWS one: the local cloud's goes with its process), pasted as is. The
/// stack's name may come from this run's variables, which are not
/// repeated (a secret among them would print): said instead.
fn unlock_command(dir: &Path) -> String {
    let vars = std::env::args().any(|a| a.starts_with("--var"));
    let with = if vars {
        " (with this run's --var and --var-file settings, which may name the stack)"
    } else {
        ""
    };
    format!("berth --cloud aws unlock {}{with}", dir.display())
}

/// Who holds the lock and what to do about it. `dir` is the stack's
/// directory, for the `berth unlock` hint (none for the local cloud, whose
/// lock goes with the process holding it).
fn held_message(e: &LockError, dir: Option<&Path>) -> String {
    let LockError::Held { holder, waited, .. } = e else {
        return e.to_string();
    };
    // A run that waited was given a --lock-timeout already (one that was
    // not spent a moment asking).
    let (retry, waited) = if waited.as_secs() == 0 {
        ("retry with --lock-timeout 10m to wait here", String::new())
    } else {
        (
            "retry with a longer --lock-timeout",
            format!(" (waited {}s)", waited.as_secs()),
        )
    };
    let advice = match dir {
        None => format!(
            "It is released when that process ends; wait for it, or {retry}. (pid {} on {})",
            holder.pid, holder.who
        ),
        Some(dir) if lock::ended_here(holder) => format!(
            "That run has ended (pid {} no longer runs on this host) without releasing the lock. Release it with: {}",
            holder.pid,
            unlock_command(dir)
        ),
        Some(dir) if lock::is_stale(holder) => format!(
            "That run seems to have died: no heartbeat for over {}s. If so, release the lock with: {}",
            lock::STALE_AFTER.as_secs(),
            unlock_command(dir)
        ),
        Some(dir) => format!(
            "That run is changing the stack now: wait for it, or {retry}. \
             If it is gone, `{}` releases the lock once it has been silent for {}s (--force: at once; \
             at once too for a process of this host that has ended).",
            unlock_command(dir),
            lock::STALE_AFTER.as_secs()
        ),
    };
    format!("{e}{waited}.\n  {advice}")
}

/// `--local-state`, else `DIR/.berth/local-cloud.json`.
pub fn local_state_path(global: &Global, dir: &Path) -> PathBuf {
    global
        .local_state
        .clone()
        .filter(|path| !path.as_os_str().is_empty())
        .unwrap_or_else(|| dir.join(".berth").join(berth_local::DEFAULT_FILE_NAME))
}

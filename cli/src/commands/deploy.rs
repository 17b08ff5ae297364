//! `berth deploy [DIR] --service NAME --image IMAGE [--container NAME]
//! [--wait]`: what CI runs to ship a new image (ecspresso's core job). It
//! registers a new revision of the service's task definition, the live one
//! with the container's image replaced, moves the service to it and
//! deregisters the old one, as `apply` does for a replacement. With
//! `--wait` it prints the service's events until the service is steady; a
//! deployment ECS rolls back (circuit breaker) fails the command and the
//! new revision is deregistered instead. The revision
//! records (in [`DEPLOYED_TAG`]) which image the configuration named, so
//! that the next plan keeps the deployed image instead of reverting it
//! until the configuration names another (`berth_planner::owned`).

use std::collections::BTreeMap;
use std::path::Path;
use std::process::ExitCode;
use std::time::Duration;

use anyhow::{Context, bail};
use berth_lang::Stack;
use berth_planner::{external, owned};
use berth_provider::{Attrs, DEPLOYED_TAG, Kind, Resource, Value};

use super::{plan, stack};
use crate::args::{Global, Vars};
use crate::cloud::RolledBack;
use crate::interrupt::OnInterrupt;

/// What to deploy.
pub struct Deploy {
    /// The service: its name in the stack (`login`, `service.login`) or in ECS.
    pub service: String,
    pub image: String,
    /// Needed when the task runs several containers.
    pub container: Option<String>,
    /// Wait for the service to be steady on the new revision.
    pub wait: bool,
}

/// How long `--wait` waits.
const WAIT_TIMEOUT: Duration = Duration::from_secs(600);

pub fn run(global: &Global, dir: &Path, vars: &Vars, d: Deploy) -> anyhow::Result<ExitCode> {
    let runtime = stack::runtime()?;
    let Some((stack, cloud)) = stack::evaluate_in_cloud(global, dir, vars, &runtime, stack::Lookups::Read)?
    else {
        return Ok(ExitCode::from(1));
    };
    let external = external::parents(&stack);
    let lock = cloud.lock(
        &runtime,
        &stack.name,
        "berth deploy",
        global.lock_timeout,
        dir,
        OnInterrupt::Release,
    )?;
    let live = plan::read_live(&runtime, &cloud, &stack, &external)?;
    let service = find_service(&live, &d.service, &stack.name)?;
    let arn = str_of(&service.attrs, "task_definition");
    let Some(td) = live
        .iter()
        .find(|r| r.address.kind == Kind::TaskDefinition && str_of(&r.attrs, "arn") == arn)
    else {
        bail!(
            "{} runs {arn}, which is not a task definition of stack {:?}: deploy it with the tool that owns it",
            service.address,
            stack.name
        );
    };
    let images = owned::images(&td.attrs);
    let container = pick_container(&images, d.container.as_deref(), &td.address.to_string())?;
    let provider = cloud.provider();
    let deregister = |revision: &Resource, which: &str| {
        runtime
            .block_on(provider.delete(&stack.name, revision))
            .with_context(|| format!("cannot deregister the {which} revision of {}", td.address))
    };
    if images.get(&container) == Some(&d.image) {
        // Killed after the service moved: the old revision is still there.
        let strays = live
            .iter()
            .filter(|r| r.address == td.address && str_of(&r.attrs, "arn") != arn);
        for stray in strays {
            deregister(stray, "second")?;
        }
        println!(
            "{} already runs {} in container {container}.",
            service.address, d.image
        );
        lock.release()?;
        return Ok(ExitCode::SUCCESS);
    }

    let new_td = Resource {
        address: td.address.clone(),
        attrs: deployed(td, &container, &d.image, configured_image(&stack, td, &container)),
        created: None,
    };
    // From here a Ctrl-C (or a cancelled job's SIGTERM) lets the deploy
    // end in order: the registration in flight finishes, and either the
    // new revision goes again (the service was not moved yet) or the move
    // finishes and the old one goes, so the next plan finds one revision.
    crate::interrupt::finish_on_interrupt();
    // Killed after registering: that revision is taken, not made again.
    let registered = match registered_before(&live, td, &new_td) {
        Some(made) => made.clone(),
        None => runtime
            .block_on(register(provider, &stack.name, &external, td, &new_td))
            .with_context(|| format!("cannot register a new revision of {}", td.address))?,
    };
    if crate::interrupt::interrupted() {
        deregister(&registered, "new")?;
        say!(
            "Interrupted before {} moved: nothing is deployed, and the new revision is deregistered.",
            service.address
        );
        lock.release()?;
        return Ok(ExitCode::from(crate::interrupt::EXIT_STATUS));
    }
    let moved = Resource {
        address: service.address.clone(),
        attrs: with(
            declared(service),
            "task_definition",
            registered.attrs.get("arn").cloned().unwrap_or(Value::Null),
        ),
        created: None,
    };
    let moved = runtime
        .block_on(provider.update(&stack.name, service, &moved))
        .with_context(|| format!("cannot move {} to the new revision", service.address))?;
    println!(
        "Deployed {} to {} (container {container}): {}",
        d.image,
        service.address,
        str_of(&registered.attrs, "arn")
    );
    // The service runs the new revision from here: a Ctrl-C ends the wait
    // (or skips it), and the old revision is deregistered all the same.
    let waited = match (crate::interrupt::interrupted(), d.wait) {
        (true, _) => None,
        (false, true) => cloud.wait_unless_interrupted(&runtime, std::slice::from_ref(&moved), WAIT_TIMEOUT),
        (false, false) => Some(Ok(())),
    };
    // After a rollback the service runs the old revision again: the new one
    // goes, so that the stack holds one revision at the address.
    let (unused, which) = match &waited {
        Some(Err(e)) if e.downcast_ref::<RolledBack>().is_some() => (&registered, "new"),
        _ => (td, "old"),
    };
    deregister(unused, which)?;
    let Some(waited) = waited else {
        say!(
            "Interrupted: {} runs the new revision (ECS goes on deploying it), and the old one is deregistered.",
            moved.address
        );
        lock.release()?;
        return Ok(ExitCode::from(crate::interrupt::EXIT_STATUS));
    };
    waited?;
    lock.release()?;
    Ok(ExitCode::SUCCESS)
}

/// Registers `new_td`, the revision after `td`. A registration that got no
/// answer may have taken effect: the stack's revisions are read, and one
/// at `td`'s address other than `td` running the same images is it (as
/// `apply` finds what a create without an answer made); none, it is sent
/// once more.
async fn register(
    provider: &dyn berth_provider::Provider,
    stack: &str,
    external: &[berth_provider::External],
    td: &Resource,
    new_td: &Resource,
) -> Result<Resource, berth_provider::ProviderError> {
    match provider.create(stack, new_td).await {
        Err(e) if e.is_indeterminate() => {}
        done => return done,
    }
    let live = provider.read_stack(stack, external).await?;
    match registered_before(&live, td, new_td) {
        Some(made) => Ok(made.clone()),
        None => provider.create(stack, new_td).await,
    }
}

/// Among `live`, a revision at `td`'s address other than `td` that runs
/// `new_td`'s images: one a registration without an answer (or a deploy
/// killed after it) made.
fn registered_before<'a>(live: &'a [Resource], td: &Resource, new_td: &Resource) -> Option<&'a Resource> {
    let images = owned::images(&new_td.attrs);
    live.iter().find(|r| {
        r.address == td.address
            && str_of(&r.attrs, "arn") != str_of(&td.attrs, "arn")
            && owned::images(&r.attrs) == images
    })
}

fn str_of<'a>(attrs: &'a Attrs, name: &str) -> &'a str {
    attrs.get(name).and_then(Value::as_str).unwrap_or_default()
}

/// The stack's service called `name` (`login`, `service.login`, or its
/// name in ECS).
fn find_service<'a>(live: &'a [Resource], name: &str, stack: &str) -> anyhow::Result<&'a Resource> {
    let services: Vec<&Resource> = live.iter().filter(|r| r.address.kind == Kind::Service).collect();
    services
        .iter()
        .find(|r| r.address.name == name || r.address.to_string() == name || str_of(&r.attrs, "name") == name)
        .copied()
        .with_context(|| {
            let known: Vec<String> = services.iter().map(|r| r.address.to_string()).collect();
            format!(
                "stack {stack:?} has no live service {name:?} (its services: {}); apply the stack first",
                if known.is_empty() {
                    "none".to_owned()
                } else {
                    known.join(", ")
                }
            )
        })
}

/// `--container`, or the task's only container.
fn pick_container(
    images: &BTreeMap<String, String>,
    asked: Option<&str>,
    td: &str,
) -> anyhow::Result<String> {
    let names: Vec<&str> = images.keys().map(String::as_str).collect();
    match asked {
        Some(c) if images.contains_key(c) => Ok(c.to_owned()),
        Some(c) => bail!(
            "{td} has no container {c:?} (its containers: {})",
            names.join(", ")
        ),
        None if names.len() == 1 => Ok(names[0].to_owned()),
        None => bail!(
            "{td} runs several containers ({}): say which with --container",
            names.join(", ")
        ),
    }
}

/// The image the configuration names for `container` of `td`; when it
/// cannot be known now (or the stack no longer declares it), the image the
/// deploy replaces.
fn configured_image(stack: &Stack, td: &Resource, container: &str) -> String {
    stack
        .resources
        .iter()
        .find(|r| r.address == td.address)
        .and_then(|r| {
            r.body
                .blocks("container")
                .iter()
                .find(|b| b.label.as_ref().is_some_and(|l| l.node == container))
        })
        .and_then(|b| b.body.known("image"))
        .and_then(Value::as_str)
        .map(str::to_owned)
        .unwrap_or_else(|| owned::images(&td.attrs).remove(container).unwrap_or_default())
}

/// The declared (not computed) attributes of a live resource: what a
/// create or update is given.
fn declared(r: &Resource) -> Attrs {
    let schema = r.address.kind.schema();
    r.attrs
        .iter()
        .filter(|(name, _)| schema.attr(name).is_none_or(|a| !a.is_computed()))
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect()
}

fn with(mut attrs: Attrs, name: &str, value: Value) -> Attrs {
    attrs.insert(name.to_owned(), value);
    attrs
}

/// The live task definition with `container` running `image`, and the
/// record of what the configuration named (`configured`) added to its tags.
fn deployed(td: &Resource, container: &str, image: &str, configured: String) -> Attrs {
    let mut attrs = declared(td);
    if let Some(Value::List(containers)) = attrs.get_mut("container") {
        for c in containers.iter_mut() {
            if let Value::Map(c) = c
                && c.get("name").and_then(Value::as_str) == Some(container)
            {
                c.insert("image".to_owned(), Value::from(image));
            }
        }
    }
    let mut tags = match attrs.remove("tags") {
        Some(Value::Map(tags)) => tags,
        _ => BTreeMap::new(),
    };
    let mut record = tags
        .get(DEPLOYED_TAG)
        .and_then(Value::as_str)
        .map(owned::parse)
        .unwrap_or_default();
    record.insert(container.to_owned(), configured);
    tags.insert(DEPLOYED_TAG.to_owned(), Value::from(owned::format(&record)));
    attrs.insert("tags".to_owned(), Value::Map(tags));
    attrs
}

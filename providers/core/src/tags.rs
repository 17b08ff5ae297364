/// Tag naming the stack that owns a resource. Set in the create call itself.
pub const STACK_TAG: &str = "berth:stack";
/// Tag holding a resource's address within its stack, e.g. `service.login`.
pub const ADDRESS_TAG: &str = "berth:address";
/// Tag on a task definition revision registered by `berth deploy`: the
/// images the deploy set, as `CONTAINER=IMAGE` pairs separated by spaces,
/// each IMAGE being the one the configuration named when the deploy ran.
/// While the configuration still names that image, the deployed one is
/// the desired one (the deploy owns it); once the configuration names
/// another, the configuration wins again.
pub const DEPLOYED_TAG: &str = "berth:deployed";
/// Tag on a resource holding what berth masked of it when it was written:
/// the paths (`container.env`) whose values came from sensitive variables,
/// separated by spaces. A later plan masks them in what the cloud holds
/// even once the configuration no longer marks them (an entry removed, a
/// variable emptied), as Terraform remembers sensitivity in its state.
pub const SENSITIVE_TAG: &str = "berth:sensitive";
